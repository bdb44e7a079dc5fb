"""Write data/cocops_synthetic.csv: synthetic respondent-level data modelled on COCOPS.

The data are NOT real responses. They imitate the COCOPS Executive Survey 2012-2013
(senior public-sector executives in 16 European countries) so that the deck generator
can be demonstrated. Item columns, batteries and countries come from data/codebook.yaml.

Model, per respondent i in country c (all draws from numpy's default_rng(SEED)):

* background: policy field, hierarchical level, and organisation type given the field;
* latent answer to item j of battery b on a standard-normal scale:

      y_ij = mu_j + profile_c . w_j + level/field effect_b
             + g * G_ib + z_j * Z_i + o_j * O_i + e_ij,

  where G_ib is a per-battery general factor (items of a battery correlate), Z_i a
  coordination orientation (coordination importance, horizontal instruments, coordination
  quality), O_i general optimism (performance, coordination quality), and e_ij noise
  scaled so that the random part has unit variance; profile_c is a hand-set country profile
  (performance optimism, openness agenda, NPM agenda, cutback pressure, hierarchy);
* y is cut at fixed thresholds into codes 1-7 (item means give the skew);
* code 8 ("can't assess") is drawn per item (more often at the third level), and answers
  go missing (empty cell) item by item and through break-off at a battery;
* calibration: per coordination-quality item, one shift of y for Norway and one for the
  other countries makes the share of 5-7 among valid answers (codes 1-7) hit the targets
  in CALIBRATION exactly, up to one respondent.

Run:  python tools/make_synthetic_data.py [--out PATH] [--codebook PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = 20122013
CUTS = np.array([-1.9, -1.25, -0.65, -0.05, 0.55, 1.2])  # latent cut points for codes 1..7
HIGH = 3  # index of the cut between 4 and 5: y > CUTS[HIGH] means code 5-7

N_BY_COUNTRY = {
    "AT": 587, "DE": 666, "DK": 407, "EE": 321, "ES": 552, "FI": 509, "FR": 1193, "GB": 519,
    "HU": 351, "IE": 368, "IS": 237, "IT": 562, "LT": 288, "NL": 402, "NO": 436, "PT": 351,
}
DIMS = ("perf", "open", "npm", "cut", "hier")
PROFILES = {  # perf, open, npm, cut, hier
    "AT": (0.3, 0.0, -0.2, 0.0, 0.4), "DE": (0.2, -0.2, -0.3, -0.2, 0.4),
    "DK": (0.6, 0.6, 0.4, 0.1, -0.4), "EE": (0.2, 0.4, 0.5, 0.5, -0.2),
    "ES": (-0.5, -0.1, -0.2, 0.9, 0.6), "FI": (0.5, 0.6, 0.2, 0.0, -0.4),
    "FR": (-0.1, -0.1, 0.0, 0.2, 0.6), "GB": (0.1, 0.3, 0.8, 0.7, -0.1),
    "HU": (-0.6, -0.5, 0.0, 0.4, 0.7), "IE": (0.0, 0.2, 0.5, 0.9, 0.0),
    "IS": (0.3, 0.5, 0.0, 0.5, -0.3), "IT": (-0.6, -0.4, -0.1, 0.7, 0.5),
    "LT": (-0.1, 0.1, 0.3, 0.5, 0.3), "NL": (0.5, 0.4, 0.6, 0.3, -0.3),
    "NO": (0.6, 0.7, 0.1, -0.5, -0.3), "PT": (-0.5, -0.2, 0.1, 0.9, 0.5),
}
# Battery defaults: g = general-factor loading, mu = item mean, dk = share "can't assess",
# level = shift for top level (minus for third level), health = shift for the health field.
BATTERIES: dict[str, dict[str, float]] = {
    "reform_trends": {"g": 0.45, "mu": 0.3, "dk": 0.03, "level": 0.05, "health": 0.0},
    "coordination_importance": {"g": 0.0, "mu": 1.1, "dk": 0.01, "level": 0.1, "health": 0.0},
    "role_identity": {"g": 0.5, "mu": 1.0, "dk": 0.005, "level": 0.05, "health": 0.0},
    "performance": {"g": 0.5, "mu": 0.25, "dk": 0.045, "level": 0.15, "health": -0.1},
    "coordination_practice": {"g": 0.35, "mu": 0.2, "dk": 0.035, "level": 0.0, "health": 0.0},
    "coordination_quality": {"g": 0.45, "mu": 0.0, "dk": 0.025, "level": 0.12, "health": -0.1},
}
# Item specifics (battery, item) -> mu, profile loadings, z, o, dk; the rest as above.
ITEMS: dict[tuple[str, str], dict[str, float]] = {
    ("reform_trends", "downsizing"): {"mu": 0.2, "cut": 0.7, "npm": 0.2},
    ("reform_trends", "citizen_participation"): {"mu": 0.0, "open": 0.6},
    ("reform_trends", "transparency"): {"mu": 0.6, "open": 0.7},
    ("reform_trends", "contracting_out"): {"mu": -0.2, "npm": 0.6},
    ("reform_trends", "outcomes"): {"mu": 0.9, "npm": 0.3},
    ("reform_trends", "collaboration"): {"mu": 1.0, "open": 0.2, "z": 0.3},
    ("reform_trends", "red_tape"): {"mu": 0.5, "hier": -0.2},
    ("reform_trends", "flexible_employment"): {"mu": -0.1, "npm": 0.4, "cut": 0.2},
    ("reform_trends", "mergers"): {"mu": 0.2, "cut": 0.4},
    ("reform_trends", "users_as_customers"): {"mu": 0.5, "npm": 0.4},
    ("reform_trends", "agencification"): {"mu": -0.4, "npm": 0.4},
    ("reform_trends", "performance_pay"): {"mu": -0.5, "npm": 0.5, "cut": -0.2},
    ("reform_trends", "external_partnerships"): {"mu": 0.0, "npm": 0.3},
    ("reform_trends", "e_government"): {"mu": 1.0, "open": 0.4},
    ("reform_trends", "privatisation"): {"mu": -0.9, "npm": 0.4, "cut": 0.3},
    ("coordination_importance", "importance"): {"z": 0.5},
    ("role_identity", "follow_rules"): {"mu": 1.1, "hier": 0.3},
    ("role_identity", "achieve_results"): {"mu": 1.4, "npm": 0.2},
    ("role_identity", "efficient_resources"): {"mu": 1.4, "cut": 0.2},
    ("role_identity", "work_together"): {"mu": 0.9, "z": 0.35},
    ("role_identity", "joint_solutions"): {"mu": 0.8, "z": 0.3},
    ("role_identity", "expert_advice"): {"mu": 0.7},
    ("role_identity", "new_ideas"): {"mu": 0.4, "open": 0.2},
    ("role_identity", "impartiality"): {"mu": 1.3, "hier": 0.2},
    ("performance", "cost_efficiency"): {"mu": 0.5, "perf": 0.6, "o": 0.4, "cut": 0.2},
    ("performance", "service_quality"): {"mu": 0.45, "perf": 0.6, "o": 0.4},
    ("performance", "innovation"): {"mu": 0.35, "perf": 0.5, "o": 0.4},
    ("performance", "policy_effectiveness"): {"mu": 0.2, "perf": 0.6, "o": 0.4},
    ("performance", "policy_coherence"): {"mu": 0.0, "perf": 0.5, "o": 0.35, "z": 0.15},
    ("performance", "transparency"): {"mu": 0.45, "perf": 0.4, "open": 0.4, "o": 0.3},
    ("performance", "citizen_participation"): {"mu": 0.15, "perf": 0.4, "open": 0.3, "o": 0.3},
    ("performance", "social_cohesion"): {"mu": -0.3, "perf": 0.6, "cut": -0.3, "o": 0.3},
    ("performance", "red_tape"): {"mu": -0.1, "perf": 0.4, "o": 0.3},
    ("performance", "ethics"): {"mu": 0.2, "perf": 0.5, "o": 0.3},
    ("performance", "equal_access"): {"mu": 0.1, "perf": 0.6, "cut": -0.2, "o": 0.3},
    ("performance", "fair_treatment"): {"mu": 0.2, "perf": 0.6, "o": 0.3},
    ("performance", "citizen_trust"): {"mu": -0.4, "perf": 0.7, "cut": -0.3, "o": 0.3},
    ("coordination_practice", "refer_up_hierarchy"): {"mu": 0.6, "hier": 0.3},
    ("coordination_practice", "refer_political"): {"mu": -0.1, "hier": 0.3},
    ("coordination_practice", "special_bodies"): {"mu": -0.3},
    ("coordination_practice", "cross_cutting_groups"): {"mu": 0.6, "open": 0.2, "z": 0.4},
    ("coordination_practice", "lead_organisation"): {"mu": 0.2, "z": 0.2},
    ("coordination_practice", "consult_experts"): {"mu": 0.1, "open": 0.3, "z": 0.15},
    ("coordination_quality", "internal_vertical"): {"perf": 0.3, "z": 0.4, "o": 0.3},
    ("coordination_quality", "external_vertical_up"): {"perf": 0.3, "z": 0.35, "o": 0.3,
                                                       "dk": 0.06},
    ("coordination_quality", "external_vertical_down"): {"perf": 0.3, "z": 0.35, "o": 0.3,
                                                         "dk": 0.07},
    ("coordination_quality", "external_horizontal"): {"perf": 0.3, "z": 0.4, "o": 0.3,
                                                      "dk": 0.04},
    ("coordination_quality", "internal_horizontal"): {"perf": 0.3, "z": 0.4, "o": 0.3},
}
# Share (%) answering 5-7 among valid answers: (Norway, all 16 countries pooled).
CALIBRATION = {
    "internal_vertical": (62, 55), "external_vertical_up": (45, 43),
    "external_vertical_down": (32, 36), "external_horizontal": (39, 47),
    "internal_horizontal": (41, 33),
}
ITEM_MISSING = 0.012  # chance that any one answer is left empty
BREAK_OFF = 0.02  # chance that a respondent stops answering at a random later battery


def load_items(codebook: Path) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The codebook as plain data and its (battery, item, column) triples in order."""
    book = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    items = [(b, i, spec["column"]) for b, battery in book["batteries"].items()
             for i, spec in battery["items"].items()]
    known = {(b, i) for b, i, _ in items}
    problems = [f"{b}.{i} is not in the codebook" for b, i in ITEMS if (b, i) not in known]
    problems += [f"battery {b} is not in the codebook" for b in BATTERIES
                 if b not in book["batteries"]]
    problems += [f"coordination_quality.{i} is not in the codebook" for i in CALIBRATION
                 if ("coordination_quality", i) not in known]
    if set(book["dataset"]["invited"]) != set(N_BY_COUNTRY):
        problems.append("dataset.invited does not list the same countries as N_BY_COUNTRY")
    if problems:
        raise SystemExit("make_synthetic_data: " + "; ".join(problems))
    return book, items


def background(rng: np.random.Generator) -> pd.DataFrame:
    """Country, policy field, hierarchical level and organisation type per respondent."""
    country = np.repeat(list(N_BY_COUNTRY), list(N_BY_COUNTRY.values()))
    n = len(country)
    field = rng.choice([1, 2, 3], size=n, p=[0.6, 0.2, 0.2])
    level = rng.choice([1, 2, 3], size=n, p=[0.22, 0.42, 0.36])
    org_by_field = {1: [0.55, 0.35, 0.10], 2: [0.25, 0.45, 0.30], 3: [0.30, 0.55, 0.15]}
    org_type = np.empty(n, dtype=int)
    for f, p in org_by_field.items():
        org_type[field == f] = rng.choice([1, 2, 3], size=int((field == f).sum()), p=p)
    return pd.DataFrame({"id": np.arange(1, n + 1), "country": country, "field": field,
                         "level": level, "org_type": org_type})


def calibrate(y: np.ndarray, valid: np.ndarray, group: np.ndarray, share: float) -> None:
    """Shift y within `group` (in place) so that `share` of its valid cases pass CUTS[HIGH]."""
    values = np.sort(y[group & valid])[::-1]
    k = round(float(share) * len(values))
    if k == 0 or k == len(values):
        edge = values[0] + 1.0 if k == 0 else values[-1] - 1.0
    else:
        edge = (values[k - 1] + values[k]) / 2
    y[group] += CUTS[HIGH] - edge


def simulate(book: dict[str, Any], items: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Draw the whole data set (deterministic for a given SEED and codebook)."""
    rng = np.random.default_rng(SEED)
    frame = background(rng)
    n = len(frame)
    profile = np.array([PROFILES[c] for c in frame["country"]])
    level_sign = (2 - frame["level"].to_numpy()).astype(float)  # +1 top, 0, -1 third
    health = (frame["field"].to_numpy() == 2).astype(float)
    z, o = rng.standard_normal(n), rng.standard_normal(n)
    order = list(book["batteries"])
    stop = np.where(rng.random(n) < BREAK_OFF, rng.integers(1, len(order), n), len(order))
    general = {b: rng.standard_normal(n) for b in order}
    is_no = frame["country"].to_numpy() == "NO"
    columns: dict[str, pd.arrays.IntegerArray] = {}
    for battery, item, column in items:
        spec = BATTERIES.get(battery, {"g": 0.4, "mu": 0.3, "dk": 0.03, "level": 0.0,
                                       "health": 0.0}) | ITEMS.get((battery, item), {})
        g, zl, ol = spec["g"], spec.get("z", 0.0), spec.get("o", 0.0)
        noise = np.sqrt(max(1.0 - g**2 - zl**2 - ol**2, 0.1)) * rng.standard_normal(n)
        y = (spec["mu"] + profile @ np.array([spec.get(d, 0.0) for d in DIMS])
             + spec["level"] * level_sign + spec["health"] * health
             + g * general[battery] + zl * z + ol * o + noise)
        dk = rng.random(n) < spec["dk"] * np.where(level_sign < 0, 1.4, 0.8)
        missing = (rng.random(n) < ITEM_MISSING) | (stop <= order.index(battery))
        valid = ~dk & ~missing
        if battery == "coordination_quality" and item in CALIBRATION:
            target_no, target_all = (t / 100 for t in CALIBRATION[item])
            calibrate(y, valid, is_no, target_no)
            hits_no = int((y[is_no & valid] > CUTS[HIGH]).sum())
            rest = int((valid & ~is_no).sum())
            calibrate(y, valid, ~is_no, (target_all * valid.sum() - hits_no) / rest)
        code = 1 + (y[:, None] > CUTS[None, :]).sum(axis=1)
        code = np.where(dk, 8, code)
        columns[column] = pd.array(np.where(missing, 0, code), dtype="Int64")
        columns[column][missing] = pd.NA
    return pd.concat([frame, pd.DataFrame(columns)], axis=1)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "cocops_synthetic.csv")
    parser.add_argument("--codebook", type=Path, default=ROOT / "data" / "codebook.yaml")
    args = parser.parse_args(argv)
    book, items = load_items(args.codebook)
    data = simulate(book, items)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data.to_csv(args.out, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {args.out} ({len(data)} respondents, {data.shape[1]} columns)")


if __name__ == "__main__":
    main()

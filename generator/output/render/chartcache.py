"""The chart cache's keys: a chart picture named by the hash of what it is made of.

A picture is made from its figure's inputs (the chart's data and labels, the
deck's locale, the theme, its size and scale), by the drawing code, through
the renderer (plotly.py, Kaleido, choreographer, the plotly.js bundle the
browser loads, the browser itself). `chart_key` hashes all of these from the
chart's `ChartData`, so a build finds a cached chart without making its figure
or importing Plotly; `figure_key` hashes a figure already made (its JSON), for
pictures that have no `ChartData`. Either names ``<key>.png`` in the cache
folder.

Nothing here is a list kept by hand: the locale is hashed as the messages it
would give, the theme as its fields, the drawing code as the source of the
`generator.charts` package and of every generator module it imports (found by
reading their imports), the renderer as the versions of its packages and the
bytes of the plotly.js bundle, and the browser by its executable's name, size
and modification time (a package manager installs one version with the same
size and time everywhere; asking the browser for its version would take a
second or two).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from functools import cache
from importlib import resources
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

    from generator.charts.data import ChartData
    from generator.core.theme import Theme
    from generator.i18n.locale import DeckLocale

BASIC_PLOTLY_JS = Path(__file__).resolve().parents[2] / "assets" / "plotly-basic.min.js"
DRAWING_PACKAGE = "generator.charts"  # turns ChartData into figures; its imports are followed


def chart_key(data: ChartData, locale: DeckLocale, theme: Theme, scale: float,
              browser: str | None) -> str:
    """The key of the picture of `data` drawn for `locale` with `theme` at `scale` by
    `browser` (its executable): equal keys make equal pictures."""
    fields = {name: getattr(data, name) for name in data.__dataclass_fields__}
    fields["table"] = data.table.to_json(orient="split", double_precision=15)
    return _digest({"chart": fields, "locale": locale_inputs(locale),
                    "theme": dataclasses.asdict(theme), "scale": scale,
                    "drawing code": drawing_code(), "renderer": renderer(browser)})


def figure_key(figure: Figure, width: int, height: int, scale: float,
               browser: str | None) -> str:
    """The key of the picture of a figure already made, from its JSON."""
    from plotly.utils import PlotlyJSONEncoder

    payload = json.dumps(figure.to_plotly_json(), cls=PlotlyJSONEncoder, sort_keys=True)
    return _digest({"figure": payload, "width": width, "height": height, "scale": scale,
                    "renderer": renderer(browser)})


def _digest(inputs: dict) -> str:
    payload = json.dumps(inputs, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def locale_inputs(locale: DeckLocale) -> dict:
    """What a chart takes from its locale: the language and country (numbers, CLDR names,
    as Babel of this version gives them) and the messages (the deck's catalogue's, then
    the shipped catalogues the locale falls back on)."""
    from generator.i18n.catalogue import FALLBACK_LANGUAGE

    shipped = {code: shipped_catalogue_text(code)
               for code in dict.fromkeys([locale.code, locale.language, FALLBACK_LANGUAGE])}
    return {"code": locale.code, "tag": locale.tag, "country": locale.country,
            "babel": package_version("babel"), "shipped": shipped,
            "catalogue": (None if locale.catalogue is None else
                          [locale.catalogue.language, locale.catalogue.messages])}


@cache
def shipped_catalogue_text(code: str) -> str:
    """The text of the package's catalogue for `code` ("" when none), read once per
    process, as `i18n.catalogue.shipped` reads the catalogues the labels come from."""
    path = resources.files("generator.i18n") / "locales" / f"{code}.yaml"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@cache
def package_version(name: str) -> str:
    """An installed package's version, looked up once per process (a lookup reads the
    installed packages' metadata: a few ms, for every chart's key)."""
    return version(name)


@cache
def drawing_code() -> str:
    """Hash of the source of the drawing package and of every generator module it imports,
    directly or not (read from their ``import`` statements; nothing is imported)."""
    root = Path(__file__).resolve().parents[2]  # the generator package
    todo = [DRAWING_PACKAGE]
    seen: dict[str, bytes] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        relative = Path(*name.split(".")[1:])
        package = root / relative / "__init__.py"
        path = package if package.is_file() else root / relative.with_suffix(".py")
        if not path.is_file():
            continue  # a name imported from a module, not a module
        source = seen[name] = path.read_bytes()
        todo += _generator_imports(source, name if path != package else f"{name}.__init__")
        if name == DRAWING_PACKAGE:
            todo += [f"{name}.{module.stem}" for module in path.parent.glob("*.py")]
    digest = hashlib.sha256()
    for name in sorted(seen):
        digest.update(name.encode() + b"\0" + seen[name] + b"\0")
    return digest.hexdigest()


IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)"
                    rb"|import[ \t]+([^\n#]+))", re.MULTILINE)


def _generator_imports(source: bytes, module: str) -> list[str]:
    """The generator modules `source` (of `module`) may import: each ``import`` statement's
    module, and ``from``'s module with each name (a name may be a submodule). Read with a
    pattern, not a parser, which is ten times slower."""
    found = []
    for base, names, plain in IMPORT.findall(source):
        if plain:
            found += [name.split()[0] for name in plain.decode().split(",") if name.strip()]
            continue
        base = base.decode()
        dots = len(base) - len(base.lstrip("."))
        if dots:  # relative: from the module's package
            parent = module.rsplit(".", dots)[0]
            base = f"{parent}.{base[dots:]}" if base[dots:] else parent
        found += [base, *(f"{base}.{name.split()[0]}"
                          for name in names.decode().strip("()").replace("\n", " ").split(",")
                          if name.strip())]
    return [name for name in found if name == "generator" or name.startswith("generator.")]


@cache
def renderer(browser: str | None) -> dict[str, str]:
    """What draws the pictures: package versions, the plotly.js bundle, the browser."""
    bundle = plotly_js_bundle()
    return {"plotly": package_version("plotly"), "kaleido": package_version("kaleido"),
            "choreographer": package_version("choreographer"),
            "plotly.js": hashlib.sha256(bundle.read_bytes()).hexdigest(),
            "browser": browser_identity(browser)}


def browser_identity(browser: str | None) -> str:
    """The browser executable's name, size and modification time ("" when unknown)."""
    if not browser:
        return ""
    try:
        found = os.stat(browser)
    except OSError:
        return ""
    return f"{Path(browser).name} {found.st_size} {int(found.st_mtime)}"


def plotly_js_bundle() -> Path:
    """The plotly.js the browser loads: the shipped basic bundle (bar, scatter, pie: all
    these charts use; a quarter of the full one, so the browser starts about twice as
    fast) when it is the same plotly.js version as plotly.py's own, else plotly.py's full
    bundle. Found by reading both files' first lines, without importing Plotly."""
    plotly = find_spec("plotly")
    assert plotly is not None and plotly.submodule_search_locations
    full = Path(next(iter(plotly.submodule_search_locations))) / "package_data" / "plotly.min.js"
    return BASIC_PLOTLY_JS if bundle_version(BASIC_PLOTLY_JS) == bundle_version(full) else full


def bundle_version(path: Path) -> str | None:
    """The plotly.js version a bundle names in its first lines."""
    with path.open(encoding="utf-8") as bundle:
        found = re.search(r"v(\d+\.\d+\.\d+)", bundle.read(200))
    return found.group(1) if found else None

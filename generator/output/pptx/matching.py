"""Which of the person's slides is which generated slide, for `--update`; only matches
that are certain.

A generated slide is its key (the slide's ``id:``), recorded in the deck's manifest
and in the names of its shapes. A fresh slide is matched to the person's slide
that carried a key:

1. its own key, when the recorded kind and title are the fresh slide's;
2. else another key whose recorded kind and title are the fresh slide's, when no other
   recorded or fresh slide has them: the deck file renamed the slide's id, or swapped
   two slides' ids, and the slide keeps its edits under its new id;
3. else its own key, when no other fresh slide took it in step 2 (the deck file gave
   the slide a new title or type).

What is not certain is left alone and said: two of the person's slides carrying one
key (a copied slide) are neither updated; a slide whose id now names another slide's
content is kept as the person's own (its generated names taken off).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.output.pptx.identity import (
    Manifest,
    SlideRecord,
    identity_of,
    slide_key,
    text_placeholders,
)
from generator.plan.content import SlideContent


@dataclass
class SlidePlan:
    """What an update does with each slide."""

    placed: dict[str, tuple[object, str]] = field(default_factory=dict)
    """Fresh key -> (the person's slide, the key it carried until now)."""
    stays_deleted: list[str] = field(default_factory=list)  # fresh keys the person deleted
    removed: dict[str, object] = field(default_factory=dict)  # key -> slide no longer wanted
    released: dict[str, object] = field(default_factory=dict)  # key -> slide kept as theirs
    unsure: set[str] = field(default_factory=set)  # fresh keys neither updated nor added
    notes: list[str] = field(default_factory=list)  # for the person: what was not certain


def _shape(record: SlideRecord) -> tuple[str, str]:
    return record.kind, record.title


def plan_slides(prs, manifest: Manifest, fresh: Sequence[SlideContent]) -> SlidePlan:
    """How the fresh slides meet the person's slides in `prs` (see the module's rules)."""
    plan = SlidePlan()
    records: dict[str, SlideRecord] = {}
    twice = set()
    for record in manifest.slides:
        if record.key in records:
            twice.add(record.key)
        records.setdefault(record.key, record)
    slides = list(prs.slides)
    carried = Counter(slide_key(s) for s in slides)
    copies = {key for key, n in carried.items() if key is not None and n > 1}
    for key in sorted(copies):
        numbers = [str(i + 1) for i, s in enumerate(slides) if slide_key(s) == key]
        plan.notes.append(
            f"{key}: slides {' and '.join(numbers)} both carry this slide's names (a copied "
            "slide?): neither is updated. Rename the copy's shapes in the Selection Pane, "
            "or delete it, and update again")
    unsure = copies | twice
    found = _find(slides, records, manifest, unsure)

    wanted = [s.key for s in fresh]
    now = {s.key: (s.kind, str(s.title)) for s in fresh}
    source: dict[str, str] = {}
    for key in wanted:  # 1. the same key, the same slide
        if key in records and key not in unsure and _shape(records[key]) == now[key]:
            source[key] = key
    used = set(source.values())
    recorded = Counter(_shape(r) for k, r in records.items() if k not in used)
    fresh_shapes = Counter(now[k] for k in wanted if k not in source)
    for key in wanted:  # 2. the same slide under another key
        if key in source or recorded[now[key]] != 1 or fresh_shapes[now[key]] != 1:
            continue
        old = next(k for k, r in records.items() if k not in used and _shape(r) == now[key])
        if old != key and old not in unsure:
            source[key] = old
            used.add(old)
    for key in wanted:  # 3. the same key, a new title or type
        if key not in source and key in records and key not in used:
            source[key] = key
            used.add(key)

    for key in wanted:
        old = source.get(key)
        if old in unsure or (old is None and key in unsure):
            plan.unsure.add(key)
        elif old is not None and old in found:
            plan.placed[key] = (found[old], old)
        elif old is not None:
            plan.stays_deleted.append(key)
    for key, slide in found.items():
        if key in used:
            continue
        if key in now:
            plan.released[key] = slide
            plan.notes.append(
                f"{key}: the deck file now gives this id to another slide "
                f"({now[key][1]!r}); your slide {records[key].title!r} is kept as yours and "
                "no longer updated")
        else:
            plan.removed[key] = slide
    return plan


def _find(slides: list, records: dict[str, SlideRecord], manifest: Manifest,
          unsure: set[str]) -> dict[str, object]:
    """Key -> the person's slide that carried it.

    Found by the names of its shapes; a slide whose shapes lost their names (a title
    slide saved by LibreOffice, which renames placeholders) by its title when one
    recorded slide alone has it, then by its place after the slide before it."""
    live = {k: r for k, r in records.items() if not r.deleted and k not in unsure}
    order = [r.key for r in manifest.slides if r.key in live]
    found: dict[str, object] = {}
    keys: list[str | None] = []
    unnamed: list[int] = []
    for i, slide in enumerate(slides):
        key = slide_key(slide)
        if key in live:
            found[key] = slide
        keys.append(key if key in live else None)
        if key is None:
            unnamed.append(i)
    titles = Counter(r.title for r in live.values())
    for i in list(unnamed):
        title = slides[i].shapes.title
        text = title.text_frame.text if title is not None else None
        match = next((k for k in order if k not in found and live[k].title == text), None)
        if match is not None and titles[text] == 1:
            found[match], keys[i] = slides[i], match
            unnamed.remove(i)
    for i in unnamed:
        before = next((keys[j] for j in range(i - 1, -1, -1) if keys[j]), None)
        at = order.index(before) + 1 if before in order else 0
        if at < len(order) and order[at] not in found:
            record = live[order[at]]
            if len(record.placeholders) == len(text_placeholders(slides[i])):
                found[record.key], keys[i] = slides[i], record.key
    return found


def release(slide, key: str) -> None:
    """Take the generated names off the shapes of `slide` that carry `key`: the slide is
    the person's own from now on."""
    for shape in slide.shapes:
        ident = identity_of(shape)
        if ident and ident[0] == key:
            shape.name = ident[1]

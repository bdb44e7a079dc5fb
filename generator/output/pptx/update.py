"""Refresh a deck a person has edited: new numbers and texts in, their edits kept.

The build writes a fresh deck as usual; `merge` then carries what changed
into the person's file, shape by shape, found by identity (`identity`):

- a chart picture gets the new image, keeping its position, size and crop;
  a native chart gets the new data (`replace_data`), keeping its colours,
  fonts and chart type; its value labels follow the data;
- generated text the person did not change is regenerated; text they changed
  is kept, with a warning when the generator would now write something else;
- their own shapes and slides stay where they are, as does their slide
  order; slides they deleted stay deleted; slides new in the deck file are
  inserted after the slide that precedes them there.

`open_previous` refuses a file this generator did not make, or made from
another deck file, before anything is rendered or written.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn

from generator.core.errors import InputError, Problem, shown_path
from generator.output.pptx.identity import (
    Manifest,
    ManifestError,
    SlideRecord,
    chart_values,
    fingerprint,
    generated_shapes,
    mark,
    notes_text,
    read_manifest,
    shape_text,
    slide_key,
    write_manifest,
)
from generator.output.pptx.matching import plan_slides, release
from generator.output.pptx.parts import (
    add_shape,
    c_nv_pr,
    copy_slide,
    delete_slide,
    follow_labels,
    import_element,
    layout_for,
    replace_text,
    series_changed,
    shape_kind,
)
from generator.plan.content import SlideContent


@dataclass
class PreviousDeck:
    """The deck to refresh, opened, with the record of what generated it."""

    path: Path
    prs: object
    manifest: Manifest


@dataclass
class UpdateReport:
    """What an update changed and what it kept, in lines for the terminal."""

    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    backup: Path | None = None


def open_previous(path: Path, deck_file: Path, country: str, language: str) -> PreviousDeck:
    """The deck at `path` with its manifest; `InputError` (every problem at once) when it
    is missing, not a deck this generator made, or made from another deck file."""
    hint = "--update refreshes a deck this generator made; to start anew, build without it"
    if not path.is_file():
        raise InputError(Problem("no deck to update here", file=path,
                                 hint="build it first: python -m generator "
                                      f"{shown_path(deck_file)} --output {shown_path(path)}"))
    if not zipfile.is_zipfile(path):
        raise InputError(Problem(
            "not a PowerPoint deck: a .pptx file is a zip package and this file is not one "
            "(an older .ppt, another program's format, or a file cut short)", file=path,
            hint="give --update the .pptx this generator wrote (PowerPoint: Save As "
                 "PowerPoint Presentation)"))
    try:
        prs = Presentation(str(path))
    except Exception:
        raise InputError(Problem(
            "not a PowerPoint deck: a zip package, but without the parts of a presentation "
            "(a Word or Excel file, or another zip?)", file=path, hint=hint)) from None
    try:
        manifest = read_manifest(prs)
    except ManifestError as exc:
        raise InputError(Problem(f"this generator did not make this deck: {exc}", file=path,
                                 hint=hint)) from None
    problems = []
    if manifest.deck_file != deck_file.name:
        beside = deck_file.parent / manifest.deck_file
        made_from = shown_path(beside) if beside.is_file() else (
            f"<path to {manifest.deck_file}>")
        problems.append(Problem(
            f"this deck was made from {manifest.deck_file}, not {deck_file.name}", file=path,
            hint=f"update it with python -m generator {made_from} --update {shown_path(path)}"))
    if (manifest.country, manifest.language) != (country, language):
        problems.append(Problem(
            f"this deck is for {manifest.country}/{manifest.language}; this build is for "
            f"{country}/{language}", file=path,
            hint="give the same --country and --language as when it was built"))
    if problems:
        raise InputError(*problems)
    return PreviousDeck(path, prs, manifest)


def follow_chart_kinds(charted: Sequence[SlideContent], manifest: Manifest) -> None:
    """Each chart stays drawn as the deck has it, a picture or a native chart, unless its
    slide asks for one (`charts:` on the slide; `--charts` is applied by the caller)."""
    records = manifest.by_key()
    for slide in charted:
        record = records.get(slide.key)
        held = record.shapes.get("chart") if record is not None else None
        if held and slide.chart is not None and slide.chart.requested is None:
            slide.chart.native = "chart" in held


# -- copying between the fresh deck and the person's ---------------------------------------


# -- one slide ----------------------------------------------------------------------------

class _SlideUpdate:
    """Carries one generated slide's changes into the person's copy of it."""

    def __init__(self, slide, fresh_slide, record: SlideRecord, fresh_record: SlideRecord,
                 report: UpdateReport) -> None:
        self.slide, self.fresh_slide = slide, fresh_slide
        self.record, self.fresh_record, self.report = record, fresh_record, report
        self.key = fresh_record.key  # the slide's key now; `record.key` until now

    def say(self, text: str) -> None:
        self.report.changed.append(f"{self.key}: {text}")

    def keep(self, text: str) -> None:
        self.report.kept.append(f"{self.key}: {text}")

    def run(self) -> None:
        old = generated_shapes(self.slide, self.record, self.record.key)
        if self.record.key != self.key:
            self.say(f"the same slide as '{self.record.key}' before (its id changed in the "
                     "deck file)")
        fresh = generated_shapes(self.fresh_slide, self.fresh_record, self.key)
        for role, shape in old.items():  # placeholders LibreOffice renamed get their names back
            mark(shape, self.key, role)
        for role in [*fresh, *(r for r in old if r not in fresh)]:
            if role == "slide-number":
                continue  # a field: it numbers itself
            self.shape(role, old.get(role), fresh.get(role), self.record.shapes.get(role))
        self.notes()

    def shape(self, role: str, old, fresh, before: dict | None) -> None:
        if fresh is None:
            if old is not None and (before is None or fingerprint(old) == before):
                old._element.getparent().remove(old._element)
                self.say(f"{role} removed (no longer generated)")
            elif old is not None:
                self.keep(f"{role} you edited, no longer generated: kept")
            return
        if old is None:
            if before is not None:
                self.keep(f"{role} you deleted: not added again")
            else:
                anchor = self.slide.shapes[-1]._element if len(self.slide.shapes) else None
                add_shape(self.slide, fresh._element, self.fresh_slide.part, anchor)
                self.say(f"{role} added")
            return
        kind = shape_kind(old)
        if kind != shape_kind(fresh):
            self.swap(role, old, fresh)
        elif kind == "chart":
            self.native_chart(role, old, fresh, before)
        elif kind == "picture":
            self.picture(role, old, fresh, before)
        else:
            self.text(role, old, fresh, before)

    def text(self, role: str, old, fresh, before: dict | None) -> None:
        current, now = shape_text(old), shape_text(fresh)
        generated = (before or {}).get("text")
        if generated is not None and current != generated:
            if now != generated:
                self.report.warnings.append(
                    f"{self.key} {role}: your text is kept. Generated before: {generated!r}; "
                    f"yours: {current!r}; generated now: {now!r}")
            else:
                self.keep(f"{role} as you wrote it")
            return
        if current == now:
            return
        if shape_kind(old) == "table":
            old_table = old._element.xpath(".//a:tbl")[0]
            old_table.getparent().replace(old_table, import_element(
                fresh._element.xpath(".//a:tbl")[0], self.fresh_slide.part, self.slide.part))
        else:
            replace_text(old.text_frame._txBody, fresh.text_frame._txBody,
                          self.fresh_slide.part, self.slide.part)
        self.say(f"{role} regenerated")

    def alt_text(self, role: str, old, fresh, before: dict | None) -> None:
        old_pr, fresh_pr = c_nv_pr(old._element), c_nv_pr(fresh._element)
        current, now = old_pr.get("descr"), fresh_pr.get("descr")
        if current == now:
            return
        if before is not None and current and current != before.get("alt"):
            self.keep(f"{role} alt text as you wrote it")  # (LibreOffice drops a chart's)
        else:
            old_pr.set("descr", now or "")

    def picture(self, role: str, old, fresh, before: dict | None) -> None:
        current = fingerprint(old).get("picture")
        if before is not None and current != before.get("picture"):
            self.report.warnings.append(f"{self.key} {role}: you replaced the picture; "
                                        "yours is kept, the new one is not placed")
            return
        self.alt_text(role, old, fresh, before)
        if current == fingerprint(fresh).get("picture"):
            return
        _, rid = self.slide.part.get_or_add_image_part(io.BytesIO(fresh.image.blob))
        old._element.xpath("./p:blipFill/a:blip")[0].set(qn("r:embed"), rid)
        self.say(f"{role}: new picture, at your position and size")

    def native_chart(self, role: str, old, fresh, before: dict | None) -> None:
        if series_changed(old.chart, fresh.chart):
            self.swap(role, old, fresh)
            return
        self.alt_text(role, old, fresh, before)
        current = fingerprint(old).get("chart")
        if current == fingerprint(fresh).get("chart"):
            return
        if before is not None and current != before.get("chart"):
            self.report.warnings.append(f"{self.key} {role}: the numbers you typed into the "
                                        "chart are replaced by the data's")
        from pptx.chart.data import CategoryChartData, XyChartData  # loads xlsxwriter

        categories, series = chart_values(fresh.chart)
        if any(len(one) == 3 for one in series):  # an XY chart (a dot plot): x and y
            data = XyChartData()
            for name, ys, xs in series:
                points = data.add_series(name)
                for x, y in zip(xs, ys, strict=True):  # y None: a gap between lines
                    points.add_data_point(x, y)
        else:
            data = CategoryChartData()
            data.categories = categories
            for name, values in series:
                data.add_series(name, values)
        old.chart.replace_data(data)
        follow_labels(old.chart, fresh.chart)
        self.say(f"{role}: new data, your styling kept")

    def swap(self, role: str, old, fresh) -> None:
        """A shape drawn another way now (a chart picture <-> a native chart): the new one
        takes the old one's place and size."""
        element = add_shape(self.slide, fresh._element, self.fresh_slide.part, old._element)
        xfrm = element.xpath("./p:xfrm | ./p:spPr/a:xfrm")
        old_xfrm = old._element.xpath("./p:xfrm | ./p:spPr/a:xfrm")
        if xfrm and old_xfrm:
            for child in list(xfrm[0]):
                xfrm[0].remove(child)
            xfrm[0].extend(copy.deepcopy(list(old_xfrm[0])))
        old._element.getparent().remove(old._element)
        self.say(f"{role}: drawn anew as {shape_kind(fresh)}, in your place and size")

    def notes(self) -> None:
        now = notes_text(self.fresh_slide)
        before = self.record.shapes.get("notes", {}).get("text")
        current = notes_text(self.slide)
        if now is None or current == now:
            return
        if current not in (None, "", before):
            if now != before:
                self.report.warnings.append(
                    f"{self.key} notes: your text is kept. Generated before: {before!r}; "
                    f"yours: {current!r}; generated now: {now!r}")
            return
        replace_text(self.slide.notes_slide.notes_text_frame._txBody,
                      self.fresh_slide.notes_slide.notes_text_frame._txBody,
                      self.fresh_slide.part, self.slide.notes_slide.part)
        self.say("notes regenerated")


# -- the whole deck -----------------------------------------------------------------------

def merge(previous: PreviousDeck, fresh_data: bytes, slides: Sequence[SlideContent]
          ) -> tuple[bytes, UpdateReport]:
    """The person's deck with the fresh deck's changes carried in, as .pptx bytes, and
    what was changed and kept."""
    from generator.output.pptx.writer import normalise_zip

    prs, manifest = previous.prs, previous.manifest
    fresh_prs = Presentation(io.BytesIO(fresh_data))
    fresh_manifest = read_manifest(fresh_prs)
    fresh_slides = {slide_key(s): s for s in fresh_prs.slides}
    fresh_records = fresh_manifest.by_key()
    records = manifest.by_key()
    report = UpdateReport()
    plan = plan_slides(prs, manifest, slides)
    report.warnings += plan.notes
    wanted = [s.key for s in slides]
    for key in wanted:
        if key in plan.placed:
            slide, old_key = plan.placed[key]
            _SlideUpdate(slide, fresh_slides[key], records[old_key], fresh_records[key],
                         report).run()
        elif key in plan.stays_deleted:
            report.kept.append(f"{key}: you deleted this slide; not added again")
    for key, slide in plan.removed.items():
        delete_slide(prs, slide)
        report.changed.append(f"{key}: slide removed (no longer in the deck file)")
    for key, slide in plan.released.items():
        release(slide, key)
    found = {key: slide for key, (slide, _) in plan.placed.items()}
    kinds = {next(s.kind for s in slides if s.key == k): s for k, s in found.items()}
    for position, key in enumerate(wanted):
        if key in found or key in plan.stays_deleted or key in plan.unsure:
            continue
        earlier = [found[k] for k in wanted[:position] if k in found]
        order = list(prs.slides)
        index = order.index(earlier[-1]) + 1 if earlier else 0
        kind = next(s.kind for s in slides if s.key == key)
        model = next((k for k in found if k in fresh_records
                      and fresh_records[k].kind == kind), None)
        like = generated_shapes(found[model], None, model) if model else {}
        found[key] = copy_slide(prs, fresh_slides[key],
                                 layout_for(prs, fresh_slides[key], kind, kinds), index, like)
        report.changed.append(f"{key}: new slide, inserted as slide {index + 1}")
    yours = [i + 1 for i, s in enumerate(prs.slides) if s not in found.values()]
    if yours:
        report.kept.append("your slides kept: " + ", ".join(map(str, yours)))
    user_order = [k for k in (slide_key(s) for s in prs.slides) if k in wanted]
    if user_order != [k for k in wanted if k in user_order]:
        report.kept.append("your slide order kept")

    for record in fresh_manifest.slides:  # what was generated now, for the next update
        record.deleted = record.key in plan.stays_deleted
    write_manifest(prs, fresh_manifest)
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise_zip(buffer.getvalue()), report


def backup_path(target: Path, now: dt.datetime | None = None) -> Path:
    """Where the previous deck is kept: ``<name>.backup-<UTC time>.pptx`` beside it."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    path = target.with_name(f"{target.stem}.backup-{stamp}{target.suffix}")
    n = 2
    while path.exists():
        path = target.with_name(f"{target.stem}.backup-{stamp}-{n}{target.suffix}")
        n += 1
    return path


def keep_backup(target: Path) -> Path:
    """A copy of `target` beside it, written completely before it is given its name."""
    backup = backup_path(target)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}.",
                                     suffix=".bak.tmp", delete=False) as tmp:
        tmp_name = tmp.name
    try:
        shutil.copy2(target, tmp_name)
        os.replace(tmp_name, backup)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return backup

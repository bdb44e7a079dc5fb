"""The package follows the Office Open XML rules PowerPoint is strict about."""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

NS = {
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


def package_problems(path) -> list[str]:
    """Every broken rule found in the .pptx at `path` (empty when it is sound)."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower() for d in types.findall("ct:Default", NS)}
        overrides = {o.get("PartName").lstrip("/") for o in types.findall("ct:Override", NS)}
        for name in names:
            if name.endswith("/") or name == "[Content_Types].xml":
                continue
            if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
                problems.append(f"{name}: no content type")
        for override in overrides - names:
            problems.append(f"{override}: content type for a part that is not there")
        for rels in (n for n in names if n.endswith(".rels")):
            folder = posixpath.dirname(posixpath.dirname(rels))
            seen_ids = set()
            for rel in etree.fromstring(package.read(rels)).findall("rel:Relationship", NS):
                if rel.get("Id") in seen_ids:
                    problems.append(f"{rels}: relationship id {rel.get('Id')} twice")
                seen_ids.add(rel.get("Id"))
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
                target = target.lstrip("/")
                if target not in names:
                    problems.append(f"{rels}: {rel.get('Id')} points at missing {target}")
        for slide in (n for n in names if n.startswith("ppt/slides/slide")
                      and n.endswith(".xml")):
            ids = [e.get("id") for e in etree.fromstring(package.read(slide)).iter(
                f"{{{NS['p']}}}cNvPr")]
            duplicates = {i for i in ids if ids.count(i) > 1}
            if duplicates:
                problems.append(f"{slide}: shape ids {sorted(duplicates)} used twice")
        presentation = etree.fromstring(package.read("ppt/presentation.xml"))
        slide_ids = [int(s.get("id")) for s in presentation.iter(f"{{{NS['p']}}}sldId")]
        if len(set(slide_ids)) != len(slide_ids) or min(slide_ids) < 256:
            problems.append(f"presentation.xml: slide ids {slide_ids} not unique or < 256")
    return problems


def test_shipped_decks_are_sound_packages(built_decks):
    for deck in built_decks.values():
        assert package_problems(deck) == []


def test_the_check_finds_a_broken_relationship(built_decks, tmp_path):
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(built_decks["three"]) as source, \
            zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != "ppt/media/image1.png":
                target.writestr(item, source.read(item.filename))
    problems = package_problems(broken)
    assert any("points at missing ppt/media/image1.png" in p for p in problems)

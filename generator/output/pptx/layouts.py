"""Which of a template's slide layouts each kind of slide uses, found by what the layouts
hold, not by their names (which differ per language and per program).

Five roles: ``title`` (a title and a subtitle, the centred title first), ``content``
(a title and one body), ``two_content`` (a title and two bodies side by side),
``title_only`` (a title and no body) and ``section`` (a section-header layout, else
the title slide's). A layout named as in an English PowerPoint wins its role; the
deck's ``layouts:`` mapping overrides any choice. Each choice says why it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER

from generator.core.errors import InputError, Problem
from generator.core.geometry import Box
from generator.deckfile.yamlsource import nearest

Locate = Callable[[str | None, str, str], Problem]
"""A problem from (the role whose `layouts:` entry is wrong, or None for the template
itself; message; hint)."""

ROLES: dict[str, str] = {  # role -> the layout's name in an English PowerPoint
    "title": "Title Slide", "section": "Section Header", "content": "Title and Content",
    "two_content": "Two Content", "title_only": "Title Only"}
ROLE_OF = {name: role for role, name in ROLES.items()}
DESCRIBED = {"title": "a title and a subtitle", "section": "a section header",
             "content": "a title and one body placeholder",
             "two_content": "a title and two body placeholders side by side",
             "title_only": "a title and no body placeholder"}
TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
LATENT = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}


@dataclass(frozen=True)
class LayoutChoice:
    """The layout a role uses: its place (the slide master's, the layout's in it), its
    name, why it was chosen, and the place of each slot's placeholder among those a new
    slide gets from it (slot 0 the title, 1 and 2 the subtitle or bodies, left to
    right), with their boxes; and the layout's footer and slide-number boxes, if any."""

    role: str
    index: tuple[int, int]
    name: str
    reason: str
    slots: tuple[int, ...]
    boxes: tuple[Box, ...]
    footer: Box | None = None
    number: Box | None = None


def _box(shape) -> Box:
    return Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


@dataclass
class _Layout:
    """What one layout holds, read once."""

    index: tuple[int, int]  # its master's place, its place in that master
    name: str
    kind: str  # the layout's own type attribute (title, obj, secHead, …), or ""
    title: tuple[int, Box, bool] | None  # place, box, centred title
    bodies: list[tuple[int, Box]]
    subtitles: list[tuple[int, Box]]
    others: int  # placeholders of any other kind (pictures, vertical text, …)
    footer: Box | None
    number: Box | None


def _read(index: tuple[int, int], layout) -> _Layout:
    title, bodies, subtitles, others = None, [], [], 0
    footer = number = None
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.FOOTER:
            footer = _box(ph)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            number = _box(ph)
    for place, ph in enumerate(layout.iter_cloneable_placeholders()):
        kind = ph.placeholder_format.type
        vertical = ph.element.ph_orient == "vert"
        if kind in TITLES and title is None and not vertical:
            title = (place, _box(ph), kind == PP_PLACEHOLDER.CENTER_TITLE)
        elif kind in BODIES and not vertical:
            bodies.append((place, _box(ph)))
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            subtitles.append((place, _box(ph)))
        else:
            others += 1
    kind_attr = layout.element.get("type") or ""
    return _Layout(index, layout.name, kind_attr, title, bodies, subtitles, others, footer,
                   number)


def _area(box: Box) -> int:
    return box.width * box.height


def _side_by_side(a: Box, b: Box) -> bool:
    """Two columns: apart, level and of about the same width (not a caption beside a
    picture)."""
    return (a.left + a.width <= b.left or b.left + b.width <= a.left) and \
        abs(a.top - b.top) < max(a.height, b.height) / 10 and \
        min(a.width, b.width) >= 0.75 * max(a.width, b.width)


def _fits(role: str, lay: _Layout, master: int | None = None, named: bool = False
          ) -> tuple | None:
    """How well `lay` serves `role` (larger is better), or None if it cannot; `master`
    is the place of the master the content layout was found in (templates with a title
    master and a content master, as LibreOffice's, keep slides of a kind together).
    A layout `named` for section slides may be any with a title and one other text."""
    if lay.title is None or lay.others:
        return None
    n_bodies, n_subtitles = len(lay.bodies), len(lay.subtitles)
    same = lay.index[0] == master
    high = -lay.title[1].top
    if role == "title" and n_subtitles == 1 and not n_bodies:
        return (lay.title[2], lay.kind == "title", -lay.index[0])
    if role == "section" and (lay.kind == "secHead" or named) and n_bodies + n_subtitles == 1:
        return (same,)
    if role == "content" and n_bodies == 1 and not n_subtitles and lay.kind != "secHead":
        return (lay.kind in ("obj", "tx"), _area(lay.bodies[0][1]))
    if role == "two_content" and n_bodies == 2 and not n_subtitles \
            and _side_by_side(lay.bodies[0][1], lay.bodies[1][1]):
        return (lay.kind == "twoObj", same, high)
    if role == "title_only" and not n_bodies and not n_subtitles:
        return (lay.kind == "titleOnly", same, high)
    return None


def _choice(role: str, lay: _Layout, reason: str) -> LayoutChoice:
    assert lay.title is not None
    rest = sorted(lay.bodies + lay.subtitles, key=lambda p: (p[1].left, p[1].top))
    slots = (lay.title[0], *(place for place, _ in rest))
    boxes = (lay.title[1], *(box for _, box in rest))
    return LayoutChoice(role, lay.index, lay.name, reason, slots, boxes, lay.footer,
                        lay.number)


def choose_layouts(masters: Sequence, chosen: Mapping[str, str], locate: Locate
                   ) -> dict[str, LayoutChoice]:
    """Role -> the layout it uses, from the layouts of the template's slide `masters`
    (python-pptx's) and the deck's `chosen` names (role -> layout name). A role no
    layout can serve, or a chosen name the template lacks or that cannot serve its
    role, is a problem naming the role and the layouts the template has."""
    read = [_read((m, i), layout) for m, master in enumerate(masters)
            for i, layout in enumerate(master.slide_layouts)]
    names = list(dict.fromkeys(lay.name for lay in read))
    found: dict[str, LayoutChoice] = {}
    problems: list[Problem] = []
    master = None
    for role in ("content", "title", "section", "two_content", "title_only"):
        lay, reason = _pick(role, read, chosen.get(role), names, master, problems, locate)
        if lay is not None:
            found[role] = _choice(role, lay, reason)
            master = lay.index[0] if role == "content" else master
    if "section" not in found and "title" in found:
        title = found["title"]
        found["section"] = LayoutChoice(
            "section", title.index, title.name, "no section-header layout: the title "
            "slide's", title.slots, title.boxes, title.footer, title.number)
    if problems:
        raise InputError(*problems)
    return {role: found[role] for role in ROLES}


def _pick(role: str, read: list[_Layout], wanted: str | None, names: list[str],
          master: int | None, problems: list[Problem], locate: Locate
          ) -> tuple[_Layout | None, str]:
    listing = "it has " + ", ".join(repr(n) for n in names)
    if wanted is not None:
        named = [lay for lay in read if lay.name == wanted]
        fitting = [lay for lay in named if _fits(role, lay, master, True) is not None]
        if not named:
            close = nearest(wanted, names)
            problems.append(locate(role, f"the template has no layout named '{wanted}'",
                                   (f"did you mean '{close}'? " if close else "") + listing))
        elif not fitting:
            problems.append(locate(role, f"the layout '{wanted}' does not hold "
                                   f"{DESCRIBED[role]}", f"name one that does; {listing}"))
        return (_best(role, fitting, master), "named in layouts:") if fitting else (None, "")
    exact = [lay for lay in read if lay.name == ROLES[role]
             and _fits(role, lay, master) is not None]
    if exact:
        return _best(role, exact, master), "its name"
    fitting = [lay for lay in read if _fits(role, lay, master) is not None]
    if fitting:
        return _best(role, fitting, master), f"it holds {DESCRIBED[role]}"
    if role != "section":
        problems.append(locate(
            None, f"the template has no slide layout for {role.replace('_', ' ')} slides "
            f"({DESCRIBED[role]})", f"{listing}; add such a layout in the slide master, or "
            f"name one in the deck's layouts: {{{role}: …}}"))
    return None, ""


def _best(role: str, layouts: list[_Layout], master: int | None) -> _Layout:
    """The layout that serves `role` best; the first of equals."""
    return max(layouts, key=lambda lay: (_fits(role, lay, master, True), -lay.index[0],
                                         -lay.index[1]))


def describe(found: Mapping[str, LayoutChoice], types: Mapping[str, str]) -> list[str]:
    """One line per role: the slide types using it, the layout and why (for --check);
    `types` maps a slide type to its role's English layout name."""
    lines = []
    for role, choice in found.items():
        users = [t for t, name in types.items() if ROLE_OF.get(name) == role]
        if users:
            lines.append(f"{', '.join(users)} slides: layout '{choice.name}' "
                         f"({choice.reason})")
    return lines

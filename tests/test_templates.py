"""A user's own template: layouts found by what they hold whatever their names, the
template's geometry, theme colours and fonts on slides and charts, its footer and
slide-number placeholders.

The templates with Norwegian and Google Slides layout names are python-pptx's own
default template with its layouts renamed as those programs name them (we have no
Norwegian PowerPoint or Google Slides export to hand); the LibreOffice one is a real
LibreOffice Impress template saved as .pptx by LibreOffice (tests/fixtures/templates).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, office_convert
from pptx import Presentation
from pptx.util import Emu

from generator.core.contrast import contrast
from generator.core.errors import InputError
from generator.core.theme import DEFAULT_THEME
from generator.layout.brand import TemplateLook, deck_theme, readable_neutral
from generator.output.pptx.branding import contrast_warnings
from generator.run.build import build
from generator.run.options import BuildOptions

LIBREOFFICE = FIXTURES / "templates" / "libreoffice_inspiration.pptx"
NORWEGIAN = {"Title Slide": "Tittellysbilde", "Title and Content": "Tittel og innhold",
             "Section Header": "Inndelingsoverskrift", "Two Content": "To innholdsdeler",
             "Title Only": "Bare tittel", "Comparison": "Sammenligning", "Blank": "Tom"}
GOOGLE = {"Title Slide": "TITLE", "Title and Content": "TITLE_AND_BODY",
          "Section Header": "SECTION_HEADER", "Two Content": "TITLE_AND_TWO_COLUMNS",
          "Title Only": "TITLE_ONLY", "Blank": "BLANK"}


def renamed_template(path: Path, names: dict[str, str], wide: bool = False) -> Path:
    """python-pptx's default template (4:3) with its layouts renamed; `wide`: made 16:9
    by widening the slide and every placeholder."""
    prs = Presentation()
    if wide:
        scale = 16 / 12
        prs.slide_width = Emu(int(prs.slide_width * scale))
        shapes = [s for layout in [prs.slide_master, *prs.slide_layouts]
                  for s in layout.placeholders]
        boxes = [(s.left, s.top, s.width, s.height) for s in shapes]  # before any changes
        for shape, (left, top, width, height) in zip(shapes, boxes, strict=True):
            shape.left, shape.top = int(left * scale), top
            shape.width, shape.height = int(width * scale), height
    for layout in prs.slide_layouts:
        layout.name = names.get(layout.name, layout.name)
    prs.save(str(path))
    return path


def deck_on(tmp_path: Path, template: Path, extra: str = "") -> Path:
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"extends: {(ROOT / 'slides.yaml').as_posix()}\ndeck:\n"
                    f"  template: {template.as_posix()}\n  charts: native\n{extra}",
                    encoding="utf-8")
    return deck


def layout_names(pptx: Path) -> list[str]:
    return [slide.slide_layout.name for slide in Presentation(str(pptx)).slides]


@pytest.mark.parametrize("kind", ["libreoffice", "norwegian", "google"])
def test_the_shipped_deck_builds_on_templates_named_in_any_language(tmp_path, kind):
    template = {"libreoffice": lambda: LIBREOFFICE,
                "norwegian": lambda: renamed_template(tmp_path / "no.pptx", NORWEGIAN),
                "google": lambda: renamed_template(tmp_path / "g.pptx", GOOGLE, wide=True)}[kind]()
    out = tmp_path / "deck.pptx"
    result = build(deck_on(tmp_path, template), BuildOptions(output=out, charts="native"))
    used = layout_names(out)
    expected = {"libreoffice": ("Title Slide", "Title, Content", "Title, 2 Content",
                                "Title Only"),
                "norwegian": ("Tittellysbilde", "Tittel og innhold", "To innholdsdeler",
                              "Bare tittel"),
                "google": ("TITLE", "TITLE_AND_BODY", "TITLE_AND_TWO_COLUMNS", "TITLE_ONLY")
                }[kind]
    # slide 1 is the title slide, 2 bullets, 5 two columns, 9 a chart
    assert [used[0], used[1], used[4], used[8]] == list(expected)
    prs = Presentation(str(out))
    source = Presentation(str(template))
    assert (prs.slide_width, prs.slide_height) == (source.slide_width, source.slide_height)
    chart = next(s for s in prs.slides[8].shapes if s.has_chart)
    assert chart.left + chart.width <= prs.slide_width  # sized to the template's slide
    assert result.slides == 20


def test_check_says_which_layout_each_slide_type_got(tmp_path):
    template = renamed_template(tmp_path / "no.pptx", NORWEGIAN)
    result = build(deck_on(tmp_path, template), BuildOptions(check_only=True))
    notes = "\n".join(result.notes)
    assert "title, closing slides: layout 'Tittellysbilde' (it holds a title and a subtitle)" \
        in notes
    assert "chart, table, image slides: layout 'Bare tittel'" in notes
    assert "section slides: layout 'Inndelingsoverskrift' (it holds a section header)" in notes


def test_a_template_without_a_layout_for_a_slide_type_is_named(tmp_path):
    prs = Presentation()
    layouts = prs.slide_layouts
    for name in ("Two Content", "Comparison"):  # the only layouts with two bodies
        layouts.remove(layouts.get_by_name(name))
    prs.save(str(tmp_path / "narrow.pptx"))
    with pytest.raises(InputError) as caught:
        build(deck_on(tmp_path, tmp_path / "narrow.pptx"), BuildOptions(check_only=True))
    message = str(caught.value.problems[0])
    assert "no slide layout for two content slides" in message
    assert "'Title and Content'" in message and "'Title Only'" in message


def test_a_layouts_mapping_overrides_and_a_wrong_name_gets_did_you_mean(tmp_path):
    template = renamed_template(tmp_path / "no.pptx", NORWEGIAN)
    deck = deck_on(tmp_path, template, "  layouts: {section: Tittellysbilde}\n")
    notes = build(deck, BuildOptions(check_only=True)).notes
    assert any("section slides: layout 'Tittellysbilde' (named in layouts:)" in n
               for n in notes)
    deck = deck_on(tmp_path, template, "  layouts: {title_only: Tittel og innhold}\n")
    with pytest.raises(InputError) as caught:
        build(deck, BuildOptions(check_only=True))
    assert "'Tittel og innhold' does not hold a title and no body placeholder" in str(
        caught.value.problems[0])
    deck = deck_on(tmp_path, template, "  layouts: {title: Tittelysbilde}\n")
    with pytest.raises(InputError) as caught:
        build(deck, BuildOptions(check_only=True))
    problem = caught.value.problems[0]
    assert problem.file == deck and problem.line == 5
    assert "did you mean 'Tittellysbilde'?" in str(problem)


def test_native_charts_carry_the_templates_accent_1_as_a_theme_colour(tmp_path):
    out = tmp_path / "deck.pptx"
    build(deck_on(tmp_path, LIBREOFFICE), BuildOptions(output=out, charts="native"))
    with zipfile.ZipFile(out) as package:
        charts = "".join(package.read(n).decode() for n in package.namelist()
                         if n.startswith("ppt/charts/chart"))
    assert '<a:schemeClr val="accent1"/>' in charts
    assert "0072B2" not in charts  # the built-in theme's blue
    # the comparison: the default grey, which has 3:1 against the template's white already
    greys = set(re.findall(r'<a:srgbClr val="([0-9A-F]{6})"/>', charts)) - {"000000"}
    assert DEFAULT_THEME.neutral == "#8C939D" and contrast("#8C939D", "#FFFFFF") >= 3
    assert "8C939D" in greys


def test_the_templates_footer_and_slide_number_placeholders_are_used(tmp_path):
    out = tmp_path / "deck.pptx"
    build(deck_on(tmp_path, LIBREOFFICE, "  footer: {source: false}\n"),
          BuildOptions(output=out, charts="native"))
    slide = Presentation(str(out)).slides[1]
    numbers = [s for s in slide.placeholders if s.placeholder_format.type == 13]  # sldNum
    assert len(numbers) == 1 and numbers[0].text_frame.text == "2"
    layout_box = next(p for p in slide.slide_layout.placeholders
                      if p.placeholder_format.type == 13)
    assert (numbers[0].left, numbers[0].top) == (layout_box.left, layout_box.top)


def test_the_theme_gives_fonts_and_colours_and_the_deck_can_override_them():
    look = TemplateLook("Georgia", "Verdana", {
        "dk1": "#000000", "lt1": "#FFFFFF", "accent1": "#4F81BD", "accent2": "#C0504D",
        "accent3": "#9BBB59"})
    theme, low = deck_theme(look, None)
    assert (theme.accent, theme.series, theme.title_font, theme.font) == (
        "#4F81BD", ("#4F81BD", "#C0504D", "#9BBB59"), "Georgia", "Verdana")
    assert theme.chart_font.startswith("Verdana, 'Liberation Sans'")
    assert theme.scheme_name("#4f81bd") == "accent1"
    # accent 3 has 2.18:1 against white (WCAG: (1 + 0.05) / (0.432 + 0.05)): named, for
    # decks whose by: charts reach it
    assert [(c.name, c.colour, round(c.ratio, 2)) for c in low] == [
        ("the template's accent 3", "#9BBB59", 2.18)]
    own, _ = deck_theme(look, {"accent": "#123456", "font": "Arial"})
    assert (own.accent, own.font, own.title_font) == ("#123456", "Arial", "Georgia")


def test_a_low_contrast_accent_1_is_a_warning_naming_it():
    _, low = deck_theme(TemplateLook(colours={"lt1": "#FFFFFF", "accent1": "#FFFF00"}), None)

    class Chart:
        class data:
            series = ()

    class Slide:
        chart = Chart()

    warnings = contrast_warnings(low, [Slide()])
    assert len(warnings) == 1
    assert warnings[0].startswith("the template's accent 1 (#FFFF00) has 1.1:1 contrast")


def test_the_neutral_is_darkened_to_three_to_one_only_where_needed():
    assert readable_neutral("#595959", "#FFFFFF", "#000000") == "#595959"  # 7:1 already
    darker = readable_neutral("#A3A9B1", "#FFFFFF", "#000000")
    assert contrast(darker, "#FFFFFF") >= 3 > contrast("#A3A9B1", "#FFFFFF")


@pytest.mark.office
def test_a_libreoffice_template_converted_now_takes_the_shipped_deck(tmp_path, office):
    """A 4:3 template LibreOffice ships, saved as .pptx by LibreOffice at test time."""
    share = Path(office).resolve().parent.parent / "share" / "template" / "common" / "presnt"
    source = share / "Nature_Illustration.otp"
    if not source.is_file():
        pytest.skip("LibreOffice's Impress templates are not installed")
    template = office_convert(office, source, "pptx", tmp_path)
    out = tmp_path / "deck.pptx"
    build(deck_on(tmp_path, template), BuildOptions(output=out, charts="native"))
    prs = Presentation(str(out))
    assert round(prs.slide_width / prs.slide_height, 2) == 1.33
    assert layout_names(out)[1] == "Title, Content"


@pytest.mark.browser
def test_image_charts_take_the_templates_accent(tmp_path, browser, monkeypatch):
    """The template's accent 1 (#4F81BD in LibreOffice's theme) fills the country's bars
    in the picture, not the built-in blue (the font: see the theme test above)."""
    import io

    from PIL import Image

    monkeypatch.setenv("BROWSER_PATH", browser)
    out = tmp_path / "deck.pptx"
    deck = deck_on(tmp_path, LIBREOFFICE)
    deck.write_text(deck.read_text(encoding="utf-8").replace("charts: native",
                                                             "charts: image"), encoding="utf-8")
    build(deck, BuildOptions(output=out, cache_dir=tmp_path / "cache"))
    picture = next(s for s in Presentation(str(out)).slides[14].shapes
                   if s.shape_type == 13)  # the vertical bar chart's picture
    image = Image.open(io.BytesIO(picture.image.blob)).convert("RGB")
    counts = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24)}
    assert counts.get((0x4F, 0x81, 0xBD), 0) > 1000
    assert counts.get((0x00, 0x72, 0xB2), 0) == 0

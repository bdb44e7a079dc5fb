"""One visual theme for slides and charts, so the two always match."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.contrast import contrast


@dataclass(frozen=True)
class Theme:
    """Fonts, sizes and colours. Colours are colour-blind safe (Okabe–Ito, ColorBrewer RdBu)."""

    font: str = "Arial"  # body text (a template's minor font)
    title_font: str = "Arial"  # titles (a template's major font)
    chart_font: str = "Arial, 'Liberation Sans', Helvetica, sans-serif"
    text: str = "#1F2937"
    muted: str = "#5B6472"
    accent: str = "#0072B2"  # the deck's country
    neutral: str = "#8C939D"  # the comparison group: 3.1:1 on white, 4.7:1 under dark text
    reference: str = "#D55E00"  # reference lines
    grid: str = "#E3E6EA"
    background: str = "#FFFFFF"
    band: str = "#0B3C5D"  # title slide band
    # 7 points, from the low end to the high end of a scale
    diverging: tuple[str, ...] = (
        "#B2182B", "#EF8A62", "#FDDBC7", "#E0E0E0", "#D1E5F0", "#67A9CF", "#2166AC")
    non_answer: str = "#BDBDBD"
    # series of a `by:` chart (Okabe–Ito): the accent first
    series: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                               "#D55E00", "#F0E442", "#000000")
    # chart sizes are CSS pixels at the picture's size on a 96-dpi slide
    chart_tick_px: int = 19
    chart_value_px: int = 19
    chart_legend_px: int = 19
    chart_note_px: int = 14
    chart_min_px: int = 14  # no chart text smaller: item labels shrink to fit down to this
    # slide text in points: the size a text has where it fits, and the least it may shrink
    # to (`min_pt` for titles, subtitles, bullets and table cells; `min_small_pt` for
    # captions, footnotes and footers), measured by `textfit`
    cover_title_pt: float = 40
    cover_subtitle_pt: float = 24
    section_title_pt: float = 36
    section_subtitle_pt: float = 22
    title_pt: float = 32
    body_pt: float = 26
    body_max_pt: float = 30  # a short bullet list grows up to this (below the title's size)
    column_pt: float = 24  # bullets in one of two columns
    caption_pt: float = 16
    footnote_pt: float = 12
    footer_pt: float = 11
    table_pt: float = 16  # 14 where the rows are lower than 0.45 in
    notes_pt: float = 12  # speaker notes (not on the slide: never shrunk)
    min_pt: float = 14
    min_small_pt: float = 10
    # a template's theme colours as (hex, scheme name), e.g. ("#4F81BD", "accent1"): a
    # native chart refers to the scheme colour, so recolouring the theme recolours it
    scheme: tuple[tuple[str, str], ...] = ()

    def scheme_name(self, colour: str) -> str | None:
        """The theme colour `colour` is, if it is one (``accent1``)."""
        return next((name for hex_, name in self.scheme if hex_ == colour.upper()), None)


DEFAULT_THEME = Theme()


def diverging_colours(points: int, theme: Theme = DEFAULT_THEME) -> list[str]:
    """`points` colours from low to high, taken evenly from the 7-step palette."""
    palette = theme.diverging
    if points == len(palette):
        return list(palette)
    if points == 1:
        return [palette[len(palette) // 2]]
    step = (len(palette) - 1) / (points - 1)
    return [palette[round(i * step)] for i in range(points)]


def text_on(fill: str, theme: Theme = DEFAULT_THEME) -> str:
    """Text colour readable on a bar of colour `fill`: white or the text colour, whichever
    contrasts more with it."""
    white = "#FFFFFF"
    return white if contrast(white, fill) > contrast(theme.text, fill) else theme.text

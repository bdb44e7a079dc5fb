"""Text that knows its language: a `Phrase` is one or more `Span`s, each tagged.

Every text the planner resolves (deck text, catalogue messages, codebook
labels, CLDR names and numbers) becomes a `Phrase` whose spans carry the BCP 47
tag of the language they are really in, so writers tag each run with it and
the language check can name what is not in the deck's language. A generated
caption that quotes an English codebook label inside a Danish message is one
phrase of three spans: Danish, English, Danish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Span:
    """A run of text in one language (`lang` is a BCP 47 tag such as ``nb-NO``)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Phrase:
    """Text made of spans, each in its own language."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, text: str, lang: str) -> Phrase:
        """All of `text` in one language."""
        return cls((Span(text, lang),) if text else ())

    @classmethod
    def join(cls, parts: Iterable[Phrase | Span], separator: Span | None = None) -> Phrase:
        """The parts one after another, `separator` between them."""
        spans: list[Span] = []
        for i, part in enumerate(parts):
            if i and separator is not None:
                spans.append(separator)
            spans.extend(part.spans if isinstance(part, Phrase) else (part,))
        return cls(tuple(spans)).merged()

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __add__(self, other: Phrase) -> Phrase:
        return Phrase.join([self, other])

    @property
    def languages(self) -> set[str]:
        """The tags of the spans that hold letters (punctuation and numbers have no language)."""
        return {span.lang for span in self.spans if _has_letters(span.text)}

    def merged(self) -> Phrase:
        """Neighbouring spans of one language joined, empty ones dropped. A span without
        letters (a space, a dash, a number) has no language of its own: it joins the
        text before it (or, at the start, after it), so a run is not split for it. A
        quotation mark is the quoting text's (« » in a Norwegian sentence quoting an
        English label): its span keeps its own language."""
        own = [_has_letters(s.text) or _has_quotation_mark(s.text) for s in self.spans]
        worded = [s for s, has in zip(self.spans, own, strict=True) if has]
        spans: list[Span] = []
        for span, has in zip(self.spans, own, strict=True):
            if not span.text:
                continue
            if not has:
                span = Span(span.text, spans[-1].lang if spans else (
                    worded[0].lang if worded else span.lang))
            if spans and spans[-1].lang == span.lang:
                spans[-1] = Span(spans[-1].text + span.text, span.lang)
            else:
                spans.append(span)
        return Phrase(tuple(spans))

    def capitalised(self) -> Phrase:
        """The phrase with its first letter upper case (a label standing alone)."""
        if not self.spans:
            return self
        first = self.spans[0]
        return Phrase((Span(first.text[:1].upper() + first.text[1:], first.lang),
                       *self.spans[1:]))

    def lines(self) -> list[Phrase]:
        """The phrase split at its line breaks, each line keeping its spans' languages."""
        lines: list[list[Span]] = [[]]
        for span in self.spans:
            for i, part in enumerate(span.text.split("\n")):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append(Span(part, span.lang))
        return [Phrase(tuple(line)) for line in lines]

    def strip_end(self, chars: str) -> Phrase:
        """The phrase without `chars` at its end (``rstrip`` across spans)."""
        spans = list(self.spans)
        while spans:
            last = spans[-1]
            kept = last.text.rstrip(chars)
            if kept:
                spans[-1] = Span(kept, last.lang)
                break
            spans.pop()
        return Phrase(tuple(spans))


def same_language(tag: str, language: str) -> bool:
    """Whether a tag (``nb-NO``) is in a language (``nb``, ``nb_NO``): the first subtags agree."""
    return tag.replace("-", "_").split("_")[0] == language.replace("-", "_").split("_")[0]


QUOTATION_MARKS = frozenset("«»‹›“”„‟‘’‚‛「」『』")


@lru_cache(maxsize=4096)
def _has_quotation_mark(text: str) -> bool:
    return any(c in QUOTATION_MARKS for c in text)


@lru_cache(maxsize=16384)
def _has_letters(text: str) -> bool:
    """Whether `text` holds a letter; remembered, as the same labels are joined into
    phrases again and again (a tenth of planning a deck went to asking)."""
    return any(c.isalpha() for c in text)

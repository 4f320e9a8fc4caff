"""The figures a sentence gives ("more than 100,000 Russian troops", "62 minutes"), and where
outlets reporting one event give different ones: what a reader comparing them looks for first.

Pure Python, a pattern over the text (no parse: it runs when a page is drawn). A figure is a
number written in digits and the plural noun (or unit) it counts, the first lower-case word after
it past any names ("Russian") and a few small words; years, dates, clock times and ordinals are
not figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from timeline.extraction.types import Span

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MONTHS = frozenset({
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
})  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.,:/$€£-])([$€£])?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%|(?:\s+(?:thousand|million|"
    r"billion|trillion)\b))?(?![\w:/]|[.,]\d)",
    re.IGNORECASE,
)
_CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\S")
# Words between a number and what it counts: "100,000 or more troops", "62 more minutes".
_BETWEEN = frozenset({
    "more", "or", "and", "than", "additional", "extra", "new", "other", "of", "the", "some",
    "about", "nearly", "roughly",
})  # fmt: skip
# Units and plurals without an s that a number counts.
_UNITS = frozenset({
    "percent", "km", "kilometres", "kilometers", "miles", "mph", "kg", "tonnes", "tons", "people",
    "children", "men", "women", "personnel", "police", "staff", "aircraft",
})  # fmt: skip


@dataclass(frozen=True)
class Figure:
    value: float
    counted: str  # what it counts, lower case: "troops", "percent"
    text: str  # as written, from the number to the counted word: "100,000 Russian troops"
    span: Span  # where, in the text given


def figures_in(text: str) -> list[Figure]:
    """The figures of `text`, in order."""
    found = []
    for match in _NUMBER.finditer(text):
        currency, digits = match.group(1), match.group(2)
        scale = (match.group(3) or "").strip().lower()
        if not currency and _is_date_or_year(text, match.start(), match.end(), digits, scale):
            continue
        value = float(digits.replace(",", "")) * _SCALES.get(scale, 1)
        if currency or scale == "%":
            counted_as = _CURRENCIES.get(currency or "", "percent")
            found.append(Figure(value, counted_as, match.group(0), Span(*match.span())))
            continue
        counted = _counted_after(text, match.end())
        if counted is None:
            continue
        word, end = counted
        found.append(Figure(value, word, text[match.start() : end], Span(match.start(), end)))
    return found


def _counted_after(text: str, position: int) -> tuple[str, int] | None:
    """The plural noun or unit a number counts, and where it ends: the first lower-case word
    after it, past names and small words, within four words."""
    for seen, word in enumerate(_WORD.finditer(text, position)):
        if seen >= 4:
            return None
        token = word.group(0)
        if not token[0].isalpha():
            return None  # "20," "20." "(20)": the number ends its phrase
        lowered = token.lower()
        if token[0].isupper() or lowered in _BETWEEN:
            continue
        if lowered in _UNITS or (lowered.endswith("s") and len(lowered) > 3):
            return lowered, word.end()
        return None
    return None


def _is_date_or_year(text: str, start: int, end: int, digits: str, scale: str) -> bool:
    if scale:
        return False
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 12) : start])
    if before and before[-1].lower() in _MONTHS:
        return True  # "Feb. 20", "February 20"
    after = re.match(r"\s*(?:(st|nd|rd|th)\b|([A-Za-z]+))", text[end : end + 12])
    if after and (after.group(1) or (after.group(2) or "").lower() in _MONTHS):
        return True  # "20th", "20 February"
    number = int(digits) if digits.isdigit() else -1
    return len(digits) == 4 and 1800 <= number <= 2100  # a year


@dataclass(frozen=True)
class Disagreement:
    """One thing outlets give differently: the counted noun ("troops"), or "date"; each version
    as written with the reports that give it."""

    about: str
    versions: tuple[tuple[str, tuple[Hashable, ...]], ...]


def figure_disagreements(
    reports: Sequence[tuple[Hashable, Iterable[Figure]]],
) -> list[Disagreement]:
    """Where the (report, figures) pairs give different values for what they count alike: two
    reports counting one noun with no value in common ("100,000 troops", "130,000 troops"). A
    report that gives one more figure (the troops now, and a year ago) contradicts none."""
    texts: dict[str, dict[float, str]] = defaultdict(dict)
    given: dict[str, dict[Hashable, set[float]]] = defaultdict(dict)
    for report, figures in reports:
        for figure in figures:
            texts[figure.counted].setdefault(figure.value, figure.text)
            given[figure.counted].setdefault(report, set()).add(figure.value)
    found = []
    for counted, by_report in given.items():
        value_sets = list(by_report.values())
        if not any(a.isdisjoint(b) for i, a in enumerate(value_sets) for b in value_sets[i + 1 :]):
            continue
        found.append(
            Disagreement(
                about=counted,
                versions=tuple(
                    (text, tuple(r for r, values in by_report.items() if value in values))
                    for value, text in sorted(texts[counted].items())
                ),
            )
        )
    return found

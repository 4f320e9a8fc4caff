"""The rule table: how a rule is registered, the context a normaliser sees, and the
helpers every rule shares. The rules themselves register from ``rules_calendar`` and
``rules_relative``, in that order (the order breaks ties between equal matches)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from timeline.extraction.dates.vocabulary import NUMBERS, ORDINALS, Tense, TimexType
from timeline.extraction.types import Precision

# --------------------------------------------------------------------------------------------
# Rules: each a pattern and a normaliser from the match to (type, value, resolution)

Resolution = tuple[str, Precision, dt.date, dt.date]


@dataclass
class _Context:
    published: dt.date
    tense: Tense
    in_entity: bool
    state: _DocumentState
    position: int = 0
    future_cue: bool = False  # "until Tuesday", "by Dec. 15": future unless the verb is past
    strong_cue: bool = False  # "payable Dec. 15", "as early as Monday", "planned a rally Sunday"


@dataclass
class _DocumentState:
    """What earlier expressions in the document established ("the quarter" refers back)."""

    quarter: tuple[int, int] | None = None
    quarter_position: int = -10_000
    references: list[tuple[str, dt.date]] = field(default_factory=list)  # dates named so far

    def reference(self, precision: str) -> dt.date | None:
        """The date last named at least as finely as ``precision`` ("that year" after a day)."""
        finer = {"day": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}
        for named, day in reversed(self.references):
            if named in finer[precision]:
                return day
        return None

    def recent_quarter(self, position: int) -> tuple[int, int] | None:
        """The quarter named within the last few sentences, for "a year earlier"."""
        return self.quarter if position - self.quarter_position < 700 else None


@dataclass(frozen=True)
class _Result:
    type: TimexType
    value: str
    resolution: Resolution | None = None


Normaliser = Callable[[re.Match[str], _Context], _Result | None]


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    normalise: Normaliser
    priority: int = 0
    anchor: re.Pattern[str] | None = None
    looks_ahead: bool = False  # the pattern's own edges look past its match ("2009" in "2009-10")

    def windows(self, text: str) -> list[tuple[int, int]]:
        """The stretches of ``text`` worth trying: near the anchor's hits, merged."""
        if self.anchor is None:
            return [(0, len(text))]
        merged: list[tuple[int, int]] = []
        for hit in self.anchor.finditer(text):
            start, end = max(0, hit.start() - _WINDOW), hit.end() + _WINDOW
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        # End each window at a word boundary so no word is cut in two.
        return [(start, _word_end(text, end)) for start, end in merged]


_RULES: list[_Rule] = []


def _rule(
    pattern: str, *, priority: int = 0, edges: bool = True
) -> Callable[[Normaliser], Normaliser]:
    """Register a normaliser for ``pattern``; ``edges=False`` when the pattern sets its own."""

    def register(function: Normaliser) -> Normaliser:
        bounded = rf"(?<![\w$£€-]){pattern}(?![\w%-])" if edges else pattern
        compiled = re.compile(bounded, re.IGNORECASE)
        anchor = _ANCHORS.get(function.__name__)
        compiled_anchor = re.compile(anchor, re.IGNORECASE) if anchor else None
        _RULES.append(_Rule(compiled, function, priority, compiled_anchor, not edges))
        return function

    return register


# A word every match of a rule contains. The rules' own patterns are slow to try at every word
# (optional prefixes, long alternations); they run only near a hit of their anchor.
_MONTH_ANCHOR = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_ANCHORS = {
    "_iso_date": r"\d-[01]\d-",
    "_clock_time": r"\d\s*(?:a\.m|p\.m|am\b|pm\b)|noon|midnight",
    "_month_day": _MONTH_ANCHOR,
    "_month_year": _MONTH_ANCHOR,
    "_week_of": r"\bweek of ",
    "_second_day": r"\b(?:and|or|to|through|until) \d",
    "_month_only": _MONTH_ANCHOR,
    "_weekday": r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day",
    "_deictic_day": r"\b(?:today|yesterday|tomorrow)",
    "_part_of_day": r"\b(?:tonight|night|morning|afternoon|evening|overnight)",
    "_relative_unit": r"\b(?:week|month|year|decade|centur)",
    "_anaphoric": r"\b(?:day|morning|afternoon|evening|night|month|year)",
    "_ago": r"\b(?:ago|earlier|before|later|after)\b",
    "_unit_before": r"\b(?:before|after|earlier|later)\b",
    "_year_range_first": r"\d\d\s?[-–/]\s?\d\d",
    "_year_range_second": r"\d\d\s?[-–/]\s?\d\d",
    "_quarter_rule": r"\b(?:quarter|period)",
    "_year_ago_adjective": r"\byear[- ](?:ago|earlier)",
    "_year_end": r"\byear",
    "_half_rule": r"\b(?:half|quarters)\b",
    "_season_rule": r"\b(?:spring|summer|fall|autumn|winter)",
    "_year_rule": r"\d\d\d\d|nineteen|twenty|thousand",
    "_decade": r"0'?s\b|ties\b",
    "_century": r"centur",
    "_holiday": r"\b(?:thanksgiving|christmas|new year|good friday|easter|election day"
    r"|independence day|memorial day|labor day|halloween)",
    "_present_ref": r"\b(?:now|current|these days|present|moment)",
    "_past_ref": r"\b(?:recent|previous|formerly|past|once upon|ago|last)",
    "_future_ref": r"\b(?:future|soon|term\b|coming|ahead|later date|someday|one day)",
    "_duration": r"\b(?:second|minute|hour|day|week|month|year|decade|centur)",
    "_set": r"\b(?:daily|weekly|monthly|annually|yearly|every)",
}
_WINDOW = 80  # characters either side of an anchor hit: longer than any expression


def _direction(context: _Context, *, present: int = 1, unknown: int = -1) -> int:
    if context.strong_cue or context.tense == "future":
        return 1
    if context.future_cue and context.tense != "past":
        return 1
    if context.tense == "past":
        return -1
    return present if context.tense == "present" else unknown


def _int(text: str) -> int:
    text = text.lower().rstrip(".")
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits[0])
    return ORDINALS.get(text) or NUMBERS.get(text, 0)


def _word_year(text: str) -> int:
    words = re.split(r"[- ]+", text.lower().replace(" and ", " "))
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(NUMBERS.get(w, 0) for w in words[2:])
    century = NUMBERS[words[0]] * 100
    if words[1] == "hundred":
        return century
    return century + sum(NUMBERS.get(w, 0) for w in words[1:])


def _decade_resolution(decade: int) -> Resolution:
    return f"{decade:03d}", "year", dt.date(decade * 10, 1, 1), dt.date(decade * 10 + 9, 12, 31)


def _pack(resolution: Resolution) -> tuple[str, Resolution]:
    return resolution[0], resolution


def _word_end(text: str, position: int) -> int:
    while position < len(text) and (text[position].isalnum() or text[position] in "'.-"):
        position += 1
    return min(position, len(text))

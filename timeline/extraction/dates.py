"""Time expressions in English news text, normalised against the publication date.

``find_time_expressions`` finds expressions with a table of regular-expression rules run over the
text (cheap: one pass per rule, no per-token Python loop) and normalises each to a TimeML TIMEX3
value ("2022-02-07", "2022-W06", "2022-Q1", "PAST_REF", "P3M", …). spaCy's DATE/TIME entities
vouch for the ambiguous words ("May", "March", "fall", bare years) and the dependency parse gives
the tense that decides which way an underspecified date points: "Macron, who visited on Monday" is
the Monday before publication, "Biden is due to call on Monday" the one after.

Conventions, chosen to follow the TimeBank annotation guidelines:
- a weekday that is the publication day's own weekday is the publication day;
- "overnight" is the night before publication: start the evening's date, end the publication date;
- ``ResolvedDate.end`` is the last day covered (Sunday of a week, the 31st of a year) and None
  only for a single day; quarters and seasons have precision "month", decades "year".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, TH, TU, relativedelta

from timeline.extraction.types import Precision, ResolvedDate, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "present", "future", ""]


@dataclass(frozen=True)
class TimeExpression:
    """One temporal expression: where it stands and its TIMEX3 type and value."""

    span: Span
    text: str
    type: TimexType
    value: str
    resolved: ResolvedDate | None
    tense: Tense = ""  # of the verb the expression attaches to; decides past/future readings


# --------------------------------------------------------------------------------------------
# Vocabulary

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a couple of": 2, "a dozen": 12, "half a": 0,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 14 = next Feb
UNIT_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE"}

_MONTH = (
    r"(?:(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b|(?P<mabbr>jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|\b))"
)
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM_WORD = "|".join(sorted((re.escape(n) for n in NUMBERS), key=len, reverse=True))
_NUM = rf"(?P<num>\d+|{_NUM_WORD}|few|several|some|many)"
_ORD_WORD = "|".join(ORDINALS)
_DAYNUM = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{_ORD_WORD})"
_DAY2 = _DAYNUM.replace("<day>", "<day2>")
_MONTH2 = _MONTH.replace("<month>", "<month2>").replace("<mabbr>", "<mabbr2>")
_YEAR4 = r"(?P<year>1[5-9]\d\d|20\d\d)"
_WORD_YEAR = (
    r"(?P<wyear>(?:nineteen|twenty)[- ](?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"
    r"|two thousand(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_PART = r"(?P<part>early|late|mid|the (?:beginning|start|end|middle) of|end of|beginning of)"
_REL = (
    r"(?P<rel>last|this|next|this past|this coming|the past|the last|the previous|the following"
    r"|the coming|the next|the current|the same|that|earlier this|later this|early this|late this"
    r"|early next|late next|early last|late last|mid-?next|mid-?last)"
)

FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "'d"}
FUTURE_HEADS = {
    "due", "set", "expect", "schedule", "plan", "go", "intend", "aim", "prepare", "slate",
    "likely", "hope", "want", "poise", "propose", "threaten", "vow", "promise", "pledge", "agree",
    "seek", "try", "decide", "able", "ready", "need", "have",
}  # fmt: skip
# The governing verb schedules what the date dates: "planned a rally on Saturday".
PLANNING_VERBS = {
    "plan", "schedule", "slate", "postpone", "delay", "adjourn", "reschedule", "expect", "due",
}  # fmt: skip
_FUTURE_CUE = re.compile(
    r"\b(?:(?P<weak>until|till|by|through|starting)|as early as|as soon as|as late as|no later than"
    r"|effective|payable|expires?|expiring|deadline of|scheduled for|set for|planned for|due)"
    r"(?: (?:on|at|in))?\s+$",
    re.IGNORECASE,
)
PRESENT_REF_WORDS = (
    r"right now|now|currently|nowadays|these days|at present|presently|at the moment|current"
)
PAST_REF_WORDS = (
    r"more recently|recently|previously|formerly|in the past|the past|once upon a time"
    r"|recent (?:days|weeks|months|years|times|decades)|past (?:years|decades)"
    r"|the (?:last|past) (?:few|several) (?:days|weeks|months|years|decades)"
    r"|(?:several|many|a few|some) years ago|recent"
)
FUTURE_REF_WORDS = (
    r"the (?:near |distant |foreseeable )?future|future|soon|as soon as possible"
    r"|the (?:near|short|long|medium) term|(?:the )?coming (?:days|weeks|months|years|quarters)"
    r"|(?:the )?days ahead|(?:the )?weeks ahead|(?:the )?months ahead|(?:the )?years ahead"
    r"|a later date|someday|one day"
)


# --------------------------------------------------------------------------------------------
# Date arithmetic


def _week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(day: dt.date, *, end: dt.date | None = None) -> tuple[str, Precision, dt.date, dt.date]:
    return day.isoformat(), "day", day, end or day


def _week(day: dt.date) -> tuple[str, Precision, dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return _week_value(day), "week", monday, monday + dt.timedelta(days=6)


def _month(year: int, month: int) -> tuple[str, Precision, dt.date, dt.date]:
    return f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1), _month_end(year, month)


def _year(year: int) -> tuple[str, Precision, dt.date, dt.date]:
    return f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31)


def _quarter(year: int, quarter: int) -> tuple[str, Precision, dt.date, dt.date]:
    first = 3 * quarter - 2
    start = dt.date(year, first, 1)
    return f"{year:04d}-Q{quarter}", "month", start, _month_end(year, first + 2)


def _half(year: int, half: int) -> tuple[str, Precision, dt.date, dt.date]:
    first = 6 * half - 5
    return f"{year:04d}-H{half}", "month", dt.date(year, first, 1), _month_end(year, first + 5)


def _season(year: int, code: str) -> tuple[str, Precision, dt.date, dt.date]:
    first, last = SEASON_MONTHS[code]
    end = _month_end(year + 1, last - 12) if last > 12 else _month_end(year, last)
    return f"{year:04d}-{code}", "month", dt.date(year, first, 1), end


def _pick_year(month: int, day: int, published: dt.date, direction: int) -> int:
    """The year that puts month/day on the side of publication the tense points to."""
    year = published.year
    candidate = _safe_date(year, month, day)
    if direction < 0 and candidate > published:
        return year - 1
    if direction > 0 and candidate < published:
        return year + 1
    if direction == 0:
        # No tense: the nearest occurrence, which is almost always the intended one.
        before, after = _safe_date(year - 1, month, day), _safe_date(year + 1, month, day)
        nearest = min((candidate, before, after), key=lambda d: abs((d - published).days))
        return nearest.year
    return year


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _nearest_weekday(weekday: int, published: dt.date, direction: int) -> dt.date:
    delta = weekday - published.weekday()
    if delta == 0:
        return published
    if direction > 0:
        return published + dt.timedelta(days=delta % 7)
    return published - dt.timedelta(days=(-delta) % 7)


# --------------------------------------------------------------------------------------------
# Tense of the clause an expression attaches to


def _governing_verb(token: Token) -> Token | None:
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            break
        token = token.head
    root = token.sent.root
    return root if root.pos_ in ("VERB", "AUX") else None


def tense_of(token: Token) -> Tense:
    """Past, present or future for the clause governing ``token`` ("" when there is no verb)."""
    verb = _governing_verb(token)
    if verb is None:
        return ""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in FUTURE_AUX for c in auxes):
        return "future"
    head = verb
    for _ in range(3):  # "was due to hold", "plans to visit", "is expected to meet"
        if head.dep_ not in ("xcomp", "ccomp") or head.head.i == head.i:
            break
        if not any(c.lower_ == "to" for c in head.children):
            break
        head = head.head
        if head.lemma_.lower() in FUTURE_HEADS or (
            head.lemma_ == "be" and head.i + 1 < len(head.doc) and head.nbor().lower_ == "to"
        ):
            return "future"
    if verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.children):
        return "future"
    # The auxiliaries decide first: "was taken" and "has met" are past, "is heard" present.
    if any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes):
        return "past"
    if any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return "present"
    if verb.tag_ in ("VBD", "VBN"):  # "images taken on Wednesday" is past too
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return ""


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


def _rule(pattern: str, *, priority: int = 0) -> Callable[[Normaliser], Normaliser]:
    def register(function: Normaliser) -> Normaliser:
        compiled = re.compile(rf"(?<![\w$£€-]){pattern}(?![\w%-])", re.IGNORECASE)
        anchor = _ANCHORS.get(function.__name__)
        compiled_anchor = re.compile(anchor, re.IGNORECASE) if anchor else None
        _RULES.append(_Rule(compiled, function, priority, compiled_anchor))
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
    "_month_only": _MONTH_ANCHOR,
    "_weekday": r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day",
    "_deictic_day": r"\b(?:today|yesterday|tomorrow)",
    "_part_of_day": r"\b(?:tonight|night|morning|afternoon|evening|overnight)",
    "_relative_unit": r"\b(?:week|month|year|decade|centur)",
    "_anaphoric": r"\b(?:day|morning|afternoon|evening|night|month|year)",
    "_ago": r"\b(?:ago|earlier|before)\b",
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


# Explicit calendar dates ---------------------------------------------------------------------


@_rule(r"(?P<iso>(?:1[5-9]|20)\d\d-[01]\d-[0-3]\d)", priority=3)
def _iso_date(match: re.Match[str], context: _Context) -> _Result | None:
    try:
        day = dt.date.fromisoformat(match["iso"])
    except ValueError:
        return None
    return _Result("DATE", day.isoformat(), _day(day))


@_rule(
    rf"(?:(?P<mdrel>this coming |this past |last |next )?(?:{_WEEKDAY},? (?:the )?)?)?"
    rf"(?:{_MONTH} {_DAYNUM}|{_DAY2} (?:of )?{_MONTH2})"
    rf"(?:,? {_YEAR4})?",
    priority=3,
)
def _month_day(match: re.Match[str], context: _Context) -> _Result | None:
    word = match["month"] or match["mabbr"] or match["month2"] or match["mabbr2"]
    month = MONTHS[word.lower()]
    day = _int(match["day"] or match["day2"])
    if not 1 <= day <= 31:
        return None
    published = context.published
    rel = (match["mdrel"] or "").strip().lower()
    if match["year"]:
        year = int(match["year"])
    elif match["weekday"]:
        # "Saturday, April 25": the nearest year in which that date falls on that weekday.
        weekday = WEEKDAYS[match["weekday"].lower()]
        years = sorted(
            range(published.year - 6, published.year + 7), key=lambda y: abs(y - published.year)
        )
        year = next(
            (y for y in years if _safe_date(y, month, day).weekday() == weekday), published.year
        )
    elif rel in ("last", "this past"):
        year = _pick_year(month, day, published, -1)
    elif rel in ("next", "this coming"):
        year = _pick_year(month, day, published, 1)
    else:
        direction = 0 if context.future_cue else _direction(context, unknown=0)
        year = _pick_year(month, day, published, direction)
        dated_on = match.string[max(0, match.start() - 3) : match.start()].lower() == "on "
        if direction < 0 and context.tense != "" and not dated_on:
            # A past verb rarely dates an event eleven months back without a year; a date a few
            # weeks ahead is a deadline or payment date ("declared a dividend payable Dec. 15").
            # "took place on March 3" still dates the past event itself.
            ahead = _safe_date(year + 1, month, day)
            if (
                0 < (ahead - published).days <= 60
                and (published - _safe_date(year, month, day)).days > 240
            ):
                year = ahead.year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return _Result("DATE", date.isoformat(), _day(date))


@_rule(rf"(?:{_PART}[- ])?{_MONTH},? (?:of )?(?:{_YEAR4}|{_WORD_YEAR})", priority=2)
def _month_year(match: re.Match[str], context: _Context) -> _Result | None:
    year = int(match["year"]) if match["year"] else _word_year(match["wyear"])
    month = MONTHS[(match["month"] or match["mabbr"]).lower()]
    return _Result("DATE", *_pack(_month(year, month)))


_MONTH_PREPOSITION = re.compile(
    r"(?:in|since|until|till|by|from|through|to|during|before|after|of|between|and|or|late|early"
    r"|mid|last|this|next)[ -]$",
    re.IGNORECASE,
)


@_rule(rf"(?:{_REL} |{_PART}[- ])*{_MONTH}(?: (?P<yrel>this|last|next) year)?", priority=1)
def _month_only(match: re.Match[str], context: _Context) -> _Result | None:
    word = (match["month"] or match["mabbr"]).lower()
    month = MONTHS[word]
    rel = (match["rel"] or "").lower()
    before = match.string[max(0, match.start() - 8) : match.start()]
    if not (rel or context.in_entity or _MONTH_PREPOSITION.search(before)):
        return None
    if word in ("may", "march") and not context.in_entity:
        return None  # the modal verb and the verb/noun "march"
    published = context.published
    if match["yrel"]:
        year = published.year + {"this": 0, "last": -1, "next": 1}[match["yrel"].lower()]
    elif rel.endswith("last") or rel in ("the past", "the previous", "this past"):
        year = published.year if month < published.month else published.year - 1
    elif rel.endswith("next") or rel in ("the coming", "this coming", "the following"):
        year = published.year if month > published.month else published.year + 1
    elif rel.endswith("this"):
        year = published.year
    else:
        direction = _direction(context, present=0, unknown=0)
        ahead = (month - published.month) % 12  # months from publication to the next such month
        if direction < 0 and context.strong_cue:
            direction = 0
        if direction < 0 and ahead == 1:
            # As with days: a past verb with next month's name is mostly a scheduled event.
            year = published.year + (month < published.month)
        elif direction < 0:
            year = published.year - (month > published.month)
        elif direction > 0:
            year = published.year + (month < published.month)
        else:
            year = published.year + (month < published.month and ahead <= 6)
            year -= month > published.month and ahead > 6
    return _Result("DATE", *_pack(_month(year, month)))


# Weekdays and days around publication ---------------------------------------------------------


@_rule(
    rf"(?:(?P<wrel>last|this|next|this past|this coming|the previous|the following|early|late"
    rf"|earlier|later) )?{_WEEKDAY}(?:'s)?(?: (?P<tod>morning|afternoon|evening|night))?",
    priority=1,
)
def _weekday(match: re.Match[str], context: _Context) -> _Result | None:
    weekday = WEEKDAYS[match["weekday"].lower()]
    rel = (match["wrel"] or "").lower()
    published = context.published
    if rel in ("last", "this past", "the previous"):
        delta = (published.weekday() - weekday) % 7 or 7
        day = published - dt.timedelta(days=delta)
    elif rel in ("next", "this coming", "the following"):
        delta = (weekday - published.weekday()) % 7 or 7
        day = published + dt.timedelta(days=delta)
    else:
        # "Tuesday's declaration" looks back unless the clause is explicitly future.
        present = -1 if match[0].lower().endswith("'s") else 1
        day = _nearest_weekday(weekday, published, _direction(context, present=present))
    return _Result("DATE", *_pack(_day(day)))


@_rule(
    r"(?:(?P<mod>early|late|earlier|later) )?(?P<deictic>today|yesterday|tomorrow)(?:'s)?"
    r"(?: (?P<tod>morning|afternoon|evening|night))?",
    priority=2,
)
def _deictic_day(match: re.Match[str], context: _Context) -> _Result | None:
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["deictic"].lower()]
    day = context.published + dt.timedelta(days=offset)
    return _Result("DATE", *_pack(_day(day)))


@_rule(r"(?P<tod>tonight|last night|this morning|this afternoon|this evening|overnight)")
def _part_of_day(match: re.Match[str], context: _Context) -> _Result | None:
    text = match["tod"].lower()
    published = context.published
    if text in ("last night", "overnight"):
        # The night before publication: dated by its evening, running into the publication day.
        evening = published - dt.timedelta(days=1)
        return _Result("TIME", f"{evening.isoformat()}TNI", _day(evening, end=published))
    code = {"tonight": "TNI", "this morning": "TMO", "this afternoon": "TAF"}.get(text, "TEV")
    return _Result("TIME", f"{published.isoformat()}{code}", _day(published))


@_rule(
    r"(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am|pm)"
    r"|(?P<noon>noon|midnight))(?:\s+(?:local time|[A-Z]{2,4}T|GMT|UTC))?"
    rf"(?:,?\s+(?:on\s+)?{_WEEKDAY}|\s+(?P<tday>today|yesterday|tomorrow))?",
    priority=2,
)
def _clock_time(match: re.Match[str], context: _Context) -> _Result | None:
    """ "10 p.m. Wednesday", "noon today": a TIME on the day named (else publication day)."""
    if match["noon"]:
        hour, minute = (12, 0) if match["noon"].lower() == "noon" else (0, 0)
    else:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    day = context.published
    if match["weekday"]:
        weekday = WEEKDAYS[match["weekday"].lower()]
        day = _nearest_weekday(weekday, day, _direction(context))
    elif match["tday"]:
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["tday"].lower()]
        day += dt.timedelta(days=offset)
    return _Result("TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}", _day(day))


# Weeks, months, years, quarters relative to publication -----------------------------------------

_RELATIVE_UNIT = (
    r"(?:(?P<pre>earlier|later|early|late|mid|the end of|the beginning of|the start of"
    r"|the middle of|the rest of|the remainder of|end of|beginning of) )?"
    r"(?P<rel2>this|last|next|the past|the last|the previous|the coming|the next|the current"
    r"|this past|this coming|the same|the|that|the following|the full|the fiscal|the current fiscal"
    r"|the latest fiscal|the latest|this fiscal|last fiscal|next fiscal|the calendar)[- ]"
    r"(?P<unit>week|weekend|month|year|decade|century)(?:'s)?"
)


@_rule(_RELATIVE_UNIT, priority=1)
def _relative_unit(match: re.Match[str], context: _Context) -> _Result | None:
    rel = match["rel2"].lower().replace("fiscal", "").replace("calendar", "").strip()
    unit = match["unit"].lower()
    published = context.published
    step = 0
    if rel in ("last", "the past", "the last", "the previous", "this past", "the latest"):
        step = -1
    elif rel in ("next", "the coming", "the next", "this coming", "the following"):
        step = 1
    if rel in ("that", "the same", "the following"):
        return None  # anaphoric: see _anaphoric below
    if unit == "year":
        return _Result("DATE", *_pack(_year(published.year + step)))
    if unit == "month":
        shifted = published + relativedelta(months=step)
        return _Result("DATE", *_pack(_month(shifted.year, shifted.month)))
    if unit in ("week", "weekend"):
        if rel == "the" and unit == "week":
            return None
        shifted = published + dt.timedelta(weeks=step)
        if unit == "weekend":
            if step == 0 and rel == "the" and _direction(context, unknown=-1) < 0:
                shifted -= dt.timedelta(weeks=1)
            value, _, monday, _ = _week(shifted)
            return _Result(
                "DATE",
                f"{value}-WE",
                (
                    f"{value}-WE",
                    "day",
                    monday + dt.timedelta(days=5),
                    monday + dt.timedelta(days=6),
                ),
            )
        return _Result("DATE", *_pack(_week(shifted)))
    if unit == "decade":
        decade = published.year // 10 + step
        return _Result("DATE", f"{decade:03d}", _decade_resolution(decade))
    century = published.year // 100 + step
    return _Result("DATE", f"{century:02d}", None)


_ANAPHORIC_UNITS = {"day": "day", "morning": "day", "afternoon": "day", "evening": "day",
                    "night": "day", "month": "month", "year": "year"}  # fmt: skip


@_rule(
    r"(?:(?P<amod>earlier|later|early|late) )?(?P<adet>that same|that|the same|the following"
    r"|the next|the previous|the preceding) (?P<aunit>day|morning|afternoon|evening|night|month"
    r"|year)",
    priority=2,
)
def _anaphoric(match: re.Match[str], context: _Context) -> _Result | None:
    """ "later that year", "the following month": counted from the date last named."""
    precision = _ANAPHORIC_UNITS[match["aunit"].lower()]
    reference = context.state.reference(precision)
    if reference is None:
        return None
    det = match["adet"].lower()
    step = (
        1
        if det in ("the following", "the next")
        else -1
        if "previous" in det or ("preceding" in det)
        else 0
    )
    if precision == "day":
        return _Result("DATE", *_pack(_day(reference + dt.timedelta(days=step))))
    if precision == "month":
        shifted = reference + relativedelta(months=step)
        return _Result("DATE", *_pack(_month(shifted.year, shifted.month)))
    return _Result("DATE", *_pack(_year(reference.year + step)))


def _decade_resolution(decade: int) -> Resolution:
    return f"{decade:03d}", "year", dt.date(decade * 10, 1, 1), dt.date(decade * 10 + 9, 12, 31)


@_rule(
    rf"(?:(?P<approx>nearly|almost|about|around|roughly|some|more than|less than|over|just over"
    rf"|only) )?{_NUM} (?P<unit>day|week|month|year|decade)s? (?P<dir>ago|earlier|before)",
    priority=2,
)
def _ago(match: re.Match[str], context: _Context) -> _Result | None:
    number = match["num"].lower()
    unit = match["unit"].lower()
    anchor = context.published
    recent = context.state.recent_quarter(context.position)
    if number in ("a", "an", "one") and unit == "year" and recent:
        # "up from $2.03 a share a year earlier" beside a quarter's results: that quarter.
        return _Result("DATE", *_pack(_quarter(recent[0] - 1, recent[1])))
    if match["dir"].lower() != "ago" and (number not in ("a", "an", "one") or unit != "year"):
        return None  # "two days earlier" counts from a date this module does not track
    if number in ("few", "several", "some", "many"):
        return _Result("DATE", "PAST_REF")
    count = _int(number)
    if unit == "day":
        return _Result("DATE", *_pack(_day(anchor - dt.timedelta(days=count))))
    if unit == "week":
        return _Result("DATE", *_pack(_week(anchor - dt.timedelta(weeks=count))))
    if unit == "month":
        shifted = anchor - relativedelta(months=count)
        return _Result("DATE", *_pack(_month(shifted.year, shifted.month)))
    if unit == "decade":
        count *= 10
    return _Result("DATE", *_pack(_year(anchor.year - count)))


_QUARTER_WORD = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current)"


_QUARTER_ENDED = re.compile(
    rf"\s+(?:ended|ending|that ended|which ended|through)\s+(?:on\s+)?{_MONTH}", re.IGNORECASE
)


@_rule(
    r"(?:(?P<qdet>the|its|this|last|next|a|that)\s+)?"
    r"(?:(?P<qyear>(?:1[5-9]|20)\d\d)\s+|(?P<qyrel>this|last|next) year's\s+"
    r"|(?P<ago>year-ago|year-earlier|comparable year-ago|comparable year-earlier|comparable"
    r"|corresponding|same)\s+)?(?:fiscal[- ]|flat |calendar )?"
    rf"(?:{_QUARTER_WORD}[- ](?:fiscal[- ])?)?(?P<qunit>quarter|period)"
    r"(?:\s+(?:of\s+|in\s+)?(?P<qyear2>(?:1[5-9]|20)\d\d))?"
    r"(?P<qago>\s+a year (?:ago|earlier))?",
    priority=1,
)
def _quarter_rule(match: re.Match[str], context: _Context) -> _Result | None:
    published = context.published
    word = (match["q"] or "").lower()
    det = (match["qdet"] or "").lower()
    state = context.state
    explicit_year = int(match["qyear"] or match["qyear2"] or 0)
    vague = match["qunit"].lower() == "period" and not (word or match["ago"] or explicit_year)
    if vague and (det != "the" or not state.quarter):
        return None  # "the period" is a quarter only where quarters are being discussed
    if not (word or match["ago"] or det or explicit_year):
        return None
    year = explicit_year or published.year
    if match["qyrel"]:
        year = published.year + {"this": 0, "last": -1, "next": 1}[match["qyrel"].lower()]
    last_completed = _quarter_of(published - relativedelta(months=3))
    ended = _QUARTER_ENDED.match(match.string, match.end())
    ordinal = _int(word) if word in ORDINALS or word[:1].isdigit() else 0
    if ordinal:
        quarter = ordinal
        if not (explicit_year or match["qyrel"]) and det == "last":
            year -= 1
    elif ended:  # "the quarter ended Sept. 30"
        month = MONTHS[(ended["month"] or ended["mabbr"]).lower()]
        year, quarter = _quarter_of(_safe_date(year, month, 1))
        if not explicit_year and (year, quarter) > _quarter_of(published):
            year -= 1
    elif word == "current" or (det == "this" and not state.quarter):
        year, quarter = _quarter_of(published)
    elif det == "next":
        year, quarter = _quarter_of(published + relativedelta(months=3))
    elif det == "last" and not match["ago"]:
        year, quarter = last_completed
    elif word in ("last", "latest", "final"):
        completed = state.quarter is not None and state.quarter <= last_completed
        year, quarter = state.quarter if completed and state.quarter else last_completed
    elif det in ("the", "its", "this", "that", "a") or match["ago"] or explicit_year:
        # Results are reported for the quarter that has just ended, unless one was named.
        quarter = (state.quarter or last_completed)[1]
        if not explicit_year:
            year = (state.quarter or last_completed)[0]
    else:
        return None
    if match["ago"] or match["qago"]:
        return _Result("DATE", *_pack(_quarter(year - 1, quarter)))
    state.quarter = (year, quarter)
    state.quarter_position = context.position
    return _Result("DATE", *_pack(_quarter(year, quarter)))


@_rule(r"(?P<adj>year-earlier|year-ago|year earlier)", priority=-1)
def _year_ago_adjective(match: re.Match[str], context: _Context) -> _Result | None:
    recent = context.state.recent_quarter(context.position)
    if recent:
        return _Result("DATE", *_pack(_quarter(recent[0] - 1, recent[1])))
    return _Result("DATE", *_pack(_year(context.published.year - 1)))


@_rule(r"(?:by |around |at |before |until )?(?:the )?(?:year[- ]end|year's end|end of the year)")
def _year_end(match: re.Match[str], context: _Context) -> _Result | None:
    return _Result("DATE", *_pack(_year(context.published.year)))


@_rule(
    r"(?:the )?(?P<hword>first|second|last|latter|1st|2nd) half(?: of (?:the year|"
    r"(?P<hyear>(?:1[5-9]|20)\d\d)))?|(?:the )?first two quarters(?: of (?P<hyear2>\d{4}))?",
    priority=1,
)
def _half_rule(match: re.Match[str], context: _Context) -> _Result | None:
    year = int(match["hyear"] or match["hyear2"] or context.published.year)
    half = 2 if (match["hword"] or "first").lower() in ("second", "last", "latter", "2nd") else 1
    return _Result("DATE", *_pack(_half(year, half)))


@_rule(
    r"(?:(?P<srel>last|this|next|this past|this coming|early|late|mid|the|in the|by the|until the"
    r"|during the|in|the early|the late) )?(?P<season>spring|summer|fall|autumn|winter)"
    r"(?: of (?:(?P<syear>(?:1[5-9]|20)\d\d)|(?P<swyear>(?:nineteen|two thousand)[\w -]+)))?",
)
def _season_rule(match: re.Match[str], context: _Context) -> _Result | None:
    code = SEASONS[match["season"].lower()]
    rel = (match["srel"] or "").lower()
    published = context.published
    if match["syear"]:
        return _Result("DATE", *_pack(_season(int(match["syear"]), code)))
    if match["swyear"]:
        try:
            return _Result("DATE", *_pack(_season(_word_year(match["swyear"]), code)))
        except (KeyError, IndexError):
            return None
    if not context.in_entity and rel not in ("last", "this", "next", "this past", "this coming"):
        return None
    year = published.year
    first = SEASON_MONTHS[code][0]
    current = published.month if published.month >= 3 else published.month + 12
    if rel == "this":
        year = published.year - 1 if published.month < 3 and code == "WI" else published.year
    elif rel in ("last", "this past") or (
        rel not in ("next", "this coming") and (_direction(context, unknown=0) < 0)
    ):
        # The latest such season that has already begun before this one.
        year = published.year if first < current else published.year - 1
        if published.month < 3 and code != "WI":
            year = published.year - 1
    elif rel in ("next", "this coming") or _direction(context, unknown=0) > 0:
        year = published.year if first > current else published.year + 1
    elif published.month < 3 and code == "WI":
        year = published.year - 1
    return _Result("DATE", *_pack(_season(year, code)))


# Years, decades and centuries ---------------------------------------------------------------


@_rule(
    rf"(?:(?P<ypre>fiscal|calendar|early|late|mid|the end of|the beginning of|the start of"
    rf"|the middle of|end of|the year|post|pre|the fiscal year|model year)[- ])?"
    rf"(?:{_YEAR4}|(?P<wy>{_WORD_YEAR.replace('?P<wyear>', '')}))(?:'s)?",
)
def _year_rule(match: re.Match[str], context: _Context) -> _Result | None:
    prefix = (match["ypre"] or "").lower()
    if match["year"]:
        if not (context.in_entity or prefix):
            return None
        year = int(match["year"])
    else:
        if not (context.in_entity or prefix.startswith("the year")):
            return None
        year = _word_year(match["wy"])
    return _Result("DATE", *_pack(_year(year)))


@_rule(
    r"(?:(?P<dthe>the) )?(?:(?P<dpart>early|late|mid)[- ])?"
    r"(?:(?P<dec>1[5-9]\d|20\d)0'?s|'(?P<dec2>\d)0s|(?P<dword>twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties))",
    priority=1,
)
def _decade(match: re.Match[str], context: _Context) -> _Result | None:
    if match["dec"]:
        decade = int(match["dec"])
    elif match["dec2"]:
        decade = 190 + int(match["dec2"])
    else:
        if not match["dthe"]:
            return None
        decade = (
            190
            + {"tw": 2, "th": 3, "fo": 4, "fi": 5, "si": 6, "se": 7, "ei": 8, "ni": 9}[
                match["dword"][:2].lower()
            ]
        )
    resolution = _decade_resolution(decade)
    # TimeBank writes a bare decade as "199X" and a part of one ("the early 1990s") as "199".
    value = f"{decade:03d}" if match["dpart"] or match["dword"] else f"{decade:03d}X"
    return _Result("DATE", value, resolution)


@_rule(r"(?:the )?(?P<cent>\d{1,2})(?:st|nd|rd|th) century", priority=1)
def _century(match: re.Match[str], context: _Context) -> _Result | None:
    return _Result("DATE", f"{int(match['cent']) - 1:02d}", None)


# Holidays -------------------------------------------------------------------------------------


def _thanksgiving(year: int) -> dt.date:
    return dt.date(year, 11, 1) + relativedelta(weekday=TH(4))


def _election_day(year: int) -> dt.date:
    return dt.date(year, 11, 2) + relativedelta(weekday=TU(1))


HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "thanksgiving": _thanksgiving,
    "christmas": lambda year: dt.date(year, 12, 25),
    "christmas eve": lambda year: dt.date(year, 12, 24),
    "new year's eve": lambda year: dt.date(year, 12, 31),
    "new year's day": lambda year: dt.date(year, 1, 1),
    "easter": easter,
    "election day": _election_day,
    "independence day": lambda year: dt.date(year, 7, 4),
    "memorial day": lambda year: dt.date(year, 5, 31) + relativedelta(weekday=MO(-1)),
    "labor day": lambda year: dt.date(year, 9, 1) + relativedelta(weekday=MO(1)),
    "good friday": lambda year: easter(year) + relativedelta(weekday=FR(-1)),
    "halloween": lambda year: dt.date(year, 10, 31),
}


@_rule(
    r"(?:(?P<hrel>last|this|next) )?(?P<holiday>thanksgiving|christmas eve|christmas"
    r"|new year's eve|new year's day|good friday|easter|election day|independence day"
    r"|memorial day|labor day|halloween)(?: day)?(?P<hweek> week)?",
    priority=2,
)
def _holiday(match: re.Match[str], context: _Context) -> _Result | None:
    compute = HOLIDAYS[match["holiday"].lower()]
    published = context.published
    rel = (match["hrel"] or "").lower()
    this_year = compute(published.year)
    if rel == "last" or (not rel and _direction(context, unknown=-1) < 0):
        day = this_year if this_year <= published else compute(published.year - 1)
    elif rel == "next" or not rel:
        day = this_year if this_year >= published else compute(published.year + 1)
    else:
        day = this_year
    if match["hweek"]:
        return _Result("DATE", *_pack(_week(day)))
    return _Result("DATE", *_pack(_day(day)))


# Vague references, durations and sets -------------------------------------------------------


@_rule(rf"(?P<ref>{PRESENT_REF_WORDS})", priority=-1)
def _present_ref(match: re.Match[str], context: _Context) -> _Result | None:
    if match["ref"].lower() == "current":
        following = match.string[match.end() : match.end() + 12].lower()
        if re.match(r"\s+(?:account|affairs|event|flow|electric|carrying)", following):
            return None  # not the temporal "current"
        if match.string[max(0, match.start() - 5) : match.start()].lower() == "then ":
            return _Result("DATE", "PAST_REF")
    return _Result("DATE", "PRESENT_REF")


@_rule(rf"(?P<ref>{PAST_REF_WORDS})", priority=-1)
def _past_ref(match: re.Match[str], context: _Context) -> _Result | None:
    return _Result("DATE", "PAST_REF")


@_rule(rf"(?P<ref>{FUTURE_REF_WORDS})", priority=-1)
def _future_ref(match: re.Match[str], context: _Context) -> _Result | None:
    return _Result("DATE", "FUTURE_REF")


@_rule(
    rf"(?:(?:for|over|in|within|during|after) (?:the )?(?:(?:past|last|next|first|coming) )?)?"
    rf"{_NUM}(?:[- ](?P<half>and a half))?[- ](?P<dunit>second|minute|hour|day|week|month|year"
    rf"|decade|century|centuries)s?(?![- ](?:old|ago|earlier|later|before))",
    priority=0,
)
def _duration(match: re.Match[str], context: _Context) -> _Result | None:
    number = match["num"].lower()
    unit = match["dunit"].lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    if number in ("few", "several", "some", "many"):
        count = "X"
    else:
        count = str(_int(number))
        if count == "0":
            return None
    code = {"second": "TS", "minute": "TM", "hour": "TH"}.get(unit)
    if code:
        return _Result("DURATION", f"PT{count}{code[1]}")
    letter = {"day": "D", "week": "W", "month": "M", "year": "Y"}.get(unit)
    if letter is None:
        multiplier = 10 if unit == "decade" else 100
        return _Result("DURATION", f"P{count}Y" if count == "X" else f"P{int(count) * multiplier}Y")
    return _Result("DURATION", f"P{count}{letter}")


@_rule(r"(?P<set>daily|weekly|monthly|annually|yearly|every (?:day|week|month|year))")
def _set(match: re.Match[str], context: _Context) -> _Result | None:
    word = match["set"].lower()
    letter = "D" if "da" in word else "W" if "week" in word else "M" if "month" in word else "Y"
    return _Result("SET", f"P1{letter}")


def _pack(resolution: Resolution) -> tuple[str, Resolution]:
    return resolution[0], resolution


# --------------------------------------------------------------------------------------------
# Public API


def find_time_expressions(doc: Doc | SpacySpan, published: dt.date) -> list[TimeExpression]:
    """Find the time expressions in a parsed Doc (or one sentence of it), in text order.

    Offsets are into the Doc's text. Values follow TimeML TIMEX3; ``resolved`` is set for the
    DATE and TIME values that name calendar days, weeks, months, quarters, seasons or years.
    """
    text = doc.text
    base = doc.start_char if hasattr(doc, "start_char") else 0
    full = doc.doc if hasattr(doc, "doc") else doc
    entities = [
        (e.start_char - base, e.end_char - base) for e in doc.ents if e.label_ in ("DATE", "TIME")
    ]
    candidates: list[tuple[int, int, int, _Rule]] = []
    for rule in _RULES:
        for window_start, window_end in rule.windows(text):
            for match in rule.pattern.finditer(text, window_start, window_end):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), rule.priority, rule))
    # Longest match first, then the more specific rule; keep those that do not overlap.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    taken: list[tuple[int, int, _Rule]] = []
    for start, end, _, rule in candidates:
        if any(start < e and s < end for s, e, _ in taken):
            continue
        taken.append((start, end, rule))
    taken.sort(key=lambda c: c[0])

    state = _DocumentState()
    results: list[TimeExpression] = []
    for start, end, rule in taken:
        match = rule.pattern.match(text, start, end)
        if match is None or match.end() != end:
            continue
        in_entity = any(s < end and start < e for s, e in entities)
        span = full.char_span(start + base, end + base, alignment_mode="expand")
        tense: Tense = ""
        if span is not None and len(span):
            tense = tense_of(span.root)
        cue = _FUTURE_CUE.search(text, max(0, start - 30), start)
        strong_cue = bool(cue and cue["weak"] is None)
        if tense != "future" and span is not None and len(span):
            verb = _governing_verb(span.root)
            if verb is not None and verb.lemma_.lower() in PLANNING_VERBS:
                strong_cue = True
        context = _Context(published, tense, in_entity, state, start + base, bool(cue), strong_cue)
        result = rule.normalise(match, context)
        if result is None:
            continue
        resolved = None
        if result.resolution is not None and result.type in ("DATE", "TIME"):
            _, precision, first, last = result.resolution
            if precision in ("day", "month", "year") and result.value[:1].isdigit():
                state.references.append((precision, first))
            resolved = ResolvedDate(
                start=first,
                end=last if last != first else None,
                precision=precision,
                span=Span(start + base, end + base),
                text=match[0],
                is_scheduled=last >= published and (tense == "future" or first > published),
            )
        results.append(
            TimeExpression(
                Span(start + base, end + base),
                match[0],
                result.type,
                result.value,
                resolved,
                tense,
            )
        )
    return results


# The last few documents' expressions: the pipeline dates every statement's sentence, and one
# pass over the whole document is cheaper (and sees more context) than one per sentence.
_RECENT: list[tuple[Doc, dt.date, list[TimeExpression]]] = []


def document_time_expressions(doc: Doc, published: dt.date) -> list[TimeExpression]:
    """``find_time_expressions`` over the whole document, remembered for the last few docs."""
    for cached_doc, cached_published, found in list(_RECENT):  # a snapshot: threads share it
        if cached_doc is doc and cached_published == published:
            return found
    found = find_time_expressions(doc, published)
    _RECENT.insert(0, (doc, published, found))
    del _RECENT[4:]
    return found


def _word_end(text: str, position: int) -> int:
    while position < len(text) and (text[position].isalnum() or text[position] in "'.-"):
        position += 1
    return min(position, len(text))


def _unit_end(start: dt.date, precision: Precision) -> dt.date:
    if precision == "day":
        return start
    if precision == "week":
        return start + dt.timedelta(days=6)
    if precision == "month":
        return _month_end(start.year, start.month)
    return dt.date(start.year, 12, 31)


def resolve_sentence_date(
    sent: SpacySpan,
    published: dt.date,
    *,
    anchor: Token | None = None,
    expressions: Iterable[TimeExpression] | None = None,
    strict: bool = False,
) -> ResolvedDate:
    """The date of the event a sentence reports, or the publication date as a fallback.

    ``anchor`` (the event's predicate) prefers the expression attached to it: in "Maxar said
    images taken on Wednesday showed …" the date belongs to "taken", not "said". Then come dates
    inside its clause, then dates on the clauses above it (the day it was reported). A date on a
    later conjunct does not carry back ("massed troops, and this week launched drills"), nor does
    a reporting date reach a past perfect ("said on Friday Macron had refused"): with ``strict``
    such unrelated dates give the fallback instead of the nearest date in the sentence. Two
    coordinated day expressions ("on Wednesday and Thursday") make a range; "since 2014" dates a
    state, not an event, and is skipped.
    """
    if expressions is None:
        expressions = document_time_expressions(sent.doc, published)
    doc = sent.doc
    text, base = sent.text, sent.start_char  # Doc.text is rebuilt on every access: avoid it
    inside = [
        e
        for e in expressions
        if e.resolved is not None
        and sent.start_char <= e.span.start < sent.end_char
        and not _SINCE.search(text, max(0, e.span.start - base - 7), e.span.start - base)
    ]
    fallback = ResolvedDate(start=published, end=None, precision="day", span=None, is_fallback=True)
    if not inside:
        return fallback
    head = anchor if anchor is not None else sent.root
    perfect = any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in head.children)

    def distance(expression: TimeExpression) -> tuple[int, int]:
        span = doc.char_span(expression.span.start, expression.span.end, alignment_mode="expand")
        verb = _governing_verb(span.root) if span is not None else None
        if verb is None:
            return (9, expression.span.start)
        if verb == head:
            return (0, expression.span.start)
        if head in verb.ancestors:  # the date sits inside the predicate's clause
            path = _path_deps(verb, head)
            rank = 9 if "conj" in path else 1 + len(path)
            return (rank, expression.span.start)
        if verb in head.ancestors:  # a clause above: the reporting verb, the first conjunct
            rank = 9 if perfect else 4 + len(_path_deps(head, verb))
            return (rank, expression.span.start)
        return (9, expression.span.start)

    ranked = sorted(inside, key=distance)
    best = ranked[0]
    if strict and distance(best)[0] >= 9:
        return fallback
    assert best.resolved is not None
    chosen = best.resolved
    partner = _coordinated(best, inside, text, base)
    if partner is not None and partner.resolved is not None:
        first, second = sorted((chosen, partner.resolved), key=lambda r: r.start)
        chosen = ResolvedDate(
            start=first.start,
            end=second.end or _unit_end(second.start, second.precision),
            precision=first.precision,
            span=Span(
                min(best.span.start, partner.span.start), max(best.span.end, partner.span.end)
            ),
            text=text[
                min(best.span.start, partner.span.start) - base : max(
                    best.span.end, partner.span.end
                )
                - base
            ],
            is_scheduled=first.is_scheduled or second.is_scheduled,
        )
    return chosen


def _path_deps(low: Token, high: Token) -> list[str]:
    """The dependency labels from ``low`` up to (not including) its ancestor ``high``."""
    deps = []
    while low != high and len(deps) < 12:
        deps.append(low.dep_)
        low = low.head
    return deps


_SINCE = re.compile(r"\b(?:since|before|after|until|till)\s+$", re.IGNORECASE)


_RANGE_JOINER = re.compile(r"\s*(?:and|to|through|until|till|-|–|—|or)\s*(?:on\s+)?", re.I)


def _coordinated(
    expression: TimeExpression, others: list[TimeExpression], text: str, base: int
) -> TimeExpression | None:
    for other in others:
        if other is expression or other.resolved is None or expression.resolved is None:
            continue
        if other.resolved.precision != expression.resolved.precision:
            continue
        left, right = sorted((expression, other), key=lambda e: e.span.start)
        if _RANGE_JOINER.fullmatch(text[left.span.end - base : right.span.start - base]):
            return other
    return None

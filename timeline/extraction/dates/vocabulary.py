"""The words and numbers of English dates, the TIMEX3 types, and date arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from timeline.extraction.types import Precision, ResolvedDate, Span

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

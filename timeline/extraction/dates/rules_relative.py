"""Rules for weeks, months, years, quarters and seasons relative to publication,
for years, decades, centuries and holidays, and for vague references, durations and sets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, TH, TU, relativedelta

from timeline.extraction.dates.table import (
    _Context,
    _decade_resolution,
    _direction,
    _int,
    _pack,
    _Result,
    _rule,
    _word_year,
)
from timeline.extraction.dates.vocabulary import (
    _MONTH,
    _NUM,
    _WORD_YEAR,
    _YEAR4,
    FUTURE_REF_WORDS,
    MONTHS,
    ORDINALS,
    PAST_REF_WORDS,
    PRESENT_REF_WORDS,
    SEASON_MONTHS,
    SEASONS,
    _day,
    _half,
    _month,
    _quarter,
    _quarter_of,
    _safe_date,
    _season,
    _week,
    _year,
)

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
        if rel == "the" and _ENDED.match(match.string, match.end()):
            # "revenue for the year ended March 31": a twelve-month stretch closing on that
            # date, which TimeML reads as a duration, not the calendar year.
            return _Result("DURATION", "P1Y")
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


_ENDED = re.compile(r"\s+(?:that |which )?(?:ended|ending|ends|to end)\b", re.IGNORECASE)


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


@_rule(r"(?:earlier|later) in the (?:day|morning|afternoon|evening)", priority=2)
def _in_the_day(match: re.Match[str], context: _Context) -> _Result | None:
    """ "Earlier in the day": the day last named ("on Monday … Earlier in the day, …"), else
    the day of publication."""
    return _Result("DATE", *_pack(_day(context.state.reference("day") or context.published)))


@_rule(
    rf"(?:(?P<approx>nearly|almost|about|around|roughly|some|more than|less than|over|just over"
    rf"|only) )?{_NUM} (?P<unit>day|week|month|year|decade)s? (?:or so )?"
    rf"(?P<dir>ago|earlier|before|later|after)",
    priority=2,
)
def _ago(match: re.Match[str], context: _Context) -> _Result | None:
    """ "two days ago" counts from publication; "two days later" from the date last named."""
    number = match["num"].lower()
    unit = match["unit"].lower()
    direction = match["dir"].lower()
    anchor = context.published
    recent = context.state.recent_quarter(context.position)
    if number in ("a", "an", "one") and unit == "year" and recent and direction != "later":
        # "up from $2.03 a share a year earlier" beside a quarter's results: that quarter.
        return _Result("DATE", *_pack(_quarter(recent[0] - 1, recent[1])))
    if number in ("few", "several", "some", "many"):
        return _Result("DATE", "PAST_REF") if direction == "ago" else None
    if direction in ("before", "after") and not _ENDS_CLAUSE.match(match.string, match.end()):
        return None  # "two days before the vote": counted from an event, not a date
    if direction != "ago" and (unit in ("day", "week") or direction in ("later", "after")):
        # Anaphoric: counted from the date named last, else from publication as TimeBank does.
        # "A year earlier" in results compares with publication's year, not the last date.
        precision = "day" if unit in ("day", "week") else "month" if unit == "month" else "year"
        anchor = context.state.reference(precision) or anchor
    sign = 1 if direction in ("later", "after") else -1
    count = _int(number) * sign
    return _shifted(anchor, unit, count)


def _shifted(anchor: dt.date, unit: str, count: int) -> _Result:
    if unit == "day":
        return _Result("DATE", *_pack(_day(anchor + dt.timedelta(days=count))))
    if unit == "week":
        return _Result("DATE", *_pack(_week(anchor + dt.timedelta(weeks=count))))
    if unit == "month":
        shifted = anchor + relativedelta(months=count)
        return _Result("DATE", *_pack(_month(shifted.year, shifted.month)))
    if unit == "decade":
        count *= 10
    return _Result("DATE", *_pack(_year(anchor.year + count)))


# After "the day before" / "two days after": the clause ends; "after he left" counts from an event.
_ENDS_CLAUSE = re.compile(
    r"\s*(?:$|[,.;:)!?\"'”’—–-]|(?:and|but)\b)",
    re.IGNORECASE,
)


@_rule(
    r"(?:(?P<bpre>on|of) )?the (?P<bunit>day|night|morning|evening|week|month|year) "
    r"(?P<bdir>before|after|earlier|later)",
    priority=2,
)
def _unit_before(match: re.Match[str], context: _Context) -> _Result | None:
    """ "the day before", "the year before": one unit from the date named last."""
    if not _ENDS_CLAUSE.match(match.string, match.end()):
        return None  # "the day before the stock market plunged"
    unit = match["bunit"].lower()
    unit = "day" if unit in ("night", "morning", "evening") else unit
    precision = "day" if unit in ("day", "week") else unit
    anchor = context.state.reference(precision) or context.published
    sign = 1 if match["bdir"].lower() in ("after", "later") else -1
    return _shifted(anchor, unit, sign)


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

# "2009-2010", "1994-95": two years, each its own expression (the patterns set their own edges).
_RANGE_SECOND = r"(?:(?:1[5-9]|20)\d\d|\d\d)(?![\w%-])"


@_rule(
    rf"(?<![\w$£€.,-])(?P<first>(?:1[5-9]|20)\d\d)(?=\s?[-–/]\s?(?P<second>{_RANGE_SECOND}))",
    priority=1,
    edges=False,
)
def _year_range_first(match: re.Match[str], context: _Context) -> _Result | None:
    first = int(match["first"])
    if _range_end(first, match["second"]) is None:
        return None
    return _Result("DATE", *_pack(_year(first)))


@_rule(
    rf"(?:(?<=\d\d\d\d[-–/])|(?<=\d\d\d\d [-–/] ))(?P<second>{_RANGE_SECOND})",
    priority=1,
    edges=False,
)
def _year_range_second(match: re.Match[str], context: _Context) -> _Result | None:
    first_text = re.search(r"(\d{4})\s?[-–/]\s?$", match.string[: match.start()])
    if first_text is None or match.start() - first_text.start() > 7:
        return None
    before = match.string[max(0, first_text.start() - 1) : first_text.start()]
    if before and (before.isalnum() or before in "$£€.,-"):
        return None
    end = _range_end(int(first_text[1]), match["second"])
    return None if end is None else _Result("DATE", *_pack(_year(end)))


def _range_end(first: int, second: str) -> int | None:
    """The range's last year, if the two numbers make a plausible span of years."""
    end = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    return end if 0 < end - first <= 30 else None


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
    # A holiday's week has come once its Monday has: "Easter week began" on the Monday before.
    begun = this_year - dt.timedelta(days=this_year.weekday()) if match["hweek"] else this_year
    if rel == "last" or (not rel and _direction(context, unknown=-1) < 0):
        day = this_year if begun <= published else compute(published.year - 1)
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
    if match["ref"].lower().endswith("past") and _COUNTED.match(match.string, match.end()):
        return None  # "in the past three summers": a stretch of counted units, not the past
    return _Result("DATE", "PAST_REF")


_COUNTED = re.compile(rf"\s+(?!(?:few|several|some|many)\b)(?:{_NUM}|\d+)\s+\w", re.IGNORECASE)


@_rule(
    r"(?:the )?(?:recent (?P<past>weeks|months)|coming (?P<next>weeks|years)"
    r"|(?P<ahead>weeks) ahead)(?! and| or)",
    priority=0,
)
def _vague_span(match: re.Match[str], context: _Context) -> _Result | None:
    # TimeML reads these as stretches of time of unknown length ("PXM"), not as a time before
    # or after now, unlike "recent years" or "coming months" (PAST_REF, FUTURE_REF).
    unit = match["past"] or match["next"] or match["ahead"]
    return _Result("DURATION", f"PX{unit[0].upper()}")


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

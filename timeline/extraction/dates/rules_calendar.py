"""Rules for explicit calendar dates, weekdays, days around publication and clock times."""

from __future__ import annotations

import datetime as dt
import re

from timeline.extraction.dates.table import (
    _RULES,
    _Context,
    _direction,
    _int,
    _pack,
    _Result,
    _rule,
    _word_year,
)
from timeline.extraction.dates.vocabulary import (
    _DAY2,
    _DAYNUM,
    _MONTH,
    _MONTH2,
    _PART,
    _REL,
    _WEEKDAY,
    _WORD_YEAR,
    _YEAR4,
    MONTHS,
    WEEKDAYS,
    _day,
    _month,
    _nearest_weekday,
    _pick_year,
    _safe_date,
    _week,
)

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
        if direction > 0 and context.tense == "present" and not context.strong_cue:
            # "is not linked to the August 7 bombings": a present tense says nothing of the
            # date's side; a day of the last two months is the one meant, not next year's.
            direction = 0
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


_FIRST_OF_PAIR = re.compile(
    rf"{_MONTH} (?P<first>\d{{1,2}})(?:st|nd|rd|th)? (?:and|or|to|through|until) $", re.IGNORECASE
)


@_rule(r"(?P<second>\d{1,2})(?:st|nd|rd|th)?(?!,?\s*\d)", priority=0)
def _second_day(match: re.Match[str], context: _Context) -> _Result | None:
    """ "on April 24 and 25": the second day is a date of the same month, dated as the first."""
    before = _FIRST_OF_PAIR.search(match.string, max(0, match.start() - 24), match.start())
    if before is None:
        return None
    first, second = int(before["first"]), int(match["second"])
    if not first < second <= 31:
        return None
    month = MONTHS[(before["month"] or before["mabbr"]).lower()]
    named = context.state.reference("day")  # the first day, read just before
    if named is None or named.month != month or named.day != first:
        return None
    try:
        date = dt.date(named.year, month, second)
    except ValueError:
        return None
    return _Result("DATE", date.isoformat(), _day(date))


@_rule(rf"the week of (?P<md>{_MONTH} {_DAYNUM}(?:,? {_YEAR4})?)", priority=3)
def _week_of(match: re.Match[str], context: _Context) -> _Result | None:
    """ "a hearing the week of March 6": the week holding that day."""
    rule = next(r for r in _RULES if r.normalise is _month_day)
    inner = rule.pattern.match(match.string, match.start("md"), match.end("md"))
    day = _month_day(inner, context) if inner is not None else None
    if day is None:
        return None
    return _Result("DATE", *_pack(_week(dt.date.fromisoformat(day.value))))


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
        elif context.tense == "" and not context.future_cue:
            # No verb and no cue ("up from $29.75 in March"): news reports what has happened, so
            # the latest such month, except next month's name, which is mostly a schedule.
            year = published.year - (month > published.month and ahead != 1)
            year += month < published.month and ahead == 1
        else:  # a present tense: the nearest such month ("the case is heard in May")
            year = published.year + (month < published.month and ahead <= 6)
            year -= month > published.month and ahead > 6
    return _Result("DATE", *_pack(_month(year, month)))


# Weekdays and days around publication ---------------------------------------------------------


@_rule(
    rf"(?:(?P<wrel>last|this|next|this past|this coming|the previous|the following|early|late"
    rf"|earlier|later|overnight) )?{_WEEKDAY}(?:'s)?(?: (?P<tod>morning|afternoon|evening|night))?",
    priority=1,
)
def _weekday(match: re.Match[str], context: _Context) -> _Result | None:
    weekday = WEEKDAYS[match["weekday"].lower()]
    rel = (match["wrel"] or "").lower()
    published = context.published
    if rel == "the previous":
        # "down from the previous Friday": the one before the day named last, as with "the
        # day before"; before publication when no day was named.
        anchor = context.state.reference("day") or published
        delta = (anchor.weekday() - weekday) % 7 or 7
        day = anchor - dt.timedelta(days=delta)
    elif rel in ("last", "this past"):
        delta = (published.weekday() - weekday) % 7 or 7
        day = published - dt.timedelta(days=delta)
    elif rel in ("next", "this coming", "the following"):
        delta = (weekday - published.weekday()) % 7 or 7
        day = published + dt.timedelta(days=delta)
    elif rel in ("earlier", "later") and (published.weekday() - weekday) % 7 <= 1:
        # "will meet later Monday", "said earlier Monday": the day of writing, which a dated
        # page published in a time zone ahead of the writer's (Asia for a US story) puts on
        # the day before its printed date, never a week away.
        day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
    elif rel == "overnight" and (weekday - published.weekday()) % 7 == 1:
        # "Explosions thundered in Kyiv overnight Saturday" on a page dated Friday: the small
        # hours after the page's date (a US page dated the evening before), not a week ago.
        day = published + dt.timedelta(days=1)
    elif match["tod"] and (published.weekday() - weekday) % 7 == 1:
        # "The council will meet Monday night" on a page dated Tuesday: that night, as the
        # writer's Monday story says, not six days on (which news writes "next Monday").
        day = published - dt.timedelta(days=1)
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
    deictic = match["deictic"].lower()
    following = match.string[match.end() : match.end() + 16]
    if deictic != "yesterday" and not match["tod"]:
        # The generic sense: "today's youth", "the people of tomorrow", "today, the right to work".
        ref = "PRESENT_REF" if deictic == "today" else "FUTURE_REF"
        if match[0].lower().endswith("'s") and _GENERIC_NOUN.match(following):
            return _Result("DATE", ref)
        if match.string[max(0, match.start() - 3) : match.start()].lower() == "of ":
            return _Result("DATE", ref)
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[deictic]
    day = context.published + dt.timedelta(days=offset)
    return _Result("DATE", *_pack(_day(day)))


_GENERIC_NOUN = re.compile(
    r"\s+(?:world|youth|society|generation|children|kids|young|standards|culture|economy"
    r"|technology|families|politics|military|environment|media|teenagers|students)\b",
    re.IGNORECASE,
)


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

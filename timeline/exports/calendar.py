"""Scheduled events as an iCalendar file (RFC 5545), written by the `icalendar` library: all-day
events, each as long as its date is precise (a month-precise meeting spans the month), streamed
one event at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import icalendar
from django.utils import timezone

from timeline.exports.tabular import absolute, site_host
from timeline.exports.text import ics_text
from timeline.models import DatePrecision, Event

PRODID = "-//Crisis Timeline//Scheduled events//EN"


def period(day: dt.date, precision: str) -> tuple[dt.date, dt.date | None]:
    """The first day of the week, month or year `day` stands for, and the day after its last
    (None when that day would be past 9999-12-31, the last a date can be)."""
    try:
        if precision == DatePrecision.YEAR:
            return dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
        if precision == DatePrecision.MONTH:
            first = day.replace(day=1)
            return first, (first + dt.timedelta(days=32)).replace(day=1)
        if precision == DatePrecision.WEEK:
            monday = day - dt.timedelta(days=day.weekday())
            return monday, monday + dt.timedelta(days=7)
        return day, day + dt.timedelta(days=1)
    except (OverflowError, ValueError):
        return day, None


def uid(event: Event) -> str:
    """The same for an event however the calendar was reached (SITE_URL, not the Host header)."""
    return f"event-{event.pk}@{site_host()}"


def vevent(event: Event, *, stamp: dt.datetime) -> icalendar.Event:
    start, _ = period(event.start_date, event.date_precision)
    _, end = period(event.end_date or event.start_date, event.date_precision)
    item = icalendar.Event()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", start)  # a date: an all-day event
    if end is not None:  # without DTEND an all-day event lasts its one day (RFC 5545 §3.6.1)
        item.add("dtend", end)  # exclusive: the day after the last
    item.add("summary", ics_text(event.title))
    item.add("description", ics_text(event.summary))
    item.add("url", absolute(event.get_absolute_url()))
    item.add("categories", [event.category.name])
    if event.place:
        item.add("location", ics_text(event.place))
    if event.date_precision != DatePrecision.DAY:
        item.add("comment", f"Date known only to the {event.date_precision}.")
    return item


def ics_chunks(events: Any, *, title: str) -> Iterator[str]:
    """A calendar of the events: the calendar's lines, then each event as the library writes it."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", ics_text(title))
    head, end = calendar.to_ical().decode("utf-8").rsplit("END:VCALENDAR", 1)
    yield head
    stamp = timezone.now().replace(microsecond=0)
    for event in events.iterator(chunk_size=500):
        yield vevent(event, stamp=stamp).to_ical().decode("utf-8")
    yield "END:VCALENDAR" + end

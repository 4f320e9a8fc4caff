"""Scheduled events as an iCalendar file (RFC 5545): all-day events, one per scheduled event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from timeline.exports.text import ics_text


def _ics_fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out) + "\r\n"


def _ics_date(day: dt.date) -> str:
    # Not strftime: its %Y writes the year 1 as "1", where iCalendar wants four digits.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def ics_chunks(events: Any, *, request: HttpRequest, title: str) -> Iterator[str]:
    """A calendar of the events, its host and URLs from the request, one event at a time."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = request.get_host().split(":")[0]
    yield from map(
        _ics_fold,
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Crisis Timeline//Scheduled events//EN",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{ics_text(title)}",
        ],
    )
    for event in events.iterator(chunk_size=500):
        last_day = event.end_date or event.start_date
        lines = [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(event.start_date)}",
            f"SUMMARY:{ics_text(event.title)}",
            f"DESCRIPTION:{ics_text(event.summary)}",
            f"URL:{request.build_absolute_uri(event.get_absolute_url())}",
            f"CATEGORIES:{ics_text(event.category.name)}",
        ]
        if last_day < dt.date.max:
            # All-day events end on the day after their last (DTEND is exclusive); without
            # one, an all-day event lasts its start day.
            lines.insert(4, f"DTEND;VALUE=DATE:{_ics_date(last_day + dt.timedelta(days=1))}")
        if event.place:
            lines.append(f"LOCATION:{ics_text(event.place)}")
        if event.date_precision != "day":
            lines.append(
                f"COMMENT:{ics_text('Date known only to the ' + event.date_precision + '.')}"
            )
        lines.append("END:VEVENT")
        yield from map(_ics_fold, lines)
    yield _ics_fold("END:VCALENDAR")

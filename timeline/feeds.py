"""Feeds and downloads of the timeline as it is filtered: Atom, CSV, JSON Lines, TimelineJS and
iCalendar. Each takes the same query string as the timeline page (`TimelineView`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from timeline import exports
from timeline.models import Crisis, Event
from timeline.templatetags.timeline import date_label
from timeline.views.timeline import TimelineView

FEED_SIZE = 50


def _view(request: HttpRequest, slug: str) -> TimelineView:
    return TimelineView.from_request(request, get_object_or_404(Crisis, slug=slug))


def _events(view: TimelineView) -> Any:
    return view.events().chronological()


class EventFeed(Feed):
    """The latest events of a crisis (as filtered), newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> TimelineView:  # type: ignore[override]
        return _view(request, slug)

    def title(self, view: TimelineView) -> str:
        return f"{view.crisis.title}: events"

    def subtitle(self, view: TimelineView) -> str:
        return view.crisis.summary

    def link(self, view: TimelineView) -> str:
        return view.url()

    def items(self, view: TimelineView) -> Any:
        return view.events().select_related("category").order_by("-start_date", "-id")[:FEED_SIZE]

    def item_title(self, event: Event) -> str:
        return f"{date_label(event.start_date, event.date_precision)}: {event.title}"

    def item_description(self, event: Event) -> str:
        return event.summary

    def item_pubdate(self, event: Event) -> dt.datetime:
        return event.first_published_at or event.created_at

    def item_updateddate(self, event: Event) -> dt.datetime:
        return event.updated_at

    def item_categories(self, event: Event) -> list[str]:
        return [event.category.name]


def _filename(view: TimelineView, extension: str) -> str:
    return f"{view.crisis.slug}-events.{extension}"


def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return exports.csv_response(_events(view), filename=_filename(view, "csv"), public=True)


def export_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return exports.jsonl_response(_events(view), filename=_filename(view, "jsonl"), public=True)


def export_timelinejs(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return exports.timelinejs_response(
        _events(view),
        title=view.crisis.title,
        text=view.crisis.summary,
        filename=f"{view.crisis.slug}-timelinejs.json",
        public=True,
    )


# iCalendar (RFC 5545) -----------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


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


def ics_chunks(events: Any, *, request: HttpRequest, title: str) -> Iterator[str]:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    host = request.get_host().split(":")[0]
    yield from map(
        _ics_fold,
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Crisis Timeline//Scheduled events//EN",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{_ics_text(title)}",
        ],
    )
    for event in events.iterator(chunk_size=500):
        last_day = event.end_date or event.start_date
        lines = [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.start_date:%Y%m%d}",
            # All-day events end on the day after their last (DTEND is exclusive).
            f"DTEND;VALUE=DATE:{last_day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(event.title)}",
            f"DESCRIPTION:{_ics_text(event.summary)}",
            f"URL:{request.build_absolute_uri(event.get_absolute_url())}",
            f"CATEGORIES:{_ics_text(event.category.name)}",
        ]
        if event.place:
            lines.append(f"LOCATION:{_ics_text(event.place)}")
        if event.date_precision != "day":
            lines.append(
                f"COMMENT:{_ics_text('Date known only to the ' + event.date_precision + '.')}"
            )
        lines.append("END:VEVENT")
        yield from map(_ics_fold, lines)
    yield _ics_fold("END:VCALENDAR")


def export_ics(request: HttpRequest, slug: str) -> HttpResponse:
    view = _view(request, slug)
    events = _events(view).filter(is_scheduled=True).select_related("category")
    response = StreamingHttpResponse(
        (
            chunk.encode("utf-8")
            for chunk in ics_chunks(events, request=request, title=view.crisis.title)
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{view.crisis.slug}-scheduled.ics"'
    return response

"""The reader pages' feed and downloads of a crisis as it is filtered: Atom, CSV, JSON Lines,
TimelineJS and iCalendar. Each takes the same query string as the timeline page (`TimelineView`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from timeline.exports.calendar import ics_chunks
from timeline.exports.events import csv_response, jsonl_response, timelinejs_response
from timeline.exports.tabular import CsvOptions, absolute, download
from timeline.exports.text import xml_text
from timeline.models import Correction, Crisis, Event, EventQuerySet, Status
from timeline.templatetags.timeline import date_label
from timeline.views.timeline import TimelineView

FEED_SIZE = 50
FEED_AUTHOR = "Crisis Timeline editors"


class PlainTextAtom(Atom1Feed):
    """Atom whose summaries are plain text (`type="text"`): a quote holding "<a>" stays words, and
    its line breaks stay line breaks. Django writes every summary as `type="html"`."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class SafeAtom1Feed(PlainTextAtom):
    """Atom with the characters XML cannot carry dropped: one bad title never breaks the feed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *(_xml_safe(a) for a in args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(
            *(_xml_safe(a) for a in args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


class BadFilters(Exception):
    """An export asked with filters that cannot be used: a 400, as the API and the page give."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__()
        self.response = HttpResponseBadRequest(
            "Some filters could not be used, so nothing was exported:\n"
            + "".join(
                f"{key}: {message}\n"
                for key, messages in view.errors.items()
                for message in messages
            ),
            content_type="text/plain; charset=utf-8",
        )


def _view(request: HttpRequest, slug: str) -> TimelineView:
    return TimelineView.from_request(request, get_object_or_404(Crisis, slug=slug))


def _filtered(view: TimelineView) -> EventQuerySet[Event]:
    """The view's events; BadFilters when a filter could not be used (building the filters
    collects their errors)."""
    events = view.events()
    if not view.valid:
        raise BadFilters(view)
    return events


def refuse_bad_filters(export: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The export's answer, or the 400 saying which filters could not be used."""

    @functools.wraps(export)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return export(request, *args, **kwargs)
        except BadFilters as refused:
            return refused.response

    return answer


def _events(view: TimelineView) -> Any:
    return _filtered(view).chronological()


class EventFeed(Feed):
    """The latest events of a crisis (as filtered), newest first."""

    feed_type = SafeAtom1Feed
    # RFC 4287: a feed whose entries name no author names one itself.
    author_name = FEED_AUTHOR

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFilters as refused:
            return refused.response

    def get_object(self, request: HttpRequest, slug: str) -> TimelineView:
        return _view(request, slug)

    def title(self, view: TimelineView) -> str:
        return f"{view.crisis.title}: events"

    def subtitle(self, view: TimelineView) -> str:
        return view.crisis.summary

    def link(self, view: TimelineView) -> str:
        return view.url().removesuffix("?")

    def feed_guid(self, view: TimelineView) -> str:
        # The feed's permanent id: this crisis as filtered, on SITE_URL whatever the Host header.
        return absolute(view.url("timeline:export_feed").removesuffix("?"))

    def author_link(self, view: TimelineView) -> str:
        return absolute("/")

    def items(self, view: TimelineView) -> Any:
        return _filtered(view).select_related("category").order_by("-start_date", "-id")[:FEED_SIZE]

    def item_title(self, event: Event) -> str:
        return f"{date_label(event.start_date, event.date_precision)}: {event.title}"

    def item_description(self, event: Event) -> str:
        return event.summary

    def item_link(self, event: Event) -> str:
        return event.get_absolute_url()

    def item_guid(self, event: Event) -> str:
        return absolute(event.get_absolute_url())

    def item_pubdate(self, event: Event) -> dt.datetime:
        return event.first_published_at or event.created_at

    def item_updateddate(self, event: Event) -> dt.datetime:
        return event.updated_at

    def item_categories(self, event: Event) -> list[str]:
        return [event.category.name]


def _filename(view: TimelineView, extension: str) -> str:
    return f"{view.crisis.slug}-events.{extension}"


@refuse_bad_filters
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return csv_response(
        _events(view),
        filename=_filename(view, "csv"),
        public=True,
        options=CsvOptions.from_params(request.GET),
    )


@refuse_bad_filters
def export_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return jsonl_response(_events(view), filename=_filename(view, "jsonl"), public=True)


@refuse_bad_filters
def export_timelinejs(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    return timelinejs_response(
        _events(view),
        title=view.crisis.title,
        text=view.crisis.summary,
        filename=f"{view.crisis.slug}-timelinejs.json",
        public=True,
    )


@refuse_bad_filters
def export_ics(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    view = _view(request, slug)
    events = _events(view).filter(is_scheduled=True).select_related("category")
    return download(
        ics_chunks(events, title=view.crisis.title),
        content_type="text/calendar; charset=utf-8",
        filename=f"{view.crisis.slug}-scheduled.ics",
    )


class CorrectionFeed(Feed):
    """The public corrections of a crisis's published events and statements, newest first:
    what a reader or a mirror subscribes to so that a fix reaches them."""

    feed_type = SafeAtom1Feed
    author_name = FEED_AUTHOR

    def get_object(self, request: HttpRequest, slug: str) -> Crisis:
        return get_object_or_404(Crisis, slug=slug)

    def title(self, crisis: Crisis) -> str:
        return f"{crisis.title}: corrections"

    def link(self, crisis: Crisis) -> str:
        return crisis.get_absolute_url()

    def feed_guid(self, crisis: Crisis) -> str:
        return absolute(reverse("timeline:export_corrections", args=[crisis.slug]))

    def author_link(self, crisis: Crisis) -> str:
        return absolute("/")

    def items(self, crisis: Crisis) -> Any:
        published = Status.PUBLISHED
        of_crisis = Q(event__crises=crisis, event__status=published) | Q(
            statement__crises=crisis, statement__status=published
        )
        return (
            Correction.objects.filter(of_crisis)
            .select_related("event", "statement__speaker")
            .distinct()
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, correction: Correction) -> str:
        if correction.event is not None:
            return f"Corrected: {correction.event.title}"
        statement = correction.statement
        assert statement is not None
        speaker = statement.speaker.name if statement.speaker else "Unnamed speaker"
        return f"Corrected: {speaker}: “{Truncator(statement.text).chars(80)}”"

    def item_description(self, correction: Correction) -> str:
        changed = [
            f"{field}: “{before}” → “{after}”"
            for field, (before, after) in correction.changes.items()
        ]
        return "\n".join([correction.note, *changed])

    def item_link(self, correction: Correction) -> str:
        if correction.event is not None:
            return correction.event.get_absolute_url()
        return reverse("api:statement-detail", args=[correction.statement_id])

    def item_guid(self, correction: Correction) -> str:
        return absolute(self.item_link(correction)) + f"#correction-{correction.pk}"

    def item_pubdate(self, correction: Correction) -> dt.datetime:
        return correction.created_at

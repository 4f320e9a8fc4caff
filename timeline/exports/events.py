"""Event exports (CSV, JSON Lines, TimelineJS), shared by the API and the reader pages' downloads.

Each exporter takes a filtered Event QuerySet (visibility already applied: `.published()` for
readers) and returns a generator of text chunks, reading the rows `.iterator(chunk_size=…)` with
their actors and citations prefetched chunk by chunk, so memory stays flat however many rows there
are. `*_response()` wraps a generator in a StreamingHttpResponse that downloads as a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html import escape
from typing import Any

from django.db.models import Prefetch
from django.http import StreamingHttpResponse

from timeline.exports.tabular import (
    CITATION_COLUMNS,
    DEFAULT_CSV,
    CsvOptions,
    absolute,
    citation_cells,
    citation_link,
    citation_record,
    csv_document,
    csv_download,
    download,
    jsonl_download,
    outlet_name,
)
from timeline.models import Citation, Event, EventActor, EventPlace, EventQuerySet

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "id",
    "permalink",
    "title",
    "summary",
    "start_date",
    "end_date",
    "date_precision",
    "category",
    "verification",
    "place",
    "places",
    "crises",
    "actors",
    *CITATION_COLUMNS,
    "updated_at",
]


def export_rows(events: EventQuerySet[Event], *, public: bool = False) -> Iterator[Event]:
    """The events with what every exporter needs, read in chunks of CHUNK_SIZE.

    `public`: for readers, whose exports name published actors only (events are filtered by the
    caller; their actors are not).
    """
    # prefetch_related(None) first: with_related() twice would repeat its Prefetch lookups.
    related = events.prefetch_related(None).with_related().prefetch_related("crises")
    if public:
        roles = EventActor.objects.filter(actor__status="published").select_related("actor")
        related = related.prefetch_related(None).prefetch_related(
            Prefetch("roles", queryset=roles),
            Prefetch("citations", queryset=Citation.objects.for_display()),
            Prefetch("place_links", queryset=EventPlace.objects.select_related("place")),
            "crises",
        )
    return related.iterator(chunk_size=CHUNK_SIZE)


def event_record(event: Event) -> dict[str, Any]:
    """One event as plain JSON-ready data, with its actors' roles and its citations."""
    return {
        "id": event.pk,
        "permalink": absolute(event.get_absolute_url()),
        "title": event.title,
        "summary": event.summary,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "date_precision": event.date_precision,
        "category": event.category.slug,
        "verification": event.verification,
        "place": event.place,
        "places": [
            {
                "slug": link.place.slug,
                "name": link.place.name,
                "kind": link.place.kind,
                "latitude": link.place.latitude,
                "longitude": link.place.longitude,
                "confidence": link.confidence,
            }
            for link in event.place_links.all()
        ],
        "status": event.status,
        "crises": [crisis.slug for crisis in event.crises.all()],
        "actors": [
            {"slug": role.actor.slug, "name": role.actor.name, "role": role.role}
            for role in event.roles.all()
        ],
        "citations": [citation_record(citation) for citation in event.citations.all()],
        "updated_at": event.updated_at.isoformat(),
    }


def csv_chunks(
    events: EventQuerySet[Event], *, public: bool = False, options: CsvOptions = DEFAULT_CSV
) -> Iterator[str]:
    """A header line, then one CSV line per event; several citations go one per line in a cell.

    The formula guard and the byte order mark as `options` say (see CSV_OPTIONS_NOTE)."""
    return csv_document(CSV_COLUMNS, map(_csv_row, export_rows(events, public=public)), options)


def _csv_row(event: Event) -> dict[str, Any]:
    record = event_record(event)
    return {
        **record,
        "places": "; ".join(
            f"{p['name']} ({p['latitude']:g}, {p['longitude']:g})" for p in record["places"]
        ),
        "crises": "; ".join(record["crises"]),
        "actors": "; ".join(f"{a['name']} ({a['role']})" for a in record["actors"]),
        **citation_cells(record["citations"]),
    }


def jsonl_chunks(events: EventQuerySet[Event], *, public: bool = False) -> Iterator[str]:
    """One JSON object per line (JSON Lines), as `event_record` makes it."""
    for event in export_rows(events, public=public):
        yield json.dumps(event_record(event), ensure_ascii=False) + "\n"


def _timelinejs_date(day: dt.date, precision: str) -> dict[str, str]:
    # TimelineJS shows only the parts given: a month-precise date must not claim a day.
    date = {"year": str(day.year)}
    if precision != "year":
        date["month"] = str(day.month)
    if precision in ("day", "week"):
        date["day"] = str(day.day)
    return date


def _paragraphs(text: str) -> str:
    """Plain text as the HTML TimelineJS shows: escaped, blank lines between paragraphs, single
    line breaks kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in block.split("\n")) + "</p>"
        for block in blocks
        if block
    )


def _sources_html(event: Event) -> str:
    items = []
    for citation in event.citations.all():
        article = citation.article
        label = f"{outlet_name(article) or article.title}, {article.published_at:%d %b %Y}"
        item = f'<a href="{escape(citation_link(citation))}">{escape(label)}</a>'
        if article.url:
            item += f' (<a href="{escape(article.url)}">at the outlet</a>)'
        items.append(f"<li>{item}</li>")
    return '<p class="sources">Sources:</p><ul>' + "".join(items) + "</ul>" if items else ""


def timelinejs_event(event: Event) -> dict[str, Any]:
    """One event in Knight Lab's TimelineJS format: the summary, then its sources (each linked
    to the cited words in the article's page here), then a link to the event's page.

    TimelineJS reads the headline, text and group as HTML: every value from the data is escaped.
    """
    permalink = absolute(event.get_absolute_url())
    text = (
        _paragraphs(event.summary)
        + _sources_html(event)
        + f'<p><a href="{escape(permalink)}">The event and its citations</a></p>'
    )
    slide: dict[str, Any] = {
        "start_date": _timelinejs_date(event.start_date, event.date_precision),
        "text": {"headline": escape(event.title), "text": text},
        "group": escape(event.category.name),
        "unique_id": f"event-{event.pk}",
    }
    if event.end_date:
        slide["end_date"] = _timelinejs_date(event.end_date, event.date_precision)
    media = _lead_image(event)
    if media:
        slide["media"] = media
    links = list(event.place_links.all())
    if links:
        # The location fields Knight Lab's StoryMapJS slides read (TimelineJS keeps them as
        # they are): the first place named, and every place for a reader that maps them all.
        slide["location"] = _location(links[0])
        slide["locations"] = [_location(link) for link in links]
    return slide


# An outlet's picture: https (as story mode shows it), nothing that could close an attribute.
_HTTPS_IMAGE = re.compile(r"https://[^\s\"'<>]+$")


def _lead_image(event: Event) -> dict[str, str] | None:
    """The first cited article's lead image, as story mode shows it: TimelineJS's slide media."""
    for citation in event.citations.all():
        article = citation.article
        if _HTTPS_IMAGE.match(article.image_url):
            media = {"url": article.image_url, "caption": escape(article.image_caption)}
            media["credit"] = escape(article.image_credit)
            return media
    return None


def _location(link: EventPlace) -> dict[str, Any]:
    place = link.place
    # StoryMapJS shows the name as HTML, like every TimelineJS text.
    return {"name": escape(place.name), "lat": place.latitude, "lon": place.longitude}


def timelinejs_chunks(
    events: EventQuerySet[Event], *, title: str, text: str = "", public: bool = False
) -> Iterator[str]:
    """A TimelineJS document ({"title", "events": […]}), written out one event at a time."""
    heading = {"text": {"headline": escape(title), "text": _paragraphs(text)}}
    yield '{"title": ' + json.dumps(heading, ensure_ascii=False) + ', "events": ['
    for n, event in enumerate(export_rows(events, public=public)):
        yield ("," if n else "") + "\n" + json.dumps(timelinejs_event(event), ensure_ascii=False)
    yield "\n]}\n"


def geojson_feature(event: Event) -> dict[str, Any] | None:
    """One event as a GeoJSON Feature: a Point at its place, a MultiPoint at several; None for
    an event with no place. Coordinates are [longitude, latitude], as RFC 7946 orders them."""
    record = event_record(event)
    points = [[p["longitude"], p["latitude"]] for p in record["places"]]
    if not points:
        return None
    geometry: dict[str, Any] = (
        {"type": "Point", "coordinates": points[0]}
        if len(points) == 1
        else {"type": "MultiPoint", "coordinates": points}
    )
    properties = {k: v for k, v in record.items() if k != "citations"}
    properties["category_colour"] = event.category.colour
    properties["url"] = event.get_absolute_url()
    return {"type": "Feature", "id": event.pk, "geometry": geometry, "properties": properties}


def geojson_chunks(events: EventQuerySet[Event], *, public: bool = False) -> Iterator[str]:
    """A GeoJSON FeatureCollection of the events that have a place, one Feature at a time."""
    yield '{"type": "FeatureCollection", "features": ['
    n = 0
    for event in export_rows(events, public=public):
        feature = geojson_feature(event)
        if feature is not None:
            yield ("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False)
            n += 1
    yield "\n]}\n"


def csv_response(
    events: EventQuerySet[Event],
    *,
    filename: str = "events.csv",
    public: bool = False,
    options: CsvOptions = DEFAULT_CSV,
) -> StreamingHttpResponse:
    return csv_download(csv_chunks(events, public=public, options=options), filename=filename)


def jsonl_response(
    events: EventQuerySet[Event], *, filename: str = "events.jsonl", public: bool = False
) -> StreamingHttpResponse:
    return jsonl_download(jsonl_chunks(events, public=public), filename=filename)


def timelinejs_response(
    events: EventQuerySet[Event],
    *,
    title: str,
    text: str = "",
    filename: str = "timeline.json",
    public: bool = False,
) -> StreamingHttpResponse:
    return download(
        timelinejs_chunks(events, title=title, text=text, public=public),
        content_type="application/json; charset=utf-8",
        filename=filename,
    )


def geojson_response(
    events: EventQuerySet[Event], *, filename: str = "events.geojson", public: bool = False
) -> StreamingHttpResponse:
    return download(
        geojson_chunks(events, public=public),
        content_type="application/geo+json; charset=utf-8",
        filename=filename,
    )

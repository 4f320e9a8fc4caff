"""Event exports (CSV, JSON Lines, TimelineJS), shared by the API and the reader pages' downloads.

Each exporter takes a filtered Event QuerySet (visibility already applied: `.published()` for
readers) and returns a generator of text chunks, reading the rows `.iterator(chunk_size=…)` with
their actors and citations prefetched chunk by chunk, so memory stays flat however many rows there
are. `*_response()` wraps a generator in a StreamingHttpResponse that downloads as a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch
from django.http import StreamingHttpResponse

from timeline.exports.text import html_text
from timeline.models import Citation, Event, EventActor, EventQuerySet

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "id",
    "title",
    "summary",
    "start_date",
    "end_date",
    "date_precision",
    "category",
    "verification",
    "place",
    "crises",
    "actors",
    "citation_excerpts",
    "citation_articles",
    "citation_outlets",
    "citation_urls",
    "citation_published_at",
    "updated_at",
]

# Spreadsheets run cells that start with these as formulas; news text must never be run.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
            "crises",
        )
    return related.iterator(chunk_size=CHUNK_SIZE)


def event_record(event: Event) -> dict[str, Any]:
    """One event as plain JSON-ready data, with its actors' roles and its citations."""
    return {
        "id": event.pk,
        "title": event.title,
        "summary": event.summary,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "date_precision": event.date_precision,
        "category": event.category.slug,
        "verification": event.verification,
        "place": event.place,
        "status": event.status,
        "crises": [crisis.slug for crisis in event.crises.all()],
        "actors": [
            {"slug": role.actor.slug, "name": role.actor.name, "role": role.role}
            for role in event.roles.all()
        ],
        "citations": [
            {
                "excerpt": citation.excerpt,
                "article_id": citation.article_id,
                "article_title": citation.article.title,
                "outlet": _outlet(citation.article),
                "url": citation.article.url,
                "published_at": citation.article.published_at.isoformat(),
            }
            for citation in event.citations.all()
        ],
        "updated_at": event.updated_at.isoformat(),
    }


def _outlet(article: Any) -> str:
    source = article.publisher or article.source
    return source.name if source else ""


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def csv_chunks(events: EventQuerySet[Event], *, public: bool = False) -> Iterator[str]:
    """A header line, then one CSV line per event; several citations go one per line in a cell."""
    yield _csv_line(CSV_COLUMNS)
    for event in export_rows(events, public=public):
        record = event_record(event)
        citations = record["citations"]
        row = {
            **record,
            "end_date": record["end_date"] or "",
            "crises": "; ".join(record["crises"]),
            "actors": "; ".join(f"{a['name']} ({a['role']})" for a in record["actors"]),
            "citation_excerpts": "\n".join(c["excerpt"] for c in citations),
            "citation_articles": "\n".join(c["article_title"] for c in citations),
            "citation_outlets": "\n".join(c["outlet"] for c in citations),
            "citation_urls": "\n".join(c["url"] for c in citations),
            "citation_published_at": "\n".join(c["published_at"] for c in citations),
        }
        yield _csv_line(_safe_cell(str(row[column])) for column in CSV_COLUMNS)


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


def timelinejs_event(event: Event) -> dict[str, Any]:
    """One event in Knight Lab's TimelineJS format, with its sources under the summary."""
    sources = "; ".join(
        f"{_outlet(c.article) or c.article.title}, {c.article.published_at:%d %b %Y}"
        for c in event.citations.all()
    )
    text = event.summary + (f"\n\nSources: {sources}" if sources else "")
    # TimelineJS shows headline and text as HTML: what came from articles goes in escaped.
    slide: dict[str, Any] = {
        "start_date": _timelinejs_date(event.start_date, event.date_precision),
        "text": {"headline": html_text(event.title), "text": html_text(text)},
        "group": event.category.name,
        "unique_id": f"event-{event.pk}",
    }
    if event.end_date:
        slide["end_date"] = _timelinejs_date(event.end_date, event.date_precision)
    return slide


def timelinejs_chunks(
    events: EventQuerySet[Event], *, title: str, text: str = "", public: bool = False
) -> Iterator[str]:
    """A TimelineJS document ({"title", "events": […]}), written out one event at a time."""
    heading = {"text": {"headline": html_text(title), "text": html_text(text)}}
    yield '{"title": ' + json.dumps(heading, ensure_ascii=False) + ', "events": ['
    for n, event in enumerate(export_rows(events, public=public)):
        yield ("," if n else "") + "\n" + json.dumps(timelinejs_event(event), ensure_ascii=False)
    yield "\n]}\n"


def download(chunks: Iterator[str], *, content_type: str, filename: str) -> StreamingHttpResponse:
    """Text chunks streamed as UTF-8, to be saved as `filename`."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    events: EventQuerySet[Event], *, filename: str = "events.csv", public: bool = False
) -> StreamingHttpResponse:
    return download(
        csv_chunks(events, public=public), content_type="text/csv; charset=utf-8", filename=filename
    )


def jsonl_response(
    events: EventQuerySet[Event], *, filename: str = "events.jsonl", public: bool = False
) -> StreamingHttpResponse:
    return download(
        jsonl_chunks(events, public=public),
        content_type="application/x-ndjson; charset=utf-8",
        filename=filename,
    )


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

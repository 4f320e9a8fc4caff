"""Statement exports (CSV and JSON Lines), streamed like the events': who said what, when, and
exactly where each citation's words are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse

from timeline.exports.tabular import (
    CITATION_COLUMNS,
    DEFAULT_CSV,
    CsvOptions,
    absolute,
    citation_cells,
    citation_record,
    csv_document,
    csv_download,
    jsonl_download,
)
from timeline.models import Citation, Statement, Status

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "id",
    "permalink",
    "text",
    "kind",
    "cue",
    "medium",
    "attribution",
    "speaker",
    "speaker_name",
    "speaker_description",
    "date",
    "date_precision",
    "crises",
    *CITATION_COLUMNS,
    "updated_at",
]


def export_rows(statements: QuerySet[Statement], *, public: bool = False) -> Iterator[Statement]:
    """The statements with their speakers, citations and crises, read in chunks of CHUNK_SIZE."""
    related = (
        statements.prefetch_related(None)
        .select_related("speaker")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.for_display()), "crises")
    )
    for statement in related.iterator(chunk_size=CHUNK_SIZE):
        if (
            public
            and statement.speaker is not None
            and statement.speaker.status != Status.PUBLISHED
        ):
            statement.speaker = None  # readers see published actors only
        yield statement


def statement_record(statement: Statement) -> dict[str, Any]:
    """One statement as plain JSON-ready data, with its citations."""
    speaker = statement.speaker
    return {
        "id": statement.pk,
        # Statements have no page of their own: their permalink is the API's.
        "permalink": absolute(reverse("api:statement-detail", args=[statement.pk])),
        "text": statement.text,
        "kind": statement.kind,
        "cue": statement.cue,
        "medium": statement.medium,
        "attribution": statement.attribution,
        "speaker": {"slug": speaker.slug, "name": speaker.name} if speaker else None,
        "speaker_description": statement.speaker_description,
        "date": statement.date.isoformat() if statement.date else None,
        "date_precision": statement.date_precision,
        "status": statement.status,
        "crises": [crisis.slug for crisis in statement.crises.all()],
        "citations": [citation_record(c) for c in statement.citations.all()],
        "updated_at": statement.updated_at.isoformat(),
    }


def _csv_row(statement: Statement) -> dict[str, Any]:
    record = statement_record(statement)
    speaker = record["speaker"] or {}
    return {
        **record,
        "speaker": speaker.get("slug", ""),
        "speaker_name": speaker.get("name", ""),
        "crises": "; ".join(record["crises"]),
        **citation_cells(record["citations"]),
    }


def csv_chunks(
    statements: QuerySet[Statement], *, public: bool = False, options: CsvOptions = DEFAULT_CSV
) -> Iterator[str]:
    """A header line, then one CSV line per statement; citations one per line in their cells."""
    return csv_document(CSV_COLUMNS, map(_csv_row, export_rows(statements, public=public)), options)


def jsonl_chunks(statements: QuerySet[Statement], *, public: bool = False) -> Iterator[str]:
    for statement in export_rows(statements, public=public):
        yield json.dumps(statement_record(statement), ensure_ascii=False) + "\n"


def csv_response(
    statements: QuerySet[Statement],
    *,
    filename: str = "statements.csv",
    public: bool = False,
    options: CsvOptions = DEFAULT_CSV,
) -> StreamingHttpResponse:
    return csv_download(csv_chunks(statements, public=public, options=options), filename=filename)


def jsonl_response(
    statements: QuerySet[Statement], *, filename: str = "statements.jsonl", public: bool = False
) -> StreamingHttpResponse:
    return jsonl_download(jsonl_chunks(statements, public=public), filename=filename)

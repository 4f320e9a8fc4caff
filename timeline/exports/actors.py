"""Actor exports (CSV and JSON Lines), streamed like the events': who appears, under which names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from timeline.exports.tabular import (
    DEFAULT_CSV,
    CsvOptions,
    absolute,
    csv_document,
    csv_download,
    jsonl_download,
)
from timeline.models import Actor, Status

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "id",
    "slug",
    "permalink",
    "name",
    "kind",
    "title",
    "affiliation",
    "affiliation_name",
    "aliases",
    "wikidata_id",
    "description",
    "updated_at",
]


def export_rows(actors: QuerySet[Actor], *, public: bool = False) -> Iterator[Actor]:
    """The actors with their affiliations and aliases, read in chunks of CHUNK_SIZE."""
    related = (
        actors.prefetch_related(None).select_related("affiliation").prefetch_related("aliases")
    )
    for actor in related.iterator(chunk_size=CHUNK_SIZE):
        if (
            public
            and actor.affiliation is not None
            and actor.affiliation.status != Status.PUBLISHED
        ):
            actor.affiliation = None  # readers see published actors only
        yield actor


def actor_record(actor: Actor) -> dict[str, Any]:
    """One actor as plain JSON-ready data."""
    affiliation = actor.affiliation
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "permalink": absolute(actor.get_absolute_url()),
        "name": actor.name,
        "kind": actor.kind,
        "title": actor.title,
        "affiliation": (
            {"slug": affiliation.slug, "name": affiliation.name} if affiliation else None
        ),
        "aliases": [alias.name for alias in actor.aliases.all()],
        "wikidata_id": actor.wikidata_id,
        "description": actor.description,
        "status": actor.status,
        "updated_at": actor.updated_at.isoformat(),
    }


def _csv_row(actor: Actor) -> dict[str, Any]:
    record = actor_record(actor)
    affiliation = record["affiliation"] or {}
    return {
        **record,
        "affiliation": affiliation.get("slug", ""),
        "affiliation_name": affiliation.get("name", ""),
        "aliases": "; ".join(record["aliases"]),
    }


def csv_chunks(
    actors: QuerySet[Actor], *, public: bool = False, options: CsvOptions = DEFAULT_CSV
) -> Iterator[str]:
    return csv_document(CSV_COLUMNS, map(_csv_row, export_rows(actors, public=public)), options)


def jsonl_chunks(actors: QuerySet[Actor], *, public: bool = False) -> Iterator[str]:
    for actor in export_rows(actors, public=public):
        yield json.dumps(actor_record(actor), ensure_ascii=False) + "\n"


def csv_response(
    actors: QuerySet[Actor],
    *,
    filename: str = "actors.csv",
    public: bool = False,
    options: CsvOptions = DEFAULT_CSV,
) -> StreamingHttpResponse:
    return csv_download(csv_chunks(actors, public=public, options=options), filename=filename)


def jsonl_response(
    actors: QuerySet[Actor], *, filename: str = "actors.jsonl", public: bool = False
) -> StreamingHttpResponse:
    return jsonl_download(jsonl_chunks(actors, public=public), filename=filename)

"""Events' JSON, for every answer that holds events: built from plain rows, not model instances.

This is the only code that writes an event's JSON: the list, one event, the answer to a write, a
merge or an editorial decision, and the drafts an ingestion made. `EventSerializer` declares it
(its fields, their types and help for the OpenAPI schema, and how each plain value is written)
and is not asked to render it: DRF would build a page of 100 events by making over a thousand
model instances (events, roles, actors, citations, articles, outlets, crises) and walking a nested
serializer over each, about 80 ms at 100,000 events, of which the database takes a few. Here the
events and each relation the view prefetches are read with `values()`, one query each, and the
JSON is assembled from dicts.

Plain fields go through the serializer's own field objects (so dates, times and floats come out
exactly as DRF writes them), and each relation is read from the view's own prefetch queryset (so
its filters and order hold). A field added to the serializers but not built here is an error
(`covers`), never a field gone missing; tests/api/test_rows.py renders the same events through
DRF to show that the declaration and this renderer agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import ForeignObjectRel, ManyToManyField, Model, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from timeline.api.serializers import (
    ActorSummarySerializer,
    CategorySerializer,
    CitationSerializer,
    CitedArticleSerializer,
    CorrectionSerializer,
    EventPlaceSerializer,
    EventSerializer,
    SourceSummarySerializer,
)
from timeline.models import Citation, CitationQuerySet, Event

Row = dict[str, Any]

# EventSerializer's fields that are not columns of the event, and how each is built below.
NESTED = {
    "category", "crises", "actors", "places", "citations", "source_count", "claims", "corrections",
    "sources_matched_automatically",
}  # fmt: skip
CITATION_FIELDS = {"id", "excerpt", "start", "end", "outlet", "article"}
ARTICLE_FIELDS = {"id", "title", "url", "published_at", "source", "publisher"}


@cache
def _column_fields(
    serializer: type[serializers.ModelSerializer[Any]],
) -> dict[str, serializers.Field]:
    """The serializer's fields that read a column of its model directly (built once: a
    serializer's fields are fixed when its class is, and building them costs milliseconds)."""
    model: type[Model] = serializer.Meta.model
    columns = {f.name for f in model._meta.concrete_fields if not f.is_relation}
    return {
        name: field
        for name, field in serializer().fields.items()
        if name not in NESTED and field.source in columns
    }


def _source(field: serializers.Field) -> str:
    assert field.source is not None  # set when the serializer binds its fields
    return field.source


# DRF fields whose to_representation returns what the database gives (str, int, bool) as it is.
_AS_IS = (serializers.CharField, serializers.IntegerField, serializers.BooleanField)


def _as_is(field: serializers.Field) -> bool:
    if isinstance(field, serializers.ChoiceField):
        return all(isinstance(key, str) for key in field.choices)
    return type(field) in _AS_IS


def _iso_datetime(value: dt.datetime) -> str:
    # DRF's DateTimeField.to_representation for an aware value and the ISO 8601 format, without
    # its per-value settings and type checks.
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _converter(field: serializers.Field) -> Callable[[Any], Any] | None:
    if _as_is(field):
        return None
    if (
        type(field) is serializers.DateTimeField
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        and not hasattr(field, "timezone")
        and settings.USE_TZ
    ):
        return _iso_datetime  # the database gives aware datetimes when USE_TZ is on
    return field.to_representation


@cache
def _converters(
    serializer: type[serializers.ModelSerializer[Any]], prefix: str
) -> list[tuple[str, str, Callable[[Any], Any] | None]]:
    """(name, column, converter or None when the value goes out as it is) per plain field."""
    return [
        (name, prefix + _source(field), _converter(field))
        for name, field in _column_fields(serializer).items()
    ]


def _represent(
    serializer: type[serializers.ModelSerializer[Any]], values: Row, prefix: str = ""
) -> Row:
    """The serializer's plain fields from `values[prefix + source]`; None stays None, as in DRF."""
    out = {}
    for name, column, convert in _converters(serializer, prefix):
        value = values[column]
        out[name] = value if value is None or convert is None else convert(value)
    return out


@cache
def _field(serializer: type[serializers.Serializer], name: str) -> Callable[[Any], Any]:
    return serializer().fields[name].to_representation


@cache
def covers() -> bool:
    """Whether every field EventSerializer declares is built here."""
    fields = set(EventSerializer.Meta.fields)
    return (
        fields - NESTED <= set(_column_fields(EventSerializer))
        and set(CitationSerializer.Meta.fields) <= CITATION_FIELDS
        and set(CitedArticleSerializer.Meta.fields) <= ARTICLE_FIELDS
        # A serializer that rewrites its output (e.g. hides something from readers) is not
        # reproduced here.
        and all(
            s.to_representation is serializers.ModelSerializer.to_representation
            for s in (EventSerializer, CitationSerializer, CitedArticleSerializer)
        )
    )


def events_json(events: QuerySet[Event]) -> list[Row]:
    """The events' JSON, in their order, each relation read from `events`' own prefetches."""
    return events_as_json(list(event_rows(events)), prefetches(events))


def event_rows(events: QuerySet[Event]) -> QuerySet:
    """The events as the plain rows `events_as_json` takes (for a paginator to cut a page)."""
    return events.prefetch_related(None).values(*event_columns())


def prefetches(events: QuerySet[Event]) -> tuple[Any, ...]:
    """The `prefetch_related` lookups of the view's queryset."""
    return events._prefetch_related_lookups  # type: ignore[attr-defined]  # django-stubs: private


def event_columns() -> list[str]:
    """What `values()` reads for each event of the page."""
    return [*(_source(f) for f in _column_fields(EventSerializer).values())] + [
        f"category__{name}" for name in CategorySerializer.Meta.fields
    ]


def events_as_json(rows: Sequence[Row], prefetches: Iterable[str | Prefetch]) -> list[Row]:
    """Events from `values(*event_columns())` in EventSerializer's shape and the rows' order.

    `prefetches` are the view queryset's `prefetch_related` lookups: each relation is read once
    for the whole page from the same queryset the serializer would have read it from.
    """
    if not covers():
        raise ImproperlyConfigured(
            "EventSerializer declares a field timeline/api/rows.py does not build: add it there."
        )
    ids = [row["id"] for row in rows]
    fields = EventSerializer.Meta.fields
    related: dict[str, dict[int, list[Any]]] = {}
    if "actors" in fields:
        roles = _related(prefetches, "roles", ids).values(
            "event_id", "role", *(f"actor__{name}" for name in ActorSummarySerializer.Meta.fields)
        )
        related["actors"] = _grouped(roles, _role)
    if "places" in fields:
        links = _related(prefetches, "place_links", ids).values(
            "event_id", "mention", "confidence", *PLACE_COLUMNS
        )
        related["places"] = _grouped(links, _place)
    if {"citations", "source_count", "sources_matched_automatically"} & set(fields):
        citations = ensure_excerpts(
            cast(
                CitationQuerySet[Citation], _related(prefetches, "citations", ids)
            )  # citations' own
        ).values("event_id", *_citation_columns())
        related["citations"] = _grouped(citations, _citation)
    proposed: dict[int, list[Any]] = {}
    if "sources_matched_automatically" in fields:
        # As Event.sources_matched_automatically: outlets of the machine's proposed citations
        outlets_proposed = (
            Citation.objects.filter(event_id__in=ids, proposed=True)
            .annotate(outlet=Coalesce("article__source_id", "article__publisher_id"))
            .values("event_id", "outlet")
        )
        proposed = _grouped(cast(Iterable[Row], outlets_proposed), lambda r: r["outlet"])
    if "crises" in fields:
        crisis_rows = _related(prefetches, "crises", ids).values("events", "slug")
        related["crises"] = _grouped(crisis_rows, lambda r: r["slug"], key="events")
    if "claims" in fields:
        claims = _related(prefetches, "claim_links", ids).values("event_id", "statement", "stance")
        related["claims"] = _grouped(claims, _claim)
    if "corrections" in fields:
        corrections = _related(prefetches, "corrections", ids).values(
            "event_id", *CorrectionSerializer.Meta.fields
        )
        related["corrections"] = _grouped(
            corrections, lambda r: _represent(CorrectionSerializer, r)
        )

    result = []
    for row in rows:
        event = _represent(EventSerializer, row)
        event["category"] = _represent(CategorySerializer, row, prefix="category__")
        for name, groups in related.items():
            event[name] = groups.get(row["id"], [])
        outlets = {c.pop("_outlet_id") for c in event.get("citations", [])}
        if "source_count" in fields:
            event["source_count"] = len(outlets - {None})
        if "sources_matched_automatically" in fields:
            matched = set(proposed.get(row["id"], [])) - outlets - {None}
            event["sources_matched_automatically"] = len(matched)
        result.append({name: event[name] for name in fields})
    return result


def _related(prefetches: Iterable[str | Prefetch], name: str, ids: list[int]) -> QuerySet:
    """The page's rows of relation `name`, from the view's prefetch queryset for it."""
    field = Event._meta.get_field(name)
    base = None
    for lookup in prefetches:
        if isinstance(lookup, Prefetch) and lookup.prefetch_to == name:
            base = lookup.queryset
    if base is None:
        assert field.related_model is not None  # `name` is a relation
        base = field.related_model._default_manager.all()
    if isinstance(field, ManyToManyField):  # crises
        return base.filter(**{f"{field.related_query_name()}__in": ids})
    assert isinstance(field, ForeignObjectRel)  # the others: foreign keys to the event
    return base.filter(**{f"{field.field.name}__in": ids})


def _grouped(
    rows: Iterable[Row], build: Callable[[Row], Any], key: str = "event_id"
) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(build(row))
    return groups


def _role(row: Row) -> Row:
    return {"actor": _represent(ActorSummarySerializer, row, prefix="actor__"), "role": row["role"]}


PLACE_COLUMNS = [f"place__{name}" for name in ("slug", "name", "kind", "iso_code")] + [
    "place__latitude",
    "place__longitude",
]


def _place(row: Row) -> Row:
    place = {name[len("place__") :]: row[name] for name in PLACE_COLUMNS}
    place["mention"] = row["mention"]
    place["confidence"] = row["confidence"]
    return {name: place[name] for name in EventPlaceSerializer.Meta.fields}


def _claim(row: Row) -> Row:
    return {"statement": row["statement"], "stance": row["stance"]}


def _citation_columns() -> list[str]:
    outlets = [
        f"article__{o}__{f}" for o in ("source", "publisher") for f in ("id", "slug", "name")
    ]
    article = [f"article__{name}" for name in ("id", "title", "url", "published_at")]
    # `excerpt_text`: Citation.objects.with_excerpt(), which the view's prefetch queryset uses.
    return ["id", "excerpt_text", "start", "end", *article, *outlets]


def _outlet(row: Row, name: str) -> Row | None:
    if row[f"article__{name}__id"] is None:
        return None
    return _represent(SourceSummarySerializer, row, prefix=f"article__{name}__")


def _citation(row: Row) -> Row:
    article = _represent(CitedArticleSerializer, row, prefix="article__")
    article["source"] = _outlet(row, "source")
    article["publisher"] = _outlet(row, "publisher")
    # As CitationSerializer.get_outlet: the publisher when there is one, else the source.
    outlet = article["publisher"] or article["source"]
    citation = _represent(CitationSerializer, row)
    excerpt = row["excerpt_text"]
    citation["excerpt"] = (
        None if excerpt is None else _field(CitationSerializer, "excerpt")(excerpt)
    )
    citation["outlet"] = outlet["name"] if outlet else ""
    citation["article"] = {name: article[name] for name in CitedArticleSerializer.Meta.fields}
    citation = {name: citation[name] for name in CitationSerializer.Meta.fields}
    # For the event's source_count (Event.independent_sources): the originating source.
    citation["_outlet_id"] = row["article__source__id"] or row["article__publisher__id"]
    return citation


def ensure_excerpts(queryset: CitationQuerySet[Citation]) -> CitationQuerySet[Citation]:
    return queryset if "excerpt_text" in queryset.query.annotations else queryset.with_excerpt()

"""Actors, statements and events: read by everyone, written by editors, exported."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import DateField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseBase
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from timeline import caching
from timeline.api import rows
from timeline.api import serializers as s
from timeline.api.exports import ExportActions, csv_options, csv_schema, jsonl_schema
from timeline.api.reports import EventReportsSerializer
from timeline.api.views.base import (
    WritableViewSet,
    _corrections,
    _events_for_api,
)
from timeline.api.views.workflow import BulkDecisions, CitationDecisions, Claims
from timeline.exports import actors as actor_exports
from timeline.exports import statements as statement_exports
from timeline.exports.events import (
    csv_response,
    geojson_response,
    jsonl_response,
    timelinejs_response,
)
from timeline.filters import (
    ActorFilter,
    EventFilter,
    StatementFilter,
)
from timeline.models import (
    Actor,
    Crisis,
    Event,
    EventQuerySet,
    Statement,
    event_reports,
)
from timeline.services import merges

# Actors, statements, events


@extend_schema_view(
    list=extend_schema(summary="List actors", description="People, states and organisations."),
    retrieve=extend_schema(summary="One actor"),
    create=extend_schema(
        summary="Create an actor (editors)",
        request=s.ActorWriteSerializer,
        responses={201: s.ActorSerializer},
        examples=[
            OpenApiExample(
                "A minister",
                value={
                    "name": "Sergei Lavrov",
                    "kind": "person",
                    "title": "Foreign Minister",
                    "affiliation": "russia",
                    "aliases": ["Lavrov"],
                },
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary="Replace an actor's fields (editors)",
        request=s.ActorWriteSerializer,
        responses={200: s.ActorSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of an actor's fields (editors)",
        request=s.ActorWriteSerializer,
        responses={200: s.ActorSerializer},
    ),
    export_csv=csv_schema("actors"),
    export_jsonl=jsonl_schema("actors"),
)
class ActorViewSet(BulkDecisions, ExportActions, WritableViewSet):
    bulk_model = Actor
    exporter = actor_exports
    read_serializer = s.ActorSerializer
    write_serializer = s.ActorWriteSerializer
    filterset_class = ActorFilter
    lookup_field = "slug"
    keyset_orderings = {"name": ("name", "id"), "updated": ("updated_at", "id")}

    @extend_schema(
        summary="Merge another actor into this one (publishers)",
        request=s.ActorMergeSerializer,
        responses={200: s.ActorSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._merge(s.ActorMergeSerializer, merges.actor_merge)

    def get_queryset(self) -> QuerySet[Actor]:
        actors = Actor.objects.select_related("affiliation").prefetch_related(
            "aliases", _corrections()
        )
        return self.visible(actors)


@extend_schema_view(
    list=extend_schema(
        summary="List statements",
        description="Who said what, oldest first, each with its speaker and citations.",
    ),
    retrieve=extend_schema(summary="One statement"),
    create=extend_schema(
        summary="Create a statement (editors); it starts as a draft",
        request=s.StatementWriteSerializer,
        responses={201: s.StatementSerializer},
    ),
    update=extend_schema(
        summary="Replace a statement's fields (editors)",
        request=s.StatementWriteSerializer,
        responses={200: s.StatementSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of a statement's fields (editors)",
        request=s.StatementWriteSerializer,
        responses={200: s.StatementSerializer},
    ),
    export_csv=csv_schema("statements"),
    export_jsonl=jsonl_schema("statements"),
)
class StatementViewSet(BulkDecisions, CitationDecisions, ExportActions, WritableViewSet):
    bulk_model = Statement
    exporter = statement_exports
    read_serializer = s.StatementSerializer
    write_serializer = s.StatementWriteSerializer
    filterset_class = StatementFilter
    # Statements may have no date: they sort first, as if dated 1 January of year 1.
    keyset_orderings = {
        "date": ("sort_date", "id"),
        "-date": ("-sort_date", "-id"),
        "updated": ("updated_at", "id"),
        # The review queue: ?status=draft&ordering=confidence, the least sure first.
        "confidence": ("confidence", "id"),
    }

    def get_queryset(self) -> QuerySet[Statement]:
        statements = Statement.objects.with_related().prefetch_related("crises")
        statements = statements.annotate(
            sort_date=Coalesce("date", Value(dt.date.min), output_field=DateField())
        )
        return self.visible(statements)


EXPORTS = ("export_csv", "export_jsonl", "export_timelinejs", "export_geojson")
EXPORT_FILTERS_NOTE = "Takes the same filters as the event list, without pagination; streamed."

EVENT_EXAMPLE = {
    "title": "Russia launches joint military exercises in Belarus",
    "summary": "Russia began ten days of joint drills with Belarus near Ukraine's border.",
    "start_date": "2022-02-10",
    "end_date": "2022-02-20",
    "date_precision": "day",
    "category": "military",
    "verification": "confirmed",
    "place": "Belarus",
    "crises": ["russia-ukraine-2021-2022"],
    "actors": [{"actor": "russia", "role": "agent"}],
    "citations": [{"article": 1, "start": 0, "end": 73}],
}


class EventJSONRenderer(ORJSONRenderer):
    """JSON by orjson: the same bytes as DRF's JSONRenderer for the events' JSON, a page of 100
    events in 0.1 ms instead of 1.7. Every value there is already a string, number, boolean or
    null (dates and times come out of the serializers and rows.py as text), which both write
    alike; only U+2028 and U+2029 go out unescaped, the same JSON. Not the API's default: other
    answers (the changes feed) hold datetime objects, which orjson would write differently."""


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description=(
            "What happened and when, oldest first, each with its actors (and their roles) and "
            "its citations (excerpt, article, outlet, URL, publication time). Readers see "
            "published actors only, and confirmed citations only (a corroboration the machine "
            "proposed is not a source until an editor confirms it). `date_from` and "
            "`date_to` keep events whose span overlaps the range. Example: every event of the "
            "demo crisis involving Russia in February 2022: `?crisis=russia-ukraine-2021-2022"
            "&actor=russia&date_from=2022-02-01&date_to=2022-02-28`."
        ),
    ),
    retrieve=extend_schema(summary="One event"),
    create=extend_schema(
        summary="Create an event (editors); it starts as a draft",
        request=s.EventWriteSerializer,
        responses={201: s.EventSerializer},
        examples=[OpenApiExample("A cited event", value=EVENT_EXAMPLE, request_only=True)],
    ),
    update=extend_schema(
        summary="Replace an event's fields (editors)",
        request=s.EventWriteSerializer,
        responses={200: s.EventSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of an event's fields (editors)",
        request=s.EventWriteSerializer,
        responses={200: s.EventSerializer},
        examples=[
            OpenApiExample("Confirm", value={"verification": "confirmed"}, request_only=True)
        ],
    ),
)
class EventViewSet(BulkDecisions, CitationDecisions, Claims, WritableViewSet):
    bulk_model = Event
    renderer_classes = [EventJSONRenderer, BrowsableAPIRenderer]
    read_serializer = s.EventSerializer
    write_serializer = s.EventWriteSerializer
    filterset_class = EventFilter
    keyset_orderings = {
        "date": ("start_date", "id"),
        "-date": ("-start_date", "-id"),
        # For incremental sync with updated_since: what changed, oldest change first.
        "updated": ("updated_at", "id"),
        # The review queue: ?status=draft&ordering=confidence, the least sure first.
        "confidence": ("confidence", "id"),
    }

    def get_queryset(self) -> QuerySet[Event]:
        events = self.visible(Event.objects.all())
        if self.action in EXPORTS:
            return events  # the exporters add what they need, chunk by chunk
        return _events_for_api(events, public=self.public)

    # Every answer's events come from timeline/api/rows.py, the one renderer of events' JSON;
    # EventSerializer declares it for the schema.

    @caching.api_list
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        events = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows.event_rows(events))
        assert page is not None  # the viewset has its paginator
        return self.get_paginated_response(rows.events_as_json(page, rows.prefetches(events)))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        events = self.filter_queryset(self.get_queryset())
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        row = get_object_or_404(rows.event_rows(events), **{self.lookup_field: lookup})
        self.last_modified = row["updated_at"]
        return Response(rows.events_as_json([row], rows.prefetches(events))[0])

    def _read(self, item: Any) -> dict[str, Any]:
        [event] = rows.events_json(self.get_queryset().filter(pk=item.pk))
        return event

    @extend_schema(
        summary="Merge another event into this one (publishers)",
        request=s.EventMergeSerializer,
        responses={200: s.EventSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._merge(s.EventMergeSerializer, merges.event_merge)

    @extend_schema(
        summary="How the outlets citing an event tell it",
        description=(
            "One report per independent outlet (a wire story and the papers that printed it "
            "are one): the date it gives, the figures its cited sentences give, whom they quote; "
            "and where the outlets differ. Readers see confirmed citations only; editors also "
            "the machine's matches (`proposed`)."
        ),
        responses={200: EventReportsSerializer},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def reports(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        found = event_reports(event, include_proposed=not self.public)
        return Response(EventReportsSerializer(found).data)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        if self.action in EXPORTS:
            # Exports answer with their own streamed type; errors before that come as JSON.
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def _export_rows(self) -> EventQuerySet[Event]:
        # The filters only filter(): the QuerySet keeps its class.
        events = cast(EventQuerySet[Event], self.filter_queryset(self.get_queryset()))
        descending = self.request.query_params.get("ordering") == "-date"
        return events.order_by("-start_date", "-id") if descending else events.chronological()

    @csv_schema("events")
    @action(detail=False, url_path="export/csv", pagination_class=None)
    def export_csv(self, request: Request) -> HttpResponseBase:
        return csv_response(self._export_rows(), public=self.public, options=csv_options(request))

    @jsonl_schema("events")
    @action(detail=False, url_path="export/jsonl", pagination_class=None)
    def export_jsonl(self, request: Request) -> HttpResponseBase:
        return jsonl_response(self._export_rows(), public=self.public)

    @extend_schema(
        summary="Export events as GeoJSON",
        description=EXPORT_FILTERS_NOTE + " A FeatureCollection (RFC 7946): each event with a "
        "place is a Feature, a Point at its place or a MultiPoint at several, with the event's "
        "fields as properties. Events with no place are left out.",
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A GeoJSON FeatureCollection"
            )
        },
    )
    @action(detail=False, url_path="export/geojson", pagination_class=None)
    def export_geojson(self, request: Request) -> HttpResponseBase:
        return geojson_response(self._export_rows(), public=self.public)

    @extend_schema(
        summary="Export events for TimelineJS",
        description=EXPORT_FILTERS_NOTE + " Knight Lab's TimelineJS JSON format.",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A TimelineJS document: {title, events}"
            )
        },
    )
    @action(detail=False, url_path="export/timelinejs", pagination_class=None)
    def export_timelinejs(self, request: Request) -> HttpResponseBase:
        crisis = self.request.query_params.get("crisis")
        found = Crisis.objects.filter(slug=crisis).first() if crisis else None
        title = found.title if found else "Crisis Timeline"
        text = found.summary if found else ""
        return timelinejs_response(self._export_rows(), title=title, text=text, public=self.public)

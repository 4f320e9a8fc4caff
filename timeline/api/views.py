"""API views: read-only viewsets for everyone, writes for editors, exports, errors as data.

Anonymous callers (and signed-in users without the model's view permission) only ever get
published items: each `get_queryset` starts from `.published()` for them. Every read is conditional
(ETag, and Last-Modified on items) and carries cache headers; exports stream.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, DateField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBase, JsonResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from timeline import caching
from timeline.api import rows
from timeline.api import serializers as s
from timeline.api.exports import ExportActions, csv_options, csv_schema, jsonl_schema
from timeline.api.parsers import TimelineJSONParser
from timeline.api.reports import EventReportsSerializer
from timeline.exports import actors as actor_exports
from timeline.exports import statements as statement_exports
from timeline.exports.events import (
    csv_response,
    geojson_response,
    jsonl_response,
    timelinejs_response,
)
from timeline.extraction.article_text import ParseError
from timeline.filters import (
    ActorFilter,
    ArticleFilter,
    EventFilter,
    PlaceFilter,
    StatementFilter,
    can_view_drafts,
)
from timeline.ingestion import pipeline, sources
from timeline.models import (
    Actor,
    Article,
    Claim,
    Correction,
    Crisis,
    EditorialQuerySet,
    Event,
    EventQuerySet,
    Place,
    Source,
    Statement,
    Status,
    event_reports,
)
from timeline.services import articles, editorial, merges

READ_MAX_AGE = 60  # seconds a shared cache may keep an anonymous read
# The items with an editorial state (actors, statements, events): readers see the published.
_Visible = TypeVar("_Visible", bound=EditorialQuerySet[Any, Any])


# Errors


class EditConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "Someone else changed this item after you read it."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as {detail, code, errors: [{field, code, message}]}, fields dotted."""
    if isinstance(exc, editorial.EditConflict):
        exc = EditConflict(exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        # A model's own validation, reached through a service: still the caller's input.
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # A service's refusal says what to do instead ("ask a publisher"): keep its sentence.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_field_errors(exc.get_full_details(), path=""))
        first = errors[0]["message"] if errors else "The input is invalid."
        detail = (
            f"{first}" if len(errors) == 1 else f"{len(errors)} problems with the input: {first}"
        )
        response.data = {"detail": detail, "code": "invalid", "errors": errors}
    else:
        full = exc.get_full_details()
        message = str(full.get("message", exc.detail)) if isinstance(full, dict) else str(full)
        code = str(full.get("code", exc.default_code)) if isinstance(full, dict) else "error"
        errors = [{"field": None, "code": code, "message": message}]
        response.data = {"detail": message, "code": code, "errors": errors}
    return response


def _field_errors(details: Any, path: str) -> Iterator[dict[str, Any]]:
    if isinstance(details, dict) and set(details) == {"message", "code"}:
        field = None if path in ("", "non_field_errors") else path
        yield {"field": field, "code": str(details["code"]), "message": str(details["message"])}
    elif isinstance(details, dict):
        for key, value in details.items():
            yield from _field_errors(value, f"{path}.{key}" if path else str(key))
    elif isinstance(details, list):
        for n, value in enumerate(details):
            # A list of errors for one field keeps its path; a list of nested items numbers them.
            nested = isinstance(value, dict) and set(value) != {"message", "code"}
            yield from _field_errors(value, f"{path}.{n}" if nested and path else path)


def not_found(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other path under /api/v1/: a 404 in the API's error format, not an HTML page."""
    message = "There is no such API endpoint; see /api/v1/docs/ for those there are."
    return JsonResponse(
        {
            "detail": message,
            "code": "not_found",
            "errors": [{"field": None, "code": "not_found", "message": message}],
        },
        status=404,
    )


# Reads: visibility, conditional requests and cache headers


class TimelineViewSet(viewsets.GenericViewSet):
    parser_classes = [TimelineJSONParser]
    # Any path segment reaches the view, so a malformed id or slug gets the API's JSON 404
    # rather than Django's HTML one.
    lookup_value_regex = r"[^/]+"

    def visible(self, queryset: _Visible) -> _Visible:
        if can_view_drafts(self.request, queryset.model):
            return queryset
        return queryset.published()

    @property
    def public(self) -> bool:
        """Whether the caller sees only what readers see: published actors, in particular."""
        return not can_view_drafts(self.request, Actor)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "public": self.public}

    # DRF's stubs say Response in and out; DRF takes any HttpResponseBase (the exports stream
    # theirs), and the 304 of get_conditional_response is no DRF Response.
    def finalize_response(  # type: ignore[override]  # see above
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]  # see above
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != status.HTTP_200_OK
            or response.streaming
        ):
            return response
        if request.user.is_authenticated:
            # Editors may see drafts: never from a shared cache, and always revalidated.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=READ_MAX_AGE)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if hasattr(response, "render"):
            response.render()
        key = getattr(self, "response_cache_key", None)
        if key is not None and caching.cacheable(response):
            caching.store(key, response)
        set_response_etag(response)
        changed = getattr(self, "last_modified", None)
        # HTTP dates have whole seconds: compare in whole seconds, or nothing is ever unchanged.
        last_modified = int(changed.timestamp()) if changed is not None else None
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        answer = get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=last_modified,
            response=response,
        )
        assert answer is not None  # given a response, it answers with it or with a 304
        return answer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self.last_modified: dt.datetime | None = getattr(instance, "updated_at", None)
        return Response(self.get_serializer(instance).data)


class ReadOnlyViewSet(mixins.ListModelMixin, TimelineViewSet):
    @caching.api_list
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class WritableViewSet(ReadOnlyViewSet):
    """Create and update through the write serializer; answer with the full read representation."""

    read_serializer: type[s.serializers.Serializer]
    write_serializer: type[s.serializers.Serializer]

    def get_serializer_class(self) -> type[s.serializers.Serializer]:
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer
        return self.read_serializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = serializer.save()
        data = self._read(item)
        lookup = {self.lookup_field: getattr(item, self.lookup_field)}
        location = self.reverse_action("detail", kwargs=lookup)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self._read(serializer.save()))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _read(self, item: Any) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=item.pk)
        return self.read_serializer(fresh, context=self.get_serializer_context()).data

    # Editorial decisions, as the admin's actions take them: through the same services, so
    # only publishers publish or unpublish, and editors may reject drafts.

    def _decide(self, decision: Any) -> Response:
        item = self.get_object()
        decision(items=type(item).objects.filter(pk=item.pk), by=self.request.user)
        return Response(self._read(item))

    def _merge(self, serializer_class: type[s.serializers.Serializer], merge: Any) -> Response:
        keep = self.get_object()
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        merge(keep=keep, merge=serializer.validated_data["merge"], by=self.request.user)
        return Response(self._read(keep))

    @extend_schema(
        summary="Publish it (publishers): readers see it from now on",
        request=None,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._decide(editorial.items_publish)

    @extend_schema(
        summary="Unpublish it (publishers): back to draft; mirrors get a tombstone",
        request=None,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def unpublish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._decide(editorial.items_unpublish)

    @extend_schema(
        summary="Reject it: kept for the record, never shown (a published one: publishers)",
        request=None,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._decide(editorial.items_reject)


# Crises, sources, articles


@extend_schema_view(
    list=extend_schema(summary="List crises", description="Every crisis, by slug."),
    retrieve=extend_schema(summary="One crisis"),
)
class CrisisViewSet(ReadOnlyViewSet):
    serializer_class = s.CrisisSerializer
    queryset = Crisis.objects.all()
    lookup_field = "slug"
    keyset_orderings = {"slug": ("slug", "id")}


@extend_schema_view(
    list=extend_schema(
        summary="List places",
        description="Countries, regions, cities, seas and sites where events happened, with "
        "their coordinates and how many events (that the caller may see) each holds.",
    ),
    retrieve=extend_schema(summary="One place"),
)
class PlaceViewSet(ReadOnlyViewSet):
    serializer_class = s.PlaceSerializer
    filterset_class = PlaceFilter
    lookup_field = "slug"
    keyset_orderings = {"name": ("name", "id")}

    def get_queryset(self) -> QuerySet[Place]:
        events = self.visible(Event.objects.all())
        return (
            Place.objects.select_related("country")
            .annotate(event_count=Count("events", filter=Q(events__in=events.values("pk"))))
            .filter(event_count__gt=0)
        )


@extend_schema_view(
    list=extend_schema(summary="List sources (outlets and agencies)"),
    retrieve=extend_schema(summary="One source"),
)
class SourceViewSet(ReadOnlyViewSet):
    serializer_class = s.SourceSerializer
    lookup_field = "slug"
    keyset_orderings = {"name": ("name", "id")}

    def get_queryset(self) -> QuerySet[Source]:
        if can_view_drafts(self.request, Event):
            return Source.objects.all()
        return Source.objects.public()


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Articles without their text, newest first. Anonymous callers see the "
        "articles that published items cite.",
    ),
    retrieve=extend_schema(summary="One article, with its text"),
)
class ArticleViewSet(ReadOnlyViewSet):
    filterset_class = ArticleFilter
    keyset_orderings = {"-published": ("-published_at", "-id"), "published": ("published_at", "id")}

    def get_queryset(self) -> QuerySet[Article]:
        articles = Article.objects.select_related("source", "publisher").prefetch_related("crises")
        if self.action == "list":
            articles = articles.defer("text", "caption")
        if can_view_drafts(self.request, Event):
            return articles
        return articles.public()

    def get_serializer_class(self) -> type[s.serializers.Serializer]:
        if self.action == "ingest":
            return s.ArticleIngestSerializer
        return s.ArticleSerializer if self.action == "list" else s.ArticleDetailSerializer

    @extend_schema(
        summary="Submit an article for ingestion (editors)",
        description="Stores the article and extracts draft actors, statements and events from "
        "it, each citing its span of the text; an editor reviews and publishes them. The same "
        "article again (same text or URL) changes nothing and answers 200 with `created` false, "
        "unless `force` is set.",
        request=s.ArticleIngestSerializer,
        responses={201: s.IngestResultSerializer, 200: s.IngestResultSerializer},
        examples=[
            OpenApiExample(
                "Plain text",
                request_only=True,
                value={
                    "text": "Russia masses troops near Ukraine\n\nBy Reuters\n\n"
                    "Russia has massed more than 100,000 troops near Ukraine, "
                    "Washington said on Friday.",
                    "published_at": "2022-02-11T22:00:00Z",
                    "source_name": "Reuters",
                    "crises": ["russia-ukraine-2021-2022"],
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="ingest", filterset_class=None)
    def ingest(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        field = "html" if data.get("html") else "text"
        try:
            [parsed] = sources.parse_content(data[field], kind=field, url=data.get("url", ""))
        except ParseError as exc:
            raise exceptions.ValidationError({field: [str(exc)]}, code="unreadable") from None
        if data.get("url") and not parsed.url:
            parsed = dataclasses.replace(parsed, url=data["url"])
        if data.get("published_at") is None and parsed.published_at is None:
            raise exceptions.ValidationError(
                {
                    "published_at": [
                        "The text gives no publication time: send `published_at` "
                        "(e.g. 2022-02-11T22:00:00Z)."
                    ]
                },
                code="required",
            )
        try:
            result = pipeline.article_ingest(
                parsed=parsed,
                published_at=data.get("published_at"),
                crises=data.get("crises", []),
                source_name=data.get("source_name", ""),
                force=data["force"],
            )
        except articles.IngestError as exc:
            raise exceptions.ValidationError(
                {"non_field_errors": [str(exc)]}, code="ingest_failed"
            ) from None
        return Response(
            self._ingest_result(result),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    def _ingest_result(self, result: articles.IngestResult) -> dict[str, Any]:
        """The article and its drafts, read back with the same constant queries as the lists."""

        def ids(items: list[Any]) -> list[int]:
            return [item.pk for item in items]

        article = self.get_queryset().get(pk=result.article.pk)
        drafts = {
            "actors": Actor.objects.filter(pk__in=ids(result.actors))
            .select_related("affiliation")
            .prefetch_related("aliases", _corrections()),
            "statements": Statement.objects.filter(pk__in=ids(result.statements))
            .with_related()
            .prefetch_related("crises"),
            "events": [],
        }
        context = self.get_serializer_context()
        data = s.IngestResultSerializer(
            {"created": result.created, "article": article, "drafts": drafts}, context=context
        ).data
        # The events' JSON from its one renderer (see EventViewSet), in the serializer's place.
        events = Event.objects.filter(pk__in=ids(result.events))
        data["drafts"]["events"] = rows.events_json(_events_for_api(events, public=False))
        return data


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
class ActorViewSet(ExportActions, WritableViewSet):
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
class StatementViewSet(ExportActions, WritableViewSet):
    exporter = statement_exports
    read_serializer = s.StatementSerializer
    write_serializer = s.StatementWriteSerializer
    filterset_class = StatementFilter
    # Statements may have no date: they sort first, as if dated 1 January of year 1.
    keyset_orderings = {
        "date": ("sort_date", "id"),
        "-date": ("-sort_date", "-id"),
        "updated": ("updated_at", "id"),
    }

    def get_queryset(self) -> QuerySet[Statement]:
        statements = Statement.objects.with_related().prefetch_related("crises")
        statements = statements.annotate(
            sort_date=Coalesce("date", Value(dt.date.min), output_field=DateField())
        )
        return self.visible(statements)


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


def _corrections() -> Prefetch:
    return Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk"))


def _events_for_api(events: EventQuerySet[Event], *, public: bool) -> EventQuerySet[Event]:
    """Events with everything the serializer reads: for readers, published actors and claims
    by published statements only."""
    claims = Claim.objects.order_by("statement__date", "statement_id")
    if public:
        claims = claims.filter(statement__status=Status.PUBLISHED)
    return events.with_related(published_actors=public).prefetch_related(
        "crises", Prefetch("claim_links", queryset=claims), _corrections()
    )


EXPORTS = ("export_csv", "export_jsonl", "export_timelinejs", "export_geojson")
EXPORT_FILTERS_NOTE = "Takes the same filters as the event list, without pagination; streamed."


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
class EventViewSet(WritableViewSet):
    renderer_classes = [EventJSONRenderer, BrowsableAPIRenderer]
    read_serializer = s.EventSerializer
    write_serializer = s.EventWriteSerializer
    filterset_class = EventFilter
    keyset_orderings = {
        "date": ("start_date", "id"),
        "-date": ("-start_date", "-id"),
        # For incremental sync with updated_since: what changed, oldest change first.
        "updated": ("updated_at", "id"),
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

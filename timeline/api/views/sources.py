"""Crises, places, outlets and articles (and ingesting an article)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from timeline.api import rows
from timeline.api import serializers as s
from timeline.api.views.base import (
    ReadOnlyViewSet,
    _corrections,
    _events_for_api,
)
from timeline.extraction.article_text import ParseError
from timeline.filters import (
    ArticleFilter,
    PlaceFilter,
    can_view_drafts,
)
from timeline.ingestion import pipeline, sources
from timeline.models import (
    Actor,
    Article,
    Crisis,
    Event,
    Place,
    Source,
    Statement,
)
from timeline.services import articles

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
                by=request.user,
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

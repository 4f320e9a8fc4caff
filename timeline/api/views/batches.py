"""Ingestion batches: many articles in one request, stored at once and extracted by the Celery
workers, then followed (done / failed with the error / pending) and their failures retried."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from timeline.api.batches import BatchInputSerializer, BatchSerializer
from timeline.extraction.article_text import ParseError
from timeline.ingestion import pipeline, sources
from timeline.models import IngestBatch


class CanIngest(permissions.BasePermission):
    """Editors and publishers: those who may add articles."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("timeline.add_article"))


@extend_schema_view(
    list=extend_schema(summary="Ingestion batches, latest first (editors)"),
    retrieve=extend_schema(summary="One batch's progress: done, failed (with errors), pending"),
)
class BatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[IngestBatch]
):
    serializer_class = BatchSerializer
    permission_classes = [permissions.IsAuthenticated, CanIngest]
    filterset_class = None

    def get_queryset(self) -> QuerySet[IngestBatch]:
        return IngestBatch.objects.select_related("created_by").order_by("-created_at", "-pk")

    @extend_schema(
        summary="Hand over many articles at once, extracted off the request (editors)",
        description="Each article is stored pending and queued for the Celery workers; the answer "
        "(202) is the batch, whose progress `GET /batches/{id}/` follows. An article that "
        "cannot be read or has no publication time is listed in `refused` with the reason; "
        "the others go ahead.",
        request=BatchInputSerializer,
        responses={202: BatchSerializer},
        examples=[
            OpenApiExample(
                "Two articles",
                request_only=True,
                value={
                    "label": "Overnight wires",
                    "articles": [
                        {
                            "text": "Troops mass near Ukraine\n\nBy Reuters\n\n…",
                            "source_name": "Reuters",
                            "published_at": "2022-02-11T22:00:00Z",
                        },
                        {"html": "<html>…</html>", "url": "https://example.org/story"},
                    ],
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        given = BatchInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        items: list[pipeline.BatchItem] = []
        refused: list[tuple[str, str]] = []
        for number, data in enumerate(given.validated_data["articles"], start=1):
            label = data.get("url") or f"article {number}"
            field = "html" if data.get("html") else "text"
            try:
                [parsed] = sources.parse_content(data[field], kind=field, url=data.get("url", ""))
            except (ParseError, ValueError) as exc:
                refused.append((label, str(exc)))
                continue
            if data.get("url") and not parsed.url:
                parsed = dataclasses.replace(parsed, url=data["url"])
            if data.get("published_at") is None and parsed.published_at is None:
                refused.append((label, "The text gives no publication time: send `published_at`."))
                continue
            items.append(
                pipeline.BatchItem(
                    parsed=parsed,
                    label=label,
                    published_at=data.get("published_at"),
                    crises=data.get("crises", []),
                    source_name=data.get("source_name", ""),
                    force=data["force"],
                )
            )
        label = given.validated_data.get("label") or f"{len(items) + len(refused)} articles (API)"
        batch = pipeline.enqueue_batch(items, label=label, by=request.user, refused=refused)
        return Response(BatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Queue the batch's failed articles again",
        request=None,
        responses={200: BatchSerializer},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = self.get_object()
        pipeline.batch_retry(batch=batch)
        return Response(BatchSerializer(batch).data)

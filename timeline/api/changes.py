"""/api/v1/changes/: what changed since a time, with tombstones, so mirrors can stay in sync."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from timeline.changes import changes_since

MAX_LIMIT = 1000
DETAIL_ROUTES = {
    "event": "api:event-detail",
    "statement": "api:statement-detail",
    "actor": "api:actor-detail",
}


class ChangesView(APIView):
    """Changes to published events, statements and actors since a time, oldest first.

    `updated` means: fetch the item again from its `url`. `deleted` is a tombstone: the item was
    unpublished, rejected, merged into another or deleted, so remove it. Call again with
    `since=next_since` until `results` is empty; apply changes idempotently (an item changed at
    exactly `next_since` may be repeated).
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, required=True, description="ISO 8601, with zone."
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1 to {MAX_LIMIT}."),
        ],
        responses=inline_serializer(
            "ChangesPage",
            {
                "results": inline_serializer(
                    "Change",
                    {
                        "type": serializers.ChoiceField(["event", "statement", "actor"]),
                        "id": serializers.IntegerField(),
                        "action": serializers.ChoiceField(["updated", "deleted"]),
                        "changed_at": serializers.DateTimeField(),
                        "url": serializers.CharField(allow_null=True),
                    },
                    many=True,
                ),
                "next_since": serializers.DateTimeField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        raw_since = request.query_params.get("since", "")
        try:
            since = parse_datetime(raw_since) if raw_since else None
            # In UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows.
            since = since.astimezone(dt.UTC) if since and since.tzinfo else since
        except (ValueError, OverflowError):  # well-formed but impossible: 2022-02-30, year 0
            since = None
        if since is None or since.tzinfo is None:
            raise ValidationError(
                {"since": ["Give a date and time with its zone, e.g. 2022-02-11T00:00:00Z."]}
            )
        raw_limit = request.query_params.get("limit", "500")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {MAX_LIMIT}."]})
        changes = changes_since(since, limit=int(raw_limit))
        results = [
            {
                "type": change.type,
                "id": change.id,
                "action": change.action,
                "changed_at": change.changed_at,
                "url": request.build_absolute_uri(
                    reverse(DETAIL_ROUTES[change.type], args=[change.slug or change.id])
                )
                if change.action == "updated"
                else None,
            }
            for change in changes
        ]
        next_since = changes[-1].changed_at if changes else since
        return Response({"results": results, "next_since": next_since})

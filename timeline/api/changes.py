"""/api/v1/changes/: what changed since a time, with tombstones, so mirrors can stay in sync."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from timeline.exports import changes

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
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1 to {changes.MAX_LIMIT}."),
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
        since = changes.parse_since(request.query_params.get("since", ""))
        if since is None:
            raise ValidationError({"since": [changes.SINCE_INVALID]})
        limit = changes.parse_limit(request.query_params.get("limit", str(changes.DEFAULT_LIMIT)))
        if limit is None:
            raise ValidationError({"limit": [changes.LIMIT_INVALID]})

        def url(change: changes.Change) -> str:
            route = DETAIL_ROUTES[change.type]
            return request.build_absolute_uri(reverse(route, args=[change.slug or change.id]))

        return Response(changes.changes_page(since, limit=limit, url=url))

"""The editorial workflow beyond publishing: a proposed citation confirmed or split off, a
statement linked to an event as a claim or a denial, a merge undone. Each calls the service the
admin's action calls, so the permissions and the history are the same."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from timeline.api.decisions import (
    BulkDecisionSerializer,
    BulkResultSerializer,
    ClaimInputSerializer,
    MergeSerializer,
)
from timeline.models import Actor, Citation, Event, Merge, Statement
from timeline.services import citations, editorial, merges

CITATION_ID = OpenApiParameter(
    "citation_id", int, OpenApiParameter.PATH, description="The proposed citation's id."
)


class CitationDecisions:
    """For viewsets of items with citations (events, statements): an editor agrees a proposed
    citation reports the same thing (readers then see it as a source), or splits it off as an
    item of its own. As in the admin, editors may do both, published item or not."""

    def _proposed(self, citation_id: str) -> Any:
        item = get_object_or_404(self.get_queryset(), **{"pk": self.kwargs["pk"]})  # type: ignore[attr-defined]  # a viewset's
        # Not item.citations: the viewset prefetches the confirmed ones only.
        cited = {"event" if isinstance(item, Event) else "statement": item}
        return item, get_object_or_404(
            Citation.objects.filter(proposed=True, **cited), pk=citation_id
        )

    @extend_schema(
        summary="Confirm a proposed citation: the outlet reports the same thing",
        request=None,
        parameters=[CITATION_ID],
        responses={404: OpenApiResponse(description="No such item or proposed citation.")},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"citations/(?P<citation_id>[0-9]+)/confirm",
        filterset_class=None,
    )
    def confirm_citation(self, request: Request, citation_id: str, **kwargs: Any) -> Response:
        item, citation = self._proposed(citation_id)
        citations.citation_confirm(citation=citation, by=request.user)
        return Response(self._read(item))  # type: ignore[attr-defined]  # WritableViewSet's

    @extend_schema(
        summary="Split a proposed citation off: it reports something else, a new draft item",
        request=None,
        parameters=[CITATION_ID],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"citations/(?P<citation_id>[0-9]+)/split",
        filterset_class=None,
    )
    def split_citation(self, request: Request, citation_id: str, **kwargs: Any) -> Response:
        _, citation = self._proposed(citation_id)
        made = citations.citation_split(citation=citation, by=request.user)
        return Response(self._read(made), status=status.HTTP_201_CREATED)  # type: ignore[attr-defined]  # WritableViewSet's


DECISIONS = {
    "publish": editorial.items_publish,
    "unpublish": editorial.items_unpublish,
    "reject": editorial.items_reject,
}


class BulkDecisions:
    """Publish, unpublish or reject many items in one request, all or nothing, with what became
    of each. The same service as one item's decision, so the same permissions and history."""

    bulk_model: type[Actor] | type[Statement] | type[Event]

    @extend_schema(
        summary="Publish, unpublish or reject many at once (all or nothing)",
        request=BulkDecisionSerializer,
        responses={200: BulkResultSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def decide(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(serializer.validated_data["ids"]))
        visible = self.visible(self.bulk_model.objects.all())  # type: ignore[attr-defined]  # a viewset's
        with transaction.atomic():
            before = dict(visible.filter(pk__in=ids).values_list("pk", "status"))
            DECISIONS[serializer.validated_data["decision"]](
                items=visible.filter(pk__in=before), by=request.user
            )
            after = dict(visible.model.objects.filter(pk__in=before).values_list("pk", "status"))
        results = [
            {
                "id": pk,
                "result": "not_found"
                if pk not in before
                else ("changed" if after[pk] != before[pk] else "unchanged"),
                "status": after.get(pk),
            }
            for pk in ids
        ]
        return Response(BulkResultSerializer(results, many=True).data)


class Claims:
    """For the events viewset: link a statement that supports or denies the event."""

    @extend_schema(
        summary="Link a statement that supports or denies it (a denial marks it disputed)",
        request=ClaimInputSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def claims(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()  # type: ignore[attr-defined]  # a viewset's
        serializer = ClaimInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        editorial.claim_link(event=event, by=request.user, **serializer.validated_data)
        return Response(self._read(event), status=status.HTTP_201_CREATED)  # type: ignore[attr-defined]  # WritableViewSet's


class CanMerge(permissions.BasePermission):
    """Merges are the publishers' (those who may merge actors or events)."""

    message = "Only publishers can see and undo merges; ask a publisher."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_perm("timeline.merge_event") or user.has_perm("timeline.merge_actor"))
        )


@extend_schema_view(
    list=extend_schema(summary="List merges, newest first (publishers)"),
    retrieve=extend_schema(summary="One merge"),
)
class MergeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MergeSerializer
    permission_classes = [CanMerge]
    filterset_class = None

    def get_queryset(self) -> QuerySet[Merge]:
        return Merge.objects.select_related("merged_by").order_by("-created_at", "-pk")

    @extend_schema(
        summary="Undo it: both items exactly as they were before the merge",
        request=None,
        responses={200: MergeSerializer},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        merge = self.get_object()
        merges.merge_undo(merge=merge, by=request.user)  # checks the merge permission of its kind
        merge.refresh_from_db()
        return Response(MergeSerializer(merge).data)

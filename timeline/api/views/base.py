"""What every viewset shares: visibility, conditional requests, cache headers, and the
editorial actions (publish, unpublish, reject) of the items that have a status.

Anonymous callers (and signed-in users without the model's view permission) only ever get
published items: each `get_queryset` starts from `.published()` for them. Every read is conditional
(ETag, and Last-Modified on items) and carries cache headers; exports stream."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Prefetch
from django.http import HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from timeline import caching
from timeline.api import serializers as s
from timeline.api.parsers import TimelineJSONParser
from timeline.filters import (
    can_view_drafts,
)
from timeline.models import (
    Actor,
    Claim,
    Correction,
    EditorialQuerySet,
    Event,
    EventQuerySet,
    Status,
)
from timeline.services import editorial

READ_MAX_AGE = 60  # seconds a shared cache may keep an anonymous read
# The items with an editorial state (actors, statements, events): readers see the published.
_Visible = TypeVar("_Visible", bound=EditorialQuerySet[Any, Any])


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

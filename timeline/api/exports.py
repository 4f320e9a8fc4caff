"""The export actions every list offers (`export/csv/`, `export/jsonl/`): the list's filters,
no pagination, streamed; and the CSV's options, documented once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from timeline.exports.tabular import CSV_OPTIONS_NOTE, CsvOptions

EXPORT_FILTERS_NOTE = "Takes the same filters as the list, without pagination; streamed."
CSV_PARAMETERS = [
    OpenApiParameter(
        "excel",
        OpenApiTypes.BOOL,
        description="Start with a UTF-8 byte order mark, for Excel on Windows.",
    ),
    OpenApiParameter(
        "raw",
        OpenApiTypes.BOOL,
        description="Leave cells that start like a formula as they are (no apostrophe).",
    ),
]


def csv_options(request: Request) -> CsvOptions:
    return CsvOptions.from_params(request.query_params)


def csv_schema(what: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=f"Export {what} as CSV",
        description=f"{EXPORT_FILTERS_NOTE} One row per item; several citations go one per line "
        f"within their cells. {CSV_OPTIONS_NOTE}",
        parameters=CSV_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
    )


def jsonl_schema(what: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=f"Export {what} as JSON Lines",
        description=EXPORT_FILTERS_NOTE + " One JSON object per line.",
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR, description="JSON Lines"
            )
        },
    )


class ExportActions(viewsets.GenericViewSet):
    """`export/csv/` and `export/jsonl/` for a viewset: `exporter` is a module of
    timeline/exports with `csv_response(queryset, public=, options=)` and
    `jsonl_response(queryset, public=)`."""

    exporter: Any
    public: bool  # TimelineViewSet's: whether the caller sees what readers see

    def export_rows(self) -> QuerySet[Any]:
        return self.filter_queryset(self.get_queryset())

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        if self.action in ("export_csv", "export_jsonl"):
            # Exports answer with their own streamed type; errors before that come as JSON.
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    @action(detail=False, url_path="export/csv", pagination_class=None)
    def export_csv(self, request: Request) -> HttpResponseBase:
        response: HttpResponseBase = self.exporter.csv_response(
            self.export_rows(), public=self.public, options=csv_options(request)
        )
        return response

    @action(detail=False, url_path="export/jsonl", pagination_class=None)
    def export_jsonl(self, request: Request) -> HttpResponseBase:
        response: HttpResponseBase = self.exporter.jsonl_response(
            self.export_rows(), public=self.public
        )
        return response

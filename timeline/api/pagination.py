"""Keyset ("cursor") pagination on a composite, unique ordering such as (start_date, id).

DRF's CursorPagination positions on the first ordering field only and counts an offset among ties,
so rows added or removed on the same day between two requests can make a walk repeat or skip
items. Here the cursor holds every ordering value of the last row seen and the next page is
`WHERE (start_date, id) > (…)`, so a walk never repeats or skips a row that stays in the results,
whatever else changes. The last field must be unique (the id) and none may be null.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

if TYPE_CHECKING:
    from rest_framework.views import APIView

# Ordering name (as given in ?ordering=) → the fields it sorts by, the unique id last.
Orderings = dict[str, tuple[str, ...]]


def _descending(field: str) -> bool:
    return field.startswith("-")


def _flip(field: str) -> str:
    return field[1:] if _descending(field) else f"-{field}"


def keyset_after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows that sort strictly after `values` in `order`: (a > x) or (a = x and b > y) or …"""
    condition = Q(pk__in=[])
    for i, field in enumerate(order):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if _descending(field) else 'gt'}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    # Rows are model instances, or dicts where a view reads `values()`.
    def paginate_queryset(  # type: ignore[override]  # keyset paging orders and filters in SQL: a QuerySet, not the list DRF's base also takes
        self, queryset: QuerySet[Any, Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        orderings = self.orderings(view)
        self.base_url = request.build_absolute_uri()
        self.page_size = self._page_size(request)
        self.fields = orderings[self._ordering_name(request, orderings)]
        values, backwards = self._cursor(request, queryset, self.fields)

        order = tuple(_flip(f) for f in self.fields) if backwards else self.fields
        queryset = queryset.order_by(*order)
        if values is not None:
            queryset = queryset.filter(keyset_after(order, values))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, values is not None
        self.rows = rows
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        if not (self.has_next and self.rows):
            return None
        return self._link(self.rows[-1], backwards=False)

    def get_previous_link(self) -> str | None:
        if not (self.has_previous and self.rows):
            return None
        return self._link(self.rows[0], backwards=True)

    # Parsing the request; every bad value is a 400 naming its parameter.

    @staticmethod
    def orderings(view: APIView | None) -> Orderings:
        return getattr(view, "keyset_orderings", None) or {"id": ("id",)}

    def _ordering_name(self, request: Request, orderings: Orderings) -> str:
        name = request.query_params.get(self.ordering_query_param)
        if name is None:
            return next(iter(orderings))
        if name not in orderings:
            raise ValidationError(
                {self.ordering_query_param: [f"Use one of: {', '.join(orderings)}."]},
                code="invalid_choice",
            )
        return name

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}; got {raw[:20]!r}."
                    ]
                },
                code="out_of_range",
            )
        return size

    def _cursor(
        self, request: Request, queryset: QuerySet, fields: tuple[str, ...]
    ) -> tuple[list[Any] | None, bool]:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None, False
        invalid = ValidationError(
            {
                self.cursor_query_param: [
                    "This cursor is not valid here: use the next or previous link as given."
                ]
            },
            code="invalid_cursor",
        )
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
            values, backwards = payload["v"], payload["b"]
        except (ValueError, UnicodeError, binascii.Error, KeyError, TypeError):
            raise invalid from None
        if not isinstance(values, list) or len(values) != len(fields) or backwards not in (0, 1):
            raise invalid
        try:
            parsed = [
                self._field(queryset, f).to_python(v) for f, v in zip(fields, values, strict=True)
            ]
            # In UTC: PostgreSQL refuses offsets past ±15:59, which a forged cursor could hold.
            parsed = [v.astimezone(dt.UTC) if isinstance(v, dt.datetime) else v for v in parsed]
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            raise invalid from None
        if any(v is None or (isinstance(v, str) and "\x00" in v) for v in parsed):
            raise invalid
        return parsed, bool(backwards)

    @staticmethod
    def _field(queryset: QuerySet, name: str) -> Field:
        name = name.lstrip("-")
        try:
            return queryset.model._meta.get_field(name)
        except FieldDoesNotExist:
            return queryset.query.annotations[name].output_field

    def _link(self, row: Model | dict[str, Any], *, backwards: bool) -> str:
        # Rows are model instances, or dicts where a view reads `values()`.
        get = row.__getitem__ if isinstance(row, dict) else partial(getattr, row)
        values = [_json_value(get(f.lstrip("-"))) for f in self.fields]
        payload = json.dumps({"v": values, "b": int(backwards)}, separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(payload.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def first_page_link(self) -> str:
        return remove_query_param(self.base_url, self.cursor_query_param)

    # Schema

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    **link,
                    "description": "The next page; null on the last.",
                    "example": "https://timeline.example.org/api/v1/events/?cursor=eyJ2Ijpb",
                },
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        orderings = self.orderings(view)
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": f"Sort order (default {next(iter(orderings))}).",
                "schema": {"type": "string", "enum": list(orderings)},
            },
        ]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value

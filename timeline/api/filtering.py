"""The API's filter backend: django-filter's, refusing query parameters a list does not take.

A misspelt or foreign filter (`?category=` on statements, which have no category) would
otherwise be ignored and the whole list returned as if it matched; here it is a 400 that names
the parameter and the ones the list takes, as a bad value of a known filter already is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

# Taken by every list besides its filters: the pagination's, the format suffix's.
COMMON_PARAMETERS = frozenset({"cursor", "page_size", "ordering", "format"})


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and getattr(view, "action", None) == "list":
            known = set(filterset_class.base_filters) | COMMON_PARAMETERS
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                accepted = ", ".join(sorted(known))
                raise ValidationError(
                    {
                        name: [f"This list has no “{name}” filter; it takes: {accepted}."]
                        for name in unknown
                    }
                )
        return super().filter_queryset(request, queryset, view)

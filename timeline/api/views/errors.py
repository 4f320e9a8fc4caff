"""Errors as data: every failure an API caller gets is {detail, code, errors}."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from timeline.services import editorial

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


@csrf_exempt  # it changes nothing; a POST with a cookie gets the 404, not a CSRF page
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

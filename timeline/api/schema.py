"""OpenAPI details DRF cannot infer: the error body every operation may answer with."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="The parameter or body field at fault, dotted for nested ones "
        "(citations.0.end); null when the error is not about one field.",
    )
    code = serializers.CharField(help_text="A stable, machine-readable reason, e.g. invalid.")
    message = serializers.CharField(help_text="What is wrong and what to do, for people.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A summary for people.")
    code = serializers.CharField(help_text="e.g. invalid, not_authenticated, throttled.")
    # DRF's metaclass takes declared fields into _declared_fields: this never shadows .errors.
    errors = FieldErrorSerializer(many=True, help_text="One entry per problem.")  # type: ignore[assignment]  # see above


ERRORS = {
    "400": "The input is invalid: `errors` names each field at fault and why.",
    "401": "No valid credentials were given (a missing or wrong token).",
    "403": "The credentials do not allow this (writing needs the editors' permissions).",
    "404": "No such item, or not one you may see.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
    "503": "The database is not answering just now; retry after `Retry-After` seconds.",
}
# Only where something is written.
WRITE_ERRORS = {
    "409": "Someone saved the item after you read it (your `version` is behind), or the change "
    "clashes with the item's state: read it again and reapply your change.",
    "413": "The request body is larger than the server accepts; send less at a time.",
}


class TimelineAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors |= WRITE_ERRORS
        for code, description in errors.items():
            if code == "404" and "{" not in self.path:
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description),
                    code,
                    direction=direction,
                )
        return responses

"""The answer to a request refused before any view ran: say what was wrong, in a sentence.

Django refuses bodies past DATA_UPLOAD_MAX_MEMORY_SIZE, forms with too many fields and unknown
hosts on its own, with a bare "Bad Request (400)". API callers get the API's error envelope
instead, and everyone gets the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import format_html


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        status, code = 413, "request_too_large"
        message = (
            f"The request body is larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} "
            "bytes allowed; send less at a time."
        )
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        status, code = 400, "too_many_fields"
        message = "The request has too many fields or files; send fewer at a time."
    else:
        status, code = 400, "bad_request"
        message = "The request could not be understood; check the address and what was sent."
    if request.path.startswith("/api/"):
        error = {"field": None, "code": code, "message": message}
        return JsonResponse({"detail": message, "code": code, "errors": [error]}, status=status)
    page = format_html(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Bad request</title>"
        "</head><body><h1>Bad request</h1><p>{}</p></body></html>",
        message,
    )
    return HttpResponse(page, status=status)

"""The answer to a request that could not be served: say what was wrong, in a sentence.

Django refuses bodies past DATA_UPLOAD_MAX_MEMORY_SIZE, forms with too many fields and unknown
hosts on its own, with a bare "Bad Request (400)". API callers get the API's error envelope
instead, and everyone gets the reason. A database that does not answer is a 503 with
Retry-After (the service is down for now, not broken), and any other failure a plain 500.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.html import format_html

logger = logging.getLogger(__name__)


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
    return _answer(request, status, code, message, title="Bad request")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        "There is nothing at this address. It may have been unpublished, merged into another "
        "item, or mistyped."
    )
    return _answer(request, 404, "not_found", message, title="Page not found")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, raw files)."""
    return HttpResponseRedirect(static("favicon.svg"))


# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the failure is being handled (so `sys.exc_info`)."""
    failure = sys.exc_info()[1]
    if isinstance(failure, OperationalError | InterfaceError):
        message = (
            "The timeline's database is not answering just now; "
            f"try again in {RETRY_AFTER_SECONDS} seconds."
        )
        response = _answer(request, 503, "unavailable", message, title="Unavailable")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    message = "Something went wrong on our side; it has been logged. Try again later."
    return _answer(request, 500, "server_error", message, title="Server error")


def _answer(
    request: HttpRequest, status: int, code: str, message: str, *, title: str
) -> HttpResponse:
    if request.path.startswith("/api/"):
        error = {"field": None, "code": code, "message": message}
        return JsonResponse({"detail": message, "code": code, "errors": [error]}, status=status)
    try:
        # No request context: nothing here may need the database, which may be what failed.
        page = loader.render_to_string("error.html", {"title": title, "message": message})
    except Exception:  # the error page itself broke: still answer, in plain HTML
        logger.exception("The error page could not be rendered")
        page = format_html(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{}</title>"
            "</head><body><h1>{}</h1><p>{}</p></body></html>",
            title,
            title,
            message,
        )
    return HttpResponse(page, status=status)

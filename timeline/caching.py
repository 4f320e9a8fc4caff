"""Whole answers for anonymous readers, cached on the data's version.

Readers and anonymous API callers see published data only, the same for all of them, so the
rendered answer to a GET is kept in the cache (Redis when REDIS_URL is set, else this process's
memory) under its full URL, its format and the data version: a fingerprint of the latest change
to anything a reader sees, read in one query of indexed MAXes. Publishing, unpublishing, editing
or deleting an item changes the version, so the next request builds a fresh answer at once; the
old entries expire unread. Signed-in users (editors may see drafts) never read or fill it.

The version also holds the data's generation (`timeline.generation`), bumped after every commit
that writes to the timeline's tables: edits to articles, outlets and categories, and a commit that
lands after a newer one, change it too.

`ReaderFastLane` serves a repeat of such an answer before the rest of the middleware and the
view run, for a GET that is anonymous by construction (no session cookie, no Authorization
header): the answer as the full path last sent it, headers and all.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeGuard

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Func, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from timeline.generation import generation
from timeline.models import Actor, Citation, Crisis, Event, EventActor, EventPlace, Statement

KEY_PREFIX = "reader-answer:"


def data_version() -> str:
    """The latest change to anything readers see; "" when there is nothing to see.

    Saves bump `updated_at`; roles, citations and crisis links only ever get new ids when
    changed through the app; and a delete leaves a row in the item's history (django-simple-
    history), so the history's newest id moves on even when the newest item stays the same.
    """
    # Every cached answer starts here, so the SQL is compiled once per database, not per request
    # (building the ORM query cost more than running it).
    sql, params = _version_sql(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or not row[0]:
        return ""  # no crisis, nothing to read
    return "|".join(str(value) for value in (*row, generation()))


@functools.cache
def _version_sql(alias: str) -> tuple[str, tuple[Any, ...]]:
    # COUNT as a plain function, so that Django adds no GROUP BY: one row.
    crises = Crisis.objects.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    query = (
        Crisis.objects.order_by("pk")
        .values(
            v_crises=Subquery(crises),
            v_crisis_updated=_latest(Crisis.objects.all(), "updated_at"),
            **version_columns(),
        )[:1]
        .query
    )
    return query.get_compiler(using=alias).as_sql()


def _latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def version_columns() -> dict[str, Subquery]:
    """The latest change to any item, role, citation or crisis link, each an indexed MAX.

    A delete lowers no MAX unless it takes the newest row, so the newest history id of items
    and citations is in it too: django-simple-history records every deletion. Roles and crisis
    links are deleted with a save of their item (admin inlines, the API).
    """
    history = {
        f"v_{model._meta.model_name}_history": _latest(
            model.history.model.objects.all(),
            "history_id",
        )
        for model in (Event, Statement, Actor, Citation)
    }
    return {
        **history,
        "v_events": _latest(Event.objects.all(), "updated_at"),
        "v_statements": _latest(Statement.objects.all(), "updated_at"),
        "v_actors": _latest(Actor.objects.all(), "updated_at"),
        "v_roles": _latest(EventActor.objects.all(), "id"),
        "v_places": _latest(EventPlace.objects.all(), "id"),
        "v_citations": _latest(Citation.objects.all(), "id"),
        "v_event_links": _latest(Event.crises.through.objects.all(), "id"),
        "v_statement_links": _latest(Statement.crises.through.objects.all(), "id"),
    }


def version_for(request: HttpRequest) -> str:
    """The data version, read once per request (the fast lane may have read it already, and
    keeps the answer under it)."""
    version = getattr(request, "reader_data_version", None)
    if version is None:
        version = request.reader_data_version = data_version()  # type: ignore[attr-defined]  # our mark on the request
    return version


def response_key(request: HttpRequest, kind: str, version: str) -> str:
    """The cache key of an answer: its full URL (host and query), its format and the version."""
    raw = f"{kind}|{request.build_absolute_uri()}|{version}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def for_readers(request: HttpRequest) -> bool:
    """Whether this request may read and fill the shared cache: an anonymous GET or HEAD."""
    return (
        settings.RESPONSE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def cacheable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
    # Only whole 200s, and nothing that sets a cookie (a session or CSRF cookie is one reader's).
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and isinstance(response, HttpResponse)
    )


# What a view's django-csp decorators leave on its answer for CSPMiddleware, above the cache:
# a kept answer carries them too, or a page that loosens its policy (story mode's outlet images)
# would get the strict one from the second reader on.
CSP_MARKS = ("_csp_update", "_csp_replace", "_csp_config", "_csp_exempt")


def csp_marks(response: HttpResponseBase) -> dict[str, Any]:
    return {name: getattr(response, name) for name in CSP_MARKS if hasattr(response, name)}


def with_csp_marks(response: HttpResponse, marks: dict[str, Any] | None = None) -> HttpResponse:
    for name, value in (marks or {}).items():
        setattr(response, name, value)
    return response


def store(key: str, response: HttpResponse) -> None:
    kept = (response.content, response["Content-Type"], csp_marks(response))
    cache.set(key, kept, settings.RESPONSE_CACHE_SECONDS)


def load(key: str) -> HttpResponse | None:
    found = cache.get(key)
    if found is None:
        return None
    # An entry kept by the release before CSP marks were kept has none.
    content, content_type, *marks = found
    return with_csp_marks(HttpResponse(content, content_type=content_type), *marks)


def reader_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A reader page's whole answer from the cache for anonymous readers, as the module says."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not for_readers(request):
            return view(request, *args, **kwargs)
        version = version_for(request)
        if not version:
            return view(request, *args, **kwargs)
        _offer_to_fast_lane(request, throttles=(), conditional_in_view=False)
        key = response_key(request, "page", version)
        kept = load(key)
        if kept is not None:
            return kept
        response = view(request, *args, **kwargs)
        if cacheable(response):
            store(key, response)
        return response

    return cached_view


def api_list(method: Callable[..., Any]) -> Callable[..., Any]:
    """An API list's whole answer from the cache for anonymous callers asking for JSON.

    On a miss the view builds the answer, and `TimelineViewSet.finalize_response` stores it
    once rendered, under `view.response_cache_key`.
    """

    @functools.wraps(method)
    def cached_list(view: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        already = getattr(view, "response_cache_key", None) is not None
        # JSON only: the browsable API's HTML carries a CSRF token, which is one reader's.
        if already or not for_readers(request) or request.accepted_renderer.format != "json":
            return method(view, request, *args, **kwargs)
        version = version_for(request._request)
        if not version:
            return method(view, request, *args, **kwargs)
        # The fast lane must count a caller's requests as the view's rate limits do.
        _offer_to_fast_lane(
            request._request,
            throttles=tuple(type(throttle) for throttle in view.get_throttles()),
            conditional_in_view=True,
        )
        key = response_key(request, request.accepted_media_type, version)
        found = load(key)
        if found is not None:
            return found
        view.response_cache_key = key
        return method(view, request, *args, **kwargs)

    return cached_list


# The fast lane

# A fast-lane entry: the body, the headers, the rate limits it counts against, whether the view
# answers 304 itself (see `_offer_to_fast_lane`), and its CSP marks (see `CSP_MARKS`).
FastEntry = tuple[bytes, list[tuple[str, str]], tuple[type, ...], bool, dict[str, Any]]


def _offer_to_fast_lane(
    request: HttpRequest, *, throttles: tuple[type, ...], conditional_in_view: bool
) -> None:
    """Marks the answer as the readers' shared one: the fast lane keeps it if it comes out whole.

    `throttles`: the view's rate limits, which count every request; `conditional_in_view`: the
    view answers 304 itself (the API), below XFrameOptionsMiddleware, which then adds its header.
    """
    request.reader_answer = (throttles, conditional_in_view)  # type: ignore[attr-defined]  # our mark on the request


def anonymous_by_construction(request: HttpRequest) -> bool:
    """A GET that no middleware or authentication can turn into a signed-in user's.

    Sessions and tokens are the only ways to sign in; and a reader with a pending message (the
    messages cookie) gets the full path, which shows it.
    """
    return (
        request.method == "GET"
        and settings.RESPONSE_CACHE_SECONDS > 0
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _fast_key(request: HttpRequest, version: str) -> str:
    # The raw Accept header rather than the negotiated format: negotiating is the view's work.
    return response_key(request, f"whole|{request.META.get('HTTP_ACCEPT', '')}", version)


class ReaderFastLane:
    """Repeat answers for anonymous readers, before sessions, authentication and the view.

    Sits below SecurityMiddleware, CSPMiddleware and WhiteNoise, so their headers go on every
    answer either way; every other header is the one the full path sent when it stored the
    answer. It still reads the data version (one query), so a publish shows at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # The paths whose answer this process has kept: only their requests read the version
        # here, so the others (event pages, exports, the admin) cost no extra query.
        self.kept_paths: set[str] = set()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not anonymous_by_construction(request):
            return self.get_response(request)
        if request.path in self.kept_paths:
            version = version_for(request)
            entry: FastEntry | None = cache.get(_fast_key(request, version)) if version else None
            if entry is not None and _within_rate_limits(request, entry[2]):
                return _replay(request, entry)
        response = self.get_response(request)
        offered = getattr(request, "reader_answer", None)
        data_version = getattr(request, "reader_data_version", None)
        if offered is not None and data_version and cacheable(response):
            throttles, conditional_in_view = offered
            entry = (
                response.content,
                list(response.items()),
                throttles,
                conditional_in_view,
                csp_marks(response),
            )
            cache.set(_fast_key(request, data_version), entry, settings.RESPONSE_CACHE_SECONDS)
            self.kept_paths.add(request.path)
        return response


def _within_rate_limits(request: HttpRequest, throttles: tuple[type, ...]) -> bool:
    """Counts this request against the API's rate limits, as DRF's view would.

    Over a limit, the full path answers (429 with Retry-After); a refused request is not counted,
    so it is not counted twice.
    """
    if not throttles:
        return True
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()  # the throttles ask; AuthenticationMiddleware replaces it
    allowed = [throttle().allow_request(request, None) for throttle in throttles]
    return all(allowed)


def _replay(request: HttpRequest, entry: FastEntry) -> HttpResponseBase:
    content, headers, _, conditional_in_view, *kept = entry
    marks = kept[0] if kept else {}
    response = with_csp_marks(HttpResponse(content), marks)
    for name, value in headers:
        response[name] = value
    # What ConditionalGetMiddleware (pages) or the API view does: 304 for a matching validator.
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    answer = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
    assert answer is not None  # given a response, it answers with it or with a 304
    with_csp_marks(answer, marks)
    if answer is not response and conditional_in_view and response.has_header("X-Frame-Options"):
        answer["X-Frame-Options"] = response["X-Frame-Options"]
    if not answer.has_header("Content-Length"):  # as CommonMiddleware does
        answer["Content-Length"] = str(len(answer.content))
    return answer

"""The timeline in other sites' pages: the embeddable view and its oEmbed description.

`/embed/crises/<slug>/` is the reading view alone (the filters come from its address), framable by
the origins in `EMBED_ALLOWED_ORIGINS` and by this site; every other page refuses to be framed.
`/oembed` answers the oEmbed 1.0 question "how do I embed this address?" for a timeline's page or
its embed, so a CMS that speaks oEmbed turns a pasted timeline link into the live timeline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from csp.constants import SELF
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse

from timeline.models import Crisis
from timeline.views.common import crisis_version, crisis_with_version
from timeline.views.snippets import EMBED_HEIGHT, EMBED_WIDTH, embed_links, embed_title, iframe
from timeline.views.timeline import FILTER_KEYS, TimelineView

# The pages oEmbed describes: a crisis's timeline and its embed, with the timeline's filters.
EMBEDDABLE_PAGES = ("timeline:crisis", "timeline:embed")
# oEmbed's cache_age: how long a consumer may keep the description (the timeline inside is live).
OEMBED_CACHE_SECONDS = 86_400


def framable_by_newsrooms(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Lets this site and the `EMBED_ALLOWED_ORIGINS` frame the view's answers, and no one else.

    Outside the readers' cache (`reader_page`), so a cached answer is allowed the same; and read
    per request, so the policy is always the setting's. X-Frame-Options cannot name origins, so
    the answer goes without it and `frame-ancestors` alone decides.
    """

    @functools.wraps(view)
    def framable(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": [SELF, *settings.EMBED_ALLOWED_ORIGINS]}  # type: ignore[attr-defined]  # read by django-csp's middleware
        response.xframe_options_exempt = True  # type: ignore[attr-defined]  # read by Django's XFrameOptionsMiddleware
        return response

    return framable


def embed_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    crisis = get_object_or_404(crisis_with_version(), slug=slug)
    view = TimelineView.from_request(request, crisis, page="timeline:embed")
    timeline = view.build(version=crisis_version(crisis))
    context = {
        "crisis": crisis,
        "view": view,
        "timeline": timeline,
        "full_url": view.url("timeline:crisis"),
        "embed": embed_links(
            request, crisis.title, view.url("timeline:crisis"), view.url(after=None, before=None)
        ),
    }
    return render(request, "timeline/embed.html", context, status=200 if view.valid else 400)


def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 (https://oembed.com): a "rich" answer whose html is the timeline's `<iframe>`."""
    if request.GET.get("format", "json") != "json":
        return _refusal("Only format=json is offered.", status=501)
    address = request.GET.get("url", "").strip()
    if not address:
        return _refusal("Give the address of a timeline of this site as url=….", status=400)
    try:
        width = _dimension(request, "maxwidth", EMBED_WIDTH)
        height = _dimension(request, "maxheight", EMBED_HEIGHT)
    except ValueError as error:
        return _refusal(str(error), status=400)
    crisis, query = _embedded(request, address)
    if crisis is None:
        return _refusal(f"{address} is not a crisis timeline of this site.", status=404)
    embed = reverse("timeline:embed", args=[crisis.slug]) + (f"?{query}" if query else "")
    src = request.build_absolute_uri(embed)
    title = embed_title(crisis.title)
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": "Crisis Timeline",
            "provider_url": request.build_absolute_uri("/"),
            "cache_age": OEMBED_CACHE_SECONDS,
            "html": iframe(src, title, width=width, height=height),
            "width": width,
            "height": height,
        }
    )


def _embedded(request: HttpRequest, address: str) -> tuple[Crisis | None, str]:
    """The crisis a timeline address of this site shows, and the filters of its query."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.get_host().lower():
        return None, ""
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None, ""
    if match.view_name not in EMBEDDABLE_PAGES:
        return None, ""
    crisis = Crisis.objects.filter(slug=match.kwargs["slug"]).first()
    filters = [(key, value) for key, value in parse_qsl(parts.query) if key in (*FILTER_KEYS, "at")]
    return crisis, urlencode(filters)


def _dimension(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise ValueError(f"{name} must be a whole number of pixels above 0; got {raw!r}.")
    return min(int(raw), default)


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)

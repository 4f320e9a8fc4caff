"""Stylesheets built from editors' data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from timeline.models import EventCategory


def category_css(request: HttpRequest) -> HttpResponse:
    """Category colours as a stylesheet: editors change them, and the pages use no inline styles."""
    rules = [
        f".lane-{c.slug}, [data-category={c.slug}] {{ --category: {c.colour}; }}"
        for c in EventCategory.objects.all()
    ]
    rules.append(".lane-statements { --category: #444b53; }")
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response

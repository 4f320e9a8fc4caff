"""Template tags for the editors' admin."""

from __future__ import annotations

from typing import Any

from django import template

from timeline.admin.review import review_counts

register = template.Library()


@register.simple_tag
def left_to_review() -> dict[str, Any]:
    return review_counts()

"""What the service modules share: the acting user's type and small helpers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account

    # What `request.user` is, in a view, the admin and the API.
    User = Account | AnonymousUser


def reviewer(by: User | None) -> Account | None:
    """The user to record as having acted: None for the system and for anonymous requests."""
    return by if by is not None and by.is_authenticated else None


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))

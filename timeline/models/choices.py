"""The leaf of the models package: editorial states, provenance, date precision and the
normalising rules (article fingerprints, actor-name keys, slugs). Every model module may import
this; it imports nothing of the app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Container, Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class Provenance(models.TextChoices):
    MACHINE = "machine", "Extracted by the machine"
    EDITOR = "editor", "Entered by an editor"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# The dates an item may carry. Python's own limits (years 1 and 9999) leave no room to count days
# around a date; news about a crisis never needs them.
EARLIEST_DATE = dt.date(1000, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def validate_plausible_date(value: dt.date) -> None:
    """Refuses dates outside EARLIEST_DATE–LATEST_DATE, saying which range is allowed."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def days_from(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the first or last date Python can hold."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def content_hash(text: str) -> str:
    """The fingerprint that makes re-ingesting the same article text a no-op."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def slug_base(name: str, *, fallback: str) -> str:
    """The slug a name asks for ("Joe Biden" → "joe-biden"); `fallback` when it has no letters."""
    return slugify(name)[:200] or fallback


def first_free_slug(base: str, taken: Container[str]) -> str:
    """`base`, or the first of "base-2", "base-3"… not in `taken`."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def new_alias_keys(
    own_name: str, names: Iterable[str], known: set[str]
) -> Iterator[tuple[str, str]]:
    """Each of `names` worth storing as another name of the actor called `own_name`, with its
    key: not its own name, not a key in `known` (which it adds to), not empty."""
    own_key = alias_key(own_name)
    for name in names:
        key = alias_key(name)
        if key and key != own_key and key not in known:
            known.add(key)
            yield name, key


def alias_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name for matching."""
    return slugify(name).replace("-", " ")

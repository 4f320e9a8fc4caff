"""The leaf of the models package: editorial states, provenance, date precision and the two
normalising rules (article fingerprints, actor-name keys). Every model module may import this;
it imports nothing of the app.
"""

from __future__ import annotations

import hashlib

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


def content_hash(text: str) -> str:
    """The fingerprint that makes re-ingesting the same article text a no-op."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def alias_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name for matching."""
    return slugify(name).replace("-", " ")

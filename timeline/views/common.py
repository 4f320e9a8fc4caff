"""What the reader pages share: the data version their cached counts are keyed on, and what
readers may see of an item's speaker and corrections."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from timeline.caching import version_columns
from timeline.generation import generation
from timeline.models import Correction, Crisis, Statement

# Counts over the whole crisis (overview, filters, totals) are kept this long, keyed on the data's
# version (see `crisis_with_version`), so a change shows at once and nothing stale lingers.
AGGREGATE_SECONDS = 600


def crisis_with_version() -> QuerySet[Crisis]:
    """Crises with a fingerprint of the timeline's data (`caching.version_columns`), read in the
    same query as the crisis."""
    return Crisis.objects.annotate(**version_columns())


def crisis_version(crisis: Crisis) -> str:
    parts = [str(getattr(crisis, name)) for name in dir(crisis) if name.startswith("v_")]
    return f"{crisis.updated_at.isoformat()}|{'|'.join(parts)}|{generation()}"


def hide_unpublished_speaker(statement: Statement) -> None:
    """Readers see a statement by a speaker still in review as by an unnamed speaker."""
    if statement.speaker and not statement.speaker.is_published:
        statement.speaker = None


def corrections(lookup: str = "corrections") -> Prefetch:
    """An item's public record of changes, oldest first."""
    return Prefetch(lookup, queryset=Correction.objects.order_by("created_at", "pk"))

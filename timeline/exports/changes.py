"""What changed since a given time, for mirrors: updates of published items and tombstones.

Built on the editorial history (django-simple-history). An item a mirror may hold is one that is,
or once was, published; when it is no longer published (unpublished, rejected, merged away or
deleted) the feed reports a tombstone so the mirror removes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_datetime

from timeline.models import Actor, Event, Statement, Status

TRACKED: dict[str, type[Event] | type[Statement] | type[Actor]] = {
    "event": Event,
    "statement": Statement,
    "actor": Actor,
}
DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
SINCE_INVALID = "Give a date and time with its zone, e.g. 2022-02-11T00:00:00Z."
LIMIT_INVALID = f"Give a whole number from 1 to {MAX_LIMIT}."


@dataclass(frozen=True)
class Change:
    type: str  # "event", "statement" or "actor"
    id: int
    action: str  # "updated" (fetch it again) or "deleted" (a tombstone: remove it)
    changed_at: dt.datetime
    slug: str = ""  # actors are addressed by slug


def changes_since(since: dt.datetime, *, limit: int = DEFAULT_LIMIT) -> list[Change]:
    """Changes to public items after `since`, oldest first, at most `limit` of them.

    Items whose changes all happened while they were never published are left out: mirrors
    never saw them.
    """
    cap = limit * 4
    latest: dict[tuple[str, int], dt.datetime] = {}
    horizon: dt.datetime | None = None  # past it, some model's rows were not read this time
    for name, model in TRACKED.items():
        history = model.history.filter(history_date__gt=since).order_by("history_date")
        rows = list(history.values_list("id", "history_date")[:cap])
        if len(rows) == cap:
            horizon = rows[-1][1] if horizon is None else min(horizon, rows[-1][1])
        for item_id, changed_at in rows:
            latest[(name, item_id)] = changed_at
    entries = [e for e in latest.items() if horizon is None or e[1] <= horizon]
    ordered = sorted(entries, key=lambda entry: (entry[1], entry[0]))[:limit]

    changes: list[Change] = []
    for name in TRACKED:
        model = TRACKED[name]
        ids = [item_id for (kind, item_id), _ in ordered if kind == name]
        published_now = dict(
            model.objects.filter(pk__in=ids, status=Status.PUBLISHED).values_list(
                "pk", "slug" if name == "actor" else "pk"
            )
        )
        ever_published = set(
            model.history.filter(id__in=ids, first_published_at__isnull=False)
            .values_list("id", flat=True)
            .distinct()
        )
        for (kind, item_id), changed_at in ordered:
            if kind != name:
                continue
            if item_id in published_now:
                slug = str(published_now[item_id]) if name == "actor" else ""
                changes.append(Change(name, item_id, "updated", changed_at, slug))
            elif item_id in ever_published:
                changes.append(Change(name, item_id, "deleted", changed_at))
    changes.sort(key=lambda change: (change.changed_at, change.type, change.id))
    return changes


def parse_since(raw: str) -> dt.datetime | None:
    """An ISO 8601 time with its zone, in UTC; None when it is missing, naive or impossible."""
    try:
        since = parse_datetime(raw) if raw else None
        # In UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows.
        since = since.astimezone(dt.UTC) if since and since.tzinfo else since
    except (ValueError, OverflowError):  # well-formed but impossible: 2022-02-30, year 0
        since = None
    return since if since is not None and since.tzinfo is not None else None


def parse_limit(raw: str) -> int | None:
    """How many changes a page holds, from 1 to MAX_LIMIT; None for anything else."""
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_LIMIT else None


def changes_page(since: dt.datetime, *, limit: int, url: Callable[[Change], str]) -> dict[str, Any]:
    """A page of changes as mirrors read it: `url` gives where an updated item is read again
    (a tombstone has none), and `next_since` where the next page starts."""
    changes = changes_since(since, limit=limit)
    results = [
        {
            "type": change.type,
            "id": change.id,
            "action": change.action,
            "changed_at": change.changed_at,
            "url": url(change) if change.action == "updated" else None,
        }
        for change in changes
    ]
    return {"results": results, "next_since": changes[-1].changed_at if changes else since}

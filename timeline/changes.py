"""What changed since a given time, for mirrors: updates of published items and tombstones.

Built on the editorial history (django-simple-history). An item a mirror may hold is one that is,
or once was, published; when it is no longer published (unpublished, rejected, merged away or
deleted) the feed reports a tombstone so the mirror removes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Model

from timeline.models import Actor, Event, Statement, Status

TRACKED: dict[str, type[Model]] = {"event": Event, "statement": Statement, "actor": Actor}


@dataclass(frozen=True)
class Change:
    type: str  # "event", "statement" or "actor"
    id: int
    action: str  # "updated" (fetch it again) or "deleted" (a tombstone: remove it)
    changed_at: dt.datetime
    slug: str = ""  # actors are addressed by slug


def changes_since(since: dt.datetime, *, limit: int = 500) -> list[Change]:
    """Changes to public items after `since`, oldest first, at most `limit` of them.

    Items whose changes all happened while they were never published are left out: mirrors
    never saw them.
    """
    cap = limit * 4
    latest: dict[tuple[str, int], dt.datetime] = {}
    horizon: dt.datetime | None = None  # past it, some model's rows were not read this time
    for name, model in TRACKED.items():
        history = model.history.filter(history_date__gt=since).order_by("history_date")  # type: ignore[attr-defined]
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
            model.history.filter(id__in=ids, first_published_at__isnull=False)  # type: ignore[attr-defined]
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

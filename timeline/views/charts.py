"""Small charts drawn on the server as SVG shapes: no chart library, no script."""

from __future__ import annotations

import datetime as dt
from typing import Any

from timeline.models import Event, EventQuerySet, Statement, StatementQuerySet


def activity_chart(
    events: EventQuerySet[Event], statements: StatementQuerySet[Statement]
) -> dict[str, Any]:
    """Bars per month (per year past five years) for the actor page's small SVG chart."""
    counts: dict[dt.date, list[int]] = {}
    # Counted per day in the database and folded into months here: on SQLite, truncating to
    # the month calls a Python function for every row (0.7 s for an actor in 10,000 events).
    for row in events.density("day"):
        counts.setdefault(row["bin"].replace(day=1), [0, 0])[0] += row["n"]
    for row in statements.density("day"):
        counts.setdefault(row["bin"].replace(day=1), [0, 0])[1] += row["n"]
    if not counts:
        return {"bars": [], "width": 0}
    first, last = min(counts), max(counts)
    yearly = (last.year - first.year) > 5
    if yearly:
        merged: dict[dt.date, list[int]] = {}
        for month, (e, s) in counts.items():
            bucket = merged.setdefault(month.replace(month=1), [0, 0])
            bucket[0] += e
            bucket[1] += s
        counts, first = merged, first.replace(month=1)
    bins = []
    current = first
    while current <= last:
        bins.append(current)
        if yearly:
            current = current.replace(year=current.year + 1)
        else:
            current = current.replace(
                year=current.year + current.month // 12, month=current.month % 12 + 1
            )
    peak = max(e + s for e, s in counts.values())
    height, bar = 60, 12
    bars = []
    for i, start in enumerate(bins):
        e, s = counts.get(start, [0, 0])
        eh = round(height * e / peak)
        sh = round(height * s / peak)
        bars.append(
            {
                "x": i * (bar + 2),
                "label": start.strftime("%Y" if yearly else "%b %Y"),
                "events": e,
                "statements": s,
                "event_y": height - eh,
                "event_h": eh,
                "statement_y": height - eh - sh,
                "statement_h": sh,
            }
        )
    return {"bars": bars, "width": len(bins) * (bar + 2), "height": height, "bar": bar}

"""The timeline's axis: the items of one window of dates, and lanes by actor or by place.

The page carries counts per day and category (`TimelineView.build`), enough for the axis's
density bars at any zoom. Labels need more: when the counts say a window's items could fit as
labels, the axis asks `axis_items` for them, with the page's filters and a limit, so an answer
never holds more than `AXIS_ITEM_LIMIT` items of each kind, whatever the crisis. Lanes by actor
or by place need their own counts, read once per filter set by `axis_lanes` and cached like the
page's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.db.models.functions import Trunc
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from timeline.models import (
    Citation,
    Event,
    EventActor,
    EventPlace,
    EventQuerySet,
    Statement,
    StatementQuerySet,
)
from timeline.templatetags.timeline import date_label
from timeline.views.common import (
    AGGREGATE_SECONDS,
    crisis_version,
    crisis_with_version,
    hide_unpublished_speaker,
)
from timeline.views.timeline import TimelineView, encode_cursor, parse_date

# Past this many events (or statements) in a window its items could not fit as labels anyway:
# the axis draws density bars there and the answer says it is incomplete.
AXIS_ITEM_LIMIT = 300
# Lanes by actor or by place: the busiest few get a lane each, the rest share one.
LANE_LIMIT = 8
# Distinguishable from each other and from the category colours' reds and blues, each with a
# contrast of at least 3:1 against white for the bars.
LANE_COLOURS = (
    "#8a4f00",
    "#00777a",
    "#7a3e9d",
    "#3d6b00",
    "#a1306a",
    "#285f9e",
    "#6e5a00",
    "#b03a1a",
)
OTHERS_COLOUR = "#5b6770"


def axis_items(request: HttpRequest, slug: str) -> JsonResponse:
    """The filtered items dated within `start`–`end` (ISO dates), each with what the axis labels
    it by and its card shows: date, title, category, actors, places and first citation."""
    crisis = get_object_or_404(crisis_with_version(), slug=slug)
    view = TimelineView.from_request(request, crisis)
    start, end = parse_date(request.GET.get("start")), parse_date(request.GET.get("end"))
    if start is None or end is None or end < start:
        return JsonResponse(
            {"error": "Give the window as start=YYYY-MM-DD&end=YYYY-MM-DD, start first."},
            status=400,
        )
    events = list(
        view.events()
        .between(start, end)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=EventActor.objects.filter(actor__status="published").select_related(
                    "actor"
                ),
            ),
            Prefetch("place_links", queryset=EventPlace.objects.select_related("place")),
            Prefetch("citations", queryset=Citation.objects.for_display()),
        )
        .forwards()[: AXIS_ITEM_LIMIT + 1]
    )
    statements = list(
        view.statements()
        .filter(date__range=(start, end))
        .select_related("speaker")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.for_display()))
        .forwards()[: AXIS_ITEM_LIMIT + 1]
    )
    if not view.valid:
        return JsonResponse({"error": "Some filters could not be used.", **view.errors}, status=400)
    complete = len(events) <= AXIS_ITEM_LIMIT and len(statements) <= AXIS_ITEM_LIMIT
    items = [_event_item(e) for e in events[:AXIS_ITEM_LIMIT]]
    items += [_statement_item(s) for s in statements[:AXIS_ITEM_LIMIT]]
    items.sort(key=lambda item: item["cursor"])
    return JsonResponse(
        {"start": start.isoformat(), "end": end.isoformat(), "complete": complete, "items": items}
    )


def _first_citation(obj: Event | Statement) -> dict[str, str] | None:
    citation = next(iter(obj.citations.all()), None)
    if citation is None:
        return None
    source = citation.article.source or citation.article.publisher
    return {"outlet": source.name if source else "Unknown outlet", "excerpt": citation.excerpt}


def _dates(start: dt.date, end: dt.date | None, precision: str) -> dict[str, Any]:
    label = date_label(start, precision)
    if end and date_label(end, precision) != label:  # not "week of 7 Feb – week of 7 Feb"
        label = f"{label} – {date_label(end, precision)}"
    return {
        "start": start.isoformat(),
        "end": end.isoformat() if end and end != start else None,
        "precision": precision,
        "date_label": label,
    }


def _event_item(event: Event) -> dict[str, Any]:
    actors: dict[str, str] = {}
    for role in event.roles.all():
        actors.setdefault(role.actor.slug, role.actor.name)
    return {
        "kind": "event",
        "anchor": f"event-{event.pk}",
        "cursor": encode_cursor((event.start_date, 0, event.pk)),
        "title": event.title,
        **_dates(event.start_date, event.end_date, event.date_precision),
        "fallback": event.date_is_fallback,
        "lane": event.category.slug,
        "category": event.category.name,
        "actors": [[slug, name] for slug, name in actors.items()],
        "places": sorted({link.place.slug for link in event.place_links.all()}),
        "citation": _first_citation(event),
        "url": event.get_absolute_url(),
    }


def _statement_item(statement: Statement) -> dict[str, Any]:
    hide_unpublished_speaker(statement)
    assert statement.date is not None  # the timeline reads only dated statements
    words = statement.text if len(statement.text) <= 90 else statement.text[:89] + "…"
    speaker = statement.speaker
    return {
        "kind": "statement",
        "anchor": f"statement-{statement.pk}",
        "cursor": encode_cursor((statement.date, 1, statement.pk)),
        "title": f"“{words}”",
        **_dates(statement.date, None, statement.date_precision),
        "fallback": False,
        "lane": "statements",
        "category": "Statement",
        "actors": [[speaker.slug, speaker.name]] if speaker else [],
        "places": [],
        "citation": _first_citation(statement),
        "url": f"#statement-{statement.pk}",
    }


def axis_lanes(request: HttpRequest, slug: str) -> JsonResponse:
    """Counts per day (or week, `unit`) in one lane per busiest actor (or place) of the filtered
    crisis, and one for all the rest: what the axis draws as density bars in those lanes."""
    crisis = get_object_or_404(crisis_with_version(), slug=slug)
    view = TimelineView.from_request(request, crisis)
    by = request.GET.get("lanes", "")
    unit = request.GET.get("unit", "day")
    if by not in ("actor", "place") or unit not in ("day", "week"):
        return JsonResponse(
            {"error": "Ask for lanes=actor or lanes=place, with unit=day or unit=week."},
            status=400,
        )
    query = [*sorted((key, tuple(values)) for key, values in view.params.items()), by, unit]
    version = crisis_version(crisis)
    digest = hashlib.sha256(f"{version}|{query!r}|{view.period!r}".encode()).hexdigest()
    key = f"timeline:axis-lanes:1:{crisis.pk}:{digest}"
    answer = cache.get(key)
    if answer is None:
        events, statements = view.events(counting=True), view.statements(counting=True)
        answer = (
            _actor_lanes(events, statements, unit)
            if by == "actor"
            else _place_lanes(events, statements, unit)
        )
        if view.valid:
            cache.set(key, answer, AGGREGATE_SECONDS)
    if not view.valid:
        return JsonResponse({"error": "Some filters could not be used.", **view.errors}, status=400)
    return JsonResponse(answer)


def _bin(field: str, unit: str) -> F | Trunc:
    return F(field) if unit == "day" else Trunc(field, unit)


def _lanes(named: list[tuple[str, str, int]], others: str) -> list[dict[str, Any]]:
    lanes = [
        {"slug": slug, "name": name, "colour": LANE_COLOURS[i], "count": n}
        for i, (slug, name, n) in enumerate(named)
    ]
    lanes.append({"slug": "", "name": others, "colour": OTHERS_COLOUR, "count": 0})
    return lanes


def _answer(
    lanes: list[dict[str, Any]], rows: list[tuple[dt.date, int, int]], unit: str
) -> dict[str, Any]:
    bins = sorted([day.isoformat(), lane, n] for day, lane, n in rows)
    lanes[-1]["count"] = sum(n for _, lane, n in bins if lane == len(lanes) - 1)
    return {"lanes": lanes, "unit": unit, "bins": bins}


def _actor_lanes(
    events: EventQuerySet[Event], statements: StatementQuerySet[Statement], unit: str
) -> dict[str, Any]:
    """An event with two of the busiest actors counts in both their lanes, as it shows in both."""
    counts: dict[tuple[int, str, str], int] = {}
    for pk, slug, name, n in [
        *EventActor.objects.filter(event__in=events.values("pk"), actor__status="published")
        .values_list("actor_id", "actor__slug", "actor__name")
        .annotate(n=Count("event", distinct=True)),
        *statements.filter(speaker__status="published")
        .order_by()
        .values_list("speaker_id", "speaker__slug", "speaker__name")
        .annotate(n=Count("pk")),
    ]:
        counts[(pk, slug, name)] = counts.get((pk, slug, name), 0) + n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][2]))[:LANE_LIMIT]
    lane_of = {pk: i for i, ((pk, _, _), _) in enumerate(top)}
    lanes = _lanes([(slug, name, n) for (_, slug, name), n in top], "Other actors")
    others = len(top)
    rows: list[tuple[dt.date, int, int]] = [
        (row["bin"], lane_of[row["actor_id"]], row["n"])
        for row in EventActor.objects.filter(event__in=events.values("pk"), actor__in=lane_of)
        .annotate(bin=_bin("event__start_date", unit))
        .values("bin", "actor_id")
        .annotate(n=Count("event", distinct=True))
        .order_by()
    ]
    rows += [
        (row["bin"], lane_of[row["speaker_id"]], row["n"])
        for row in statements.filter(speaker__in=lane_of).density(unit, by="speaker_id")
    ]
    unnamed = events.exclude(
        Exists(EventActor.objects.filter(event=OuterRef("pk"), actor__in=lane_of))
    )
    rows += [(row["bin"], others, row["n"]) for row in unnamed.density(unit)]
    rest = statements.exclude(speaker__in=lane_of)
    rows += [(row["bin"], others, row["n"]) for row in rest.density(unit)]
    return _answer(lanes, rows, unit)


def _place_lanes(
    events: EventQuerySet[Event], statements: StatementQuerySet[Statement], unit: str
) -> dict[str, Any]:
    """Statements have no place: they count with the events at none of the busiest places."""
    top = list(
        EventPlace.objects.filter(event__in=events.values("pk"))
        .values_list("place_id", "place__slug", "place__name")
        .annotate(n=Count("event", distinct=True))
        .order_by("-n", "place__name")[:LANE_LIMIT]
    )
    lane_of = {pk: i for i, (pk, _, _, _) in enumerate(top)}
    lanes = _lanes([(slug, name, n) for _, slug, name, n in top], "Elsewhere or no place")
    others = len(top)
    rows: list[tuple[dt.date, int, int]] = [
        (row["bin"], lane_of[row["place_id"]], row["n"])
        for row in EventPlace.objects.filter(event__in=events.values("pk"), place__in=lane_of)
        .annotate(bin=_bin("event__start_date", unit))
        .values("bin", "place_id")
        .annotate(n=Count("event", distinct=True))
        .order_by()
    ]
    elsewhere = events.exclude(
        Exists(EventPlace.objects.filter(event=OuterRef("pk"), place__in=lane_of))
    )
    rows += [(row["bin"], others, row["n"]) for row in elsewhere.density(unit)]
    rows += [(row["bin"], others, row["n"]) for row in statements.density(unit)]
    return _answer(lanes, rows, unit)

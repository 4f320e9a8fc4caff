"""Where things happened: the timeline's map data and a page per place."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from timeline.models import Crisis, Event, EventPlace, EventQuerySet, Place

PLACE_EVENT_LIMIT = 100
# Past this many (day, place, lane) rows the map gets monthly counts.
MAX_MAP_ROWS = 20_000


def map_data(events: EventQuerySet[Event], unit: str, lane_of: dict[int, int]) -> dict[str, Any]:
    """The places of `events` with their coordinates, and how many events happened at each per
    bin of `unit` and lane (the overview's lanes): the map sizes its markers for any window of
    the overview from these rows, without asking the server again."""
    rows = list(events.place_density(unit)[: MAX_MAP_ROWS + 1])
    if len(rows) > MAX_MAP_ROWS:
        # a long or busy crisis: monthly counts keep the page light, and the map still follows
        # the overview's window to the month
        unit = "month"
        rows = list(events.place_density(unit))
    places: list[dict[str, Any]] = []
    index: dict[int, int] = {}
    bins = []
    for row in rows:
        i = index.get(row["place_id"])
        if i is None:
            i = index[row["place_id"]] = len(places)
            places.append(
                {
                    "slug": row["slug"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "lat": row["latitude"],
                    "lon": row["longitude"],
                    "count": 0,
                }
            )
        places[i]["count"] += row["n"]
        bins.append([row["bin"].isoformat(), i, lane_of.get(row["category_id"], 0), row["n"]])
    return {"places": places, "bins": bins, "unit": unit}


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place.objects.select_related("country", "actor"), slug=slug)
    events = Event.objects.published().filter(
        Exists(EventPlace.objects.filter(event=OuterRef("pk"), place=place))
    )
    event_count = events.count()
    if not event_count:
        raise Http404("No published event happened at this place.")
    crises = list(
        Crisis.objects.filter(
            Exists(
                Event.crises.through.objects.filter(
                    crisis=OuterRef("pk"), event__in=events.values("pk")
                )
            )
        )
    )
    within = (
        EventPlace.objects.filter(
            place__country=place, event__in=Event.objects.published().values("pk")
        )
        .values("place__slug", "place__name")
        .annotate(n=Count("event_id"))
        .order_by("place__name")
    )
    actor = place.actor if place.actor and place.actor.is_published else None
    return render(
        request,
        "timeline/place.html",
        {
            "place": place,
            "actor": actor,
            "crises": crises,
            "within": list(within),
            "events": events.select_related("category").forwards()[:PLACE_EVENT_LIMIT],
            "event_count": event_count,
            "limit": PLACE_EVENT_LIMIT,
        },
    )

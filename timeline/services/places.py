"""Places: storing the gazetteer entries an extraction resolved, and linking events to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db.models import Count

from timeline.models import (
    Actor,
    Crisis,
    Event,
    EventPlace,
    Place,
    first_free_slug,
    slug_base,
)
from timeline.services.common import unit

if TYPE_CHECKING:
    from timeline.extraction.types import ResolvedPlace

# The crisis's places weigh as much as this many of the article's own names, at most: an
# article about Atlanta in a crisis about the Caucasus still means the US state by "Georgia".
CRISIS_WEIGHT = 5.0


def crisis_context(crises: Sequence[Crisis]) -> dict[str, float]:
    """How often each state (ISO alpha-2) holds the crises' places so far, scaled so that all of
    them weigh CRISIS_WEIGHT: the context the resolver tells ambiguous names apart in."""
    if not crises:
        return {}
    rows = (
        EventPlace.objects.filter(event__crises__in=list(crises))
        .values("place__iso_code", "place__kind", "place__country__iso_code")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, float] = defaultdict(float)
    for row in rows:
        own = row["place__iso_code"] if row["place__kind"] == Place.Kind.COUNTRY else ""
        code = own or row["place__country__iso_code"]
        if code:
            counts[code] += row["n"]
    total = sum(counts.values())
    return {code: CRISIS_WEIGHT * n / total for code, n in counts.items()} if total else {}


def places_store(found: Iterable[ResolvedPlace]) -> dict[str, Place]:
    """The stored place of each resolved entry, by gazetteer key, adding the missing ones.

    A new place gets the country it lies in (stored too, from the gazetteer, when new) and is
    linked to the state actor of the same name, if there is one. Queries: the known places, the
    slugs taken, the state actors of the new names, and the inserts.
    """
    from timeline.extraction.places import get_gazetteer

    wanted: dict[str, ResolvedPlace] = {p.key: p for p in found}
    if not wanted:
        return {}
    gazetteer = get_gazetteer()
    countries = {f"iso:{p.country}" for p in wanted.values() if p.country and p.kind != "country"}
    keys = set(wanted) | countries
    stored = {place.gazetteer_id: place for place in Place.objects.filter(gazetteer_id__in=keys)}
    missing = [key for key in sorted(keys) if key not in stored]
    if not missing:
        return {key: stored[key] for key in wanted}
    taken = set(Place.objects.values_list("slug", flat=True))
    rows: list[tuple[str, str, str, str, float, float, str]] = []
    for key in missing:
        entry = gazetteer.get(key)
        if entry is not None:
            rows.append(
                (
                    key,
                    entry.name,
                    entry.kind,
                    entry.iso_code,
                    entry.latitude,
                    entry.longitude,
                    entry.country,
                )
            )
        elif key in wanted:
            p = wanted[key]
            rows.append((key, p.name, p.kind, p.iso_code, p.latitude, p.longitude, p.country))
    states = {
        actor.name.casefold(): actor
        for actor in Actor.objects.filter(
            kind=Actor.Kind.STATE, name__in=[row[1] for row in rows if row[2] == "country"]
        )
    }
    new: list[Place] = []
    for key, name, kind, iso_code, latitude, longitude, _ in rows:
        slug = first_free_slug(slug_base(name, fallback="place"), taken)
        taken.add(slug)
        new.append(
            Place(
                gazetteer_id=key,
                name=name[:200],
                slug=slug,
                kind=kind,
                iso_code=iso_code,
                latitude=latitude,
                longitude=longitude,
                actor=states.get(name.casefold()) if kind == "country" else None,
            )
        )
    Place.objects.bulk_create(new)
    stored.update({place.gazetteer_id: place for place in new})
    within = []
    for place, row in zip(new, rows, strict=True):
        lies_in = stored.get(f"iso:{row[6]}") if row[6] and row[2] != "country" else None
        if lies_in is not None:
            place.country = lies_in
            within.append(place)
    Place.objects.bulk_update(within, ["country"])
    return {key: stored[key] for key in wanted if key in stored}


def event_places_store(links: Sequence[tuple[Event, Sequence[ResolvedPlace]]]) -> list[EventPlace]:
    """Link each event to the places resolved for it (events already stored; a link already
    there stays as it is). Returns the links made."""
    places = places_store(p for _, found in links for p in found)
    rows = [
        EventPlace(
            event=event,
            place=places[p.key],
            mention=(p.mention.text if p.mention else p.name)[:200],
            confidence=unit(p.confidence),
        )
        for event, found in links
        for p in found
        if p.key in places
    ]
    EventPlace.objects.bulk_create(rows, ignore_conflicts=True)
    return rows

"""What the gazetteer tells the actor rules: which names stand for a state, which are places.

A capital ("Moscow said") or a seat of government ("the Kremlin said") stands for its state where it
acts or speaks; a city, region, sea or site that spaCy takes for a person or an organisation is a
place, not an actor. Both come from the offline gazetteers (timeline.extraction.places), so they
hold for every crisis and no list of one crisis's cities is kept here.
"""

from __future__ import annotations

import functools

from timeline.extraction.actors.lexicon import canonical_state
from timeline.extraction.places.gazetteer import Entry, get_gazetteer

# Where an institution, not the host state, is meant: "Brussels said" is the European Union.
INSTITUTION_SEATS: dict[str, str] = {"brussels": "European Union"}
# An organisation-tagged place name is only a place when it cannot be a team or a body: cities
# name football clubs ("Leeds beat Chelsea") and sites name institutions ("the Pentagon").
_AREA_KINDS = frozenset({"region", "sea", "continent"})


@functools.cache
def _state_of_country(code: str) -> str:
    # Only the states the actor rules know: "Douglas" (Isle of Man) or "Victoria" (Seychelles)
    # said something is far likelier a person than a government.
    entry = get_gazetteer().get(f"iso:{code}")
    return (canonical_state(entry.name) or "") if entry is not None else ""


def state_seat(name: str) -> str | None:
    """The state a capital or seat of government stands for ("Kyiv" → "Ukraine"), or None."""
    key = name.strip().lower().removeprefix("the ")
    if key in INSTITUTION_SEATS:
        return INSTITUTION_SEATS[key]
    for entry in get_gazetteer().lookup(name):
        if (entry.capital and entry.kind == "city") or entry.seat:
            return _state_of_country(entry.country) or None
    return None


def _places(name: str) -> list[Entry]:
    return [entry for entry in get_gazetteer().lookup(name) if entry.kind != "country"]


def is_place_name(name: str, *, label: str) -> bool:
    """Whether a name spaCy labelled PERSON or ORG is a place the gazetteer knows instead.

    Any known place for a person-tagged name ("Kharkiv", "Donbas"); for an organisation-tagged
    one only regions, seas and continents, since cities and sites also name clubs and bodies.
    """
    if canonical_state(name):
        return False
    places = _places(name)
    if label == "ORG":
        return any(entry.kind in _AREA_KINDS for entry in places)
    return bool(places)

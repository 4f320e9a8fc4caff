"""Where things happened: names resolved to places by the offline gazetteers and the context."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.extraction.pipeline import extract
from timeline.extraction.places import LOW_CONFIDENCE, Context, resolve, resolve_extraction
from timeline.extraction.types import PlaceMention, Span


def mention(name: str) -> PlaceMention:
    return PlaceMention(text=name, span=Span(0, len(name)))


@pytest.mark.parametrize(
    ("name", "kind", "latitude", "longitude"),
    [
        ("Ukraine", "country", 49.0, 32.0),
        ("Belarus", "country", 53.0, 28.0),
        ("Moscow", "city", 55.75, 37.62),
        ("Black Sea", "sea", 43.0, 34.0),
        ("Crimea", "region", 45.0, 34.0),
    ],
)
def test_a_name_resolves_to_its_place_and_coordinates(
    name: str, kind: str, latitude: float, longitude: float
) -> None:
    place = resolve(mention(name), Context({}))

    assert place is not None
    assert place.kind == kind
    assert abs(place.latitude - latitude) < 3 and abs(place.longitude - longitude) < 4


def test_an_ambiguous_name_is_settled_by_the_other_places_named() -> None:
    caucasus = resolve(mention("Georgia"), Context({"RU": 3, "AM": 1, "AZ": 1}))
    american = resolve(mention("Georgia"), Context({"US": 5}))

    assert caucasus is not None and caucasus.kind == "country" and caucasus.country == "GE"
    assert american is not None and american.iso_code == "US-GA"


def test_without_context_a_state_outranks_its_namesakes_but_less_surely_than_with_it() -> None:
    bare = resolve(mention("Georgia"), Context({}))
    settled = resolve(mention("Georgia"), Context({"RU": 3, "AM": 1, "AZ": 1}))

    assert bare is not None and settled is not None
    assert bare.kind == "country"
    assert LOW_CONFIDENCE < bare.confidence <= settled.confidence


def test_a_name_no_gazetteer_knows_is_no_place() -> None:
    assert resolve(mention("Blorvania"), Context({})) is None


def test_an_event_gets_the_place_of_its_own_clause_not_the_acting_state() -> None:
    text = "Russia has massed troops near the border in Belarus, officials said on Friday."

    extraction = resolve_extraction(extract(text, dt.date(2022, 2, 11)))

    placed = {p.name for event in extraction.events for p in event.places}
    assert "Belarus" in placed
    assert "Russia" not in placed


def test_a_place_is_named_without_the_article_the_tagger_takes_with_it() -> None:
    text = "Settlers clashed with soldiers in the West Bank on Tuesday, witnesses said."

    names = {m.text for m in extract(text, dt.date(2022, 2, 11)).places}

    assert "West Bank" in names
    assert "the West Bank" not in names


def test_a_dateline_in_capitals_names_where_the_story_was_filed() -> None:
    text = "VILNIUS, Feb 11 (Reuters) - The government approved a new budget on Friday."

    mentions = extract(text, dt.date(2022, 2, 11)).places

    assert [(m.text, m.span.start) for m in mentions if m.text == "VILNIUS"] == [("VILNIUS", 0)]
    place = resolve(mentions[0], Context({}))
    assert place is not None
    assert place.name == "Vilnius"


@pytest.mark.parametrize(
    "dateline", ["New Delhi: ", "MELBOURNE, Australia – ", "Kyiv, Feb 11 (Reuters) - "]
)
def test_the_place_a_story_is_filed_from_is_not_where_its_event_happened(dateline: str) -> None:
    text = f"{dateline}Russian troops massed near Kharkiv on Friday."

    extraction = resolve_extraction(extract(text, dt.date(2022, 2, 11)))

    assert [p.name for event in extraction.events for p in event.places] == ["Kharkiv"]


def test_a_heading_in_capitals_is_no_dateline() -> None:
    text = "BUDGET TALKS - The government approved a new budget on Friday."

    assert extract(text, dt.date(2022, 2, 11)).places == []

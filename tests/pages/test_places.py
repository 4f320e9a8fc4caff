"""Where things happened, for readers: the timeline's Places filter and map data, the place
pages, and the places an event page links to."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_crisis, make_event
from timeline.models import Crisis, Event, EventPlace, Place, Status

pytestmark = pytest.mark.django_db


def place(name: str, latitude: float, longitude: float, kind: str = "city", **fields: Any) -> Place:
    return Place.objects.create(
        name=name,
        slug=name.lower(),
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        gazetteer_id=f"test:{name}",
        **fields,
    )


@pytest.fixture
def crisis() -> Crisis:
    crisis = make_crisis(slug="border", title="Border crisis")
    ukraine = place("Ukraine", 49.0, 32.0, kind="country", iso_code="UA")
    kyiv = place("Kyiv", 50.45, 30.52, country=ukraine)
    minsk = place("Minsk", 53.9, 27.57)
    published = {"status": Status.PUBLISHED}
    events = [
        make_event(title="Shelling reported", start_date=dt.date(2022, 2, 10), **published),
        make_event(title="Joint drills begin", start_date=dt.date(2022, 2, 11), **published),
        make_event(title="Talks by phone", start_date=dt.date(2022, 2, 12), **published),
        make_event(title="Draft only", status=Status.DRAFT),
    ]
    for event in events:
        event.crises.add(crisis)
    shelling, drills, _, draft = events
    EventPlace.objects.create(event=shelling, place=kyiv, mention="Kyiv")
    EventPlace.objects.create(event=drills, place=minsk, mention="Minsk")
    EventPlace.objects.create(event=drills, place=kyiv, mention="Kyiv")
    EventPlace.objects.create(event=draft, place=minsk, mention="Minsk")
    EventPlace.objects.create(event=shelling, place=ukraine, mention="Ukraine")
    return crisis


def timeline_data(html: str) -> dict:
    found = re.search(r'<script id="timeline-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def test_the_places_filter_lists_each_place_with_its_published_events(
    client: Client, crisis: Crisis
) -> None:
    html = client.get("/crises/border/").content.decode()

    places = re.findall(
        r'name="place" value="([a-z]+)"[^>]*> ([A-Za-z]+) <span class="count">(\d+)', html
    )
    assert places == [("kyiv", "Kyiv", "2"), ("minsk", "Minsk", "1"), ("ukraine", "Ukraine", "1")]


def test_filtering_by_place_shows_only_the_events_there(client: Client, crisis: Crisis) -> None:
    html = client.get("/crises/border/?place=minsk").content.decode()

    assert "Joint drills begin" in html
    assert "Shelling reported" not in html
    assert "1 event and 0 statements match these filters." in html
    assert "Place: Minsk" in html  # the chip that lifts the filter


def test_an_unknown_place_is_a_clear_error_not_a_crash(client: Client, crisis: Crisis) -> None:
    response = client.get("/crises/border/?place=atlantis")

    assert response.status_code == 400
    assert "place:" in response.content.decode()


def test_the_map_data_counts_each_place_per_day_and_lane(client: Client, crisis: Crisis) -> None:
    data = timeline_data(client.get("/crises/border/?place=kyiv").content.decode())["map"]

    names = [p["name"] for p in data["places"]]
    assert sorted(names) == ["Kyiv", "Minsk", "Ukraine"]  # every place, the chosen one or not
    kyiv = names.index("Kyiv")
    assert data["places"][kyiv] | {"count": 2} == {
        "slug": "kyiv",
        "name": "Kyiv",
        "kind": "city",
        "lat": 50.45,
        "lon": 30.52,
        "count": 2,
    }
    military = [lane["slug"] for lane in timeline_data(
        client.get("/crises/border/").content.decode()
    )["lanes"]].index("military")  # fmt: skip
    assert [row for row in data["bins"] if row[1] == kyiv] == [
        ["2022-02-10", kyiv, military, 1],
        ["2022-02-11", kyiv, military, 1],
    ]
    assert data["selected"] == ["kyiv"]


def test_a_place_page_lists_its_published_events_and_the_places_within(
    client: Client, crisis: Crisis
) -> None:
    html = client.get("/places/minsk/").content.decode()
    assert "Joint drills begin" in html
    assert "Draft only" not in html
    assert 'href="/crises/border/?place=minsk"' in html

    country = client.get("/places/ukraine/").content.decode()
    assert "Places in Ukraine" in country
    assert 'href="/places/kyiv/">Kyiv</a> <span class="count">(2 events)' in country
    assert "UA" in country


def test_a_place_with_no_published_event_is_not_found(client: Client, crisis: Crisis) -> None:
    place("Atlantis", 0.0, 0.0)

    assert client.get("/places/atlantis/").status_code == 404
    assert client.get("/places/nowhere/").status_code == 404


def test_an_event_page_links_to_its_places(client: Client, crisis: Crisis) -> None:
    drills = Event.objects.get(title="Joint drills begin")

    html = client.get(drills.get_absolute_url()).content.decode()

    assert re.search(
        r'Places: (<a href="/places/(kyiv|minsk)/">(Kyiv|Minsk)</a>(, )?){2}</p>', html
    )


def test_a_busy_map_counts_by_month_to_keep_the_page_light(
    client: Client, crisis: Crisis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("timeline.views.places.MAX_MAP_ROWS", 2)

    data = timeline_data(client.get("/crises/border/").content.decode())["map"]

    assert data["unit"] == "month"
    assert {row[0] for row in data["bins"]} == {"2022-02-01"}
    assert sum(row[3] for row in data["bins"]) == 4  # Kyiv 2, Minsk 1, Ukraine 1

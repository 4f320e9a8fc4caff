"""Places in the API: where events happened, filters by place and box, and the GeoJSON export."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import make_event
from tests.responses import content
from timeline.models import Event, EventPlace, Place, Status

pytestmark = pytest.mark.django_db


def place(name: str, latitude: float, longitude: float, kind: str = "city") -> Place:
    return Place.objects.create(
        name=name,
        slug=name.lower(),
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        gazetteer_id=f"test:{name}",
    )


@pytest.fixture
def placed_events() -> tuple[Event, Event, Event]:
    kyiv, minsk = place("Kyiv", 50.45, 30.52), place("Minsk", 53.9, 27.57)
    shelling = make_event(title="Shelling reported", status=Status.PUBLISHED)
    drills = make_event(title="Joint drills begin", status=Status.PUBLISHED)
    talks = make_event(title="Talks by phone", status=Status.PUBLISHED)
    EventPlace.objects.create(event=shelling, place=kyiv, mention="Kyiv", confidence=0.9)
    EventPlace.objects.create(event=drills, place=minsk, mention="Minsk", confidence=0.9)
    EventPlace.objects.create(event=drills, place=kyiv, mention="Kyiv", confidence=0.6)
    return shelling, drills, talks


def titles(api_client: APIClient, **params: str) -> set[str]:
    response = api_client.get("/api/v1/events/", params)
    assert response.status_code == 200, response.content
    return {event["title"] for event in response.json()["results"]}


def test_events_filter_by_place_and_by_bounding_box(
    api_client: APIClient, placed_events: tuple[Event, Event, Event]
) -> None:
    assert titles(api_client, place="minsk") == {"Joint drills begin"}
    assert titles(api_client, place="kyiv") == {"Shelling reported", "Joint drills begin"}
    # west,south,east,north around Minsk only
    assert titles(api_client, bbox="27,53,28,54") == {"Joint drills begin"}


def test_a_malformed_bounding_box_is_a_400_with_a_sentence(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/events/", {"bbox": "north-ish"})

    assert response.status_code == 400
    assert "bbox" in response.content.decode()


def test_the_geojson_export_parses_back_to_the_events_that_have_a_place(
    api_client: APIClient, placed_events: tuple[Event, Event, Event]
) -> None:
    shelling, drills, _ = placed_events

    response = api_client.get("/api/v1/events/export/geojson/")

    assert response.status_code == 200
    collection = json.loads(content(response))
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {shelling.pk, drills.pk}  # the event with no place is left out
    assert features[shelling.pk]["geometry"] == {"type": "Point", "coordinates": [30.52, 50.45]}
    assert features[drills.pk]["geometry"]["type"] == "MultiPoint"
    assert features[drills.pk]["properties"]["title"] == "Joint drills begin"


def test_places_are_listed_with_their_coordinates(
    api_client: APIClient, placed_events: tuple[Event, Event, Event]
) -> None:
    response = api_client.get("/api/v1/places/")

    assert response.status_code == 200
    names = {p["name"]: p for p in response.json()["results"]}
    assert set(names) == {"Kyiv", "Minsk"}
    assert names["Minsk"]["latitude"] == pytest.approx(53.9)

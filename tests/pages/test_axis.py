"""The axis's data: a reader's browser asks for the items of the window it shows (with the page's
filters) to label them, and for lanes by actor or by place; each answer is bounded and takes a
fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_statement,
)
from timeline.models import Crisis, EventActor, EventCategory, EventPlace, Place, Status
from timeline.views import axis

if TYPE_CHECKING:
    from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED
WINDOW = "start=2022-02-01&end=2022-02-28"
LEAD = "Russian forces crossed into Ukraine before dawn."
REPORT = f"{LEAD} Explosions were heard in Kyiv."


def invasion_crisis() -> Crisis:
    """Three published events and a statement in February, one event in March, one draft."""
    crisis = make_crisis(slug="invasion", title="Invasion")
    putin = make_actor(name="Vladimir Putin", slug="vladimir-putin", status=PUBLISHED)
    biden = make_actor(name="Joe Biden", slug="joe-biden", status=PUBLISHED)
    kyiv = Place.objects.create(
        name="Kyiv",
        slug="kyiv",
        kind="city",
        latitude=50.45,
        longitude=30.52,
        gazetteer_id="t:kyiv",
    )
    invasion = make_event(
        title="Russia invades Ukraine", start_date=dt.date(2022, 2, 24), status=PUBLISHED
    )
    EventActor.objects.create(event=invasion, actor=putin, role="agent")
    EventPlace.objects.create(event=invasion, place=kyiv)
    make_citation(event=invasion, article=make_article(text=REPORT), start=0, end=len(LEAD))
    talks = make_event(
        title="Talks in Geneva",
        start_date=dt.date(2022, 2, 9),
        end_date=dt.date(2022, 2, 10),  # Wednesday and Thursday
        category=EventCategory.objects.get(slug="diplomatic"),
        status=PUBLISHED,
    )
    EventActor.objects.create(event=talks, actor=biden, role="participant")
    exercises = make_event(
        title="Exercises in Belarus",
        start_date=dt.date(2022, 2, 1),
        date_precision="month",
        status=PUBLISHED,
    )
    march = make_event(title="A March event", start_date=dt.date(2022, 3, 5), status=PUBLISHED)
    draft = make_event(title="A draft", start_date=dt.date(2022, 2, 12))
    quote = make_statement(
        speaker=biden, text="Things could go crazy quickly", date=dt.date(2022, 2, 11)
    )
    quote.status = PUBLISHED
    quote.save()
    for item in (invasion, talks, exercises, march, draft):
        item.crises.add(crisis)
    quote.crises.add(crisis)
    return crisis


def items_of(client: Client, query: str) -> dict[str, Any]:
    response = client.get(f"/crises/invasion/axis.json?{query}")
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def test_it_gives_the_windows_published_items_in_order_with_their_labels_and_cards(
    client: Client,
) -> None:
    invasion_crisis()
    data = items_of(client, WINDOW)

    assert data["complete"] is True
    assert [item["title"] for item in data["items"]] == [
        "Exercises in Belarus",
        "Talks in Geneva",
        "“Things could go crazy quickly”",
        "Russia invades Ukraine",
    ]
    exercises, talks, quote, invasion = data["items"]
    assert (exercises["precision"], exercises["date_label"]) == ("month", "Feb 2022")
    assert (talks["start"], talks["end"]) == ("2022-02-09", "2022-02-10")
    assert talks["date_label"] == "9 Feb 2022 – 10 Feb 2022"
    assert talks["lane"] == "diplomatic"
    assert invasion["actors"] == [["vladimir-putin", "Vladimir Putin"]]
    assert invasion["places"] == ["kyiv"]
    assert invasion["citation"]["excerpt"] == LEAD
    assert invasion["anchor"].startswith("event-")
    assert invasion["url"] == f"/events/{invasion['anchor'].removeprefix('event-')}/"
    assert (quote["kind"], quote["lane"], quote["actors"]) == (
        "statement",
        "statements",
        [["joe-biden", "Joe Biden"]],
    )


def test_it_keeps_the_pages_filters(client: Client) -> None:
    invasion_crisis()
    data = items_of(client, f"{WINDOW}&category=diplomatic")
    assert [item["title"] for item in data["items"]] == ["Talks in Geneva"]


def test_a_range_that_began_before_the_window_is_still_in_it(client: Client) -> None:
    invasion_crisis()
    data = items_of(client, "start=2022-02-10&end=2022-02-10")
    assert [item["title"] for item in data["items"]] == ["Talks in Geneva"]


def test_a_window_too_busy_for_labels_says_it_is_incomplete(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    invasion_crisis()
    monkeypatch.setattr(axis, "AXIS_ITEM_LIMIT", 2)
    data = items_of(client, WINDOW)
    assert data["complete"] is False
    assert len(data["items"]) == 3  # two events and the one statement


def test_a_window_without_its_dates_is_refused_with_what_to_send(client: Client) -> None:
    invasion_crisis()
    response = client.get("/crises/invasion/axis.json?start=2022-02-28&end=2022-02-01")
    assert response.status_code == 400
    assert "start=YYYY-MM-DD&end=YYYY-MM-DD" in response.json()["error"]


def test_the_window_is_read_in_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    crisis = invasion_crisis()
    client.get(f"/crises/invasion/axis.json?{WINDOW}")  # warm: content types and the like
    # the crisis with its data version; events; their actors, places and citations; statements;
    # their citations
    with django_assert_num_queries(7):
        items_of(client, WINDOW)
    for day in range(1, 21):
        event = make_event(start_date=dt.date(2022, 2, day), status=PUBLISHED)
        event.crises.add(crisis)
        make_citation(event=event)
        EventActor.objects.create(event=event, actor=make_actor(status=PUBLISHED))
    with django_assert_num_queries(7):
        assert len(items_of(client, WINDOW)["items"]) == 24


def test_lanes_by_actor_give_each_busiest_actor_a_lane_and_the_rest_one(client: Client) -> None:
    invasion_crisis()
    response = client.get("/crises/invasion/axis-lanes.json?lanes=actor&unit=day")
    assert response.status_code == 200
    data = response.json()
    names = [lane["name"] for lane in data["lanes"]]
    assert names == ["Joe Biden", "Vladimir Putin", "Other actors"]
    assert [lane["count"] for lane in data["lanes"]] == [2, 1, 2]  # talks and quote; invasion
    # Biden's talks and quote, Putin's invasion, then February's and March's events without them
    assert ["2022-02-24", 1, 1] in data["bins"]
    assert ["2022-03-05", 2, 1] in data["bins"]


def test_lanes_by_place_put_statements_with_the_events_at_no_busy_place(client: Client) -> None:
    invasion_crisis()
    data = client.get("/crises/invasion/axis-lanes.json?lanes=place&unit=week").json()
    assert [lane["name"] for lane in data["lanes"]] == ["Kyiv", "Elsewhere or no place"]
    assert [lane["count"] for lane in data["lanes"]] == [1, 4]
    assert data["unit"] == "week"


def test_lanes_by_anything_else_are_refused(client: Client) -> None:
    invasion_crisis()
    response = client.get("/crises/invasion/axis-lanes.json?lanes=colour")
    assert response.status_code == 400
    assert "lanes=actor or lanes=place" in response.json()["error"]

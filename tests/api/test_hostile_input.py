"""What a hostile or careless API caller sends gets a 400 that says why, never a 500 (issue 19)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from timeline.api.inputs import MAX_ITEMS
from timeline.models import Article, Event, EventPlace, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    return make_article(title="Troops mass")


def event_body(article: Article, **fields: Any) -> dict[str, Any]:
    make_crisis(slug="ru-ua")
    make_actor(slug="russia", name="Russia", kind="state")
    return {
        "title": "Russia launches drills in Belarus",
        "start_date": "2022-02-10",
        "category": "military",
        "crises": ["ru-ua"],
        "actors": [{"actor": "russia", "role": "agent"}],
        "citations": [{"article": article.pk, "start": 0, "end": 6}],
        **fields,
    }


def error_codes(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["field"]: error["code"] for error in response.json()["errors"]}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_event_dated_at_the_end_of_time_is_refused(
    editor_api: APIClient, article: Article, day: str
) -> None:
    response = editor_api.post("/api/v1/events/", event_body(article, start_date=day))

    assert error_codes(response) == {"start_date": "implausible_date"}
    assert "between 1000-01-01 and 2999-12-31" in response.content.decode()
    assert not Event.objects.exists()


def test_the_admin_refuses_an_event_at_the_end_of_time(editor_client: Client) -> None:
    response = editor_client.post(
        reverse("admin:timeline_event_add"),
        {"title": "t", "start_date": "9999-12-31", "category": 1},
    )

    assert response.status_code == 200  # the form again, with the error beside the field
    assert "Enter a date between 1000-01-01 and 2999-12-31." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("forged", ['{"v": ["\\ud800", 1], "b": 0}', '{"v": ["\\udfff"], "b": 1}'])
def test_a_cursor_holding_a_lone_surrogate_is_a_400(api_client: APIClient, forged: str) -> None:
    cursor = base64.urlsafe_b64encode(forged.encode()).decode()

    response = api_client.get("/api/v1/events/", {"cursor": cursor})

    assert error_codes(response) == {"cursor": "invalid_cursor"}


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({"citations": [{}]}, {"citations.0.article", "citations.0.start", "citations.0.end"}),
        ({"citations": [{"article": 1, "start": 0}]}, {"citations.0.end"}),
        ({"actors": [{}]}, {"actors.0.actor"}),
    ],
)
def test_a_patch_with_a_partial_nested_item_names_what_the_item_lacks(
    editor_api: APIClient, article: Article, body: dict[str, Any], missing: set[str]
) -> None:
    event = make_event(title="Drills")
    if "article" in str(body):  # the test's own article, whatever its id
        body = {"citations": [{**c, "article": article.pk} for c in body["citations"]]}

    response = editor_api.patch(f"/api/v1/events/{event.pk}/", body, format="json")

    codes = error_codes(response)
    assert set(codes) == missing
    assert set(codes.values()) == {"required"}
    assert not event.citations.exists() and not event.roles.exists()


def test_a_patch_with_a_role_but_no_role_name_gets_the_default_role(
    editor_api: APIClient,
) -> None:
    event = make_event(title="Drills")
    make_actor(slug="russia", name="Russia")

    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"actors": [{"actor": "russia"}]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["actors"][0]["role"] == "agent"


@pytest.mark.parametrize("field", ["actors", "citations", "crises"])
def test_a_list_too_long_for_one_request_is_refused_before_any_lookup(
    editor_api: APIClient,
    article: Article,
    field: str,
    django_assert_max_num_queries: Any,
) -> None:
    event = make_event(title="Drills")
    item = {
        "actors": {"actor": "russia", "role": "agent"},
        "citations": {"article": article.pk, "start": 0, "end": 6},
        "crises": "ru-ua",
    }[field]

    with django_assert_max_num_queries(12):  # the session, the event; not one per item
        response = editor_api.patch(
            f"/api/v1/events/{event.pk}/", {field: [item] * (MAX_ITEMS + 1)}, format="json"
        )

    assert error_codes(response) == {field: "too_many_items"}
    assert f"At most {MAX_ITEMS}" in response.json()["detail"]


def test_a_full_list_of_roles_and_citations_is_looked_up_in_a_few_queries(
    editor_api: APIClient, article: Article, django_assert_max_num_queries: Any
) -> None:
    event = make_event(title="Drills")
    names = [f"actor-{n}" for n in range(MAX_ITEMS)]
    for slug in names:
        make_actor(slug=slug, name=slug)
    body = {
        "actors": [{"actor": slug, "role": "agent"} for slug in names],
        "citations": [{"article": article.pk, "start": 0, "end": 6}] * 3,
    }
    with django_assert_max_num_queries(80):  # was one query per role (268 here)
        response = editor_api.patch(f"/api/v1/events/{event.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert event.roles.count() == MAX_ITEMS


def test_an_unknown_actor_among_many_is_named_by_its_place_in_the_list(
    editor_api: APIClient,
) -> None:
    event = make_event(title="Drills")
    make_actor(slug="russia", name="Russia")
    body = {"actors": [{"actor": "russia"}, {"actor": "atlantis"}, {"actor": ["russia"]}]}

    response = editor_api.patch(f"/api/v1/events/{event.pk}/", body, format="json")

    assert error_codes(response) == {
        "actors.1.actor": "does_not_exist",
        "actors.2.actor": "invalid",
    }
    assert not event.roles.exists()


DETAIL_PAGES = ["events", "statements", "actors", "articles", "places", "sources", "crises"]


@pytest.mark.parametrize("resource", DETAIL_PAGES)
def test_the_browsable_api_shows_editors_every_kind_of_item(
    editor_client: Client, resource: str
) -> None:
    article = make_article(title="Troops", source=make_source(name="Reuters"))
    speaker = make_actor(slug="blinken", name="Antony Blinken")
    speaker.aliases.create(name="Tony Blinken")
    make_citation(article=article, statement=make_statement(speaker=speaker))
    event = make_citation(article=article).event
    assert event is not None
    kyiv = Place.objects.create(
        name="Kyiv", slug="kyiv", kind="city", latitude=50.45, longitude=30.52
    )
    EventPlace.objects.create(event=event, place=kyiv)
    make_crisis(slug="ru-ua")
    listed = editor_client.get(f"/api/v1/{resource}/", {"format": "json"}).json()["results"]
    key = "slug" if "slug" in listed[0] else "id"

    page = editor_client.get(f"/api/v1/{resource}/{listed[0][key]}/", HTTP_ACCEPT="text/html")

    assert page.status_code == 200
    assert "text/html" in page["Content-Type"]

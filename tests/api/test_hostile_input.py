"""What a hostile or careless API caller sends gets a 400 that says why, never a 500 (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import make_actor, make_article, make_crisis
from timeline.models import Article, Event

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

"""Writing through the API: editors with a token create and change drafts; nobody else can."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import make_actor, make_article, make_crisis, make_event, make_statement
from timeline.models import Actor, Article, Event, Provenance, Statement, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    return make_article(title="Troops mass")


def event_body(article: Article, **fields: Any) -> dict[str, Any]:
    make_crisis(slug="ru-ua")
    make_actor(slug="russia", name="Russia", kind="state")
    return {
        "title": "Russia launches drills in Belarus",
        "summary": "Joint exercises began.",
        "start_date": "2022-02-10",
        "end_date": "2022-02-20",
        "category": "military",
        "verification": "confirmed",
        "crises": ["ru-ua"],
        "actors": [{"actor": "russia", "role": "agent"}],
        "citations": [{"article": article.pk, "start": 0, "end": 6}],
        **fields,
    }


def errors(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["field"]: error["code"] for error in response.json()["errors"]}


def test_an_editor_creates_a_cited_event_with_a_token(
    editor_api: APIClient, article: Article, editor: User
) -> None:
    response = editor_api.post("/api/v1/events/", event_body(article), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"].endswith(f"/api/v1/events/{data['id']}/")
    assert data["status"] == "draft"
    assert data["provenance"] == "editor"
    assert data["crises"] == ["ru-ua"]
    assert data["actors"][0]["actor"]["slug"] == "russia"
    assert data["citations"][0]["excerpt"] == "Russia"
    event = Event.objects.get(pk=data["id"])
    assert event.end_date == dt.date(2022, 2, 20)
    assert event.category.slug == "military"


def test_readers_cannot_write(api_client: APIClient, article: Article) -> None:
    response = api_client.post("/api/v1/events/", event_body(article), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert not Event.objects.exists()


def test_a_wrong_token_is_refused_even_for_reads(api_client: APIClient) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/events/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_user_without_the_editors_permissions_cannot_write(
    rita_api: APIClient, article: Article
) -> None:
    created = rita_api.post("/api/v1/events/", event_body(article), format="json")
    event = make_event()
    changed = rita_api.patch(f"/api/v1/events/{event.pk}/", {"title": "Mine"}, format="json")
    actor = rita_api.post("/api/v1/actors/", {"name": "Someone", "kind": "person"}, format="json")

    assert (created.status_code, changed.status_code, actor.status_code) == (403, 403, 403)
    assert created.json()["code"] == "permission_denied"


def test_nobody_deletes_through_the_api(editor_api: APIClient) -> None:
    event = make_event()

    response = editor_api.delete(f"/api/v1/events/{event.pk}/")

    assert response.status_code in (403, 405)
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"citations": [{"article": 0, "start": 0, "end": 5}]}, "citations.0.article", None),
        ({"citations": [{"start": 0, "end": 100_000}]}, "citations.0.end", "span_outside_article"),
        ({"citations": [{"start": 5, "end": 5}]}, "citations.0.end", "empty_span"),
        ({"end_date": "2022-02-01"}, "end_date", "end_before_start"),
        ({"start_date": "10 Feb"}, "start_date", "invalid"),
        ({"category": "gossip"}, "category", "does_not_exist"),
        ({"actors": [{"actor": "nobody"}]}, "actors.0.actor", "does_not_exist"),
        ({"actors": [{"actor": "russia", "role": "villain"}]}, "actors.0.role", "invalid_choice"),
        ({"crises": ["nowhere"]}, "crises", "does_not_exist"),
        ({"title": ""}, "title", "blank"),
        ({"title": "x" * 301}, "title", "max_length"),
    ],
)
def test_every_bad_field_is_a_400_that_names_it(
    editor_api: APIClient, article: Article, change: dict, field: str, code: str | None
) -> None:
    body = event_body(article)
    for name, value in change.items():
        if name == "citations" and "article" not in value[0]:
            value = [{"article": article.pk, **value[0]}]
        body[name] = value

    found = errors(editor_api.post("/api/v1/events/", body, format="json"))

    assert field in found, found
    if code:
        assert found[field] == code
    assert not Event.objects.exists()


def test_invalid_json_is_a_400(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/events/", data='{"title": "Unclosed', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_nested_too_deeply_is_a_400(editor_api: APIClient) -> None:
    deep = "[" * 100_000 + "]" * 100_000

    response = editor_api.post("/api/v1/events/", data=deep, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_an_editor_changes_an_event_and_marks_machine_work_as_edited(
    editor_api: APIClient, article: Article
) -> None:
    event = make_event(title="Drils", provenance=Provenance.MACHINE)
    make_actor(slug="ukraine", name="Ukraine")

    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/",
        {"title": "Drills", "actors": [{"actor": "ukraine", "role": "target"}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Drills"
    assert response.json()["actors"][0]["role"] == "target"
    event.refresh_from_db()
    assert event.edited_by_editor
    assert event.provenance == Provenance.MACHINE


def test_an_update_cannot_end_an_event_before_it_starts(editor_api: APIClient) -> None:
    event = make_event(start_date=dt.date(2022, 2, 11))

    found = errors(
        editor_api.patch(f"/api/v1/events/{event.pk}/", {"end_date": "2022-02-01"}, format="json")
    )

    assert found == {"end_date": "end_before_start"}


def test_an_editor_creates_and_changes_a_statement(editor_api: APIClient, article: Article) -> None:
    make_actor(slug="biden", name="Joe Biden")

    created = editor_api.post(
        "/api/v1/statements/",
        {
            "speaker": "biden",
            "text": "Things could go crazy quickly",
            "cue": "told",
            "medium": "NBC News",
            "date": "2022-02-11",
            "citations": [{"article": article.pk, "start": 0, "end": 6}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = editor_api.patch(f"/api/v1/statements/{pk}/", {"speaker": None}, format="json")

    assert created.json()["speaker"]["slug"] == "biden"
    assert changed.status_code == 200
    assert changed.json()["speaker"] is None
    assert Statement.objects.get(pk=pk).status == Status.DRAFT


def test_an_editor_creates_an_actor_with_aliases_and_a_slug_made_from_its_name(
    editor_api: APIClient,
) -> None:
    make_actor(slug="sergei-lavrov")
    make_actor(slug="russia", name="Russia", kind="state")

    response = editor_api.post(
        "/api/v1/actors/",
        {
            "name": "Sergei Lavrov",
            "kind": "person",
            "affiliation": "russia",
            "aliases": ["Lavrov", "Sergei Lavrov"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "sergei-lavrov-2"
    assert data["aliases"] == ["Lavrov"]
    assert data["affiliation"]["slug"] == "russia"


def test_an_actor_keeps_its_slug_unique_and_cannot_belong_to_itself(
    editor_api: APIClient,
) -> None:
    make_actor(slug="taken")
    actor = make_actor(slug="mine")

    assert errors(editor_api.patch("/api/v1/actors/mine/", {"slug": "taken"}, format="json")) == {
        "slug": "unique"
    }
    assert errors(
        editor_api.patch("/api/v1/actors/mine/", {"affiliation": "mine"}, format="json")
    ) == {"affiliation": "cycle"}
    assert Actor.objects.get(pk=actor.pk).slug == "mine"


def test_an_editor_can_read_what_she_just_created_but_readers_cannot(
    editor_api: APIClient, api_client: APIClient
) -> None:
    statement = make_statement()

    assert editor_api.get(f"/api/v1/statements/{statement.pk}/").status_code == 200
    assert api_client.get(f"/api/v1/statements/{statement.pk}/").status_code == 404


# Submitting an article for ingestion

PLAIN_ARTICLE = (
    "Russia masses more troops near Ukraine, U.S. says\n\n"
    "By Reuters\n\n"
    "Russia has massed more than 100,000 troops near Ukraine, U.S. Secretary of State Antony "
    "Blinken said on Friday. “We’re in a window when an invasion could begin at any time,” "
    "Blinken said.\n\n"
    "Russia’s Chief of General Staff Valery Gerasimov and U.S. General Mark Milley held phone "
    "talks on Friday, Interfax reported."
)


def test_an_editor_submits_an_article_and_gets_its_drafts_back(editor_api: APIClient) -> None:
    crisis = make_crisis(slug="ru-ua")
    body = {
        "text": PLAIN_ARTICLE,
        "published_at": "2022-02-11T22:00:00Z",
        "source_name": "Reuters",
        "crises": ["ru-ua"],
    }

    first = editor_api.post("/api/v1/articles/ingest/", body, format="json")
    again = editor_api.post("/api/v1/articles/ingest/", body, format="json")

    assert first.status_code == 201, first.content
    data = first.json()
    assert data["created"] is True
    assert data["article"]["title"] == "Russia masses more troops near Ukraine, U.S. says"
    assert data["article"]["crises"] == ["ru-ua"]
    drafts = data["drafts"]
    assert drafts["statements"] or drafts["events"]
    for item in drafts["statements"] + drafts["events"]:
        assert item["status"] == "draft"
        assert item["provenance"] == "machine"
        assert item["citations"][0]["excerpt"]
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert Article.objects.get().crises.get() == crisis


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": PLAIN_ARTICLE, "html": "<p>Both</p>"}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "Headline only\n\nNo date anywhere in this text."}, "published_at"),
        ({"text": PLAIN_ARTICLE, "published_at": "Friday"}, "published_at"),
        ({"text": PLAIN_ARTICLE, "url": "not a url"}, "url"),
        ({"text": PLAIN_ARTICLE, "crises": ["nowhere"]}, "crises"),
    ],
)
def test_a_submission_that_cannot_be_ingested_is_a_400_that_says_why(
    editor_api: APIClient, body: dict, field: str
) -> None:
    assert field in errors(editor_api.post("/api/v1/articles/ingest/", body, format="json"))
    assert not Article.objects.exists()


def test_readers_cannot_submit_articles(api_client: APIClient) -> None:
    response = api_client.post("/api/v1/articles/ingest/", {"text": PLAIN_ARTICLE}, format="json")

    assert response.status_code == 401


def test_a_published_item_is_a_publishers_to_change(editor_api: APIClient, publisher: User) -> None:
    event = make_event(title="Publishd", status=Status.PUBLISHED)
    Event.objects.filter(pk=event.pk).update(first_published_at=event.created_at)
    as_publisher = APIClient()
    as_publisher.force_authenticate(publisher)

    refused = editor_api.patch(f"/api/v1/events/{event.pk}/", {"title": "X"}, format="json")
    corrected = as_publisher.patch(
        f"/api/v1/events/{event.pk}/",
        {"title": "Published", "correction_note": "Fixed a typo in the title."},
        format="json",
    )

    assert refused.status_code == 403
    assert "only publishers" in refused.json()["detail"]
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["title"] == "Published"

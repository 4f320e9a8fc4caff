"""Reading the API: visibility, nested items, filters, keyset pagination, errors, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
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
from timeline.demo import CRISIS_SLUG, load_demo
from timeline.models import Event, EventActor, Status

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED


def get(client: APIClient, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(page: dict) -> list[str]:
    return [item["title"] for item in page["results"]]


def walk(client: APIClient, url: str, **params: Any) -> list[dict]:
    """Every item of a list, following `next` links to the end."""
    items, page = [], get(client, url, **params)
    items += page["results"]
    while page["next"]:
        page = get(client, page["next"])
        items += page["results"]
    return items


# What readers see


def test_readers_see_published_events_only(api_client: APIClient) -> None:
    make_event(title="Published", status=PUBLISHED)
    draft = make_event(title="Draft")
    make_event(title="Rejected", status=Status.REJECTED)

    assert titles(get(api_client, "/api/v1/events/")) == ["Published"]
    assert api_client.get(f"/api/v1/events/{draft.pk}/").status_code == 404


def test_editors_see_drafts_too(editor_api: APIClient) -> None:
    make_event(title="Published", status=PUBLISHED)
    draft = make_event(title="Draft")

    assert titles(get(editor_api, "/api/v1/events/")) == ["Published", "Draft"]
    assert get(editor_api, f"/api/v1/events/{draft.pk}/")["status"] == "draft"


def test_a_signed_in_user_who_is_not_an_editor_sees_what_readers_see(rita_api: APIClient) -> None:
    make_event(title="Draft")

    assert titles(get(rita_api, "/api/v1/events/")) == []


def test_an_event_lists_its_actors_with_roles_and_its_citations(api_client: APIClient) -> None:
    crisis = make_crisis(slug="ru-ua")
    event = make_event(title="Talks", status=PUBLISHED)
    event.crises.add(crisis)
    russia = make_actor(name="Russia", slug="russia", kind="state", status=PUBLISHED)
    EventActor.objects.create(event=event, actor=russia, role="participant")
    article = make_article(
        title="Talks fail", url="https://example.org/talks", source=make_source(name="Reuters")
    )
    make_citation(article=article, event=event, start=0, end=6)

    data = get(api_client, f"/api/v1/events/{event.pk}/")

    assert data["crises"] == ["ru-ua"]
    assert data["category"] == {"slug": "military", "name": "Military", "colour": "#b5332e"}
    assert data["actors"] == [
        {
            "actor": {"id": russia.pk, "slug": "russia", "name": "Russia", "kind": "state"},
            "role": "participant",
        }
    ]
    [citation] = data["citations"]
    assert citation["excerpt"] == "Russia"
    assert citation["outlet"] == "Reuters"
    assert citation["article"]["title"] == "Talks fail"
    assert citation["article"]["url"] == "https://example.org/talks"
    assert citation["article"]["published_at"] == "2022-02-11T22:00:00Z"


def test_outlets_the_machine_matched_are_counted_apart_from_the_confirmed_ones(
    api_client: APIClient,
) -> None:
    event = make_event(title="Troops massed", status=PUBLISHED)
    reuters, ap, afp = (make_source(name=name) for name in ("Reuters", "AP", "AFP"))
    make_citation(article=make_article(source=reuters), event=event)
    make_citation(article=make_article(source=ap), event=event, proposed=True)
    make_citation(article=make_article(source=afp), event=event, proposed=True)
    make_citation(article=make_article(source=reuters), event=event, proposed=True)  # counted

    one = get(api_client, f"/api/v1/events/{event.pk}/")
    [listed] = get(api_client, "/api/v1/events/")["results"]

    assert one["source_count"] == listed["source_count"] == 1
    assert one["sources_matched_automatically"] == listed["sources_matched_automatically"] == 2
    assert len(one["citations"]) == 1  # a proposal is no citation until an editor confirms it


def test_a_statement_shows_its_speaker_and_citation(api_client: APIClient) -> None:
    us = make_actor(name="United States", slug="us", kind="state", status=PUBLISHED)
    biden = make_actor(
        name="Joe Biden", slug="biden", title="President", affiliation=us, status=PUBLISHED
    )
    statement = make_statement(speaker=biden, status=PUBLISHED, date=dt.date(2022, 2, 11))
    make_citation(statement=statement, start=0, end=6)

    [data] = get(api_client, "/api/v1/statements/")["results"]

    assert data["speaker"]["name"] == "Joe Biden"
    assert data["speaker"]["title"] == "President"
    assert data["speaker"]["affiliation"]["slug"] == "us"
    assert data["citations"][0]["excerpt"] == "Russia"
    assert data["text"] == "Things could go crazy quickly"


def test_items_say_whether_editors_chose_them_as_key_and_articles_give_their_lead_image(
    api_client: APIClient,
) -> None:
    key = make_event(title="Key", status=PUBLISHED, is_key=True)
    make_event(title="Other", status=PUBLISHED)
    make_statement(status=PUBLISHED, date=dt.date(2022, 2, 11), is_key=True)
    article = make_article(
        image_url="https://example.com/lead.jpg",
        image_caption="Troops on a train.",
        image_credit="AP",
    )
    make_citation(event=key, article=article)

    events = get(api_client, "/api/v1/events/")["results"]
    assert {event["title"]: event["is_key"] for event in events} == {"Key": True, "Other": False}
    [statement] = get(api_client, "/api/v1/statements/")["results"]
    assert statement["is_key"] is True
    detail = get(api_client, f"/api/v1/articles/{article.pk}/")
    assert (detail["image_url"], detail["image_caption"], detail["image_credit"]) == (
        "https://example.com/lead.jpg",
        "Troops on a train.",
        "AP",
    )


def test_statements_without_a_date_come_first_and_page_like_the_others(
    api_client: APIClient,
) -> None:
    for day in (None, 11, None, 12):
        make_statement(
            text=f"Said on {day}", date=dt.date(2022, 2, day) if day else None, status=PUBLISHED
        )

    items = walk(api_client, "/api/v1/statements/", page_size=1)

    assert [s["text"] for s in items] == [
        "Said on None",
        "Said on None",
        "Said on 11",
        "Said on 12",
    ]


def test_actors_crises_sources_and_articles_can_be_listed_and_read(
    api_client: APIClient,
) -> None:
    crisis = make_crisis(slug="ru-ua", title="Russia–Ukraine")
    source = make_source(name="Reuters", slug="reuters")
    article = make_article(source=source, title="Troops mass")
    article.crises.add(crisis)
    make_citation(article=article, event=make_event(status=PUBLISHED))
    make_article(title="Not cited by anything published")
    russia = make_actor(name="Russia", slug="russia", kind="state", status=PUBLISHED)
    russia.aliases.create(name="Moscow")
    make_actor(name="Draft actor")

    assert [a["slug"] for a in get(api_client, "/api/v1/actors/")["results"]] == ["russia"]
    assert get(api_client, "/api/v1/actors/russia/")["aliases"] == ["Moscow"]
    assert get(api_client, "/api/v1/actors/", q="mosc")["results"][0]["slug"] == "russia"
    assert get(api_client, "/api/v1/crises/ru-ua/")["title"] == "Russia–Ukraine"
    assert get(api_client, "/api/v1/sources/reuters/")["name"] == "Reuters"
    assert titles(get(api_client, "/api/v1/articles/")) == ["Troops mass"]
    assert titles(get(api_client, "/api/v1/articles/", crisis="ru-ua")) == ["Troops mass"]
    listed = get(api_client, "/api/v1/articles/")["results"][0]
    assert "text" not in listed
    assert get(api_client, f"/api/v1/articles/{article.pk}/")["text"] == article.text


# Filters


def test_the_list_takes_every_filter(api_client: APIClient) -> None:
    crisis = make_crisis(slug="ru-ua")
    russia = make_actor(slug="russia", status=PUBLISHED)
    source = make_source(slug="reuters")
    match = make_event(
        title="Match",
        summary="Troops massed at the border",
        start_date=dt.date(2022, 2, 10),
        verification="confirmed",
        date_precision="day",
        status=PUBLISHED,
    )
    match.crises.add(crisis)
    EventActor.objects.create(event=match, actor=russia, role="agent")
    make_citation(article=make_article(source=source), event=match)
    make_event(title="Other", status=PUBLISHED)

    found = get(
        api_client,
        "/api/v1/events/",
        crisis="ru-ua",
        actor=["russia", "russia"],
        category="military",
        verification="confirmed",
        source="reuters",
        date_from="2022-02-01",
        date_to="2022-02-28",
        precision="day",
        updated_since="2020-01-01T00:00:00Z",
        q="troops",
    )

    assert titles(found) == ["Match"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"actor": "nobody"}, "actor"),
        ({"crisis": "nowhere"}, "crisis"),
        ({"category": "gossip"}, "category"),
        ({"verification": "rumoured"}, "verification"),
        ({"precision": "decade"}, "precision"),
        ({"source": "nobody"}, "source"),
        ({"date_from": "11/02/2022"}, "date_from"),
        ({"date_to": "2022-02-30"}, "date_to"),
        ({"date_from": "2022-03-01", "date_to": "2022-02-01"}, "date_from"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"ordering": "title"}, "ordering"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"actor": "rus\x00sia"}, "actor"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field(
    api_client: APIClient, params: dict, field: str
) -> None:
    response = api_client.get("/api/v1/events/", params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in [error["field"] for error in body["errors"]]
    assert all(error["message"] for error in body["errors"])


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/statements/", {"category": "military"}),  # statements have no category
        ("/api/v1/statements/", {"verification": "rumoured"}),
        ("/api/v1/events/", {"catgory": "military"}),  # a misspelt filter
    ],
)
def test_a_filter_the_list_does_not_take_is_a_400_not_an_unfiltered_list(
    api_client: APIClient, url: str, params: dict
) -> None:
    response = api_client.get(url, params)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    [name] = params
    assert error["field"] == name
    assert f"no “{name}” filter" in error["message"] and "date_from" in error["message"]


def test_the_lists_own_parameters_are_taken(api_client: APIClient) -> None:
    params = {"page_size": "5", "ordering": "date", "format": "json", "kind": "direct"}
    assert api_client.get("/api/v1/statements/", params).status_code == 200


# Pagination


def test_a_consumer_walks_the_demo_crisiss_russian_events_of_february_2022(
    api_client: APIClient,
) -> None:
    load_demo(settings.DEMO_CORPUS_DIR)

    items = walk(
        api_client,
        "/api/v1/events/",
        crisis=CRISIS_SLUG,
        actor="russia",
        date_from="2022-02-01",
        date_to="2022-02-28",
        page_size=2,
    )

    assert [item["title"] for item in items] == [
        # The published events the pipeline dated in February 2022 with Russia among their actors.
        "Russia launches joint military exercises in neighbouring Belarus",
        "Several Western countries launch diplomatic pushes",
        "Macron visits Moscow",  # "…Emmanuel Macron, who visited on Monday" → 2022-02-07
        "Truss visits Moscow",  # "…Liz Truss when she came on Thursday" → 2022-02-10
        "Russia masses more troops",
    ]
    assert all(item["citations"] and item["citations"][0]["excerpt"] for item in items)
    assert all("russia" in [a["actor"]["slug"] for a in item["actors"]] for item in items)


def test_a_walk_neither_skips_nor_repeats_while_events_are_added_and_removed(
    api_client: APIClient,
) -> None:
    day = dt.date(2022, 2, 11)
    original = [make_event(title=f"E{n}", start_date=day, status=PUBLISHED) for n in range(6)]

    first = get(api_client, "/api/v1/events/", page_size=2)
    # Between pages: a new event on the same day sorts before the cursor (the offset cursors of
    # DRF's CursorPagination would then repeat an item), one after it, and one already seen goes.
    make_event(title="Earlier", start_date=dt.date(2022, 2, 1), status=PUBLISHED)
    make_event(title="Later", start_date=day, status=PUBLISHED)
    Event.objects.filter(pk=original[0].pk).update(status=Status.REJECTED)
    seen = titles(first)
    page = first
    while page["next"]:
        page = get(api_client, page["next"])
        seen += titles(page)

    assert seen == ["E0", "E1", "E2", "E3", "E4", "E5", "Later"]


def test_previous_links_walk_back_to_the_first_page(api_client: APIClient) -> None:
    for n in range(5):
        make_event(title=f"E{n}", start_date=dt.date(2022, 2, 1 + n), status=PUBLISHED)

    page = get(api_client, "/api/v1/events/", page_size=2)
    assert page["previous"] is None
    page = get(api_client, page["next"])
    page = get(api_client, page["next"])
    assert titles(page) == ["E4"] and page["next"] is None
    page = get(api_client, page["previous"])
    assert titles(page) == ["E2", "E3"]
    page = get(api_client, page["previous"])
    assert titles(page) == ["E0", "E1"]
    assert page["previous"] is None


def test_events_can_come_newest_first(api_client: APIClient) -> None:
    for n in range(3):
        make_event(title=f"E{n}", start_date=dt.date(2022, 2, 1 + n), status=PUBLISHED)

    items = walk(api_client, "/api/v1/events/", ordering="-date", page_size=2)

    assert [item["title"] for item in items] == ["E2", "E1", "E0"]


# Query counts


def _events_with_relations(n: int) -> None:
    crisis = make_crisis()
    for _ in range(n):
        event = make_event(status=PUBLISHED)
        event.crises.add(crisis)
        EventActor.objects.create(event=event, actor=make_actor(), role="agent")
        EventActor.objects.create(event=event, actor=make_actor(), role="target")
        make_citation(event=event)
        make_citation(event=event)


@pytest.mark.parametrize("rows", [2, 12])
def test_the_event_list_costs_the_same_queries_however_many_rows(
    api_client: APIClient, django_assert_num_queries: Any, rows: int
) -> None:
    _events_with_relations(rows)

    # 1. the page of events, with their categories (joined)
    # 2. their actors' roles, with the actors (joined)
    # 3. their citations, with article and outlets joined and the excerpt cut in the database
    # 4. their crises
    # 5. the claims on them (statement ids and stances)
    # 6. their public corrections
    # 7. their places
    # 8. the outlets of the citations the machine proposed (sources_matched_automatically)
    with django_assert_num_queries(8):
        page = get(api_client, "/api/v1/events/")

    assert len(page["results"]) == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_statement_list_costs_the_same_queries_however_many_rows(
    api_client: APIClient, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        statement = make_statement(
            speaker=make_actor(affiliation=make_actor()), status=PUBLISHED, date=dt.date.today()
        )
        make_citation(statement=statement)

    # 1. the page of statements, with speakers and their affiliations (joined)
    # 2. their citations, with articles and outlets (joined), excerpts cut in the database
    # 3. their public corrections
    # 4. their crises
    with django_assert_num_queries(4):
        page = get(api_client, "/api/v1/statements/")

    assert len(page["results"]) == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_other_lists_cost_the_same_queries_however_many_rows(
    api_client: APIClient, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        actor = make_actor(status=PUBLISHED, affiliation=make_actor(status=PUBLISHED))
        actor.aliases.create(name=f"Alias of {actor.name}")
        article = make_article()
        article.crises.add(make_crisis())
        make_citation(article=article, event=make_event(status=PUBLISHED))

    # 1. the page of actors, with affiliations (joined); 2. their aliases; 3. their corrections
    with django_assert_num_queries(3):
        assert get(api_client, "/api/v1/actors/", page_size=200)["results"]
    # 1. the page of articles cited by published items, with outlets (joined); 2. their crises
    with django_assert_num_queries(2):
        assert len(get(api_client, "/api/v1/articles/")["results"]) == rows
    # 1. the page of crises
    with django_assert_num_queries(1):
        assert len(get(api_client, "/api/v1/crises/")["results"]) == rows
    # 1. the page of sources
    with django_assert_num_queries(1):
        assert len(get(api_client, "/api/v1/sources/")["results"]) == rows


def test_a_sync_client_pages_through_what_changed_since_its_last_run(
    api_client: APIClient,
) -> None:
    old, recent, newest = (make_event(title=t, status=PUBLISHED) for t in ("Old", "Re", "New"))
    for event, day in ((old, 1), (newest, 9), (recent, 5)):
        Event.objects.filter(pk=event.pk).update(
            updated_at=dt.datetime(2024, 1, day, tzinfo=dt.UTC)
        )

    items = walk(
        api_client,
        "/api/v1/events/",
        updated_since="2024-01-02T00:00:00Z",
        ordering="updated",
        page_size=1,
    )

    assert [item["title"] for item in items] == ["Re", "New"]

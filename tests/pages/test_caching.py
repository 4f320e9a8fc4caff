"""Anonymous readers' answers come whole from the cache until the data changes.

The reader pages and the API lists are the same for every anonymous reader, so their rendered
answer is kept under the URL, the format and the data version. A change readers would see —
publishing, unpublishing, deleting — changes the version and so the answer, at once. Editors,
who may see drafts, never read or fill that cache.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import make_actor, make_citation, make_crisis, make_event
from timeline import caching, generation
from timeline.models import Event, EventActor, EventCategory, Source, Status
from timeline.services import editorial

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.RESPONSE_CACHE_SECONDS = 300


@pytest.fixture
def crisis_with_events() -> Any:
    crisis = make_crisis(slug="war", title="War")
    russia = make_actor(name="Russia", slug="russia", kind="state", status=PUBLISHED)
    for day in (1, 2):
        event = make_event(
            title=f"Published on day {day}", status=PUBLISHED, start_date=dt.date(2022, 2, day)
        )
        event.crises.add(crisis)
        EventActor.objects.create(event=event, actor=russia, role="agent")
        make_citation(event=event)
    draft = make_event(title="A draft", start_date=dt.date(2022, 2, 3))
    draft.crises.add(crisis)
    return crisis


def titles(response: Any) -> list[str]:
    return [event["title"] for event in response.json()["results"]]


def queries(client: Any, url: str, **extra: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response, len(captured)


def test_a_readers_repeat_request_is_answered_from_the_cache(crisis_with_events: Any) -> None:
    client = APIClient()
    first, built = queries(client, "/api/v1/events/")
    again, cached = queries(client, "/api/v1/events/")

    assert again.content == first.content
    # 1. the data version; nothing else
    assert cached == 1 < built
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"
    assert "public" in again["Cache-Control"]


def test_the_key_is_the_whole_url_and_the_format(crisis_with_events: Any) -> None:
    client = APIClient()
    client.get("/api/v1/events/")

    assert titles(client.get("/api/v1/events/", {"ordering": "-date"})) == [
        "Published on day 2",
        "Published on day 1",
    ]
    assert len(titles(client.get("/api/v1/events/", {"page_size": 1}))) == 1
    html = client.get("/api/v1/events/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert client.get("/api/v1/events/")["Content-Type"] == "application/json"


def test_publishing_changes_the_answer_at_once(crisis_with_events: Any, publisher: User) -> None:
    client = APIClient()
    assert titles(client.get("/api/v1/events/")) == ["Published on day 1", "Published on day 2"]
    draft = crisis_with_events.events.get(title="A draft")

    editorial.items_publish(items=Event.objects.filter(pk=draft.pk), by=publisher)

    assert "A draft" in titles(client.get("/api/v1/events/"))
    page = Client().get("/crises/war/")
    assert b"A draft" in page.content


def test_unpublishing_changes_the_answer_at_once(crisis_with_events: Any, publisher: User) -> None:
    client, reader = APIClient(), Client()
    client.get("/api/v1/events/")
    assert b"Published on day 1" in reader.get("/crises/war/").content
    first = crisis_with_events.events.get(title="Published on day 1")

    editorial.items_unpublish(items=Event.objects.filter(pk=first.pk), by=publisher)

    assert titles(client.get("/api/v1/events/")) == ["Published on day 2"]
    assert b"Published on day 1" not in reader.get("/crises/war/").content


def test_deleting_changes_the_answer_at_once(crisis_with_events: Any) -> None:
    client, reader = APIClient(), Client()
    client.get("/api/v1/events/")
    assert b"Published on day 1" in reader.get("/crises/war/").content

    # The oldest event, with the oldest role and citation: no newest change or id moves.
    crisis_with_events.events.get(title="Published on day 1").delete()

    assert titles(client.get("/api/v1/events/")) == ["Published on day 2"]
    assert b"Published on day 1" not in reader.get("/crises/war/").content


def test_editors_neither_read_nor_fill_the_readers_cache(
    crisis_with_events: Any, editor: User, editor_api: APIClient
) -> None:
    reader = APIClient()
    assert "A draft" not in titles(reader.get("/api/v1/events/"))

    # An editor asking for the same URL sees the draft: not the reader's cached answer…
    _, editor_queries = queries(editor_api, "/api/v1/events/")
    assert "A draft" in titles(editor_api.get("/api/v1/events/"))
    assert editor_queries > 1
    # …and what editors see does not reach readers, on the API or the pages.
    before = _reader_entries()
    editor_api.get("/api/v1/events/", {"page_size": 7})
    signed_in = Client()
    signed_in.force_login(editor)
    signed_in.get("/crises/war/")
    assert _reader_entries() == before
    assert "A draft" not in titles(reader.get("/api/v1/events/", {"page_size": 7}))
    assert "private" in signed_in.get("/api/v1/events/")["Cache-Control"]


def test_reader_pages_are_served_from_the_cache_until_the_data_changes(
    crisis_with_events: Any,
) -> None:
    reader = Client()
    first, built = queries(reader, "/crises/war/")
    again, cached = queries(reader, "/crises/war/")

    assert again.content == first.content
    assert cached == 1 < built  # the data version only
    for url in ("/", "/actors/russia/"):
        assert queries(reader, url)[0].content == queries(reader, url)[0].content
        assert queries(reader, url)[1] == 1


def test_errors_are_not_cached(crisis_with_events: Any) -> None:
    client = APIClient()
    assert client.get("/api/v1/events/", {"page_size": 0}).status_code == 400
    assert _reader_entries() == set()
    assert Client().get("/crises/war/", {"date_from": "not a date"}).status_code == 400
    assert _reader_entries() == set()


def test_nothing_is_cached_when_turned_off(crisis_with_events: Any, settings: Any) -> None:
    settings.RESPONSE_CACHE_SECONDS = 0
    client = APIClient()
    client.get("/api/v1/events/")

    assert queries(client, "/api/v1/events/")[1] > 1
    assert _reader_entries() == set()


# The fast lane: a repeat answer for a request that is anonymous by construction is served
# before sessions, authentication and the view, with the headers the full path sends.

FAST_LANE = "timeline.caching.ReaderFastLane"


def took_fast_lane(response: Any) -> bool:
    # SessionMiddleware, below the fast lane, gives every request on the full path a session.
    return not hasattr(response.wsgi_request, "session")


def full_path_only(settings: Any) -> None:
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_LANE]


@pytest.mark.parametrize("url", ["/crises/war/", "/api/v1/events/?page_size=1"])
def test_the_fast_lane_answers_exactly_as_the_full_path_does(
    crisis_with_events: Any, settings: Any, url: str
) -> None:
    reader = Client()
    assert not took_fast_lane(reader.get(url))  # the full path builds the answer
    fast = reader.get(url)
    fast_unchanged = reader.get(url, HTTP_IF_NONE_MATCH=fast["ETag"])

    full_path_only(settings)
    full = Client().get(url)
    full_unchanged = Client().get(url, HTTP_IF_NONE_MATCH=fast["ETag"])

    assert took_fast_lane(fast) and took_fast_lane(fast_unchanged)
    assert not took_fast_lane(full)
    assert fast.status_code == full.status_code == 200
    assert fast.content == full.content
    assert sorted(fast.items()) == sorted(full.items())
    assert "Content-Security-Policy" in fast and "X-Content-Type-Options" in fast
    assert fast_unchanged.status_code == full_unchanged.status_code == 304
    assert sorted(fast_unchanged.items()) == sorted(full_unchanged.items())


def test_a_publish_reaches_the_fast_lane_at_once(crisis_with_events: Any, publisher: User) -> None:
    reader = Client()
    reader.get("/crises/war/")
    assert took_fast_lane(reader.get("/crises/war/"))
    draft = crisis_with_events.events.get(title="A draft")

    editorial.items_publish(items=Event.objects.filter(pk=draft.pk), by=publisher)

    assert b"A draft" in reader.get("/crises/war/").content


def test_signed_in_or_token_bearing_requests_never_take_the_fast_lane(
    crisis_with_events: Any, editor: User, editor_api: APIClient
) -> None:
    reader = Client()
    for url in ("/crises/war/", "/api/v1/events/"):
        reader.get(url)
        assert took_fast_lane(reader.get(url))
    signed_in = Client()
    signed_in.force_login(editor)
    stale_session = Client()
    stale_session.cookies[settings_session_cookie()] = "expired-or-forged"

    by_token = editor_api.get("/api/v1/events/")
    assert not took_fast_lane(by_token)
    assert "A draft" in titles(by_token)
    by_session = signed_in.get("/api/v1/events/")
    assert not took_fast_lane(by_session)
    assert "A draft" in titles(by_session)
    assert not took_fast_lane(signed_in.get("/crises/war/"))
    # Anonymous after all, but only the full path can tell: it looks the session up.
    stale, looked_up = queries(stale_session, "/crises/war/")
    assert not took_fast_lane(stale)
    # 1. the session (not found) 2. the data version
    assert looked_up == 2
    assert stale.content == reader.get("/crises/war/").content


def test_requests_for_answers_never_kept_cost_no_extra_query(
    crisis_with_events: Any, settings: Any
) -> None:
    event = crisis_with_events.events.get(title="Published on day 1")
    url = f"/events/{event.pk}/"  # not in the readers' cache
    reader = Client()
    reader.get(url)

    _, with_the_cache = queries(reader, url)
    settings.RESPONSE_CACHE_SECONDS = 0
    _, without = queries(reader, url)

    assert with_the_cache == without


def test_fast_lane_answers_count_against_the_api_rate_limit(
    crisis_with_events: Any, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "write": None},
    }
    reader = Client()
    answers = [reader.get("/api/v1/events/") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [took_fast_lane(answer) for answer in answers] == [False, True, True, False]
    assert int(answers[-1]["Retry-After"]) > 0


def settings_session_cookie() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


def _reader_entries() -> set[str]:
    from django.core.cache import cache

    return {key for key in cache._cache if caching.KEY_PREFIX in key}  # type: ignore[attr-defined]  # LocMemCache's private dict


# Changes the fingerprint of MAXes cannot see: the data's generation (timeline.generation),
# bumped after each commit. These tests commit for real, as the app does.

COMMITTING = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@COMMITTING
def test_renaming_an_outlet_changes_the_cached_answer_at_once(crisis_with_events: Any) -> None:
    client = APIClient()
    outlet = Event.objects.get(title="Published on day 1").citations.get().article.source
    assert outlet is not None
    assert outlet.name in client.get("/api/v1/events/").content.decode()

    Source.objects.filter(pk=outlet.pk).update(name="Renamed Wire")

    assert "Renamed Wire" in client.get("/api/v1/events/").content.decode()


@COMMITTING
def test_renaming_a_category_changes_the_cached_page_at_once(crisis_with_events: Any) -> None:
    client = Client()
    client.get("/crises/war/")

    EventCategory.objects.filter(slug="military").update(name="Armed forces")

    assert "Armed forces" in client.get("/crises/war/").content.decode()


@COMMITTING
def test_a_commit_of_older_rows_after_a_newer_one_still_changes_the_answer(
    crisis_with_events: Any,
) -> None:
    client = APIClient()
    client.get("/api/v1/events/")
    # What a transaction that began before the last change commits: rows that move no MAX.
    oldest = Event.objects.order_by("updated_at").first()
    assert oldest is not None
    Event.objects.filter(title="Published on day 2").update(
        title="Retitled late", updated_at=oldest.updated_at
    )

    assert "Retitled late" in titles(client.get("/api/v1/events/"))


@COMMITTING
def test_the_generation_moves_once_per_transaction_and_not_for_reads(
    crisis_with_events: Any,
) -> None:
    before = generation.generation()
    with CaptureQueriesContext(connection), transaction.atomic():
        for n in range(5):
            make_event(title=f"Bulk {n}")
        bumps = [entry for entry in connection.run_on_commit if entry[1] is generation.bump]
    after_writes = generation.generation()
    list(Event.objects.all())

    assert len(bumps) == 1
    assert after_writes != before
    assert generation.generation() == after_writes

"""The API over HTTP: conditional reads, cache headers, rate limits and streamed exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import make_event
from tests.responses import text
from timeline.demo import CRISIS_SLUG, load_demo
from timeline.models import Event, Status

pytestmark = pytest.mark.django_db

RUSSIA_IN_FEBRUARY_2022 = {
    "crisis": CRISIS_SLUG,
    "actor": "russia",
    "date_from": "2022-02-01",
    "date_to": "2022-02-28",
}


def body(response: Any) -> str:
    return text(response)


# Conditional requests and cache headers


def test_a_list_can_be_revalidated_with_its_etag(api_client: APIClient) -> None:
    make_event(status=Status.PUBLISHED)

    first = api_client.get("/api/v1/events/")
    again = api_client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=first["ETag"])
    make_event(title="News", status=Status.PUBLISHED)
    changed = api_client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_an_item_has_a_last_modified_time_to_revalidate_against(api_client: APIClient) -> None:
    event = make_event(status=Status.PUBLISHED)

    first = api_client.get(f"/api/v1/events/{event.pk}/")
    again = api_client.get(
        f"/api/v1/events/{event.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert first["Last-Modified"].endswith("GMT")
    assert again.status_code == 304


def test_readers_answers_may_be_cached_by_anyone_editors_by_nobody(
    api_client: APIClient, editor_api: APIClient
) -> None:
    public = api_client.get("/api/v1/events/")
    private = editor_api.get("/api/v1/events/")

    assert public["Cache-Control"] == "public, max-age=60"
    assert "private" in private["Cache-Control"] and "no-cache" in private["Cache-Control"]
    assert "Authorization" in public["Vary"] and "Cookie" in public["Vary"]


def test_errors_are_not_cached(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/events/", {"date_to": "never"})
    again = api_client.get(
        "/api/v1/events/", {"date_to": "never"}, HTTP_IF_NONE_MATCH=response.get("ETag", "*")
    )

    assert response.status_code == again.status_code == 400
    assert not response.has_header("Cache-Control")


# Rate limits


def test_anonymous_reads_are_limited_per_client(api_client: APIClient, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "write": None},
    }
    other = APIClient(REMOTE_ADDR="192.0.2.7")

    statuses = [api_client.get("/api/v1/events/").status_code for _ in range(3)]
    limited = api_client.get("/api/v1/events/")

    assert statuses == [200, 200, 429]
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "throttled"
    assert other.get("/api/v1/events/").status_code == 200


def test_writes_are_limited_per_editor(editor_api: APIClient, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "write": "1/minute"},
    }

    first = editor_api.post("/api/v1/actors/", {"name": "A", "kind": "state"}, format="json")
    second = editor_api.post("/api/v1/actors/", {"name": "B", "kind": "state"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    assert editor_api.get("/api/v1/actors/").status_code == 200  # reads are not writes


# Exports


@pytest.fixture
def demo() -> None:
    load_demo(settings.DEMO_CORPUS_DIR)


def test_a_consumer_exports_the_russian_events_of_february_2022_as_csv(
    api_client: APIClient, demo: None
) -> None:
    response = api_client.get("/api/v1/events/export/csv/", RUSSIA_IN_FEBRUARY_2022)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [row["title"] for row in rows] == [
        # The published events the pipeline dated in February 2022 with Russia among their actors.
        "Russia launches joint military exercises in neighbouring Belarus",
        "Several Western countries launch diplomatic pushes",
        "Macron visits Moscow",  # "…Emmanuel Macron, who visited on Monday" → 2022-02-07
        "Truss visits Moscow",  # "…Liz Truss when she came on Thursday" → 2022-02-10
        "Russia masses more troops",
    ]
    # An event cites each sentence of the article that mentions it, one per line of the cell.
    assert all(set(row["citation_outlets"].splitlines()) == {"Reuters"} for row in rows)


def test_exports_come_as_json_lines_and_for_timelinejs(api_client: APIClient, demo: None) -> None:
    lines = body(api_client.get("/api/v1/events/export/jsonl/", RUSSIA_IN_FEBRUARY_2022))
    timeline = api_client.get("/api/v1/events/export/timelinejs/", {"crisis": CRISIS_SLUG})

    assert len([json.loads(line) for line in lines.splitlines()]) == 5
    document = json.loads(body(timeline))
    assert document["title"]["text"]["headline"] == "Russia–Ukraine crisis, 2021–2022"
    assert len(document["events"]) == Event.objects.published().count()


def test_exports_show_readers_published_events_only(api_client: APIClient) -> None:
    make_event(title="Published", status=Status.PUBLISHED)
    make_event(title="Draft")

    text = body(api_client.get("/api/v1/events/export/jsonl/"))

    assert [json.loads(line)["title"] for line in text.splitlines()] == ["Published"]


def test_a_bad_export_filter_is_a_json_400(api_client: APIClient) -> None:
    response = api_client.get(
        "/api/v1/events/export/csv/",
        {"date_from": "2022-03-01", "date_to": "2022-02-01"},
        HTTP_ACCEPT="text/csv",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["field"] == "date_from"


def test_an_unknown_api_path_is_a_json_404(api_client: APIClient) -> None:
    for path in ("/api/v1/nothing/", "/api/v1/events/not-a-number/", "/api/v1/actors/%C2%84/"):
        response = api_client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found", path

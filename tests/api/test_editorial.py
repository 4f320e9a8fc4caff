"""The editors' workflow through the API: publishing by role, corrections with a public note,
and concurrent edits that are refused rather than lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from tests.editorial.test_workflow import AP, REUTERS, ingest
from tests.factories import make_actor, make_article, make_crisis, make_event
from timeline.models import Citation, Correction, Event, Merge, Status
from timeline.services import citations

pytestmark = pytest.mark.django_db


def url(event: Event, action: str = "") -> str:
    return f"/api/v1/events/{event.pk}/{action + '/' if action else ''}"


def published(**fields: object) -> Event:
    event = make_event(**fields)
    event.crises.add(make_crisis(slug="ukraine"))
    Event.objects.filter(pk=event.pk).update(
        status=Status.PUBLISHED, first_published_at=dt.datetime(2022, 1, 22, tzinfo=dt.UTC)
    )
    event.refresh_from_db()
    return event


# Publishing is a publisher's decision


def test_a_publisher_publishes_and_unpublishes_through_the_api(
    publisher_api: APIClient, api_client: APIClient
) -> None:
    event = make_event(title="Talks in Geneva")

    publishing = publisher_api.post(url(event, "publish"))

    assert publishing.status_code == 200, publishing.content
    assert publishing.json()["status"] == "published"
    assert api_client.get(url(event)).status_code == 200
    event.refresh_from_db()
    assert event.first_published_at is not None

    unpublishing = publisher_api.post(url(event, "unpublish"))

    assert unpublishing.json()["status"] == "draft"
    assert api_client.get(url(event)).status_code == 404


def test_an_editor_cannot_publish_through_the_api_but_may_reject_a_draft(
    editor_api: APIClient,
) -> None:
    event = make_event()

    refused = editor_api.post(url(event, "publish"))
    rejected = editor_api.post(url(event, "reject"))

    assert refused.status_code == 403
    assert "Only publishers can publish" in refused.json()["detail"]
    assert rejected.status_code == 200
    event.refresh_from_db()
    assert event.status == Status.REJECTED


def test_readers_cannot_publish(api_client: APIClient) -> None:
    event = make_event()

    assert api_client.post(url(event, "publish")).status_code == 401
    event.refresh_from_db()
    assert event.status == Status.DRAFT


def test_an_actor_and_a_statement_are_published_the_same_way(publisher_api: APIClient) -> None:
    actor = make_actor(slug="lavrov")

    response = publisher_api.post("/api/v1/actors/lavrov/publish/")

    assert response.status_code == 200, response.content
    actor.refresh_from_db()
    assert actor.status == Status.PUBLISHED


# Merges are a publisher's too


def test_a_publisher_merges_two_events_and_an_editor_may_not(
    publisher_api: APIClient, editor_api: APIClient
) -> None:
    keep, duplicate = make_event(title="Talks in Geneva"), make_event(title="Geneva talks")
    body = {"merge": duplicate.pk}

    refused = editor_api.post(url(keep, "merge"), body, format="json")
    assert refused.status_code == 403
    assert Event.objects.filter(pk=duplicate.pk).exists()

    merged = publisher_api.post(url(keep, "merge"), body, format="json")
    assert merged.status_code == 200, merged.content
    assert merged.json()["id"] == keep.pk
    assert not Event.objects.filter(pk=duplicate.pk).exists()
    assert Merge.objects.get().merged_id == duplicate.pk


def test_merging_an_actor_keeps_its_name_as_an_alias(publisher_api: APIClient) -> None:
    make_actor(slug="lavrov", name="Sergei Lavrov")
    make_actor(slug="lavrov-2", name="Sergey Lavrov")

    response = publisher_api.post(
        "/api/v1/actors/lavrov/merge/", {"merge": "lavrov-2"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["aliases"] == ["Sergey Lavrov"]


def test_an_event_cannot_be_merged_into_itself(publisher_api: APIClient) -> None:
    event = make_event()

    response = publisher_api.post(url(event, "merge"), {"merge": event.pk}, format="json")

    assert response.status_code == 400
    assert "cannot be merged into itself" in response.json()["detail"]


# Corrections


def test_correcting_a_published_event_needs_a_note_and_records_it_for_readers(
    publisher_api: APIClient, client: Client
) -> None:
    event = published(title="Blinken and Lavrov meet", start_date=dt.date(2022, 1, 21))

    refused = publisher_api.patch(url(event), {"start_date": "2022-01-20"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "correction_note"
    event.refresh_from_db()
    assert event.start_date == dt.date(2022, 1, 21), "nothing is saved without the note"

    corrected = publisher_api.patch(
        url(event),
        {"start_date": "2022-01-20", "correction_note": "The talks were on Thursday."},
        format="json",
    )

    assert corrected.status_code == 200, corrected.content
    [record] = corrected.json()["corrections"]
    assert record["note"] == "The talks were on Thursday."
    assert record["changes"] == {"start_date": ["2022-01-21", "2022-01-20"]}
    page = client.get(event.get_absolute_url()).content.decode()
    assert "The talks were on Thursday." in page
    since = "2022-01-01T00:00:00Z"
    changes = client.get("/api/v1/changes/", {"since": since}).json()["results"]
    assert {"type": "event", "id": event.pk, "action": "updated"}.items() <= changes[-1].items()


def test_a_correction_names_the_category_and_actors_it_changed(publisher_api: APIClient) -> None:
    event = published()
    make_actor(slug="russia", name="Russia")

    publisher_api.patch(
        url(event),
        {
            "category": "diplomatic",
            "actors": [{"actor": "russia", "role": "agent"}],
            "correction_note": "Recategorised; Russia added.",
        },
        format="json",
    )

    changes = Correction.objects.get(event=event).changes
    assert changes["category"] == ["Military", "Diplomatic"]
    assert changes["actors"] == ["", "Russia (agent)"]


def test_changing_a_draft_records_no_correction(editor_api: APIClient) -> None:
    event = make_event()

    response = editor_api.patch(url(event), {"title": "Better title"}, format="json")

    assert response.status_code == 200
    assert not Correction.objects.exists()


def test_an_unchanged_value_needs_no_note(publisher_api: APIClient) -> None:
    event = published(title="Same")

    response = publisher_api.patch(url(event), {"title": "Same"}, format="json")

    assert response.status_code == 200, response.content
    assert not Correction.objects.exists()


def test_replacing_the_citations_leaves_proposed_ones_for_review(editor_api: APIClient) -> None:
    event = make_event()
    article = make_article()
    proposed = Citation.objects.create(article=article, event=event, start=0, end=5, proposed=True)
    Citation.objects.create(article=article, event=event, start=0, end=9)

    response = editor_api.patch(
        url(event), {"citations": [{"article": article.pk, "start": 10, "end": 20}]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [(c.start, c.proposed) for c in event.citations.order_by("pk")] == [
        (0, True),
        (10, False),
    ]
    assert event.citations.get(proposed=True) == proposed


def test_the_public_note_is_written_through_the_api(editor_api: APIClient) -> None:
    event = make_event()

    response = editor_api.patch(url(event), {"public_note": "One side's figures."}, format="json")

    assert response.json()["public_note"] == "One side's figures."


# Two editors at once


def test_the_second_of_two_concurrent_edits_is_told_of_the_conflict(
    editor_api: APIClient,
) -> None:
    event = make_event(title="Drils")
    version = editor_api.get(url(event)).json()["version"]

    first = editor_api.patch(url(event), {"title": "Drills", "version": version}, format="json")
    second = editor_api.patch(url(event), {"summary": "Joint", "version": version}, format="json")

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert "Someone else changed this event" in second.json()["detail"]
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Drills", "")
    assert first.json()["version"] == version + 1


def test_the_current_version_is_accepted(editor_api: APIClient) -> None:
    event = make_event()
    version = editor_api.get(url(event)).json()["version"]

    response = editor_api.patch(url(event), {"title": "T", "version": version}, format="json")

    assert response.status_code == 200, response.content


# The "done when", end to end


def test_two_reports_of_one_meeting_become_one_corrected_event_readers_can_follow(
    editor: User, publisher_api: APIClient, client: Client
) -> None:
    ingest(REUTERS, "Reuters")
    ingest(AP, "AP")
    event = Event.objects.get()
    citations.citation_confirm(citation=event.citations.get(proposed=True), by=editor)

    assert publisher_api.post(url(event, "publish")).status_code == 200
    read = publisher_api.get(url(event)).json()
    assert (len(read["citations"]), read["source_count"]) == (2, 2)
    corrected = publisher_api.patch(
        url(event),
        {
            "start_date": "2022-01-20",
            "version": read["version"],
            "correction_note": "The talks were on Thursday.",
        },
        format="json",
    )
    assert corrected.status_code == 200, corrected.content

    page = client.get(event.get_absolute_url()).content.decode()
    assert "Reported by 2 independent sources." in page
    corrections = page.split('id="corrections-heading"')[1]
    assert "The talks were on Thursday." in corrections and "2022-01-20" in corrections
    feed = client.get("/api/v1/changes/", {"since": "2000-01-01T00:00:00Z"}).json()["results"]
    assert ("event", event.pk, "updated") in [(c["type"], c["id"], c["action"]) for c in feed]

"""/api/v1/changes/: mirrors learn what changed since a time, deletions included."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_actor, make_event
from timeline.models import Event, Status
from timeline.services import editorial, merges

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/v1/changes/"


def changes(client: Client, since: dt.datetime) -> dict:
    response = client.get(URL, {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()


def test_it_lists_published_items_changed_since_a_time(client: Client, publisher: User) -> None:
    start = timezone.now()
    event = make_event()
    make_event()  # a draft never published: mirrors never see it
    editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=publisher)

    feed = changes(client, start)

    assert [(c["type"], c["id"], c["action"]) for c in feed["results"]] == [
        ("event", event.pk, "updated")
    ]
    assert feed["results"][0]["url"].endswith(reverse("api:event-detail", args=[event.pk]))


def test_unpublished_rejected_merged_and_deleted_items_come_as_tombstones(
    client: Client, publisher: User
) -> None:
    unpublished, rejected, merged, deleted, kept = (
        make_event(title=f"Event {n}") for n in range(5)
    )
    editorial.items_publish(items=Event.objects.all(), by=publisher)
    start = timezone.now()

    editorial.items_unpublish(items=Event.objects.filter(pk=unpublished.pk), by=publisher)
    editorial.items_reject(items=Event.objects.filter(pk=rejected.pk), by=publisher)
    merged_pk, deleted_pk = merged.pk, deleted.pk
    merges.event_merge(keep=kept, merge=merged, by=publisher)
    deleted.delete()

    feed = changes(client, start)

    actions = {c["id"]: c["action"] for c in feed["results"]}
    assert actions == {
        unpublished.pk: "deleted",
        rejected.pk: "deleted",
        merged_pk: "deleted",
        deleted_pk: "deleted",
        kept.pk: "updated",  # it gained the merged event's citations
    }


def test_a_correction_of_a_published_event_shows_as_an_update(
    client: Client, publisher: User
) -> None:
    event = make_event()
    editorial.items_publish(items=Event.objects.all(), by=publisher)
    start = timezone.now()
    event.refresh_from_db()
    event.start_date = dt.date(2022, 2, 10)
    event.save()

    feed = changes(client, start)

    assert [(c["id"], c["action"]) for c in feed["results"]] == [(event.pk, "updated")]
    assert feed["next_since"] == feed["results"][-1]["changed_at"]


def test_actors_are_addressed_by_slug(client: Client) -> None:
    start = timezone.now()
    actor = make_actor(name="Joe Biden", slug="joe-biden", status=Status.PUBLISHED)
    actor.title = "President"
    actor.first_published_at = timezone.now()
    actor.save()

    feed = changes(client, start)

    assert feed["results"][0]["url"].endswith("/api/v1/actors/joe-biden/")


@pytest.mark.parametrize("query", [{}, {"since": "yesterday"}, {"since": "2022-02-11T00:00:00"}])
def test_it_asks_for_a_since_with_its_zone(client: Client, query: dict) -> None:
    response = client.get(URL, query)
    assert response.status_code == 400
    assert "since" in response.content.decode()


def test_it_refuses_a_limit_out_of_range(client: Client) -> None:
    response = client.get(URL, {"since": "2022-02-11T00:00:00Z", "limit": "5000"})
    assert response.status_code == 400

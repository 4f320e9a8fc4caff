"""The editorial workflow in the API, through the admin's own services: proposed citations
confirmed or split off, claims and denials, merges listed and undone (issue 18 item 1)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_event,
    make_source,
    make_statement,
)
from timeline.models import Citation, Event, Merge, Status
from timeline.services import merges

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed() -> Citation:
    """A published event one outlet reports, and a second outlet's report the machine matched."""
    event = make_event(title="Russia moves troops", status=Status.PUBLISHED)
    make_citation(event=event, article=make_article(source=make_source(name="Reuters")))
    other = make_article(source=make_source(name="Pravda"), text="Pravda reports troops moving")
    return Citation.objects.create(article=other, event=event, start=0, end=6, proposed=True)


def test_an_editor_confirms_a_proposed_citation_and_it_becomes_a_source(
    editor_api: APIClient, api_client: APIClient, proposed: Citation
) -> None:
    url = f"/api/v1/events/{proposed.event_id}/citations/{proposed.pk}/confirm/"

    response = editor_api.post(url)

    assert response.status_code == 200, response.content
    assert response.json()["source_count"] == 2
    proposed.refresh_from_db()
    assert not proposed.proposed
    assert api_client.get(f"/api/v1/events/{proposed.event_id}/").json()["source_count"] == 2


def test_an_editor_splits_a_proposed_citation_into_a_draft_of_its_own(
    editor_api: APIClient, proposed: Citation
) -> None:
    url = f"/api/v1/events/{proposed.event_id}/citations/{proposed.pk}/split/"

    response = editor_api.post(url)

    assert response.status_code == 201, response.content
    made = Event.objects.get(pk=response.json()["id"])
    assert made.pk != proposed.event_id and made.status == Status.DRAFT
    assert list(made.citations.values_list("pk", flat=True)) == [proposed.pk]


def test_only_proposed_citations_of_that_item_can_be_decided(
    editor_api: APIClient, proposed: Citation
) -> None:
    confirmed = Citation.objects.get(event=proposed.event, proposed=False)
    elsewhere = make_event()

    assert (
        editor_api.post(
            f"/api/v1/events/{proposed.event_id}/citations/{confirmed.pk}/confirm/"
        ).status_code
        == 404
    )
    assert (
        editor_api.post(
            f"/api/v1/events/{elsewhere.pk}/citations/{proposed.pk}/confirm/"
        ).status_code
        == 404
    )


def test_readers_cannot_decide_citations(api_client: APIClient, proposed: Citation) -> None:
    url = f"/api/v1/events/{proposed.event_id}/citations/{proposed.pk}/confirm/"

    assert api_client.post(url).status_code == 401
    proposed.refresh_from_db()
    assert proposed.proposed


def test_a_denial_linked_to_an_event_marks_it_disputed(editor_api: APIClient) -> None:
    event = make_event(title="Russia moves troops")
    denial = make_statement(text="No troops have moved")

    response = editor_api.post(
        f"/api/v1/events/{event.pk}/claims/",
        {"statement": denial.pk, "stance": "denies"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verification"] == "disputed"
    assert body["claims"] == [{"statement": denial.pk, "stance": "denies"}]


def test_a_claim_with_an_unknown_stance_is_a_400(editor_api: APIClient) -> None:
    event = make_event()

    response = editor_api.post(
        f"/api/v1/events/{event.pk}/claims/",
        {"statement": make_statement().pk, "stance": "maybe"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "stance"


@pytest.fixture
def merge(publisher: object) -> Merge:
    keep, twin = make_event(title="Troops mass"), make_event(title="Troops gather")
    make_citation(event=twin)
    return merges.event_merge(keep=keep, merge=twin, by=publisher)  # type: ignore[arg-type]


def test_a_publisher_lists_merges_and_undoes_one(publisher_api: APIClient, merge: Merge) -> None:
    listed = publisher_api.get("/api/v1/merges/").json()["results"]
    assert [m["merged_name"] for m in listed] == ["Troops gather"]
    assert listed[0]["can_undo"] is True

    response = publisher_api.post(f"/api/v1/merges/{merge.pk}/undo/")

    assert response.status_code == 200, response.content
    assert response.json()["can_undo"] is False
    assert Event.objects.get(pk=merge.merged_id).citations.count() == 1
    again = publisher_api.post(f"/api/v1/merges/{merge.pk}/undo/")
    assert again.status_code == 400
    assert "already been undone" in again.json()["detail"]


def test_editors_and_readers_neither_see_nor_undo_merges(
    editor_api: APIClient, api_client: APIClient, merge: Merge
) -> None:
    assert editor_api.get("/api/v1/merges/").status_code == 403
    assert editor_api.post(f"/api/v1/merges/{merge.pk}/undo/").status_code == 403
    assert api_client.get("/api/v1/merges/").status_code == 401
    assert Merge.objects.get().undone_at is None


@pytest.mark.parametrize("resource", ["events", "statements"])
def test_the_review_queue_lists_drafts_least_sure_first(
    editor_api: APIClient, api_client: APIClient, resource: str
) -> None:
    make = make_event if resource == "events" else make_statement
    sure, unsure, seen = make(confidence=0.9), make(confidence=0.2), make(confidence=0.1)
    seen.status = Status.PUBLISHED
    seen.save()

    queue = editor_api.get(
        f"/api/v1/{resource}/", {"status": "draft", "ordering": "confidence"}
    ).json()["results"]
    readers = api_client.get(f"/api/v1/{resource}/", {"status": "draft"}).json()["results"]

    assert [item["id"] for item in queue] == [unsure.pk, sure.pk]
    assert readers == []  # readers never see drafts, whatever they ask for


def test_a_publisher_publishes_many_events_in_one_request_with_each_ones_result(
    publisher_api: APIClient,
) -> None:
    draft, other = make_event(), make_event()
    already = make_event(status=Status.PUBLISHED)

    response = publisher_api.post(
        "/api/v1/events/decide/",
        {"decision": "publish", "ids": [draft.pk, other.pk, already.pk, 99999]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == [
        {"id": draft.pk, "result": "changed", "status": "published"},
        {"id": other.pk, "result": "changed", "status": "published"},
        {"id": already.pk, "result": "unchanged", "status": "published"},
        {"id": 99999, "result": "not_found", "status": None},
    ]


def test_an_editor_rejects_many_drafts_but_cannot_publish_them(editor_api: APIClient) -> None:
    drafts = [make_statement(), make_statement()]
    ids = [d.pk for d in drafts]

    refused = editor_api.post(
        "/api/v1/statements/decide/", {"decision": "publish", "ids": ids}, format="json"
    )
    rejected = editor_api.post(
        "/api/v1/statements/decide/", {"decision": "reject", "ids": ids}, format="json"
    )

    assert refused.status_code == 403
    assert "Only publishers" in refused.json()["detail"]
    assert [r["status"] for r in rejected.json()] == ["rejected", "rejected"]


def test_a_bulk_decision_is_all_or_nothing(editor_api: APIClient) -> None:
    draft, published = make_event(), make_event(status=Status.PUBLISHED)

    # Rejecting a published item is a publisher's: the draft is not rejected either.
    response = editor_api.post(
        "/api/v1/events/decide/",
        {"decision": "reject", "ids": [draft.pk, published.pk]},
        format="json",
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_bulk_decision_names_what_is_wrong_with_it(publisher_api: APIClient) -> None:
    response = publisher_api.post(
        "/api/v1/events/decide/", {"decision": "delete", "ids": list(range(1, 600))}, format="json"
    )

    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"decision", "ids"}


def seen_by_readers(event: Event) -> Event:
    """A published event readers have already seen: changing it is a public correction."""
    event.first_published_at = event.created_at
    event.save()
    return event


def test_a_denial_of_a_published_event_tells_readers_in_its_corrections(
    publisher_api: APIClient, api_client: APIClient
) -> None:
    event = seen_by_readers(make_event(title="Russia moves troops", status=Status.PUBLISHED))
    kremlin = make_actor(name="Dmitry Peskov", status=Status.PUBLISHED)
    denial = make_statement(text="No troops have moved", speaker=kremlin)

    linked = publisher_api.post(
        f"/api/v1/events/{event.pk}/claims/",
        {"statement": denial.pk, "stance": "denies"},
        format="json",
    )

    assert linked.status_code == 201, linked.content
    [correction] = api_client.get(f"/api/v1/events/{event.pk}/").json()["corrections"]
    assert correction["note"] == "Marked disputed: Dmitry Peskov denies it."
    assert correction["changes"] == {"verification": ["Reported", "Disputed"]}


def test_a_denial_by_a_speaker_still_in_review_does_not_name_them(
    publisher_api: APIClient, api_client: APIClient
) -> None:
    event = seen_by_readers(make_event(title="Russia moves troops", status=Status.PUBLISHED))
    denial = make_statement(text="No troops", speaker=make_actor(name="Secret Source"))

    publisher_api.post(
        f"/api/v1/events/{event.pk}/claims/",
        {"statement": denial.pk, "stance": "denies"},
        format="json",
    )

    body = api_client.get(f"/api/v1/events/{event.pk}/").content.decode()
    assert "A statement denies it" in body and "Secret Source" not in body

"""The event list's fast path (timeline/api/rows.py) answers exactly what EventSerializer would.

The serializer is the API's definition (and the schema's source): for the same events, the JSON
built from plain rows must equal the serializer's, field by field, nulls, dates, times, URLs and
nested items included, for a reader and for an editor.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from timeline.api import rows
from timeline.api.views import EventViewSet
from timeline.models import Claim, Correction, EventActor, Status

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED


def serializer_output(user: Any, ids: list[int]) -> list[dict[str, Any]]:
    """What DRF's EventSerializer writes for these events, read as the viewset reads them for
    its serializer (the queryset of a write's answer), in the list's order."""
    request = APIRequestFactory().get("/api/v1/events/")
    request.user = user
    view = EventViewSet(action="partial_update", format_kwarg=None)
    view.request = Request(request)
    view.request.user = user
    events = view.get_queryset().filter(pk__in=ids).order_by("start_date", "id")
    data = view.read_serializer(events, many=True, context=view.get_serializer_context()).data
    return json.loads(json.dumps(data))  # as the renderer writes it: "Z" times, plain lists


def fast_output(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/events/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def varied_events() -> list[int]:
    """Events with every kind of value: nulls and not, several actors, citations of articles
    with and without an outlet, a publisher, a URL, proposed citations and a draft actor."""
    crisis, other = make_crisis(), make_crisis(start_date=dt.date(2022, 1, 1))
    agency, paper = make_source(name="Reuters"), make_source(name="The Paper")
    wire = make_article(source=agency, publisher=paper, url="https://example.org/a?b=1&c=2")
    unsourced = make_article(source=None, url="")
    russia = make_actor(name="Russia", kind="state", status=PUBLISHED)
    ukraine = make_actor(name="Ukraine", kind="state", status=PUBLISHED)
    hidden = make_actor(name="Someone in review")
    full = make_event(
        status=PUBLISHED,
        end_date=dt.date(2022, 2, 20),
        place="Belarus",
        summary="Ten days of drills.",
        first_published_at=dt.datetime(2022, 2, 12, 9, 30, 15, 123456, tzinfo=dt.UTC),
        confidence=0.75,
    )
    full.crises.set([crisis, other])
    for actor, role in ((russia, "agent"), (ukraine, "target"), (hidden, "mentioned")):
        EventActor.objects.create(event=full, actor=actor, role=role)
    make_citation(event=full, article=wire, start=0, end=40)
    make_citation(event=full, article=unsourced, start=5, end=30)
    make_citation(event=full, article=make_article(), start=2, end=9, proposed=True)
    said = make_statement(status=PUBLISHED, date=dt.date(2022, 2, 10), speaker=russia)
    unpublished = make_statement(date=dt.date(2022, 2, 9))
    Claim.objects.create(event=full, statement=said, stance=Claim.Stance.DENIES)
    Claim.objects.create(event=full, statement=unpublished, stance=Claim.Stance.SUPPORTS)
    Correction.objects.create(
        event=full,
        note="The end date was wrong.",
        changes={"end_date": ["2022-02-19", "2022-02-20"]},
    )
    bare = make_event(status=PUBLISHED, start_date=dt.date(2022, 2, 1))
    draft = make_event(title="A draft", start_date=dt.date(2022, 2, 2))
    make_citation(event=draft, article=wire, start=1, end=3)
    return [full.pk, bare.pk, draft.pk]


def test_it_answers_a_reader_what_the_serializer_would(varied_events: list[int]) -> None:
    assert rows.covers(), "the fast path no longer covers EventSerializer's fields"
    fast = fast_output(APIClient())

    assert len(fast) == 2  # the draft is not a reader's
    assert fast == serializer_output(AnonymousUser(), varied_events)


def test_it_answers_an_editor_what_the_serializer_would(
    varied_events: list[int], editor: User
) -> None:
    client = APIClient()
    client.force_authenticate(editor)
    fast = fast_output(client)

    assert len(fast) == 3
    assert fast == serializer_output(editor, varied_events)


def test_each_field_agrees_with_the_serializer_including_nested_ones(
    varied_events: list[int],
) -> None:
    [bare, full] = fast_output(APIClient())
    [expected_bare, expected_full] = serializer_output(AnonymousUser(), varied_events)

    for name in expected_full:
        assert full[name] == expected_full[name], name
        assert bare[name] == expected_bare[name], name
    assert bare["end_date"] is None and bare["first_published_at"] is None
    assert full["first_published_at"] == "2022-02-12T09:30:15.123456Z"
    assert [c["outlet"] for c in full["citations"]] == ["The Paper", ""]
    assert full["citations"][0]["article"]["url"] == "https://example.org/a?b=1&c=2"
    assert full["citations"][1]["article"]["source"] is None


def test_one_event_is_also_what_the_serializer_would_answer(varied_events: list[int]) -> None:
    response = APIClient().get(f"/api/v1/events/{varied_events[0]}/")

    assert response.status_code == 200
    assert response.json() == serializer_output(AnonymousUser(), varied_events[:1])[0]
    assert APIClient().get(f"/api/v1/events/{varied_events[2]}/").status_code == 404
    assert APIClient().get("/api/v1/events/not-a-number/").status_code == 404


def test_pages_link_on_from_rows_as_from_objects(varied_events: list[int]) -> None:
    client = APIClient()
    first = client.get("/api/v1/events/", {"page_size": 1}).json()
    second = client.get(first["next"]).json()

    assert [e["id"] for e in first["results"] + second["results"]] == [
        e["id"] for e in fast_output(client)
    ]
    assert client.get(second["previous"]).json()["results"] == first["results"]


def test_the_events_json_has_the_bytes_drfs_renderer_writes(varied_events: list[int]) -> None:
    make_event(status=PUBLISHED, title="Kyiv – Київ: “quoted”", confidence=1 / 3)
    response = APIClient().get("/api/v1/events/")

    assert response["Content-Type"] == "application/json"
    assert response.content == JSONRenderer().render(response.json())

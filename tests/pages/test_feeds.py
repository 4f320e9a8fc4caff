"""Feeds and downloads follow the timeline's filters and never include drafts."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from tests.factories import make_actor, make_citation, make_crisis, make_event
from tests.responses import text
from timeline.models import Crisis, EventActor, Status

if TYPE_CHECKING:
    from django.http import HttpResponseBase

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis() -> Crisis:
    crisis = make_crisis(slug="ukraine", title="Ukraine crisis")
    biden = make_actor(name="Joe Biden", slug="joe-biden", status=Status.PUBLISHED)
    call = make_event(
        title="Biden calls Western leaders, allies",
        summary="A call; with leaders.",
        start_date=dt.date(2022, 2, 11),
        is_scheduled=True,
        status=Status.PUBLISHED,
    )
    talks = make_event(
        title="Talks in Berlin", start_date=dt.date(2022, 2, 10), status=Status.PUBLISHED
    )
    draft = make_event(title="Unreviewed rumour", start_date=dt.date(2022, 2, 9), is_scheduled=True)
    for event in (call, talks, draft):
        event.crises.add(crisis)
        make_citation(event=event)
    EventActor.objects.create(event=call, actor=biden, role="agent")
    hidden = make_actor(name="Draft Person", slug="draft-person", status=Status.DRAFT)
    EventActor.objects.create(event=call, actor=hidden, role="mentioned")
    return crisis


def body(response: HttpResponseBase) -> str:
    return text(response)


def test_the_atom_feed_lists_published_events_as_filtered(client: Client, crisis: Crisis) -> None:
    response = client.get("/crises/ukraine/feed.atom")
    text = body(response)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Talks in Berlin" in text and "Biden calls Western leaders" in text
    assert "Unreviewed rumour" not in text

    text = body(client.get("/crises/ukraine/feed.atom?actor=joe-biden"))
    assert "Biden calls Western leaders" in text and "Talks in Berlin" not in text


def test_the_csv_download_follows_the_filters(client: Client, crisis: Crisis) -> None:
    response = client.get("/crises/ukraine/events.csv?q=Berlin")
    text = body(response)
    assert 'filename="ukraine-events.csv"' in response["Content-Disposition"]
    assert text.splitlines()[0].startswith("id,permalink,title")
    assert "Talks in Berlin" in text and "Biden calls" not in text


def test_the_json_lines_download_has_one_event_per_line(client: Client, crisis: Crisis) -> None:
    lines = body(client.get("/crises/ukraine/events.jsonl")).splitlines()
    titles = [json.loads(line)["title"] for line in lines]
    assert titles == ["Talks in Berlin", "Biden calls Western leaders, allies"]


def test_the_timelinejs_download_is_a_timelinejs_document(client: Client, crisis: Crisis) -> None:
    document = json.loads(body(client.get("/crises/ukraine/timelinejs.json")))
    assert document["title"]["text"]["headline"] == "Ukraine crisis"
    assert [e["text"]["headline"] for e in document["events"]] == [
        "Talks in Berlin",
        "Biden calls Western leaders, allies",
    ]
    assert document["events"][0]["start_date"] == {"year": "2022", "month": "2", "day": "10"}


def test_the_calendar_holds_scheduled_events_only(client: Client, crisis: Crisis) -> None:
    response = client.get("/crises/ukraine/scheduled.ics")
    text = body(response)
    assert response["Content-Type"].startswith("text/calendar")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Biden calls Western leaders\\, allies" in text
    assert "DESCRIPTION:A call\\; with leaders." in text
    assert "DTSTART;VALUE=DATE:20220211\r\nDTEND;VALUE=DATE:20220212" in text
    assert "Unreviewed rumour" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_timeline_links_its_feeds_with_its_filters(client: Client, crisis: Crisis) -> None:
    html = client.get("/crises/ukraine/?actor=joe-biden&at=2022-02-01").content.decode()
    assert 'href="/crises/ukraine/events.csv?actor=joe-biden"' in html
    assert 'href="/crises/ukraine/feed.atom?actor=joe-biden"' in html
    assert 'href="/crises/ukraine/scheduled.ics?actor=joe-biden"' in html


def test_downloads_name_published_actors_only(client: Client, crisis: Crisis) -> None:
    for url in ["events.csv", "events.jsonl", "timelinejs.json"]:
        text = body(client.get(f"/crises/ukraine/{url}"))
        assert "Draft Person" not in text, url
    assert "Joe Biden" in body(client.get("/crises/ukraine/events.csv"))

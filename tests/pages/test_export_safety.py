"""Whatever an article put in a title, every feed and export stays well-formed and inert.

One bad item must not take a feed down (issue 19, items 1, 3, 8 and 9): XML-invalid control
characters are dropped from the Atom feed, TimelineJS gets escaped text (sites embed it as HTML),
and iCalendar text can neither start a line nor a new event.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from tests.factories import make_citation, make_crisis, make_event
from tests.responses import text
from timeline.models import Crisis, Event, Status

if TYPE_CHECKING:
    from django.http import HttpResponseBase

pytestmark = pytest.mark.django_db


def body(response: HttpResponseBase) -> str:
    return text(response)


def crisis_with(**event_fields: object) -> Crisis:
    crisis = make_crisis(
        slug="hostile-exports",
        title="Exports\x0b crisis",
        summary="A\x07 summary",  # no NUL: PostgreSQL refuses to store one
    )
    event = make_event(status=Status.PUBLISHED, is_scheduled=True, **event_fields)
    event.crises.add(crisis)
    make_citation(event=event)
    return crisis


def test_a_control_character_in_a_title_does_not_take_the_atom_feed_down(client: Client) -> None:
    crisis_with(title="Vertical\x0btab and \x1bescape", summary="Bell\x07 in the summary")

    response = client.get("/crises/hostile-exports/feed.atom")

    assert response.status_code == 200
    feed = ET.fromstring(body(response))  # noqa: S314 — our own feed, parsed to prove it well-formed
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(title and "Verticaltab and escape" in title for title in titles)


def test_timelinejs_headlines_and_text_are_escaped_html(client: Client) -> None:
    crisis_with(
        title="<img src=x onerror=alert(1)>Talks",
        summary='<script>alert("x")</script> & more',
    )

    document = json.loads(body(client.get("/crises/hostile-exports/timelinejs.json")))
    slide = document["events"][0]["text"]

    assert "<img" not in slide["headline"] and "&lt;img" in slide["headline"]
    assert "<script>" not in slide["text"] and "&lt;script&gt;" in slide["text"]
    assert "&amp; more" in slide["text"]


def test_timelinejs_escapes_the_crisis_heading_too(client: Client) -> None:
    crisis = crisis_with()
    crisis.title = "<b onmouseover=alert(1)>Crisis</b>"
    crisis.save()

    document = json.loads(body(client.get("/crises/hostile-exports/timelinejs.json")))

    assert "<b" not in document["title"]["text"]["headline"]


def test_icalendar_text_cannot_break_a_line_or_start_an_event(client: Client) -> None:
    crisis_with(
        title="Talks\r\nBEGIN:VEVENT\rSUMMARY:injected\x0b",
        summary="Line\r\nEND:VCALENDAR",
        place="Geneva\r\nLOCATION:elsewhere",
    )

    text = body(client.get("/crises/hostile-exports/scheduled.ics"))
    lines = text.split("\r\n")

    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    assert [line for line in lines if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"]
    assert not any(line.startswith(("SUMMARY:injected", "LOCATION:elsewhere")) for line in lines)
    assert lines.count("END:VCALENDAR") == 1
    assert "\x0b" not in text


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)], ids=["first", "last"])
def test_extreme_dates_already_stored_render_on_the_event_page_and_in_the_calendar(
    client: Client, day: dt.date
) -> None:
    crisis_with(start_date=day, end_date=day)
    event = Event.objects.get(start_date=day)

    assert client.get(f"/events/{event.pk}/").status_code == 200
    response = client.get("/crises/hostile-exports/scheduled.ics")
    assert response.status_code == 200
    lines = body(response).split("\r\n")
    assert f"DTSTART;VALUE=DATE:{day:%m%d}".replace(":", f":{day.year:04d}") in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1

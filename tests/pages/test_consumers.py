"""Every export opened by the program that really reads it — icalendar and ics for the calendar,
feedparser and RFC 4287's required elements for the Atom feed, csv and pandas (also the Excel
variant) for the spreadsheets — on an event whose text is hostile and runs over several lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import feedparser  # ships no types
import icalendar
import ics  # type: ignore[import-untyped]  # ships no types
import pandas  # type: ignore[import-untyped]  # stubs are a separate package
import pytest
from django.test import Client

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from tests.responses import content
from timeline.models import Correction, Crisis, DatePrecision, Event, EventActor, Status
from timeline.services import editorial

if TYPE_CHECKING:
    from django.http import HttpResponseBase
    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

# What an editor types into a browser textarea: CRLF line ends, markup, iCalendar's separators.
HOSTILE_TITLE = 'Talks "collapse"; <a href="x">leaders</a>, walk out'
HOSTILE_SUMMARY = "First line\r\nSUMMARY:injected\r\n\r\nA second paragraph, with <b>markup</b>."
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def crisis(settings: Settings) -> Crisis:
    settings.SITE_URL = "https://timeline.example.org"
    crisis = make_crisis(slug="ukraine", title="Russia–Ukraine")
    article = make_article(
        title="Talks end",
        url="https://outlet.example/talks",
        text="Talks collapsed on Friday, officials said.",
        source=make_source(name="Reuters"),
    )
    talks = make_event(
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
        start_date=dt.date(2022, 2, 10),
        is_scheduled=True,
        status=Status.PUBLISHED,
    )
    summit = make_event(
        title="A summit some time in March",
        start_date=dt.date(2022, 3, 1),
        date_precision=DatePrecision.MONTH,
        is_scheduled=True,
        status=Status.PUBLISHED,
    )
    for event in (talks, summit):
        event.crises.add(crisis)
    make_citation(event=talks, article=article, start=0, end=15)
    EventActor.objects.create(
        event=talks, actor=make_actor(name="Olaf Scholz", status=Status.PUBLISHED), role="agent"
    )
    return crisis


def body(response: HttpResponseBase) -> bytes:
    return content(response)


def talks() -> Event:
    return Event.objects.get(title=HOSTILE_TITLE)


# iCalendar


def test_icalendar_reads_the_calendar_with_the_text_exactly(client: Client, crisis: Crisis) -> None:
    calendar = icalendar.Calendar.from_ical(body(client.get("/crises/ukraine/scheduled.ics")))

    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {HOSTILE_TITLE, "A summit some time in March"}
    meeting = events[HOSTILE_TITLE]
    # The CRLFs are line breaks in the text (RFC 5545's \n), never lines of the file.
    assert str(meeting["description"]) == HOSTILE_SUMMARY.replace("\r\n", "\n")
    assert meeting.decoded("dtstart") == dt.date(2022, 2, 10)
    assert meeting.decoded("dtend") == dt.date(2022, 2, 11)
    assert str(meeting["url"]) == f"https://timeline.example.org/events/{talks().pk}/"


def test_a_month_precise_item_spans_the_month_as_an_all_day_event(
    client: Client, crisis: Crisis
) -> None:
    calendar = icalendar.Calendar.from_ical(body(client.get("/crises/ukraine/scheduled.ics")))

    [summit] = [e for e in calendar.walk("VEVENT") if "summit" in str(e["summary"])]
    assert summit.decoded("dtstart") == dt.date(2022, 3, 1)
    assert summit.decoded("dtend") == dt.date(2022, 4, 1)  # exclusive: all of March


def test_the_ics_package_accepts_the_whole_calendar(client: Client, crisis: Crisis) -> None:
    calendar = ics.Calendar(body(client.get("/crises/ukraine/scheduled.ics")).decode())

    assert {e.name for e in calendar.events} == {HOSTILE_TITLE, "A summit some time in March"}
    [meeting] = [e for e in calendar.events if e.name == HOSTILE_TITLE]
    assert meeting.description is not None and "SUMMARY:injected" in meeting.description


def test_uids_come_from_the_site_not_the_host_the_reader_used(
    client: Client, crisis: Crisis
) -> None:
    def uids(host: str) -> set[str]:
        text = body(client.get("/crises/ukraine/scheduled.ics", HTTP_HOST=host))
        return {str(e["uid"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}

    assert uids("127.0.0.1") == uids("localhost")
    assert f"event-{talks().pk}@timeline.example.org" in uids("localhost")


# Atom


def test_feedparser_reads_the_feed_and_its_summaries_as_plain_text(
    client: Client, crisis: Crisis
) -> None:
    feed = feedparser.parse(body(client.get("/crises/ukraine/feed.atom")))

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.author == "Crisis Timeline editors"
    assert feed.feed.id == "https://timeline.example.org/crises/ukraine/feed.atom"
    [entry] = [e for e in feed.entries if "leaders" in e.title]
    assert entry.summary_detail.type == "text/plain"
    # The markup is words, and the line breaks stay.
    assert entry.summary == HOSTILE_SUMMARY.replace("\r\n", "\n")
    assert entry.id == f"https://timeline.example.org/events/{talks().pk}/"


def test_the_feed_has_every_element_rfc_4287_requires(client: Client, crisis: Crisis) -> None:
    root = ET.fromstring(body(client.get("/crises/ukraine/feed.atom")))  # noqa: S314 — our own feed

    # 4.1.1: a feed has an id, a title and updated once, and an author unless every entry has one.
    for name in ("id", "title", "updated"):
        assert len(root.findall(ATOM + name)) == 1, name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert not root.findtext(ATOM + "id", "").endswith("?")
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 2
    for entry in entries:
        # 4.1.2: each entry has an id, a title, updated, and an alternate link (it has no content).
        for name in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + name)) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        summary = entry.find(ATOM + "summary")
        assert summary is None or summary.get("type") == "text"


# CSV


def test_the_csv_opens_in_pandas_with_permalinks_and_exact_citations(
    client: Client, crisis: Crisis
) -> None:
    frame = pandas.read_csv(io.BytesIO(body(client.get("/crises/ukraine/events.csv"))))

    row = frame[frame["title"] == HOSTILE_TITLE].iloc[0]
    event = talks()
    citation = event.citations.get()
    assert row["summary"] == HOSTILE_SUMMARY
    assert row["permalink"] == f"https://timeline.example.org/events/{event.pk}/"
    assert row["citation_ids"] == citation.pk
    assert (row["citation_starts"], row["citation_ends"]) == (0, 15)
    assert row["citation_excerpts"] == "Talks collapsed"
    assert row["citation_links"] == (
        f"https://timeline.example.org/articles/{citation.article_id}/#cite-{citation.pk}"
    )


def test_the_excel_variant_starts_with_a_byte_order_mark(client: Client, crisis: Crisis) -> None:
    plain = body(client.get("/crises/ukraine/events.csv"))
    excel = body(client.get("/crises/ukraine/events.csv?excel=1"))

    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")
    # Read as Excel does (UTF-8 with its signature): the dash of the crisis name survives.
    frame = pandas.read_csv(io.BytesIO(excel), encoding="utf-8-sig")
    assert next(iter(frame.columns)) == "id"
    assert set(frame["crises"]) == {"ukraine"}
    rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig"))))
    assert {row["title"] for row in rows} == {HOSTILE_TITLE, "A summit some time in March"}


def test_formulas_are_guarded_unless_the_caller_asks_for_raw_cells(
    client: Client, crisis: Crisis
) -> None:
    make_event(title="=HYPERLINK(1)", status=Status.PUBLISHED).crises.add(crisis)

    def titles(query: str) -> set[str]:
        text = body(client.get(f"/crises/ukraine/events.csv{query}")).decode()
        return {row["title"] for row in csv.DictReader(io.StringIO(text))}

    assert "'=HYPERLINK(1)" in titles("")
    assert "=HYPERLINK(1)" in titles("?raw=1")


# JSON Lines and TimelineJS data


def test_json_lines_carry_the_permalink_and_each_citations_offsets_and_link(
    client: Client, crisis: Crisis
) -> None:
    lines = body(client.get("/crises/ukraine/events.jsonl")).decode().splitlines()
    [record] = [r for r in map(json.loads, lines) if r["title"] == HOSTILE_TITLE]

    citation = talks().citations.get()
    assert record["permalink"].endswith(f"/events/{record['id']}/")
    [cited] = record["citations"]
    assert cited["id"] == citation.pk
    assert (cited["start"], cited["end"]) == (0, 15)
    assert cited["link"].endswith(f"/articles/{citation.article_id}/#cite-{citation.pk}")


def test_timelinejs_text_is_escaped_with_sources_and_links_apart(
    client: Client, crisis: Crisis
) -> None:
    document = json.loads(body(client.get("/crises/ukraine/timelinejs.json")))

    [slide] = [e for e in document["events"] if "leaders" in e["text"]["headline"]]
    text = slide["text"]["text"]
    assert slide["text"]["headline"] == (
        "Talks &quot;collapse&quot;; &lt;a href=&quot;x&quot;&gt;leaders&lt;/a&gt;, walk out"
    )
    assert "<b>" not in text and "&lt;b&gt;markup&lt;/b&gt;" in text
    assert text.startswith("<p>First line<br>SUMMARY:injected</p><p>A second paragraph")
    citation = talks().citations.get()
    assert f'/articles/{citation.article_id}/#cite-{citation.pk}">Reuters, ' in text
    assert 'href="https://outlet.example/talks"' in text
    assert f'href="https://timeline.example.org/events/{talks().pk}/"' in text


# Statements and actors, from the API


def test_statements_and_actors_export_as_csv_and_json_lines(client: Client, crisis: Crisis) -> None:
    speaker = make_actor(name="Olaf", slug="olaf", status=Status.PUBLISHED)
    statement = make_statement(
        speaker=speaker, text="We will\r\nnot =accept this", status=Status.PUBLISHED
    )
    cited = make_citation(statement=statement, start=3, end=9)

    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/api/v1/statements/export/csv/")).decode()))
    )
    [row] = rows
    assert row["text"] == "We will\r\nnot =accept this"
    assert row["speaker"] == "olaf" and row["attribution"] == "Olaf"
    assert row["citation_starts"] == "3" and row["citation_ids"] == str(cited.pk)
    [record] = [
        json.loads(line)
        for line in body(client.get("/api/v1/statements/export/jsonl/")).decode().splitlines()
    ]
    assert record["citations"][0]["link"].endswith(f"#cite-{cited.pk}")
    assert record["permalink"].endswith(f"/api/v1/statements/{statement.pk}/")

    actors: list[dict[str, Any]] = [
        json.loads(line)
        for line in body(client.get("/api/v1/actors/export/jsonl/")).decode().splitlines()
    ]
    assert {a["slug"] for a in actors} >= {"olaf"}
    assert all(a["permalink"].startswith("https://timeline.example.org/actors/") for a in actors)
    actor_csv = body(client.get("/api/v1/actors/export/csv/?excel=1"))
    assert actor_csv.startswith(b"\xef\xbb\xbf")
    assert "Olaf" in pandas.read_csv(io.BytesIO(actor_csv), encoding="utf-8-sig")["name"].tolist()


# The corrections feed


def test_the_corrections_feed_tells_each_public_correction_to_feedparser(
    client: Client, crisis: Crisis
) -> None:
    event = talks()
    event.first_published_at = event.created_at
    event.save()
    editorial.item_correct(
        item=event,
        changes={"start_date": ["2022-02-09", "2022-02-10"]},
        note="Fixed the day.",
        by=None,
    )
    hidden = make_event(title="A draft", status=Status.DRAFT)
    hidden.crises.add(crisis)
    Correction.objects.create(event=hidden, note="Not for readers.", changes={})

    feed = feedparser.parse(body(client.get("/crises/ukraine/corrections.atom")))

    assert not feed.bozo
    assert feed.feed.author == "Crisis Timeline editors"
    assert feed.feed.id == "https://timeline.example.org/crises/ukraine/corrections.atom"
    [entry] = feed.entries
    assert entry.title == f"Corrected: {HOSTILE_TITLE}"
    assert entry.summary == "Fixed the day.\nstart_date: “2022-02-09” → “2022-02-10”"
    assert entry.link.endswith(f"/events/{event.pk}/")
    correction = event.corrections.get()
    assert entry.id == (
        f"https://timeline.example.org/events/{event.pk}/#correction-{correction.pk}"
    )

"""CSV, JSON Lines and TimelineJS exports of events, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING

import pytest

from tests.factories import make_actor, make_article, make_citation, make_event, make_source
from timeline.exports import events as exports
from timeline.models import Event, EventActor, Status

if TYPE_CHECKING:
    from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited_event() -> Event:
    event = make_event(
        title="Satellite images show new deployments",
        summary="Maxar said images showed new deployments.",
        start_date=dt.date(2022, 2, 9),
        end_date=dt.date(2022, 2, 10),
        status=Status.PUBLISHED,
    )
    EventActor.objects.create(event=event, actor=make_actor(name="Maxar"), role="agent")
    article = make_article(
        title="Russia masses troops",
        url="https://example.org/story",
        source=make_source(name="Reuters"),
    )
    make_citation(article=article, event=event, start=0, end=5)
    return event


def test_the_csv_has_a_header_and_one_row_per_event_with_its_citations(cited_event: Event) -> None:
    make_event(title='=HYPERLINK("http://evil")', status=Status.PUBLISHED)

    text = "".join(exports.csv_chunks(Event.objects.published().chronological()))
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [row["title"] for row in rows] == [
        "Satellite images show new deployments",
        '\'=HYPERLINK("http://evil")',  # never run as a formula by a spreadsheet
    ]
    first = rows[0]
    assert first["start_date"] == "2022-02-09"
    assert first["end_date"] == "2022-02-10"
    assert first["actors"] == "Maxar (agent)"
    assert first["citation_excerpts"] == "Russi"
    assert first["citation_outlets"] == "Reuters"
    assert first["citation_urls"] == "https://example.org/story"
    assert first["citation_articles"] == "Russia masses troops"


def test_json_lines_hold_one_event_per_line(cited_event: Event) -> None:
    make_event(title="Second", status=Status.PUBLISHED)

    lines = list(exports.jsonl_chunks(Event.objects.published().chronological()))

    records = [json.loads(line) for line in lines]
    assert all(line.endswith("\n") for line in lines)
    assert [r["title"] for r in records] == ["Satellite images show new deployments", "Second"]
    assert records[0]["citations"][0]["excerpt"] == "Russi"
    assert records[0]["actors"] == [
        {"slug": records[0]["actors"][0]["slug"], "name": "Maxar", "role": "agent"}
    ]


def test_timelinejs_follows_knight_labs_format(cited_event: Event) -> None:
    make_event(
        title="Annexation",
        start_date=dt.date(2014, 3, 18),
        date_precision="year",
        status=Status.PUBLISHED,
    )

    document = json.loads(
        "".join(
            exports.timelinejs_chunks(
                Event.objects.published().chronological(), title="The crisis", text="Summary"
            )
        )
    )

    assert document["title"] == {"text": {"headline": "The crisis", "text": "<p>Summary</p>"}}
    annexation, images = document["events"]
    assert annexation["start_date"] == {"year": "2014"}
    assert images["start_date"] == {"year": "2022", "month": "2", "day": "9"}
    assert images["end_date"] == {"year": "2022", "month": "2", "day": "10"}
    assert images["text"]["headline"] == "Satellite images show new deployments"
    assert "Reuters, 11 Feb 2022" in images["text"]["text"]
    assert images["group"] == "Military"
    assert images["unique_id"] == f"event-{cited_event.pk}"


def test_timelinejs_shows_the_cited_articles_lead_image_as_the_slides_media(
    cited_event: Event,
) -> None:
    article = cited_event.citations.get().article
    article.image_url = "https://example.com/lead.jpg"
    article.image_caption = "Tanks <b>on</b> a train"
    article.image_credit = "AP"
    article.save()

    [slide] = json.loads(
        "".join(exports.timelinejs_chunks(Event.objects.published(), title="The crisis", text=""))
    )["events"]

    assert slide["media"] == {
        "url": "https://example.com/lead.jpg",
        "caption": "Tanks &lt;b&gt;on&lt;/b&gt; a train",
        "credit": "AP",
    }


def test_an_empty_export_is_still_well_formed() -> None:
    none = Event.objects.none()

    assert json.loads("".join(exports.timelinejs_chunks(none, title="Empty")))["events"] == []
    assert "".join(exports.jsonl_chunks(none)) == ""
    assert "".join(exports.csv_chunks(none)).startswith("id,permalink,title,summary")


def test_exports_read_rows_in_chunks_with_a_constant_number_of_queries_per_chunk(
    django_assert_num_queries: DjangoAssertNumQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for _ in range(5):
        make_citation(event=make_event(status=Status.PUBLISHED))
    events = Event.objects.published().chronological()

    # One query for the rows, read from its cursor chunk by chunk (a server-side cursor on
    # PostgreSQL); then, for each of the three chunks of at most 2 rows, the chunk's actors' roles
    # (with actors), citations (with articles and outlets), places and crises: 1 + 3 × 4.
    with django_assert_num_queries(13):
        lines = list(exports.jsonl_chunks(events))

    assert len(lines) == 5


def test_the_responses_stream_as_downloads(cited_event: Event) -> None:
    response = exports.csv_response(Event.objects.published(), filename="russia.csv")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="russia.csv"'
    assert b"Satellite images" in response.getvalue()

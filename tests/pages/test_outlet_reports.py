"""How the outlets citing one event tell it (issue 16 item 7): the date each gives, its figures,
whom it quotes, and where they differ — on the event page and at /api/v1/events/{id}/reports/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_event,
    make_source,
    make_statement,
)
from timeline.models import Event, Source, Status, event_reports

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED
REUTERS = "Russia has massed 100,000 troops near Ukraine, Blinken said on Friday."
AP = "Russia has massed 130,000 troops near Ukraine, officials said on Thursday."
WIRE_COPY = "The Herald printed the Reuters story: 100,000 troops near Ukraine."


def cite(event: Event, text: str, outlet: str | Source) -> None:
    source = make_source(name=outlet) if isinstance(outlet, str) else outlet
    make_citation(
        article=make_article(text=text, source=source), event=event, start=0, end=len(text)
    )


@pytest.fixture
def massing() -> Event:
    """One event three outlets report: two agree, the third gives other troops and day."""
    event = make_event(title="Russia masses troops", status=PUBLISHED)
    cite(event, REUTERS, "Reuters")
    article = make_article(text=AP, source=make_source(name="AP"))
    make_citation(
        article=article,
        event=event,
        start=0,
        end=len(AP),
        proposal={"start_date": "2022-02-10", "end_date": None, "date_precision": "day"},
    )
    cite(event, "Some 100,000 troops are near Ukraine, it said.", "AFP")
    return event


def test_each_outlet_gives_its_date_figures_and_speakers(massing: Event) -> None:
    blinken = make_actor(name="Antony Blinken", status=PUBLISHED)
    reuters_article = massing.citations.get(article__source__name="Reuters").article
    make_citation(
        article=reuters_article,
        statement=make_statement(speaker=blinken, status=PUBLISHED),
        start=0,
        end=len(REUTERS),
    )

    found = event_reports(massing)

    assert [r.outlet for r in found.reports] == ["Reuters", "AP", "AFP"]
    reuters, ap, _ = found.reports
    assert (reuters.start_date, ap.start_date) == (dt.date(2022, 2, 11), dt.date(2022, 2, 10))
    assert [f.text for f in ap.figures] == ["130,000 troops"]
    assert reuters.speakers == ["Antony Blinken"] and ap.speakers == []


def test_it_says_where_the_outlets_differ(massing: Event) -> None:
    date, troops = event_reports(massing).disagreements

    assert date.about == "date"
    assert date.versions == (
        ("10 February 2022", ("AP",)),
        ("11 February 2022", ("Reuters", "AFP")),
    )
    assert troops.about == "troops"
    assert [outlets for _, outlets in troops.versions] == [("Reuters", "AFP"), ("AP",)]


def test_a_wire_story_and_the_paper_that_printed_it_are_one_report() -> None:
    event = make_event(status=PUBLISHED)
    reuters, herald = make_source(name="Reuters"), make_source(name="Herald")
    cite(event, REUTERS, reuters)
    article = make_article(text=WIRE_COPY, source=reuters, publisher=herald)
    make_citation(article=article, event=event, start=0, end=len(WIRE_COPY))
    cite(event, "Separately, the Herald's own reporter saw 90,000 troops.", herald)

    [wire, own] = event_reports(event).reports

    assert (wire.outlet, wire.printed_by) == ("Reuters", ["Herald"])
    assert len(wire.articles) == 2 and [f.text for f in wire.figures] == ["100,000 troops"] * 2
    assert (own.outlet, own.printed_by) == ("Herald", [])


def test_readers_see_confirmed_citations_and_editors_the_machines_matches_too(
    massing: Event,
) -> None:
    proposed = massing.citations.get(article__source__name="AFP")
    proposed.proposed = True
    proposed.save()

    assert [r.outlet for r in event_reports(massing).reports] == ["Reuters", "AP"]
    with_matches = event_reports(massing, include_proposed=True).reports
    assert [(r.outlet, r.proposed) for r in with_matches] == [
        ("Reuters", False),
        ("AP", False),
        ("AFP", True),
    ]


def test_the_event_page_shows_how_the_outlets_tell_it(client: Client, massing: Event) -> None:
    html = client.get(f"/events/{massing.pk}/").content.decode()

    assert "How the outlets tell it" in html
    assert "Where they differ" in html
    assert '130,000 troops <span class="outlets">(AP)</span>' in html


def test_an_event_one_outlet_reports_has_no_comparison(client: Client) -> None:
    event = make_event(status=PUBLISHED)
    cite(event, REUTERS, "Reuters")

    assert "How the outlets tell it" not in client.get(f"/events/{event.pk}/").content.decode()


def test_the_api_answers_the_reports_and_hides_an_unpublished_event(
    api_client: APIClient, editor_api: APIClient, massing: Event
) -> None:
    answer = api_client.get(f"/api/v1/events/{massing.pk}/reports/").json()

    assert [r["outlet"] for r in answer["reports"]] == ["Reuters", "AP", "AFP"]
    assert answer["reports"][1]["figures"] == [
        {"value": 130000.0, "counted": "troops", "text": "130,000 troops"}
    ]
    assert answer["disagreements"][0] == {
        "about": "date",
        "versions": [
            {"text": "10 February 2022", "outlets": ["AP"]},
            {"text": "11 February 2022", "outlets": ["Reuters", "AFP"]},
        ],
    }
    draft = make_event()
    assert api_client.get(f"/api/v1/events/{draft.pk}/reports/").status_code == 404
    assert editor_api.get(f"/api/v1/events/{draft.pk}/reports/").status_code == 200
    assert api_client.get("/api/v1/events/999999/reports/").status_code == 404


def test_the_reports_take_two_queries_however_many_outlets(
    massing: Event, django_assert_num_queries: Any
) -> None:
    for n in range(5):
        cite(massing, f"Another {n + 5},000 troops arrived, officials said.", f"Outlet {n}")

    # 1. the event's citations with their excerpts, articles, sources and publishers;
    # 2. the statements cited in those articles, with their speakers.
    with django_assert_num_queries(2):
        found = event_reports(massing)

    assert len(found.reports) == 8

"""A wire story printed by several outlets is one source: the agency, whichever outlet printed
it, whether the text credits the agency or only repeats another outlet's copy word for word."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_article, make_citation, source_count
from timeline.extraction.article_text import ParsedArticle
from timeline.extraction.types import ExtractedEvent, Extraction, ResolvedDate, Span
from timeline.ingestion import pipeline
from timeline.models import Article, Event, Source

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2022, 2, 11)
WIRE_STORY = (
    "Hundreds of armoured vehicles moved overnight towards the northern border, satellite "
    "images published by a private company showed on Friday, as talks between the two "
    "governments ended without agreement in the capital.\n\n"
    "The images showed field hospitals and fuel depots set up in forests a few kilometres from "
    "the frontier, a sign that the deployment was meant to last, according to two analysts who "
    "studied them.\n\n"
    "The defence ministry said the units were taking part in scheduled winter exercises and "
    "would return to their bases once the drills were over, without giving a date.\n\n"
    "Western officials said the build-up was the largest in the region since the end of the "
    "Cold War and urged their citizens to leave the country within forty-eight hours."
)
PAPER_PARAGRAPH = (
    "Our correspondent adds: in the border town, shops were shuttered and long queues formed "
    "at the only petrol station still open on Friday evening."
)
OWN_REPORT = (
    "Satellite images from a private company showed hundreds of armoured vehicles moving to the "
    "northern border overnight on Friday, while talks between the governments in the capital "
    "ended with no agreement.\n\n"
    "Residents of the border villages described convoys passing through the night and said "
    "they had begun to pack their belongings in case they had to flee at short notice."
)


def one_event(text: str, published: dt.date) -> Extraction:
    """The extraction every article here gives: one event, its first sentence."""
    first = text.split(".", 1)[0]
    return Extraction(
        events=[
            ExtractedEvent(
                title="Armoured vehicles move towards the border",
                summary="",
                span=Span(0, len(first)),
                date=ResolvedDate(FRIDAY, None, "day", None),
                category="military",
            )
        ]
    )


def ingest(
    body: str, *, outlet: str, hour: int = 12, byline: str = "", agency: str = ""
) -> Article:
    result = pipeline.article_ingest(
        parsed=ParsedArticle(
            title=f"{outlet}: convoys move north",
            body=body,
            byline=byline,
            agency=agency,
            published_at=dt.datetime(2022, 2, 11, hour, 0, tzinfo=dt.UTC),
        ),
        source_name=outlet,
        extract=one_event,
    )
    result.article.refresh_from_db()
    return result.article


def names(article: Article) -> tuple[str | None, str | None]:
    """(source, publisher): who wrote the story, and the outlet that printed it if another."""
    return (
        article.source.name if article.source else None,
        article.publisher.name if article.publisher else None,
    )


class TestTheAgencyTheTextCredits:
    def test_is_the_source_and_the_outlet_that_printed_it_the_publisher(self) -> None:
        article = ingest(WIRE_STORY, outlet="The Daily Courier", agency="AP")

        assert names(article) == ("AP", "The Daily Courier")
        assert article.source is not None and article.source.kind == Source.Kind.AGENCY

    def test_printed_by_the_agency_itself_is_just_the_source(self) -> None:
        article = ingest(WIRE_STORY, outlet="Reuters", agency="Reuters")

        assert names(article) == ("Reuters", None)


class TestACopyWithoutCredit:
    def test_ingested_after_the_credited_one_takes_its_agency(self) -> None:
        ingest(WIRE_STORY, outlet="The Daily Courier", agency="AP")

        copy = ingest(WIRE_STORY + "\n\n" + PAPER_PARAGRAPH, outlet="Evening Herald", hour=15)

        assert names(copy) == ("AP", "Evening Herald")

    def test_ingested_before_the_credited_one_is_given_its_agency_later(self) -> None:
        copy = ingest(WIRE_STORY + "\n\n" + PAPER_PARAGRAPH, outlet="Evening Herald", hour=15)
        assert names(copy) == ("Evening Herald", None)

        ingest(WIRE_STORY, outlet="The Daily Courier", hour=18, agency="AP")

        copy.refresh_from_db()
        assert names(copy) == ("AP", "Evening Herald")

    def test_cut_to_its_first_half_is_still_a_copy(self) -> None:
        ingest(WIRE_STORY, outlet="Reuters", agency="Reuters")
        half = WIRE_STORY.split("\n\n")[:2]

        copy = ingest("\n\n".join([*half, PAPER_PARAGRAPH]), outlet="Evening Herald", hour=15)

        assert names(copy) == ("Reuters", "Evening Herald")

    def test_of_another_outlets_uncredited_story_counts_as_the_first_printer(self) -> None:
        ingest(WIRE_STORY, outlet="The Daily Courier", hour=9)

        copy = ingest(WIRE_STORY + "\n\n" + PAPER_PARAGRAPH, outlet="Evening Herald", hour=15)

        assert names(copy) == ("The Daily Courier", "Evening Herald")

    def test_never_overrides_the_source_an_editor_gave(self) -> None:
        copy = ingest(WIRE_STORY, outlet="Evening Herald", hour=9)
        own = Source.objects.create(name="Herald wire desk")
        herald = Source.objects.get(name="Evening Herald")
        Article.objects.filter(pk=copy.pk).update(source=own, publisher=herald)

        ingest(WIRE_STORY + "\n\n" + PAPER_PARAGRAPH, outlet="The Daily Courier", agency="AP")

        copy.refresh_from_db()
        assert names(copy) == ("Herald wire desk", "Evening Herald")

    def test_printed_days_later_is_another_story(self) -> None:
        ingest(WIRE_STORY, outlet="The Daily Courier", agency="AP")
        later = pipeline.article_ingest(
            parsed=ParsedArticle(
                title="A week on",
                body=WIRE_STORY + "\n\n" + PAPER_PARAGRAPH,
                published_at=dt.datetime(2022, 2, 18, 12, 0, tzinfo=dt.UTC),
            ),
            source_name="Weekly Review",
            extract=one_event,
        ).article

        assert names(Article.objects.get(pk=later.pk)) == ("Weekly Review", None)


class TestCorroboration:
    def test_a_wire_story_in_two_papers_is_one_source_and_an_own_report_another(self) -> None:
        ingest(WIRE_STORY, outlet="The Daily Courier", agency="AP")
        ingest(WIRE_STORY + "\n\n" + PAPER_PARAGRAPH, outlet="Evening Herald", hour=15)
        [event] = Event.objects.all()

        def sources() -> int:
            return source_count(
                Event.objects.with_source_count(include_proposed=True).get(pk=event.pk)
            )

        assert event.citations.count() == 2
        assert sources() == 1

        own = make_article(text=OWN_REPORT, source=Source.objects.create(name="Morning Star"))
        make_citation(article=own, event=event, start=0, end=40)

        assert sources() == 2

    def test_two_outlets_own_reports_of_one_event_are_not_copies(self) -> None:
        first = ingest(WIRE_STORY, outlet="The Daily Courier")
        second = ingest(OWN_REPORT, outlet="Morning Star", hour=16)

        assert names(first) == ("The Daily Courier", None)
        assert names(second) == ("Morning Star", None)

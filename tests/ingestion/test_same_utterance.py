"""One utterance quoted by several outlets is one statement with a citation from each, whether
they quote it word for word or in other words; two utterances stay two."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.factories import quoted
from timeline.extraction.article_text import ParsedArticle
from timeline.extraction.types import Extraction
from timeline.ingestion import pipeline
from timeline.models import Statement

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2022, 2, 11)
WINDOW = "We're in a window when an invasion could begin at any time, including the Olympics."
# The same words as another outlet's reporter wrote them down.
PARAPHRASED = (
    "We're in a window where an invasion could start at any time, even during the Olympics."
)
# Another thing the speaker said at the same news conference.
ESCALATION = "We continue to see very troubling signs of Russian escalation at the border."


def quoting(quote: str, said_on: dt.date) -> Callable[[str, dt.date], Extraction]:
    """An extractor that finds the speaker saying `quote` on `said_on` in the article."""

    def extract(text: str, published: dt.date) -> Extraction:
        speaker, statement = quoted(quote, text, speaker="Antony Blinken", said_on=said_on)
        return Extraction(actors=[speaker], statements=[statement], events=[])

    return extract


def ingest(quote: str, outlet: str, *, said_on: dt.date = FRIDAY) -> None:
    pipeline.article_ingest(
        parsed=ParsedArticle(
            title=f"{outlet} report",
            body=f"“{quote}” Antony Blinken said in Melbourne.",
            source_name=outlet,
            url="",
            published_at=dt.datetime.combine(said_on, dt.time(12), tzinfo=dt.UTC),
        ),
        extract=quoting(quote, said_on),
    )


def test_one_utterance_in_other_words_is_one_statement_cited_by_both_outlets() -> None:
    ingest(WINDOW, "Axios")
    ingest(PARAPHRASED, "HNGN")

    statement = Statement.objects.get()
    assert statement.citations.count() == 2


def test_two_things_said_at_one_news_conference_are_two_statements() -> None:
    ingest(WINDOW, "Axios")
    ingest(ESCALATION, "Rappler")

    assert Statement.objects.count() == 2


def test_the_same_message_in_other_words_days_later_is_another_statement() -> None:
    ingest(WINDOW, "Axios")
    ingest(PARAPHRASED, "HNGN", said_on=FRIDAY + dt.timedelta(days=4))

    assert Statement.objects.count() == 2

"""Storing an article's drafts takes a number of queries set by the article, not by the database.

Actors are matched by name and alias across articles; a query per name (or per slug tried) would
make ingestion slower with every actor already stored. These tests give `article_ingest` a
hand-made extraction, so they need no NLP model.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import make_actor
from timeline.extraction.article_text import ParsedArticle
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ExtractedStatement,
    Extraction,
    ResolvedDate,
    Span,
)
from timeline.ingestion import pipeline
from timeline.models import Actor, ActorAlias, Statement
from timeline.services import articles

pytestmark = pytest.mark.django_db

BODY = (
    "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
    "“Things could go crazy quickly,” Biden told NBC News.\n\n"
    "The Kremlin said it had no plans to invade."
)
PUBLISHED = dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)


def span_of(excerpt: str) -> Span:
    start = BODY.index(excerpt)
    return Span(start, start + len(excerpt))


def extraction(text: str, published: dt.date) -> Extraction:
    """Three actors (one affiliated), two statements (one by a speaker named otherwise), an
    event with a role."""
    troops = "Russia is massing yet more troops near Ukraine, Washington said on Friday."
    quote = "Things could go crazy quickly"
    denial = "it had no plans to invade"
    on_the_day = ResolvedDate(published, None, "day", None, is_fallback=True)
    return Extraction(
        actors=[
            ExtractedActor(
                name="Joe Biden",
                kind="person",
                affiliation="United States",
                aliases=["Biden"],
                mentions=[span_of("Biden")],
            ),
            ExtractedActor(name="United States", kind="state", aliases=["Washington"]),
            ExtractedActor(name="Russia", kind="state", mentions=[span_of("Russia")]),
        ],
        statements=[
            ExtractedStatement(
                content=quote,
                kind="direct",
                span=span_of(f"“{quote},” Biden told NBC News."),
                content_span=span_of(quote),
                speaker="Joe Biden",
                cue="told",
                date=on_the_day,
            ),
            ExtractedStatement(
                content=denial,
                kind="reported",
                span=span_of(f"The Kremlin said {denial}."),
                content_span=span_of(denial),
                speaker="Kremlin",  # not an extracted actor: found by alias among the stored
                cue="said",
                date=on_the_day,
            ),
        ],
        events=[
            ExtractedEvent(
                title="Russia masses more troops near Ukraine",
                summary=troops,
                span=span_of(troops),
                date=ResolvedDate(published, None, "day", span_of("on Friday")),
                category="military",
                actors=[("Russia", "agent")],
            )
        ],
    )


def ingest() -> articles.IngestResult:
    parsed = ParsedArticle(title="US says more Russian troops mass", body=BODY)
    return pipeline.article_ingest(parsed=parsed, published_at=PUBLISHED, extract=extraction)


def store_actors_known_to_the_article() -> tuple[Actor, Actor]:
    united_states = make_actor(name="United States", slug="united-states", kind="state")
    russian_government = make_actor(name="Russian government", slug="russia-gov", kind="state")
    ActorAlias.objects.create(actor=russian_government, name="Kremlin")
    return united_states, russian_government


def store_a_crowd_of_actors(count: int) -> None:
    """`count` actors the article does not name, whose slugs take "russia", "russia-2", … so
    the article's new actor Russia has to look past every one of them for a free slug."""
    for n in range(1, count + 1):
        actor = make_actor(
            name=f"Russia {n} (historical)", slug="russia" if n == 1 else f"russia-{n}"
        )
        ActorAlias.objects.create(actor=actor, name=f"Russian Federation {n}")


def queries_to_ingest_then_undo() -> int:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            ingest()
        transaction.set_rollback(True)
    return len(captured.captured_queries)


def test_ingesting_an_article_takes_as_many_queries_among_200_stored_actors_as_among_2() -> None:
    united_states, russian_government = store_actors_known_to_the_article()
    among_few = queries_to_ingest_then_undo()
    store_a_crowd_of_actors(200)

    with CaptureQueriesContext(connection) as among_many:
        result = ingest()

    # 1 the article by URL or text; 2-4 its URL's unique constraint checked, in a savepoint;
    # 5-7 the article stored, in a savepoint; 8 the days' articles that may print its text;
    # 9 claimed for extraction; 10 read back;
    # 11 savepoint; 12-14 the untouched machine drafts to replace (events, statements, proposed
    # citations); 15 the directory entries its people may be; 16-17 the person it prints in
    # full learnt, with the role printed; 18 the spans editors kept; 19 the stored actors any
    # name may match; 20 their aliases; 21 the stored people its people's names may be other
    # forms of ("Zelenskiy"); 22 the slugs taken; 23-24 new actors and their history;
    # 25 new aliases; 26-27 the affiliation and its history; 28 the speakers' earlier
    # statements; 29-30 new statements and their history; 31 the categories; 32 the events
    # within a year of the event's date; 33-34 new events and their history; 35 their roles;
    # 36-37 citations and their history; 38 the article marked done; 39 release.
    assert len(among_many.captured_queries) == among_few == 39
    russia = Actor.objects.get(name="Russia")
    assert russia in result.actors
    assert russia.slug == "russia-201"
    assert Actor.objects.get(name="Joe Biden").affiliation == united_states
    assert Statement.objects.get(kind="reported").speaker == russian_government


def test_actors_matched_in_one_lookup_get_each_alias_once() -> None:
    _, russian_government = store_actors_known_to_the_article()
    store_a_crowd_of_actors(3)

    ingest()

    assert set(Actor.objects.get(name="United States").aliases.values_list("name", flat=True)) == {
        "Washington"
    }
    assert list(russian_government.aliases.values_list("name", flat=True)) == ["Kremlin"]
    assert set(Actor.objects.get(name="Joe Biden").aliases.values_list("name", flat=True)) == {
        "Biden"
    }

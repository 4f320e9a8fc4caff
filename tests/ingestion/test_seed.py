"""End to end: the seed article through the real pipeline, by the command and by the admin page.

`ingest` on an empty database (but for the starter directory a new installation imports) stores
the drafts that tests/data/seed_article_gold.json calls right: every actor with its title and
affiliation, every quote and reported statement with its speaker, every event with its date. The
stored rows are scored by the same rules as `make eval` (evaluation.seed), read back from the
database. The admin's import page, given the same text by an editor, stores the same drafts.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, get_args

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from evaluation import seed_article_path
from evaluation.seed import MIN_CONFIDENCE, load_gold, score_seed
from tests.factories import make_crisis
from timeline.extraction.types import (
    ActorKind,
    ExtractedActor,
    ExtractedEvent,
    ExtractedStatement,
    Extraction,
    Precision,
    ResolvedDate,
    Span,
    StatementKind,
)
from timeline.models import Actor, Article, Citation, Event, Statement, Status
from timeline.services.directory import directory_import_starter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def starter_directory() -> None:
    """A new installation starts from the shipped directory (`make run` imports it): the article
    names Biden and Shoigu without their states."""
    directory_import_starter()


# A stored value as the extraction's type for it; a value the extraction does not know fails.
ACTOR_KINDS: dict[str, ActorKind] = {kind: kind for kind in get_args(ActorKind)}
STATEMENT_KINDS: dict[str, StatementKind] = {kind: kind for kind in get_args(StatementKind)}
PRECISIONS: dict[str, Precision] = {precision: precision for precision in get_args(Precision)}


def ingest_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", str(seed_article_path()), *args, stdout=out, stderr=out)
    return out.getvalue()


def stored_extraction(article: Article) -> Extraction:
    """The drafts stored from `article`, as the pipeline's dataclasses, for evaluation.seed."""
    text = article.text
    actors = [
        ExtractedActor(
            name=actor.name,
            kind=ACTOR_KINDS[actor.kind],
            title=actor.title,
            affiliation=actor.affiliation.name if actor.affiliation else "",
            aliases=[alias.name for alias in actor.aliases.all()],
            confidence=actor.confidence,
        )
        for actor in Actor.objects.select_related("affiliation").prefetch_related("aliases")
    ]
    statements = []
    for statement in Statement.objects.filter(citations__article=article).select_related("speaker"):
        citation = statement.citations.get()
        at = text.index(statement.text, citation.start, citation.end)
        statements.append(
            ExtractedStatement(
                content=statement.text,
                kind=STATEMENT_KINDS[statement.kind],
                span=Span(citation.start, citation.end),
                content_span=Span(at, at + len(statement.text)),
                speaker=statement.speaker.name if statement.speaker else None,
                cue=statement.cue,
                confidence=statement.confidence,
            )
        )
    events = []
    # Each citation is one mention the pipeline found: of its event, or, when the machine matched
    # it to another mention of the same happening (a proposed citation), of the event it would be.
    for citation in Citation.objects.filter(article=article, event__isnull=False).select_related(
        "event"
    ):
        event = citation.event
        assert event is not None
        title, start, end, precision = event.title, event.start_date, event.end_date, None
        if citation.proposal:
            title = citation.proposal["title"]
            start = dt.date.fromisoformat(citation.proposal["start_date"])
            end_date = citation.proposal["end_date"]
            end = dt.date.fromisoformat(end_date) if end_date else None
            precision = citation.proposal["date_precision"]
        date = ResolvedDate(start, end, PRECISIONS[precision or event.date_precision], None)
        events.append(
            ExtractedEvent(
                title=title,
                summary=event.summary,
                span=Span(citation.start, citation.end),
                date=date,
            )
        )
    return Extraction(actors=actors, statements=statements, events=events)


def drafts() -> dict[str, list[tuple[Any, ...]]]:
    """Everything stored from the articles, comparable between two ingestions."""
    return {
        "actors": sorted(
            (a.name, a.kind, a.title, a.affiliation.name if a.affiliation else "", a.status)
            for a in Actor.objects.select_related("affiliation")
        ),
        "statements": sorted(
            (
                s.speaker.name if s.speaker else "",
                s.kind,
                s.text,
                s.cue,
                s.medium,
                s.date,
                s.confidence,
                s.status,
                tuple(s.crises.values_list("slug", flat=True)),
                tuple(s.citations.values_list("start", "end")),
            )
            for s in Statement.objects.select_related("speaker")
        ),
        "events": sorted(
            (
                e.title,
                e.start_date,
                e.end_date,
                e.date_precision,
                e.is_scheduled,
                e.verification,
                e.confidence,
                e.status,
                tuple(sorted(e.roles.values_list("actor__name", "role"))),
                tuple(e.crises.values_list("slug", flat=True)),
                tuple(e.citations.values_list("start", "end")),
            )
            for e in Event.objects.all()
        ),
    }


def test_the_ingest_command_stores_every_seed_item_right() -> None:
    crisis = make_crisis(slug="russia-ukraine")

    output = ingest_seed("--crisis", crisis.slug)

    assert "1 article(s) ingested, 0 already stored, 0 failed." in output
    article = Article.objects.get()
    assert article.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)
    score = score_seed(
        stored_extraction(article), article.text, load_gold(), min_confidence=MIN_CONFIDENCE
    )
    wrong = {
        name: score[name].get("missed", []) + score[name].get("wrong", [])
        for name in ("actors", "actor_attributes", "quotes", "reported_speech", "event_dates")
    }
    assert score["all_right"], wrong
    assert score["quotes"]["precision"] == 1.0, wrong["quotes"]


def test_the_seed_drafts_read_as_the_article_says() -> None:
    ingest_seed()

    blinken = Actor.objects.get(name="Antony Blinken")
    assert (blinken.title, str(blinken.affiliation)) == ("Secretary of State", "United States")
    assert str(Actor.objects.get(name="Joe Biden").affiliation) == "United States"
    assert str(Actor.objects.get(name="Valery Gerasimov").affiliation) == "Russia"
    window = Statement.objects.get(text__startswith="We’re in a window when an invasion")
    assert (window.kind, window.speaker, window.cue) == ("direct", blinken, "said")
    crazy = Statement.objects.get(text__startswith="Things could go crazy quickly")
    assert (str(crazy.speaker), crazy.medium) == ("Joe Biden", "NBC News")
    # "Macron, who visited on Monday" in an article of Friday 11 February 2022.
    macron = Event.objects.get(title="Macron visits Moscow")
    assert (macron.start_date, macron.date_precision) == (dt.date(2022, 2, 7), "day")
    # "Biden was due to hold a phone call on Friday": that Friday, still to come.
    call = Event.objects.get(title="Biden to hold phone call")
    assert (call.start_date, call.is_scheduled) == (dt.date(2022, 2, 11), True)
    assert not Statement.objects.exclude(status=Status.DRAFT).exists()
    assert not Event.objects.exclude(status=Status.DRAFT).exists()


class _Undo(Exception):
    """Raised to roll the first ingestion back, so the second starts from an empty database."""


def test_the_admin_import_page_stores_the_same_drafts_as_the_command(
    editor_client: Any,
) -> None:
    crisis = make_crisis(slug="russia-ukraine")
    by_command: dict[str, list[tuple[Any, ...]]] = {}
    with pytest.raises(_Undo), transaction.atomic():
        ingest_seed("--crisis", crisis.slug)
        by_command.update(drafts())
        raise _Undo
    assert not Article.objects.exists()

    response = editor_client.post(
        reverse("admin:timeline_article_import"),
        {"text": seed_article_path().read_text(encoding="utf-8"), "crisis": crisis.pk},
    )

    assert response.status_code == 200
    assert not response.context["form"].errors
    page = response.content.decode()
    assert "US says more Russian troops mass near Ukraine" in page
    assert "Things could go crazy quickly" in page
    # The next step is one click away: the article's review page, to publish its drafts.
    review = reverse("admin:timeline_article_review", args=[Article.objects.get().pk])
    assert f'href="{review}">Review and publish its drafts' in page
    assert drafts() == by_command
    assert by_command["statements"] and by_command["events"] and by_command["actors"]

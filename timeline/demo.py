"""The demo crisis: the articles of the demo corpus, ingested by the extraction pipeline.

`load_demo` does what an editor would do with the corpus: ingest every article into the demo
crisis, through the same `ingest_source` as the `ingest` command and the admin's import page, then
publish the drafts the pipeline is sure of. The rest stay drafts in the review queue, so the admin
shows a realistic queue. Each article's publication time comes from its dateline (the seed Reuters
article prints "Published: Fri 11 Feb 2022, 10:00 PM").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from timeline.extraction.nlp import ModelMissing, get_nlp
from timeline.ingestion.pipeline import ingest_source
from timeline.models import Actor, Crisis, Event, Statement, Status
from timeline.services import articles, editorial
from timeline.services.directory import directory_import_starter

SEED_FILE = "reuters-2022-02-11-russian-troops-mass-near-ukraine.txt"
CRISIS_SLUG = "russia-ukraine-2021-2022"
CRISIS_TITLE = "Russia–Ukraine crisis, 2021–2022"
CRISIS_SUMMARY = (
    "Russia massed troops near Ukraine's borders from late 2021 while demanding security "
    "guarantees from NATO; Western governments warned that an invasion could come at any time."
)
CRISIS_START = dt.date(2021, 11, 1)

# The demo's stand-in for an editor's judgement: drafts at least this sure are published, the
# rest wait in the review queue. Statements also need a named speaker, events a date read from
# the text (not the publication-date fallback). On the seed article this publishes the quotes and
# reported speech with a named speaker and the events dated from the text that were checked
# right against tests/data/seed_article_gold.json; the unsure rest is a realistic queue.
PUBLISH_CONFIDENCE = 0.7


class DemoError(RuntimeError):
    """The demo cannot be loaded; the message says what to do."""


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The demo corpus's articles (*.txt), in name order; the seed article must be among them."""
    files = sorted(corpus_dir.glob("*.txt")) if corpus_dir.is_dir() else []
    if not any(path.name == SEED_FILE for path in files):
        raise DemoError(
            f"The seed article is missing: {corpus_dir / SEED_FILE}. Set DEMO_CORPUS_DIR (or pass "
            "--corpus) to the folder holding the demo corpus."
        )
    return files


def load_demo(corpus_dir: Path) -> Crisis:
    """Ingest the demo corpus into the demo crisis and publish what the pipeline is sure of.

    All or nothing, in one transaction; running it again changes nothing (the articles are
    already stored, and nothing is published again that an editor may have taken back since).
    """
    files = corpus_files(corpus_dir)
    try:
        get_nlp()  # before any write: a missing model is a setup problem, not a failed article
    except ModelMissing as exc:
        raise DemoError(str(exc)) from exc
    with transaction.atomic():
        crisis = articles.crisis_get_or_create(
            slug=CRISIS_SLUG, title=CRISIS_TITLE, summary=CRISIS_SUMMARY
        )
        if crisis.start_date is None:
            crisis.start_date = CRISIS_START
            crisis.save(update_fields=["start_date"])
        directory_import_starter()  # who the corpus's people are when it names them bare
        new_articles = []
        for path in files:
            for outcome in ingest_source(str(path), crises=[crisis]):
                if outcome.result is None:
                    raise DemoError(f"{path.name} could not be ingested: {outcome.error}")
                if outcome.result.created:
                    new_articles.append(outcome.result.article)
        if new_articles:
            publish_confident_drafts(crisis=crisis, articles=new_articles)
    return crisis


def publish_confident_drafts(*, crisis: Crisis, articles: list) -> None:
    """Publish the crisis's confident drafts cited from `articles`, with the actors they name.

    Published by the system (`by=None`) through `items_publish`, so each item's history records
    the decision like an editor's.
    """
    sure = Q(
        status=Status.DRAFT, confidence__gte=PUBLISH_CONFIDENCE, citations__article__in=articles
    )
    statements = crisis.statements.filter(sure, speaker__isnull=False)
    events = crisis.events.filter(sure, date_is_fallback=False)
    statement_pks = list(statements.values_list("pk", flat=True).distinct())
    event_pks = list(events.values_list("pk", flat=True).distinct())
    # Readers see an item's actors only once they are published themselves.
    actors = Actor.objects.filter(
        Q(statements__pk__in=statement_pks) | Q(event_roles__event__pk__in=event_pks)
    ).filter(status=Status.DRAFT)
    actor_pks = set(actors.values_list("pk", flat=True))
    affiliations = Actor.objects.filter(pk__in=actor_pks, affiliation__isnull=False)
    actor_pks |= set(affiliations.values_list("affiliation_id", flat=True))
    editorial.items_publish(items=Actor.objects.filter(pk__in=actor_pks), by=None)
    editorial.items_publish(items=Statement.objects.filter(pk__in=statement_pks), by=None)
    editorial.items_publish(items=Event.objects.filter(pk__in=event_pks), by=None)

"""The demo crisis is the demo corpus ingested by the extraction pipeline, as an editor would.

What an editor would publish (the drafts the pipeline is sure of, with their actors) is published;
the rest waits in the review queue. Loading twice changes nothing; a missing corpus or spaCy model
is a sentence, not a traceback, and leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from timeline.demo import CRISIS_SLUG, PUBLISH_CONFIDENCE, SEED_FILE
from timeline.extraction import nlp
from timeline.models import Actor, Article, Citation, Crisis, Event, Statement, Status

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Crisis, Article, Actor, Statement, Event, Citation)
    }


def test_it_ingests_the_seed_article_with_its_dateline_and_outlet() -> None:
    call_command("load_demo", stdout=None)

    article = Article.objects.get()
    assert article.title.startswith("US says more Russian troops mass near Ukraine")
    assert article.source is not None and article.source.name == "Reuters"
    # "Published: Fri 11 Feb 2022, 10:00 PM" printed under the byline.
    assert article.published_at == dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)
    assert article.ingestion_status == Article.IngestionStatus.DONE
    assert "Advertising" not in article.text and "Read more" not in article.text
    assert list(article.crises.values_list("slug", flat=True)) == [CRISIS_SLUG]


def test_it_publishes_the_quotes_with_their_speakers() -> None:
    call_command("load_demo")

    published = Statement.objects.published()
    crazy = published.get(text__startswith="Things could go crazy quickly")
    assert (str(crazy.speaker), crazy.cue, crazy.medium) == ("Joe Biden", "told", "NBC News")
    blinken = published.get(text__startswith="We’re in a window when an invasion").speaker
    assert blinken is not None and blinken.name == "Antony Blinken"
    assert blinken.title == "Secretary of State"
    assert str(blinken.affiliation) == "United States"
    assert str(published.get(cue="denies").speaker) == "Russia"  # "Moscow denies planning…"
    assert (
        str(published.get(text__startswith="Shoigu had repeated").speaker) == "Ben Wallace"
    )  # "Wallace said Shoigu had repeated Russia’s assurances…"


def test_it_publishes_events_dated_against_the_publication_date() -> None:
    call_command("load_demo")

    published = Event.objects.published()
    macron = published.get(title="Macron visits Moscow")  # "…who visited on Monday"
    assert (macron.start_date, macron.date_precision) == (dt.date(2022, 2, 7), "day")
    call = Event.objects.get(title="Biden to hold phone call")
    # "Biden was due to hold a phone call on Friday": the Friday of publication, still to come.
    assert (call.start_date, call.is_scheduled) == (dt.date(2022, 2, 11), True)
    assert call.status == Status.PUBLISHED
    exercises = published.get(title__startswith="Russia launches joint military exercises")
    assert (exercises.start_date, exercises.end_date, exercises.date_precision) == (
        dt.date(2022, 2, 7),
        dt.date(2022, 2, 13),
        "week",
    )
    assert published.filter(date_is_fallback=True).count() == 0


def test_what_the_pipeline_is_unsure_of_waits_in_the_review_queue() -> None:
    call_command("load_demo")

    unsure_statements = Statement.objects.filter(confidence__lt=PUBLISH_CONFIDENCE)
    unsure_events = Event.objects.filter(confidence__lt=PUBLISH_CONFIDENCE)
    assert unsure_statements.exists() and not unsure_statements.published().exists()
    assert unsure_events.exists() and not unsure_events.published().exists()
    # An unnamed source ("a source familiar with the meeting said") is left for an editor.
    assert Statement.objects.filter(speaker__isnull=True, status=Status.DRAFT).exists()
    assert not Statement.objects.published().filter(speaker__isnull=True).exists()
    # Readers only ever see published actors: every published item's actors are published.
    speakers = Actor.objects.filter(statements__in=Statement.objects.published())
    participants = Actor.objects.filter(event_roles__event__in=Event.objects.published())
    assert not (speakers | participants).exclude(status=Status.PUBLISHED).exists()


def test_publishing_is_recorded_in_each_items_history() -> None:
    call_command("load_demo")

    quote = Statement.objects.published().get(text__startswith="Things could go crazy")
    assert quote.reviewed_at is not None and quote.first_published_at is not None
    assert [h.status for h in quote.history.order_by("history_date")] == [
        Status.DRAFT,
        Status.PUBLISHED,
    ]


def test_every_demo_citation_reproduces_a_real_span_of_the_article() -> None:
    call_command("load_demo")

    assert Citation.objects.exists()
    for citation in Citation.objects.select_related("article"):
        assert 0 <= citation.start < citation.end <= len(citation.article.text)
        assert citation.excerpt == citation.article.text[citation.start : citation.end]
    quote = Statement.objects.get(text__startswith="Things could go crazy")
    assert "Biden told NBC News" in quote.citations.get().excerpt


def test_loading_the_demo_twice_changes_nothing() -> None:
    call_command("load_demo")
    before = counts()
    published = set(Statement.objects.published().values_list("pk", flat=True))

    call_command("load_demo")

    assert counts() == before
    assert set(Statement.objects.published().values_list("pk", flat=True)) == published


def test_loading_again_does_not_republish_what_an_editor_took_back() -> None:
    call_command("load_demo")
    quote = Statement.objects.get(text__startswith="Things could go crazy")
    Statement.objects.filter(pk=quote.pk).update(status=Status.DRAFT)

    call_command("load_demo")

    quote.refresh_from_db()
    assert quote.status == Status.DRAFT


def test_it_says_where_the_seed_article_should_be_when_it_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"seed article is missing.*DEMO_CORPUS_DIR"):
        call_command("load_demo", corpus=tmp_path)
    assert counts() == dict.fromkeys(counts(), 0)
    assert settings.DEMO_CORPUS_DIR.name == "corpus"


def test_a_missing_spacy_model_is_a_sentence_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_model() -> None:
        raise nlp.ModelMissing("The spaCy English model (en_core_web_sm) is not installed.")

    monkeypatch.setattr("timeline.demo.get_nlp", no_model)

    with pytest.raises(CommandError, match="spaCy English model"):
        call_command("load_demo")
    assert counts() == dict.fromkeys(counts(), 0)


def test_an_article_that_cannot_be_ingested_leaves_nothing_half_written(tmp_path: Path) -> None:
    shutil.copy(settings.DEMO_CORPUS_DIR / SEED_FILE, tmp_path / SEED_FILE)
    (tmp_path / "zz-undated.txt").write_text("A headline\n\nSomething happened.\n")

    with pytest.raises(CommandError, match=r"zz-undated\.txt could not be ingested.*publication"):
        call_command("load_demo", corpus=tmp_path)

    assert counts() == dict.fromkeys(counts(), 0)

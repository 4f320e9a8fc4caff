"""Ingesting an article stores it with its drafts in one transaction, once, and never loses it.

These tests give `article_ingest` a small hand-made extraction, so they pin down storage rules
without depending on the NLP model; tests/ingestion/test_seed.py runs the real pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.factories import make_actor, make_crisis
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
from timeline.models import (
    Actor,
    Article,
    Citation,
    Event,
    Provenance,
    Statement,
    Status,
    content_hash,
)
from timeline.services import articles

pytestmark = pytest.mark.django_db

BODY = (
    "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
    "“Things could go crazy quickly,” Biden told NBC News."
)
PUBLISHED = dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)


def parsed(**fields: Any) -> ParsedArticle:
    article = ParsedArticle(
        title="US says more Russian troops mass near Ukraine",
        byline="Reuters",
        source_name="Reuters",
        published_at=PUBLISHED,
        body=BODY,
    )
    return dataclasses.replace(article, **fields)


def span_of(text: str, excerpt: str) -> Span:
    start = text.index(excerpt)
    return Span(start, start + len(excerpt))


def small_extraction(text: str, published: dt.date, *, title: str = "") -> Extraction:
    quote = "Things could go crazy quickly"
    sentence = "Russia is massing yet more troops near Ukraine, Washington said on Friday."
    return Extraction(
        actors=[
            ExtractedActor(
                name="Joe Biden",
                kind="person",
                title="President",
                affiliation="United States",
                aliases=["Biden"],
                mentions=[span_of(text, "Biden")],
                confidence=0.9,
            ),
            ExtractedActor(name="United States", kind="state", aliases=["Washington"]),
            ExtractedActor(name="Russia", kind="state", mentions=[span_of(text, "Russia")]),
        ],
        statements=[
            ExtractedStatement(
                content=quote,
                kind="direct",
                span=span_of(text, "“Things could go crazy quickly,” Biden told NBC News."),
                content_span=span_of(text, quote),
                speaker="Joe Biden",
                cue="told",
                medium="NBC News",
                date=ResolvedDate(published, None, "day", None, is_fallback=True),
                confidence=0.95,
            )
        ],
        events=[
            ExtractedEvent(
                title="Russia masses more troops near Ukraine",
                summary=sentence,
                span=span_of(text, sentence),
                date=ResolvedDate(published, None, "day", span_of(text, "on Friday")),
                category="military",
                actors=[("Russia", "agent")],
                confidence=0.7,
            )
        ],
    )


def failing_extraction(text: str, published: dt.date) -> Extraction:
    raise RuntimeError("the model crashed")


def test_it_stores_the_article_with_its_drafts_and_citations() -> None:
    crisis = make_crisis()

    result = pipeline.article_ingest(parsed=parsed(), crises=[crisis], extract=small_extraction)

    article = result.article
    assert result.created
    assert article.ingestion_status == Article.IngestionStatus.DONE
    assert article.source is not None and article.source.name == "Reuters"
    assert list(article.crises.all()) == [crisis]
    statement = Statement.objects.get()
    assert statement.speaker is not None and statement.speaker.name == "Joe Biden"
    assert statement.medium == "NBC News"
    assert (statement.status, statement.provenance) == (Status.DRAFT, Provenance.MACHINE)
    event = Event.objects.get()
    assert event.category.slug == "military"
    assert [(r.actor.name, r.role) for r in event.roles.all()] == [("Russia", "agent")]
    assert list(event.crises.all()) == [crisis]
    for citation in Citation.objects.all():
        assert citation.excerpt == article.text[citation.start : citation.end]


def test_it_links_affiliations_and_keeps_aliases() -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    biden = Actor.objects.get(name="Joe Biden")
    assert biden.affiliation is not None and biden.affiliation.name == "United States"
    assert biden.title == "President"
    assert list(Actor.objects.matching_name("Washington")) == [
        Actor.objects.get(name="United States")
    ]


def test_it_matches_actors_already_stored_by_name_or_alias() -> None:
    existing = make_actor(name="Biden", kind="person", status=Status.PUBLISHED)

    result = pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    assert existing not in result.actors
    assert Actor.objects.filter(kind="person").count() == 1
    assert Statement.objects.get().speaker == existing
    assert existing.aliases.filter(name="Joe Biden").exists()


def test_ingesting_the_same_article_twice_is_a_no_op() -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)
    before = (Article.objects.count(), Statement.objects.count(), Event.objects.count())

    again = pipeline.article_ingest(parsed=parsed(), extract=small_extraction)
    same_url = pipeline.article_ingest(
        parsed=parsed(url="https://example.org/a", body=BODY), extract=small_extraction
    )

    assert not again.created and not same_url.created
    assert (Article.objects.count(), Statement.objects.count(), Event.objects.count()) == before


def test_force_replaces_machine_drafts_but_keeps_what_editors_touched() -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)
    Event.objects.update(status=Status.PUBLISHED)
    Statement.objects.update(text="An editor's fix", edited_by_editor=True)
    kept_event, kept_statement = Event.objects.get(), Statement.objects.get()

    result = pipeline.article_ingest(parsed=parsed(), force=True, extract=small_extraction)

    assert Event.objects.get() == kept_event
    assert Statement.objects.get() == kept_statement
    assert Statement.objects.get().text == "An editor's fix"
    assert result.events == [] and result.statements == []


def test_force_re_extracts_untouched_machine_drafts() -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)
    first_ids = set(Event.objects.values_list("pk", flat=True))

    pipeline.article_ingest(parsed=parsed(), force=True, extract=small_extraction)

    assert Event.objects.count() == 1
    assert set(Event.objects.values_list("pk", flat=True)).isdisjoint(first_ids)


def test_a_failed_extraction_keeps_the_article_as_failed_and_nothing_half_written() -> None:
    with pytest.raises(articles.IngestError, match="stored as failed"):
        pipeline.article_ingest(parsed=parsed(), extract=failing_extraction)

    article = Article.objects.get()
    assert article.ingestion_status == Article.IngestionStatus.FAILED
    assert "the model crashed" in article.ingestion_error
    assert article.text == BODY
    assert not Statement.objects.exists() and not Event.objects.exists()
    assert not Actor.objects.exists()


def test_a_failed_article_is_retried_by_ingesting_it_again() -> None:
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(), extract=failing_extraction)

    result = pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    assert Article.objects.get() == result.article
    assert result.article.ingestion_status == Article.IngestionStatus.DONE
    assert result.article.ingestion_error == ""
    assert Event.objects.count() == 1
    assert result.extracted and not result.created


def test_a_failed_article_given_again_with_corrected_text_is_read_again() -> None:
    url = "https://news.example/troops"
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(url=url, body="Garbled"), extract=failing_extraction)

    result = pipeline.article_ingest(parsed=parsed(url=url), extract=small_extraction)

    article = Article.objects.get()
    assert result.article == article and not result.created
    assert article.text == BODY  # the corrected text, not the one that failed
    assert article.content_hash == content_hash(BODY)
    assert article.ingestion_status == Article.IngestionStatus.DONE
    assert article.ingestion_error == ""
    assert Event.objects.count() == 1


def test_an_extracted_article_at_the_same_address_keeps_its_text_without_force() -> None:
    url = "https://news.example/troops"
    pipeline.article_ingest(parsed=parsed(url=url), extract=small_extraction)

    again = pipeline.article_ingest(
        parsed=parsed(url=url, body="Updated"), extract=small_extraction
    )

    assert not again.extracted
    assert Article.objects.get().text == BODY


def left_processing(*, seconds_ago: int) -> Article:
    """The article as a worker leaves it when it dies mid-extraction, `seconds_ago`."""
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(), extract=failing_extraction)
    claimed_at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    Article.objects.update(ingestion_status=Article.IngestionStatus.PROCESSING)
    Article.objects.update(updated_at=claimed_at)  # auto_now would overwrite it in one update
    return Article.objects.get()


def test_an_article_whose_worker_died_is_retried_by_ingesting_it_again(
    settings: Settings,
) -> None:
    settings.INGEST_STALE_SECONDS = 60
    left_processing(seconds_ago=61)

    result = pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    assert result.extracted and not result.created
    assert result.article.ingestion_status == Article.IngestionStatus.DONE
    assert Event.objects.count() == 1


def test_an_article_a_live_worker_is_extracting_is_left_to_it(settings: Settings) -> None:
    settings.INGEST_STALE_SECONDS = 60
    left_processing(seconds_ago=30)

    with pytest.raises(articles.IngestError, match="worker is extracting"):
        pipeline.article_ingest(parsed=parsed(), extract=small_extraction)
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.PROCESSING
    assert not Event.objects.exists()


def test_an_article_extracted_already_is_not_extracted_again() -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    again = pipeline.article_ingest(parsed=parsed(), extract=failing_extraction)

    assert not again.extracted and not again.created


# The `ingest` command and the admin, with the NLP pipeline swapped for the small extraction.


@pytest.fixture
def extraction(monkeypatch: pytest.MonkeyPatch) -> list:
    """Which extraction runs: the first in the list (tests replace it to fail or succeed)."""
    chosen: list = [small_extraction]
    monkeypatch.setattr(
        "timeline.extraction.pipeline.extract", lambda text, day, title="": chosen[0](text, day)
    )
    return chosen


def ingest_command(path: Path) -> str:
    out = io.StringIO()
    call_command("ingest", str(path), "--published", "2022-02-11T22:00Z", stdout=out, stderr=out)
    return out.getvalue()


def test_the_ingest_command_retries_a_failed_article_without_force(
    tmp_path: Path, extraction: list
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    extraction[0] = failing_extraction
    with pytest.raises(CommandError, match=re.escape("0 article(s) ingested, 0 already stored")):
        ingest_command(path)

    extraction[0] = small_extraction
    output = ingest_command(path)

    assert "(retried)" in output and "1 event(s) as drafts" in output
    assert "1 article(s) ingested, 0 already stored, 0 failed." in output
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.DONE
    assert "0 article(s) ingested, 1 already stored" in ingest_command(path)


def test_the_ingest_command_retries_an_article_whose_worker_died(
    tmp_path: Path, extraction: list, settings: Settings
) -> None:
    settings.INGEST_STALE_SECONDS = 60
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    extraction[0] = failing_extraction
    with pytest.raises(CommandError):
        ingest_command(path)
    Article.objects.update(ingestion_status=Article.IngestionStatus.PROCESSING)
    Article.objects.update(updated_at=timezone.now() - dt.timedelta(seconds=61))

    extraction[0] = small_extraction
    output = ingest_command(path)

    assert "(retried)" in output
    assert "1 article(s) ingested, 0 already stored, 0 failed." in output


def test_the_admin_import_page_says_a_failed_article_was_extracted_again(
    editor_client: Client, extraction: list
) -> None:
    form = {"text": BODY, "published_at": "2022-02-11 22:00", "source_name": "Reuters"}
    extraction[0] = failing_extraction
    editor_client.post("/admin/timeline/article/import/", form)
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.FAILED

    extraction[0] = small_extraction
    html = editor_client.post("/admin/timeline/article/import/", form).content.decode()

    assert "stored before, extracted again" in html
    assert "already stored, nothing changed" not in html
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.DONE


def retry_action(client: Client, *articles: Article) -> str:
    response = client.post(
        "/admin/timeline/article/",
        {"action": "retry_ingestion", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )
    return response.content.decode()


def test_editors_retry_failed_ingestion_from_the_admin(
    editor_client: Client, extraction: list, settings: Settings
) -> None:
    settings.INGEST_STALE_SECONDS = 60
    extraction[0] = failing_extraction
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(), extract=None)
    failed = Article.objects.get()
    done = pipeline.article_ingest(
        parsed=parsed(body=BODY + "\n\nMore.", url="https://example.org/b"),
        extract=small_extraction,
    ).article

    extraction[0] = small_extraction
    html = retry_action(editor_client, failed, done)

    assert "Retried 1 article(s); 1 were extracted already" in html
    failed.refresh_from_db()
    assert failed.ingestion_status == Article.IngestionStatus.DONE
    assert failed.citations.exists()


def test_a_retry_that_fails_again_keeps_the_new_error(
    editor_client: Client, extraction: list
) -> None:
    extraction[0] = failing_extraction
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(), extract=None)

    def other_failure(text: str, published: dt.date) -> Extraction:
        raise ValueError("still broken")

    extraction[0] = other_failure
    html = retry_action(editor_client, Article.objects.get())

    assert "still broken" in html and "Retried 0 article(s)" in html
    article = Article.objects.get()
    assert article.ingestion_status == Article.IngestionStatus.FAILED
    assert "still broken" in article.ingestion_error


def test_only_editors_retry_ingestion(client: Client, extraction: list) -> None:
    extraction[0] = failing_extraction
    with pytest.raises(articles.IngestError):
        pipeline.article_ingest(parsed=parsed(), extract=None)
    viewer = User.objects.create_user("vera", "vera@example.org", "x" * 20, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    extraction[0] = small_extraction
    retry_action(client, Article.objects.get())

    assert Article.objects.get().ingestion_status == Article.IngestionStatus.FAILED


def test_it_asks_for_a_publication_time_when_the_article_gives_none() -> None:
    with pytest.raises(articles.IngestError, match="publication date and time"):
        pipeline.article_ingest(parsed=parsed(published_at=None), extract=small_extraction)

    result = pipeline.article_ingest(
        parsed=parsed(published_at=None), published_at=PUBLISHED, extract=small_extraction
    )
    assert result.article.published_at == PUBLISHED


def test_it_refuses_an_article_without_text() -> None:
    with pytest.raises(articles.IngestError, match="no text"):
        pipeline.article_ingest(parsed=parsed(body="  \n "), extract=small_extraction)
    assert not Article.objects.exists()


def test_it_refuses_an_invalid_url_with_the_field_named() -> None:
    with pytest.raises(articles.IngestError, match="url"):
        pipeline.article_ingest(parsed=parsed(url="not a url"), extract=small_extraction)
    assert not Article.objects.exists()


def test_a_quote_from_an_unnamed_source_is_stored_with_the_source_as_written() -> None:
    body = "“We will not back down,” a senior official told reporters on Friday."

    pipeline.article_ingest(parsed=parsed(body=body), crises=[])

    statement = Statement.objects.get(text="We will not back down")
    assert statement.speaker is None
    assert statement.speaker_description == "a senior official"
    assert "a senior official" in str(statement)


# Who gave the app each article (issue 18 item 6)


def test_the_admin_import_records_who_imported_the_article(
    editor_client: Client, editor: Any, extraction: list
) -> None:
    form = {"text": BODY, "published_at": "2022-02-11 22:00", "source_name": "Reuters"}

    editor_client.post("/admin/timeline/article/import/", form)

    assert Article.objects.get().imported_by == editor


def test_the_api_records_who_submitted_the_article(
    editor_api: Any, editor: Any, extraction: list
) -> None:
    body = {"text": BODY, "published_at": "2022-02-11T22:00:00Z", "source_name": "Reuters"}

    assert editor_api.post("/api/v1/articles/ingest/", body, format="json").status_code == 201

    assert Article.objects.get().imported_by == editor


@pytest.mark.parametrize("queued", [False, True], ids=["in the foreground", "--async"])
def test_the_ingest_command_records_the_user_it_acts_as(
    tmp_path: Path, editor: Any, extraction: list, queued: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    args = [str(path), "--published", "2022-02-11T22:00Z", "--user", editor.username]
    if queued:
        monkeypatch.setattr("timeline.tasks.ingest_article.delay", lambda pk: None)
        args += ["--async", "--no-wait"]

    call_command("ingest", *args, stdout=io.StringIO(), stderr=io.StringIO())

    assert Article.objects.get().imported_by == editor


def test_an_article_the_system_ingests_has_no_importer(extraction: list) -> None:
    pipeline.article_ingest(parsed=parsed(), extract=small_extraction)

    assert Article.objects.get().imported_by is None


def test_a_dateline_without_a_year_is_dated_within_the_crisis_s_period() -> None:
    crisis = make_crisis(start_date=dt.date(2021, 11, 1), end_date=dt.date(2022, 6, 30))
    undated = parsed(published_at=None, dateline_day=(2, 22))

    result = pipeline.article_ingest(parsed=undated, crises=[crisis], extract=small_extraction)

    assert result.article.published_at == dt.datetime(2022, 2, 22, 12, 0, tzinfo=dt.UTC)


def test_an_open_crisis_reaches_half_a_year_past_its_latest_article_for_a_dateline() -> None:
    crisis = make_crisis(start_date=dt.date(2021, 11, 1))
    pipeline.article_ingest(parsed=parsed(), crises=[crisis], extract=small_extraction)
    undated = parsed(published_at=None, dateline_day=(3, 2), body=f"{BODY}\n\nTalks went on.")

    result = pipeline.article_ingest(parsed=undated, crises=[crisis], extract=small_extraction)

    assert result.article.published_at.date() == dt.date(2022, 3, 2)


def test_a_dateline_that_fits_no_single_year_of_the_crisis_is_refused_in_words() -> None:
    long_crisis = make_crisis(start_date=dt.date(2014, 2, 20), end_date=dt.date(2022, 6, 30))
    undated = parsed(published_at=None, dateline_day=(2, 22))

    with pytest.raises(articles.IngestError, match="publication date and time"):
        pipeline.article_ingest(parsed=undated, crises=[long_crisis], extract=small_extraction)
    with pytest.raises(articles.IngestError, match="publication date and time"):
        pipeline.article_ingest(parsed=undated, extract=small_extraction)
    assert not Article.objects.exists()


def test_the_ingest_command_names_its_option_for_a_missing_publication_time(
    tmp_path: Path, extraction: list
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    errors = io.StringIO()

    with pytest.raises(CommandError):
        call_command("ingest", str(path), stdout=io.StringIO(), stderr=errors)

    assert "Use --published 2022-02-11T22:00Z." in errors.getvalue()

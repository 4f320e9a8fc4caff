"""Bulk ingestion on Celery: queued articles are extracted once, retried, and fail visibly.

Without CELERY_BROKER_URL tasks run inline (the default set-up); the tests marked `redis` run a
real worker against the Redis on this machine, in its own database number.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tests.ingestion.test_ingestion import (
    BODY,
    PUBLISHED,
    failing_extraction,
    parsed,
    small_extraction,
)
from timeline import tasks
from timeline.models import Article, Event
from timeline.services import articles, drafts

if TYPE_CHECKING:
    from timeline.extraction.types import Extraction
    from timeline.ingestion.pipeline import Extract

REDIS_TEST_URL = "redis://127.0.0.1:6379/5"

ARTICLE = """US says more Russian troops mass near Ukraine

{body}
"""


class Counting:
    """An extraction function that counts its calls (from any thread)."""

    def __init__(self, inner: Extract) -> None:
        self.inner = inner
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, text: str, published: dt.date) -> Extraction:
        with self.lock:
            self.calls += 1
        return self.inner(text, published)


@pytest.fixture
def extraction(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting(small_extraction)
    monkeypatch.setattr(tasks, "EXTRACT", counting)
    return counting


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting(failing_extraction)
    monkeypatch.setattr(tasks, "EXTRACT", counting)
    return counting


def article_file(tmp_path: Path, n: int = 0) -> str:
    path = tmp_path / f"article-{n}.txt"
    path.write_text(ARTICLE.format(body=BODY + f"\n\n(Story {n}.)"))
    return str(path)


# --- inline (no broker): the default set-up -----------------------------------------------------


@pytest.mark.django_db
def test_ingest_async_runs_inline_without_a_broker(tmp_path: Path, extraction, capsys) -> None:
    files = [article_file(tmp_path, n) for n in range(3)]

    call_command("ingest", *files, "--async", "--published", "2022-02-11")

    out = capsys.readouterr().out
    assert "3 article(s) queued, 0 already stored, 0 refused." in out
    assert "3 article(s) ingested, 0 already stored, 0 failed." in out
    assert set(Article.objects.values_list("ingestion_status", flat=True)) == {"done"}
    assert all(article.citations.exists() for article in Article.objects.all())
    assert extraction.calls == 3


@pytest.mark.django_db
def test_an_article_already_extracted_is_not_queued_again(tmp_path: Path, extraction) -> None:
    path = article_file(tmp_path)
    call_command("ingest", path, "--async", "--published", "2022-02-11")

    call_command("ingest", path, "--async", "--published", "2022-02-11")

    assert extraction.calls == 1
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_article_is_retried_then_left_failed_with_its_error(
    tmp_path: Path, failing, settings, capsys
) -> None:
    settings.INGEST_MAX_RETRIES = 2

    with pytest.raises(CommandError, match="0 article\\(s\\) ingested, 0 already stored, 1 failed"):
        call_command("ingest", article_file(tmp_path), "--async", "--published", "2022-02-11")

    assert failing.calls == 3  # the first attempt and two retries
    article = Article.objects.get()
    assert article.ingestion_status == Article.IngestionStatus.FAILED
    assert "RuntimeError: the model crashed" in article.ingestion_error
    assert "the model crashed" in capsys.readouterr().err
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_retry_that_succeeds_leaves_the_article_done(settings, monkeypatch) -> None:
    attempts = []

    def flaky(text: str, published: dt.date) -> Extraction:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("the model server restarted")
        return small_extraction(text, published)

    monkeypatch.setattr(tasks, "EXTRACT", flaky)
    stored = articles.article_store_pending(parsed=parsed())

    tasks.ingest_article.delay(stored.article.pk)

    article = Article.objects.get()
    assert (article.ingestion_status, article.ingestion_error) == ("done", "")
    assert len(attempts) == 2 and Event.objects.count() == 1


@pytest.mark.django_db
def test_an_article_is_claimed_by_one_worker_only(extraction) -> None:
    stored = articles.article_store_pending(parsed=parsed(), published_at=PUBLISHED)
    assert stored.article.ingestion_status == Article.IngestionStatus.PENDING

    first = articles.article_claim(article_id=stored.article.pk)
    second = articles.article_claim(article_id=stored.article.pk)

    assert first is not None and first.ingestion_status == Article.IngestionStatus.PROCESSING
    assert second is None
    assert tasks.ingest_article.delay(stored.article.pk).get() == "skipped"
    assert extraction.calls == 0


@pytest.mark.django_db
def test_storing_pending_keeps_the_text_and_extracts_nothing() -> None:
    stored = articles.article_store_pending(parsed=parsed())

    assert stored.created and stored.pending
    article = Article.objects.get()
    assert article.text == BODY
    assert article.ingestion_status == Article.IngestionStatus.PENDING
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_worker_that_loses_the_race_for_a_new_actor_stores_again_at_once(
    extraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, attempts = drafts.drafts_store, []

    def raced(*args: Any) -> articles.IngestResult:
        attempts.append(1)
        if len(attempts) == 1:
            # What PostgreSQL says when another worker committed the same new actor first.
            raise IntegrityError('duplicate key value violates unique constraint "actor_slug"')
        return store(*args)

    monkeypatch.setattr(drafts, "drafts_store", raced)
    stored = articles.article_store_pending(parsed=parsed())

    assert tasks.ingest_article.delay(stored.article.pk).get() == "done"
    assert len(attempts) == 2 and extraction.calls == 1  # stored again, not parsed again
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.DONE
    assert Event.objects.count() == 1


# --- a real worker on the Redis of this machine -------------------------------------------------


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker(settings: Any) -> Iterator[Callable[[int], None]]:
    """Runs a Celery worker thread on Redis DB 5 until it has run `n` tasks, then stops it.

    Tests queue their articles first and read the results after the worker stops: on SQLite
    the test database is shared in memory between threads with table locks that fail instead
    of waiting, so the test and the worker must not touch it at the same time.
    """
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {REDIS_TEST_URL}; CI needs it running.")
        pytest.skip(f"Redis is not answering at {REDIS_TEST_URL}.")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from crisis.celery import app

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    settings.INGEST_RETRY_BACKOFF = 0
    settings.INGEST_MAX_RETRIES = 2
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_TEST_URL, task_always_eager=False)
    app._pool = app.amqp._producer_pool = None  # forget connections to another broker
    ran = threading.Semaphore(0)

    def count(**kwargs: object) -> None:
        ran.release()

    def run(n: int) -> None:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            for _ in range(n):
                assert ran.acquire(timeout=30), "the worker ran fewer tasks than expected"

    task_postrun.connect(count, weak=False)
    try:
        yield run
    finally:
        task_postrun.disconnect(count)
        app.conf.update(saved)
        app._pool = app.amqp._producer_pool = None


def statuses(pks: list[int]) -> dict[int, str]:
    return dict(Article.objects.filter(pk__in=pks).values_list("pk", "ingestion_status"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_on_redis_extracts_queued_articles(tmp_path: Path, extraction, worker) -> None:
    files = [article_file(tmp_path, n) for n in range(3)]
    call_command("ingest", *files, "--async", "--no-wait", "--published", "2022-02-11")
    pks = list(Article.objects.values_list("pk", flat=True))
    assert set(statuses(pks).values()) == {"pending"}

    worker(3)

    assert set(statuses(pks).values()) == {"done"}
    assert all(article.citations.exists() for article in Article.objects.all())
    assert extraction.calls == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_article_queued_twice_is_extracted_once(extraction, worker) -> None:
    stored = articles.article_store_pending(parsed=parsed())
    tasks.ingest_article.delay(stored.article.pk)
    tasks.ingest_article.delay(stored.article.pk)

    worker(2)

    assert statuses([stored.article.pk]) == {stored.article.pk: "done"}
    assert extraction.calls == 1
    assert Event.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_redis_a_failing_article_is_retried_then_marked_failed(failing, worker) -> None:
    stored = articles.article_store_pending(parsed=parsed())
    tasks.ingest_article.delay(stored.article.pk)

    worker(3)  # the first attempt and two retries

    assert statuses([stored.article.pk]) == {stored.article.pk: "failed"}
    assert failing.calls == 3
    assert "the model crashed" in Article.objects.get().ingestion_error


@pytest.mark.django_db
def test_an_article_abandoned_by_a_dead_worker_is_claimed_again(settings) -> None:
    settings.INGEST_STALE_SECONDS = 600
    stored = articles.article_store_pending(parsed=parsed())
    assert articles.article_claim(article_id=stored.article.pk) is not None
    # A fresh "processing" article belongs to a live worker.
    assert articles.article_claim(article_id=stored.article.pk) is None

    long_ago = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    Article.objects.filter(pk=stored.article.pk).update(updated_at=long_ago)

    assert articles.article_claim(article_id=stored.article.pk) is not None

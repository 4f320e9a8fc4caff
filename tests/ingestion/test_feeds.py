"""Watched feeds: polled on loopback, each new entry ingested once into the review queue.

The feeds and their articles are served by a small HTTP server in the test process; the NLP
pipeline is swapped for the small hand-made extraction (tests/ingestion/test_ingestion.py).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.factories import make_crisis
from tests.ingestion.test_celery import worker  # noqa: F401  (the real worker's fixture)
from tests.ingestion.test_fetch import serving
from tests.ingestion.test_ingestion import BODY, small_extraction
from timeline import tasks
from timeline.ingestion import feeds
from timeline.models import Article, FeedEntry, FeedPoll, Statement, Status, WatchedFeed
from timeline.services import feeds as feed_services

pytestmark = pytest.mark.django_db


def article_text(n: int) -> str:
    return (
        f"Russian troops mass near Ukraine ({n})\n\nBy Jane Doe\n\n"
        f"Friday, February 11, 2022\n\n{BODY}\n\n(Story {n}.)"
    )


def rss(*items: tuple[str, ...]) -> bytes:
    """An RSS 2.0 feed of (guid, link path, title[, category]) items; links are relative to the
    server."""
    body = "".join(
        f"<item><guid>{guid}</guid><link>{link}</link><title>{title}</title>"
        + "".join(f"<category>{c}</category>" for c in category)
        + "<pubDate>Fri, 11 Feb 2022 18:00:00 GMT</pubDate></item>"
        for guid, link, title, *category in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>World</title>'
        f"<link>http://example.org/</link><description>News</description>{body}</channel></rss>"
    ).encode()


class Site:
    """What the loopback server answers; tests change it between polls."""

    def __init__(self) -> None:
        self.feed = rss(("a1", "/articles/1", "Troops mass near Ukraine"))
        self.etag = '"v1"'
        self.requests: list[str] = []
        self.lock = threading.Lock()


SITE = Site()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def send(self, body: bytes, content_type: str, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with SITE.lock:
            SITE.requests.append(self.path)
        if self.path.split("?")[0] == "/feed.xml":
            if self.headers.get("If-None-Match") == SITE.etag:
                self.send_response(304)
                self.send_header("ETag", SITE.etag)
                self.end_headers()
                return
            self.send(SITE.feed, "application/rss+xml", ETag=SITE.etag)
        elif self.path.count("/") >= 2 and self.path.rsplit("/", 1)[1].isdigit():
            n = int(self.path.rsplit("/", 1)[1])
            if n == 404:
                self.send(b"gone", "text/plain", status=404)
            else:
                self.send(article_text(n).encode(), "text/plain; charset=utf-8")
        elif self.path == "/broken.xml":
            self.send(b"<html><body>Down for maintenance</body></html>", "text/html")
        elif self.path == "/sitemap.xml":
            self.send(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                b"<url><loc>/articles/7</loc><news:news><news:title>Troops mass</news:title>"
                b"<news:publication_date>2022-02-11T18:00:00Z</news:publication_date>"
                b"</news:news></url></urlset>",
                "application/xml",
            )
        elif self.path == "/slow.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send(b"No such route", "text/plain", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as url:
        yield url


@pytest.fixture(autouse=True)
def loopback(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    settings.FEED_HOST_DELAY = 0
    settings.FEED_FETCH_TIMEOUT = 1
    monkeypatch.setattr(
        "timeline.extraction.pipeline.extract",
        lambda text, day, title="": small_extraction(text, day),
    )
    SITE.__init__()  # type: ignore[misc]
    yield


def watch(server: str, path: str = "/feed.xml", **fields: Any) -> WatchedFeed:
    crisis = fields.pop("crisis", None) or make_crisis()
    fields = {"name": "World news", "outlet": "Reuters", **fields}
    return WatchedFeed.objects.create(crisis=crisis, url=f"{server}{path}", **fields)


def poll(feed: WatchedFeed) -> FeedPoll:
    feed.refresh_from_db()
    return feeds.feed_poll(feed=feed)


# New entries


def test_a_new_entry_is_ingested_into_the_review_queue(server: str) -> None:
    feed = watch(server)

    result = poll(feed)

    assert (result.status, result.entries, result.new_entries, result.ingested) == ("ok", 1, 1, 1)
    article = Article.objects.get()
    assert article.url == f"{server}/articles/1"
    assert article.source is not None and article.source.name == "Reuters"
    assert list(article.crises.all()) == [feed.crisis]
    assert Statement.objects.get().status == Status.DRAFT  # never published by itself
    entry = FeedEntry.objects.get()
    assert (entry.status, entry.article) == (FeedEntry.Status.INGESTED, article)
    feed.refresh_from_db()
    assert feed.entries_found == 1 and feed.failures == 0
    assert feed.next_poll_at == result.polled_at + dt.timedelta(minutes=feed.interval_minutes)


def test_an_unchanged_feed_answers_304_and_nothing_is_fetched_again(server: str) -> None:
    feed = watch(server)
    poll(feed)
    SITE.requests.clear()

    again = poll(feed)

    assert (again.status, again.http_status, again.new_entries) == ("not-modified", 304, 0)
    assert SITE.requests == ["/feed.xml"]
    assert Article.objects.count() == 1


def test_a_changed_feed_brings_only_its_new_entries(server: str) -> None:
    feed = watch(server)
    poll(feed)
    SITE.feed = rss(("a1", "/articles/1", "Troops mass"), ("a2", "/articles/2", "More troops"))
    SITE.etag = '"v2"'
    SITE.requests.clear()

    result = poll(feed)

    assert (result.entries, result.new_entries, result.ingested) == (2, 1, 1)
    assert "/articles/1" not in SITE.requests
    assert Article.objects.count() == 2


def test_an_entry_listed_twice_or_by_two_feeds_is_ingested_once(server: str) -> None:
    SITE.feed = rss(("a1", "/articles/1", "Troops"), ("a1", "/articles/1", "Troops"))
    first = watch(server)
    poll(first)
    second = watch(server, crisis=first.crisis, name="Top news", path="/feed.xml?top")
    SITE.feed = rss(("other-id", "/articles/1", "Troops"))

    poll(second)

    assert Article.objects.count() == 1
    assert FeedEntry.objects.filter(article__isnull=False).count() == 2


def test_the_keywords_leave_other_entries_out(server: str) -> None:
    SITE.feed = rss(
        ("a1", "/articles/1", "Troops mass near Ukraine"), ("a2", "/articles/2", "Cup final")
    )
    feed = watch(server, keywords="ukraine, kremlin")

    result = poll(feed)

    assert result.ingested == 1
    skipped = FeedEntry.objects.get(status=FeedEntry.Status.SKIPPED)
    assert skipped.title == "Cup final"
    assert not Article.objects.filter(url__endswith="/articles/2").exists()


def test_the_sections_leave_entries_of_other_sections_out(server: str) -> None:
    SITE.feed = rss(
        ("a1", "/world/europe/1", "Troops mass", "World"),
        ("a2", "/sport/2", "Cup final", "Sport"),
        ("a3", "/business/3", "Rouble falls", "Markets"),
    )
    feed = watch(server, sections="/world/, markets")

    poll(feed)

    statuses = dict(FeedEntry.objects.values_list("key", "status"))
    assert statuses == {"a1": "ingested", "a2": "skipped", "a3": "ingested"}


def test_a_sitemap_s_pages_are_ingested_with_its_dates(server: str) -> None:
    feed = watch(server, path="/sitemap.xml", kind=WatchedFeed.Kind.SITEMAP)

    result = poll(feed)

    assert result.ingested == 1
    assert Article.objects.get().url == f"{server}/articles/7"


def test_auto_publish_publishes_only_what_clears_the_confidence_rule(server: str) -> None:
    feed = watch(server, auto_publish=True, auto_publish_confidence=0.9)

    poll(feed)

    statement = Statement.objects.get()  # the small extraction's quote, at 0.95
    assert statement.status == Status.PUBLISHED
    assert statement.speaker is not None and statement.speaker.status == Status.PUBLISHED
    event = Article.objects.get().citations.get(event__isnull=False).event
    assert event is not None and event.status == Status.DRAFT  # at 0.7


# Failures: recorded, retried, never lost


def test_a_broken_feed_keeps_its_history_and_backs_off(server: str) -> None:
    feed = watch(server, path="/broken.xml")

    first = poll(feed)
    second_at = timezone.now() + dt.timedelta(hours=1)
    feed_services.feed_claim(feed_id=feed.pk, now=second_at)
    second = feeds.feed_poll(feed=WatchedFeed.objects.get(pk=feed.pk))

    assert first.status == second.status == "failed"
    assert "not a readable RSS or Atom feed" in first.error
    feed.refresh_from_db()
    assert feed.failures == 2
    assert FeedPoll.objects.filter(feed=feed).count() == 2
    interval = dt.timedelta(minutes=feed.interval_minutes)
    assert feed.next_poll_at is not None
    assert feed.next_poll_at - second.polled_at == interval * 4


def test_a_slow_host_is_abandoned_at_the_deadline(server: str) -> None:
    feed = watch(server, path="/slow.xml")

    result = poll(feed)

    assert result.status == "failed" and "took too long" in result.error


def test_an_article_that_fails_is_retried_at_the_next_polls_then_left(server: str) -> None:
    SITE.feed = rss(("gone", "/articles/404", "Gone"))
    feed = watch(server)

    for _ in range(FeedEntry.MAX_ATTEMPTS + 1):
        SITE.etag = f'"{time.monotonic()}"'  # a changed feed each time
        poll(feed)

    entry = FeedEntry.objects.get()
    assert entry.status == FeedEntry.Status.FAILED and "404" in entry.error
    assert entry.attempts == FeedEntry.MAX_ATTEMPTS
    assert SITE.requests.count("/articles/404") == FeedEntry.MAX_ATTEMPTS


def test_a_feed_is_polled_by_one_worker_at_a_time(server: str) -> None:
    feed = watch(server)

    assert feed_services.feed_claim(feed_id=feed.pk) is not None
    assert feed_services.feed_claim(feed_id=feed.pk) is None
    assert feeds.feed_poll_by_id(feed_id=feed.pk) is None


# The command and the Celery tasks


def test_poll_feeds_once_polls_the_due_feeds_and_says_what_it_found(server: str) -> None:
    watch(server)
    out = io.StringIO()

    call_command("poll_feeds", "--once", stdout=out)

    assert "1 entries, 1 new, 1 stored" in out.getvalue()
    assert Article.objects.count() == 1
    call_command("poll_feeds", "--once", stdout=out)  # not due again yet
    assert FeedPoll.objects.count() == 1


def test_poll_feeds_without_feeds_says_what_to_do() -> None:
    with pytest.raises(CommandError, match="No active watched feed"):
        call_command("poll_feeds", "--once")


def test_the_beat_task_queues_a_poll_of_each_due_feed(server: str) -> None:
    due = watch(server)
    later = watch(server, crisis=due.crisis, name="Later", path="/feed.xml?later")
    WatchedFeed.objects.filter(pk=later.pk).update(
        next_poll_at=timezone.now() + dt.timedelta(hours=1)
    )

    assert tasks.poll_due_feeds.delay().get() == 1  # inline without a broker

    assert list(FeedPoll.objects.values_list("feed", flat=True)) == [due.pk]
    assert Article.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_celery_worker_on_redis_polls_the_due_feeds_end_to_end(
    server: str,
    worker: Callable[[int], None],  # noqa: F811
) -> None:
    feed = watch(server)
    tasks.poll_due_feeds.delay()

    worker(2)  # the beat's task, then the feed's poll it queued

    assert FeedPoll.objects.get().status == WatchedFeed.Status.OK
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.DONE
    assert FeedEntry.objects.get(feed=feed).status == FeedEntry.Status.INGESTED


def test_only_a_publisher_may_turn_auto_publish_on_in_the_admin(
    editor: User, publisher: User, server: str
) -> None:
    feed = watch(server)
    url = f"/admin/timeline/watchedfeed/{feed.pk}/change/"

    def page_for(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.get(url).content.decode()

    assert 'name="auto_publish"' not in page_for(editor)
    assert 'name="auto_publish"' in page_for(publisher)

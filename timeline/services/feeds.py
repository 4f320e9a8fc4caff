"""Watched feeds: claiming a feed for a poll, recording what the poll found, auto-publishing.

The poll itself (fetching, parsing, ingesting each entry) is timeline.ingestion.feeds; these are
the writes it makes, each in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from timeline.models import Article, Event, Statement, Status
from timeline.models.feeds import FeedEntry, FeedPoll, WatchedFeed
from timeline.services.editorial import items_publish


def can_auto_publish(user: object) -> bool:
    """Whether `user` may let a feed publish by itself: one who may publish what it yields."""
    has_perm = getattr(user, "has_perm", None)
    return bool(
        has_perm and has_perm("timeline.publish_event") and has_perm("timeline.publish_statement")
    )


def feed_claim(*, feed_id: int, now: dt.datetime | None = None) -> WatchedFeed | None:
    """Take a due feed for a poll, or None when it is not due (or another worker took it).

    One conditional UPDATE moves its next poll a lease ahead (FEED_POLL_LEASE seconds), so two
    beat ticks or two workers never poll one feed at once; `feed_record_poll` then sets the real
    next poll. A worker that dies mid-poll leaves the feed due again when the lease ends.
    """
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=settings.FEED_POLL_LEASE)
    claimed = (
        WatchedFeed.objects.filter(pk=feed_id, active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .update(next_poll_at=lease)
    )
    return WatchedFeed.objects.select_related("crisis").get(pk=feed_id) if claimed else None


@dataclass(frozen=True)
class PollResult:
    """What one poll of a feed found, for `feed_record_poll`."""

    status: str  # a WatchedFeed.Status
    http_status: int | None = None
    entries: int = 0
    new_entries: int = 0
    ingested: int = 0
    error: str = ""
    etag: str = ""
    last_modified: str = ""


@transaction.atomic
def feed_record_poll(
    *, feed: WatchedFeed, result: PollResult, now: dt.datetime | None = None
) -> FeedPoll:
    """Keep a poll in the feed's history and set when it is polled next: its interval after a
    good poll, longer after each failure in a row."""
    now = now or timezone.now()
    failed = result.status == WatchedFeed.Status.FAILED
    feed.failures = feed.failures + 1 if failed else 0
    feed.status = result.status
    feed.last_polled_at = now
    feed.last_error = result.error
    feed.next_poll_at = feed.next_poll_after(now, failed=failed)
    if not failed and result.status != WatchedFeed.Status.NOT_MODIFIED:
        # A feed that stops sending validators must not keep being asked with old ones.
        feed.etag, feed.last_modified = result.etag, result.last_modified
    fields = ["failures", "status", "last_polled_at", "last_error", "next_poll_at"]
    fields += ["etag", "last_modified"]
    feed.save(update_fields=fields)
    WatchedFeed.objects.filter(pk=feed.pk).update(
        entries_found=F("entries_found") + result.new_entries
    )
    feed.refresh_from_db(fields=["entries_found"])
    return FeedPoll.objects.create(
        feed=feed,
        polled_at=now,
        status=result.status,
        http_status=result.http_status,
        entries=result.entries,
        new_entries=result.new_entries,
        ingested=result.ingested,
        error=result.error,
    )


def feed_schedule_now(*, feeds: list[WatchedFeed]) -> int:
    """Make feeds due at once (the admin's "Poll now"); says how many."""
    return WatchedFeed.objects.filter(pk__in=[f.pk for f in feeds]).update(next_poll_at=None)


def entry_record(
    *,
    feed: WatchedFeed,
    key: str,
    url: str,
    title: str,
    status: str,
    article: Article | None = None,
    error: str = "",
) -> FeedEntry:
    """Remember an entry and what became of it; a retried entry counts one more attempt."""
    entry, created = FeedEntry.objects.get_or_create(
        feed=feed,
        key=key,
        defaults={"url": url, "title": title[:500], "status": status, "attempts": 1},
    )
    if not created:
        entry.attempts += 1
    entry.status, entry.article, entry.error = status, article, error
    entry.url, entry.title = url, title[:500]
    entry.save()
    return entry


@transaction.atomic
def article_auto_publish(*, article: Article, confidence: float) -> int:
    """Publish the drafts an article yielded at or above `confidence`, as the system (a feed an
    editor trusts with auto-publish); says how many items were published."""
    cited = Q(citations__article=article)
    events = Event.objects.filter(cited, status=Status.DRAFT, confidence__gte=confidence)
    statements = Statement.objects.filter(cited, status=Status.DRAFT, confidence__gte=confidence)
    published = 0
    for items in (events.distinct(), statements.distinct()):
        if items.exists():
            published += items_publish(items=items, by=None).items
    return published

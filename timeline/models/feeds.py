"""Outlets the app follows: a crisis's watched feeds, each poll of them, and every entry seen.

A feed (RSS, Atom or a news sitemap) is polled on its own interval; each new entry goes through
the normal ingestion into the review queue. `FeedEntry` remembers every entry ever seen, so an
entry is ingested once however often the feed repeats it, and `FeedPoll` keeps the history of
polls, failures included, for the admin.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Self
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils import timezone

from timeline.models.editorial import Crisis
from timeline.models.sources import Article

# How long a feed that keeps failing waits at most before it is tried again.
MAX_BACKOFF = dt.timedelta(hours=24)


class WatchedFeedQuerySet(models.QuerySet["WatchedFeed"]):
    def due(self, now: dt.datetime | None = None) -> Self:
        """Active feeds whose next poll has come."""
        now = now or timezone.now()
        return self.filter(active=True).filter(
            Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
        )


class WatchedFeed(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS or Atom feed"
        SITEMAP = "sitemap", "Sitemap (news or plain)"

    class Status(models.TextChoices):
        NEW = "new", "Not polled yet"
        OK = "ok", "New entries read"
        NOT_MODIFIED = "not-modified", "Unchanged since the last poll"
        FAILED = "failed", "Failed"

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(max_length=200, help_text="What editors call it, e.g. Reuters World.")
    url = models.URLField(max_length=2000, help_text="The feed's or sitemap's address.")
    outlet = models.CharField(
        max_length=200,
        blank=True,
        help_text="The outlet its articles are stored under, e.g. Reuters; empty: read from each "
        "article's page.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEED)
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Only entries whose title or summary holds one of these words or phrases "
        "(comma-separated, any case) are ingested; empty takes every entry.",
    )
    sections = models.CharField(
        max_length=500,
        blank=True,
        help_text="Only entries of these sections: the outlet's own categories (World, Europe) or "
        "the start of the entry's address path (/world/europe/), comma-separated; empty takes "
        "every section.",
    )
    interval_minutes = models.PositiveIntegerField(
        default=30, help_text="How often it is polled, in minutes."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop polling it.")
    auto_publish = models.BooleanField(
        default=False,
        help_text="Publish what its articles yield at or above the confidence below, without "
        "review. Off: everything waits in the review queue.",
    )
    auto_publish_confidence = models.FloatField(
        default=0.9, help_text="The least confidence an item needs to be published by itself."
    )

    # What the last polls found, for conditional GETs and the admin.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    last_error = models.TextField(blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Polls failed in a row."
    )
    entries_found = models.PositiveIntegerField(
        default=0, editable=False, help_text="Entries ever read from it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchedFeedQuerySet.as_manager()

    class Meta:
        ordering = ["crisis", "name"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "url"], name="one_watch_per_crisis_feed")
        ]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]

    def wants(self, text: str) -> bool:
        """Whether an entry with this title and summary passes the keyword filter."""
        words = self.keyword_list()
        if not words:
            return True
        lowered = text.lower()
        return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) for word in words)

    def in_sections(self, url: str, categories: Sequence[str]) -> bool:
        """Whether an entry at `url`, filed under `categories`, passes the section filter."""
        wanted = [s.strip() for s in self.sections.split(",") if s.strip()]
        if not wanted:
            return True
        path = urlsplit(url).path.lower()
        filed = {c.strip().lower() for c in categories}
        return any(
            path.startswith(w.lower()) if w.startswith("/") else w.lower() in filed for w in wanted
        )

    def next_poll_after(self, now: dt.datetime, *, failed: bool) -> dt.datetime:
        """The interval after a good poll; after failures, twice as long for each (at most a
        day), so a broken host is not hammered."""
        interval = dt.timedelta(minutes=self.interval_minutes)
        if failed:
            interval = min(interval * 2 ** min(self.failures, 10), max(MAX_BACKOFF, interval))
        return now + interval


class FeedPoll(models.Model):
    """One poll of a feed: when, what it answered, what was new."""

    feed = models.ForeignKey(WatchedFeed, on_delete=models.CASCADE, related_name="polls")
    polled_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=WatchedFeed.Status.choices)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    entries = models.PositiveIntegerField(default=0, help_text="Entries the feed listed.")
    new_entries = models.PositiveIntegerField(default=0, help_text="Entries not seen before.")
    ingested = models.PositiveIntegerField(default=0, help_text="Articles stored for review.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-polled_at", "-pk"]
        get_latest_by = "polled_at"

    def __str__(self) -> str:
        return f"{self.feed} at {self.polled_at:%Y-%m-%d %H:%M}: {self.get_status_display()}"


class FeedEntry(models.Model):
    """An entry a feed listed, once: its article, or why it has none."""

    class Status(models.TextChoices):
        INGESTED = "ingested", "Ingested"
        SKIPPED = "skipped", "Left out by the keywords or sections"
        FAILED = "failed", "Failed (retried at the next polls)"

    # How many polls try again an entry whose article could not be fetched or read.
    MAX_ATTEMPTS = 3

    feed = models.ForeignKey(WatchedFeed, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=2000, help_text="The entry's id, or its link.")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["feed", "key"], name="one_entry_per_feed_key")
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def retryable(self) -> bool:
        return self.status == self.Status.FAILED and self.attempts < self.MAX_ATTEMPTS

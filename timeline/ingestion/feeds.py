"""Polling a watched feed: fetch it (conditionally), read its entries, ingest the new ones.

Feeds are fetched by the same SSRF-safe fetcher as articles, with the validators of the last
answer (ETag, Last-Modified), so an unchanged feed costs one 304. RSS and Atom are read by
`feedparser`, sitemaps (news or plain) with `defusedxml`. Every entry is remembered
(`FeedEntry`): one already ingested or left out by the keywords is never fetched again, one
whose article failed is retried at the next polls. Each article goes through the normal
ingestion into the review queue; only a feed an editor set to auto-publish publishes, and
only what clears its confidence rule. Requests to one host keep FEED_HOST_DELAY seconds apart.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import feedparser
from defusedxml import ElementTree
from django.conf import settings
from django.utils import timezone

from timeline.extraction.article_text import ParseError
from timeline.ingestion import pipeline
from timeline.ingestion.fetch import FEED_CONTENT_TYPES, FetchError, Validators, fetch_url
from timeline.ingestion.sources import load_source
from timeline.models import Article
from timeline.models.feeds import FeedEntry, FeedPoll, WatchedFeed
from timeline.services import feeds

logger = logging.getLogger(__name__)


class FeedError(ValueError):
    """The feed could not be read; the message says what went wrong."""


@dataclass(frozen=True)
class Entry:
    key: str  # the entry's id, or its link
    url: str
    title: str = ""
    summary: str = ""
    published: dt.datetime | None = None
    categories: tuple[str, ...] = ()  # the outlet's sections it is filed under


def feeds_poll_due(*, now: dt.datetime | None = None) -> list[FeedPoll]:
    """Poll every feed that is due, one after the other: `manage.py poll_feeds --once`."""
    now = now or timezone.now()
    polls = []
    for feed_id in WatchedFeed.objects.due(now).values_list("pk", flat=True):
        poll = feed_poll_by_id(feed_id=feed_id, now=now)
        if poll is not None:
            polls.append(poll)
    return polls


def feed_poll_by_id(*, feed_id: int, now: dt.datetime | None = None) -> FeedPoll | None:
    """Claim a due feed and poll it; None when it was not due or another worker has it."""
    feed = feeds.feed_claim(feed_id=feed_id, now=now)
    return feed_poll(feed=feed) if feed is not None else None


def feed_poll(*, feed: WatchedFeed) -> FeedPoll:
    """Poll one feed now and record the poll; a failure is recorded too, never raised."""
    try:
        result = _poll(feed)
    except (FeedError, FetchError) as exc:
        logger.info("Polling feed %s failed: %s", feed.url, exc)
        result = feeds.PollResult(status=WatchedFeed.Status.FAILED, error=str(exc))
    return feeds.feed_record_poll(feed=feed, result=result)


def _poll(feed: WatchedFeed) -> feeds.PollResult:
    _keep_host_delay(feed.url)
    page = fetch_url(
        feed.url,
        max_bytes=settings.FEED_MAX_BYTES,
        timeout=settings.FEED_FETCH_TIMEOUT,
        accept=FEED_CONTENT_TYPES,
        validators=Validators(etag=feed.etag, last_modified=feed.last_modified),
        decode=False,
    )
    if page.not_modified:
        return feeds.PollResult(
            status=WatchedFeed.Status.NOT_MODIFIED,
            http_status=304,
            etag=page.etag,
            last_modified=page.last_modified,
        )
    listed = read_entries(page.content, base_url=page.final_url, kind=feed.kind)
    seen = {
        entry.key: entry
        for entry in FeedEntry.objects.filter(feed=feed, key__in=[e.key for e in listed])
    }
    new = ingested = 0
    for entry in listed:
        known = seen.get(entry.key)
        if known is not None and not known.retryable:
            continue
        new += known is None
        ingested += _take(feed, entry)
    return feeds.PollResult(
        status=WatchedFeed.Status.OK,
        http_status=page.status,
        entries=len(listed),
        new_entries=new,
        ingested=ingested,
        etag=page.etag,
        last_modified=page.last_modified,
    )


def _take(feed: WatchedFeed, entry: Entry) -> bool:
    """Ingest one entry's article, or record why not; True when an article was stored."""
    record = _recorder(feed, entry)
    wanted = feed.wants(f"{entry.title}\n{entry.summary}")
    if not wanted or not feed.in_sections(entry.url, entry.categories):
        record(status=FeedEntry.Status.SKIPPED)
        return False
    _keep_host_delay(entry.url)
    try:
        parsed = load_source(entry.url)
    except ParseError as exc:
        record(status=FeedEntry.Status.FAILED, error=str(exc))
        return False
    if entry.published is not None:
        # The page's own date wins; the feed's stands in where the page gives none.
        parsed = [replace(p, published_at=p.published_at or entry.published) for p in parsed]
    outcomes = list(
        pipeline.ingest_parsed(
            parsed, label=entry.url, crises=[feed.crisis], source_name=feed.outlet
        )
    )
    stored = next((o.result for o in outcomes if o.result is not None), None)
    if stored is None:
        error = next((o.error for o in outcomes if o.error), "The page held no article.")
        record(status=FeedEntry.Status.FAILED, error=error)
        return False
    record(status=FeedEntry.Status.INGESTED, article=stored.article)
    if feed.auto_publish:
        feeds.article_auto_publish(article=stored.article, confidence=feed.auto_publish_confidence)
    return stored.created


def _recorder(feed: WatchedFeed, entry: Entry) -> Callable[..., FeedEntry]:
    """`feeds.entry_record` for this entry: what became of it."""

    def record(*, status: str, article: Article | None = None, error: str = "") -> FeedEntry:
        return feeds.entry_record(
            feed=feed,
            key=entry.key,
            url=entry.url,
            title=entry.title,
            status=status,
            article=article,
            error=error,
        )

    return record


# --------------------------------------------------------------------------------------------
# Reading entries


def read_entries(
    content: bytes, *, base_url: str, kind: str = WatchedFeed.Kind.FEED
) -> list[Entry]:
    """The entries of an RSS/Atom feed or a sitemap, in the order listed. FeedError when the
    document is neither, or lists nothing readable."""
    if kind == WatchedFeed.Kind.SITEMAP:
        return _sitemap_entries(content, base_url)
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        # An HTML page (a maintenance notice, a login wall) parses as a feed of no known kind.
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom element in it"
        raise FeedError(f"{base_url} is not a readable RSS or Atom feed ({reason}).")
    entries = []
    for item in parsed.entries:
        link = str(item.get("link") or "").strip()
        if not link:
            continue
        url = urljoin(base_url, link)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        key = str(item.get("id") or item.get("guid") or url)[:2000]
        entries.append(
            Entry(
                key=key,
                url=url,
                title=str(item.get("title") or ""),
                summary=str(item.get("summary") or ""),
                published=_entry_time(item),
                categories=tuple(
                    str(tag.get("term") or "") for tag in item.get("tags") or [] if tag.get("term")
                ),
            )
        )
    return entries


def _entry_time(item: feedparser.FeedParserDict) -> dt.datetime | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _sitemap_entries(content: bytes, base_url: str) -> list[Entry]:
    try:
        root = ElementTree.fromstring(content)
    except Exception as exc:  # defusedxml's refusals and expat's errors alike
        raise FeedError(f"{base_url} is not a readable sitemap ({exc}).") from None
    if root.tag not in (f"{_SITEMAP}urlset", "urlset"):
        raise FeedError(f"{base_url} is not a sitemap of pages (a <urlset>).")
    entries = []
    for node in root:
        location = (node.findtext(f"{_SITEMAP}loc") or node.findtext("loc") or "").strip()
        url = urljoin(base_url, location)
        if not location or urlsplit(url).scheme not in ("http", "https"):
            continue
        title = (node.findtext(f"{_NEWS}news/{_NEWS}title") or "").strip()
        stamp = node.findtext(f"{_NEWS}news/{_NEWS}publication_date") or node.findtext(
            f"{_SITEMAP}lastmod"
        )
        entries.append(Entry(key=url, url=url, title=title, published=_iso_time(stamp)))
    return entries


def _iso_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------
# Politeness

_last_request: dict[str, float] = {}
_lock = threading.Lock()


def _keep_host_delay(url: str) -> None:
    """Wait until FEED_HOST_DELAY seconds have passed since this process last asked the host."""
    host = (urlsplit(url).hostname or "").lower()
    delay = float(settings.FEED_HOST_DELAY)
    with _lock:
        now = time.monotonic()
        ready = _last_request.get(host, 0.0) + delay
        _last_request[host] = max(now, ready)
    if ready > now:
        time.sleep(ready - now)

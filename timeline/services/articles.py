"""Ingestion: an article and everything extracted from it, stored together or not at all."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from timeline.models import Actor, Article, Crisis, Event, Statement, content_hash
from timeline.services import copies, drafts
from timeline.services.common import reviewer
from timeline.services.directory import directory_fill

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from timeline.extraction.article_text import ParsedArticle
    from timeline.extraction.types import Extraction
    from timeline.services.common import User


class IngestError(ValueError):
    """The article cannot be ingested as given; the message says what to do."""


# Said to editors, the API and the command line alike; each names its own field for it.
NO_PUBLICATION_TIME = (
    "The article's publication time could not be recognised: give it with the article "
    "(its publication date and time, for example 2022-02-11 22:00 UTC)."
)


@dataclass
class IngestResult:
    article: Article
    created: bool  # False when the same article was already stored
    # False when it was extracted already and left as it was (a no-op). True for a new article,
    # a forced re-extraction, and a retry of one whose ingestion failed or whose worker died.
    extracted: bool = True
    actors: list[Actor] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Items already on the timeline that this article reports too (a citation was proposed).
    corroborated: list[Event | Statement] = field(default_factory=list)

    @property
    def drafts(self) -> int:
        return len(self.statements) + len(self.events)


def crisis_get_or_create(*, slug: str, title: str = "", summary: str = "") -> Crisis:
    """The crisis with this slug, created (titled after the slug unless given) if new."""
    crisis, _ = Crisis.objects.get_or_create(
        slug=slug, defaults={"title": title or slug.replace("-", " ").title(), "summary": summary}
    )
    return crisis


def article_find_existing(*, url: str, text: str) -> Article | None:
    """The stored article with the same URL or the same text, if any."""
    query = Q(content_hash=content_hash(text))
    if url:
        query |= Q(url=url)
    return Article.objects.filter(query).order_by("pk").first()


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    created: bool  # False when the article was already stored
    pending: bool  # waiting for extraction; False when it was extracted already


def article_store_pending(
    *,
    parsed: ParsedArticle,
    published_at: dt.datetime | None = None,
    crises: Sequence[Crisis] = (),
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
) -> StoredArticle:
    """Store an article, with its text, as "pending" extraction: the first step of ingesting.

    An article already extracted is left as it is (unless `force`), only added to `crises`;
    one that failed, or that `force` re-extracts, is set pending again. Refuses, with
    IngestError, an article without text, without a publication time, or with bad fields.
    """
    if not parsed.body.strip():
        raise IngestError("The article has no text to extract from.")
    published_at = published_at or parsed.published_at
    if published_at is None and parsed.dateline_day:
        published_at = _published_by_dateline(parsed.dateline_day, crises)
    if published_at is None:
        raise IngestError(NO_PUBLICATION_TIME)
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)

    existing = article_find_existing(url=parsed.url, text=parsed.body)
    if existing is None:
        article = _article_build(parsed, published_at)
        article.imported_by = reviewer(by)
        try:
            with transaction.atomic():
                _article_save(
                    article,
                    outlet_name=source_name or parsed.source_name,
                    agency_name=parsed.agency,
                )
                article.crises.add(*crises)
            return StoredArticle(article=article, created=True, pending=True)
        except IntegrityError:
            # Stored by another process since we looked (two workers given the same batch).
            existing = article_find_existing(url=parsed.url, text=parsed.body)
            if existing is None:
                raise
    existing.crises.add(*crises)
    if existing.ingestion_status == Article.IngestionStatus.DONE and not force:
        return StoredArticle(article=existing, created=False, pending=False)
    if (
        existing.ingestion_status != Article.IngestionStatus.DONE
        and existing.content_hash != content_hash(parsed.body)
    ):
        # The same address with other text: the page (or file) was corrected since it failed.
        # An article never extracted has no drafts citing its old text, so it is read again.
        _article_reread(existing, _article_build(parsed, published_at, new=False))
    waiting = Article.objects.filter(pk=existing.pk)
    if not force:
        # Never pull an article from under the worker extracting it.
        waiting = waiting.exclude(ingestion_status=Article.IngestionStatus.PROCESSING)
    waiting.update(ingestion_status=Article.IngestionStatus.PENDING, updated_at=timezone.now())
    existing.refresh_from_db(fields=["ingestion_status"])
    return StoredArticle(article=existing, created=False, pending=True)


OPEN_CRISIS_DATELINE_REACH = dt.timedelta(days=183)


def _published_by_dateline(
    month_day: tuple[int, int], crises: Sequence[Crisis]
) -> dt.datetime | None:
    """The day of a dateline without a year ("BERLIN, Feb 22 (Reuters)") in the one year that
    puts it within the article's crises' periods; None when no period or several years fit.

    A crisis still open runs, for this, to half a year after its latest article (or its start):
    a story's dateline is near the others'. Noon UTC, so that the day stays the same in the time
    zones of nearly every dateline."""
    month, day = month_day
    today = timezone.now().date()
    days = set()
    for crisis in crises:
        if crisis.start_date is None:
            continue
        last = crisis.end_date
        if last is None:
            latest = crisis.articles.aggregate(latest=Max("published_at"))["latest"]
            reach = max(crisis.start_date, latest.date()) if latest else crisis.start_date
            last = min(today, reach + OPEN_CRISIS_DATELINE_REACH)
        for year in range(crisis.start_date.year, last.year + 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:  # 29 February of a common year
                continue
            if crisis.start_date <= candidate <= last:
                days.add(candidate)
    if len(days) != 1:
        return None
    return dt.datetime.combine(days.pop(), dt.time(12), tzinfo=dt.UTC)


def article_claim(*, article_id: int) -> Article | None:
    """Take a pending article for extraction: pending → processing. None if it is not pending.

    One conditional UPDATE decides, so when two workers receive the same article (a redelivered
    message, a batch queued twice) exactly one of them extracts it. An article left
    "processing" for INGEST_STALE_SECONDS belonged to a worker that died (its message comes
    back to the queue): it may be claimed again.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.INGEST_STALE_SECONDS)
    status = Article.IngestionStatus
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(
            Q(ingestion_status=status.PENDING)
            | Q(ingestion_status=status.PROCESSING, updated_at__lt=stale)
        )
        .update(ingestion_status=status.PROCESSING, updated_at=now)
    )
    return Article.objects.get(pk=article_id) if claimed else None


# Tries at storing an article's drafts when concurrent workers race to create the same actor.
STORE_ATTEMPTS = 3


def article_store_extraction(
    *, article: Article, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    """Store the drafts extracted from a claimed article in one transaction and mark it done,
    replacing the machine's drafts that no editor has touched (a forced re-extraction)."""
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return _article_store_extraction(article, extraction, crises)
        except IntegrityError:
            # Another worker committed one of the same new actors (its slug or name) between
            # our look-up and our insert: store again, matching its row this time.
            if attempt == STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def _article_store_extraction(
    article: Article, extraction: Extraction, crises: Sequence[Crisis]
) -> IngestResult:
    drafts.drafts_remove_replaceable(article)
    # The directory fills in the people afresh on each attempt, on a copy of what was extracted.
    extraction = dataclasses.replace(extraction, actors=copy.deepcopy(extraction.actors))
    directory_fill(extraction, day=article.published_at.date())
    result = drafts.drafts_store(IngestResult(article=article, created=True), extraction, crises)
    article.ingestion_status = Article.IngestionStatus.DONE
    article.ingestion_error = ""
    article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])
    return result


def article_mark_failed(*, article: Article, error: str) -> None:
    article.ingestion_status = Article.IngestionStatus.FAILED
    article.ingestion_error = error[:2000]
    article.save(update_fields=["ingestion_status", "ingestion_error", "updated_at"])


def article_requeue(*, article_id: int) -> bool:
    """Set a failed article pending again for another attempt; its last error stays visible."""
    return bool(
        Article.objects.filter(
            pk=article_id, ingestion_status=Article.IngestionStatus.FAILED
        ).update(ingestion_status=Article.IngestionStatus.PENDING, updated_at=timezone.now())
    )


def article_reclaim(*, article: Article) -> Article:
    """Take again, for another extraction, an article whose ingestion failed, whose worker died
    (processing for INGEST_STALE_SECONDS), or that still waits: the admin's "Retry ingestion".

    IngestError when there is nothing to retry: extracted already, or a live worker has it.
    """
    article_requeue(article_id=article.pk)
    claimed = article_claim(article_id=article.pk)
    if claimed is None:
        status = Article.objects.filter(pk=article.pk).values_list("ingestion_status", flat=True)
        if status.first() == Article.IngestionStatus.PROCESSING:
            raise IngestError(
                "A worker is extracting this article right now; check its status in a moment."
            )
        raise IngestError(
            "This article was extracted already; to extract it again, ingest it with force."
        )
    return claimed


def _article_build(
    parsed: ParsedArticle, published_at: dt.datetime, *, new: bool = True
) -> Article:
    """A validated, unsaved article; bad fields raise IngestError naming them. `new=False`: the
    fields for an article already stored (its URL is its own, not a clash)."""
    article = Article(
        url=parsed.url,
        title=(parsed.title or parsed.body.split("\n", 1)[0])[:500],
        standfirst=parsed.standfirst,
        byline=parsed.byline[:300],
        published_at=published_at,
        text=parsed.body,
        caption=parsed.caption,
        image_url=parsed.image_url,
        image_caption=parsed.image_caption,
        image_credit=parsed.image_credit,
        language=(parsed.language or "en")[:12],
        ingestion_status=Article.IngestionStatus.PENDING,
    )
    try:
        article.full_clean(
            exclude=["content_hash", "source", "publisher"],
            validate_unique=False,
            validate_constraints=new,
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
        )
        raise IngestError(f"The article cannot be stored: {problems}") from exc
    return article


REREAD_FIELDS = (
    "title",
    "standfirst",
    "byline",
    "published_at",
    "text",
    "caption",
    "image_url",
    "image_caption",
    "image_credit",
    "language",
)


def _article_reread(article: Article, fresh: Article) -> None:
    for name in REREAD_FIELDS:
        setattr(article, name, getattr(fresh, name))
    article.ingestion_error = ""
    article.save()


def _article_save(article: Article | None, *, outlet_name: str, agency_name: str) -> Article:
    assert article is not None
    copies.article_credit(
        article,
        outlet=copies.source_for_name(outlet_name),
        agency=copies.source_for_name(agency_name),
    )
    article.save()
    copies.article_link_copies(article)
    return article

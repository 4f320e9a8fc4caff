"""The one ingestion loop: parsed articles in, stored drafts out.

Every entry point — the `ingest` command, the admin's import page and retry action, the API, the
demo, the Celery task — comes through here, and this is the only caller of the extraction
(timeline.extraction.pipeline). Inputs are read into articles by sources.py; storing is
timeline.services.articles and .drafts, which take an Extraction and never run the parser.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from timeline.extraction.article_text import ParsedArticle, ParseError
from timeline.extraction.types import Extraction
from timeline.ingestion.sources import load_source
from timeline.models import Article, Crisis, IngestBatch
from timeline.services import articles, batches, places

if TYPE_CHECKING:
    from timeline.extraction.pipeline import ParseTimes
    from timeline.services.common import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one article of a batch."""

    label: str  # file name, URL or "record 3 of batch.jsonl"
    result: articles.IngestResult | None = None
    error: str = ""
    source: str = ""  # the path or URL it came from

    @property
    def ok(self) -> bool:
        return self.result is not None


# The extraction function: article text and publication date in, an Extraction out. None means
# timeline.extraction's own pipeline, loaded on first use (tests and benchmarks pass another),
# which is also given the article's headline.
Extract = Callable[[str, dt.date], Extraction]


def article_ingest(
    *,
    parsed: ParsedArticle,
    published_at: dt.datetime | None = None,
    crises: Sequence[Crisis] = (),
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
    extract: Extract | None = None,
) -> articles.IngestResult:
    """Store an article and the drafts extracted from it.

    Re-ingesting the same article (same URL or same text) is a no-op; `force` re-extracts and
    replaces the machine-made drafts that no editor has touched. When extraction fails, the
    article is still stored, marked "failed" with the error, so it can be retried.

    The same two steps run apart for background ingestion: `articles.article_store_pending`
    here, then `articles.article_claim` and `article_extract` in a worker (timeline.tasks).
    """
    stored = articles.article_store_pending(
        parsed=parsed,
        published_at=published_at,
        crises=crises,
        source_name=source_name,
        force=force,
        by=by,
    )
    return article_ingest_stored(stored=stored, crises=crises, extract=extract)


def article_ingest_stored(
    *,
    stored: articles.StoredArticle,
    crises: Sequence[Crisis] = (),
    extract: Extract | None = None,
) -> articles.IngestResult:
    """The second half of `article_ingest`: claim the article `article_store_pending` stored, if
    it is pending, and extract it. A batch stores its articles first, to parse them together."""
    if not stored.pending:
        return articles.IngestResult(article=stored.article, created=False, extracted=False)
    # As the source gave it, in its own zone: once read back from the database it is UTC.
    stated = stored.article.published_at
    article = articles.article_claim(article_id=stored.article.pk)
    if article is None:
        raise articles.IngestError(
            "A background worker is extracting this article right now; check its ingestion "
            "status in a moment instead of ingesting it again."
        )
    result = article_extract(
        article=article,
        crises=crises,
        extract=extract,
        published=publication_day(article.published_at, stated),
    )
    result.created = stored.created
    return result


def article_extract(
    *,
    article: Article,
    crises: Sequence[Crisis] | None = None,
    extract: Extract | None = None,
    published: dt.date | None = None,
) -> articles.IngestResult:
    """Extract a claimed article and store its drafts in one transaction; mark it done.

    The only place the extraction runs. Drafts join `crises` (by default, the article's own).
    `published` is the day relative dates count from: by default the publication's UTC day,
    the only one the stored article knows (see `publication_day`). When extraction fails,
    nothing but the article's "failed" status and error is written, and IngestError is raised.
    """
    if extract is None:
        from timeline.extraction.pipeline import extract as extract_text

        extract = functools.partial(extract_text, title=article.title)
    if published is None:
        published = article.published_at.date()
    if crises is None:
        crises = list(article.crises.all())
    try:
        # The parse (seconds of CPU) runs outside the transaction: inside, it would hold the
        # locks of rows written so far, and two workers storing the same new actor would queue.
        extraction = extract(article.text, published)
        extraction = _placed(extraction, crises)
        return articles.article_store_extraction(
            article=article, extraction=extraction, crises=crises
        )
    except Exception as exc:
        logger.warning("Extraction failed for %r: %s", article.title or article.url, exc)
        logger.debug("Extraction failure", exc_info=True)
        # Keep what the editor gave: the article itself, marked failed, so it can be retried.
        articles.article_mark_failed(article=article, error=f"{type(exc).__name__}: {exc}")
        raise articles.IngestError(
            f"Extraction failed ({type(exc).__name__}: {exc}). The article was stored as "
            "failed; fix the cause and ingest it again to retry."
        ) from exc


def publication_day(stored: dt.datetime, stated: dt.datetime | None) -> dt.date:
    """The calendar day the article was published on where it was published.

    `stated` is the time as the source gave it (a dateline's "Feb. 11, 2022 7:30 p.m. EST", an
    import's "2022-02-11T19:30-05:00"): its own day, not UTC's, or "on Friday" in a US evening
    story would count from Saturday. The database keeps the instant but not the zone, so an
    article extracted again later (a retry, a worker) falls back to the UTC day of `stored`.
    """
    if stated is not None and stated.tzinfo is not None and stated == stored:
        return stated.date()
    return stored.date()


def _placed(extraction: Extraction, crises: Sequence[Crisis]) -> Extraction:
    """The extraction with its events' places resolved, the crises' places so far as context.

    An extraction that names no place (a test's or a benchmark's own `extract`) is left as it
    is: the gazetteers load only for real articles.
    """
    if not extraction.places and not any(
        e.place_mentions or e.place or e.places for e in extraction.events
    ):
        return extraction
    if all(e.places for e in extraction.events):
        return extraction  # resolved already
    from timeline.extraction.places import resolve_extraction

    return resolve_extraction(extraction, crisis_countries=places.crisis_context(crises))


def article_retry(*, article: Article, extract: Extract | None = None) -> articles.IngestResult:
    """Extract again an article whose ingestion failed, or whose worker died, or that still
    waits: the admin's "Retry ingestion". IngestError when there is nothing to retry or when
    extraction fails again (the article is then failed with the new error)."""
    claimed = articles.article_reclaim(article=article)
    result = article_extract(article=claimed, extract=extract)
    result.created = False
    return result


def ingest_parsed(
    articles: Sequence[ParsedArticle],
    *,
    label: str,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
) -> Iterator[Outcome]:
    """Ingest each parsed article in its own transaction, so one bad record spoils nothing else."""
    yield from _ingest_labelled(
        _labelled(articles, source=label),
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
        by=by,
    )


def ingest_source(
    source: str,
    *,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
) -> Iterator[Outcome]:
    """Ingest a path or a URL: one outcome per article it holds."""
    yield from ingest_sources(
        [source],
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
        by=by,
    )


def ingest_sources(
    sources: Iterable[str],
    *,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
    times: ParseTimes | None = None,
) -> Iterator[Outcome]:
    """`ingest_source` for each of `sources`, in order. `times` sums where the extraction time
    went (for `make bench`)."""
    yield from _ingest_labelled(
        _articles(sources),
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
        by=by,
        times=times,
    )


def _ingest_labelled(
    labelled: Iterator[tuple[Outcome, ParsedArticle | None]],
    *,
    crises: Sequence[Crisis],
    published_at: dt.datetime | None,
    source_name: str,
    force: bool,
    by: User | None,
    times: ParseTimes | None = None,
) -> Iterator[Outcome]:
    """Ingest labelled articles, parsing their texts PARSE_BATCH at a time.

    Each window of articles is stored pending first, each in its own transaction, then parsed
    together; each article is then claimed and extracted in its own transaction as
    `article_ingest` does, so a failure spoils nothing else. An article a killed batch did not
    reach stays pending, with no drafts, for the next ingestion to take.
    """
    # The extractors load on first use, not with the admin and every management command.
    from timeline.extraction.pipeline import PARSE_BATCH, BatchParse

    pending = _stored_pending(
        labelled,
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
        by=by,
    )
    while window := list(itertools.islice(pending, PARSE_BATCH)):
        texts = [article.article.text for _, article in window if article and article.pending]
        # One text is parsed as `article_ingest` parses it, by timeline.extraction's `extract`.
        batch = BatchParse(texts, times) if len(texts) > 1 or times is not None else None
        for outcome, article in window:
            if article is None:
                yield outcome
                continue
            try:
                extract = (
                    functools.partial(batch.extract, title=article.article.title) if batch else None
                )
                result = article_ingest_stored(stored=article, crises=crises, extract=extract)
            except articles.IngestError as exc:
                yield replace(outcome, error=str(exc))
            else:
                yield replace(outcome, result=result)


def _stored_pending(
    labelled: Iterator[tuple[Outcome, ParsedArticle | None]],
    *,
    crises: Sequence[Crisis],
    published_at: dt.datetime | None,
    source_name: str,
    force: bool,
    by: User | None,
) -> Iterator[tuple[Outcome, articles.StoredArticle | None]]:
    """Store each labelled article pending, in its own transaction: the first step of every
    ingestion, in the foreground or on a worker. An article that cannot be stored comes out as
    its outcome with the error, and None."""
    for outcome, parsed in labelled:
        if parsed is None:
            yield outcome, None
            continue
        try:
            stored = articles.article_store_pending(
                parsed=parsed,
                published_at=published_at,
                crises=crises,
                source_name=source_name,
                force=force,
                by=by,
            )
        except articles.IngestError as exc:
            yield replace(outcome, error=str(exc)), None
        else:
            yield outcome, stored


def _labelled(
    articles: Sequence[ParsedArticle], *, source: str
) -> Iterator[tuple[Outcome, ParsedArticle | None]]:
    for index, parsed in enumerate(articles, start=1):
        label = source if len(articles) == 1 else f"record {index} of {source}"
        yield Outcome(label=label, source=source), parsed


def _articles(sources: Iterable[str]) -> Iterator[tuple[Outcome, ParsedArticle | None]]:
    """Each article of each source, labelled; a source that cannot be read is one outcome with
    its error and no article."""
    for source in sources:
        try:
            articles = load_source(source)
        except ParseError as exc:
            yield Outcome(label=source, error=str(exc), source=source), None
            continue
        yield from _labelled(articles, source=source)


@dataclass(frozen=True)
class Queued:
    """What happened to one article given to `enqueue_source`."""

    label: str
    article_id: int | None = None
    queued: bool = False  # False: already extracted (or refused, with `error`)
    error: str = ""


def enqueue_source(
    source: str,
    *,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
    by: User | None = None,
) -> Iterator[Queued]:
    """Store each article of a path or URL as pending and queue it for a Celery worker."""
    from timeline.tasks import ingest_article

    # The same reading, labelling and storing as the synchronous loop, so both name records alike.
    pending = _stored_pending(
        _articles([source]),
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
        by=by,
    )
    for outcome, stored in pending:
        if stored is None:
            yield Queued(label=outcome.label, error=outcome.error)
            continue
        if stored.pending:
            ingest_article.delay(stored.article.pk)
        yield Queued(label=outcome.label, article_id=stored.article.pk, queued=stored.pending)


@dataclass(frozen=True)
class BatchItem:
    """One article of a batch, with how it is to be stored."""

    parsed: ParsedArticle
    label: str
    published_at: dt.datetime | None = None
    crises: Sequence[Crisis] = ()
    source_name: str = ""
    force: bool = False


def enqueue_batch(
    items: Sequence[BatchItem],
    *,
    label: str,
    by: User | None = None,
    refused: Sequence[tuple[str, str]] = (),
) -> IngestBatch:
    """Store each article pending, in its own transaction, and queue it for a Celery worker:
    many articles handed over at once, off the request. The batch says what came of each
    (`IngestBatch.progress`); one that cannot be stored is in its `refused` list with the error.
    Without a broker the tasks run inline, one after the other."""
    from timeline.tasks import ingest_article

    stored: list[Article] = []
    refused = list(refused)  # what the caller could not even read, with its label and error
    queue: list[int] = []
    for item in items:
        try:
            result = articles.article_store_pending(
                parsed=item.parsed,
                published_at=item.published_at,
                crises=item.crises,
                source_name=item.source_name,
                force=item.force,
                by=by,
            )
        except articles.IngestError as exc:
            refused.append((item.label, str(exc)))
            continue
        stored.append(result.article)
        if result.pending:
            queue.append(result.article.pk)
    batch = batches.batch_create(label=label, stored=stored, refused=refused, by=by)
    for article_id in queue:
        ingest_article.delay(article_id)
    return batch


def batch_retry(*, batch: IngestBatch) -> int:
    """Queue again the batch's failed articles; says how many."""
    from timeline.tasks import ingest_article

    requeued = batches.batch_requeue_failed(batch=batch)
    for article_id in requeued:
        ingest_article.delay(article_id)
    return len(requeued)

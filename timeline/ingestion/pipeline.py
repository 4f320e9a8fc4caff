"""From what an editor gives (text, HTML, a file, a URL, a JSON batch) to stored drafts.

Parsing and extraction are pure (timeline.extraction); storing is
services.articles.article_ingest; the network is only touched in fetch.py. Every entry point (the
`ingest` command, the admin's import page, the API) goes through `ingest_source`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from timeline.extraction.article_text import (
    ParsedArticle,
    ParseError,
    parse_html,
    parse_json_record,
    parse_plain_text,
)
from timeline.models import Crisis
from timeline.services import articles

if TYPE_CHECKING:
    from timeline.extraction.pipeline import ParseTimes

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


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


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def parse_content(content: str, *, kind: str, url: str = "") -> list[ParsedArticle]:
    """Parse text, HTML or a JSON/JSONL batch into articles. Raises ParseError."""
    if kind == "html" or (kind == "auto" and _looks_like_html(content)):
        return [parse_html(content, url=url)]
    if kind in {"json", "jsonl"}:
        return [parse_json_record(record) for record in _json_records(content, kind=kind)]
    return [parse_plain_text(content, url=url)]


def _looks_like_html(content: str) -> bool:
    head = content.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _json_records(content: str, *, kind: str) -> Iterator[dict]:
    try:
        if kind == "jsonl":
            records = [json.loads(line) for line in content.splitlines() if line.strip()]
        else:
            data = json.loads(content)
            records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as exc:
        raise ParseError(f"The batch is not valid JSON: {exc.msg} (line {exc.lineno}).") from exc
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ParseError(f"Record {index} of the batch is not a JSON object.")
        yield record


def read_file(path: Path) -> tuple[str, str]:
    """The file's text and kind ("auto", "html", "json", "jsonl"); refuses huge or binary files."""
    if not path.is_file():
        raise ParseError(f"There is no file at {path}.")
    size = path.stat().st_size
    limit = settings.INGEST_MAX_BYTES
    if size > limit:
        raise ParseError(
            f"{path.name} is {size / 1_048_576:.1f} MB; the largest article accepted is "
            f"{limit / 1_048_576:.1f} MB (INGEST_MAX_BYTES). Split the batch or raise the limit."
        )
    return decode(path.read_bytes(), name=path.name), kind_of(path.name)


def decode(data: bytes, *, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise ParseError(f"{name} looks like a binary file, not an article (it holds NUL bytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old news archives are often Windows-1252; anything else is shown with replacements.
        return data.decode("cp1252", errors="replace")


def kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".json":
        return "json"
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    return "auto"


def ingest_parsed(
    articles: Sequence[ParsedArticle],
    *,
    label: str,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
) -> Iterator[Outcome]:
    """Ingest each parsed article in its own transaction, so one bad record spoils nothing else."""
    yield from _ingest_labelled(
        _labelled(articles, source=label),
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
    )


def ingest_source(
    source: str,
    *,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
) -> Iterator[Outcome]:
    """Ingest a path or a URL: one outcome per article it holds."""
    yield from ingest_sources(
        [source],
        crises=crises,
        published_at=published_at,
        source_name=source_name,
        force=force,
    )


def ingest_sources(
    sources: Iterable[str],
    *,
    crises: Sequence[Crisis] = (),
    published_at: dt.datetime | None = None,
    source_name: str = "",
    force: bool = False,
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
        times=times,
    )


def _ingest_labelled(
    labelled: Iterator[tuple[Outcome, ParsedArticle | None]],
    *,
    crises: Sequence[Crisis],
    published_at: dt.datetime | None,
    source_name: str,
    force: bool,
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

    while window := list(itertools.islice(labelled, PARSE_BATCH)):
        stored: list[tuple[Outcome, articles.StoredArticle | None]] = []
        for outcome, parsed in window:
            if parsed is None:
                stored.append((outcome, None))
                continue
            try:
                article = articles.article_store_pending(
                    parsed=parsed,
                    published_at=published_at,
                    crises=crises,
                    source_name=source_name,
                    force=force,
                )
            except articles.IngestError as exc:
                stored.append((replace(outcome, error=str(exc)), None))
            else:
                stored.append((outcome, article))
        texts = [article.article.text for _, article in stored if article and article.pending]
        # One text is parsed as `article_ingest` parses it, by timeline.extraction's `extract`.
        batch = BatchParse(texts, times) if len(texts) > 1 or times is not None else None
        for outcome, article in stored:
            if article is None:
                yield outcome
                continue
            try:
                result = articles.article_ingest_stored(
                    stored=article, crises=crises, extract=batch.extract if batch else None
                )
            except articles.IngestError as exc:
                yield replace(outcome, error=str(exc))
            else:
                yield replace(outcome, result=result)


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


def load_source(source: str) -> list[ParsedArticle]:
    if is_url(source):
        from timeline.ingestion.fetch import FetchError, fetch_url

        try:
            page = fetch_url(source, max_bytes=settings.INGEST_MAX_BYTES, timeout=20.0)
        except FetchError as exc:
            raise ParseError(str(exc)) from exc
        kind = "html" if "html" in page.content_type else "auto"
        articles = parse_content(page.text, kind=kind, url=page.final_url)
        return [replace(a, url=a.url or page.final_url) for a in articles]
    content, kind = read_file(Path(source))
    return parse_content(content, kind=kind)


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
) -> Iterator[Queued]:
    """Store each article of a path or URL as pending and queue it for a Celery worker."""
    from timeline.tasks import ingest_article

    # The same reading and labelling as the synchronous loop, so both name records alike.
    for outcome, parsed in _articles([source]):
        name = outcome.label
        if parsed is None:
            yield Queued(label=name, error=outcome.error)
            continue
        try:
            stored = articles.article_store_pending(
                parsed=parsed,
                published_at=published_at,
                crises=crises,
                source_name=source_name,
                force=force,
            )
        except articles.IngestError as exc:
            yield Queued(label=name, error=str(exc))
            continue
        if stored.pending:
            ingest_article.delay(stored.article.pk)
        yield Queued(label=name, article_id=stored.article.pk, queued=stored.pending)

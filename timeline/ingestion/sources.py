"""Every input an editor gives — text, HTML, a JSON or JSON Lines batch, a file, a URL — read
into parsed articles. Parsing is pure (timeline.extraction.article_text); the network is only
touched in fetch.py, and only for a URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings

from timeline.extraction.article_text import (
    ParsedArticle,
    ParseError,
    parse_html,
    parse_json_record,
    parse_plain_text,
)

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _has_scheme(value: str) -> bool:
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.isalpha()


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
        yield _without_nul(record)


def _without_nul(value: Any) -> Any:
    """`value` with NUL characters (JSON's \\u0000) dropped from every string in it: they mean
    nothing in news text, and PostgreSQL refuses to store them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


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


def load_source(source: str) -> list[ParsedArticle]:
    """The articles at `source`: an http(s) URL, or a path here (for the command line)."""
    if _has_scheme(source) and not is_url(source):
        raise ParseError(
            "Only http:// and https:// addresses can be fetched, "
            f"not {source.split(':')[0]}:// ones."
        )
    if is_url(source):
        from timeline.ingestion.fetch import FetchError, fetch_url

        try:
            page = fetch_url(
                source, max_bytes=settings.INGEST_MAX_BYTES, timeout=settings.INGEST_FETCH_TIMEOUT
            )
        except FetchError as exc:
            raise ParseError(str(exc)) from exc
        kind = "html" if "html" in page.content_type else "auto"
        articles = parse_content(page.text, kind=kind, url=page.final_url)
        return [replace(a, url=a.url or page.final_url) for a in articles]
    content, kind = read_file(Path(source))
    return parse_content(content, kind=kind)

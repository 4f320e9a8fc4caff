"""JSON and JSON Lines records: the fields a batch may carry, read into a parsed article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from timeline.extraction.article_text.html import lead_image_url, parse_html
from timeline.extraction.article_text.lines import (
    DEFAULT_MAX_CHARS,
    _casefold_words,
    _normalise,
    agency_name,
    to_datetime,
    wire_agency,
)
from timeline.extraction.article_text.plain import _parse_lines
from timeline.extraction.article_text.result import ParsedArticle, ParseError, check_text

# --------------------------------------------------------------------------------------------------
# JSON records


_RECORD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "html": ("html", "raw_html"),
    "url": ("url", "link"),
    "published_at": ("published_at", "published", "date", "publication_date"),
    "source": ("source", "source_name", "sitename", "publisher"),
    "byline": ("byline", "author", "authors"),
    "standfirst": ("standfirst", "description", "summary", "dek"),
    "language": ("language", "lang"),
    "image": ("image", "image_url", "lead_image", "urlToImage"),
}


def _field(record: Mapping[str, Any], name: str) -> Any:
    for key in _RECORD_ALIASES[name]:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def parse_json_record(
    record: Mapping[str, Any],
    *,
    default_tz: dt.tzinfo = dt.UTC,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ParsedArticle:
    """Parse one record of a JSON/JSONL batch.

    Fields: title, text or html, url, published_at (ISO 8601 or epoch seconds), source, byline,
    standfirst, image (the lead image's https URL). Fields given in the record win over what is
    found in the text.
    """
    if not isinstance(record, Mapping):
        raise ParseError(f"A JSON record must be an object, not {type(record).__name__}.")
    text, html = _field(record, "text"), _field(record, "html")
    url = str(_field(record, "url") or "")
    if text is None and html is None:
        raise ParseError("The JSON record has neither 'text' nor 'html'; give one of them.")
    title = _string(_field(record, "title"))
    if text is not None:
        body_text = _normalise(check_text(text, max_chars=max_chars, what="record's text"))
        lines = [line for line in body_text.split("\n")]
        # When the record names its title, the text is the body; drop a repeated headline.
        first = next((line for line in lines if line), "")
        if title and _casefold_words(first) == _casefold_words(title):
            lines.remove(first)
        parsed = _parse_lines(
            "\n".join(lines), default_tz=default_tz, url=url, language="en", find_title=not title
        )
    else:
        parsed = parse_html(html, url=url, default_tz=default_tz, max_chars=max_chars)

    warnings = list(parsed.warnings)
    published = parsed.published_at
    raw_published = _field(record, "published_at")
    if raw_published is not None:
        given = to_datetime(raw_published, default_tz=default_tz)
        if given is None:
            warnings.append(f"The record's published_at ({raw_published!r}) could not be read.")
        else:
            published = given
    if title:
        warnings = [w for w in warnings if "headline" not in w]
    if published is not None:
        warnings = [w for w in warnings if "publication time" not in w]
    byline = _field(record, "byline")
    if isinstance(byline, list):
        byline = " and ".join(str(name) for name in byline)
    source = _string(_field(record, "source"))
    image = _string(_field(record, "image"))
    if not lead_image_url(image):
        image = ""
    return replace(
        parsed,
        title=title or parsed.title,
        standfirst=_string(_field(record, "standfirst")) or parsed.standfirst,
        byline=_string(byline) or parsed.byline,
        source_name=(agency_name(source) or source) or parsed.source_name,
        agency=parsed.agency or wire_agency(_string(byline)) or wire_agency(source),
        published_at=published,
        url=url or parsed.url,
        language=_string(_field(record, "language")) or parsed.language,
        image_url=image or parsed.image_url,
        # A record's own image comes without a caption or credit; the page's are its image's.
        image_caption=parsed.image_caption if not image else "",
        image_credit=parsed.image_credit if not image else "",
        warnings=warnings,
    )


def _string(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""

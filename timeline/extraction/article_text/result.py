"""What parsing an article gives: the result, the error, the header found around the body,
and the input check."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from timeline.extraction.article_text.lines import DEFAULT_MAX_CHARS


class ParseError(ValueError):
    """The input cannot be read as an article; the message says why and what to do."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str = ""
    standfirst: str = ""
    byline: str = ""  # the writers as printed after "By": "Reuters", "Jane Doe and John Roe"
    source_name: str = ""  # the outlet or agency: "Reuters"
    # The wire service the text credits for the story (lead dateline "(AP)", byline, sign-off,
    # copyright line), whoever published it: "AP" for an AP story on a newspaper's site.
    agency: str = ""
    published_at: dt.datetime | None = None  # always timezone-aware when set
    body: str = ""  # the article proper, paragraphs separated by "\n\n"
    caption: str = ""  # photo caption(s) with their credit, one per line, never in the body
    caption_credit: str = ""  # "AP"
    # The page's lead image (og:image, as trafilatura reads it): an https URL at the outlet,
    # what it shows (its alt text or caption) and whom it is credited to.
    image_url: str = ""
    image_caption: str = ""
    image_credit: str = ""
    url: str = ""
    language: str = "en"
    warnings: list[str] = field(default_factory=list)
    # The month and day of a lead dateline that prints no year ("BERLIN, Feb 22 (Reuters) -"):
    # a publication date once a year is known from elsewhere (the crisis the article is for).
    dateline_day: tuple[int, int] | None = None


@dataclass
class _Header:
    """What the line classifier found around the body, filled in as lines are read."""

    bylines: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    published: list[dt.datetime] = field(default_factory=list)
    updated: list[dt.datetime] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dateline_day: tuple[int, int] | None = None


# --------------------------------------------------------------------------------------------------
# Input checks


def check_text(raw: object, *, max_chars: int = DEFAULT_MAX_CHARS, what: str = "article") -> str:
    """Return `raw` if it can be parsed as text, else raise ParseError saying why."""
    if isinstance(raw, bytes):
        raise ParseError(
            f"The {what} was given as bytes; decode it to text (e.g. UTF-8) before parsing it."
        )
    if not isinstance(raw, str):
        raise ParseError(f"The {what} must be text, not {type(raw).__name__}.")
    if len(raw) > max_chars:
        raise ParseError(
            f"The {what} is too large ({len(raw):,} characters; the limit is {max_chars:,}). "
            "Split it into separate articles or raise max_chars."
        )
    if not raw.strip():
        raise ParseError(f"The {what} is empty; there is no text to parse.")
    if "\x00" in raw:
        raise ParseError(
            f"The {what} contains NUL bytes, so it looks like a binary file rather than text; "
            "check that the right file was given."
        )
    sample = raw[:100_000]
    unreadable = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch)[0] == "C" and ch not in "\n\r\t\f\v")
    )
    if unreadable > 0.05 * len(sample):
        raise ParseError(
            f"The {what} has too many non-printable characters ({unreadable:,} of "
            f"{len(sample):,}), "
            "so it looks like binary data or the wrong encoding; check the file and its encoding."
        )
    return raw

"""Plain text as copied from a page: lines classified, the header split from the body,
paragraphs assembled."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser

from timeline.extraction.article_text.lines import (
    _DATELINE_LABEL,
    _LEAD_DATELINE,
    _MAX_HEADER_LINES,
    _REPORTING_BY,
    _SENTENCE_END,
    DEFAULT_MAX_CHARS,
    _is_headline,
    _normalise,
    agency_name,
    copyright_agency,
    is_chrome,
    parse_byline,
    parse_caption,
    parse_dateline,
    wire_agency,
)
from timeline.extraction.article_text.result import ParsedArticle, _Header, check_text


def parse_plain_text(
    raw: str,
    *,
    default_tz: dt.tzinfo = dt.UTC,
    max_chars: int = DEFAULT_MAX_CHARS,
    url: str = "",
    language: str = "en",
) -> ParsedArticle:
    """Parse an article printed as plain text into its parts.

    Headline and standfirst are the content lines before the byline or dateline (at most three
    lines); without either, a first line that reads like a headline is the title. Chrome, captions,
    bylines and datelines are taken out of the body wherever they stand.
    """
    text = _normalise(check_text(raw, max_chars=max_chars))
    return _parse_lines(text, default_tz=default_tz, url=url, language=language, find_title=True)


def _parse_lines(
    text: str,
    *,
    default_tz: dt.tzinfo,
    url: str,
    language: str,
    find_title: bool,
) -> ParsedArticle:
    header = _Header()
    # (line, ends the block it stands in?) for content lines; None marks where a byline or
    # dateline stood, so the header can be found by position.
    content: list[tuple[str, bool] | None] = []
    header_over = _HeaderEnd()
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line]
        for index, line in enumerate(lines):
            kind = _classify(line, header, default_tz=default_tz, in_header=not header_over.done)
            if kind == "content":
                content.append((line, index == len(lines) - 1))
            elif kind == "marker":
                content.append(None)
            if kind != "drop":
                header_over.feed(is_marker=kind == "marker")

    head_lines, body_lines = _split_header(content, find_title=find_title)
    if len(head_lines) >= 2 and len(head_lines[0].split()) <= 2 < len(head_lines[1].split()):
        head_lines = head_lines[1:]  # a section label ("World", "Europe") above the headline
    title = _strip_site_suffix(head_lines[0]) if head_lines else ""
    standfirst = " ".join(head_lines[1:])
    body_lines = _drop_trailing_source(body_lines, header)
    paragraphs = _paragraphs(body_lines)
    if paragraphs:
        paragraphs[0] = _strip_lead_dateline(paragraphs[0], header)
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        header.warnings.append("No body text was found; only headline and page furniture.")
    return _assemble(
        header, title=title, standfirst=standfirst, body=body, url=url, language=language
    )


def _classify(line: str, header: _Header, *, default_tz: dt.tzinfo, in_header: bool) -> str:
    """Record what `line` tells about the article; return "content", "marker" or "drop".

    A labelled dateline ("Published: …") is furniture wherever it stands; a bare date only in the
    header, since in the body it is a subheading ("24 February 2022") of a chronology.
    """
    dateline = parse_dateline(line, default_tz=default_tz)
    if dateline and (in_header or _DATELINE_LABEL.match(line)):
        (header.published if dateline[0] == "published" else header.updated).append(dateline[1])
        return "marker"
    byline = parse_byline(line)
    if byline:
        header.bylines.append(byline[0])
        if byline[1]:
            header.sources.append(byline[1])
        return "marker"
    credited = copyright_agency(line)
    if credited:
        header.sources.append(credited)
        return "drop"
    reporters = _REPORTING_BY.match(line)
    if reporters:
        header.reporters.append(reporters[1].strip())
    if is_chrome(line):
        return "drop"
    caption = parse_caption(line)
    if caption:
        if caption[0]:
            header.captions.append(caption[0])
        if caption[1]:
            header.credits.append(caption[1])
        return "drop"
    return "content"


class _HeaderEnd:
    """The header is over at the first content line after a byline or dateline, or after a few
    content lines without one."""

    def __init__(self) -> None:
        self.seen = 0
        self.marker_seen = False
        self.done = False

    def feed(self, *, is_marker: bool) -> None:
        if is_marker:
            self.marker_seen = True
            return
        self.seen += 1
        self.done = self.done or self.marker_seen or self.seen > _MAX_HEADER_LINES


def _split_header(
    content: list[tuple[str, bool] | None], *, find_title: bool
) -> tuple[list[str], list[tuple[str, bool]]]:
    """Split content lines into (headline + standfirst, body lines)."""
    last_marker = -1
    header_over = _HeaderEnd()
    for index, item in enumerate(content):
        header_over.feed(is_marker=item is None)
        if header_over.done:
            break
        if item is None:
            last_marker = index
    lines = [item for item in content if item is not None]
    if not find_title:
        return [], lines
    if last_marker >= 0:
        head = [item[0] for item in content[:last_marker] if item is not None]
        body = [item for item in content[last_marker:] if item is not None]
        return head, body
    # No byline or dateline: a headline-like first line followed by more text is the title, and a
    # second unpunctuated line before a real paragraph is the standfirst.
    if len(lines) >= 2 and _is_headline(lines[0][0]):
        head = [lines[0][0]]
        rest = lines[1:]
        if len(rest) >= 2 and len(rest[0][0]) <= 300 and not _SENTENCE_END.search(rest[0][0]):
            head.append(rest[0][0])
            rest = rest[1:]
        return head, rest
    return [], lines


def _drop_trailing_source(lines: list[tuple[str, bool]], header: _Header) -> list[tuple[str, bool]]:
    """A lone agency name at the foot ("Reuters") is a sign-off, not text."""
    while lines and agency_name(lines[-1][0]):
        header.sources.append(agency_name(lines[-1][0]))
        lines = lines[:-1]
    return [item for item in lines if not agency_name(item[0])]


def _strip_site_suffix(title: str) -> str:
    """ "Talks fail | Reuters" -> "Talks fail": the outlet's name is no part of the headline."""
    match = re.match(r"^(?P<head>.+?)\s+[|–—-]\s+(?P<site>[^|–—-]+)$", title)
    return match["head"] if match and agency_name(match["site"]) else title


def _paragraphs(lines: list[tuple[str, bool]]) -> list[str]:
    """Join hard-wrapped lines: a line that does not end a sentence runs on into the next one."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line, ends_block in lines:
        current.append(line)
        if ends_block or _SENTENCE_END.search(line) or line.endswith(":"):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _strip_lead_dateline(paragraph: str, header: _Header) -> str:
    """ "KYIV, Feb 11 (Reuters) - Russia is ..." -> "Russia is ...", noting the agency."""
    match = _LEAD_DATELINE.match(paragraph)
    if not match or not agency_name(match["agency"]):
        return paragraph
    header.sources.append(agency_name(match["agency"]))
    if match["when"]:
        header.dateline_day = _month_day(match["when"])
    return match["rest"]


def _month_day(text: str) -> tuple[int, int] | None:
    """ "Feb 22" -> (2, 22); None when it is no month and day."""
    try:  # a leap year, so that "Feb 29" is a day
        day = dateutil_parser.parse(text, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return day.month, day.day


def _assemble(
    header: _Header, *, title: str, standfirst: str, body: str, url: str, language: str
) -> ParsedArticle:
    warnings = list(header.warnings)
    published = header.published[0] if header.published else None
    if published is None and header.updated:
        published = header.updated[0]
        warnings.append("Only an 'updated' time was printed; it is used as the publication time.")
    if len({p.astimezone(dt.UTC) for p in header.published}) > 1:
        warnings.append("Several different publication times were printed; the first is used.")
    byline = header.bylines[0] if header.bylines else ""
    if not byline and header.reporters:
        byline = header.reporters[0]
    source = header.sources[0] if header.sources else agency_name(byline)
    agency = next(filter(None, map(wire_agency, [*header.sources, byline])), "")
    if not title:
        warnings.append("No headline was recognised.")
    if published is None:
        warnings.append("No publication time was recognised.")
    return ParsedArticle(
        title=title,
        standfirst=standfirst,
        byline=byline,
        source_name=source,
        agency=agency,
        published_at=published,
        body=body,
        caption="\n".join(header.captions),
        caption_credit=header.credits[0] if header.credits else "",
        url=url,
        language=language,
        warnings=warnings,
        dateline_day=header.dateline_day,
    )


# --------------------------------------------------------------------------------------------------
# HTML

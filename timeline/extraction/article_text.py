"""Parse an article as news sites print it: headline, standfirst, byline, dateline, body, caption.

Three entry points, one result type:

- `parse_plain_text` for text copied from a page (the seed corpus, pasted articles);
- `parse_html` for a fetched page (trafilatura finds the main text and the metadata);
- `parse_json_record` for JSON/JSONL batches.

The rules are general for plain-text news, not a template for one outlet: a line is recognised
as page chrome ("Advertisement", "Read more...", "Share"), a photo caption (it ends with a credit
such as "— AP" or "REUTERS/Jane Doe"), a byline ("By X and Y", "X | Reuters"), or a dateline
("Published: Fri 11 Feb 2022, 10:00 PM", "February 11, 2022 3:00 PM ET", ISO 8601). What is left
before the first byline or dateline is the headline and the standfirst; the rest is the body.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_MAX_CHARS = 2_000_000

# Wire services and outlets whose name alone on a line, after "By" or in "(Reuters)" is the source.
AGENCIES: dict[str, str] = {
    name.casefold(): name
    for name in (
        "Reuters",
        "Thomson Reuters",
        "AP",
        "Associated Press",
        "The Associated Press",
        "AFP",
        "Agence France-Presse",
        "Bloomberg",
        "dpa",
        "Xinhua",
        "TASS",
        "Interfax",
        "RIA Novosti",
        "Ukrinform",
        "UNIAN",
        "PTI",
        "ANI",
        "IANS",
        "UPI",
        "EFE",
        "ANSA",
        "Kyodo",
        "Yonhap",
        "Anadolu",
        "WAM",
        "BBC",
        "BBC News",
        "CNN",
        "Al Jazeera",
        "NPR",
    )
}

# Whole lines that belong to the page, not the article (matched case-insensitively).
_CHROME = re.compile(
    r"""^(?:
        advertis(?:ement|ing)|sponsored(?:\ content)?|ad
      | read\ more|read\ more\ here|read\ next|read\ also|also\ read|see\ also|more\ on\ this\ story
      | related|related\ (?:articles?|stories|content|coverage|topics?|news)|more\ stories
      | recommended(?:\ for\ you|\ stories|\ articles?)?|you\ may\ also\ like|most\ (?:read|popular)
      | top\ stories|trending(?:\ now)?|latest(?:\ news)?|editor'?s\ picks?|don'?t\ miss
      | share(?:\ this)?(?:\ (?:article|story|page|on\ \w+))?|share\ via
      | tweet|email|print|copy\ link
      | facebook|twitter|x|whatsapp|linkedin|reddit|telegram|comments?|\d+\ comments?
      | subscribe(?:\ now|\ today|\ to\ our\ newsletter)?|sign\ up|newsletter|follow\ us
      | skip\ (?:to\ )?(?:content|main\ content|advertisement)
      | continue\ reading|story\ continues(?:\ below)?
      | scroll\ to\ continue(?:\ with\ content)?|listen\ to\ this\ article|click\ here.*
      | image|photo|video|watch|gallery|enlarge\ this\ image|toggle\ caption|hide\ caption
      | our\ standards:.*|all\ rights\ reserved.*|(?:©|\(c\)|copyright)\s.*
      | (?:(?:last\ )?updated|published|posted)?\s*\d+\s+
        (?:seconds?|minutes?|mins?|hours?|hrs?|days?)\ ago
      | \d+\s+min(?:ute)?s?\ read
    )[\s.:…!>»›|-]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Chrome with content after it on the same line: "Related: Ukraine crisis explained".
_CHROME_PREFIX = re.compile(
    r"^(?:related|read\ more|also\ read|read\ also|see\ also|recommended|watch|listen|more)"
    r"\s*[:|]\s*\S",
    re.IGNORECASE | re.VERBOSE,
)
# The wire trailer: "Reporting by X in Kyiv; Additional reporting by Y; Editing by Z".
_TRAILER = re.compile(
    r"^\(?\s*(?:(?:additional\ )?reporting|writing|editing|compiled|translated)\ by\b.*$",
    re.IGNORECASE | re.VERBOSE,
)
_REPORTING_BY = re.compile(
    r"^\(?\s*reporting by ([^;()]+?)(?:\s+in\s+[A-Z][\w .-]+)?(?:;|\)|$)", re.I
)

# A caption ends with its credit: "… Kharkiv, Ukraine. — AP", "… REUTERS/Jane Doe/File Photo".
_CREDIT_WORD = r"[A-Z][\w.'&-]*"
_CAPTION_DASH_CREDIT = re.compile(
    rf"^(?P<caption>.+?\S)\s+[—–-]{{1,2}}\s*"
    rf"(?P<credit>{_CREDIT_WORD}(?:[ /]+(?:via\s+)?{_CREDIT_WORD}){{0,5}})\s*$"
)
_CAPTION_SLASH_CREDIT = re.compile(
    r"^(?P<caption>.+?\S)\s+(?P<credit>(?:REUTERS|AFP|AP(?: Photo)?|EPA(?:-EFE)?)(?:/[\w .'-]+)+"
    r"|(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}/|[A-Z]\S*\s+via\s+)?Getty Images)\.?$"
)
_CAPTION_PAREN_CREDIT = re.compile(r"^(?P<caption>.+?\S)\s*\((?P<credit>[^()]{2,80})\)\.?\s*$")
_CAPTION_PREFIX = re.compile(
    r"^(?:file photo|photo(?:graph)?|image|picture|pictured|caption|image caption)"
    r"\s*[:,]\s*(?P<caption>.+)$",
    re.IGNORECASE,
)
# "Image source, Getty Images" (BBC) or "Photo credit: Jane Doe/AFP": a credit on its own line.
_CREDIT_LINE = re.compile(
    r"^(?:image|photo|picture)\s+(?:source|credit)s?\s*[:,]\s*(?P<credit>.{1,80})$", re.IGNORECASE
)
_CREDIT_LABEL = re.compile(r"^(?:photo|image|picture|credit)s?(?: by| credit)?:?\s*", re.IGNORECASE)

_BYLINE = re.compile(r"^(?:by|written by|words by|story by)\s+(?P<names>.+)$", re.IGNORECASE)
# A person's name: one to five capitalised words or particles ("Ursula von der Leyen").
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|van|von|der|den|al|el|bin|ibn|da|di|du|la|le)"
_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}$")
_NAMES_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)\s*")

_DATELINE_LABEL = re.compile(
    r"^(?P<label>(?:first\s+)?published|last\s+updated|updated|posted|modified|date|last\s+modified)"
    r"(?:\s+on)?\s*[:\-–—]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_DATE_WORDS = re.compile(
    r"^(?:at|on|the|of|gmt|utc|bst|cet|cest|eet|eest|msk|et|est|edt|ct|cst|cdt|pt|pst|pdt|ist|jst|kst"
    r"|am|pm|a\.m\.|p\.m\.|z|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|hrs|h|local|time)$",
    re.IGNORECASE,
)

# A lead that starts with the wire dateline: "KYIV, Feb 11 (Reuters) - Russia is massing ...".
_LEAD_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .,'/-]{1,60}?)(?:,\s*(?P<when>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?\s*"
    r"\((?P<agency>[A-Za-z][\w .&-]{1,40}?)\)\s*[-—–]+\s*(?P<rest>\S.*)$",
    re.DOTALL,
)

# Zone abbreviations seen in datelines. "ET" and friends follow daylight saving through the zone.
_TZINFOS: dict[str, dt.tzinfo] = {
    "UTC": dt.UTC,
    "GMT": dt.UTC,
    "Z": dt.UTC,
    "BST": dt.timezone(dt.timedelta(hours=1), "BST"),
    "CET": dt.timezone(dt.timedelta(hours=1), "CET"),
    "CEST": dt.timezone(dt.timedelta(hours=2), "CEST"),
    "EET": dt.timezone(dt.timedelta(hours=2), "EET"),
    "EEST": dt.timezone(dt.timedelta(hours=3), "EEST"),
    "MSK": dt.timezone(dt.timedelta(hours=3), "MSK"),
    "ET": ZoneInfo("America/New_York"),
    "EST": dt.timezone(dt.timedelta(hours=-5), "EST"),
    "EDT": dt.timezone(dt.timedelta(hours=-4), "EDT"),
    "CT": ZoneInfo("America/Chicago"),
    "CST": dt.timezone(dt.timedelta(hours=-6), "CST"),
    "CDT": dt.timezone(dt.timedelta(hours=-5), "CDT"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "PST": dt.timezone(dt.timedelta(hours=-8), "PST"),
    "PDT": dt.timezone(dt.timedelta(hours=-7), "PDT"),
    "IST": dt.timezone(dt.timedelta(hours=5, minutes=30), "IST"),
    "JST": dt.timezone(dt.timedelta(hours=9), "JST"),
    "KST": dt.timezone(dt.timedelta(hours=9), "KST"),
    "HKT": dt.timezone(dt.timedelta(hours=8), "HKT"),
    "SGT": dt.timezone(dt.timedelta(hours=8), "SGT"),
    "AEST": dt.timezone(dt.timedelta(hours=10), "AEST"),
    "AEDT": dt.timezone(dt.timedelta(hours=11), "AEDT"),
}

# How many content lines (headline, standfirst, a kicker) may stand before the byline/dateline.
_MAX_HEADER_LINES = 3
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


class ParseError(ValueError):
    """The input cannot be read as an article; the message says why and what to do."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str = ""
    standfirst: str = ""
    byline: str = ""  # the writers as printed after "By": "Reuters", "Jane Doe and John Roe"
    source_name: str = ""  # the outlet or agency: "Reuters"
    published_at: dt.datetime | None = None  # always timezone-aware when set
    body: str = ""  # the article proper, paragraphs separated by "\n\n"
    caption: str = ""  # photo caption(s) with their credit, one per line, never in the body
    caption_credit: str = ""  # "AP"
    url: str = ""
    language: str = "en"
    warnings: list[str] = field(default_factory=list)


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


def _normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Non-breaking and zero-width spaces come from copy-paste and break the line rules below.
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\u2028", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return "\n".join(line.strip() for line in text.split("\n"))


# --------------------------------------------------------------------------------------------------
# Line rules


def _casefold_words(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip(" .:…|-").casefold()


def is_chrome(line: str) -> bool:
    """True if the line is page furniture ("Advertisement", "Read more...", "Related: ...")."""
    return bool(_CHROME.match(line) or _CHROME_PREFIX.match(line) or _TRAILER.match(line))


def agency_name(text: str) -> str:
    """The canonical agency name if `text` is one ("reuters" -> "Reuters"), else ""."""
    key = _casefold_words(text)
    key = re.sub(r"\s+(?:staff|wire|news agency|reporters?)$", "", key)
    return AGENCIES.get(key, "")


def parse_caption(line: str) -> tuple[str, str] | None:
    """Split a photo caption line into (caption as printed, credit), or None if it is not one."""
    if len(line) > 500:
        return None
    match = _CREDIT_LINE.match(line)
    if match:
        return "", match["credit"].strip()
    for pattern in (_CAPTION_SLASH_CREDIT, _CAPTION_DASH_CREDIT):
        match = pattern.match(line)
        if match and _looks_like_credit(match["credit"]):
            return line, match["credit"].strip()
    match = _CAPTION_PAREN_CREDIT.match(line)
    # "(Photo: Jane Doe)", "(AP Photo/Efrem Lukatsky)"; a bare "(Reuters)" ends a sentence instead.
    if match and (
        _CREDIT_LABEL.match(match["credit"])
        or ("/" in match["credit"] and _looks_like_credit(match["credit"]))
    ):
        return line, _CREDIT_LABEL.sub("", match["credit"]).strip()
    match = _CAPTION_PREFIX.match(line)
    if match:
        inner = parse_caption(match["caption"])
        return match["caption"], inner[1] if inner else ""
    return None


def _looks_like_credit(credit: str) -> bool:
    """A credit is an agency, "AGENCY/Name" or "Name via Getty Images", not any capitalised tail."""
    credit = credit.strip()
    parts = re.split(r"\s*/\s*|\s+via\s+", credit)
    if any(agency_name(part) for part in parts):
        return True
    if re.search(r"\b(?:getty images|shutterstock|epa|photo|pool|handout|file)\b", credit, re.I):
        return True
    # "REUTERS/Jane Doe" style: an all-caps agency before a slash.
    return "/" in credit and parts[0].isupper()


def parse_byline(line: str) -> tuple[str, str] | None:
    """Split a byline into (writers, source): "By Jane Doe | Reuters" -> ("Jane Doe", "Reuters")."""
    if len(line) > 120:
        return None
    match = _BYLINE.match(line)
    if match:
        names = match["names"].strip(" .")
    elif "|" in line or "," in line:
        # "Jane Doe | Reuters" or "Jane Doe, Reuters": a name, then an agency.
        right = line.rpartition("|" if "|" in line else ",")[2]
        if not agency_name(right):
            return None
        names = line
    else:
        return None
    source = ""
    for sep in ("|", ",", " - ", " — "):
        head, found, tail = names.rpartition(sep)
        if found and agency_name(tail):
            source = agency_name(tail)
            names = head.strip(" ,|")
            break
    names = re.sub(r"\s+in\s+[A-Z][\w .'-]+$", "", names)  # "Jane Doe in Kyiv"
    if agency_name(names):
        return agency_name(names), source or agency_name(names)
    people = [part for part in _NAMES_SPLIT.split(names) if part]
    if not people or not all(_NAME.match(person) and len(person) <= 40 for person in people):
        return None
    if any(_SENTENCE_END.search(person) and not person.endswith(".") for person in people):
        return None
    return names, source


def parse_dateline(line: str, *, default_tz: dt.tzinfo = dt.UTC) -> tuple[str, dt.datetime] | None:
    """Read a dateline into ("published" | "updated", aware datetime), or None if it is not one.

    A time printed without a zone is taken in `default_tz` (UTC unless told otherwise).
    """
    if len(line) > 90:
        return None
    label = "published"
    rest = line.strip()
    match = _DATELINE_LABEL.match(rest)
    if match:
        updated = re.match(r"(?:last\s+)?(?:updated|modified)", match["label"], re.I)
        label = "updated" if updated else "published"
        rest = match["rest"]
    rest = rest.strip(" |-–—")
    if not rest or not (_YEAR.search(rest) or _ISO.match(rest)):
        return None
    if not (_MONTH.search(rest) or _NUMERIC_DATE.search(rest) or _ISO.match(rest)):
        return None
    parsed = _parse_datetime(rest)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    return label, parsed


def _parse_datetime(text: str) -> dt.datetime | None:
    from dateutil import parser as dateutil_parser

    try:
        return _unify_utc(dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        pass  # not ISO 8601: read it as printed
    cleaned = re.sub(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)", r"\1:\2", text)  # "15.30 GMT" (Guardian)
    cleaned = re.sub(r"\s*\|\s*", " ", cleaned)
    cleaned = re.sub(r"\b([ap])\.m\.", r"\1m", cleaned, flags=re.I)
    try:
        parsed, skipped = dateutil_parser.parse(
            cleaned, tzinfos=_TZINFOS, fuzzy_with_tokens=True, dayfirst=_day_first(cleaned)
        )
    except (ValueError, OverflowError):
        parsed, skipped = None, ()
    if parsed is not None:
        # Other words beside the date ("Correction: October 2, 2016") make it no dateline.
        leftover = [w for chunk in skipped for w in re.findall(r"[A-Za-z]+", chunk)]
        return _unify_utc(parsed) if all(_DATE_WORDS.match(w) for w in leftover) else None
    import dateparser  # slower, but reads what dateutil cannot

    try:
        found = dateparser.parse(
            cleaned,
            languages=["en"],
            settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True},
        )
    except (ValueError, OverflowError):  # dateparser raises these for odd strings
        return None
    return _unify_utc(found) if found else None


def _day_first(text: str) -> bool:
    """Ambiguous numeric dates ("02/11/2022") are read month first, as US sites print them."""
    match = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b", text)
    return bool(match and int(match[1]) > 12)


def _unify_utc(parsed: dt.datetime) -> dt.datetime:
    # dateutil spells UTC several ways ("Z", tzutc()); one spelling keeps results comparable.
    if parsed.tzinfo is not None and parsed.utcoffset() == dt.timedelta(0):
        return parsed.replace(tzinfo=dt.UTC)
    return parsed


def _is_headline(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 30 and len(line) <= 250 and not line.rstrip("\"'”’").endswith(".")


# --------------------------------------------------------------------------------------------------
# Plain text


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
    return match["rest"]


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
    if not title:
        warnings.append("No headline was recognised.")
    if published is None:
        warnings.append("No publication time was recognised.")
    return ParsedArticle(
        title=title,
        standfirst=standfirst,
        byline=byline,
        source_name=source,
        published_at=published,
        body=body,
        caption="\n".join(header.captions),
        caption_credit=header.credits[0] if header.credits else "",
        url=url,
        language=language,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------------
# HTML


def parse_html(
    html: str,
    *,
    url: str = "",
    default_tz: dt.tzinfo = dt.UTC,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ParsedArticle:
    """Parse a fetched page: trafilatura finds the main text and metadata; no markup in the body."""
    import trafilatura

    check_text(html, max_chars=max_chars, what="page")
    date_params = {
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        "original_date": True,
        "extensive_search": True,
    }
    document = None
    # Precision mode keeps paragraphs apart and drops figure captions; on tiny pages it can find
    # nothing, so the default mode is the fallback.
    for favor_precision in (True, False):
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=favor_precision,
            date_extraction_params=date_params,
        )
        if document is not None and (getattr(document, "text", "") or "").strip():
            break
    if document is None or not (getattr(document, "text", "") or "").strip():
        raise ParseError("No article text was found in the page; check that it is an article page.")

    title = _strip_site_suffix(_strip_tags(document.title or ""))
    text = _normalise(_strip_tags(document.text or ""))
    lines = [line for line in text.split("\n") if line]
    # trafilatura sometimes keeps the <h1> and the standfirst as the first lines of the text.
    standfirst = _strip_tags(document.description or "")
    for repeated in (title, standfirst):
        if lines and repeated and _casefold_words(lines[0]) == _casefold_words(repeated):
            lines = lines[1:]
    parsed = _parse_lines(
        "\n\n".join(lines),
        default_tz=default_tz,
        url=url,
        language=(getattr(document, "language", None) or _html_lang(html) or "en"),
        find_title=False,
    )
    captions = [c for c in _figcaptions(html) if c not in parsed.caption]
    caption = "\n".join(filter(None, [parsed.caption, *captions]))
    credit = parsed.caption_credit
    if not credit:
        credit = next((c[1] for c in map(parse_caption, captions) if c and c[1]), "")
    published = to_datetime(document.date, default_tz=default_tz)
    author = _strip_tags(document.author or "")
    sitename = _strip_tags(document.sitename or "")
    warnings = [w for w in parsed.warnings if "headline" not in w and "publication" not in w]
    if not title:
        warnings.append("No headline was recognised.")
    if published is None and parsed.published_at is None:
        warnings.append("No publication time was recognised.")
    return replace(
        parsed,
        title=title,
        standfirst=standfirst,
        byline=author or parsed.byline,
        source_name=_source_name(sitename, author) or parsed.source_name,
        published_at=published or parsed.published_at,
        caption=caption,
        caption_credit=credit,
        warnings=warnings,
    )


def _source_name(sitename: str, author: str) -> str:
    """The outlet: "Reuters" for a sitename of "Reuters" or "reuters.com"; a bare domain otherwise
    only when the author names no agency."""
    if agency_name(sitename):
        return agency_name(sitename)
    if re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", sitename):
        label = sitename.removeprefix("www.").split(".")[0]
        return agency_name(label) or agency_name(author) or sitename
    return sitename or agency_name(author)


def _strip_tags(text: str) -> str:
    """Belt and braces: the body must never carry markup, whatever the extractor let through."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.I | re.S)
    return re.sub(r"</?[A-Za-z][^<>]*>", " ", text).strip()


def _html_lang(html: str) -> str:
    match = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z]{2})", html[:5000], re.I)
    return match[1].lower() if match else ""


def _figcaptions(html: str) -> list[str]:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):  # lxml's ParserError is a subclass of these
        return []
    found = []
    for node in tree.iter("figcaption"):
        caption = " ".join(node.text_content().split())
        if caption:
            found.append(caption)
    return found


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
    standfirst. Fields given in the record win over what is found in the text.
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
    return replace(
        parsed,
        title=title or parsed.title,
        standfirst=_string(_field(record, "standfirst")) or parsed.standfirst,
        byline=_string(byline) or parsed.byline,
        source_name=(agency_name(source) or source) or parsed.source_name,
        published_at=published,
        url=url or parsed.url,
        language=_string(_field(record, "language")) or parsed.language,
        warnings=warnings,
    )


def _string(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def to_datetime(value: Any, *, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """An aware datetime from a datetime, a date, epoch seconds (or milliseconds) or a string as
    printed or in ISO 8601; None if it cannot be read. A value without a zone is in `default_tz`."""
    if isinstance(value, dt.datetime):
        parsed: dt.datetime | None = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value > 100_000_000_000:  # milliseconds since the epoch, as JavaScript writes them
            value /= 1000
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        parsed = _parse_datetime(value)
    else:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)

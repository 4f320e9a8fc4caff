"""Line classifiers: page chrome, photo captions and credits, bylines, datelines and headlines."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_MAX_CHARS = 2_000_000

# Wire services: agencies whose stories other outlets republish, each with the names it goes by.
_WIRE_SERVICES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Thomson Reuters",),
    "AP": ("Associated Press", "The Associated Press"),
    "AFP": ("Agence France-Presse", "Agence France Presse"),
    "Bloomberg": (),
    "dpa": ("Deutsche Presse-Agentur",),
    "Xinhua": (),
    "TASS": (),
    "Interfax": (),
    "RIA Novosti": (),
    "Ukrinform": (),
    "UNIAN": (),
    "PTI": ("Press Trust of India",),
    "ANI": (),
    "IANS": (),
    "UPI": ("United Press International",),
    "EFE": (),
    "ANSA": (),
    "Kyodo": (),
    "Yonhap": (),
    "Anadolu": ("Anadolu Agency",),
    "WAM": (),
}
WIRE_AGENCIES = frozenset(_WIRE_SERVICES)
# Broadcasters whose name alone on a line, after "By" or in "(BBC)" also names the source.
_BROADCASTERS = ("BBC", "BBC News", "CNN", "Al Jazeera", "NPR")
# Every name an agency or broadcaster goes by (casefolded) -> the one it is stored under.
AGENCIES: dict[str, str] = {
    name.casefold(): canonical
    for canonical, names in [*_WIRE_SERVICES.items(), *((b, ()) for b in _BROADCASTERS)]
    for name in (canonical, *names)
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


def wire_agency(text: str) -> str:
    """The canonical wire service if `text` names one ("The Associated Press" -> "AP"), else ""."""
    name = agency_name(text)
    return name if name in WIRE_AGENCIES else ""


_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<holder>[^.,;]+?)\s*[.,;]?\s*(?:all rights reserved\.?)?$",
    re.IGNORECASE,
)


def copyright_agency(line: str) -> str:
    """The wire service a copyright line credits ("© 2022 The Associated Press." -> "AP"), else
    "": newspapers print the agency's copyright under the wire stories they carry."""
    match = _COPYRIGHT.match(line.strip())
    return wire_agency(match["holder"]) if match else ""


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

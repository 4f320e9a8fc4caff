"""A fetched page: trafilatura finds the main text and the metadata; the plain-text rules
do the rest."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from timeline.extraction.article_text.lines import (
    DEFAULT_MAX_CHARS,
    _casefold_words,
    _normalise,
    agency_name,
    parse_caption,
    to_datetime,
    wire_agency,
)
from timeline.extraction.article_text.plain import _parse_lines, _strip_site_suffix
from timeline.extraction.article_text.result import ParsedArticle, ParseError, check_text


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
    assert not isinstance(document, dict)  # a dict only when asked for (as_dict=True)

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
    image = _lead_image(html, getattr(document, "image", None) or "", captions)
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
        agency=parsed.agency or wire_agency(author) or wire_agency(sitename),
        published_at=published or parsed.published_at,
        caption=caption,
        caption_credit=credit,
        image_url=image.url,
        image_caption=image.caption,
        image_credit=image.credit or (credit if image.url else ""),
        warnings=warnings,
    )


@dataclass(frozen=True)
class _LeadImage:
    url: str = ""
    caption: str = ""
    credit: str = ""


def _lead_image(html: str, url: str, captions: list[str]) -> _LeadImage:
    """The page's lead image (see `lead_image_url`), its alt text or caption, and its credit."""
    url = url.strip()
    if not lead_image_url(url):
        return _LeadImage()
    alt = _meta_content(html, ("og:image:alt", "twitter:image:alt"))
    caption, credit = alt, ""
    if captions:
        # The first figure's caption is the lead image's on news pages; it carries the credit.
        split = parse_caption(captions[0])
        first, credit = split if split else (captions[0], "")
        caption = caption or _without_credit(first or captions[0], credit)
    return _LeadImage(url=url, caption=caption[:500], credit=credit[:300])


def lead_image_url(url: str) -> bool:
    """Whether `url` can be a lead image: https (an http one would be blocked on an https page,
    a data: one is no picture of the outlet's), whole, and short enough to store."""
    return bool(re.match(r"https://[^\s\"'<>]+$", url)) and len(url) <= 2000


def _without_credit(caption: str, credit: str) -> str:
    """ "Troops in Kyiv. REUTERS/Jane Doe" -> "Troops in Kyiv.": the credit is shown apart."""
    if not credit:
        return caption
    at = caption.rfind(credit)
    if at <= 0:
        return caption
    return caption[:at].rstrip(" (—–-:").removesuffix("Photo").rstrip(" (—–-:") or caption


def _meta_content(html: str, names: tuple[str, ...]) -> str:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):  # lxml's ParserError is a subclass of these
        return ""
    for node in tree.iter("meta"):
        if (node.get("property") or node.get("name") or "").lower() in names:
            content = " ".join((node.get("content") or "").split())
            if content:
                return content
    return ""


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

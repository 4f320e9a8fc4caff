"""Dates shown with their precision, and article text with its cited spans highlighted."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def date_label(day: dt.date | None, precision: str = "day") -> str:
    """11 Feb 2022, week of 7 Feb 2022, Feb 2022 or 2014: only as exact as the source was."""
    if day is None:
        return "Undated"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%b %Y")
    label = f"{day.day} {day.strftime('%b %Y')}"
    if precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return f"week of {monday.day} {monday.strftime('%b %Y')}"
    return label


@register.filter
def date_attr(day: dt.date | None, precision: str = "day") -> str:
    """The machine-readable value for <time datetime>: 2022-02-11, 2022-W06, 2022-02 or 2014."""
    if day is None:
        return ""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


# Only these are links. Anchored at the first character: a browser drops leading spaces and
# control characters and the tabs and newlines inside a URL, so " java\tscript:" would still run.
_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)


@register.filter
def http_url(url: str | None) -> str:
    """The stored URL if it is http(s), else "": a stored javascript: or data: URL is never linked.

    Entry paths validate URLs already; this keeps a bad row (an import, a raw SQL fix) harmless.
    """
    return url if url and _HTTP_URL.match(url) else ""


@register.simple_tag
def item_dates(obj: Any) -> SafeString:
    """<time> elements for an event's (or statement's) date, or its span when it has an end."""
    start = getattr(obj, "start_date", None) or getattr(obj, "date", None)
    precision = obj.date_precision
    html = format_html(
        '<time datetime="{}">{}</time>', date_attr(start, precision), date_label(start, precision)
    )
    end = getattr(obj, "end_date", None)
    # A span within one week, month or year reads as that period once: "week of 7 Feb 2022", "2014".
    if end and date_label(end, precision) != date_label(start, precision):
        html = format_html(
            '{} – <time datetime="{}">{}</time>',
            html,
            date_attr(end, precision),
            date_label(end, precision),
        )
    return html


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The timeline's query string with some parameters changed (see TimelineView.query)."""
    return context["view"].query(**changes)


# Article text with highlights -------------------------------------------------------------------


@dataclass
class _Piece:
    start: int
    end: int
    citation: Any
    first: bool  # the piece that carries the citation's id anchor


def _cited_item(citation: Any) -> tuple[str, str]:
    """The URL and a short label of what the citation supports."""
    if citation.event_id:
        return reverse("timeline:event", args=[citation.event_id]), citation.event.title
    statement = citation.statement
    speaker = statement.speaker if statement.speaker and statement.speaker.is_published else None
    if speaker:
        url = reverse("timeline:actor", args=[speaker.slug]) + f"#statement-{statement.pk}"
        return url, f"Statement by {speaker.name}"
    return "", "Statement by an unnamed speaker"


def _render(text: str, start: int, end: int, pieces: Sequence[_Piece]) -> str:
    """Text [start, end) with pieces (sorted by start, then longest first) nested as <mark>s."""
    out: list[str] = []
    cursor = start
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        inner: list[_Piece] = []
        j = i + 1
        while j < len(pieces) and pieces[j].start < piece.end:
            nested = pieces[j]
            if nested.end <= piece.end:
                inner.append(nested)
            else:
                # Crossing spans: the part inside nests here; the rest is rendered after us.
                inner.append(_Piece(nested.start, piece.end, nested.citation, nested.first))
                rest = _Piece(piece.end, nested.end, nested.citation, False)
                later = [*pieces[j + 1 :], rest]
                later.sort(key=lambda p: (p.start, -p.end))
                pieces = list(pieces[: j + 1]) + later
            j += 1
        out.append(escape(text[cursor : piece.start]))
        url, label = _cited_item(piece.citation)
        anchor = f' id="cite-{piece.citation.pk}"' if piece.first else ""
        out.append(
            f'<mark class="cite"{anchor} data-citation="{piece.citation.pk}">'
            + _render(text, piece.start, piece.end, inner)
            + "</mark>"
        )
        if piece.end == piece.citation.end and url:
            out.append(
                format_html(
                    '<a class="cite-back" href="{}">'
                    '<span class="visually-hidden">Cited for: </span>{}</a>',
                    url,
                    label,
                )
            )
        cursor = piece.end
        i = j
    out.append(escape(text[cursor:end]))
    return "".join(out)


@register.simple_tag
def highlighted_text(text: str, citations: Sequence[Any]) -> SafeString:
    """The article's paragraphs with every cited span in a <mark id="cite-N">.

    Spans may nest or cross, and may run over paragraph breaks: each is cut at the paragraph
    edges, and only its first piece carries the id the citation links land on.
    """
    paragraphs: list[tuple[int, int]] = []
    position = 0
    for block in text.split("\n\n"):
        paragraphs.append((position, position + len(block)))
        position += len(block) + 2
    html: list[str] = []
    for p_start, p_end in paragraphs:
        pieces = [
            _Piece(max(c.start, p_start), min(c.end, p_end), c, p_start <= c.start < p_end)
            for c in citations
            if c.start < p_end and c.end > p_start
        ]
        pieces = [p for p in pieces if p.end > p.start]
        pieces.sort(key=lambda p: (p.start, -p.end))
        body = _render(text, p_start, p_end, pieces).replace("\n", "<br>")
        if text[p_start:p_end].strip():
            html.append(f"<p>{body}</p>")
    return mark_safe("\n".join(html))  # every piece of text above is escaped


@register.filter
def story_url(view: Any) -> str:
    """Story mode of the timeline as filtered now."""
    return str(view.url("timeline:story", at=None, after=None, before=None)).rstrip("?")


@register.filter
def export_url(view: Any, kind: str) -> str:
    """A feed or download of the timeline as filtered now (without its reading position)."""
    return view.url(f"timeline:export_{kind}", at=None, after=None, before=None)

"""The events of an article: one pass over its sentences, building each event found."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    document_time_expressions,
)
from timeline.extraction.events.detection import _events_in, _units
from timeline.extraction.events.lexicon import _Candidate
from timeline.extraction.events.participants import _Article, _MentionIndex, _roles
from timeline.extraction.events.titles import _join, _phrase, _place, _title
from timeline.extraction.events.verification import _confidence, _verification
from timeline.extraction.types import (
    DateSource,
    ExtractedActor,
    ExtractedEvent,
    ResolvedDate,
    Role,
    Span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# --------------------------------------------------------------------------------------------
# Public API


def extract_events(
    doc: Doc, published: dt.date, actors: list[ExtractedActor]
) -> list[ExtractedEvent]:
    """The dated events in a parsed article, in text order.

    ``actors`` (from the actor extractor) give each event its participants and roles through
    their mention spans; ``published`` anchors relative dates.
    """
    expressions = document_time_expressions(doc, published)
    article = _Article(_units(doc), _MentionIndex(actors))
    events: list[ExtractedEvent] = []
    for index, unit in enumerate(article.units):
        built = [
            _build(candidate, date, index, article)
            for candidate, date in _events_in(unit, published, expressions)
        ]
        if built:
            article.remember(index, built[-1])
        events.extend(built)
    return events


def _build(
    candidate: _Candidate, date: ResolvedDate, index: int, article: _Article
) -> ExtractedEvent:
    unit = article.units[index]
    roles, subject, obj = _roles(candidate, index, article)
    previous_event = article.previous_event(index)
    inherited = False
    if (
        date.is_fallback
        and previous_event is not None
        and subject is not None
        and subject.pos_ == "PRON"
        and subject.i - unit.start <= 2
        and not previous_event.date.is_fallback
    ):
        # "They discussed international security": the sentence continues the previous event.
        date, inherited = previous_event.date, True
    scheduled = date.is_scheduled or (date.is_fallback and _is_future(candidate.token))
    if scheduled and not date.is_scheduled:
        date = replace(date, is_scheduled=True)
    title = _title(candidate, subject, obj, roles, article.mentions, scheduled)
    verification = _verification(candidate, index, article, roles)
    confidence = _confidence(candidate, date, roles) - (0.1 if inherited else 0.0)
    if verification != "reported":
        confidence -= 0.1
    source = _date_source(candidate, date, inherited=inherited)
    place = _place(candidate.token)
    return ExtractedEvent(
        title=title,
        summary=_summary(candidate, title, roles, article, date, source, place),
        span=Span(unit.start_char, unit.end_char),
        date=date,
        category=candidate.category,
        verification=verification,
        actors=roles,
        place=place,
        confidence=round(max(0.05, confidence), 2),
        date_source=source,
    )


def _date_source(candidate: _Candidate, date: ResolvedDate, *, inherited: bool) -> DateSource:
    if inherited:
        return "paragraph"
    if date.is_fallback or date.span is None:
        return "publication"
    own = candidate.own_date
    if own is not None and own.span.start < date.span.end and date.span.start < own.span.end:
        return "clause"
    return "sentence"


_DATE_BASIS = {
    "clause": "in the event's own clause",
    "sentence": "elsewhere in its sentence",
    "paragraph": "from the event before it in the paragraph",
}


def _summary(
    candidate: _Candidate,
    title: str,
    roles: list[tuple[str, Role]],
    article: _Article,
    date: ResolvedDate,
    source: DateSource,
    place: str,
) -> str:
    """What the card adds to its title: who reports it, who else takes part, where, and what
    the date rests on. The card shows the cited sentence itself once, beside this."""
    parts: list[str] = []
    reporter = _reporter(candidate.token, article)
    if reporter:
        parts.append(f"According to {reporter}.")
    lowered = title.lower()
    others = [
        article.mentions.short(name)
        for name, role in roles
        if role in ("target", "participant") and article.mentions.short(name).lower() not in lowered
    ]
    if others:
        parts.append(f"Involving {_join(others)}.")
    if place and place.lower() not in lowered:
        parts.append(f"In {place}.")
    if source == "publication":
        parts.append("The text gives no date for it: dated by the publication date.")
    else:
        quoted = f"“{date.text}”" if date.text else "a date"
        parts.append(f"Dated by {quoted} {_DATE_BASIS[source]}.")
    return " ".join(parts)


_REPORTING = {"say", "report", "tell", "add", "announce", "claim", "state", "confirm", "write"}


def _reporter(token: Token, article: _Article) -> str:
    """The source a reporting verb above the event names ("Interfax news agency reported")."""
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in _REPORTING:
            subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ != "PRON":
                return _phrase(subject, article.mentions, limit=5)
            return ""
    return ""


def _is_future(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in token.children)

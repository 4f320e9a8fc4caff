"""The events of an article: one pass over its sentences, building each event found."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    document_time_expressions,
)
from timeline.extraction.events.detection import _events_in, _units
from timeline.extraction.events.lexicon import _Candidate
from timeline.extraction.events.participants import _Article, _MentionIndex, _roles
from timeline.extraction.events.titles import _place, _title
from timeline.extraction.events.verification import _confidence, _verification
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ResolvedDate,
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
    return ExtractedEvent(
        title=title,
        summary=re.sub(r"\s+", " ", unit.text).strip(),
        span=Span(unit.start_char, unit.end_char),
        date=date,
        category=candidate.category,
        verification=verification,
        actors=roles,
        place=_place(candidate.token),
        confidence=round(max(0.05, confidence), 2),
    )


def _is_future(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in token.children)

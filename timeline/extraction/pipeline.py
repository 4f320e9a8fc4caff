"""The extraction pipeline: one parse; actors, statements, events and dates; then a safety check.

`extract(text, published)` is the whole of it for callers; `extract_timed` also says how long the
spaCy parse took against everything after it (the benchmark's target: at most 30% on top of the
parse). Every span in the result lies inside `text` and reproduces what it claims to cite:
`validate` drops what does not, so a bug in one extractor never reaches an editor as a wrong
citation.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from timeline.extraction import actors, dates, events, places, statements
from timeline.extraction.nlp import get_nlp
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ExtractedStatement,
    Extraction,
    ResolvedDate,
    Span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimedExtraction:
    """An extraction with where its time went and what the safety check dropped."""

    extraction: Extraction
    parse_seconds: float  # the spaCy parse
    rest_seconds: float  # actors, statements, events, dates and validation
    dropped: list[str] = field(default_factory=list)  # why each dropped item was dropped

    @property
    def overhead(self) -> float:
        """The pipeline's time on top of the bare parse, as a fraction of the parse."""
        return self.rest_seconds / self.parse_seconds if self.parse_seconds else 0.0


def extract(text: str, published: dt.date, *, title: str = "") -> Extraction:
    """Extract actors, statements (dated) and dated events from an article body.

    `published` is the publication date that relative dates ("on Friday") resolve against; an
    aware datetime counts by its own calendar day, in the zone it is given in (a US evening
    stays that evening's day, not the next day in UTC). `title`, the headline, is not part of
    the text and is never cited: it tells which lead sentence tells the story, an event always.
    """
    return extract_timed(text, published, title=title).extraction


def extract_timed(text: str, published: dt.date, *, title: str = "") -> TimedExtraction:
    """Like `extract`, also timing the parse against the rest (for `make bench`)."""
    started = time.perf_counter()
    doc = get_nlp()(text)
    parsed = time.perf_counter()
    extraction, dropped = extract_doc(doc, published, title=title)
    finished = time.perf_counter()
    return TimedExtraction(extraction, parsed - started, finished - parsed, dropped)


# Texts parsed at once by `BatchParse`: nlp.pipe runs the model's layers on several documents at a
# time, about 10% less CPU per article than one call each. 16 measured a little better than 8
# here; 32 and more were slower (the first layers' larger arrays) and hold more parsed documents.
PARSE_BATCH = 16


@dataclass
class ParseTimes:
    """Where a batch's extraction time went, summed over its articles (for `make bench`)."""

    parse_seconds: float = 0.0
    rest_seconds: float = 0.0


class BatchParse:
    """An `extract(text, published)` for articles ingested one after the other whose texts are
    known in advance: the first call parses them all together with `nlp.pipe`.

    Each article is still extracted on its own call, so its failure stays its own: if the batch
    parse fails, every text is parsed alone when it is extracted, where its error belongs.
    """

    def __init__(self, texts: Iterable[str], times: ParseTimes | None = None) -> None:
        self._waiting = list(dict.fromkeys(texts))
        self._docs: dict[str, Doc] = {}
        self.times = times if times is not None else ParseTimes()

    def extract(self, text: str, published: dt.date, *, title: str = "") -> Extraction:
        started = time.perf_counter()
        doc = self._parsed(text)
        parsed = time.perf_counter()
        extraction, _ = extract_doc(doc, published, title=title)
        self.times.parse_seconds += parsed - started
        self.times.rest_seconds += time.perf_counter() - parsed
        return extraction

    def _parsed(self, text: str) -> Doc:
        if self._waiting and text in self._waiting:
            waiting, self._waiting = self._waiting, []
            try:
                self._docs = dict(zip(waiting, get_nlp().pipe(waiting), strict=True))
            except Exception:
                logger.warning("Parsing a batch failed; parsing its articles one by one")
                logger.debug("Batch parse failure", exc_info=True)
        doc = self._docs.pop(text, None)
        return doc if doc is not None else get_nlp()(text)


def extract_doc(doc: Doc, published: dt.date, *, title: str = "") -> tuple[Extraction, list[str]]:
    """Run the extractors on a parsed `doc`; return the validated extraction and what was dropped.

    Split from `extract` so evaluations can parse many texts at once with `nlp.pipe`.
    """
    if isinstance(published, dt.datetime):  # a datetime is a date too, but compares badly
        published = published.date()
    found_actors = actors.extract_actors(doc)
    found_statements = statements.extract_statements(doc, found_actors)
    found_events = events.extract_events(doc, published, found_actors, title=title)
    sentences = _Sentences(doc)
    for statement in found_statements:
        if statement.date is None:
            statement.date = sentences.date_for(statement, published)
    for event in found_events:
        event.place_mentions = places.clause_mentions(doc, event)
    extraction = Extraction(
        actors=found_actors,
        statements=found_statements,
        events=found_events,
        places=places.article_mentions(doc),
    )
    kept, dropped = validate(extraction, doc.text)
    if dropped:
        # An extractor bug, not bad input: worth a look, never worth a wrong citation.
        logger.warning("Validation dropped %d item(s): %s", len(dropped), "; ".join(dropped[:5]))
    return kept, dropped


class _Sentences:
    """The doc's sentences, found by character offset."""

    def __init__(self, doc: Doc) -> None:
        self._sents: list[SpacySpan] = list(doc.sents)
        self._starts = [sent.start_char for sent in self._sents]

    def covering(self, span: Span) -> list[SpacySpan]:
        first = max(bisect.bisect_right(self._starts, span.start) - 1, 0)
        found = []
        for sent in self._sents[first:]:
            if sent.start_char >= max(span.end, span.start + 1):
                break
            found.append(sent)
        return found

    def date_for(self, statement: ExtractedStatement, published: dt.date) -> ResolvedDate:
        """When the statement was made: a date on its reporting verb, else the publication date.

        A date elsewhere in the sentence belongs to something else: "Maxar said images taken on
        Wednesday showed …" was said on the day of publication, not on Wednesday, and "… a red
        line Ukraine has rejected since the conflict began in 2014" was not said in 2014. Without
        a cue to anchor on, the sentence's own date is taken.
        """
        content = statement.content_span
        for sent in self.covering(statement.span):
            anchor = _cue_token(sent, statement.cue, content)
            resolved = dates.resolve_sentence_date(sent, published, anchor=anchor)
            if resolved.is_fallback or resolved.span is None:
                continue
            if anchor is None or _governed_by(sent.doc, resolved.span, anchor):
                return resolved
        return ResolvedDate(start=published, end=None, precision="day", span=None, is_fallback=True)


def _cue_token(sent: SpacySpan, cue: str, content: Span) -> Token | None:
    """The reporting verb in the sentence, outside the words reported."""
    cue = cue.casefold()
    matches = [tok for tok in sent if cue and tok.text.casefold() == cue]
    outside = [tok for tok in matches if not content.start <= tok.idx < content.end]
    return next(iter(outside or matches), None)


def _governed_by(doc: Doc, span: Span, anchor: Token) -> bool:
    """Does the date expression hang from `anchor` ("said on Friday"), before any other verb?"""
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    if words is None:
        return False
    token = words.root
    while token.head.i != token.i:  # spaCy makes a new Token on each access: compare positions
        token = token.head
        if token.i == anchor.i:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


# --------------------------------------------------------------------------------------------------
# Safety check


def _inside(span: Span | None, text: str) -> bool:
    return span is not None and 0 <= span.start < span.end <= len(text)


def _squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _reproduces(span: Span, claimed: str, text: str) -> bool:
    """The span's text is what the extractor says it cites (whitespace aside)."""
    return _squash(span.excerpt(text)) == _squash(claimed)


def _reproduces_place(span: Span, claimed: str, text: str) -> bool:
    return _inside(span, text) and _reproduces(span, claimed, text)


def _date_ok(date: ResolvedDate | None, text: str) -> bool:
    if date is None or date.span is None:
        return True
    return _inside(date.span, text) and (not date.text or _reproduces(date.span, date.text, text))


def validate(extraction: Extraction, text: str) -> tuple[Extraction, list[str]]:
    """Keep only what cites `text` faithfully; return the kept extraction and why others went.

    An actor keeps the mentions inside the text (and goes if none is left); a statement goes if its
    span or its content span is outside the text or its content is not the text it points at, and
    loses a speaker span or date that is out of bounds; an event goes if its span or its date's span
    is bad. Nothing is repaired by guessing: a dropped item is counted, not fixed.
    """
    dropped: list[str] = []
    kept_actors: list[ExtractedActor] = []
    for actor in extraction.actors:
        mentions = [m for m in actor.mentions if _inside(m, text) and m.excerpt(text).strip()]
        if actor.mentions and not mentions:
            dropped.append(f"actor {actor.name!r}: no mention inside the text")
            continue
        if len(mentions) < len(actor.mentions):
            dropped.append(f"{len(actor.mentions) - len(mentions)} mention(s) of {actor.name!r}")
        kept_actors.append(replace(actor, mentions=mentions))

    kept_statements: list[ExtractedStatement] = []
    for st in extraction.statements:
        if not (_inside(st.span, text) and _inside(st.content_span, text)):
            dropped.append(f"statement {st.content[:40]!r}: span outside the text")
            continue
        if not _reproduces(st.content_span, st.content, text):
            dropped.append(f"statement {st.content[:40]!r}: content is not the text it cites")
            continue
        if st.speaker_span is not None and not _inside(st.speaker_span, text):
            dropped.append(f"speaker span of {st.content[:40]!r}")
            st = replace(st, speaker_span=None)
        if st.cue_span is not None and not _inside(st.cue_span, text):
            dropped.append(f"cue span of {st.content[:40]!r}")
            st = replace(st, cue_span=None)
        if not _date_ok(st.date, text):
            dropped.append(f"date of {st.content[:40]!r}")
            st = replace(st, date=None)
        kept_statements.append(st)

    kept_events: list[ExtractedEvent] = []
    for event in extraction.events:
        if not _inside(event.span, text):
            dropped.append(f"event {event.title[:40]!r}: span outside the text")
            continue
        if not _date_ok(event.date, text):
            dropped.append(f"event {event.title[:40]!r}: date span is not the text it cites")
            continue
        kept_events.append(event)

    # The article's places are the context its events' places resolve in: keep those it cites.
    kept_places = [p for p in extraction.places if _reproduces_place(p.span, p.text, text)]
    kept = Extraction(
        actors=kept_actors, statements=kept_statements, events=kept_events, places=kept_places
    )
    return kept, dropped

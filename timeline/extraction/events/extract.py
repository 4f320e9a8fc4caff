"""The events of an article: one pass over its sentences, building each event found."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    TimeExpression,
    document_time_expressions,
)
from timeline.extraction.events.detection import _events_in, _lead_event, _units
from timeline.extraction.events.lexicon import _Candidate
from timeline.extraction.events.participants import _Article, _MentionIndex, _roles
from timeline.extraction.events.titles import _phrase, _place, _title
from timeline.extraction.events.verification import _confidence, _verification
from timeline.extraction.types import (
    DateSource,
    ExtractedActor,
    ExtractedEvent,
    ResolvedDate,
    Span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# --------------------------------------------------------------------------------------------
# Public API


def extract_events(
    doc: Doc, published: dt.date, actors: list[ExtractedActor], *, title: str = ""
) -> list[ExtractedEvent]:
    """The dated events in a parsed article, in text order.

    ``actors`` (from the actor extractor) give each event its participants and roles through
    their mention spans; ``published`` anchors relative dates. ``title``, the headline (not part
    of the text, so never cited), tells which sentence of the first paragraph tells the story:
    that sentence always yields an event, even when its verb is not in the lexicon.
    """
    expressions = document_time_expressions(doc, published)
    article = _Article(_units(doc), _MentionIndex(actors), expressions=expressions)
    events: list[ExtractedEvent] = []
    lemmas: list[str] = []  # each event's predicate, to tell one happening told twice
    text = doc.text
    lead_end = text.find("\n", len(text) - len(text.lstrip()))
    lead_end = len(text) if lead_end < 0 else lead_end
    lead_units = [i for i, u in enumerate(article.units) if u.start_char < lead_end]
    # The headline's sentence: in the first two paragraphs, as a standfirst often stands first.
    second = re.search(r"\S", text[lead_end:])
    second_end = text.find("\n", lead_end + second.start()) if second else -1
    opening = [
        i for i, u in enumerate(article.units) if second_end < 0 or u.start_char < second_end
    ]
    told = _headline_sentence(title, [article.units[i] for i in opening])
    told_index, headline_verb = (opening[told[0]], told[1]) if told is not None else (None, None)
    forced = None
    if told_index is None and not any(
        _events_in(article.units[i], published, expressions) for i in lead_units
    ):
        # The lead's happening is an event even when its verb is not in the lexicon.
        forced = next(
            (i for i in lead_units if _lead_event(article.units[i], published, expressions)), None
        )
    opening_set = set(opening)
    undated: list[int] = []  # where in `events` the opening's undated past events are
    for index, unit in enumerate(article.units):
        found = _events_in(unit, published, expressions)
        if index == forced:
            found = _lead_event(unit, published, expressions)
        elif index == told_index:
            # The headline's happening is an event of its sentence, beside any side detail.
            found = _with_main_event(found, unit, published, expressions, headline_verb)
        first = len(events)
        events.extend(_build(candidate, date, index, article) for candidate, date in found)
        lemmas.extend(candidate.token.lemma_.lower() for candidate, _ in found)
        if index in opening_set and article.lead_date is None:
            undated.extend(
                first + k
                for k, (candidate, _) in enumerate(found)
                if events[first + k].date_source == "publication"
                and _told_in_the_past(candidate.token)
            )
            article.lead_date = next(
                (e.date for e in events[first:] if _dates_the_story(e.date, published)), None
            )
            if article.lead_date is not None:
                # A standfirst or lead without a date ("Eleven of the council's members voted
                # for the motion") tells the story the next paragraph dates ("on Friday").
                for position in undated:
                    events[position] = _dated_by_lead(events[position], article.lead_date)
        built = events[first:]
        if built:
            article.remember(index, built[-1])
        earlier = _previous_time(unit, built, expressions)
        if earlier is not None:
            events.append(earlier)
            lemmas.append(lemmas[len(lemmas) - len(found)])
    return _one_per_happening(events, lemmas)


def _with_main_event(
    found: list[tuple[_Candidate, ResolvedDate]],
    unit: SpacySpan,
    published: dt.date,
    expressions: list[TimeExpression],
    headline_verb: Token | None,
) -> list[tuple[_Candidate, ResolvedDate]]:
    """The events of the sentence telling the headline, its main happening first: the one on
    the headline's verb or the sentence's main verb, made from that verb if the lexicon found
    only a side detail ("..., asked Putin to pull back the troops stationed at the border")."""
    main = {unit.root.i} | {c.i for c in unit.root.children if c.dep_ == "ccomp"}
    if headline_verb is not None:
        main.add(headline_verb.i)
    if any(candidate.token.i in main for candidate, _ in found):
        return found
    lead = _lead_event(unit, published, expressions, predicate=headline_verb)
    taken = {candidate.token.i for candidate, _ in found}
    return [pair for pair in lead if pair[0].token.i not in taken] + found


def _stem(word: str) -> str:
    """A crude stem that ties a headline's words to the lead's ("recognises", "recognised")."""
    return word.lower()[:5]


def _headline_sentence(title: str, lead: list[SpacySpan]) -> tuple[int, Token | None] | None:
    """The lead sentence that tells the headline's happening, and its verb sharing a stem
    with the headline's words (None: the sentence's own main verb). The sentence shares the
    most content words with the headline (two at least); the first sentence wins a tie."""
    words = {_stem(w) for w in _WORD.findall(title) if w.lower() not in _STOP_WORDS}
    if not words or not lead:
        return None
    best, best_score = -1, 1
    for position, unit in enumerate(lead):
        stems = {_stem(t.text) for t in unit if t.is_alpha and not t.is_stop}
        stems |= {_stem(t.lemma_) for t in unit if t.is_alpha and not t.is_stop}
        score = len(words & stems)
        if score > best_score:
            best, best_score = position, score
    if best < 0:
        return None
    unit = lead[best]
    verbs = [
        t for t in unit if t.pos_ == "VERB" and (_stem(t.text) in words or _stem(t.lemma_) in words)
    ]
    # The verb nearest the sentence's root: "Putin signed decrees recognising ..." is told by
    # "recognising" when the headline says "recognises".
    verbs.sort(key=lambda t: sum(1 for _ in t.ancestors))
    return best, next(iter(verbs), None)


_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP_WORDS = {
    "the", "and", "for", "with", "from", "over", "after", "into", "amid", "says", "said", "say",
    "could", "would", "will", "may", "might", "can", "new", "about", "than", "that", "this",
    "who", "what", "why", "how", "its", "his", "her", "their", "has", "have", "had", "was",
    "were", "are", "not", "but", "all", "out", "off", "more", "most", "been", "being", "live",
    "update", "updates", "latest", "news", "video", "watch", "analysis", "opinion",
}  # fmt: skip


# Verbs that tell one kind of happening: "called", "spoke with", "held talks" are one call.
_HAPPENING_KINDS = [
    {"call", "speak", "talk", "hold", "meet"},
    {"visit", "come", "travel", "arrive"},
    {"mass", "deploy", "station", "move", "send", "reinforce"},
]


def _one_per_happening(events: list[ExtractedEvent], lemmas: list[str]) -> list[ExtractedEvent]:
    """An article telling a happening twice (lead and body) gives one event citing both: the
    same agents, the same day (or no date of its own), the same kind of verb."""
    kept: list[tuple[ExtractedEvent, str]] = []
    for event, lemma in zip(events, lemmas, strict=True):
        same = next((k for k, verb in kept if _same_happening(k, verb, event, lemma)), None)
        if same is None:
            kept.append((event, lemma))
            continue
        same.also_cited.append(event.span)
        if same.date.is_fallback and not event.date.is_fallback:
            same.date, same.date_source = event.date, event.date_source
    return [event for event, _ in kept]


def _same_happening(first: ExtractedEvent, verb: str, second: ExtractedEvent, other: str) -> bool:
    agents = {name for name, role in first.actors if role == "agent"}
    others = {name for name, role in second.actors if role == "agent"}
    if not agents or agents != others or first.category != second.category:
        return False
    targets = {n for n, r in first.actors if r in ("target", "participant")}
    their_targets = {n for n, r in second.actors if r in ("target", "participant")}
    if targets and their_targets and not targets & their_targets:
        return False
    dated = not first.date.is_fallback and not second.date.is_fallback
    if dated and (first.date.start, first.date.end) != (second.date.start, second.date.end):
        return False
    if first.date.is_scheduled != second.date.is_scheduled:
        return False
    return verb == other or any(verb in kind and other in kind for kind in _HAPPENING_KINDS)


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
    lead = False
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in candidate.token.children)
    if date.is_fallback and not inherited and not perfect and not _is_future(candidate.token):
        # A perfect ("has responded") tells a state up to now, not a happening on a day.
        earlier = _paragraph_date(unit, article)
        if earlier is not None:
            # "... said Sullivan on Friday. 'What we are saying is ...'": the paragraph's date.
            date, inherited = earlier, True
    if (
        date.is_fallback
        and not inherited
        and article.lead_date is not None
        and _told_in_the_past(candidate.token)
    ):
        # "Biden warned Putin the US would respond ..." in the body of an article whose lead
        # dates the call: the body tells the lead's happening, so its day, not publication's.
        date, lead = article.lead_date, True
    scheduled = date.is_scheduled or (date.is_fallback and _is_future(candidate.token))
    if scheduled and not date.is_scheduled:
        date = replace(date, is_scheduled=True)
    title = _title(candidate, subject, obj, roles, article.mentions, scheduled)
    verification = _verification(candidate, index, article, roles)
    confidence = _confidence(candidate, date, roles) - (0.1 if inherited or lead else 0.0)
    if verification != "reported":
        confidence -= 0.1
    source = "lead" if lead else _date_source(candidate, date, inherited=inherited)
    place = _place(candidate.token)
    return ExtractedEvent(
        title=title,
        summary=_summary(candidate, index, article),
        span=Span(unit.start_char, unit.end_char),
        date=date,
        category=candidate.category,
        verification=verification,
        actors=roles,
        place=place,
        confidence=round(max(0.05, confidence), 2),
        date_source=source,
        trigger=Span(candidate.token.idx, candidate.token.idx + len(candidate.token)),
    )


# "for the first time since Dec. 30", "the first time the two leaders have spoken since December"
_FIRST_TIME_SINCE = re.compile(r"\bfirst (?:time|\w+)\b[^.;]{0,50}\bsince\s+$", re.IGNORECASE)


def _previous_time(
    unit: SpacySpan, built: list[ExtractedEvent], expressions: list[TimeExpression]
) -> ExtractedEvent | None:
    """ "The leaders spoke for the first time since Dec. 30": the sentence also tells that the
    same happening took place on that day, an event of its own (the earlier call)."""
    if not built:
        return None
    text, base = unit.doc.text, unit.start_char
    for expression in expressions:
        resolved = expression.resolved
        if resolved is None or not base <= expression.span.start < unit.end_char:
            continue
        if not _FIRST_TIME_SINCE.search(
            text, max(base, expression.span.start - 80), expression.span.start
        ):
            continue
        main = built[0]
        if resolved.start >= main.date.start:
            return None
        return replace(
            main,
            title=f"{main.title} (the time before)"[:70],
            date=resolved,
            date_source="clause",
            also_cited=[],
            confidence=round(max(0.05, main.confidence - 0.1), 2),
        )
    return None


def _date_source(candidate: _Candidate, date: ResolvedDate, *, inherited: bool) -> DateSource:
    if inherited:
        return "paragraph"
    if date.is_fallback or date.span is None:
        return "publication"
    own = candidate.own_date
    if own is not None and own.span.start < date.span.end and date.span.start < own.span.end:
        return "clause"
    return "sentence"


def _summary(candidate: _Candidate, index: int, article: _Article) -> str:
    """What the card adds to its title and cited sentence: the paragraph's other sentences
    (what led to it, what followed), else the next sentence; the card shows the citation once."""
    unit = article.units[index]
    doc = unit.doc
    text = doc.text
    start = text.rfind("\n", 0, unit.start_char) + 1
    end = text.find("\n", unit.end_char)
    end = len(text) if end < 0 else end
    around = [
        other
        for other in article.units
        if start <= other.start_char < end and other.start_char != unit.start_char
    ]
    if not around and index + 1 < len(article.units):
        around = [article.units[index + 1]]
    summary = " ".join(re.sub(r"\s+", " ", u.text).strip() for u in around)
    if len(summary) > _SUMMARY_CHARACTERS:
        summary = summary[:_SUMMARY_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return summary


_SUMMARY_CHARACTERS = 300


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


def _paragraph_date(unit: SpacySpan, article: _Article) -> ResolvedDate | None:
    """The last day named earlier in the sentence's paragraph, if any."""
    text = unit.doc.text
    start = text.rfind("\n", 0, unit.start_char) + 1
    found = None
    for expression in article.expressions:
        if expression.span.start >= unit.start_char:
            break
        resolved = expression.resolved
        if expression.span.start >= start and resolved is not None and resolved.precision == "day":
            found = resolved
    return found


def _dated_by_lead(event: ExtractedEvent, date: ResolvedDate) -> ExtractedEvent:
    return replace(
        event,
        date=date,
        date_source="lead",
        confidence=round(max(0.05, event.confidence - 0.1), 2),
    )


def _dates_the_story(date: ResolvedDate, published: dt.date) -> bool:
    """A lead's date that can date the body's undated past events: a day in the week before."""
    return (
        not date.is_fallback
        and not date.is_scheduled
        and date.precision == "day"
        and dt.timedelta(0) <= published - date.start <= dt.timedelta(days=7)
    )


def _told_in_the_past(token: Token) -> bool:
    """A simple past ("warned", "was told"), not a perfect ("has denied": a standing state),
    a present or a future."""
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lemma_ == "have" or c.tag_ == "MD" or c.lower_ == "to" for c in auxes):
        return False
    if auxes:
        return all(c.tag_ == "VBD" for c in auxes)
    return token.tag_ == "VBD"


def _is_future(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in token.children)

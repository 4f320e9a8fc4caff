"""Finding the time expressions of a parsed text: every rule's matches, longest first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

# Importing the rule modules registers their rules, calendar ones first (ties go by order).
from timeline.extraction.dates import rules_calendar, rules_relative  # noqa: F401
from timeline.extraction.dates.table import _RULES, _Context, _DocumentState, _Rule
from timeline.extraction.dates.tense import _governing_verb, tense_of
from timeline.extraction.dates.vocabulary import _FUTURE_CUE, PLANNING_VERBS, Tense, TimeExpression
from timeline.extraction.types import ResolvedDate, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

# --------------------------------------------------------------------------------------------
# Public API


def find_time_expressions(doc: Doc | SpacySpan, published: dt.date) -> list[TimeExpression]:
    """Find the time expressions in a parsed Doc (or one sentence of it), in text order.

    Offsets are into the Doc's text. Values follow TimeML TIMEX3; ``resolved`` is set for the
    DATE and TIME values that name calendar days, weeks, months, quarters, seasons or years.
    """
    text = doc.text
    base = doc.start_char if hasattr(doc, "start_char") else 0
    full = doc.doc if hasattr(doc, "doc") else doc
    entities = [
        (e.start_char - base, e.end_char - base) for e in doc.ents if e.label_ in ("DATE", "TIME")
    ]
    candidates: list[tuple[int, int, int, _Rule]] = []
    for rule in _RULES:
        for window_start, window_end in rule.windows(text):
            for found in rule.pattern.finditer(text, window_start, window_end):
                if found.end() > found.start():
                    candidates.append((found.start(), found.end(), rule.priority, rule))
    # Longest match first, then the more specific rule; keep those that do not overlap.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    taken: list[tuple[int, int, _Rule]] = []
    for start, end, _, rule in candidates:
        if any(start < e and s < end for s, e, _ in taken):
            continue
        taken.append((start, end, rule))
    taken.sort(key=lambda c: c[0])

    state = _DocumentState()
    results: list[TimeExpression] = []
    for start, end, rule in taken:
        match = rule.pattern.match(text, start, len(text) if rule.looks_ahead else end)
        if match is None or match.end() != end:
            continue
        in_entity = any(s < end and start < e for s, e in entities)
        span = full.char_span(start + base, end + base, alignment_mode="expand")
        tense: Tense = ""
        if span is not None and len(span):
            tense = tense_of(span.root)
        cue = _FUTURE_CUE.search(text, max(0, start - 30), start)
        strong_cue = bool(cue and cue["weak"] is None)
        if tense != "future" and span is not None and len(span):
            verb = _governing_verb(span.root)
            if verb is not None and verb.lemma_.lower() in PLANNING_VERBS:
                strong_cue = True
        context = _Context(published, tense, in_entity, state, start + base, bool(cue), strong_cue)
        result = rule.normalise(match, context)
        if result is None:
            continue
        resolved = None
        if result.resolution is not None and result.type in ("DATE", "TIME"):
            _, precision, first, last = result.resolution
            if precision in ("day", "month", "year") and result.value[:1].isdigit():
                state.references.append((precision, first))
            resolved = ResolvedDate(
                start=first,
                end=last if last != first else None,
                precision=precision,
                span=Span(start + base, end + base),
                text=match[0],
                is_scheduled=last >= published and (tense == "future" or first > published),
            )
        results.append(
            TimeExpression(
                Span(start + base, end + base),
                match[0],
                result.type,
                result.value,
                resolved,
                tense,
            )
        )
    return results


# The last few documents' expressions: the pipeline dates every statement's sentence, and one
# pass over the whole document is cheaper (and sees more context) than one per sentence.
_RECENT: list[tuple[Doc, dt.date, list[TimeExpression]]] = []


def document_time_expressions(doc: Doc, published: dt.date) -> list[TimeExpression]:
    """``find_time_expressions`` over the whole document, remembered for the last few docs."""
    for cached_doc, cached_published, found in list(_RECENT):  # a snapshot: threads share it
        if cached_doc is doc and cached_published == published:
            return found
    found = find_time_expressions(doc, published)
    _RECENT.insert(0, (doc, published, found))
    del _RECENT[4:]
    return found

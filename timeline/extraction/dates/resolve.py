"""The date of the event a sentence reports, chosen among its time expressions by the parse."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from timeline.extraction.dates.find import document_time_expressions
from timeline.extraction.dates.tense import _governing_verb
from timeline.extraction.dates.vocabulary import TimeExpression, _month_end
from timeline.extraction.types import Precision, ResolvedDate, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


def _unit_end(start: dt.date, precision: Precision) -> dt.date:
    if precision == "day":
        return start
    if precision == "week":
        return start + dt.timedelta(days=6)
    if precision == "month":
        return _month_end(start.year, start.month)
    return dt.date(start.year, 12, 31)


def resolve_sentence_date(
    sent: SpacySpan,
    published: dt.date,
    *,
    anchor: Token | None = None,
    expressions: Iterable[TimeExpression] | None = None,
    strict: bool = False,
) -> ResolvedDate:
    """The date of the event a sentence reports, or the publication date as a fallback.

    ``anchor`` (the event's predicate) prefers the expression attached to it: in "Maxar said
    images taken on Wednesday showed …" the date belongs to "taken", not "said". Then come dates
    inside its clause, then dates on the clauses above it (the day it was reported). A date on a
    later conjunct does not carry back ("massed troops, and this week launched drills"), nor does
    a reporting date reach a past perfect ("said on Friday Macron had refused"): with ``strict``
    such unrelated dates give the fallback instead of the nearest date in the sentence. Two
    coordinated day expressions ("on Wednesday and Thursday") make a range; "since 2014" dates a
    state, not an event, and is skipped.
    """
    if expressions is None:
        expressions = document_time_expressions(sent.doc, published)
    doc = sent.doc
    text, base = sent.text, sent.start_char  # Doc.text is rebuilt on every access: avoid it
    inside = [
        e
        for e in expressions
        if e.resolved is not None
        and sent.start_char <= e.span.start < sent.end_char
        and not _SINCE.search(text, max(0, e.span.start - base - 7), e.span.start - base)
        and not _names_a_thing(doc, e)
    ]
    fallback = ResolvedDate(start=published, end=None, precision="day", span=None, is_fallback=True)
    if not inside:
        return _lasting_until(sent, published, expressions, anchor) or fallback
    head = anchor if anchor is not None else sent.root
    perfect = any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in head.children)

    def distance(expression: TimeExpression) -> tuple[int, int]:
        span = doc.char_span(expression.span.start, expression.span.end, alignment_mode="expand")
        verb = _governing_verb(span.root) if span is not None else None
        if verb is None:
            return (9, expression.span.start)
        if verb == head:
            return (0, expression.span.start)
        if head in verb.ancestors:  # the date sits inside the predicate's clause
            path = _path_deps(verb, head)
            rank = 9 if "conj" in path or _apart(verb, head) else 1 + len(path)
            return (rank, expression.span.start)
        if verb in head.ancestors:  # a clause above: the reporting verb, the first conjunct
            rank = 9 if perfect else 4 + len(_path_deps(head, verb))
            return (rank, expression.span.start)
        return (9, expression.span.start)

    ranked = sorted(inside, key=distance)
    best = ranked[0]
    if strict and distance(best)[0] >= 9:
        return fallback
    assert best.resolved is not None
    chosen = best.resolved
    partner = _coordinated(best, inside, text, base)
    if partner is not None and partner.resolved is not None:
        first, second = sorted((chosen, partner.resolved), key=lambda r: r.start)
        chosen = ResolvedDate(
            start=first.start,
            end=second.end or _unit_end(second.start, second.precision),
            precision=first.precision,
            span=Span(
                min(best.span.start, partner.span.start), max(best.span.end, partner.span.end)
            ),
            text=text[
                min(best.span.start, partner.span.start) - base : max(
                    best.span.end, partner.span.end
                )
                - base
            ],
            is_scheduled=first.is_scheduled or second.is_scheduled,
        )
    return chosen


def _names_a_thing(doc: Doc, expression: TimeExpression) -> bool:
    """A year in a name ("the 2022 Winter Olympics", "the 2014 Minsk agreement") dates the
    thing named, not the event of the sentence."""
    span = doc.char_span(expression.span.start, expression.span.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span.root
    return token.dep_ in ("compound", "nummod", "amod", "nmod") and token.head.pos_ == "PROPN"


_REPORTING = {"say", "tell", "report", "add", "announce", "state", "write", "confirm"}


def _apart(low: Token, high: Token) -> bool:
    """The clause of ``low`` is not part of what ``high`` reports: a relative clause, a clause
    hanging from a noun ("reports that fighting could start next week") or one under a modal
    ("could start") that ``high`` lacks. A participle on the subject stays in ("images taken on
    Wednesday showed"): it dates what the sentence reports."""
    # A reporting verb's date is the report's, whatever the parse hangs it under ("..., an
    # invasion could come at any time, Washington said on Friday").
    high_modal = low.lemma_.lower() in _REPORTING or any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in high.children
    )
    current = low
    while current != high and current.head.i != current.i:
        if not high_modal and any(c.dep_ == "aux" and c.tag_ == "MD" for c in current.children):
            return True
        if current.dep_ == "relcl":
            return True
        if current.dep_ == "acl" and not (
            current.tag_ == "VBN" and current.head.dep_ in ("nsubj", "nsubjpass")
        ):
            return True
        current = current.head
    return False


def _path_deps(low: Token, high: Token) -> list[str]:
    """The dependency labels from ``low`` up to (not including) its ancestor ``high``."""
    deps: list[str] = []
    while low != high and len(deps) < 12:
        deps.append(low.dep_)
        low = low.head
    return deps


def _lasting_until(
    sent: SpacySpan,
    published: dt.date,
    expressions: Iterable[TimeExpression],
    anchor: Token | None,
) -> ResolvedDate | None:
    """ "The Games are hosted by Beijing until Feb. 20": a state that runs from publication to
    a day ahead, on the predicate itself, is dated by that stretch rather than by publication."""
    head = anchor if anchor is not None else sent.root
    text, base = sent.text, sent.start_char
    for expression in expressions:
        resolved = expression.resolved
        if resolved is None or not sent.start_char <= expression.span.start < sent.end_char:
            continue
        if not _UNTIL.search(
            text, max(0, expression.span.start - base - 7), expression.span.start - base
        ):
            continue
        span = sent.doc.char_span(
            expression.span.start, expression.span.end, alignment_mode="expand"
        )
        if span is None or _governing_verb(span.root) != head or resolved.start <= published:
            continue
        return ResolvedDate(
            start=published,
            end=resolved.end or resolved.start,
            precision="day",
            span=expression.span,
            text=expression.text,
            is_scheduled=True,
        )
    return None


_UNTIL = re.compile(r"\b(?:until|till)\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|before|after|until|till)\s+$", re.IGNORECASE)


_RANGE_JOINER = re.compile(r"\s*(?:and|to|through|until|till|-|–|—|or)\s*(?:on\s+)?", re.I)


def _coordinated(
    expression: TimeExpression, others: list[TimeExpression], text: str, base: int
) -> TimeExpression | None:
    for other in others:
        if other is expression or other.resolved is None or expression.resolved is None:
            continue
        if other.resolved.precision != expression.resolved.precision:
            continue
        left, right = sorted((expression, other), key=lambda e: e.span.start)
        if _RANGE_JOINER.fullmatch(text[left.span.end - base : right.span.start - base]):
            return other
    return None

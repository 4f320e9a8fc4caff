"""Sentences and their event predicates: which are asserted, which is the main event, and
which further predicates carry a date of their own."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    TimeExpression,
    resolve_sentence_date,
)
from timeline.extraction.events.lexicon import (
    _PERSON_PRONOUNS,
    CONDITIONAL_MARKS,
    HYPOTHETICAL_AUX,
    LIGHT_OBJECTS,
    LIGHT_VERBS,
    NOUN_CATEGORIES,
    PREDICATES,
    SCHEDULING,
    TEMPORAL_MARKS,
    WITHHOLDING,
    _Candidate,
)
from timeline.extraction.types import (
    Category,
    ResolvedDate,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# --------------------------------------------------------------------------------------------
# Sentences and predicates


def _units(doc: Doc) -> list[SpacySpan]:
    """spaCy's sentences, cut again at line breaks (the small model runs across paragraphs)."""
    units: list[SpacySpan] = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if "\n" in token.text and token.i > start:
                units.append(doc[start : token.i])
                start = token.i + 1
        if start < sent.end:
            units.append(doc[start : sent.end])
    return [u for u in units if any(t.is_alpha for t in u)]


def _unit_root(unit: SpacySpan, token: Token) -> bool:
    return token.head.i == token.i or not (unit.start <= token.head.i < unit.end)


def _is_asserted(token: Token, unit: SpacySpan) -> bool:
    """The predicate reports something that happened or is scheduled, not a possibility."""
    current = token
    for _ in range(8):
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children):
            return False
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in children):
            return False
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children):
            return False
        if _unit_root(unit, current):
            return True
        head = current.head
        dep = current.dep_
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
        if current.pos_ not in ("VERB", "AUX"):
            current = head  # walking up through a noun phrase ("Macron, who visited")
            continue
        if dep == "advcl" and infinitive:
            return False  # a purpose: "to discuss the crisis", "to persuade Russia"
        if _past_clause_of_time(current):
            return True
        if dep in ("acl", "relcl") and infinitive and head.dep_ != "attr":
            return False  # "the right to move forces"; but "the latest official to travel"
        if dep in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            # A clause on a noun asserts itself whatever the sentence around it does: "could
            # invade during the Olympics set to end Feb. 20", "could take Crimea, which it held".
            return True
        if dep == "xcomp":
            if head.lemma_.lower() in WITHHOLDING:
                return False
            controlling = SCHEDULING | {"tell", "order", "advise", "force"}
            if head.lemma_.lower() not in controlling and head.pos_ == "VERB":
                return False
        elif dep == "ccomp":
            if head.lemma_.lower() in WITHHOLDING:
                return False
        elif dep in ("pcomp", "csubj", "amod", "compound"):
            return False
        current = head
    return True


def _past_clause_of_time(verb: Token) -> bool:
    """ "(until) after the games ended", "since Russia seized Crimea": told as known."""
    if verb.tag_ != "VBD" or verb.dep_ not in ("advcl", "pcomp"):
        return False
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if verb.dep_ == "pcomp":
        marks.add(verb.head.lower_)
    return bool(marks & TEMPORAL_MARKS)


def _category_from_nouns(token: Token) -> Category | None:
    counts: dict[Category, int] = {}
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "prep", "attr", "dative", "xcomp", "prt"):
            for word in child.subtree:
                if word.dep_ in ("relcl", "acl"):
                    continue
                category = NOUN_CATEGORIES.get(word.lemma_.lower())
                if category is None and word.pos_ == "ADJ":
                    category = NOUN_CATEGORIES.get(word.lower_.removesuffix("ic"))
                if category:
                    counts[category] = counts.get(category, 0) + 1
    if not counts:
        return None
    best: Category = max(counts, key=lambda c: counts[c])
    return best


def _predicate(token: Token) -> tuple[Category, float] | None:
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
        return None
    lemma = token.lemma_.lower()
    if lemma in LIGHT_VERBS:
        return _light_predicate(token)
    entry = PREDICATES.get(lemma)
    if entry is None:
        return None
    category, strength = entry
    if lemma == "come" and not any(
        c.dep_ == "nsubj" and (c.ent_type_ == "PERSON" or c.lower_ in _PERSON_PRONOUNS)
        for c in token.children
    ):
        return None  # "invasion could come": only a person's coming is a visit
    if lemma == "speak" and not _speak_with(token):
        return None  # "spoke to reporters" is a statement, left to the statement extractor
    if lemma == "take" and not any(
        c.dep_ == "dobj" and c.lower_ == "place" for c in token.children
    ):
        return None  # only "the call took place" is a happening
    if lemma == "tell" and not any(c.dep_ == "xcomp" for c in token.children):
        return None  # plain "told NBC" is a statement, left to the statement extractor
    if lemma == "call":
        children = {c.dep_ for c in token.children}
        particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep")}
        if children & {"oprd", "ccomp", "xcomp"} or particles & {"for", "on"}:
            return "statement", 0.55  # "called the response insulting", "called for talks"
    if lemma in ("begin", "start", "continue") and any(c.dep_ == "xcomp" for c in token.children):
        return None  # "began to realise": the complement, if anything, is the event
    by_nouns = _category_from_nouns(token)
    if category is None:
        if by_nouns is None:
            return None if strength < 0.7 else ("other", round(strength - 0.2, 2))
        category = by_nouns
    elif category == "statement" and by_nouns == "economic" and lemma in ("threaten", "announce"):
        category = "economic"
    return category, strength


def _light_predicate(token: Token) -> tuple[Category, float] | None:
    """ "had a phone call with Putin", "issued a warning": the object is the happening."""
    for child in token.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in LIGHT_OBJECTS:
            category, strength = LIGHT_OBJECTS[child.lemma_.lower()]
            if category == "other":  # "gave the order to deploy troops": what was ordered
                category = _category_from_nouns(token) or category
            return category, strength
    return None


def _speak_with(token: Token) -> bool:
    """ "Biden spoke with Putin", "the two leaders spoke": a conversation between parties."""
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children):
        return True
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        subject is not None
        and (subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children))
        and subject.lemma_.lower() not in ("official", "source", "people", "analyst", "expert")
    )


def _events_in(
    unit: SpacySpan, published: dt.date, expressions: list[TimeExpression]
) -> list[tuple[_Candidate, ResolvedDate]]:
    inside = [e for e in expressions if unit.start_char <= e.span.start < unit.end_char]
    found: list[tuple[Token, Category, float]] = []
    for token in unit:
        predicate = _predicate(token)
        if predicate is not None and _is_asserted(token, unit):
            found.append((token, *predicate))
    if not found:
        return []
    predicates = {token.i for token, _, _ in found}
    governors = [(e, _governor(e, unit)) for e in inside if e.resolved is not None]
    candidates = [
        _Candidate(token, category, strength, _own_date(token, governors, predicates))
        for token, category, strength in found
    ]

    def rank(candidate: _Candidate) -> tuple[float, int]:
        depth = _depth_to_root(candidate.token, unit)
        score = candidate.strength - 0.08 * depth + (0.1 if candidate.own_date else 0.0)
        if candidate.category == "statement":
            score -= 0.15
        return (-score, candidate.token.i)

    ordered = sorted(candidates, key=rank)
    main = ordered[0]
    chosen = [
        (
            main,
            resolve_sentence_date(
                unit, published, anchor=main.token, expressions=inside, strict=True
            ),
        )
    ]
    # Each further event needs a date expression of its own that no event has used yet.
    used = [chosen[0][1].span] if chosen[0][1].span is not None else []
    for candidate in ordered[1:]:
        if candidate.own_date is None or candidate.strength < 0.5:
            continue
        date = resolve_sentence_date(
            unit, published, anchor=candidate.token, expressions=inside, strict=True
        )
        if date.span is None or any(
            u.start <= date.span.start and date.span.end <= u.end for u in used
        ):
            continue
        used.append(date.span)
        chosen.append((candidate, date))
    chosen.sort(key=lambda pair: pair[0].token.i)
    return chosen


def _own_date(
    token: Token, governors: list[tuple[TimeExpression, Token | None]], predicates: set[int]
) -> TimeExpression | None:
    """A date in the predicate's own clause: on it, or on a participle under it ("images taken
    on Wednesday showed"), not reached through a conjunct or another event predicate."""
    for expression, governor in governors:
        current = governor
        for _ in range(6):
            if current is None:
                break
            if current.i == token.i:
                return expression
            if current.dep_ == "conj" or current.i in predicates or current.head.i == current.i:
                break
            current = current.head
    return None


def _governor(expression: TimeExpression, unit: SpacySpan) -> Token | None:
    span = unit.doc.char_span(expression.span.start, expression.span.end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _depth_to_root(token: Token, unit: SpacySpan) -> int:
    depth = 0
    while not _unit_root(unit, token) and depth < 10:
        token = token.head
        depth += 1
    return depth


def _line_break_between(left: Token, right: Token) -> bool:
    low, high = sorted((left.i, right.i))
    breaks = _line_breaks(left.doc)
    return bisect.bisect_left(breaks, low) != bisect.bisect_left(breaks, high)


_BREAKS: list[tuple[Doc, list[int]]] = []


def _line_breaks(doc: Doc) -> list[int]:
    """Indices of the tokens that hold or precede a line break, for the last doc seen."""
    cached = _BREAKS[0] if _BREAKS else None  # one read: another thread may replace it
    if cached is not None and cached[0] is doc:
        return cached[1]
    breaks = [t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_]
    _BREAKS[:] = [(doc, breaks)]
    return breaks


_REPORTING_LEMMAS = {"say", "tell", "report", "add", "announce", "claim", "state", "write"}


def _lead_event(
    unit: SpacySpan,
    published: dt.date,
    expressions: list[TimeExpression],
    *,
    predicate: Token | None = None,
) -> list[tuple[_Candidate, ResolvedDate]]:
    """The lead sentence's main verb as an event, for a lead whose verb is not in the lexicon
    ("Biden asked Putin to pull back troops"): readers look there first. A reporting verb
    gives way to what it reports ("..., Washington said"). ``predicate``, the verb the headline
    names, is taken instead of the main verb when it is asserted."""
    if predicate is not None and _is_asserted(predicate, unit):
        found = _lead_event_on(predicate, unit, published, expressions)
        if found:
            return found
    token = unit.root
    return _lead_event_on(token, unit, published, expressions)


def _clause_on_complement(copula: Token) -> Token | None:
    for child in copula.children:
        if child.dep_ in ("attr", "acomp", "prep"):
            for word in child.subtree:
                if word.dep_ in ("relcl", "acl") and word.pos_ == "VERB":
                    return word
    return None


def _lead_event_on(
    token: Token, unit: SpacySpan, published: dt.date, expressions: list[TimeExpression]
) -> list[tuple[_Candidate, ResolvedDate]]:
    if token.lemma_.lower() in _REPORTING_LEMMAS:
        token = next((c for c in token.children if c.dep_ == "ccomp"), token)
    if token.lemma_.lower() == "be":
        # "India and China were among 35 countries that abstained": a copula tells no
        # happening; the clause on its complement does, if there is one.
        token = _clause_on_complement(token) or token
        if token.lemma_.lower() == "be":
            return []
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD" or not _is_asserted(token, unit):
        return []
    if any(
        c.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in c.children)
        for c in token.children
    ):
        return []  # "Sanctions will follow if Russia invades": a consequence, not a happening
    inside = [e for e in expressions if unit.start_char <= e.span.start < unit.end_char]
    governors = [(e, _governor(e, unit)) for e in inside if e.resolved is not None]
    category = _category_from_nouns(token) or "other"
    candidate = _Candidate(token, category, 0.6, _own_date(token, governors, {token.i}))
    date = resolve_sentence_date(unit, published, anchor=token, expressions=inside, strict=True)
    return [(candidate, date)]

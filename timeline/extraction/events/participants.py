"""Who an event involves: the actors' mentions in its subject, object and phrases, and the
article state (sentences, mentions, the last event) that pronouns are resolved against."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.extraction.dates import TimeExpression
from timeline.extraction.events.detection import _line_break_between
from timeline.extraction.events.lexicon import (
    _PERSON_PRONOUNS,
    DENIAL_LEMMAS,
    PAIR_NOUNS,
    PAIR_TITLES,
    PAIR_WORDS,
    SCHEDULING,
    UNVERIFIED,
    _Candidate,
    holds_title,
)
from timeline.extraction.places.datelines import doc_dateline_end
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ResolvedDate,
    Role,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


# How many sentences back "the two leaders" look for the two people they stand for.
PAIR_LOOKBACK = 3


@dataclass
class _Article:
    """The sentences, the actors' mentions, and the last event (for "They discussed ...")."""

    units: list[SpacySpan]
    mentions: _MentionIndex
    last_unit: int = -10
    last_event: ExtractedEvent | None = None
    recent_events: list[tuple[int, ExtractedEvent]] = field(default_factory=list)
    lead_date: ResolvedDate | None = None  # the lead event's own date, for undated past events
    expressions: list[TimeExpression] = field(default_factory=list)
    _unverified: dict[int, bool] = field(default_factory=dict)
    _denials: dict[int, list[Token]] = field(default_factory=dict)

    def remember(self, index: int, event: ExtractedEvent) -> None:
        self.last_unit, self.last_event = index, event
        self.recent_events.append((index, event))

    def previous_event(self, index: int) -> ExtractedEvent | None:
        return self.last_event if self.last_unit == index - 1 else None

    def last_pair(self, index: int, noun: str) -> list[str]:
        """Whom "the two leaders" (`noun`) stand for: the two people (or states), and only two,
        who took part in the latest event of the few sentences before this one; else the last
        two people named there who hold the noun's title ("President Putin"). Names mentioned
        only around an event ("according to an aide") are not its parties, so never guessed."""
        person = PAIR_NOUNS[noun]
        for unit, event in reversed(self.recent_events):
            if unit < index - PAIR_LOOKBACK:
                break
            if unit >= index:
                continue
            names = {
                name: None
                for name, role in event.actors
                if role != "mentioned" and (self.mentions.kind(name) == "person") == person
            }
            if len(names) == 2:
                return list(names)
        if noun not in PAIR_TITLES:
            return []
        lower = self.units[max(0, index - PAIR_LOOKBACK)].start_char
        titled = self.mentions.last_named(
            self.units[index].start_char,
            lower,
            lambda actor: actor.kind == "person" and holds_title(actor.title, PAIR_TITLES[noun]),
        )
        return [actor.name for actor in titled[-2:]]

    def unverified(self, index: int) -> bool:
        """The sentence says the claim could not be verified (cached: asked once per event)."""
        if index not in self._unverified:
            self._unverified[index] = bool(UNVERIFIED.search(self.units[index].text))
        return self._unverified[index]

    def denials(self, index: int) -> list[Token]:
        """The sentence's denying verbs ("Moscow denied the shelling")."""
        if index not in self._denials:
            self._denials[index] = [
                t for t in self.units[index] if t.lemma_.lower() in DENIAL_LEMMAS
            ]
        return self._denials[index]


# --------------------------------------------------------------------------------------------
# Actors


class _MentionIndex:
    """Actor mentions sorted by start, to find those inside a span by bisection."""

    def __init__(self, actors: list[ExtractedActor]) -> None:
        pairs = sorted(
            ((m.start, m.end, actor) for actor in actors for m in actor.mentions),
            key=lambda p: (p[0], p[1]),
        )
        self._starts = [p[0] for p in pairs]
        self._pairs = pairs
        self._actors = {actor.name: actor for actor in actors}

    def kind(self, name: str) -> str:
        actor = self._actors.get(name)
        return actor.kind if actor is not None else ""

    def short(self, name: str) -> str:
        actor = self._actors.get(name)
        return _short_name(actor) if actor is not None else name

    def within(self, start: int, end: int) -> list[tuple[int, int, ExtractedActor]]:
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return [p for p in self._pairs[first:last] if p[1] <= end]

    def over(self, doc: Doc, indices: set[int]) -> list[ExtractedActor]:
        """The actors with a mention on any of these tokens, in text order."""
        if not indices:
            return []
        ranges = [(doc[i].idx, doc[i].idx + len(doc[i])) for i in sorted(indices)]
        found: list[ExtractedActor] = []
        for start, end, actor in self.within(ranges[0][0], ranges[-1][1]):
            hit = any(s < end and start < e for s, e in ranges)
            if hit and all(actor.name != f.name for f in found):
                found.append(actor)
        return found

    def at(self, token: Token) -> ExtractedActor | None:
        index = bisect.bisect_right(self._starts, token.idx) - 1
        for start, end, actor in self._pairs[max(0, index - 3) : index + 1]:
            if start <= token.idx < end:
                return actor
        return None

    def last_named(
        self, position: int, lower: int, wanted: Callable[[ExtractedActor], bool]
    ) -> list[ExtractedActor]:
        """The different `wanted` actors named between `lower` and `position`, in the order of
        their last mentions."""
        last: dict[str, ExtractedActor] = {}
        first = bisect.bisect_left(self._starts, lower)
        for _, _, actor in self._pairs[first : bisect.bisect_left(self._starts, position)]:
            if wanted(actor):
                last.pop(actor.name, None)
                last[actor.name] = actor
        return list(last.values())

    def before(self, position: int, lower: int, *, person: bool) -> ExtractedActor | None:
        index = bisect.bisect_left(self._starts, position) - 1
        while index >= 0 and self._starts[index] >= lower:
            actor = self._pairs[index][2]
            if (actor.kind == "person") == person:
                return actor
            index -= 1
        return None


def _subject(token: Token) -> tuple[Token | None, bool]:
    """The predicate's subject token and whether the clause is passive (subject = patient)."""
    current = token
    for _ in range(5):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                subject = child
                if subject.lower_ in ("who", "which", "that") and current.dep_ == "relcl":
                    subject = _antecedent(subject)
                return subject, child.dep_ == "nsubjpass"
        hung = _subject_on_auxiliary(current)
        if hung is not None:
            return hung
        head = current.head
        if head.i == current.i:
            break
        if current.dep_ == "xcomp" and current.pos_ in ("VERB", "AUX"):
            # "told their citizens to leave": the object controls; "was due to hold": the subject.
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_.lower() not in SCHEDULING:
                return obj, False
            current = head
            continue
        if current.dep_ in ("conj", "advcl", "ccomp") and current.pos_ in ("VERB", "AUX"):
            current = head  # conjoined and controlled verbs share the subject
            continue
        if current.dep_ == "acomp":
            current = head
            continue
        if current.dep_ in ("acl", "relcl"):
            if head.dep_ == "attr":  # "Wallace was the latest official to travel": Wallace
                official = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
                if official is not None:
                    return official, False
            # "the Olympics set to end": the participle is passive, not the verb it controls.
            return head, current.tag_ == "VBN" and current.i == token.i
        break
    return None, token.tag_ == "VBN" and not any(c.dep_ == "aux" for c in token.children)


def _subject_on_auxiliary(verb: Token) -> tuple[Token, bool] | None:
    """A subject the parse hung on the verb's auxiliary ("that an Indian national has been
    'tragically' killed": quotation marks make the small model read "national" as the subject
    of "been"); passive when that auxiliary is."""
    for aux in verb.children:
        if aux.dep_ in ("aux", "auxpass"):
            subject = next((c for c in aux.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                return subject, aux.dep_ == "auxpass"
    return None


def _agent_of_passive(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("dobj", "attr"):
            if child.lower_ in ("which", "that", "who", "whom") and token.dep_ == "relcl":
                return _antecedent(child)
            return child
    return None


def _antecedent(pronoun: Token) -> Token:
    """The noun a relative pronoun stands for: the one just before it ("Crimea, which ...").

    The small model often hangs the clause on an earlier noun; adjacency is the safer guess.
    """
    i = pronoun.i - 1
    while i >= 0 and pronoun.doc[i].is_punct:
        i -= 1
    if i >= 0 and pronoun.doc[i].pos_ in ("PROPN", "NOUN"):
        return pronoun.doc[i]
    return pronoun.head.head if pronoun.head.dep_ == "relcl" else pronoun.head


def _roles(
    candidate: _Candidate, index: int, article: _Article
) -> tuple[list[tuple[str, Role]], Token | None, Token | None]:
    unit = article.units[index]
    mentions = article.mentions
    token = candidate.token
    subject, passive = _subject(token)
    obj = _object(token)
    if passive:
        obj, subject = subject, _agent_of_passive(token)
    # Agents and targets are the names at the core of the subject and object ("Russia's Chief
    # of General Staff Valery Gerasimov" is Gerasimov, not Russia); who else the event involves
    # stands in "with"/"between" phrases or in the complement ("told citizens to leave Ukraine").
    agent_tokens = _core(subject)
    target_tokens = _core(obj)
    participant_tokens: set[int] = set()
    for head in (token, obj):  # "imposed sanctions on Russia", "launched strikes against"
        for prep in _preps(head, ("against", "on", "into", "toward", "towards", "at")):
            target_tokens |= _core(next((c for c in prep.children if c.dep_ == "pobj"), None))
    for child in token.children:
        if child.dep_ == "dative":
            target_tokens |= _core(child)
        if child.dep_ == "xcomp":
            participant_tokens |= {t.i for t in child.subtree}
    for head in (token, subject, obj):
        for prep in _preps(head, ("with", "between", "alongside", "among")):
            participant_tokens |= {t.i for t in prep.subtree}

    roles: dict[str, Role] = {}
    order = {"agent": 0, "target": 1, "participant": 2, "mentioned": 3}
    for start, _end, actor in mentions.within(unit.start_char, unit.end_char):
        token_at = unit.doc.char_span(start, _end, alignment_mode="expand")
        indices = {t.i for t in token_at} if token_at is not None else set()
        role: Role = "mentioned"
        if indices & agent_tokens:
            role = "agent"
        elif indices & target_tokens:
            role = "target"
        elif indices & participant_tokens:
            role = "participant"
        if actor.name not in roles or order[role] < order[roles[actor.name]]:
            roles[actor.name] = role
    for name in _pronoun_agents(subject, index, article):
        roles[name] = "agent"
    ranked = sorted(roles.items(), key=lambda item: order[item[1]])
    return ranked, subject, obj


def _core(token: Token | None) -> set[int]:
    """The head of a noun phrase, its conjuncts and the names and titles fused with them."""
    if token is None:
        return set()
    indices: set[int] = set()
    stack = [token]
    while stack:
        current = stack.pop()
        indices.add(current.i)
        stack.extend(
            c
            for c in current.children
            if c.dep_ in ("compound", "appos", "flat", "conj", "nmod", "amod")
            and not _line_break_between(c, current)
        )
    # "MELBOURNE, Australia – Russia has sent more forces": the dateline is no part of it.
    end = doc_dateline_end(token.doc, token.idx)
    return {i for i in indices if token.doc[i].idx >= end} if end is not None else indices


def _preps(token: Token | None, words: tuple[str, ...]) -> list[Token]:
    if token is None:
        return []
    return [c for c in token.children if c.dep_ == "prep" and c.lower_ in words]


def _pronoun_agents(subject: Token | None, index: int, article: _Article) -> list[str]:
    """Who a pronoun subject stands for: the agents of the previous sentence's event when the
    sentence opens with it ("They discussed ..."), else the nearest person (or thing) named
    before it ("when she came"). "The two leaders" are the two parties of a recent event."""
    if subject is not None and _names_a_pair(subject):
        pair = article.last_pair(index, subject.lower_)
        return pair if len(pair) == 2 else []
    if subject is None or subject.lower_ not in _PERSON_PRONOUNS | {"they", "it"}:
        return []
    person = subject.lower_ in _PERSON_PRONOUNS
    unit = article.units[index]
    previous_event = article.previous_event(index)
    opens = subject.i - unit.start <= 2
    if previous_event is not None and opens:
        agents = [
            name
            for name, role in previous_event.actors
            if role == "agent"
            and (subject.lower_ == "they" or (article.mentions.kind(name) == "person") == person)
        ]
        if agents and (subject.lower_ == "they") == (len(agents) > 1):
            return agents
    lower = article.units[index - 1].start_char if index else unit.start_char
    actor = article.mentions.before(subject.idx, lower, person=person)
    return [actor.name] if actor is not None else []


def _names_a_pair(subject: Token) -> bool:
    """ "the two leaders", "both men": a plural of persons (or states) counted as two."""
    return subject.lower_ in PAIR_NOUNS and any(
        child.lower_ in PAIR_WORDS and child.i < subject.i for child in subject.children
    )


def _short_name(actor: ExtractedActor) -> str:
    if actor.kind == "person":
        return actor.name.split()[-1]
    return actor.name

"""Events: what happened (or is scheduled) in an article, one per event-bearing sentence.

A sentence bears an event when it has an event predicate from a small lexicon ("met", "visited",
"held talks", "launched", "massed", "annexed", "told citizens to leave", "imposed sanctions", …)
that is asserted: not negated, not under a modal ("could invade"), not inside a condition ("if it
invades") and not the complement of a verb that withholds it ("denies planning to invade"). The
sentence's main event is its highest-ranked predicate; a further predicate in the same sentence
becomes an event of its own only when it carries a date of its own ("Crimea, which Russia annexed
in 2014"). Titles are compressed from the dependency parse: subject + headline verb + object,
in the present ("Russia annexes Crimea") or, when scheduled, the infinitive ("Biden to hold").

Roles come from the given actors' mention spans: agent in the core of the subject, target in the
object (or "against"/"on" it), participant in "with"/"between" phrases and complements, mentioned
otherwise. Verification: "could not be independently verified" in the sentence, or in the next
one about the same thing ("The images ..."), makes an event unverified; a denial by an actor
other than its agent, sharing a word stem with it, within the next two sentences, disputed.

Everything reads the one spaCy parse and walks each sentence's tokens a small, fixed number of
times, so events add little on top of the parse.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from timeline.extraction.dates import (
    TimeExpression,
    document_time_expressions,
    resolve_sentence_date,
)
from timeline.extraction.types import (
    Category,
    ExtractedActor,
    ExtractedEvent,
    ResolvedDate,
    Role,
    Span,
    Verification,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# --------------------------------------------------------------------------------------------
# Lexicons

# Predicate lemma -> (category, strength). A category of None is decided by the objects:
# "launched joint military exercises" is military, "launched diplomatic pushes" diplomatic.
PREDICATES: dict[str, tuple[Category | None, float]] = {
    # military
    "mass": ("military", 0.9), "deploy": ("military", 0.9), "invade": ("military", 0.95),
    "attack": ("military", 0.9), "shell": ("military", 0.9), "bomb": ("military", 0.9),
    "strike": ("military", 0.8), "annex": ("military", 0.95), "withdraw": ("military", 0.8),
    "mobilise": ("military", 0.85), "mobilize": ("military", 0.85), "capture": ("military", 0.85),
    "seize": ("military", 0.8), "occupy": ("military", 0.85), "shoot": ("military", 0.8),
    "kill": ("military", 0.8), "sink": ("military", 0.8), "reinforce": ("military", 0.8),
    "station": ("military", 0.7), "advance": ("military", 0.6), "fire": ("military", 0.6),
    "encircle": ("military", 0.85), "bombard": ("military", 0.9), "intercept": ("military", 0.8),
    # diplomatic
    "meet": ("diplomatic", 0.9), "visit": ("diplomatic", 0.9), "negotiate": ("diplomatic", 0.85),
    "talk": ("diplomatic", 0.7), "discuss": ("diplomatic", 0.7), "travel": ("diplomatic", 0.7),
    "host": ("diplomatic", 0.8), "sign": ("diplomatic", 0.8), "agree": ("diplomatic", 0.7),
    "expel": ("diplomatic", 0.85), "summon": ("diplomatic", 0.8), "recall": ("diplomatic", 0.6),
    "recognise": ("diplomatic", 0.8), "recognize": ("diplomatic", 0.8),
    "propose": ("diplomatic", 0.6), "persuade": ("diplomatic", 0.6), "mock": ("diplomatic", 0.5),
    "respond": ("diplomatic", 0.6), "reply": ("diplomatic", 0.6), "brush": ("diplomatic", 0.5),
    "call": (None, 0.5), "come": ("diplomatic", 0.5), "arrive": (None, 0.6),
    "tell": ("diplomatic", 0.7), "advise": ("diplomatic", 0.6), "urge": ("statement", 0.5),
    "evacuate": ("humanitarian", 0.8), "relocate": ("diplomatic", 0.7), "close": (None, 0.6),
    # flexible: the objects decide
    "launch": (None, 0.8), "hold": (None, 0.6), "conduct": (None, 0.7), "begin": (None, 0.6),
    "start": (None, 0.6), "deliver": (None, 0.7), "send": (None, 0.7), "show": (None, 0.55),
    "yield": (None, 0.5), "move": (None, 0.6), "pull": (None, 0.6), "build": (None, 0.5),
    "end": (None, 0.7), "resume": (None, 0.7), "hand": (None, 0.6), "submit": (None, 0.6),
    "publish": (None, 0.5), "receive": (None, 0.5),
    # economic
    "sanction": ("economic", 0.9), "impose": ("economic", 0.8), "freeze": ("economic", 0.8),
    "ban": ("economic", 0.75), "halt": ("economic", 0.7), "suspend": ("economic", 0.7),
    "cut": ("economic", 0.6), "export": ("economic", 0.6), "default": ("economic", 0.8),
    # humanitarian
    "flee": ("humanitarian", 0.85), "rescue": ("humanitarian", 0.8), "die": ("humanitarian", 0.8),
    "injure": ("humanitarian", 0.8), "wound": ("humanitarian", 0.8),
    # statements that are events in their own right
    "warn": ("statement", 0.6), "deny": ("statement", 0.6), "accuse": ("statement", 0.6),
    "threaten": ("statement", 0.55), "condemn": ("statement", 0.6), "vow": ("statement", 0.5),
    "announce": ("statement", 0.6), "reject": ("statement", 0.55), "demand": ("statement", 0.5),
    "dismiss": ("statement", 0.5), "refuse": ("other", 0.5),
}  # fmt: skip

# Nouns in a predicate's arguments that decide (or override) the category.
_NOUNS_BY_CATEGORY: dict[Category, str] = {
    "military": (
        "troop force deployment warship exercise drill tank missile military invasion buildup "
        "warplane army navy soldier weapon artillery offensive strike attack jet helicopter "
        "battalion vehicle rocket drone shelling frontier border incursion equipment"
    ),
    "diplomatic": (
        "talk call meeting summit response answer letter diplomacy push mission embassy "
        "ambassador delegation envoy proposal negotiation treaty agreement visit diplomat "
        "demand concession consulate minister citizen"
    ),
    "economic": (
        "sanction economy gas pipeline oil trade export import price market bank currency "
        "asset loan investment"
    ),
    "humanitarian": ("refugee civilian aid evacuation casualty hospital humanitarian food shelter"),
}
NOUN_CATEGORIES: dict[str, Category] = {
    noun: category for category, nouns in _NOUNS_BY_CATEGORY.items() for noun in nouns.split()
}

# Verbs whose complement has not (or not surely) happened: "denies planning to invade", "wants
# answers", "believed the crisis could be reaching a critical point". Reporting verbs ("said",
# "reported") are not here: what a source reports stands as an event, attributed.
WITHHOLDING = {
    "plan", "want", "threaten", "seek", "try", "hope", "deny", "refuse", "expect", "aim",
    "intend", "consider", "fear", "warn", "urge", "demand", "ask", "need", "prepare", "propose",
    "promise", "vow", "pledge", "offer", "wish", "persuade", "believe", "think", "suspect",
    "assume", "estimate", "predict", "doubt", "imagine",
}  # fmt: skip
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "must", "can", "ought", "'d"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# Verbs whose "to"-complement describes a scheduled or begun event: "due to hold".
SCHEDULING = {"due", "set", "begin", "start", "continue", "agree", "decide", "go", "move", "be"}

UNVERIFIED = re.compile(
    r"could not (?:be )?(?:independently )?(?:verif|confirm)|cannot (?:be )?(?:independently )?"
    r"(?:verif|confirm)|(?:was|were|is|are) not (?:able to )?(?:independently )?(?:verif|confirm)"
    r"|unable to (?:independently )?(?:verif|confirm)|unverified|not (?:been )?independently "
    r"(?:verified|confirmed)",
    re.IGNORECASE,
)
DENIAL_LEMMAS = {"deny", "refute", "dismiss", "reject", "dispute", "contradict"}

TITLE_VERBS = {"come": "visit", "brush": "brush off"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_DROP_DEPS = {
    "relcl", "acl", "appos", "punct", "advcl", "parataxis", "mark", "ccomp", "dep", "meta",
    "intj", "npadvmod", "preconj", "predet", "case",
}  # fmt: skip
_DROP_WORDS = {
    "the", "a", "an", "their", "its", "his", "her", "our", "your", "yet", "also", "already",
    "immediately", "still", "just", "further", "openly", "reportedly", "mostly",
}  # fmt: skip
_PLACE_PREPOSITIONS = {"in", "near", "into", "to", "at", "from", "across", "around", "inside"}


@dataclass
class _Candidate:
    token: Token
    category: Category
    strength: float
    own_date: TimeExpression | None


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


@dataclass
class _Article:
    """The sentences, the actors' mentions, and the last event (for "They discussed ...")."""

    units: list[SpacySpan]
    mentions: _MentionIndex
    last_unit: int = -10
    last_event: ExtractedEvent | None = None
    _unverified: dict[int, bool] = field(default_factory=dict)
    _denials: dict[int, list[Token]] = field(default_factory=dict)

    def remember(self, index: int, event: ExtractedEvent) -> None:
        self.last_unit, self.last_event = index, event

    def previous_event(self, index: int) -> ExtractedEvent | None:
        return self.last_event if self.last_unit == index - 1 else None

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
        if dep in ("acl", "relcl") and infinitive and head.dep_ != "attr":
            return False  # "the right to move forces"; but "the latest official to travel"
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
    return max(counts, key=lambda c: counts[c]) if counts else None


def _predicate(token: Token) -> tuple[Category, float] | None:
    if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
        return None
    lemma = token.lemma_.lower()
    entry = PREDICATES.get(lemma)
    if entry is None:
        return None
    category, strength = entry
    if lemma == "come" and not any(
        c.dep_ == "nsubj" and (c.ent_type_ == "PERSON" or c.lower_ in _PERSON_PRONOUNS)
        for c in token.children
    ):
        return None  # "invasion could come": only a person's coming is a visit
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
            return None if strength < 0.7 else ("other", strength - 0.2)
        category = by_nouns
    elif category == "statement" and by_nouns == "economic" and lemma in ("threaten", "announce"):
        category = "economic"
    return category, strength


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
                subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    return subject, False
            return head, current.tag_ == "VBN"
        break
    return None, token.tag_ == "VBN" and not any(c.dep_ == "aux" for c in token.children)


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
    return indices


def _preps(token: Token | None, words: tuple[str, ...]) -> list[Token]:
    if token is None:
        return []
    return [c for c in token.children if c.dep_ == "prep" and c.lower_ in words]


def _pronoun_agents(subject: Token | None, index: int, article: _Article) -> list[str]:
    """Who a pronoun subject stands for: the agents of the previous sentence's event when the
    sentence opens with it ("They discussed ..."), else the nearest person (or thing) named
    before it ("when she came")."""
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


# --------------------------------------------------------------------------------------------
# Titles


def _short_name(actor: ExtractedActor) -> str:
    if actor.kind == "person":
        return actor.name.split()[-1]
    return actor.name


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _phrase(token: Token | None, mentions: _MentionIndex, *, limit: int = 7) -> str:
    """A compressed noun phrase: actor names where the words name actors, else the words."""
    if token is None:
        return ""
    names = [mentions.short(actor.name) for actor in mentions.over(token.doc, _core(token))]
    if names:
        return _join(names)
    for prepositions in (2, 1, 0):
        words = _compress(token, depth=0, prepositions=prepositions)
        if len(words) <= limit:
            break
    if len(words) > limit:
        words = words[:limit]
        while words and words[-1].dep_ in ("prep", "cc", "det", "amod", "compound", "punct"):
            words.pop()
    return _detokenise(words)


def _compress(token: Token, *, depth: int, prepositions: int = 1) -> list[Token]:
    kept: list[Token] = []
    for child in token.lefts:
        if child.dep_ in _DROP_DEPS and not _is_hyphen(child):
            continue
        if _line_break_between(child, token):
            continue  # the parse ran across a paragraph ("Advertising\n\nCommercial images")
        if child.lower_ in _DROP_WORDS or (
            child.dep_ in ("det", "poss") and child.lower_ not in ("no", "new")
        ):
            continue
        if child.ent_type_ in ("DATE", "TIME") and not token.ent_type_:
            continue  # "Friday explosions": the date is the event's date, not its title
        kept.extend(_compress(child, depth=depth + 1, prepositions=prepositions))
    kept.append(token)
    seen_prep = 0
    has_conjunct = any(c.dep_ == "conj" for c in token.children)
    for child in token.rights:
        if child.dep_ == "punct" and child.text == "," and has_conjunct:
            kept.append(child)
            continue
        if (child.dep_ in _DROP_DEPS and not _is_hyphen(child)) or child.lower_ in _DROP_WORDS:
            continue
        if child.dep_ == "prep":
            seen_prep += 1
            if depth >= prepositions or seen_prep > 1 or _is_temporal(child):
                continue
        if _line_break_between(token, child):
            continue
        kept.extend(_compress(child, depth=depth + 1, prepositions=prepositions))
    return kept


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


def _is_temporal(prep: Token) -> bool:
    """ "on Friday", "in 2014": dates belong to the event's date, not its title."""
    return any(c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _is_hyphen(token: Token) -> bool:
    return token.text in ("-", "–") and not token.whitespace_


def _detokenise(tokens: list[Token]) -> str:
    text = ""
    for i, token in enumerate(tokens):
        text += token.text
        if i + 1 < len(tokens):
            following = tokens[i + 1]
            adjacent = token.i + 1 == following.i and not token.whitespace_
            if not adjacent and following.text not in (",", "'s", "’s"):
                text += " "
    return re.sub(r"\s+([,.;:])", r"\1", text).strip(" ,")


def _headline_verb(token: Token, *, plural: bool, scheduled: bool, passive: bool) -> str:
    lemma = token.lemma_.lower()
    particle = next((c.text for c in token.children if c.dep_ == "prt"), "")
    verb = TITLE_VERBS.get(lemma, lemma)
    if " " in verb:
        verb, particle = verb.split(" ", 1)
    if passive:
        form = ("to be " + token.text) if scheduled else token.text
    elif scheduled:
        form = "to " + verb
    elif plural:
        form = verb
    else:
        form = _third_person(verb)
    return f"{form} {particle}".strip()


def _third_person(verb: str) -> str:
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if verb in irregular:
        return irregular[verb]
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _title(
    candidate: _Candidate,
    subject: Token | None,
    obj: Token | None,
    roles: list[tuple[str, Role]],
    mentions: _MentionIndex,
    scheduled: bool,
) -> str:
    token = candidate.token
    passive = any(c.dep_ == "nsubjpass" for c in token.children) or (
        token.dep_ == "acl" and token.tag_ == "VBN"
    )
    passive = passive or (
        token.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in token.children)
    )
    agents = [mentions.short(name) for name, role in roles if role == "agent"]
    if subject is not None and subject.lower_ in _PERSON_PRONOUNS | {"they", "it"}:
        subject_text = _join(agents) if agents else subject.text.capitalize()
        plural = subject.lower_ == "they"
    elif subject is not None:
        subject_text = _phrase(subject, mentions)
        named = mentions.over(subject.doc, _core(subject))
        plural = subject.tag_ in ("NNS", "NNPS") or bool(subject.conjuncts) or len(named) > 1
    else:
        subject_text = _join(agents)
        plural = len(agents) > 1
    if passive and subject is not None and token.dep_ != "relcl":
        # "The Dutch mission would be pulled from Kyiv": patient first, participle after.
        patient = subject_text
        agent = _agent_of_passive(token)
        parts = [patient, ("to be " if scheduled else "") + token.text]
        if agent is not None:
            parts.append("by " + _phrase(agent, mentions, limit=4))
        parts.append(_complements(token, mentions, skip=agent))
        return _finish(" ".join(p for p in parts if p))
    verb = _headline_verb(token, plural=plural, scheduled=scheduled, passive=False)
    object_text = _phrase(obj, mentions) if obj is not None else _stranded_object(token)
    parts = [subject_text, verb, object_text]
    complement = _complements(token, mentions, skip=obj)
    if len(" ".join([*parts, complement]).split()) <= _TITLE_WORDS:
        parts.append(complement)  # "in Belarus", "to leave Ukraine": only while short
    return _finish(" ".join(p for p in parts if p))


_TITLE_WORDS = 11


_TRANSITIVE = {"mass", "deploy", "launch", "impose", "send", "deliver", "hold", "conduct", "move"}


def _stranded_object(token: Token) -> str:
    """The noun right after a transitive verb the parse left without an object ("is massing
    yet more troops near Ukraine and an invasion could come": the small model makes "troops"
    the subject of "come")."""
    if token.lemma_.lower() not in _TRANSITIVE:
        return ""
    words = []
    for following in token.doc[token.i + 1 : token.i + 5]:
        if following.pos_ in ("NOUN", "PROPN"):
            words.append(following)
            return _detokenise(words)
        if following.pos_ not in ("ADV", "ADJ", "DET", "NUM") or following.is_punct:
            return ""
        if following.lower_ not in _DROP_WORDS and following.dep_ != "det":
            words.append(following)
    return ""


def _complements(token: Token, mentions: _MentionIndex, *, skip: Token | None) -> str:
    """The verb's "to"-complement ("to leave Ukraine") or a short place ("in Belarus")."""
    for child in token.children:
        if child.dep_ in ("oprd", "acomp") and child != skip:  # "called the response insulting"
            return _detokenise(_compress(child, depth=1, prepositions=0)[:6])
    for child in token.children:
        if child.dep_ == "xcomp" and (skip is None or child.i != skip.i):
            words = [t for t in _compress(child, depth=1) if t.dep_ != "aux" or t.lower_ == "to"]
            return _detokenise(words[:6])
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPOSITIONS | {"with", "between"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None or _is_temporal(child):
                continue
            phrase = _phrase(pobj, mentions, limit=5)
            if phrase and len(phrase.split()) <= 6:
                return f"{child.lower_} {phrase}"
    return ""


def _finish(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip(" ,;:")
    title = re.sub(r"^(?:['’]s?\s+)+", "", title)  # a subject cut down to its possessive mark
    return title[:1].upper() + title[1:] if title else title


def _place(token: Token) -> str:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPOSITIONS:
            for word in child.subtree:
                if word.ent_type_ in ("GPE", "LOC", "FAC") and word.ent_iob_ == "B":
                    end = word.i + 1
                    while end < len(word.doc) and word.doc[end].ent_iob_ == "I":
                        end += 1
                    return word.doc[word.i : end].text
    return ""


# --------------------------------------------------------------------------------------------
# Verification and confidence


def _verification(
    candidate: _Candidate, index: int, article: _Article, roles: list[tuple[str, Role]]
) -> Verification:
    unit = article.units[index]
    own = {t.i for t in candidate.token.subtree}
    if article.unverified(index):
        return "unverified"
    has_next = index + 1 < len(article.units)
    if (
        has_next
        and article.unverified(index + 1)
        and _same_topic(candidate.token, article.units[index + 1])
    ):
        return "unverified"
    agents = {name for name, role in roles if role == "agent"}
    claimed = {_stem(candidate.token)}
    obj = _object(candidate.token)
    if obj is not None:
        claimed.add(_stem(obj))
    ancestors = {t.i for t in candidate.token.ancestors}
    for other_index in range(index, min(index + 3, len(article.units))):
        other = article.units[other_index]
        for token in article.denials(other_index):
            if token.i in own | ancestors:
                continue
            if other is unit and candidate.token.i in {t.i for t in token.subtree}:
                continue
            denier = next((c for c in token.children if c.dep_ == "nsubj"), None)
            denier_actor = article.mentions.at(denier) if denier is not None else None
            if denier_actor is None or (denier_actor.name in agents and other is unit):
                continue
            denied = {_stem(t) for t in token.subtree if t.i not in own and t.is_alpha}
            if denied & {c for c in claimed if len(c) >= 4}:
                return "disputed"
    return "reported"


def _stem(token: Token) -> str:
    """A crude common stem, so "shelled" and "the shelling" (or "invade", "invasion") meet."""
    return token.lemma_.lower()[:5]


def _same_topic(predicate: Token, following: SpacySpan) -> bool:
    """The disclaimer's subject ("The images") is what the event's clause was about."""
    subject = next((t for t in following if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return True
    if subject.lemma_.lower() in ("claim", "report", "account", "assertion", "allegation"):
        return True
    return subject.lemma_.lower() in {t.lemma_.lower() for t in predicate.subtree}


def _confidence(candidate: _Candidate, date: ResolvedDate, roles: list[tuple[str, Role]]) -> float:
    score = 0.35 + 0.4 * candidate.strength
    if _inside_quote(candidate.token):
        score -= 0.15  # a speaker's words ("new forces arriving at the border"), not the report
    score += -0.15 if date.is_fallback else 0.1
    if date.precision in ("month", "year"):
        score -= 0.05
    if any(role == "agent" for _, role in roles):
        score += 0.1
    if candidate.category in ("other", "statement"):
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


_QUOTES = {'"', "“", "”", "``", "''"}


def _inside_quote(token: Token) -> bool:
    """An odd number of quotation marks stands between the sentence start and the token."""
    marks = sum(1 for t in token.sent[: token.i - token.sent.start] if t.text in _QUOTES)
    return marks % 2 == 1


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

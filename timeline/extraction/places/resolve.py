"""Where each event happened: the places named in its clause, resolved against the gazetteer.

Two steps, so the ingestion can add what it knows of the crisis in between:
`clause_mentions(doc, event)` reads spaCy's GPE, LOC and FAC entities of the event's own clause
("troops massed near the border in Belarus" → Belarus), leaving out the states that act in it
("Russia is massing troops near Ukraine": Russia acts, Ukraine is where); `resolve_mentions`
picks, for each name, the entry that the article and the crisis make likeliest.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from timeline.extraction.places.datelines import dateline_end
from timeline.extraction.places.gazetteer import Entry, Gazetteer, get_gazetteer
from timeline.extraction.types import (
    ExtractedEvent,
    Extraction,
    PlaceMention,
    ResolvedPlace,
    Span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

PLACE_LABELS = ("GPE", "LOC", "FAC")
# The words a place is the subject or owner of when it acts: "Russia said", "Russia's army".
_ACTING = {"nsubj", "nsubjpass", "poss", "agent", "csubj"}
# A clause of its own inside the event's: another verb with a subject of its own, or a report.
_OWN_CLAUSE = {"ccomp", "advcl", "relcl", "parataxis", "csubj"}

# Parties rather than places: "talks in Berlin between Russia and Ukraine" were held in Berlin.
_PARTIES = {"between", "with", "among", "against"}
# Nouns a state's name may modify and still say where: "at the Ukraine border". Elsewhere a
# modifier is an adjective ("a US company", "US-based"), not a place.
_WHERE_NOUNS = {
    "border", "frontier", "coast", "capital", "city", "region", "port", "base", "airport",
    "side", "territory", "soil", "room", "embassy",
}  # fmt: skip
# spaCy's small model often tags a region or a site as an organisation ("Crimea", "the White
# House"): such a name counts when the gazetteer knows it as one of these.
_NOT_ORGANISATIONS = {"country", "region", "sea", "site"}

# Below this, a name that several places share was not told apart by its context.
LOW_CONFIDENCE = 0.5


# --------------------------------------------------------------------------------------------
# Mentions


def clause_mentions(doc: Doc, event: ExtractedEvent) -> list[PlaceMention]:
    """The places named in the event's clause, in text order; none when its verb is unknown."""
    if event.trigger is None:
        return []
    words = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if words is None:
        return []
    verb = words.root
    clause = _clause(verb)
    found: list[PlaceMention] = []
    for ent in doc.ents:
        if ent.root.i not in clause or not _is_place(ent) or _acts(ent, verb):
            continue
        if _is_dateline(ent):
            continue  # "New Delhi: Putin announces ...": where the reporter files from
        found.append(_mention(ent))
    return found


def _is_dateline(ent: SpacySpan) -> bool:
    end = dateline_end(ent.doc.text, ent.start_char)
    return end is not None and ent.end_char <= end


def _clause(verb: Token) -> set[int]:
    """The verb's words, leaving out the clauses of other verbs that hang from it."""
    inside: set[int] = set()
    stack = [verb]
    while stack:
        token = stack.pop()
        inside.add(token.i)
        for child in token.children:
            own = child.dep_ in _OWN_CLAUSE or (
                child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
            )
            if not own:
                stack.append(child)
    return inside


def _is_place(ent: SpacySpan) -> bool:
    if ent.label_ in PLACE_LABELS:
        return True
    if ent.label_ != "ORG":
        return False
    return any(e.kind in _NOT_ORGANISATIONS for e in get_gazetteer().lookup(ent.text))


def _acts(ent: SpacySpan, verb: Token) -> bool:
    """Whether the name is not where it happened: the verb's subject or agent, something's
    owner, a party ("talks between Russia and Ukraine") or an adjective ("a US company")."""
    token = ent.root
    modifier = token.dep_ in ("compound", "amod", "npadvmod", "nmod", "det")
    if modifier and ent.label_ == "GPE" and token.head.lemma_.lower() not in _WHERE_NOUNS:
        return True
    while token.dep_ in ("compound", "conj", "appos", "amod", "det") and token.head.i != token.i:
        token = token.head
    if token.dep_ in _ACTING:
        return True
    if token.dep_ == "pobj" and token.head.lower_ in _PARTIES:
        return True
    return token.dep_ == "pobj" and token.head.lower_ == "by" and token.head.head.i == verb.i


def _mention(ent: SpacySpan) -> PlaceMention:
    """The place's name without the article the tagger may take with it: "the West Bank" is
    the West Bank, named "West Bank"."""
    if len(ent) > 1 and ent[0].lower_ == "the":
        ent = ent[1:]
    return PlaceMention(ent.text, Span(ent.start_char, ent.end_char), ent.label_)


# A dateline opening a line: the place in capitals, then a comma, a date or a dash ("KYIV,
# Feb 11 (Reuters) -", "BONN 1996-08-30"). The tagger rarely knows a name in capitals.
_DATELINE = re.compile(r"^([A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,2})(?=,| \d| \(| -| —)", re.M)


def _dateline_mentions(doc: Doc, named: list[PlaceMention]) -> list[PlaceMention]:
    taken = [(m.span.start, m.span.end) for m in named]
    found = []
    for match in _DATELINE.finditer(doc.text):
        start, end = match.span(1)
        if any(s < end and start < e for s, e in taken):
            continue
        if any(e.kind in ("city", "region", "country") for e in get_gazetteer().lookup(match[1])):
            found.append(PlaceMention(match[1], Span(start, end), "GPE"))
    return found


def article_mentions(doc: Doc) -> list[PlaceMention]:
    """Every place the article names, its dateline's too: the context its events' places are
    resolved in."""
    named = [_mention(ent) for ent in doc.ents if _is_place(ent)]
    return sorted(named + _dateline_mentions(doc, named), key=lambda m: m.span.start)


# --------------------------------------------------------------------------------------------
# Resolution


@dataclass(frozen=True)
class Context:
    """What tells a name's places apart: the countries of the other places named.

    `countries`: how often each state (ISO alpha-2) is named, or holds a place named, in the
    article and in the crisis so far.
    """

    countries: Mapping[str, float]

    @classmethod
    def of(
        cls,
        mentions: Iterable[PlaceMention],
        *,
        crisis_countries: Mapping[str, float] | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> Context:
        """The context of an article's mentions, and of the crisis's places (by country)."""
        gazetteer = gazetteer or get_gazetteer()
        counts: defaultdict[str, float] = defaultdict(float)
        for mention in mentions:
            entries = gazetteer.lookup(mention.text)
            codes = {e.country for e in entries if e.country}
            if len(codes) == 1:  # only the names that say which state they are in
                counts[codes.pop()] += 1
        for code, weight in (crisis_countries or {}).items():
            counts[code] += weight
        return cls(dict(counts))

    def share(self, codes: Iterable[str]) -> float:
        total = sum(self.countries.values())
        if not total:
            return 0.0
        return min(1.0, sum(self.countries.get(code, 0.0) for code in set(codes)) / total)


# How likely a name means each kind of place before any context: a state over a city of the
# same name ("Luxembourg"), a capital over a town ("Paris, Texas"), a city by its size.
_PRIOR = {"country": 1.0, "sea": 0.9, "site": 0.85, "region": 0.8, "continent": 0.9}
_US_STATE_PRIOR = 0.6


def _prior(entry: Entry) -> float:
    if entry.kind == "city":
        size = 0.1 * math.log10(max(entry.population, 1))
        return min(0.9, 0.2 + size + (0.1 if entry.capital else 0.0))
    if entry.iso_code.startswith("US-"):
        return _US_STATE_PRIOR
    return _PRIOR.get(entry.kind, 0.5)


# A city known by that name only among GeoNames' alternates (Casablanca is "White House").
_ALTERNATE_PENALTY = 0.2


def _score(entry: Entry, context: Context, name: str, gazetteer: Gazetteer) -> float:
    own = context.share([entry.country]) if entry.country else 0.0
    near = context.share(entry.neighbours) if entry.kind == "country" else 0.0
    alternate = entry.kind == "city" and not gazetteer.is_primary(entry, name)
    return _prior(entry) + 0.8 * own + 0.4 * near - (_ALTERNATE_PENALTY if alternate else 0.0)


def candidates(name: str, gazetteer: Gazetteer | None = None) -> list[Entry]:
    """The entries `name` may mean, a state's namesake cities left out ("Mexico", "Kuwait").

    A longer name that no entry has is tried without its first or last words: "western
    Russia" is Russia, "the White House Situation Room" is in the White House.
    """
    gazetteer = gazetteer or get_gazetteer()
    words = name.split()
    for size in range(len(words), 0, -1):
        for start in (0, len(words) - size) if size < len(words) else (0,):
            part = " ".join(words[start : start + size])
            if size < len(words) and (len(part) < 4 or not part[:1].isupper()):
                continue
            entries = gazetteer.lookup(part)
            if entries:
                states = {e.country for e in entries if e.kind == "country"}
                return [e for e in entries if e.kind == "country" or e.country not in states]
    return []


def resolve(
    mention: PlaceMention, context: Context, gazetteer: Gazetteer | None = None
) -> ResolvedPlace | None:
    """The place a mention most likely means, or None when no gazetteer knows the name.

    One candidate: confident. Several ("Georgia": the state in the Caucasus, the US state):
    the best by prior and context, with a confidence that grows with its lead over the next,
    under LOW_CONFIDENCE when the context did not tell them apart.
    """
    gazetteer = gazetteer or get_gazetteer()
    found = candidates(mention.text, gazetteer)
    if not found:
        return None
    scores = {e.key: _score(e, context, mention.text, gazetteer) for e in found}
    ranked = sorted(found, key=lambda e: (-scores[e.key], -e.population, e.key))
    best = ranked[0]
    if len(ranked) == 1:
        confidence = 0.9
    else:
        confidence = min(0.9, 0.4 + scores[best.key] - scores[ranked[1].key])
    return ResolvedPlace(
        key=best.key,
        name=best.name,
        kind=best.kind,
        latitude=best.latitude,
        longitude=best.longitude,
        country=best.country,
        iso_code=best.iso_code,
        confidence=round(confidence, 2),
        mention=mention,
    )


def resolve_mentions(
    mentions: Sequence[PlaceMention], context: Context, gazetteer: Gazetteer | None = None
) -> list[ResolvedPlace]:
    """Each distinct place the mentions mean, once, in the order first named."""
    places: dict[str, ResolvedPlace] = {}
    for mention in mentions:
        place = resolve(mention, context, gazetteer)
        if place is not None and place.key not in places:
            places[place.key] = place
    return list(places.values())


def resolve_extraction(
    extraction: Extraction, *, crisis_countries: Mapping[str, float] | None = None
) -> Extraction:
    """The extraction with each event's places resolved (`ExtractedEvent.places`).

    The context is every place the article names (`Extraction.places`, else the events' own);
    `crisis_countries`: how often each state holds a place of the crisis so far. An event whose
    clause names no place falls back on its `place` text.
    """
    gazetteer = get_gazetteer()
    own = [m for event in extraction.events for m in event.place_mentions]
    context = Context.of(
        extraction.places or own, crisis_countries=crisis_countries, gazetteer=gazetteer
    )
    events = []
    for event in extraction.events:
        mentions = event.place_mentions
        if not mentions and event.place:
            mentions = [PlaceMention(event.place, event.span)]
        events.append(replace(event, places=resolve_mentions(mentions, context, gazetteer)))
    return replace(extraction, events=events)

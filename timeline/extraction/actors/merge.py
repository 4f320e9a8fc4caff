"""Merging an article's mentions into actors: one per person, state or organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.extraction.actors.lexicon import clean_name
from timeline.extraction.actors.matching import country_qualified, match_key, state_dropped
from timeline.extraction.actors.mentions import Mention, collect_mentions
from timeline.extraction.types import ExtractedActor, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_actors(doc: Doc) -> list[ExtractedActor]:
    """Return the actors named in ``doc``, one per actor, with every mention's character span.

    Actors come in order of first mention. Demonyms on their own ("Russian troops") are not
    actors, and capitals count as their state only where they act or speak ("Moscow said",
    not "moved to Lviv").
    """
    mentions = collect_mentions(doc)
    return merge_mentions(doc, mentions)


def merge_mentions(doc: Doc, mentions: list[Mention]) -> list[ExtractedActor]:
    actors: list[ExtractedActor] = []
    by_key: dict[tuple[str, str], ExtractedActor] = {}
    persons: list[ExtractedActor] = []
    orgs: list[ExtractedActor] = []
    scores: dict[int, list[float]] = {}

    # Full names first, so a bare "Biden" before "Joe Biden" still joins him.
    order = sorted(mentions, key=lambda m: (-len(m.name.split()), m.start))
    text = doc.text  # spaCy joins every token anew on each `doc.text`: once, not per mention
    for m in order:
        span = Span(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
        if m.kind == "person":
            actor = _find_person(persons, m, span.start)
            if actor is None:
                actor = ExtractedActor(name=m.name, kind="person")
                persons.append(actor)
                actors.append(actor)
        elif m.kind == "state":
            key = ("state", m.canonical)
            actor = by_key.get(key)
            if actor is None:
                actor = ExtractedActor(name=m.canonical, kind="state")
                by_key[key] = actor
                actors.append(actor)
        else:
            # spaCy sometimes tags a person's possessive as an organisation ("Macron's office").
            found = _find_person(persons, m, span.start) if len(m.name.split()) == 1 else None
            actor = found or _find_org(orgs, m)
            if actor is None:
                actor = ExtractedActor(name=m.name, kind=m.kind)
                orgs.append(actor)
                actors.append(actor)
        actor.mentions.append(span)
        surface = clean_name(text[span.start : span.end])
        if (
            surface != actor.name
            and surface not in actor.aliases
            and m.kind != "person"
            # The tagger's "Defence Ministry" in "Russia's Defence Ministry" is no name of its
            # own: as an alias it would match any state's.
            and not state_dropped(m.name, surface)
        ):
            actor.aliases.append(surface)
        if m.kind == "person" and m.name != actor.name and m.name not in actor.aliases:
            actor.aliases.append(m.name)
        if m.title and not actor.title:
            actor.title = m.title
        if m.affiliation and not actor.affiliation:
            actor.affiliation = m.affiliation
        scores.setdefault(id(actor), []).append(m.score)

    for actor in actors:
        actor.mentions.sort(key=lambda s: s.start)
        if actor.kind != "person" and actor.name in actor.aliases:
            actor.aliases.remove(actor.name)
        got = scores[id(actor)]
        # More mentions and a title make an actor surer.
        bonus = min(0.1, 0.03 * (len(got) - 1)) + (0.05 if actor.title else 0.0)
        actor.confidence = round(min(0.99, max(got) + bonus), 2)
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def _find_person(
    persons: list[ExtractedActor], m: Mention, char_start: int
) -> ExtractedActor | None:
    words = m.name.split()
    for actor in persons:
        if actor.name == m.name or m.name in actor.aliases:
            return actor
    if len(words) == 1:
        # "Biden" joins "Joe Biden"; with several Clintons, the nearest full mention before it.
        candidates = [
            a for a in persons if words[0] in a.name.split()[1:] or a.name.split()[0] == words[0]
        ]
        last_name = [a for a in candidates if a.name.split()[-1] == words[0]]
        candidates = last_name or candidates
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            # the candidate mentioned last before this mention (or first after it)
            def last_before(a: ExtractedActor) -> int:
                return max((s.start for s in a.mentions if s.start <= char_start), default=-1)

            return max(candidates, key=last_before)
        return None
    # "Joe Biden" and "Joseph R. Biden"? Only when first and last names agree.
    for actor in persons:
        other = actor.name.split()
        if len(other) > 1 and other[-1] == words[-1] and other[0] == words[0]:
            return actor
    return None


def _find_org(orgs: list[ExtractedActor], m: Mention) -> ExtractedActor | None:
    key = match_key(m.name)
    named = []
    for actor in orgs:
        if actor.kind != m.kind and not {actor.kind, m.kind} <= {"organisation", "group"}:
            continue
        keys = {match_key(actor.name), *(match_key(a) for a in actor.aliases)}
        if key in keys or _acronym(actor.name) == m.name or _acronym(m.name) == actor.name:
            named.append(actor)
    if named:
        # A bare "the Defence Ministry" after Russia's and Ukraine's is neither for sure.
        return named[0] if len(named) == 1 else None
    # "the State Department" after "the U.S. State Department" (longer names come first); not
    # when two states' ministries share the name.
    qualified = [
        actor
        for actor in orgs
        if actor.kind == m.kind
        and (state_and_rest := country_qualified(actor.name))
        and match_key(state_and_rest[1]) == key
    ]
    return qualified[0] if len(qualified) == 1 else None


def _acronym(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in ("of", "the", "and", "for")]
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) > 1 else ""

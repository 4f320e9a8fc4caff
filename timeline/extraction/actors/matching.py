"""Matching actors across articles: the keys two names of one actor share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from timeline.extraction.actors.lexicon import (
    BODY_ABBREVIATIONS,
    PERSONAL_PRONOUNS,
    POSSESSIVE,
    canonical_state,
    clean_name,
    state_for_demonym,
)
from timeline.extraction.types import ExtractedActor


def normalise_name(name: str) -> str:
    """Fold a name for comparison: no accents, case, possessive, dots, hyphens or leading "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = clean_name(text).lower().replace("’", "'")
    text = text.removeprefix("the ")
    text = re.sub(r"(?<=\w)\.(?=\w)|\.$", "", text)  # "u.s." -> "us"
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.split())


def match_key(name: str) -> str:
    """The key two names of one actor share: states by canonical name, others normalised.

    >>> match_key("U.S.") == match_key("America") == match_key("United States")
    True
    """
    # Capitals are not their state outside a sentence: "Washington" may be the state of Washington.
    state = canonical_state(name)
    if state:
        return normalise_name(state)
    return spelled_out(normalise_name(name))


def spelled_out(name: str) -> str:
    """A name with the abbreviation it opens with written out: "un security council" → "united
    nations security council" (for names as `normalise_name` leaves them)."""
    first, _, rest = name.partition(" ")
    if first.lower() in BODY_ABBREVIATIONS:
        return f"{BODY_ABBREVIATIONS[first.lower()]} {rest}".strip()
    return name


_ABBREVIATED = {full: short for short, full in BODY_ABBREVIATIONS.items()}


def body_name_forms(name: str) -> set[str]:
    """The forms of a name, lower case, an international body may be written in: as given, with
    its opening abbreviation spelled out, and with its full opening name abbreviated ("European
    Union" → "eu", "United Nations Security Council" → "un security council")."""
    lowered = " ".join(name.lower().replace(".", "").split()).removeprefix("the ")
    forms = {name.lower()}
    if (spelled := spelled_out(lowered)) != lowered:
        forms.add(spelled)
    for full, short in _ABBREVIATED.items():
        if lowered == full or lowered.startswith(f"{full} "):
            forms.add(short + lowered[len(full) :])
    return forms


def candidate_keys(actor: ExtractedActor) -> set[str]:
    """Every key under which ``actor`` may already be stored: its name, aliases and, for a
    person, the surname (weaker; confirm with ``same_actor``)."""
    keys = {match_key(actor.name)} | {match_key(a) for a in actor.aliases}
    if actor.kind == "person":
        keys.add(normalise_name(actor.name).split()[-1])
    keys.discard("")
    return keys


def same_actor(
    a: str,
    b: str,
    a_aliases: Iterable[str] = (),
    b_aliases: Iterable[str] = (),
) -> bool:
    """True when two names (with their aliases) denote the same actor.

    Names match on their keys; a one-word name matches a longer name with that surname
    ("Biden" ~ "Joe Biden"), and two full names match when first and last names agree
    ("Joe Biden" ~ "Joe R. Biden").
    """
    keys_a = {match_key(n) for n in (a, *a_aliases)} - {""}
    keys_b = {match_key(n) for n in (b, *b_aliases)} - {""}
    if keys_a & keys_b:
        return True
    for x in keys_a:
        for y in keys_b:
            wx, wy = x.split(), y.split()
            if not wx or not wy:
                continue
            if len(wx) == 1 and len(wy) > 1 and wx[0] == wy[-1]:
                return True
            if len(wy) == 1 and len(wx) > 1 and wy[0] == wx[-1]:
                return True
            if len(wx) > 1 and len(wy) > 1 and wx[0] == wy[0] and wx[-1] == wy[-1]:
                return True
    return False


def country_qualified(name: str) -> tuple[str, str] | None:
    """The state and the rest of an organisation's name that opens with one: ("United States",
    "State Department") for "U.S. State Department", ("Russia", "Foreign Ministry") for
    "Russia's Foreign Ministry"; None when it does not open with a state or its demonym."""
    words = clean_name(name).removeprefix("the ").split()
    for length in (2, 1):
        if len(words) <= length:
            continue
        qualifier = " ".join(words[:length])
        for suffix in POSSESSIVE:
            qualifier = qualifier.removesuffix(suffix)
        state = state_for_demonym(qualifier)
        if state:
            return state, " ".join(words[length:])
    return None


def state_dropped(name: str, alias: str) -> bool:
    """Whether `alias` is the organisation `name` without its state: the tagger's "Defence
    Ministry" in "Russia's Defence Ministry" names no body alone, and any state has one."""
    qualified = country_qualified(name)
    return qualified is not None and match_key(qualified[1]) == match_key(alias)


def actor_at(actors: Iterable[ExtractedActor], start: int, end: int) -> ExtractedActor | None:
    """The actor with a mention overlapping the characters [start, end), if any."""
    for actor in actors:
        for span in actor.mentions:
            if span.start < end and start < span.end:
                return actor
    return None


def is_personal_pronoun(word: str) -> bool:
    return word.lower() in PERSONAL_PRONOUNS

"""Actors named in an article: people, states, organisations, groups and media.

spaCy's statistical NER proposes the names; small rules then fix what the small English model gets
wrong in news about states: titles and affiliations in front of a name ("British Defence Secretary
Ben Wallace"), capitals and seats of power used as their state ("Moscow said", "the Kremlin said"),
state names written several ways ("US", "U.S.", "America") and mentions of one person under several
forms ("Joe Biden", "Biden"). Everything here is pure: a parsed spaCy ``Doc`` in, dataclasses out.

The helpers at the bottom (``normalise_name``, ``match_key``, ``candidate_keys``, ``same_actor``)
let the ingestion side match an extracted actor to actors already stored from other articles.
"""

from timeline.extraction.actors.lexicon import canonical_state, state_for_demonym
from timeline.extraction.actors.matching import (
    actor_at,
    body_name_forms,
    candidate_keys,
    is_personal_pronoun,
    match_key,
    normalise_name,
    same_actor,
)
from timeline.extraction.actors.merge import extract_actors

__all__ = [
    "actor_at",
    "body_name_forms",
    "candidate_keys",
    "canonical_state",
    "extract_actors",
    "is_personal_pronoun",
    "match_key",
    "normalise_name",
    "same_actor",
    "state_for_demonym",
]

"""The tense of the clause a time expression attaches to (past, present, future)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.extraction.dates.vocabulary import FUTURE_AUX, FUTURE_HEADS, Tense

if TYPE_CHECKING:
    from spacy.tokens import Token

# --------------------------------------------------------------------------------------------
# Tense of the clause an expression attaches to


def _governing_verb(token: Token) -> Token | None:
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            break
        token = token.head
    root = token.sent.root
    return root if root.pos_ in ("VERB", "AUX") else None


def tense_of(token: Token) -> Tense:
    """Past, present or future for the clause governing ``token`` ("" when there is no verb)."""
    verb = _governing_verb(token)
    if verb is None:
        return ""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in FUTURE_AUX for c in auxes):
        return "future"
    head = verb
    for _ in range(3):  # "was due to hold", "plans to visit", "is expected to meet"
        if head.dep_ not in ("xcomp", "ccomp") or head.head.i == head.i:
            break
        if not any(c.lower_ == "to" for c in head.children):
            break
        head = head.head
        if head.lemma_.lower() in FUTURE_HEADS or (
            head.lemma_ == "be" and head.i + 1 < len(head.doc) and head.nbor().lower_ == "to"
        ):
            return "future"
    if verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.children):
        return "future"
    # The auxiliaries decide first: "was taken" and "has met" are past, "is heard" present.
    if any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes):
        return "past"
    if any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return "present"
    if verb.tag_ in ("VBD", "VBN"):  # "images taken on Wednesday" is past too
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return ""

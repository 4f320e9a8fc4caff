"""Whether an event is reported, unverified or disputed, and how confident the extraction is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.extraction.events.lexicon import _Candidate
from timeline.extraction.events.participants import _Article, _object
from timeline.extraction.types import (
    ResolvedDate,
    Role,
    Verification,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

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

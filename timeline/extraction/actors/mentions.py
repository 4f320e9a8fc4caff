"""Mentions: spaCy's entities turned into candidate actors, with titles and affiliations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.extraction.actors.geography import is_place_name, state_seat
from timeline.extraction.actors.lexicon import (
    DEMONYM_TO_STATE,
    GENERIC_ORG_WORDS,
    GROUP_NAMES,
    GROUP_WORDS,
    HONORIFICS,
    MEDIA_NAMES,
    MEDIA_WORDS,
    NOT_ACTORS,
    POSSESSIVE,
    RANKS,
    STATE_TO_DEMONYM,
    SUBJECT_DEPS,
    TITLE_AFFILIATION,
    TITLE_WORDS,
    canonical_state,
    clean_name,
    state_for_demonym,
)
from timeline.extraction.places.datelines import doc_dateline_end
from timeline.extraction.types import ActorKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


@dataclass
class Mention:
    start: int  # token indexes, half-open
    end: int
    name: str  # the cleaned surface form
    kind: ActorKind
    title: str = ""
    affiliation: str = ""
    canonical: str = ""  # set for states and metonyms
    score: float = 0.6
    extra_titles: list[str] = field(default_factory=list)


def _is_actor_position(tok: Token) -> bool:
    """True when a place name is used as a political actor: it speaks, acts or owns something."""
    seen = 0
    while tok.dep_ in ("conj", "compound", "appos") and tok.head.i != tok.i and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ in SUBJECT_DEPS:
        return True
    if tok.dep_ == "poss":
        return True
    # "accused by Moscow", "pressure from Washington" stays a place; the agent case is above.
    return tok.dep_ == "pobj" and tok.head.lower_ in ("by", "according")


def collect_mentions(doc: Doc) -> list[Mention]:
    mentions: list[Mention] = []
    used: set[int] = set()  # token indexes already inside a person's title
    ents = list(doc.ents)
    # Words of the people named in full: "Austin" after "Lloyd Austin" is him, not the city.
    name_parts = {
        tok.lower_ for ent in ents if ent.label_ == "PERSON" and len(ent) > 1 for tok in ent
    }
    person_titles: dict[int, tuple[str, str, int]] = {}
    for ent in ents:
        if ent.label_ == "PERSON" and state_seat(clean_name(ent.text)) is None:
            title, affiliation, first = _title_before(doc, ent)
            if title or affiliation:
                person_titles[ent.start] = (title, affiliation, first)
                used.update(range(first, ent.start))

    for ent in ents:
        start, end = _trim(ent)
        if start >= end:
            continue
        if any(i in used for i in range(start, end)):
            continue
        if _in_dateline(ent):
            continue  # "MELBOURNE, Australia – ": where the story was filed from
        text = doc[start:end].text
        name = clean_name(text)
        key = name.lower()
        if not name or key in NOT_ACTORS or key.removeprefix("the ") in NOT_ACTORS:
            continue
        label = ent.label_
        head_tok = doc[start:end].root

        metonym = (
            state_seat(name)
            if label in ("GPE", "ORG", "FAC", "LOC")
            or (label == "PERSON" and key not in name_parts)
            else None
        )
        if metonym:
            if _is_actor_position(head_tok):
                mentions.append(Mention(start, end, name, "state", canonical=metonym, score=0.7))
            continue
        if (
            label in ("PERSON", "ORG")
            and not (label == "PERSON" and key in name_parts)
            and head_tok.dep_ not in SUBJECT_DEPS
            and is_place_name(name, label=label)
        ):
            continue  # "fighting near Kharkiv", with Kharkiv tagged a person
        state = canonical_state(name)
        if state and label in ("GPE", "ORG", "NORP", "LOC", "PERSON"):
            if label == "NORP" and not _is_actor_position(head_tok):
                continue  # "US" tagged as a nationality modifier ("US officials")
            mentions.append(Mention(start, end, name, "state", canonical=state, score=0.85))
            continue
        if label == "GPE":
            continue  # cities and regions are places, not actors
        if label == "PERSON":
            if not _looks_like_person(doc[start:end]):
                continue
            title, affiliation, _ = person_titles.get(ent.start, ("", "", start))
            # a title the model took into the name: "Chairperson Jane Doe" is Jane Doe
            inner = start
            while (
                inner < end - 1
                and doc[inner].lower_ in TITLE_WORDS
                and (doc[inner].text[:1].isupper())
            ):
                inner += 1
            if inner > start:
                title = " ".join(w for w in (title, doc[start:inner].text) if w)
                start, name = inner, clean_name(doc[inner:end].text)
            mentions.append(
                Mention(start, end, name, "person", title=title, affiliation=affiliation,
                         score=0.85 if len(name.split()) > 1 else 0.7)
            )  # fmt: skip
            continue
        if label == "ORG":
            mentions.append(_org_mention(doc, start, end, name))
            continue
        if label == "NORP":
            singular = key.removesuffix("s")
            if key in DEMONYM_TO_STATE or singular in DEMONYM_TO_STATE:
                continue
            if singular.endswith(("ian", "ese", "ish", "an", "ic", "i")):
                continue  # demonyms alone are not actors
            if head_tok.tag_ in ("NNPS", "NNS") or key in GROUP_NAMES:
                mentions.append(Mention(start, end, name, "group", score=0.6))
            continue
        if label == "LOC" and key in GROUP_NAMES and _is_actor_position(head_tok):
            mentions.append(Mention(start, end, _the(doc, start, name), "group", score=0.6))
    mentions.extend(_unrecognised_groups(doc, mentions))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _in_dateline(ent: SpacySpan) -> bool:
    end = doc_dateline_end(ent.doc, ent.start_char)
    return end is not None and ent.end_char <= end


def _the(doc: Doc, start: int, name: str) -> str:
    """Keep "the" in front of a group named by a common word ("the West")."""
    if start > 0 and doc[start - 1].lower_ == "the" and not name.lower().startswith("the "):
        return "the " + name
    return name


def _unrecognised_groups(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "The West" speaks often in this news and the small model rarely tags it."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for tok in doc:
        if (
            tok.text == "West"
            and tok.i not in taken
            and tok.i > 0
            and doc[tok.i - 1].lower_ == "the"
            and _is_actor_position(tok)
        ):
            found.append(Mention(tok.i, tok.i + 1, "the West", "group", score=0.55))
    return found


def _trim(ent: SpacySpan) -> tuple[int, int]:
    """Token bounds of an entity without a leading "the", possessive or stray punctuation."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in POSSESSIVE
    ):
        end -= 1
    if start < end and doc[start].lower_ == "the" and end - start > 1:
        start += 1
    # An entity must not run across a line break (headlines, captions).
    for i in range(start, end):
        if "\n" in doc[i].text_with_ws and i + 1 < end:
            end = i + 1
            break
    return start, end


# Before a name, the saint a church, hall or square is named after: "St. Catherine Hall".
_SAINT = frozenset(["st.", "st", "saint", "ste.", "sainte"])


def _looks_like_person(span: SpacySpan) -> bool:
    words = [t for t in span if not t.is_punct]
    if not words or not all(t.text[:1].isupper() for t in words):
        return False
    if words[0].lower_ in _SAINT or (span.start > 0 and span.doc[span.start - 1].lower_ in _SAINT):
        return False
    if len(words) == 1 and words[0].lower_ in TITLE_WORDS:
        return False
    return not any(t.like_num for t in words)


def _title_before(doc: Doc, ent: SpacySpan) -> tuple[str, str, int]:
    """Title and affiliation written in front of a person's name.

    "US Joint Chiefs Chairman General Mark Milley" -> ("Joint Chiefs Chairman General",
    "United States"); "Russia's Chief of General Staff Valery Gerasimov" -> ("Chief of General
    Staff", "Russia"). Returns the first token index of the whole phrase too.
    """
    i = ent.start - 1
    words: list[Token] = []
    while i >= 0:
        tok = doc[i]
        low = tok.lower_
        if "\n" in tok.text_with_ws:
            break
        if low in TITLE_WORDS and (tok.text[:1].isupper() or low in ("of", "the", "-")):
            if low in ("the",) and not words:
                break
            words.insert(0, tok)
            i -= 1
            continue
        if tok.text == "-" and words:
            words.insert(0, tok)
            i -= 1
            continue
        break
    # A title does not start with "of"/"the", nor end with it.
    while words and words[0].lower_ in ("of", "the", "-"):
        words.pop(0)
    first = words[0].i if words else ent.start
    title = _join(words)
    title = " ".join(w for w in title.split() if w.lower() not in HONORIFICS)
    # A rank right before the name follows the office: "Joint Chiefs Chairman General Mark Milley"
    parts = title.split()
    while len(parts) > 1 and parts[-1].lower() in RANKS:
        parts.pop()
    title = " ".join(parts)
    affiliation = ""
    # The affiliation stands right before the title: "French", "US", "Russia's", "NATO".
    j = first - 1
    if j >= 0 and "\n" not in doc[j].text_with_ws:
        tok = doc[j]
        if tok.text in POSSESSIVE and j > 0:
            owner = doc[j - 1]
            owner_span = _entity_at(doc, owner.i)
            owner_text = owner_span.text if owner_span is not None else owner.text
            affiliation = canonical_state(owner_text) or state_seat(owner_text) or ""
            if not affiliation and owner_span is not None and owner_span.label_ == "ORG":
                affiliation = clean_name(owner_span.text)
            if affiliation and title:
                first = owner_span.start if owner_span is not None else owner.i
        elif tok.text[:1].isupper():
            state = state_for_demonym(tok.text)
            span = _entity_at(doc, j)
            if state is None and span is not None:
                state = canonical_state(span.text)
            if state and title:
                affiliation = state
                first = span.start if span is not None and span.end == j + 1 else j
            elif span is not None and span.label_ == "ORG" and title and span.end == j + 1:
                affiliation = clean_name(span.text)
                first = span.start
    if not affiliation:
        low_title = title.lower()
        for phrase, state in TITLE_AFFILIATION.items():
            if phrase in low_title:
                affiliation = state
    return title, affiliation, first


def _entity_at(doc: Doc, i: int) -> SpacySpan | None:
    tok = doc[i]
    if not tok.ent_type_:
        return None
    for ent in doc.ents:  # few entities per article; called rarely
        if ent.start <= i < ent.end:
            return ent
    return None


def _join(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _org_mention(doc: Doc, start: int, end: int, name: str) -> Mention:
    key = name.lower()
    words = key.split()
    last = words[-1] if words else ""
    if key in MEDIA_NAMES or key.removeprefix("the ") in MEDIA_NAMES:
        return Mention(start, end, name, "media", score=0.85)
    if "news agency" in key or (key.endswith(" agency") and words[0] in MEDIA_NAMES):
        short = clean_name(re.sub(r"\s+news agency$|\s+agency$", "", name, flags=re.I))
        return Mention(start, end, short or name, "media", score=0.8)
    if (
        last in MEDIA_WORDS
        and last not in ("press",)
        and not any(w in GENERIC_ORG_WORDS for w in words)
    ):
        return Mention(start, end, name, "media", score=0.6)
    kind: ActorKind = "organisation"
    if key in GROUP_NAMES or last in GROUP_WORDS:
        kind = "group"
    affiliation = ""
    # "Russia's Foreign Ministry", "US-based Maxar Technologies", "Russian Defence Ministry"
    if start >= 2 and doc[start - 1].text in POSSESSIVE:
        affiliation = canonical_state(doc[start - 2].text) or ""
    elif start >= 1:
        prev = doc[start - 1]
        affiliation = DEMONYM_TO_STATE.get(prev.lower_, "") if prev.text[:1].isupper() else ""
        if start >= 3 and prev.lower_ == "based" and doc[start - 2].text == "-":
            affiliation = canonical_state(doc[start - 3].text) or ""
    first = words[0] if words else ""
    state_inside = DEMONYM_TO_STATE.get(first) or canonical_state(first)
    if state_inside and len(words) > 1:
        affiliation = affiliation or state_inside
    if affiliation and any(w in GENERIC_ORG_WORDS for w in words) and not state_inside:
        # Name a state's ministry after its state: "Russian Foreign Ministry".
        demonym = STATE_TO_DEMONYM.get(affiliation, affiliation)
        name = f"{demonym} {name}"
    return Mention(start, end, name, kind, affiliation=affiliation, score=0.75)

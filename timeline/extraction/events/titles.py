"""Headline-style titles compressed from the parse: subject + headline verb + object."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from timeline.extraction.events.detection import _line_break_between
from timeline.extraction.events.lexicon import (
    _DROP_DEPS,
    _DROP_WORDS,
    _PERSON_PRONOUNS,
    _PLACE_PREPOSITIONS,
    LIGHT_OBJECTS,
    LIGHT_TITLE_VERBS,
    TITLE_VERBS,
    _Candidate,
)
from timeline.extraction.events.participants import (
    _agent_of_passive,
    _core,
    _MentionIndex,
    _names_a_pair,
)
from timeline.extraction.places.datelines import doc_dateline_end
from timeline.extraction.types import (
    Role,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

# --------------------------------------------------------------------------------------------
# Titles


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
    if names and not _qualified_by_name(token, mentions):
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


def _qualified_by_name(token: Token, mentions: _MentionIndex) -> bool:
    """A common noun that names only qualify is the thing itself: "an emergency Security
    Council meeting" is a meeting, "Russian troops" are troops (but "NATO and Western
    countries", parsed as a noun with a named nmod, are NATO's)."""
    if token.pos_ != "NOUN" or mentions.at(token) is not None:
        return False
    named = [c for c in token.lefts if any(mentions.at(t) for t in c.subtree)]
    return bool(named) and all(c.dep_ in ("compound", "amod") for c in named)


def _compress(token: Token, *, depth: int, prepositions: int = 1) -> list[Token]:
    kept: list[Token] = []
    for child in token.lefts:
        fused = _hyphenated(child) or _one_name(child, token)
        if child.dep_ in _DROP_DEPS and not _is_hyphen(child) and not fused:
            continue
        if _line_break_between(child, token):
            continue  # the parse ran across a paragraph ("Advertising\n\nCommercial images")
        if child.lower_ in _DROP_WORDS or (
            child.dep_ in ("det", "poss") and child.lower_ not in ("no", "new") and not fused
        ):
            continue
        if fused:
            # "Donetsk People's", "rebel-": as written
            kept.extend(t for t in child.subtree if t.dep_ != "det")
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


def _is_temporal(prep: Token) -> bool:
    """ "on Friday", "in 2014": dates belong to the event's date, not its title."""
    return any(c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _is_hyphen(token: Token) -> bool:
    return token.text in ("-", "–") and not token.whitespace_


def _after_dateline(subject: Token, verb: Token) -> Token | None:
    """The verb's other subject past the dateline that opens its line, else the first noun of
    the subject's phrase past it."""
    end = doc_dateline_end(subject.doc, subject.idx) or 0
    others = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx >= end]
    nouns = [t for t in subject.subtree if t.idx >= end and t.pos_ in ("NOUN", "PROPN")]
    # The head of the phrase past the dateline: "Nations" of "The United Nations", not "United".
    heads = [t for t in nouns if t.head.idx < end or t.head == t]
    return next(iter(others + heads + nouns), None)


def _hyphenated(token: Token) -> bool:
    """ "rebel" in "rebel-held": the first half of a hyphenated word, never dropped alone."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and not token.whitespace_ and _is_hyphen(following)


def _one_name(child: Token, head: Token) -> bool:
    """ "Donetsk People's" in "the Donetsk People's Republic": words of one named entity."""
    return (
        bool(head.ent_type_)
        and child.ent_type_ == head.ent_type_
        and head.ent_iob_ == "I"
        and (all(t.ent_iob_ == "I" for t in head.doc[child.i + 1 : head.i + 1]))
    )


def _detokenise(tokens: list[Token]) -> str:
    text = ""
    for i, token in enumerate(tokens):
        if i == 0 and token.is_sent_start and not token.ent_type_ and token.pos_ != "PROPN":
            text += token.text[:1].lower() + token.text[1:]  # "Sanctions were imposed": mid-title
        else:
            text += token.text
        if i + 1 < len(tokens):
            following = tokens[i + 1]
            adjacent = token.i + 1 == following.i and not token.whitespace_
            if not adjacent and following.text not in (",", "'s", "’s"):
                text += " "
    return re.sub(r"\s+([,.;:])", r"\1", text).strip(" ,")


def _title_lemma(token: Token) -> str:
    """The verb a headline uses for the predicate: "came" visits, "had talks" holds them."""
    lemma = token.lemma_.lower()
    if lemma in LIGHT_TITLE_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in LIGHT_OBJECTS for c in token.children
    ):
        return LIGHT_TITLE_VERBS[lemma]
    return TITLE_VERBS.get(lemma, lemma)


def _headline_verb(token: Token, *, plural: bool, scheduled: bool, passive: bool) -> str:
    particle = next((c.text for c in token.children if c.dep_ == "prt"), "")
    verb = _title_lemma(token)
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
    if subject is not None and _names_a_pair(subject) and len(agents) == 2:
        subject_text, plural = _join(agents), True  # "the two leaders": "Biden and Putin"
    elif subject is not None and subject.lower_ in _PERSON_PRONOUNS | {"they", "it", "i", "we"}:
        subject_text = _join(agents) if agents else subject.text.capitalize()
        plural = subject.lower_ in ("they", "we") or (subject.lower_ == "i" and not agents)
    elif subject is not None and (
        not _core(subject) or subject.idx < (doc_dateline_end(subject.doc, subject.idx) or 0)
    ):
        # The parse took the dateline's place for the subject ("MOSCOW, Russia – Some troops
        # are returning"): the subject is the noun after the dateline, or the agents.
        after = _after_dateline(subject, token)
        subject_text = _phrase(after, mentions) if after is not None else _join(agents)
        plural = after.tag_ in ("NNS", "NNPS") if after is not None else len(agents) > 1
    elif subject is not None:
        subject_text = _phrase(subject, mentions)
        named = mentions.over(subject.doc, _core(subject))
        # The verb agrees with the subject as the title names it: "Nato condemns" for "Nato and
        # Western countries condemned", when only Nato is an actor.
        plural = (
            len(named) > 1 if named else subject.tag_ in ("NNS", "NNPS") or bool(subject.conjuncts)
        )
    else:
        subject_text = _join(agents)
        plural = len(agents) > 1
    agent = _agent_of_passive(token) if passive else None
    if passive and agent is None and token.dep_ != "relcl":
        # "The Dutch mission would be pulled from Kyiv": no one named does it, so the patient
        # goes first and the participle after. (With a "by" agent, the subject and object come
        # as the active voice has them: "condemned by Nato" is "Nato condemns".)
        patient = obj if obj is not None else (token.head if token.dep_ == "acl" else None)
        if patient is not None:
            parts = [_phrase(patient, mentions), ("to be " if scheduled else "") + token.text]
            parts.append(_complements(token, mentions, skip=None))
            return _finish(" ".join(p for p in parts if p))
    verb = _headline_verb(token, plural=plural, scheduled=scheduled, passive=False)
    object_text = _phrase(obj, mentions) if obj is not None else _stranded_object(token)
    complement = _complements(token, mentions, skip=obj)
    lemma = _title_lemma(token)
    if lemma in _MOVEMENT and not object_text and not complement:
        # "Macron, who visited on Monday": where to is the place the sentence is about.
        destination = _destination(token, subject)
        if destination:
            object_text = f"{_MOVEMENT[lemma]} {destination}".strip()
    if obj is not None and obj.pos_ == "PRON":
        object_text = ""  # "warned him that ...": what he was warned of says more
    if not object_text and not complement:
        # A bare "Russia declares" says nothing: what was said, or the small clause of
        # "declared the regions sovereign", tells what happened.
        complement = _reported_gist(token)
    parts = [subject_text, verb, object_text]
    if len(" ".join([*parts, complement]).split()) <= _TITLE_WORDS:
        parts.append(complement)  # "in Belarus", "to leave Ukraine": only while short
    return _finish(" ".join(p for p in parts if p))


_TITLE_WORDS = 11
_TITLE_CHARACTERS = 70

# Verbs of going somewhere, with the preposition their destination takes in a title.
_MOVEMENT = {"visit": "", "arrive": "in", "travel": "to", "return": "to", "fly": "to"}


def _destination(token: Token, subject: Token | None) -> str:
    """The nearest place named before the verb in its sentence (else after it), outside its
    subject: "Moscow brushed them off, ... Macron, who visited on Monday" visited Moscow."""
    sent = token.sent
    subject_tokens = {t.i for t in subject.subtree} if subject is not None else set()
    places = [
        e
        for e in sent.ents
        if e.label_ in ("GPE", "LOC", "FAC") and not any(t.i in subject_tokens for t in e)
    ]
    before = [e for e in places if e.end <= token.i]
    if before:
        return before[-1].text
    after = [e for e in places if e.start > token.i]
    return after[0].text if after else ""


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


def _reported_gist(token: Token) -> str:
    """What a warning or statement says, compressed: "Biden warns US and allies will respond"
    rather than "Biden warns", which would read the same as every other warning."""
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    if clause is None or clause.pos_ not in ("VERB", "AUX", "ADJ"):
        return ""
    words = [t for t in _compress(clause, depth=1) if t.dep_ != "mark" and not t.is_punct][:7]
    while words and (words[-1].lower_ in _DANGLING or words[-1].pos_ == "CCONJ"):
        words.pop()
    return _detokenise(words)


def _finish(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip(" ,;:")
    if len(title) > _TITLE_CHARACTERS:
        # A headline, not a sentence: cut at a word, without a dangling "of", "and" or "the".
        words = title[: _TITLE_CHARACTERS + 1].split(" ")[:-1]
        while words and words[-1].lower() in _DANGLING:
            words.pop()
        title = " ".join(words).strip(" ,;:")
    title = re.sub(r"^(?:['’]s?\s+)+", "", title)  # a subject cut down to its possessive mark
    return title[:1].upper() + title[1:] if title else title


_DANGLING = {
    "of", "and", "or", "the", "a", "an", "to", "in", "on", "at", "by", "for", "with", "from",
    "its", "their", "his", "her", "as", "near", "into", "between",
}  # fmt: skip


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

"""Who spoke: the subject of a reporting verb, the names in a frame, pronouns, unnamed sources."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Literal

from timeline.extraction.actors import canonical_state, same_actor, state_for_demonym
from timeline.extraction.statements.context import _Speaker
from timeline.extraction.statements.coreference import Gender, _References
from timeline.extraction.statements.vocabulary import (
    _AGENT_SUFFIXES,
    _FEMALE_WORDS,
    _MALE_WORDS,
    _MEDIA_NOUNS,
    _OFFICIAL_NOUNS,
    _PERSON_PRONOUNS,
    _QUOTE_CHARS,
    _RELATIVE_PRONOUNS,
    _ROLE_NOUNS,
    _SENTENCE_END,
    _SOURCE_NOUNS,
    _SUBJECTS,
    _TEXT_NOUNS,
    _THING_PRONOUNS,
    _UNNAMED_PERSON_NOUNS,
)
from timeline.extraction.types import ExtractedActor, Span

if TYPE_CHECKING:
    from spacy.tokens import Token


def _person_role(subj: Token) -> Gender | Literal[""] | None:
    """For a common noun naming a person's role ("senator", "spokeswoman"): the gender it says,
    or ""; None for any other word."""
    if subj.pos_ != "NOUN" and not (subj.pos_ == "PROPN" and subj.text.islower()):
        return None  # the small model tags "the senator" a proper noun at times
    word = subj.lower_
    if word in _FEMALE_WORDS:
        return "f"
    if word in _MALE_WORDS:
        return "m"
    return "" if subj.lemma_.lower() in _ROLE_NOUNS else None


def _one_unnamed_person(subj: Token) -> bool:
    """A source who is one unnamed person, or a few: "a senior U.S. official", "two French
    diplomats", "a source close to the Kremlin" — a description, never the state it names.
    Bare plurals ("French officials said") speak for their side."""
    if subj.lemma_.lower() not in _UNNAMED_PERSON_NOUNS:
        return False
    if subj.tag_ == "NN":
        return True
    return any(t.dep_ in ("det", "nummod") and t.lower_ not in ("the", "its") for t in subj.lefts)


def _can_be_a_source(subj: Token) -> bool:
    """Whether a common noun can name who spoke: a person or a group ("the announcer", "a
    friend", "protesters"), a body ("the committee") or a text that speaks ("the ruling", "the
    ad") — not "the election" or "a spate of shootings"."""
    lemma = subj.lemma_.lower()
    if subj.pos_ == "PROPN" and not subj.text.islower():
        return True
    if lemma in _SOURCE_NOUNS or lemma in _ROLE_NOUNS or lemma in _UNNAMED_PERSON_NOUNS:
        return True
    if subj.lower_ in _OFFICIAL_NOUNS or lemma in _MEDIA_NOUNS:
        return True
    # agent nouns: "questioner", "organizer", "commentator", "economist", "historian"
    return lemma.endswith(_AGENT_SUFFIXES) and len(lemma) > 5


class _Speakers(_References):
    def subject_of(self, verb: Token) -> Token | None:
        """The subject of a reporting verb, following conjoined and subordinate verbs up."""
        tok: Token | None = verb
        after: Token | None = None
        for _ in range(4):
            if tok is None:
                break
            # a word inside a quotation is what was said, never who said it
            subjects = [c for c in tok.children if c.dep_ in _SUBJECTS and not self.in_quote[c.i]]
            # the parser may hang two subjects on one verb; the nearest before it speaks
            before = [c for c in subjects if c.i < tok.i]
            if before:
                return before[-1]
            # A subject after the verb is mostly the reported clause's own subject, misparsed
            # ("saying her right foot was …"); it speaks only when nothing better turns up
            # (the inverted "said Blinken").
            if subjects and after is None and tok.tag_ != "VBG":
                # never with a participle: "after saying her right foot was …" is her speaking
                after = subjects[0]
            # conjoined verbs share a subject ("denies … but says"), and so do participles
            # ("stiffened its response, saying …") and control verbs ("wants to say")
            shares = tok.dep_ in ("conj", "xcomp") or (
                # participles, and a finite verb with no subject of its own hung on another
                # verb: the parse's "Protesters marching through the streets chanted …"
                tok.dep_ == "advcl"
                and (tok.tag_ == "VBG" or (tok.tag_ in ("VBD", "VBZ", "VBP") and not subjects))
            )
            # "… should be released but said “…”": coordinated, though parsed as a clause
            shares = shares or (tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("and", "but"))
            if shares and tok.head.i != tok.i:
                tok = tok.head
            elif (
                tok.dep_ == "acl"
                and tok.tag_ == "VBG"
                and tok.head.lemma_.lower() in _TEXT_NOUNS
                and tok.head.dep_ == "dobj"
            ):
                # "the council issued a statement calling the test “…”": who issued it speaks
                tok = tok.head.head
            elif (
                tok.tag_ == "VBG"
                and tok.dep_ in ("pcomp", "pobj")
                and tok.head.lower_ in ("after", "before", "while", "since", "upon")
            ):
                # "After saying …, she was …": the participle's subject is the clause's
                tok = tok.head.head
            else:
                break
        return after

    def speaker_from_token(self, subj: Token, limit: tuple[int, int] | None = None) -> _Speaker:
        """Map a subject token to an actor (or an unnamed source, or a resolved pronoun)."""
        if subj.lower_ in _RELATIVE_PRONOUNS and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "Morial, who said …" -> Morial
            limit = None
        low = subj.lower_
        if low in _PERSON_PRONOUNS:
            person = self.resolve_person(subj, "m" if low == "he" else "f")
            span = Span(subj.idx, subj.idx + len(subj.text))
            if person is not None:
                return _Speaker(person.name, span, 0.75)
            return _Speaker(None, span, 0.4)
        if subj.pos_ == "NOUN":
            # "Another critic, Laurence H. Tribe, likened …": the name in apposition speaks
            for child in subj.rights:
                if child.dep_ == "appos" and child.pos_ == "PROPN" and child.text[:1].isupper():
                    apposed = self.speaker_from_token(child)
                    if apposed.name:
                        return apposed
                    break
        lo, hi = subj.left_edge.i, subj.right_edge.i
        # A relative clause or apposition is not part of who spoke; keep the noun phrase.
        for child in subj.rights:
            if child.dep_ in ("relcl", "acl", "appos", "punct") and child.i > subj.i:
                hi = min(hi, child.left_edge.i - 1)
                break
        if limit is not None:
            lo, hi = max(lo, limit[0]), min(hi, limit[1])
        hi = max(hi, subj.i)
        lo = min(lo, subj.i)
        while hi > lo and (self.doc[hi].is_punct or self.doc[hi].text in _QUOTE_CHARS):
            hi -= 1
        while lo < hi and self.doc[lo].is_punct:
            lo += 1
        span = self.tok_span(lo, hi)
        found = self.actor_in(subj.idx, subj.idx + len(subj.text)) or self.actor_in(
            span.start, span.end
        )
        if (
            found
            and not found[1].start <= subj.idx < found[1].end
            and subj.pos_ == "PROPN"
            and subj.text[:1].isupper()
        ):
            # "White House press secretary Josh Earnest said": the name, not the modifier
            named = self._proper_name(lo, hi, subj)
            if named is not None:
                return named
        role = _person_role(subj)
        if role is not None and not (found and found[1].start <= subj.idx < found[1].end):
            # "the Vermont senator said": a description of someone, not the state it names
            return self._described(subj, span, role or None, found[0] if found else None)
        if found and found[0].kind == "state" and _one_unnamed_person(subj):
            # "a senior U.S. official said": someone unnamed, not the United States
            return _Speaker(None, span, 0.6, self._description(span, subj))
        if found:
            actor, mention = found
            # "French officials" speak for France; the phrase stays the speaker span.
            conf = (
                0.6
                if actor.kind == "state"
                and (subj.lower_ in _OFFICIAL_NOUNS or subj.lemma_ == "source")
                else 0.9
            )
            whole = span if conf < 0.9 else mention
            return _Speaker(actor.name, whole, conf)
        if low in _THING_PRONOUNS:
            prior = self._last_nonperson_subject(subj) or self._last_nonperson_speaker(subj.idx)
            return _Speaker(prior, Span(subj.idx, subj.idx + len(subj.text)), 0.7 if prior else 0.5)
        if subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            name = self._entity_name(subj)
            if name:
                return _Speaker(name, span, 0.7)
        if subj.pos_ == "PROPN" and subj.text[:1].isupper():
            named = self._proper_name(lo, hi, subj)
            if named is not None:
                return named
        if (
            subj.lower_ in _OFFICIAL_NOUNS or subj.lemma_.lower() == "source"
        ) and not _one_unnamed_person(subj):
            for tok in self.doc[lo : hi + 1]:
                state = state_for_demonym(tok.text) if tok.text[:1].isupper() else None
                if state:
                    return _Speaker(state, span, 0.55)
        definite = self._definite_reference(subj, span)
        if definite:
            return _Speaker(definite, span, 0.6)
        # "the recent spate of shootings demands …": the parse's subject is no source, and no
        # description either (a quote with neither is unattributed, left for review)
        description = self._description(span, subj) if _can_be_a_source(subj) else ""
        return _Speaker(None, span, 0.6, description)

    def _proper_name(self, lo: int, hi: int, subj: Token) -> _Speaker | None:
        """A name the actor finder missed ("…,” Tester said): the capitalised words of the
        subject without titles, matched to an actor when one shares it."""
        found = self.unlisted_person(lo, subj)
        if found is None:
            return None
        actor, span = found
        return _Speaker(actor.name, span, 0.75 if actor in self.actors else 0.65)

    def _described(
        self, subj: Token, span: Span, gender: Gender | None, named: ExtractedActor | None
    ) -> _Speaker:
        """ "the former secretary of state said" is the person the article is about there; "a
        senior official said" is nobody named, and is kept as a description."""
        # "the former secretary of state", and "Obama's former strategist" (not Obama)
        definite = any(
            t.lower_ in ("the", "this", "that")
            or (t.dep_ == "poss" and t.lower_ not in ("my", "our", "your"))
            for t in subj.lefts
        )
        if definite:
            exclude = named.name if named is not None and named.kind == "person" else None
            person = self.resolve_person(subj, gender, exclude=exclude, role=subj.lemma_.lower())
            if person is not None:
                return _Speaker(person.name, span, 0.65)
        return _Speaker(None, span, 0.6, self._description(span, subj))

    def _description(self, span: Span, subj: Token) -> str:
        """The words of an unnamed source ("a senior administration official"), or "" for a
        pronoun or anything that is not a noun phrase."""
        if subj.pos_ not in ("NOUN", "PROPN") or subj.lower_ in _RELATIVE_PRONOUNS:
            return ""
        return " ".join(self.text[span.start : span.end].split())

    def _entity_name(self, tok: Token) -> str:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                text = ent.text.removesuffix("’s").removesuffix("'s").strip()
                state = canonical_state(text)
                if state:
                    return state
                for actor in self.actors:
                    if same_actor(actor.name, text, actor.aliases):
                        return actor.name
                # a place that is no state or actor does not speak ("LOS ANGELES, Sept. 28 —")
                return text if ent.label_ in ("PERSON", "ORG") else ""
        return ""

    def _definite_reference(self, subj: Token, span: Span) -> str | None:
        """ "the agency added" -> the news agency named last before it."""
        if not any(t.lower_ == "the" for t in subj.lefts):
            return None
        head = subj.lemma_.lower()
        i = bisect.bisect_left(self.mention_starts, span.start) - 1
        while i >= 0 and span.start - self.mentions[i][0] < 3000:
            actor = self.mentions[i][2]
            if head in _MEDIA_NOUNS and actor.kind == "media":
                return actor.name
            if actor.kind != "person" and head in actor.name.lower().split():
                return actor.name
            i -= 1
        return None

    def _last_nonperson_subject(self, pronoun: Token) -> str | None:
        """ "Russia's Foreign Ministry said it wanted …": the state or body that is the subject
        before "it" in the same sentence."""
        sent_start = pronoun.sent.start
        for tok in reversed(self.doc[sent_start : pronoun.i]):
            if tok.dep_ in _SUBJECTS:
                found = self.actor_in(tok.idx, tok.idx + len(tok.text))
                if found and found[0].kind != "person":
                    return found[0].name
        return None

    def _last_nonperson_speaker(self, char: int) -> str | None:
        for st in reversed(self.statements):
            if st.span.start < char and st.speaker:
                actor = next((a for a in self.actors if a.name == st.speaker), None)
                if actor is not None and actor.kind != "person":
                    return st.speaker
                return None
        return None

    def speakers_for(self, verb: Token) -> list[_Speaker]:
        """Speakers of a reporting verb: its subject and any subjects conjoined with it."""
        subj = self.subject_of(verb)
        if subj is None:
            # inverted order: "…,” said Secretary of State Antony Blinken."
            for tok in self.doc[verb.i + 1 : min(len(self.doc), verb.i + 8)]:
                if tok.text in _SENTENCE_END or tok.text in _QUOTE_CHARS:
                    break
                if tok.dep_ in _SUBJECTS or tok.pos_ in ("PROPN", "PRON"):
                    found = self.actor_in(tok.idx, tok.idx + len(tok.text))
                    if found is not None or tok.dep_ in _SUBJECTS:
                        return [self.speaker_from_token(self._np_head(tok))]
            return self._named_before(verb)
        speakers = [self.speaker_from_token(subj)]
        for conj in subj.conjuncts:
            if conj.i > subj.i:
                sp = self.speaker_from_token(conj)
                if sp.name and sp.name not in {s.name for s in speakers}:
                    speakers.append(sp)
        if len(speakers) > 1:
            # the citation names them all; each gets the statement
            for sp in speakers:
                sp.confidence = min(sp.confidence, 0.8)
        return speakers

    def _named_before(self, verb: Token) -> list[_Speaker]:
        """A finite verb the parse left without a subject ("…, Obama and Clinton call them
        “…”", the names hung on the phrase before): the actors named between the start of its
        clause and the verb, with no verb between them and it."""
        if verb.tag_ not in ("VBD", "VBZ", "VBP"):
            return []
        doc = self.doc
        lo = verb.i
        while lo > verb.sent.start:
            prev = doc[lo - 1]
            if prev.text in (",", ";", ":", "(", "—", "–") or self.in_quote[lo - 1]:
                break
            if prev.pos_ in ("VERB", "AUX") or prev.text in _QUOTE_CHARS:
                return []
            lo -= 1
        if lo >= verb.i or self.actor_in(doc[lo].idx, doc[verb.i - 1].idx + 1) is None:
            return []
        found = self.speakers_in_range(lo, verb.i - 1)
        return [sp for sp in found if sp.name]

    def speakers_in_frame(self, verb: Token, frame: tuple[int, int]) -> list[_Speaker]:
        """Speakers of a frame after a quote, by position: the words between the quote and the
        verb ("…,” Flynn, a top Trump surrogate, said), or after an inverted verb ("…,” said
        Antony Blinken). Sturdier than the parse, which quotes often confuse."""
        doc = self.doc
        lo = frame[0]
        while lo < verb.i and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        if lo < verb.i:
            hi = verb.i - 1
            # a party and state after a name is no part of the frame: "Sen. Jane Doe (D-Mo.) said"
            if doc[hi].text == ")":
                opened = next((k for k in range(hi - 1, lo - 1, -1) if doc[k].text == "("), None)
                if opened is not None and opened > lo:
                    hi = opened - 1
            breaks = [k for k in range(lo, hi + 1) if doc[k].text in (",", "(", "—", "–")]
            if breaks and breaks[-1] < hi:
                # "…” for criminal behavior, she said": the words right before the verb
                lo = breaks[-1] + 1
            elif breaks:
                # an apposition after the name is not the speaker: "Flynn, a top Trump surrogate,"
                hi = breaks[0] - 1
            # "… he said", "… he told CNN": adverbs before the verb are no speaker
            while hi > lo and doc[hi].pos_ in ("ADV", "AUX", "PART"):
                hi -= 1
        else:
            lo = verb.i + 1
            hi = lo - 1
            for k in range(verb.i + 1, min(frame[1], verb.i + 16)):
                tok = doc[k]
                if tok.text in (",", ";", "(", "—", "–") or tok.text in _SENTENCE_END:
                    break
                # "said Secretary of State Antony Blinken on Friday": "of" stays in the name
                if tok.pos_ in ("VERB", "AUX") or (
                    tok.pos_ == "ADP" and k > lo and tok.lower_ != "of"
                ):
                    break
                hi = k
            while lo <= hi and doc[lo].pos_ in ("ADV", "ADP") and doc[lo].ent_type_ == "":
                lo += 1
        if hi < lo:
            return []
        return self.speakers_in_range(lo, hi)

    def speakers_in_range(self, lo: int, hi: int) -> list[_Speaker]:
        doc = self.doc
        start, end = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
        found: list[_Speaker] = []
        i = bisect.bisect_left(self.mention_starts, start)
        for j in range(max(0, i - 1), len(self.mentions)):
            ms, me, actor = self.mentions[j]
            if ms >= end:
                break
            if me > start and actor.name not in {f.name for f in found}:
                found.append(_Speaker(actor.name, Span(ms, me), 0.9))
        joined = any(t.lower_ in ("and", "&") for t in doc[lo : hi + 1])
        if found and not joined:
            # a possessive names the speaker's side, not the speaker: "Clinton's campaign said"
            root = doc[lo : hi + 1].root
            covered = self.actor_in(root.idx, root.idx + len(root.text))
            if covered:
                # the head of the phrase speaks, not a body modifying it
                own = [sp for sp in found if sp.name == covered[0].name]
                return own or found[:1]
            if root.pos_ == "PROPN" and not root.text[:1].isupper():
                return found[:1]
            if root.pos_ == "PROPN":
                # "White House press secretary Josh Earnest": the name the finder missed, not
                # the body that modifies it
                named = self._proper_name(lo, hi, root)
                return [named] if named is not None else found[:1]
        if found and joined:
            for sp in found:
                sp.confidence = 0.8
            return found
        return [self.speaker_from_token(doc[lo : hi + 1].root, (lo, hi))]

    def _np_head(self, tok: Token) -> Token:
        while tok.dep_ == "compound" and tok.head.i != tok.i:
            tok = tok.head
        return tok

    def medium_of(self, verb: Token, frame: tuple[int, int], speaker: str | None = None) -> str:
        """Addressee or medium: "told NBC News", "said in an interview with CNN", "told him"."""
        for child in verb.children:
            if child.dep_ in ("dobj", "dative", "iobj") and verb.lemma_ == "tell":
                found = self.actor_in(child.idx, child.idx + len(child.text))
                if found:
                    return found[0].name
                if child.lower_ in ("him", "her"):
                    person = self.last_person_before(child.idx, exclude=speaker)
                    return person[0].name if person else ""
                if child.pos_ in ("NOUN", "PROPN"):
                    return self.doc[child.left_edge.i : child.i + 1].text
        for tok in self.doc[frame[0] : frame[1]]:
            found = self.actor_in(tok.idx, tok.idx + len(tok.text))
            if found and found[0].kind == "media":
                return found[0].name
        return ""

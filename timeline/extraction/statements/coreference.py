"""Who a pronoun ("he said") or a description ("the senator said") stands for.

Agreement first: a person's gender comes from a courtesy title in the article ("Mr. Obama"), else
from the first name through gender-guesser's first-name table, else from the pronouns the article
itself uses for them. Then salience: a person who is the subject earlier in the same sentence, else
the last named source (the subject of a reporting verb) in the last few paragraphs, else the last
person who was the subject of a sentence there. A name inside a quotation is never a candidate: the
speaker is the one quoting, not the one quoted.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from timeline.extraction.actors import match_key, same_actor
from timeline.extraction.statements.context import _Context
from timeline.extraction.statements.vocabulary import (
    _FEMALE_WORDS,
    _HEADLINE_VERBS,
    _MALE_WORDS,
    _PARTIAL_VERBS,
    _SUBJECTS,
    _TITLE_WORDS,
    REPORTING_VERBS,
)
from timeline.extraction.types import ExtractedActor, Span

if TYPE_CHECKING:
    from gender_guesser.detector import Detector
    from spacy.tokens import Doc, Token


Gender = Literal["m", "f"]
# How far back a pronoun or a description looks for its person: a few paragraphs.
_PARAGRAPHS_BACK = 3
# How far back (characters) a description with a role ("the mayor") looks for the person given
# that role.
_ROLE_REACH = 4000
# Abbreviated titles for a role noun.
_ROLE_ABBREVIATIONS = {
    "senator": ("sen",),
    "governor": ("gov",),
    "representative": ("rep",),
    "congressman": ("rep",),
    "congresswoman": ("rep",),
    "general": ("gen",),
    "president": ("pres",),
    "professor": ("prof",),
}


@functools.cache
def _first_names() -> Detector:
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


def first_name_gender(name: str) -> Gender | None:
    """ "m" or "f" when the table is sure of the first name, else None ("Kim", "Mitt")."""
    words = name.split()
    if len(words) < 2 or not words[0][:1].isupper() or "." in words[0]:
        return None
    found = _first_names().get_gender(words[0])
    return "m" if found == "male" else "f" if found == "female" else None


@dataclass(frozen=True)
class _Candidate:
    start: int
    actor: ExtractedActor
    subject: bool  # the subject of its clause
    source: bool  # the subject of a reporting verb
    main: bool = False  # the subject of a main clause, not of a clause inside another


class _References(_Context):
    def _candidates(self) -> list[_Candidate]:
        if self._cands is None:
            self._cands = self._collect_candidates()
            self._cand_starts = [c.start for c in self._cands]
        return self._cands

    def _collect_candidates(self) -> list[_Candidate]:
        """Person mentions outside quotation marks, with their part in their clause."""
        found = []
        for start, end, actor in self.mentions:
            if actor.kind != "person":
                continue
            i = self.tok_at(start)
            if self.in_quote[i]:
                continue
            # the mention's head: the last token of the name
            head = self.doc[max(i, self.tok_at(end - 1))]
            # within the name only: "the Clinton campaign said" has the campaign as subject
            while (
                head.dep_ == "compound"
                and head.head.i != head.i
                and head.head.idx < end
                and head.head.i > head.i
            ):
                head = head.head
            subject = head.dep_ in _SUBJECTS
            verb = head.head
            source = subject and verb.lemma_.lower() in REPORTING_VERBS | _PARTIAL_VERBS
            if head.dep_ == "pobj" and head.head.head.lower_ == "according":
                source = True
            main = subject and (
                verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
            )
            found.append(_Candidate(start, actor, subject, source, main))
        found.extend(self._unlisted_subjects())
        return sorted(found, key=lambda c: c.start)

    def _unlisted_subjects(self) -> list[_Candidate]:
        """Surnames the actor finder missed, as the subject of a clause ("Ham went on to …"):
        people too, as far as pronouns go."""
        found = []
        known = {m[0] for m in self.mentions}
        # surnames of the people named in the article: the tagger may call one a place
        surnames = {a.name.split()[-1] for a in self.actors if a.kind == "person" and " " in a.name}
        for tok in self.doc:
            if (
                tok.dep_ not in _SUBJECTS
                or tok.pos_ != "PROPN"
                or not (tok.text[:1].isupper() or _hyphened(tok))
                or (
                    tok.ent_type_ not in ("", "PERSON", "PRODUCT", "WORK_OF_ART")
                    and tok.text not in surnames
                )
                or self.in_quote[tok.i]
                or self.actor_in(tok.idx, tok.idx + len(tok.text)) is not None
                # "the 13th Amendment has …": a thing with an article or a rank, not a person
                or (
                    tok.ent_type_ != "PERSON"
                    and any(
                        t.dep_ == "det" or t.like_num or t.ent_type_ == "ORDINAL"
                        for t in self.doc[tok.left_edge.i : tok.i]
                    )
                )
            ):
                continue
            # the run of capitalised words ending at the subject: "Foreign minister Lee Jae-sung"
            lo = tok.i
            while lo > tok.left_edge.i and (
                self.doc[lo - 1].text[:1].isupper() or _hyphened(self.doc[lo - 1])
            ):
                lo -= 1
            if tok.ent_type_ != "PERSON" and _thing_before(self.doc, lo):
                continue  # "the 13th Amendment was …" even when the parse splits the phrase
            if tok.ent_type_ in ("PRODUCT", "WORK_OF_ART") and (
                first_name_gender(self.doc[lo : tok.i + 1].text) is None
            ):
                continue  # the tagger's "product" is a person when it opens with a first name
            named = self.unlisted_person(lo, tok)
            if named is None or tok.idx in known:
                continue
            person = named[0]
            verb = tok.head
            source = verb.lemma_.lower() in REPORTING_VERBS | _PARTIAL_VERBS
            main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
            found.append(_Candidate(tok.idx, person, True, source, main))
        return found

    def unlisted_person(self, lo: int, head: Token) -> tuple[ExtractedActor, Span] | None:
        """The person named by the capitalised words lo..head that are no actor mention: an
        actor sharing the name when there is one, else a new one (kept for the pipeline)."""
        words = [t for t in self.doc[lo : head.i + 1]]
        while words and (
            words[0].lower_.rstrip(".") in _TITLE_WORDS or not words[0].text[:1].isupper()
        ):
            words = words[1:]
        if not words or any(not t.text[:1].isupper() and not _hyphened(t) for t in words):
            return None
        if words[-1].lower_ in _HEADLINE_VERBS or self.in_quote[words[0].i]:
            return None
        name = self.text[words[0].idx : words[-1].idx + len(words[-1].text)]
        name = name.removesuffix("’s").removesuffix("'s")
        if not any(c.islower() for c in name):
            return None  # "LOS ANGELES": a dateline or a label, not a name
        span = Span(words[0].idx, words[0].idx + len(name))
        people = [a for a in self.actors if a.kind == "person"]
        # the actor of that very name first: "Ivanka Trump" is not "Donald Trump", whose alias
        # "Trump" would match her surname
        key = match_key(name)
        for actor in people:
            if match_key(actor.name) == key:
                return actor, span
        for actor in people:
            aliases = actor.aliases if len(name.split()) == 1 else ()
            if same_actor(actor.name, name, aliases):
                return actor, span
        if name not in self.unlisted:
            self.unlisted[name] = ExtractedActor(name=name, kind="person", confidence=0.4)
        actor = self.unlisted[name]
        if span not in actor.mentions:
            actor.mentions.append(span)
        return actor, span

    def gender_of(self, actor: ExtractedActor) -> Gender | None:
        if actor.name not in self._genders:
            self._genders[actor.name] = self._find_gender(actor)
        return self._genders[actor.name]

    def _find_gender(self, actor: ExtractedActor) -> Gender | None:
        for span in actor.mentions:
            before = self.text[max(0, span.start - 6) : span.start].split()
            word = before[-1].lower().rstrip(".") if before else ""
            if word in ("mr", "sir"):
                return "m"
            if word in ("ms", "mrs", "miss", "dame"):
                return "f"
        title = set(actor.title.lower().split())
        if title & _FEMALE_WORDS:
            return "f"
        if title & _MALE_WORDS:
            return "m"
        return first_name_gender(actor.name) or self._pronoun_gender(actor)

    def _pronoun_gender(self, actor: ExtractedActor) -> Gender | None:
        """The pronoun the article uses right after the person is the subject: "Sanders said …
        He added …". A vote, so a stray "she" does not decide."""
        votes = {"m": 0, "f": 0}
        for cand in self._candidates():
            if cand.actor is not actor or not cand.subject:
                continue
            sent = self.doc[self.tok_at(cand.start)].sent
            following = self.doc[sent.end : min(len(self.doc), sent.end + 40)]
            for tok in [*self.doc[self.tok_at(cand.start) + 1 : sent.end], *following]:
                if tok.dep_ in _SUBJECTS and not self.in_quote[tok.i]:
                    if tok.lower_ in ("he", "she"):
                        votes["m" if tok.lower_ == "he" else "f"] += 1
                    break
        if votes["m"] != votes["f"]:
            return "m" if votes["m"] > votes["f"] else "f"
        return None

    def _agrees(self, actor: ExtractedActor, gender: Gender | None) -> bool:
        if gender is None:
            return True
        found = self.gender_of(actor)
        return found is None or found == gender

    def _window_start(self, char: int) -> int:
        at = char
        for _ in range(_PARAGRAPHS_BACK + 1):
            found = self.text.rfind("\n", 0, at)
            if found <= 0:
                return 0
            at = found
            while at > 0 and self.text[at - 1] == "\n":
                at -= 1
        return at

    def has_role(self, actor: ExtractedActor, role: str) -> bool:
        """Whether the article gives ``actor`` the role ``role`` ("mayor"): in their title, or
        in the words just before a mention ("Mayor Bill de Blasio", "Vermont Sen. Bernie
        Sanders", "the California congressman Adam Schiff")."""
        key = (actor.name, role)
        if key not in self._roles:
            forms = {role, *_ROLE_ABBREVIATIONS.get(role, ())}
            words = set(actor.title.lower().replace(".", " ").split())
            for span in actor.mentions:
                before = self.text[max(0, span.start - 40) : span.start].split("\n")[-1]
                # only the title run right before the name: "Vermont Sen.", not "loved"
                for word in reversed(before.split()[-4:]):
                    low = word.strip(".,’'").lower()
                    if not (word[:1].isupper() or low in forms):
                        break
                    words.add(low)
            self._roles[key] = bool(words & forms)
        return self._roles[key]

    def resolve_person(
        self,
        tok: Token,
        gender: Gender | None,
        exclude: str | None = None,
        role: str | None = None,
    ) -> ExtractedActor | None:
        """The person a pronoun or a description at ``tok`` stands for, or None. A
        description's role ("the mayor") picks the person the article gave that role first."""
        cands = self._candidates()
        end = bisect.bisect_left(self._cand_starts, tok.idx)
        sent_start = tok.sent.start_char
        limit = self._window_start(tok.idx)
        if role:
            for cand in reversed(cands[:end]):
                if tok.idx - cand.start > _ROLE_REACH:
                    break
                if (
                    cand.actor.name != exclude
                    and self._agrees(cand.actor, gender)
                    and self.has_role(cand.actor, role)
                ):
                    return cand.actor
        newcomer = self._newcomer(tok, gender, exclude, cands[:end])
        if newcomer is not None:
            return newcomer
        subject: _Candidate | None = None
        nearest: _Candidate | None = None
        for cand in reversed(cands[:end]):
            if cand.start < limit:
                break
            if cand.actor.name == exclude or not self._agrees(cand.actor, gender):
                continue
            if cand.start >= sent_start and cand.subject:
                return cand.actor  # "Trump criticised her, and he said …"
            if cand.source or cand.main:
                # the latest person the text is about, speaking or acting: "X said … ¶ Y
                # bristles at the idea. “…,” he said." is Y
                return cand.actor
            if subject is None and cand.subject:
                subject = cand
            if nearest is None:
                nearest = cand
        chosen = subject or nearest
        if chosen is not None:
            return chosen.actor
        return self._chained(tok, gender, exclude, limit)

    def _chained(
        self, tok: Token, gender: Gender | None, exclude: str | None, limit: int
    ) -> ExtractedActor | None:
        """A pronoun that goes on from the last attribution made with the same pronoun: "“…,”
        she says. ¶ She then urges … ¶ “…,” she said." stays with the woman named paragraphs
        before, as long as each step is within the window."""
        for st in reversed(self.statements):
            span = st.speaker_span
            if span is None or span.start >= tok.idx:
                continue
            if st.span.end < limit:
                break
            if not st.speaker or st.speaker == exclude:
                continue
            if self.text[span.start : span.end].lower() != tok.lower_:
                return None  # the text turned to someone else in between
            actor = next((a for a in self.actors if a.name == st.speaker), None)
            if actor is not None and actor.kind == "person" and self._agrees(actor, gender):
                return actor
            return None
        return None

    def _newcomer(
        self, tok: Token, gender: Gender | None, exclude: str | None, before: list[_Candidate]
    ) -> ExtractedActor | None:
        """ "X, a professor at Y, has studied the vote. ¶ “…,” he said.": a paragraph that opens
        with a quote and a pronoun for its speaker follows the paragraph bringing that person in.
        Only when that paragraph brings in one such person, named there for the first time."""
        text = self.text
        para_start = text.rfind("\n", 0, tok.idx) + 1
        if text[para_start : para_start + 1] not in ("“", '"'):
            return None
        prev_end = para_start - 1
        while prev_end > 0 and text[prev_end - 1] in "\n \t\xa0":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        if prev_end <= prev_start or any(c in text[prev_start:prev_end] for c in '“”"'):
            return None
        there = [
            c
            for c in before
            if prev_start <= c.start < prev_end
            and c.actor.name != exclude
            and self._agrees(c.actor, gender)
        ]
        # the one person named there for the first time, when anyone else there is only
        # mentioned, never what the paragraph is about: "While Obama had …, that concerns Henry
        # Crespo, president of … ¶ “…,” he said." is Crespo
        new = {
            c.actor.name: c.actor
            for c in there
            if min((m.start for m in c.actor.mentions), default=prev_start) >= prev_start
        }
        if len(new) != 1 or any(c.main or c.source for c in there if c.actor.name not in new):
            return None
        return next(iter(new.values()))


def _thing_before(doc: Doc, lo: int) -> bool:
    """Whether the words right before a capitalised run make it a thing, not a person: an
    article or a rank ("the 13th Amendment")."""
    before = doc[max(0, lo - 1)] if lo > 0 else None
    if before is None:
        return False
    return before.dep_ == "det" or before.like_num or before.text[:1].isdigit()


def _hyphened(tok: Token) -> bool:
    """A hyphen or the word after one inside a name: "Ban Ki-moon", "Jean-Marc"."""
    doc = tok.doc
    if tok.text == "-" and not tok.whitespace_:
        return True
    return tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_

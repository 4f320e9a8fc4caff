"""Statements in an article: direct quotations, partial quotations and reported speech.

Quotations are found from their marks, not from the parse: straight (") and typographic (“ ”)
double quotes, and typographic single quotes (‘ ’) outside double ones. A paragraph that ends inside
a quotation continues it in the next paragraph when that one opens with a mark (the English
convention for quotes over several paragraphs); each paragraph gives its own statement, with the
speaker of the first.

The speaker comes from the reporting frame around the quote — after it ("…,” Biden told NBC News),
inverted ("…,” said Antony Blinken) or before it (X said: “…”) — as the subject of the reporting
verb, then mapped to an actor from ``extract_actors``. Quotes without a frame inherit the speaker of
the quote just before them. Partial quotes take the speaker of the reporting verb that governs
them; quoted words with no reporting verb over them ("a “red line”") are scare quotes: kept as
partial quotes with no speaker and a low confidence.

Reported speech is a reporting verb with a clause for what was said: "Wallace said Shoigu had
repeated …", "Moscow denies planning to invade Ukraine", "…, Washington said on Friday".

An unnamed source ("a source familiar with the meeting said") gives ``speaker=None``: it is no
actor. Its words still get ``speaker_span`` pointing at the phrase, so an editor sees who spoke.
Pronouns ("he said") resolve to the person mentioned last before them.

Everything is one pass over the tokens plus one over the characters, so it stays cheap next to
the parse.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from timeline.extraction.actors import canonical_state, same_actor, state_for_demonym
from timeline.extraction.types import ExtractedActor, ExtractedStatement, Span, StatementKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Verbs that introduce what someone said (by lemma). Belief verbs are left out: "US officials
# believed" is no statement.
REPORTING_VERBS = frozenset(
    {
        "say", "tell", "add", "deny", "claim", "warn", "announce", "insist", "state", "report",
        "accuse", "argue", "assert", "note", "suggest", "write", "tweet", "acknowledge", "admit",
        "confirm", "explain", "reply", "respond", "promise", "pledge", "vow", "threaten",
        "predict", "urge", "ask", "demand", "reiterate", "stress", "allege", "contend",
        "maintain", "complain", "concede", "declare", "continue", "recall", "remark", "observe",
        "quip", "joke", "testify", "comment", "caution", "counter", "retort", "emphasize",
        "emphasise", "boast", "lament", "wonder", "post", "mention", "conclude",
        "disclose", "reveal", "estimate", "charge", "proclaim", "scoff", "shout",
        "sneer", "exclaim", "acknowledged", "begin", "go", "put",
    }
)  # fmt: skip
# Verbs that put someone's words on something: "called the response “insulting”".
_PARTIAL_VERBS = REPORTING_VERBS - {"go", "put", "begin", "continue"} | {
    "call", "describe", "refer", "label", "dub", "brand", "term", "characterize", "characterise",
    "praise", "slam", "blast", "deride", "mock", "hail", "condemn", "denounce", "criticize",
    "criticise", "decry", "chant", "tout", "quote", "cite", "dismiss", "accuse", "vow", "pledge",
    "urge", "insist", "promise", "question", "rip", "attack", "defend", "laud",
}  # fmt: skip
_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "to", "for", "at", "with"})
# Verbs whose clause after them is reported speech (a narrower set: "go" and "put" frame quotes
# only, "ask" and "wonder" take questions).
_REPORTING_CLAUSE_VERBS = REPORTING_VERBS - {"go", "put", "continue", "begin", "wonder", "post"}
# Verbs reporting a denial or an admission take a gerund: "denies planning to invade".
_GERUND_VERBS = frozenset({"deny", "admit", "acknowledge", "confirm", "threaten", "promise"})
_OPEN_MARKS = {"“": "”", '"': '"', "‘": "’"}
_CLOSE_MARKS = frozenset({"”", '"', "’"})
_QUOTE_CHARS = frozenset('“”"‘’')
_SENTENCE_END = frozenset({".", "!", "?"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_THING_PRONOUNS = frozenset({"it"})
_OFFICIAL_NOUNS = frozenset(
    {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "government",
     "ministry", "diplomat", "diplomats", "authorities", "embassy"}
)  # fmt: skip
_HEADLINE_VERBS = frozenset(
    {"says", "said", "calls", "called", "slams", "rips", "blasts", "speaks", "reveals",
     "warns", "urges", "tells", "admits", "claims", "denies", "hammers", "accuses", "insists",
     "vows", "pledges", "praises", "mocks", "questions", "knocks", "hits", "attacks", "defends"}
)  # fmt: skip
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_MEDIA_NOUNS = frozenset({"agency", "newspaper", "network", "broadcaster", "paper", "outlet"})


@dataclass
class _Piece:
    """One run of quoted text inside one paragraph."""

    open: int  # char index of the opening mark
    close: int  # char index just after the closing mark (or the paragraph end)
    cstart: int  # the content, inside the marks
    cend: int
    closed: bool = True
    continued: bool = False  # continues a quote from the paragraph before
    continues: bool = False  # runs on into the next paragraph
    single: bool = False


@dataclass
class _Speaker:
    name: str | None
    span: Span | None
    confidence: float


def extract_statements(doc: Doc, actors: list[ExtractedActor]) -> list[ExtractedStatement]:
    """Return every quotation and reported statement in ``doc``, in text order.

    ``actors`` is ``extract_actors(doc)``: speakers are given by their canonical names there.
    ``date`` is left None; the pipeline resolves it.
    """
    return _Extractor(doc, actors).run()


class _Extractor:
    def __init__(self, doc: Doc, actors: list[ExtractedActor]) -> None:
        self.doc = doc
        self.text = doc.text
        self.actors = actors
        self.starts = [t.idx for t in doc]
        # actor mention spans, sorted, for overlap lookups
        self.mentions = sorted(
            ((s.start, s.end, a) for a in actors for s in a.mentions), key=lambda m: m[0]
        )
        self.mention_starts = [m[0] for m in self.mentions]
        self.pieces = _find_quotes(self.text)
        self.in_quote = self._mark_quoted_tokens()
        self.used_verbs: set[int] = set()  # verbs that frame a direct quote
        # verb -> the partial quotes it governs, (open, close) character offsets
        self.partial_quote_verbs: dict[int, list[tuple[int, int]]] = {}
        self.pending: list[_Piece] = []  # direct quotes still without a speaker
        self.statements: list[ExtractedStatement] = []

    # --- helpers ---------------------------------------------------------------------------------

    def tok_at(self, char: int) -> int:
        """Index of the token containing (or starting after) ``char``."""
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return 0
        tok = self.doc[i]
        if char >= tok.idx + len(tok.text) and i + 1 < len(self.doc):
            return i + 1
        return i

    def _mark_quoted_tokens(self) -> list[bool]:
        flags = [False] * len(self.doc)
        for p in self.pieces:
            for i in range(self.tok_at(p.cstart), len(self.doc)):
                if self.doc[i].idx >= p.cend:
                    break
                flags[i] = True
        return flags

    def actor_in(self, start: int, end: int) -> tuple[ExtractedActor, Span] | None:
        """The first actor mention inside the characters [start, end)."""
        i = bisect.bisect_left(self.mention_starts, start)
        # a mention may start a little before ``start`` and still overlap it
        for j in range(max(0, i - 1), len(self.mentions)):
            ms, me, actor = self.mentions[j]
            if ms >= end:
                break
            if me > start:
                return actor, Span(ms, me)
        return None

    def last_person_before(
        self, char: int, exclude: str | None = None
    ) -> tuple[ExtractedActor, Span] | None:
        i = bisect.bisect_left(self.mention_starts, char) - 1
        while i >= 0:
            ms, me, actor = self.mentions[i]
            if actor.kind == "person" and actor.name != exclude:
                return actor, Span(ms, me)
            i -= 1
        return None

    def sentence_span(self, start: int, end: int) -> Span:
        """The sentence(s) covering [start, end), trimmed, never across a paragraph break."""
        first = self.doc[self.tok_at(start)].sent
        last = self.doc[self.tok_at(max(start, end - 1))].sent
        s, e = min(first.start_char, start), max(last.end_char, end)
        para_start = self.text.rfind("\n", 0, start) + 1
        para_end = self.text.find("\n", end)
        s = max(s, para_start)
        if para_end != -1:
            e = min(e, para_end)
        while e > s and self.text[e - 1].isspace():
            e -= 1
        while s < e and self.text[s].isspace():
            s += 1
        return Span(s, e)

    def tok_span(self, first: int, last: int) -> Span:
        """Char span of tokens first..last inclusive."""
        tok = self.doc[last]
        return Span(self.doc[first].idx, tok.idx + len(tok.text))

    # --- speakers --------------------------------------------------------------------------------

    def subject_of(self, verb: Token) -> Token | None:
        """The subject of a reporting verb, following conjoined and subordinate verbs up."""
        tok: Token | None = verb
        after: Token | None = None
        for _ in range(4):
            if tok is None:
                break
            subjects = [c for c in tok.children if c.dep_ in _SUBJECTS]
            # the parser may hang two subjects on one verb; the nearest before it speaks
            before = [c for c in subjects if c.i < tok.i]
            if before:
                return before[-1]
            # A subject after the verb is mostly the reported clause's own subject, misparsed
            # ("saying her right foot was …"); it speaks only when nothing better turns up
            # (the inverted "said Blinken").
            if subjects and after is None:
                after = subjects[0]
            # conjoined verbs share a subject ("denies … but says"), and so do participles
            # ("stiffened its response, saying …") and control verbs ("wants to say")
            shares = tok.dep_ in ("conj", "xcomp") or (tok.dep_ == "advcl" and tok.tag_ == "VBG")
            # "… should be released but said “…”": coordinated, though parsed as a clause
            shares = shares or (tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("and", "but"))
            if shares and tok.head.i != tok.i:
                tok = tok.head
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
            found = self.last_person_before(subj.idx)
            span = Span(subj.idx, subj.idx + len(subj.text))
            if found:
                return _Speaker(found[0].name, span, 0.75)
            return _Speaker(None, span, 0.4)
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
        if subj.lower_ in _OFFICIAL_NOUNS or subj.lemma_.lower() == "source":
            for tok in self.doc[lo : hi + 1]:
                state = state_for_demonym(tok.text) if tok.text[:1].isupper() else None
                if state:
                    return _Speaker(state, span, 0.55)
        definite = self._definite_reference(subj, span)
        if definite:
            return _Speaker(definite, span, 0.6)
        return _Speaker(None, span, 0.6)

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
                return text if ent.label_ != "NORP" else ""
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
            return []
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
            breaks = [k for k in range(lo, verb.i) if doc[k].text in (",", "(", "—", "–")]
            if breaks and breaks[-1] < verb.i - 1:
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
            if root.pos_ == "PROPN" or self.actor_in(root.idx, root.idx + len(root.text)):
                return found[:1]
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

    # --- quotations -------------------------------------------------------------------------------

    def frame_after(self, piece: _Piece) -> tuple[Token, tuple[int, int]] | None:
        """The reporting verb just after a quote: "…,” Biden told NBC News."""
        doc = self.doc
        i = self.tok_at(piece.close)
        if i >= len(doc) or doc[i].idx < piece.close:
            i += 1
        if i < len(doc) and doc[i].text == ",":
            i += 1
        if i >= len(doc) or "\n" in self.text[piece.close : doc[i].idx]:
            return None
        end = i
        while end < len(doc):
            tok = doc[end]
            if self.in_quote[end] or tok.text in _OPEN_MARKS or tok.text in (";",):
                break
            nxt = doc[end + 1].text if end + 1 < len(doc) else ""
            if (tok.text in _SENTENCE_END and nxt != ",") or "\n" in tok.text_with_ws:
                end += 1
                break
            end += 1
        # A quote closed by a full stop ends its sentence; only "… .” Trump said." may follow.
        reach = 3 if self.text[piece.cstart : piece.cend].endswith(".") else 30
        segment = paren = 0
        for tok in doc[i : min(end, i + reach)]:
            if tok.text == "(":
                paren += 1
            elif tok.text == ")":
                paren = max(0, paren - 1)
            elif tok.text == ",":
                segment += 1  # odd segments are an apposition: "Pruitt, the attorney general,"
            if tok.lemma_.lower() in REPORTING_VERBS and tok.pos_ in ("VERB", "AUX"):
                return tok, (i, end)
            if tok.tag_ in ("VBD", "VBZ", "VBP", "MD") and not paren and segment % 2 == 0:
                return None  # the sentence goes on about something else
        return None

    def frame_before(self, piece: _Piece) -> tuple[Token, tuple[int, int]] | None:
        """The reporting verb just before a quote: X said: “…” (or a paragraph ending in ":")."""
        doc = self.doc
        j = self.tok_at(piece.open) - 1
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        if j < 0 or doc[j].idx < para_start:
            # quote opens the paragraph: look at the paragraph before when it ends with ":"
            before = self.text[:para_start].rstrip()
            if not before.endswith(":"):
                return None
            j = self.tok_at(len(before) - 1)
        if doc[j].text not in (":", ",") and doc[j].lemma_.lower() not in REPORTING_VERBS:
            return None
        start = j
        while start > 0:
            prev = doc[start - 1]
            if (
                self.in_quote[start - 1]
                or prev.text in _SENTENCE_END
                or prev.text in _CLOSE_MARKS
                or "\n" in prev.text_with_ws
            ):
                break
            start -= 1
        for tok in reversed(doc[start : j + 1]):
            # the verb nearest the quote: "said … and called the response insulting: “…”"
            if tok.lemma_.lower() in _PARTIAL_VERBS | REPORTING_VERBS and tok.pos_ in (
                "VERB",
                "AUX",
            ):
                return tok, (start, j + 1)
        if doc[j].text == ":" and j > start:
            # "Obama is rolling out a new message: “It's about me.”" — the clause's subject
            root = doc[j - 1]
            while root.head.i != root.i and start <= root.head.i < j:
                root = root.head
            if root.pos_ in ("VERB", "AUX") and self.subject_of(root) is not None:
                return root, (start, j + 1)
        return None

    def headline_speaker(self, piece: _Piece) -> _Speaker | None:
        """A quote in a headline ("Chris Christie Calls Hillary Clinton ‘A Disgrace’", "Pat
        Caddell: Voters Worried …; It's ‘in Their Heads’"): the words before a colon or before a
        headline verb. A headline is a line in title case, without a full stop inside."""
        text = self.text
        line_start = text.rfind("\n", 0, piece.open) + 1
        line_end = text.find("\n", piece.close)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        words = [w for w in line.split() if w[:1].isalpha()]
        if len(words) < 4 or ". " in line.rstrip(". "):
            return None
        if sum(1 for w in words if w[:1].isupper()) < 0.7 * len(words):
            return None
        head = text[line_start : piece.open]
        name = ""
        label, colon, _ = head.partition(":")
        if colon and 0 < len(label.split()) <= 4:
            name = label.strip()
        else:
            tokens = head.split()
            for k, word in enumerate(tokens):
                if k and word.lower().strip(",") in _HEADLINE_VERBS:
                    name = " ".join(tokens[:k])
                    break
        if not name:
            return None
        start = line_start + len(head) - len(head.lstrip())
        span = Span(start, start + len(name))
        found = self.actor_in(span.start, span.end)
        return _Speaker(found[0].name if found else name, span, 0.6)

    def label_speaker(self, piece: _Piece) -> _Speaker | None:
        """Speakers named without a verb: a dash after the quote ("…” ― Sonya Herridge") or a
        transcript label opening it ("PENCE: Well, look, …")."""
        text = self.text
        tail = text[piece.close : piece.close + 60].split("\n", 1)[0]
        stripped = tail.lstrip(" ,\xa0\t")
        if stripped[:1] in ("―", "—", "–", "-"):
            at = piece.close + len(tail) - len(stripped) + 1
            while at < len(text) and text[at] in " \xa0\t":
                at += 1
            words = []
            for word in text[at:].split("\n", 1)[0].split():
                if not word[:1].isupper():
                    break
                words.append(word.rstrip(",."))
                if word.endswith((",", ".")):
                    break
            if words:
                name = " ".join(words)
                span = Span(at, at + len(name))
                found = self.actor_in(span.start, span.end)
                return _Speaker(found[0].name if found else name, span, 0.8)
        head = text[piece.cstart : min(piece.cend, piece.cstart + 40)]
        label, colon, _ = head.partition(":")
        if colon and re.fullmatch(r"[A-Z][A-Z.'\- ]{1,30}", label) and len(label.split()) <= 3:
            span = Span(piece.cstart, piece.cstart + len(label))
            found = self.actor_in(span.start, span.end)
            if found is None:
                for actor in self.actors:
                    if actor.kind == "person" and same_actor(actor.name, label.title()):
                        return _Speaker(actor.name, span, 0.8)
            return _Speaker(found[0].name if found else label.title(), span, 0.8)
        return None

    def governing_verb(self, piece: _Piece) -> tuple[Token, float] | None:
        """The reporting verb a partial quote depends on ("said … showed “disrespect”"), with a
        confidence: high when the parse links them, lower when the verb merely precedes it."""
        i = self.tok_at(piece.cstart)
        tok = self.doc[i]
        sent = tok.sent
        for hops in range(12):
            if tok.lemma_.lower() in _PARTIAL_VERBS and not self.in_quote[tok.i]:
                return tok, 0.8 - 0.03 * hops
            if tok.head.i == tok.i or tok.head.i < sent.start:
                break
            tok = tok.head
        # The small parser often loses the link; a reporting verb earlier in the sentence, with no
        # other quote between, still governs the words.
        for j in range(i - 1, max(sent.start, i - 40) - 1, -1):
            cand = self.doc[j]
            if self.in_quote[j] and self.doc[j].text not in _OPEN_MARKS:
                break
            if cand.lemma_.lower() in _PARTIAL_VERBS and cand.pos_ == "VERB":
                return cand, 0.6
        return None

    def is_direct(self, piece: _Piece) -> bool:
        """A quote standing as a sentence (or after a colon or comma), not words in a clause."""
        if piece.continued:
            return True
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        before = self.text[para_start : piece.open].rstrip()
        words = self.text[piece.cstart : piece.cend].split()
        if not before or before[-1] in ".!?:":
            return True
        if before[-1] in (",", "—", "–") or before.endswith(("”", '"')):
            return len(words) >= 3
        last = before.split()[-1].lower()
        tok = self.doc[self.tok_at(piece.open) - 1]
        return (tok.lemma_.lower() in REPORTING_VERBS and len(words) >= 3) or last == "saying"

    def quotes(self) -> None:
        previous: ExtractedStatement | None = None
        prev_piece: _Piece | None = None
        for piece in self.pieces:
            content_span = Span(piece.cstart, piece.cend)
            content = self.text[piece.cstart : piece.cend]
            if not content.strip() or not any(c.isalpha() for c in content):
                continue
            direct = self.is_direct(piece)
            headline = self.headline_speaker(piece)
            if not direct and headline is None and _looks_like_title(content):
                continue  # the name of a show, a book or a song, not anyone's words
            kind: StatementKind = "direct" if direct else "partial"
            verb: Token | None = None
            frame: tuple[int, int] | None = None
            speakers: list[_Speaker] = []
            conf = 0.0
            if headline is not None:
                speakers = [headline]
                conf = 0.6
            elif direct:
                after = self.frame_after(piece)
                if after:
                    verb, frame = after
                    speakers = self.speakers_in_frame(verb, frame) or self.speakers_for(verb)
                    conf = 0.9
                elif before := self.frame_before(piece):
                    verb, frame = before
                    speakers = self.speakers_for(verb)
                    conf = 0.9 if verb.lemma_.lower() in REPORTING_VERBS else 0.6
                elif labelled := self.label_speaker(piece):
                    speakers = [labelled]
                    conf = 0.8
            else:
                governed = self.governing_verb(piece)
                if governed is not None:
                    verb, conf = governed
                    speakers = self.speakers_for(verb)
                    frame = (verb.i, verb.i + 1)
            inherited = False
            if not speakers and previous is not None and prev_piece is not None and direct:
                # no frame: the speaker of the quote just before, in this or the last paragraph
                same_run = piece.continued or self._adjacent(prev_piece, piece)
                if same_run:
                    speakers = [_Speaker(previous.speaker, previous.speaker_span, 0.8)]
                    conf = 0.8 if piece.continued else 0.65
                    inherited = True
            if not speakers:
                speakers = [_Speaker(None, None, 0.0)]
                conf = 0.35 if direct else 0.2
                if direct:
                    self.pending.append(piece)
            start = piece.open
            end = piece.close
            if frame is not None and not inherited:
                start = min(start, self.doc[frame[0]].idx)
                last = self.doc[frame[1] - 1]
                end = max(end, last.idx + len(last.text))
            for sp in speakers:
                if sp.span is not None and not inherited:
                    start, end = min(start, sp.span.start), max(end, sp.span.end)
            span = self.sentence_span(start, end)
            medium = ""
            if verb is not None and frame is not None and not inherited:
                medium = self.medium_of(verb, frame, speakers[0].name if speakers else None)
                if direct:
                    self.used_verbs.add(verb.i)
                else:
                    governed_quotes = self.partial_quote_verbs.setdefault(verb.i, [])
                    governed_quotes.append((piece.open, piece.close))
            for sp in speakers:
                st = ExtractedStatement(
                    content=content,
                    kind=kind,
                    span=span,
                    content_span=content_span,
                    speaker=sp.name,
                    speaker_span=sp.span,
                    cue=verb.text if verb is not None and not inherited else "",
                    medium=medium,
                    confidence=round(
                        min(conf, sp.confidence if sp.name or sp.span else conf)
                        * (0.9 if not piece.closed else 1.0),
                        2,
                    ),
                )
                self.statements.append(st)
                if direct or st.speaker:
                    previous = st
            if direct or (previous is not None and previous.content_span.start == piece.cstart):
                prev_piece = piece

    def _adjacent(self, a: _Piece, b: _Piece) -> bool:
        """b follows a with no other sentence between them (same or next paragraph)."""
        between = self.text[a.close : b.open]
        if between.count("\n\n") > 1 or between.count("\n") > 2:
            return False
        # only the frame of ``a`` may stand between: at most one sentence
        return sum(between.count(c) for c in ".!?") <= 1 and len(between) < 200

    # --- reported speech --------------------------------------------------------------------------

    def reported(self) -> None:
        doc = self.doc
        for verb in doc:
            if verb.i in self.used_verbs or self.in_quote[verb.i]:
                continue
            lemma = verb.lemma_.lower()
            according = verb.lower_ == "according" and verb.i + 1 < len(doc)
            naming = lemma in ("call", "describe") and verb.pos_ == "VERB"
            if (
                not according
                and not naming
                and (lemma not in _REPORTING_CLAUSE_VERBS or verb.pos_ != "VERB")
            ):
                continue
            if according:
                self._according(verb)
                continue
            content = self._content_of(verb)
            if content is None:
                continue
            lo, hi = content
            cspan = self.tok_span(lo, hi)
            quoted = sum(1 for i in range(lo, hi + 1) if self.in_quote[i])
            if quoted > (hi - lo + 1) / 2:
                continue  # the clause is a quotation, reported above
            if any(
                open_at < cspan.end and cspan.start < close
                for open_at, close in self.partial_quote_verbs.get(verb.i, ())
            ):
                # A partial quote inside what was said is reported once, as the partial quote;
                # one outside it ("said X, a “red line” …") leaves the clause to report.
                continue
            speakers = self.speakers_for(verb)
            if not speakers:
                speakers = [_Speaker(None, None, 0.4)]
            start = min(cspan.start, verb.idx)
            end = max(cspan.end, verb.idx + len(verb.text))
            for sp in speakers:
                if sp.span is not None:
                    start, end = min(start, sp.span.start), max(end, sp.span.end)
            span = self.sentence_span(start, end)
            medium = self.medium_of(verb, (verb.i, min(len(doc), verb.i + 6)), speakers[0].name)
            for sp in speakers:
                self.statements.append(
                    ExtractedStatement(
                        content=self.text[cspan.start : cspan.end],
                        kind="reported",
                        span=span,
                        content_span=cspan,
                        speaker=sp.name,
                        speaker_span=sp.span,
                        cue=verb.text,
                        medium=medium,
                        confidence=round(min(0.7, sp.confidence), 2),
                    )
                )

    def _content_of(self, verb: Token) -> tuple[int, int] | None:
        """Token bounds (inclusive) of what a reporting verb reports, or None."""
        doc = self.doc
        sent = verb.sent
        lemma = verb.lemma_.lower()
        if lemma in ("call", "describe"):
            # "Johnson called the coming days the most dangerous moment …": an object and what
            # it is called ("described it as …"); not "called for", "called on", "called off"
            objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
            names = [
                c
                for c in verb.children
                if c.i > verb.i
                and (
                    c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")
                )
            ]
            if not objects or not names:
                return None
            hi = max(c.right_edge.i for c in [*names, *objects])
            for c in verb.children:  # "… the most dangerous moment in Europe's biggest crisis"
                if c.dep_ == "prep" and c.i == hi + 1:
                    hi = c.right_edge.i
            return self._trim_tokens(objects[0].left_edge.i, hi, verb, False)
        for child in verb.children:
            if child.dep_ == "ccomp" and child.i > verb.i:
                hi = child.right_edge.i
                # "said it wanted answers, and called the response insulting: “…”": a verb
                # conjoined to the clause is usually the speaker's next act, not what was said
                for conj in child.children:
                    if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.i > child.i:
                        cut = conj.left_edge.i
                        while cut > child.i and doc[cut - 1].dep_ in ("cc", "punct"):
                            cut -= 1
                        hi = min(hi, cut - 1)
                return self._trim_tokens(child.left_edge.i, hi, verb)
        if verb.lemma_.lower() in _GERUND_VERBS or verb.lemma_.lower() == "tell":
            for child in verb.children:
                if child.dep_ == "xcomp" and child.i > verb.i:
                    return self._trim_tokens(child.left_edge.i, child.right_edge.i, verb)
        # "…, Washington said on Friday." — the frame closes the sentence
        subj = self.subject_of(verb)
        first = subj.left_edge.i if subj is not None and subj.i < verb.i else verb.i
        if first - 1 <= sent.start or doc[first - 1].text != ",":
            return None
        # nothing but adjuncts after the verb ("on Friday", "citing a statement")
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[verb.i + 1 : sent.end]):
            return None
        lo = sent.start
        while lo < first - 1 and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        return self._trim_tokens(lo, first - 2, verb)

    def _trim_tokens(
        self, lo: int, hi: int, verb: Token, needs_verb: bool = True
    ) -> tuple[int, int] | None:
        doc = self.doc
        if lo <= verb.i <= hi:
            hi = verb.i - 1 if verb.i > lo else hi
        while hi > lo and (
            (doc[hi].is_punct and doc[hi].text not in _CLOSE_MARKS) or doc[hi].is_space
        ):
            hi -= 1
        while lo < hi and doc[lo].is_space:
            lo += 1
        if hi - lo < 1 or (
            needs_verb and not any(t.pos_ in ("VERB", "AUX") for t in doc[lo : hi + 1])
        ):
            return None
        return lo, hi

    def _according(self, tok: Token) -> None:
        """ "according to X, …" and "…, according to X." """
        doc = self.doc
        if doc[tok.i + 1].lower_ != "to":
            return
        sent = tok.sent
        src = None
        for t in doc[tok.i + 2 : min(sent.end, tok.i + 8)]:
            if t.dep_ == "pobj":
                src = t
                break
        if src is None:
            return
        sp = self.speaker_from_token(src)
        src_end = src.right_edge.i
        if tok.i <= sent.start + 1:
            lo = src_end + 1
            while lo < sent.end and doc[lo].is_punct:
                lo += 1
            hi = sent.end - 1
        else:
            lo, hi = sent.start, tok.i - 1
        while hi > lo and doc[hi].is_punct:
            hi -= 1
        if hi - lo < 2:
            return
        cspan = self.tok_span(lo, hi)
        if sum(1 for i in range(lo, hi + 1) if self.in_quote[i]) > (hi - lo + 1) / 2:
            return
        self.statements.append(
            ExtractedStatement(
                content=self.text[cspan.start : cspan.end],
                kind="reported",
                span=self.sentence_span(min(cspan.start, tok.idx), max(cspan.end, tok.idx)),
                content_span=cspan,
                speaker=sp.name,
                speaker_span=sp.span,
                cue="according to",
                confidence=round(min(0.65, sp.confidence), 2),
            )
        )

    def inherit_from_reported(self) -> None:
        """A direct quote with no frame right after reported speech in its paragraph is the
        same speaker's: 'The administration may be reluctant, Schiff said. "The other …"'."""
        for piece in self.pending:
            para_start = self.text.rfind("\n", 0, piece.open) + 1
            before = [
                st
                for st in self.statements
                if st.kind == "reported"
                and st.speaker_span is not None
                and para_start <= st.span.start
                and st.span.end <= piece.open
            ]
            if not before:
                continue
            source = max(before, key=lambda st: st.span.end)
            if self.text[source.span.end : piece.open].strip():
                continue  # another sentence stands between them
            for st in self.statements:
                if st.content_span.start == piece.cstart and st.kind == "direct":
                    st.speaker, st.speaker_span = source.speaker, source.speaker_span
                    st.confidence = 0.6 if source.speaker else 0.5

    def run(self) -> list[ExtractedStatement]:
        self.quotes()
        self.reported()
        self.inherit_from_reported()
        self.statements.sort(key=lambda s: (s.content_span.start, s.kind))
        return self.statements


def _find_quotes(text: str) -> list[_Piece]:
    """Runs of quoted text, one per paragraph, linked across paragraphs when a quote runs on."""
    pieces: list[_Piece] = []
    pos = 0
    carry = False  # the last paragraph ended inside a quote
    lines = text.split("\n")
    for n, line in enumerate(lines):
        base = pos
        pos += len(line) + 1
        stripped = line.lstrip()
        if not stripped:
            continue
        lead = len(line) - len(stripped)
        if carry and stripped[0] not in _OPEN_MARKS and pieces:
            pieces[-1].continues = False
        continued = carry and stripped[0] in _OPEN_MARKS
        carry = False
        open_at: int | None = None
        mark = ""
        depth = 0
        single_open: int | None = None
        for i, ch in enumerate(line):
            at = base + i
            prev = line[i - 1] if i > 0 else " "
            nxt = line[i + 1] if i + 1 < len(line) else " "
            if open_at is None:
                if (
                    ch == "“"
                    or (ch == '"' and (prev.isspace() or prev in "([—–-/"))
                    or (ch == "”" and i == lead and nxt.isalnum())  # a typo'd opening mark
                ):
                    if ch == "”":
                        ch = "“"
                    open_at, mark, depth = at, ch, 0
                    single_open = None
                elif ch == "‘" and (prev.isspace() or prev in '([—–-"“') and nxt.isalnum():
                    if single_open is None:
                        single_open = at
                elif ch == "’" and single_open is not None and not nxt.isalnum():
                    pieces.append(_content(text, single_open, at + 1, True, single=True))
                    single_open = None
            elif ch == "“" and mark == "“" and (prev.isspace() or prev in "([—–-"):
                depth += 1  # a quote inside the quote: “… what he calls “hell” …”
            elif ch == "”" and depth:
                depth -= 1
            elif ch == "”" or (ch == '"' and (mark == '"' or not nxt.isalnum())):
                # either closing mark ends either opening one: writers mix “…" and "…”
                pieces.append(_content(text, open_at, at + 1, True))
                if continued and pieces[-1].open == base + lead:
                    pieces[-1].continued = True
                continued = False
                open_at = None
        if open_at is not None:
            end = base + len(line.rstrip())
            piece = _content(text, open_at, end, False)
            piece.continued = continued and open_at == base + lead
            # does the quote run on into the next paragraph?
            following = next((x.lstrip() for x in lines[n + 1 :] if x.strip()), "")
            if following[:1] in _OPEN_MARKS and following[:1] != "‘":
                piece.continues = True
                carry = True
            pieces.append(piece)
    return pieces


def _looks_like_title(content: str) -> bool:
    """ "Fox and Friends", "The Apprentice": every word capitalised, no sentence inside."""
    words = content.rstrip(".,").split()
    if not words or len(words) > 7 or content.rstrip().endswith(("?", "!")):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w in _SMALL_WORDS for w in words) and any(
        w[:1].isupper() for w in words
    )


def _content(text: str, open_at: int, close: int, closed: bool, single: bool = False) -> _Piece:
    cstart = open_at + 1
    cend = close - 1 if closed else close
    while cstart < cend and text[cstart].isspace():
        cstart += 1
    while cend > cstart and (text[cend - 1].isspace() or text[cend - 1] == ","):
        cend -= 1
    return _Piece(open_at, close, cstart, cend, closed=closed, single=single)


def statements_by_speaker(
    statements: Iterable[ExtractedStatement],
) -> dict[str | None, list[ExtractedStatement]]:
    """Group statements by speaker name (None for unattributed ones)."""
    grouped: dict[str | None, list[ExtractedStatement]] = {}
    for st in statements:
        grouped.setdefault(st.speaker, []).append(st)
    return grouped


__all__: Sequence[str] = ["REPORTING_VERBS", "extract_statements", "statements_by_speaker"]

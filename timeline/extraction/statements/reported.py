"""Reported speech: a reporting verb (or "according to") and the clause of what was said."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from timeline.extraction.statements.context import _Speaker
from timeline.extraction.statements.speakers import _Speakers
from timeline.extraction.statements.vocabulary import (
    _CLOSE_MARKS,
    _CUE_PREPOSITIONS,
    _GERUND_VERBS,
    _NOMINAL_CUE_VERBS,
    _REPORTING_CLAUSE_VERBS,
    _STANCE_VERBS,
)
from timeline.extraction.types import ExtractedStatement, Span

if TYPE_CHECKING:
    from spacy.tokens import Token


_APOSTROPHE_QUOTES = frozenset({"''", "'"})
# Words that may follow a reporting verb inside a parenthetical frame: "he said on Friday,".
_ADJUNCTS = frozenset({"ADP", "NOUN", "PROPN", "DET", "NUM", "ADV", "ADJ", "PRON"})


class _Reported(_Speakers):
    def reported(self) -> None:
        doc = self.doc
        for verb in doc:
            if verb.i in self.used_verbs or self.in_quote[verb.i]:
                continue
            lemma = verb.lemma_.lower()
            according = verb.lower_ == "according" and verb.i + 1 < len(doc)
            naming = lemma in ("call", "describe") and verb.pos_ == "VERB"
            saying = lemma in _REPORTING_CLAUSE_VERBS and verb.pos_ == "VERB"
            stance = verb.pos_ == "VERB" and (
                lemma in _STANCE_VERBS or lemma in _NOMINAL_CUE_VERBS or lemma in _CUE_PREPOSITIONS
            )
            if not according and not naming and not saying and not stance:
                continue
            if according:
                self._according(verb)
                continue
            content = self._content_of(verb) if saying or naming else None
            ceiling = 0.7
            if content is None and stance:
                content = self._stance_content(verb)
                ceiling = 0.55
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
                        speaker_description="" if sp.name else sp.description,
                        cue=verb.text,
                        cue_span=Span(verb.idx, verb.idx + len(verb.text)),
                        medium=medium,
                        confidence=round(min(ceiling, sp.confidence), 2),
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
        if verb.dep_ == "relcl":
            # "…,” said a diplomat, who asked …": a relative clause reports nothing before it
            return None
        subj = self.subject_of(verb)
        first = subj.left_edge.i if subj is not None and subj.i < verb.i else verb.i
        # a quotation in apostrophes ("…,'' said X") is no quotation mark here: reported words
        comma = first - 1
        while comma > sent.start and doc[comma].text in _APOSTROPHE_QUOTES:
            comma -= 1
        if comma <= sent.start or doc[comma].text != ",":
            return None
        if any(i in self.used_verbs for i in range(sent.start, comma)):
            return None  # the words before are a quotation with its own frame
        lo = sent.start
        while lo < comma and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        # nothing but adjuncts after the verb ("on Friday", "citing a statement")
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[verb.i + 1 : sent.end]):
            # "Acts of protest, he said, are acts of patriotism": a frame inside the sentence
            after = verb.i + 1
            while after < sent.end and doc[after].text != "," and doc[after].pos_ in _ADJUNCTS:
                after += 1
            if after >= sent.end or doc[after].text != "," or comma - lo < 2:
                return None
            tail = self._trim_tokens(after + 1, sent.end - 1, verb, False)
            head = self._trim_tokens(lo, comma - 1, verb, False)
            parts = [p for p in (head, tail) if p is not None]
            return max(parts, key=lambda p: p[1] - p[0]) if parts else None
        return self._trim_tokens(lo, comma - 1, verb)

    def _stance_content(self, verb: Token) -> tuple[int, int] | None:
        """What a stance verb attributes: its clause ("found that …", "wants to …"), its object
        ("cited the poll"), or the object of its preposition ("called for a vote"). Only with a
        subject that is a source: a name, a pronoun for a person, or a noun phrase."""
        subj = self.subject_of(verb)
        if subj is None or subj.i > verb.i or subj.lower_ in ("it", "there", "that", "you"):
            return None
        if self._inside_attribution(verb) or verb.sent.text.rstrip().endswith("?"):
            return None
        if subj.pos_ not in ("PROPN", "PRON", "NOUN"):
            return None
        lemma = verb.lemma_.lower()
        for child in verb.children:
            if child.i > verb.i and child.dep_ in ("ccomp", "xcomp"):
                if child.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in child.children):
                    # "asked not to be named": how the source is to be treated, no statement
                    return None
                return self._trim_tokens(child.left_edge.i, child.right_edge.i, verb, False)
        for child in verb.children:
            if child.i <= verb.i:
                continue
            if child.dep_ == "dobj" and lemma in _NOMINAL_CUE_VERBS:
                return self._trim_tokens(child.left_edge.i, child.right_edge.i, verb, False)
            if child.dep_ in ("prep", "prt") and child.lower_ in _CUE_PREPOSITIONS.get(lemma, ()):
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    last = objects[-1].right_edge.i
                    return self._trim_tokens(child.i + 1, last, verb, False)
        return None

    def _inside_attribution(self, verb: Token) -> bool:
        """ "said parents still want …": a stance inside what another cue reports is part of
        that statement, not one of its own."""
        tok = verb
        for _ in range(6):
            if tok.head.i == tok.i:
                return False
            through = tok.dep_ in ("ccomp", "xcomp", "conj", "advcl", "relcl")
            tok = tok.head
            lemma = tok.lemma_.lower()
            if through and (lemma in _REPORTING_CLAUSE_VERBS or lemma in _STANCE_VERBS):
                return True
        return False

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
                speaker_description="" if sp.name else sp.description,
                cue="according to",
                cue_span=Span(tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1].text)),
                confidence=round(min(0.65, sp.confidence), 2),
            )
        )

    def carry_speakers(self) -> None:
        """A direct quote with no frame at all, in the paragraph of a named speaker's statement or
        the one after it, is most likely theirs: articles give a speaker several paragraphs."""
        named = sorted(
            (st for st in self.statements if st.speaker and st.speaker_span is not None),
            key=lambda st: st.content_span.start,
        )
        starts = [st.content_span.start for st in named]
        for st in self.statements:
            if st.kind != "direct" or st.speaker or st.speaker_span is not None:
                continue
            k = bisect.bisect_left(starts, st.content_span.start) - 1
            if k < 0:
                continue
            source = named[k]
            between = self.text[source.span.end : st.content_span.start]
            if between.count("\n\n") > 1 or (between.count("\n") > 2 and "\n\n" not in between):
                continue
            st.speaker, st.speaker_span = source.speaker, source.speaker_span
            st.confidence = 0.55

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
                    st.speaker_description = source.speaker_description
                    st.confidence = 0.6 if source.speaker else 0.5

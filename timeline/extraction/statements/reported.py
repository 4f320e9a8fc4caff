"""Reported speech: a reporting verb (or "according to") and the clause of what was said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.extraction.statements.context import _Speaker
from timeline.extraction.statements.speakers import _Speakers
from timeline.extraction.statements.vocabulary import (
    _CLOSE_MARKS,
    _GERUND_VERBS,
    _REPORTING_CLAUSE_VERBS,
)
from timeline.extraction.types import ExtractedStatement

if TYPE_CHECKING:
    from spacy.tokens import Token


class _Reported(_Speakers):
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

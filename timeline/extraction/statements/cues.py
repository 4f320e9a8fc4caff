"""Sources of partial quotes that no reporting verb governs.

Quoted words inside a sentence often carry their source by other means than a verb over them:
"according to X" elsewhere in the sentence, "as X put it", "X has gone after Y as a “…”", or a
noun of saying owned by someone ("X's claim that “…”"). Quoted words with none of these stay
scare quotes, unattributed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.extraction.statements.context import _Speaker
from timeline.extraction.statements.marks import _Piece
from timeline.extraction.statements.speakers import _Speakers
from timeline.extraction.statements.vocabulary import (
    _OPEN_MARKS,
    _SAYING_NOUNS,
    _SENTENCE_END,
    REPORTING_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

# The confidence of a source found without a verb governing the words: shown, but below a frame.
_CUED = 0.6


class _PartialCues(_Speakers):
    def partial_source(self, piece: _Piece) -> tuple[list[_Speaker], Token | None] | None:
        """The source of a partial quote with no reporting verb over it, and the cue word, or
        None when the sentence names none (a scare quote)."""
        first = self.doc[self.tok_at(piece.cstart)]
        for find in (self._owned_saying, self._as_object, self._as_put_it, self._according_to):
            found = find(first)
            if found is not None:
                speakers, cue = found
                named = [sp for sp in speakers if sp.name or sp.description]
                if named:
                    for sp in named:
                        sp.confidence = min(sp.confidence, _CUED)
                    return named, cue
        return None

    def _owned_saying(self, tok: Token) -> tuple[list[_Speaker], Token] | None:
        """ "Trump's claim that there had been “thousands of shootings”": the owner of the noun
        of saying the quoted words belong to."""
        sent = tok.sent
        for _ in range(8):
            if tok.head.i == tok.i or tok.head.i < sent.start:
                return None
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("ccomp", "acl", "relcl"):
                return None  # a clause of its own, not one hanging on the noun
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in _SAYING_NOUNS:
                owner = next((c for c in tok.children if c.dep_ == "poss"), None)
                if owner is None or owner.pos_ != "PROPN" or self.in_quote[owner.i]:
                    return None
                return [self.speaker_from_token(owner)], tok
        return None

    def _as_object(self, tok: Token) -> tuple[list[_Speaker], Token] | None:
        """ "Reid has gone after Trump as a “con artist”", "rated the claims as “false”": the
        subject of the verb the "as" hangs on."""
        i = tok.i - 1
        while i > tok.sent.start and (
            self.doc[i].text in _OPEN_MARKS or self.doc[i].lower_ in ("a", "an", "the")
        ):
            i -= 1
        word = self.doc[i]
        if word.lower_ != "as" or self.in_quote[i]:
            return None
        # the verb before "as", in the same clause (the parse often hangs "as" elsewhere)
        verb = None
        for j in range(i - 1, tok.sent.start - 1, -1):
            cand = self.doc[j]
            if cand.text in (",", ";", ":", "(") or self.in_quote[j]:
                return None
            if cand.pos_ == "VERB":
                verb = cand
                break
        if verb is None:
            return None
        subj = self.subject_of(verb)
        if subj is None or subj.dep_ != "nsubj":
            return None  # "was labeled as “…”": no one who spoke
        return [self.speaker_from_token(subj)], verb

    def _as_put_it(self, tok: Token) -> tuple[list[_Speaker], Token] | None:
        """ "…, as The New Yorker put it": a reporting verb in a clause opened by "as"."""
        for cand in tok.sent:
            if (
                cand.lemma_.lower() in REPORTING_VERBS
                and cand.pos_ == "VERB"
                and not self.in_quote[cand.i]
                and any(c.dep_ == "mark" and c.lower_ == "as" for c in cand.children)
            ):
                subj = self.subject_of(cand)
                if subj is not None and subj.i < cand.i:
                    return [self.speaker_from_token(subj)], cand
        return None

    def _according_to(self, tok: Token) -> tuple[list[_Speaker], Token] | None:
        """ "According to X, the move reeks of “fear”", "…, according to X.": one "according
        to" in the sentence, outside the quotation, names the source."""
        sent = tok.sent
        found = [
            t
            for t in sent
            if t.lower_ == "according"
            and t.i + 1 < sent.end
            and self.doc[t.i + 1].lower_ == "to"
            and not self.in_quote[t.i]
        ]
        if len(found) != 1:
            return None
        lo = found[0].i + 2
        hi = lo
        while hi + 1 < sent.end:
            nxt = self.doc[hi + 1]
            if nxt.text in (",", ";", "(", "—", "–") or nxt.text in _SENTENCE_END:
                break
            if self.in_quote[hi + 1] or nxt.pos_ in ("VERB", "AUX"):
                break
            hi += 1
        if lo >= sent.end or hi < lo:
            return None
        return self.speakers_in_range(lo, hi), found[0]

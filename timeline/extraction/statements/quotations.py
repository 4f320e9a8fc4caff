"""Direct and partial quotations: their reporting frames and their speakers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from timeline.extraction.actors import same_actor
from timeline.extraction.statements.context import _Speaker
from timeline.extraction.statements.cues import _PartialCues
from timeline.extraction.statements.marks import _looks_like_title, _Piece
from timeline.extraction.statements.speakers import _can_be_a_source
from timeline.extraction.statements.vocabulary import (
    _CLOSE_MARKS,
    _OPEN_MARKS,
    _PARTIAL_VERBS,
    _SENTENCE_END,
    REPORTING_VERBS,
)
from timeline.extraction.types import ExtractedStatement, Span, StatementKind

# A list item's marker opening a paragraph ("• “We’re continuing…”", "2) “…”"): layout, not words
# before the quote, which stands as its own sentence.
_LIST_MARKER = re.compile(r"^\s*(?:[•·▪‣◦●○■□*\-–—]|\d{1,2}[.)])\s+")

if TYPE_CHECKING:
    from spacy.tokens import Token


# The confidence of a quotation nobody is named or described for: under the default threshold.
_UNATTRIBUTED = 0.45


class _Quotations(_PartialCues):
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
        start = self.clause_start(j)
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

    def clause_start(self, j: int) -> int:
        """The first token of the run that ends at token `j`, going back no further than a
        quotation, a sentence end, a closing mark or a line break."""
        doc = self.doc
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
        return start

    def source_before(self, piece: _Piece) -> tuple[list[_Speaker], tuple[int, int]] | None:
        """A source named before a quote with no verb: "According to Jane Doe, “…”" or a
        name and a colon opening the sentence ("Doe: “…”")."""
        doc = self.doc
        j = self.tok_at(piece.open) - 1
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        if j < 1 or doc[j].idx < para_start or doc[j].text not in (",", ":"):
            return None
        start = self.clause_start(j)
        words = doc[start:j]
        lowered = [t.lower_ for t in words]
        if "according" in lowered[:2]:
            at = lowered.index("according")
            if at + 2 >= len(lowered) or lowered[at + 1] != "to":
                return None
            lo = start + at + 2
        elif (
            doc[j].text == ":"
            and 0 < len(words) <= 5
            and all(t.text[:1].isupper() or t.is_punct for t in words)
            and any(t.pos_ == "PROPN" for t in words)
        ):
            lo = start
        else:
            return None
        hi = j - 1
        if hi < lo:
            return None
        speakers = self.speakers_in_range(lo, hi)
        return (speakers, (start, j + 1)) if speakers else None

    def in_headline(self, piece: _Piece) -> bool:
        """A quote in a headline ("Senator Calls Rival ‘A Disgrace’"): a line in title case
        without a full stop inside. Headlines compress what was said; the body tells it with its
        speaker, so the headline's words are no statement of their own."""
        text = self.text
        line_start = text.rfind("\n", 0, piece.open) + 1
        line_end = text.find("\n", piece.close)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        words = [w for w in line.split() if w[:1].isalpha()]
        if len(words) < 4 or ". " in line.rstrip(". "):
            return False
        return sum(1 for w in words if w[:1].isupper()) >= 0.7 * len(words)

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
            if (
                tok.lemma_.lower() in _PARTIAL_VERBS
                and not self.in_quote[tok.i]
                and tok.pos_ != "NOUN"
                and not self._speaks_for_nobody(tok)
            ):
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

    def _speaks_for_nobody(self, verb: Token) -> bool:
        """A verb whose subject can say nothing: "Ryan said the spate of shootings demands
        that all engage in “more listening”" — the words are the speaker's higher up."""
        subj = self.subject_of(verb)
        return (
            subj is not None
            and subj.pos_ == "NOUN"
            and not _can_be_a_source(subj)
            and verb.head.i != verb.i
        )

    def is_direct(self, piece: _Piece) -> bool:
        """A quote standing as a sentence (or after a colon or comma), not words in a clause."""
        if piece.continued:
            return True
        para_start = self.text.rfind("\n", 0, piece.open) + 1
        before = _LIST_MARKER.sub("", self.text[para_start : piece.open]).rstrip()
        words = self.text[piece.cstart : piece.cend].split()
        if not before or before[-1] in ".!?:":
            return not self._names_a_subject(piece)
        if before[-1] in (",", "—", "–") or before.endswith(("”", '"')):
            return len(words) >= 3
        last = before.split()[-1].lower()
        tok = self.doc[self.tok_at(piece.open) - 1]
        return (tok.lemma_.lower() in REPORTING_VERBS and len(words) >= 3) or last == "saying"

    def _names_a_subject(self, piece: _Piece) -> bool:
        """Quoted words opening a sentence that goes straight on with its verb, no comma:
        “American Skin” was written in 1999. A name or a title, not anyone's words."""
        content = self.text[piece.cstart : piece.cend].rstrip()
        if not content or content[-1] in ".,!?…;:—–-":
            return False
        i = self.tok_at(piece.close)
        if i < len(self.doc) and self.doc[i].idx < piece.close:
            i += 1
        if i >= len(self.doc) or "\n" in self.text[piece.close : self.doc[i].idx]:
            return False
        nxt = self.doc[i]
        return (
            nxt.text[:1].islower()
            and nxt.pos_ in ("AUX", "VERB")
            and nxt.lemma_.lower() not in REPORTING_VERBS
        )

    def quotes(self) -> None:
        previous: ExtractedStatement | None = None
        prev_piece: _Piece | None = None
        for piece in self.pieces:
            content_span = Span(piece.cstart, piece.cend)
            content = self.text[piece.cstart : piece.cend]
            if not content.strip() or not any(c.isalpha() for c in content):
                continue
            if re.fullmatch(r"\s*\([^()]*\)[.!]?\s*", content):
                continue  # a transcript's stage direction, "(CROSSTALK.)", is nobody's words
            direct = self.is_direct(piece)
            if self.in_headline(piece):
                continue
            if not direct and _looks_like_title(content):
                continue  # the name of a show, a book or a song, not anyone's words
            kind: StatementKind = "direct" if direct else "partial"
            verb: Token | None = None
            frame: tuple[int, int] | None = None
            speakers: list[_Speaker] = []
            conf = 0.0
            if direct:
                after = self.frame_after(piece)
                if after and after[0].tag_ == "VBG" and (before := self.frame_before(piece)):
                    # "X said: “…,” adding that …": the participle goes on with X's frame
                    after = None
                    verb, frame = before
                    speakers = self.speakers_for(verb)
                    conf = 0.9 if verb.lemma_.lower() in REPORTING_VERBS else 0.6
                elif after:
                    verb, frame = after
                    speakers = self.speakers_in_frame(verb, frame) or self.speakers_for(verb)
                    conf = 0.9
                elif before := self.frame_before(piece):
                    verb, frame = before
                    speakers = self.speakers_for(verb)
                    conf = 0.9 if verb.lemma_.lower() in REPORTING_VERBS else 0.6
                elif cued := self.source_before(piece):
                    speakers, frame = cued
                    conf = 0.8
                elif labelled := self.label_speaker(piece):
                    speakers = [labelled]
                    conf = 0.8
            else:
                governed = self.governing_verb(piece)
                if governed is not None:
                    verb, conf = governed
                    speakers = self.speakers_for(verb)
                    frame = (verb.i, verb.i + 1)
                elif cued_partial := self.partial_source(piece):
                    speakers, cue_word = cued_partial
                    conf = 0.6
                    if cue_word is not None:
                        verb, frame = cue_word, (cue_word.i, cue_word.i + 1)
            inherited = False
            if not speakers and previous is not None and prev_piece is not None and direct:
                # no frame: the speaker of the quote just before, in this or the last paragraph
                same_run = piece.continued or self._adjacent(prev_piece, piece)
                if same_run:
                    speakers = [
                        _Speaker(
                            previous.speaker,
                            previous.speaker_span,
                            0.8,
                            previous.speaker_description,
                        )
                    ]
                    conf = 0.8 if piece.continued else 0.65
                    inherited = True
            if speakers and all(not sp.name and not sp.description for sp in speakers):
                # neither a name nor a description of a source ("they said", or a subject that
                # names no one): unattributed, below what is shown by default, for review
                conf = min(conf, _UNATTRIBUTED)
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
                    speaker_description="" if sp.name else sp.description,
                    cue=verb.text if verb is not None and not inherited else "",
                    cue_span=_token_span(verb) if verb is not None and not inherited else None,
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


def _token_span(tok: Token) -> Span:
    return Span(tok.idx, tok.idx + len(tok.text))

"""What every part of the statement extractor shares: the parse, the actors, the quotes found."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from timeline.extraction.statements.marks import _find_quotes, _Piece
from timeline.extraction.types import ExtractedActor, ExtractedStatement, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from timeline.extraction.statements.coreference import _Candidate


@dataclass
class _Speaker:
    name: str | None
    span: Span | None
    confidence: float
    description: str = ""  # an unnamed source's words: "a senior administration official"


class _Context:
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
        # for coreference: person mentions outside quotes (built on first use), genders found
        self._cands: list[_Candidate] | None = None
        self._cand_starts: list[int] = []
        # people named as speakers or subjects whom the actor finder missed, by name
        self.unlisted: dict[str, ExtractedActor] = {}
        self._genders: dict[str, Literal["m", "f"] | None] = {}
        self._roles: dict[tuple[str, str], bool] = {}

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

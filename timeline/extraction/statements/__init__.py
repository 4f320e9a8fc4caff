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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from timeline.extraction.statements.quotations import _Quotations
from timeline.extraction.statements.reported import _Reported
from timeline.extraction.statements.vocabulary import REPORTING_VERBS
from timeline.extraction.types import ExtractedActor, ExtractedStatement

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_statements(doc: Doc, actors: list[ExtractedActor]) -> list[ExtractedStatement]:
    """Return every quotation and reported statement in ``doc``, in text order.

    ``actors`` is ``extract_actors(doc)``: speakers are given by their canonical names there.
    A named speaker the actor finder missed ("…,” Tester said) is added to ``actors`` as a
    person, so every named source becomes an actor. ``date`` is left None; the pipeline
    resolves it.
    """
    return _Extractor(doc, actors).run()


class _Extractor(_Quotations, _Reported):
    def run(self) -> list[ExtractedStatement]:
        self.quotes()
        self.reported()
        self.inherit_from_reported()
        self.carry_speakers()
        speakers = {st.speaker for st in self.statements}
        self.actors.extend(a for a in self.unlisted.values() if a.name in speakers)
        self.statements.sort(key=lambda s: (s.content_span.start, s.kind))
        return self.statements


def statements_by_speaker(
    statements: Iterable[ExtractedStatement],
) -> dict[str | None, list[ExtractedStatement]]:
    """Group statements by speaker name (None for unattributed ones)."""
    grouped: dict[str | None, list[ExtractedStatement]] = {}
    for st in statements:
        grouped.setdefault(st.speaker, []).append(st)
    return grouped


__all__: Sequence[str] = ["REPORTING_VERBS", "extract_statements", "statements_by_speaker"]

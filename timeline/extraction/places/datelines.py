"""A place dateline opening a line of the body ("KYIV, Feb 11 (Reuters) - ", "New Delhi: ",
"MELBOURNE, Australia – "): where the story was filed from, not part of what its first sentence
says. The parse often takes it into that sentence's subject ("MELBOURNE, Australia and Russia
send more forces"), and the place finder for the event's place."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from timeline.extraction.places.gazetteer import get_gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = r"[A-Z][\w.'’-]*"
# The place, a country or date after commas ("MELBOURNE, Australia", "KYIV, Feb 11"), then the
# colon, dash or agency bracket that ends the dateline.
_DATELINE = re.compile(
    rf"[ \t]*(?P<place>{_WORD}(?: {_WORD}){{0,2}})"
    rf"(?P<rest>(?:,\s(?:{_WORD}|\d{{1,2}})(?:\s(?:{_WORD}|\d{{1,4}}))*){{0,2}})"
    r"\s*(?::|(?:\([^)\n]{1,40}\)\s*)?[–—-])\s"
)
_PLACE_KINDS = ("city", "region", "country")


def dateline_end(text: str, position: int) -> int | None:
    """Where the dateline opening the line `position` is on ends, when the line opens with one
    whose place is known (a city, a region or a country); else None."""
    line_start = text.rfind("\n", 0, position) + 1
    match = _DATELINE.match(text, line_start)
    if match is None:
        return None
    gazetteer = get_gazetteer()
    if any(e.kind in _PLACE_KINDS for e in gazetteer.lookup(match["place"])):
        return match.end()
    # A place the gazetteer lacks, in the capitals of a dateline and placed in a country it
    # knows: "UNITED NATIONS, United States – ".
    if match["place"].isupper() and len(match["place"]) > 2:
        parts = [part.strip() for part in match["rest"].split(",") if part.strip()]
        if any(e.kind == "country" for part in parts for e in gazetteer.lookup(part)):
            return match.end()
    return None


def doc_dateline_end(doc: Doc, position: int) -> int | None:
    """`dateline_end` of the parsed text, cached on the document: every phrase of the line asks."""
    ends: dict[int, int | None] = doc.user_data.setdefault("dateline_ends", {})
    line_start = doc.text.rfind("\n", 0, position) + 1
    if line_start not in ends:
        ends[line_start] = dateline_end(doc.text, line_start)
    return ends[line_start]

"""Republished copy: one story's text printed by several outlets (a wire story in a newspaper).

Each text gets a small signature, the bottom-k MinHash of its word shingles: the `SIGNATURE_SIZE`
smallest hashes of every run of `SHINGLE_WORDS` words. Two signatures estimate how much text two
articles share (the Jaccard similarity of their shingle sets) without either text at hand, so an
article is compared with every stored one of its days by reading their signatures alone.

Independent reports of one happening share facts and a quote or two, not whole paragraphs: an
eight-word run in common is rare outside a quotation, and a copy shares most of them even when
the newspaper cuts the story short or adds a paragraph of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

SHINGLE_WORDS = 8
SIGNATURE_SIZE = 128
# The share of shingles two texts have in common from which one is a copy of the other. A story
# cut to half its length by the paper that reprints it still shares half; separate reports of the
# same event share a few per cent (a quotation both print).
COPY_SIMILARITY = 0.35

_WORD = re.compile(r"\w+")


def text_signature(text: str) -> list[int]:
    """The bottom-k MinHash of `text`'s word shingles, ascending; [] for a text too short."""
    words = _WORD.findall(text.casefold())
    hashes = {
        _hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return sorted(hashes)[:SIGNATURE_SIZE]


def shared_text(first: Sequence[int], second: Sequence[int]) -> float:
    """The estimated share of shingles the two texts have in common (0–1; Jaccard similarity).

    Of the k smallest hashes of both texts together, the share found in both signatures: an
    unbiased estimate from bottom-k sketches.
    """
    if not first or not second:
        return 0.0
    size = min(SIGNATURE_SIZE, len(first), len(second))
    union = sorted(set(first) | set(second))[:size]
    both = set(first) & set(second)
    return sum(1 for value in union if value in both) / len(union)


def is_copy(first: Sequence[int], second: Sequence[int]) -> bool:
    """True when the two texts are one story printed twice, not two reports of one event."""
    return shared_text(first, second) >= COPY_SIMILARITY


def _hash(shingle: str) -> int:
    # 63 bits: stored as a JSON number, it stays a positive integer in every database.
    digest = hashlib.blake2b(shingle.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1

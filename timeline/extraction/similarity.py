"""The matching rules of corroboration: whether two texts say the same and two dates can agree.

Pure functions of strings and dates (no Django), used by the services that store drafts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

# How far apart two dates may be and still be "the same day/week/month/year", in days.
PRECISION_SLACK_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "said",
        "says",
        "say",
        "will",
        "would",
        "could",
        "should",
        "after",
        "before",
        "over",
        "into",
        "about",
        "than",
        "then",
        "also",
        "more",
        "most",
        "new",
    ]
)


# Cached: an article's events are each compared with the same few hundred stored ones.
@functools.lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(w for w in words if w not in STOPWORDS and len(w) > 2)


def wording_similarity(a: str, b: str) -> float:
    """Jaccard overlap of the content words of two texts, 0 to 1."""
    words_a, words_b = content_words(a), content_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / len(words_a | words_b)


def dates_compatible(
    a: tuple[dt.date, dt.date | None, str], b: tuple[dt.date, dt.date | None, str]
) -> bool:
    """Whether two (start, end, precision) dates can name the same time, given their precision."""
    slack = dt.timedelta(
        days=max(PRECISION_SLACK_DAYS.get(a[2], 1), PRECISION_SLACK_DAYS.get(b[2], 1))
    )
    a_end, b_end = a[1] or a[0], b[1] or b[0]
    return a[0] - slack <= b_end and b[0] - slack <= a_end

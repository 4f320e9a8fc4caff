"""Whatever text arrives, extraction never raises, and every span it returns cites the text.

Hypothesis writes articles from newsy fragments (quotes, reporting verbs, dates, names) mixed with
arbitrary Unicode: control characters, right-to-left marks, zero-width joiners, lone combining
marks, very long words. The checks here are independent of the pipeline's own `validate`.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.extraction.pipeline import extract
from timeline.extraction.types import ExtractedActor, Extraction, ResolvedDate, Span

FRAGMENTS = [
    "Russia is massing troops near Ukraine, Washington said on Friday.",
    "“Things could go crazy quickly,” Biden told NBC News.",
    '"We are ready," the Kremlin spokesman Dmitry Peskov said on 11 February 2022.',
    "Secretary of State Antony Blinken warned that an invasion could begin at any time.",
    "NATO foreign ministers will meet in Brussels next Wednesday.",
    "Moscow denies planning to invade.",
    "He said: ",
    "“",
    "”",
    "«",
    "»",
    '"',
    "'",
    " said ",
    " told reporters ",
    " on Monday",
    " last week",
    " in March",
    " 2022",
    "\n\n",
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark inside the text
    "\u0301",  # a combining accent with nothing to combine with
    "<script>alert(1)</script>",
    "Київ",
    "الكرملين",
    "\x00",
    "\r\n",
    "a" * 300,  # a very long word
]

article_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80)), max_size=30
).map("".join)
publication_date = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def assert_inside(span: Span, text: str, what: str) -> None:
    assert 0 <= span.start < span.end <= len(text), f"{what} {span} lies outside the text"


def assert_date_cites(date: ResolvedDate | None, text: str, what: str) -> None:
    if date is None or date.span is None:
        return
    assert_inside(date.span, text, f"the date of {what}")
    if date.text:
        assert squash(date.span.excerpt(text)) == squash(date.text), what


def assert_cites_faithfully(extraction: Extraction, text: str) -> None:
    for actor in extraction.actors:
        for mention in actor.mentions:
            assert_inside(mention, text, f"a mention of {actor.name!r}")
    for statement in extraction.statements:
        what = f"statement {statement.content[:30]!r}"
        assert_inside(statement.span, text, what)
        assert_inside(statement.content_span, text, what)
        assert squash(statement.content_span.excerpt(text)) == squash(statement.content), what
        if statement.speaker_span is not None:
            assert_inside(statement.speaker_span, text, f"the speaker of {what}")
        assert_date_cites(statement.date, text, what)
    for event in extraction.events:
        what = f"event {event.title[:30]!r}"
        assert_inside(event.span, text, what)
        assert_date_cites(event.date, text, what)


@settings(
    max_examples=50,
    deadline=None,  # the first example loads spaCy's model
    database=None,  # leave no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=article_text, published=publication_date)
def test_extraction_never_raises_and_every_span_cites_the_text(
    text: str, published: dt.date
) -> None:
    extraction = extract(text, published)
    assert_cites_faithfully(extraction, text)


def test_the_checks_catch_a_span_outside_the_text() -> None:
    # The property above is only worth something if its checks can fail.
    bad = Extraction(actors=[ExtractedActor(name="X", kind="person", mentions=[Span(5, 50)])])
    with pytest.raises(AssertionError, match="outside the text"):
        assert_cites_faithfully(bad, "short")

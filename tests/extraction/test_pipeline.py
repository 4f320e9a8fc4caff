"""The pipeline: one parse, every extractor, dated statements, spans that always cite the text."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from evaluation import seed_article_path
from evaluation.seed import load_gold, locate, score_seed
from timeline.extraction.article_text import parse_plain_text
from timeline.extraction.pipeline import TimedExtraction, extract, extract_timed, validate
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ExtractedStatement,
    Extraction,
    ResolvedDate,
    Span,
)

FRIDAY = dt.date(2022, 2, 11)


@pytest.fixture(scope="module")
def body() -> str:
    return parse_plain_text(seed_article_path().read_text(encoding="utf-8")).body


@pytest.fixture(scope="module")
def seed_run(body: str) -> TimedExtraction:
    return extract_timed(body, FRIDAY)


def assert_cites_faithfully(extraction: Extraction, text: str) -> None:
    """Every span lies inside the text and reproduces what it claims to cite."""

    def inside(span: Span) -> None:
        assert 0 <= span.start < span.end <= len(text), span

    for actor in extraction.actors:
        for mention in actor.mentions:
            inside(mention)
    for st in extraction.statements:
        inside(st.span)
        inside(st.content_span)
        assert " ".join(st.content_span.excerpt(text).split()) == " ".join(st.content.split())
        if st.speaker_span is not None:
            inside(st.speaker_span)
        if st.date is not None and st.date.span is not None:
            inside(st.date.span)
    for event in extraction.events:
        inside(event.span)
        if event.date.span is not None:
            inside(event.date.span)
            if event.date.text:
                assert event.date.span.excerpt(text) == event.date.text


# The gold file ------------------------------------------------------------------------------------


def test_the_gold_excerpts_occur_once_in_the_parsed_body(body: str) -> None:
    gold = load_gold()
    for item in gold["statements"]:
        locate(body, item["excerpt"], item["content"])
        locate(body, item["excerpt"], item["speaker_text"])
    for item in gold["events"]:
        locate(body, item["excerpt"])
    speakers = {name for a in gold["actors"] for name in [a["name"], *a["aliases"]]}
    for item in gold["statements"]:
        for speaker in filter(None, [item["speaker"], *item.get("speaker_also", [])]):
            assert speaker in speakers, f"{speaker} is no gold actor"


# The seed article ---------------------------------------------------------------------------------


def test_every_span_on_the_seed_article_reproduces_its_excerpt(
    seed_run: TimedExtraction, body: str
) -> None:
    assert_cites_faithfully(seed_run.extraction, body)
    assert seed_run.dropped == []  # the extractors themselves cite faithfully


def test_it_attributes_the_quote_to_the_speaker_after_it(seed_run: TimedExtraction) -> None:
    quote = next(
        s for s in seed_run.extraction.statements if s.content.startswith("Things could go crazy")
    )
    assert (quote.kind, quote.speaker, quote.cue, quote.medium) == (
        "direct",
        "Joe Biden",
        "told",
        "NBC News",
    )


def test_it_dates_a_statement_from_its_reporting_verb(seed_run: TimedExtraction) -> None:
    washington = next(
        s for s in seed_run.extraction.statements if s.content.startswith("Russia is massing")
    )
    assert washington.date is not None
    assert (washington.date.start, washington.date.text) == (FRIDAY, "Friday")
    assert not washington.date.is_fallback


@pytest.mark.parametrize(
    "content",
    [
        "images taken on Wednesday and Thursday",  # Maxar said (Friday) what images showed
        "Ukraine negotiate directly with the separatists",  # "… since the conflict began in 2014"
    ],
)
def test_it_does_not_date_a_statement_by_a_date_that_belongs_to_another_verb(
    seed_run: TimedExtraction, content: str
) -> None:
    found = [s for s in seed_run.extraction.statements if s.content.startswith(content)]
    assert found
    for statement in found:
        assert statement.date is not None
        assert (statement.date.start, statement.date.is_fallback) == (FRIDAY, True)


def test_it_falls_back_to_the_publication_date_when_a_sentence_names_none(
    seed_run: TimedExtraction,
) -> None:
    quote = next(
        s for s in seed_run.extraction.statements if s.content.startswith("Things could go crazy")
    )
    assert quote.date is not None
    assert (quote.date.start, quote.date.is_fallback) == (FRIDAY, True)


def test_it_times_the_parse_apart_from_the_rest(seed_run: TimedExtraction) -> None:
    assert seed_run.parse_seconds > 0
    assert seed_run.rest_seconds > 0
    assert seed_run.overhead == seed_run.rest_seconds / seed_run.parse_seconds


def test_it_is_idempotent_and_takes_a_datetime_for_the_publication_date(
    seed_run: TimedExtraction, body: str
) -> None:
    again = extract(body, dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC))
    assert again == seed_run.extraction


# Any text -----------------------------------------------------------------------------------------


def test_spans_cite_faithfully_on_cut_and_shuffled_text(body: str) -> None:
    # Articles arrive truncated, with stray quotation marks and odd spacing; whatever the
    # extractors make of that, what the pipeline returns must still cite the text.
    rng = random.Random(20220211)  # noqa: S311 (a reproducible shuffle, not a secret)
    paragraphs = body.split("\n\n")
    for _ in range(12):
        picked = rng.sample(paragraphs, k=4)
        text = "\n\n".join(picked)
        cut = rng.randrange(len(text) // 2, len(text))
        text = text[:cut] + rng.choice(["", "“", "”", " \u00a0 ", "\n", '"'])
        assert_cites_faithfully(extract(text, FRIDAY), text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "“",
        "“Unclosed quote, Biden said",
        "He said.",
        "“One.” “Two.” “Three.”",
        "Russia " * 300,
    ],
)
def test_spans_cite_faithfully_on_degenerate_text(text: str) -> None:
    assert_cites_faithfully(extract(text, FRIDAY), text)


# The safety check ---------------------------------------------------------------------------------

TEXT = "Biden said on Friday that troops would not go."


def _statement(content: str, content_span: Span, **changes: object) -> ExtractedStatement:
    fields: dict = {
        "content": content,
        "kind": "reported",
        "span": Span(0, len(TEXT)),
        "content_span": content_span,
        "speaker": "Joe Biden",
        "speaker_span": Span(0, 5),
    }
    fields.update(changes)
    return ExtractedStatement(**fields)


def test_validate_keeps_what_cites_the_text() -> None:
    friday = ResolvedDate(FRIDAY, None, "day", Span(11, 20), text="on Friday")
    extraction = Extraction(
        actors=[ExtractedActor("Joe Biden", "person", mentions=[Span(0, 5)])],
        statements=[_statement("troops would not go", Span(26, 45), date=friday)],
        events=[ExtractedEvent("Biden said", TEXT, Span(0, len(TEXT)), friday)],
    )
    kept, dropped = validate(extraction, TEXT)
    assert dropped == []
    assert kept == extraction


def test_validate_drops_and_counts_what_does_not_cite_the_text() -> None:
    friday = ResolvedDate(FRIDAY, None, "day", Span(11, 20), text="on Friday")
    wrong_day = ResolvedDate(FRIDAY, None, "day", Span(0, 5), text="on Friday")
    extraction = Extraction(
        actors=[
            ExtractedActor("Joe Biden", "person", mentions=[Span(0, 5), Span(40, 90)]),
            ExtractedActor("Ghost", "person", mentions=[Span(100, 105)]),
        ],
        statements=[
            _statement("troops would not go", Span(26, 45)),  # kept
            _statement("troops would not go", Span(20, 39)),  # content is not what it cites
            _statement("troops would not go", Span(26, 450)),  # outside the text
            _statement("troops would not go", Span(26, 45), speaker_span=Span(-1, 3)),
            _statement("troops would not go", Span(26, 45), date=wrong_day),
        ],
        events=[
            ExtractedEvent("Biden said", TEXT, Span(0, len(TEXT)), friday),  # kept
            ExtractedEvent("Beyond", TEXT, Span(0, 999), friday),
            ExtractedEvent("Bad date", TEXT, Span(0, len(TEXT)), wrong_day),
        ],
    )
    kept, dropped = validate(extraction, TEXT)
    assert [a.name for a in kept.actors] == ["Joe Biden"]
    assert kept.actors[0].mentions == [Span(0, 5)]
    assert len(kept.statements) == 3
    assert kept.statements[1].speaker_span is None
    assert kept.statements[2].date is None
    assert [e.title for e in kept.events] == ["Biden said"]
    assert len(dropped) == 8
    assert_cites_faithfully(kept, TEXT)


# The seed scorer ----------------------------------------------------------------------------------


def _gold_as_extraction(gold: dict, body: str) -> Extraction:
    def span(excerpt: str, inner: str = "") -> Span:
        return Span(*locate(body, excerpt, inner))

    return Extraction(
        actors=[
            ExtractedActor(a["name"], a["kind"], a["title"], a["affiliation"], a["aliases"])
            for a in gold["actors"]
        ],
        statements=[
            ExtractedStatement(
                content=s["content"],
                kind=s["kind"],
                span=span(s["excerpt"]),
                content_span=span(s["excerpt"], s["content"]),
                speaker=s["speaker"],
                speaker_span=span(s["excerpt"], s["speaker_text"]),
                confidence=1.0,
            )
            for s in gold["statements"]
        ],
        events=[
            ExtractedEvent(
                title=e["excerpt"],
                summary=e["excerpt"],
                span=span(e["excerpt"]),
                date=ResolvedDate(
                    start=dt.date.fromisoformat(e["start"]),
                    end=dt.date.fromisoformat(e["end"]) if e["end"] else None,
                    precision=e["precision"],
                    span=None,
                ),
            )
            for e in gold["events"]
        ],
    )


def test_the_seed_scorer_gives_the_gold_itself_full_marks(body: str) -> None:
    gold = load_gold()
    scores = score_seed(_gold_as_extraction(gold, body), body, gold, min_confidence=0.5)
    for name in ("actors", "quotes", "reported_speech"):
        assert (scores[name]["precision"], scores[name]["recall"]) == (1.0, 1.0), name
    assert scores["actor_attributes"]["accuracy"] == 1.0
    assert scores["event_dates"]["accuracy"] == 1.0
    assert scores["all_right"]


def test_the_seed_scorer_counts_a_quote_given_to_the_wrong_speaker(body: str) -> None:
    gold = load_gold()
    extraction = _gold_as_extraction(gold, body)
    biden = next(s for s in extraction.statements if s.speaker == "Joe Biden")
    biden.speaker, biden.speaker_span = "Antony Blinken", None
    scores = score_seed(extraction, body, gold, min_confidence=0.5)
    wrong = [s for s in (scores["quotes"], scores["reported_speech"]) if s["wrong"]]
    assert len(wrong) == 1 and wrong[0]["precision"] < 1.0
    assert not scores["all_right"]

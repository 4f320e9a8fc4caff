"""Statements: direct and partial quotations and reported speech, each with its speaker."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from evaluation import seed_article_path
from timeline.extraction.actors import extract_actors
from timeline.extraction.article_text import parse_plain_text
from timeline.extraction.nlp import get_nlp
from timeline.extraction.statements import extract_statements
from timeline.extraction.types import ExtractedStatement

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


@pytest.fixture(scope="session")
def seed_body() -> str:
    return parse_plain_text(seed_article_path().read_text(encoding="utf-8")).body


@pytest.fixture(scope="session")
def seed_statements(nlp: Language, seed_body: str) -> list[ExtractedStatement]:
    doc = nlp(seed_body)
    return extract_statements(doc, extract_actors(doc))


def statements_of(nlp: Language, text: str) -> list[ExtractedStatement]:
    doc = nlp(text)
    found = extract_statements(doc, extract_actors(doc))
    for st in found:
        assert_cites(st, text)
    return found


def assert_cites(st: ExtractedStatement, text: str) -> None:
    """Every span reproduces its excerpt; the citation holds the words and the speaker."""
    assert st.content_span.excerpt(text) == st.content
    assert st.span.start <= st.content_span.start and st.content_span.end <= st.span.end
    assert st.span.excerpt(text) == st.span.excerpt(text).strip()
    if st.speaker_span is not None:
        inside = st.span.start <= st.speaker_span.start and st.speaker_span.end <= st.span.end
        # a quote with no frame of its own has the speaker named with the quote before it
        assert inside or (not st.cue and st.speaker_span.end <= st.span.start)
    assert 0 < st.confidence <= 1
    assert st.date is None


def one(statements: list[ExtractedStatement], content: str) -> ExtractedStatement:
    found = [s for s in statements if s.content.startswith(content)]
    assert len(found) == 1, (content, statements)
    return found[0]


def speaker_text(st: ExtractedStatement, text: str) -> str | None:
    return st.speaker_span.excerpt(text) if st.speaker_span else None


def test_it_attributes_the_quote_to_the_speaker_after_it(nlp: Language) -> None:
    text = (
        "President Joe Biden warned Americans to leave.\n\n"
        "“Things could go crazy quickly,” Biden told NBC News."
    )
    st = one(statements_of(nlp, text), "Things")

    assert st.kind == "direct"
    assert st.content == "Things could go crazy quickly"
    assert st.speaker == "Joe Biden"
    assert speaker_text(st, text) == "Biden"
    assert (st.cue, st.medium) == ("told", "NBC News")
    assert st.span.excerpt(text) == "“Things could go crazy quickly,” Biden told NBC News."
    assert st.confidence >= 0.8


def test_it_reads_a_quote_in_a_bulleted_paragraph_as_a_quote_of_its_own(nlp: Language) -> None:
    text = (
        "“We see troubling signs,” Secretary of State Antony Blinken said in Melbourne.\n\n"
        "• “And as we’ve said before, we’re in a window when an invasion could begin at any "
        "time,” he added.\n\n"
        "- “Any American citizens who remain in Ukraine should leave now,” Blinken said."
    )
    found = statements_of(nlp, text)

    for opening in ("And as we’ve", "Any American"):
        st = one(found, opening)
        assert (st.kind, st.speaker) == ("direct", "Antony Blinken")


def test_it_attributes_the_quote_to_a_speaker_after_an_inverted_verb(nlp: Language) -> None:
    text = (
        "“We’re in a window when an invasion could begin,” said Secretary of State Antony Blinken."
    )
    st = one(statements_of(nlp, text), "We’re")

    assert st.speaker == "Antony Blinken"
    assert speaker_text(st, text) == "Antony Blinken"
    assert st.cue == "said"


def test_it_attributes_the_quote_to_the_speaker_before_a_colon(nlp: Language) -> None:
    text = "Defence Secretary Ben Wallace said: “Russia has assured us it will not invade.”"
    st = one(statements_of(nlp, text), "Russia has")

    assert st.kind == "direct"
    assert st.speaker == "Ben Wallace"
    assert st.content == "Russia has assured us it will not invade."


def test_it_keeps_the_speaker_through_an_apposition(nlp: Language) -> None:
    text = (
        "“It’s an invasion of the state regulatory domain,” Scott Pruitt, the Republican "
        "attorney general of Oklahoma, said on Tuesday."
    )
    st = one(statements_of(nlp, text), "It’s an invasion")

    assert st.speaker == "Scott Pruitt"


def test_it_resolves_a_pronoun_to_the_last_person_named(nlp: Language) -> None:
    text = "Ben Wallace arrived in Moscow on Friday.\n\n“We talked for two hours,” he said."
    st = one(statements_of(nlp, text), "We talked")

    assert st.speaker == "Ben Wallace"
    assert speaker_text(st, text) == "he"


def test_it_gives_a_quote_without_a_frame_to_the_speaker_before_it(nlp: Language) -> None:
    text = "“The talks were useful,” Wallace said. “We will meet again.”"
    statements = statements_of(nlp, text)

    assert one(statements, "We will").speaker == "Wallace"
    assert one(statements, "We will").confidence < one(statements, "The talks").confidence


def test_it_follows_a_quote_over_several_paragraphs(nlp: Language) -> None:
    text = (
        "“The first paragraph runs on,” said Liz Truss. “Its quote is not closed.\n\n"
        "“The second one carries on and ends here.”\n\n"
        "Talks continued on Thursday."
    )
    statements = statements_of(nlp, text)

    first = one(statements, "Its quote")
    second = one(statements, "The second one")
    assert first.content == "Its quote is not closed."
    assert second.content == "The second one carries on and ends here."
    assert first.speaker == second.speaker == "Liz Truss"
    assert second.kind == "direct"


def test_it_reads_straight_quotation_marks(nlp: Language) -> None:
    text = '"Subpoenas are not optional," Representative Jason Chaffetz said on Tuesday.'
    st = one(statements_of(nlp, text), "Subpoenas")

    assert st.content == "Subpoenas are not optional"
    assert st.speaker == "Jason Chaffetz"


def test_it_attributes_a_partial_quote_to_a_capital_as_its_state(nlp: Language) -> None:
    text = "Moscow said the answers showed “disrespect” for its demands."
    st = one(statements_of(nlp, text), "disrespect")

    assert st.kind == "partial"
    assert st.speaker == "Russia"
    assert speaker_text(st, text) == "Moscow"
    assert st.cue == "said"


def test_it_gives_scare_quotes_no_speaker_and_low_confidence(nlp: Language) -> None:
    text = "Direct talks with the separatists are a “red line” for the government."
    st = one(statements_of(nlp, text), "red line")

    assert st.kind == "partial"
    assert st.speaker is None
    assert st.confidence < 0.5


def test_it_skips_quoted_titles(nlp: Language) -> None:
    text = "Michael Flynn said on Thursday on “Fox and Friends” that the generals were angry."

    assert not [s for s in statements_of(nlp, text) if s.kind != "reported"]


def test_it_takes_the_speaker_named_after_a_dash(nlp: Language) -> None:
    text = "“He represents our greatest shame.” ― Sonya Herridge\n“Next line.” ― Carla Sanchez"
    statements = statements_of(nlp, text)

    assert one(statements, "He represents").speaker == "Sonya Herridge"
    assert one(statements, "Next line").speaker == "Carla Sanchez"


def test_it_reports_a_denial_with_a_gerund(nlp: Language) -> None:
    text = "Moscow denies planning to invade Ukraine."
    st = one(statements_of(nlp, text), "planning")

    assert st.kind == "reported"
    assert (st.speaker, st.cue, st.content) == ("Russia", "denies", "planning to invade Ukraine")


def test_it_reports_a_clause_after_the_verb(nlp: Language) -> None:
    text = (
        "Wallace said Shoigu had repeated Russia’s assurances that it was not planning to invade."
    )
    st = one(statements_of(nlp, text), "Shoigu")

    assert st.kind == "reported"
    assert st.speaker == "Wallace"
    assert st.cue == "said"
    assert (
        st.content == "Shoigu had repeated Russia’s assurances that it was not planning to invade"
    )


def test_it_reports_a_clause_before_the_frame(nlp: Language) -> None:
    text = "Russia is massing yet more troops near Ukraine, Washington said on Friday."
    st = one(statements_of(nlp, text), "Russia is")

    assert (st.kind, st.speaker, st.cue) == ("reported", "United States", "said")
    assert st.content == "Russia is massing yet more troops near Ukraine"


def test_it_leaves_an_unnamed_source_without_a_speaker(nlp: Language) -> None:
    text = "Biden met his advisers overnight, a source familiar with the meeting said."
    st = one(statements_of(nlp, text), "Biden met")

    assert st.speaker is None
    assert speaker_text(st, text) == "a source familiar with the meeting"


def test_it_reports_a_clause_followed_by_a_partial_quote_outside_it(nlp: Language) -> None:
    text = (
        "Paris and Kyiv said the Russian delegation had demanded Ukraine negotiate directly with "
        "the separatists, a “red line” Ukraine has rejected since the conflict began in 2014."
    )
    statements = statements_of(nlp, text)

    reported = [s for s in statements if s.kind == "reported" and s.cue == "said"]
    assert {s.speaker for s in reported} == {"France", "Ukraine"}
    assert {s.content for s in reported} == {
        "the Russian delegation had demanded Ukraine negotiate directly with the separatists"
    }
    assert any(s.kind == "partial" and s.content == "red line" for s in statements)


def test_a_partial_quote_inside_what_was_said_is_reported_once(nlp: Language) -> None:
    text = "Moscow said the answers showed “disrespect” for its demands."
    statements = statements_of(nlp, text)

    assert [(s.kind, s.content) for s in statements] == [("partial", "disrespect")]


def test_it_gives_each_of_two_speakers_the_statement(nlp: Language) -> None:
    text = "Washington and London have said invasion could come within days."
    statements = statements_of(nlp, text)

    assert {s.speaker for s in statements} == {"United States", "United Kingdom"}


# --- the seed article: all its quotes right --------------------------------------------------


SEED_QUOTES = [
    # (start of the content, kind, speaker, speaker as printed, cue)
    ("disrespect", "partial", "Russia", "Moscow", "saying"),
    ("Things could go crazy quickly", "direct", "Joe Biden", "Biden", "told"),
    ("We’re in a window", "direct", "Antony Blinken", "Antony Blinken", "said"),
    ("Simply put", "direct", "Antony Blinken", "Blinken", "added"),
    ("military-technical", "partial", "Russia", "Moscow", "says"),
    ("Such a step cannot be seen", "direct", "Russian Foreign Ministry", "it", "called"),
]


@pytest.mark.parametrize(("content", "kind", "speaker", "printed", "cue"), SEED_QUOTES)
def test_it_gets_every_quote_of_the_seed_article_right(
    seed_statements: list[ExtractedStatement],
    seed_body: str,
    content: str,
    kind: str,
    speaker: str,
    printed: str,
    cue: str,
) -> None:
    st = one([s for s in seed_statements if s.kind != "reported"], content)

    assert (st.kind, st.speaker, st.cue) == (kind, speaker, cue)
    assert speaker_text(st, seed_body) == printed
    assert st.confidence >= 0.5


def test_it_finds_no_other_quotes_in_the_seed_article_than_the_red_line(
    seed_statements: list[ExtractedStatement],
) -> None:
    quotes = [s for s in seed_statements if s.kind != "reported"]
    others = [s for s in quotes if not any(s.content.startswith(q[0]) for q in SEED_QUOTES)]

    assert {s.content for s in others} == {"red line"}
    assert {s.speaker for s in others} <= {"France", "Ukraine", None}
    assert one(quotes, "Things").medium == "NBC News"


def test_it_reports_the_seed_articles_indirect_speech(
    seed_statements: list[ExtractedStatement],
) -> None:
    reported = {(s.speaker, s.cue, s.content[:30]) for s in seed_statements if s.kind == "reported"}

    assert ("United States", "said", "Russia is massing yet more tro") in reported
    assert ("Joe Biden", "said", "he would not send troops to re") in reported
    assert ("Interfax", "reported", "Russia’s Chief of General Staf") in reported
    assert ("Interfax", "added", "They discussed international s") in reported
    assert ("Russia", "denies", "planning to invade Ukraine") in reported
    assert ("Ben Wallace", "said", "Shoigu had repeated Russia’s a") in reported
    assert ("Russia", "said", "the arrangement had been neces") in reported
    assert ("Sergei Shoigu", "told", "Russia would soon respond to t") in reported
    assert ("France", "said", "the Russian delegation had dem") in reported


def test_every_seed_statement_cites_the_text_exactly(
    seed_statements: list[ExtractedStatement], seed_body: str
) -> None:
    assert seed_statements
    for st in seed_statements:
        assert_cites(st, seed_body)


def test_a_line_without_a_full_stop_is_no_part_of_the_next_paragraphs_sentence(
    nlp: Language,
) -> None:
    text = (
        "Sources: Anna Kovalenko, a city councillor; Petro Marchenko, the regional governor\n\n"
        'Marchenko writes: "A neighbouring building was also hit. The damage is severe."'
    )
    (statement,) = statements_of(nlp, text)

    assert statement.speaker == "Petro Marchenko"
    assert text[statement.span.start :].startswith("Marchenko writes")

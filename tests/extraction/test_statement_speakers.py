"""Who spoke: every quote gets a name, a description of an unnamed source, or no one.

The sentences are written for these tests; none comes from the dev data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from timeline.extraction.actors import extract_actors
from timeline.extraction.nlp import get_nlp
from timeline.extraction.statements import extract_statements
from timeline.extraction.types import ExtractedActor, ExtractedStatement

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def extract(nlp: Language, text: str) -> tuple[list[ExtractedStatement], list[ExtractedActor]]:
    doc = nlp(text)
    actors = extract_actors(doc)
    return extract_statements(doc, actors), actors


def quote(statements: list[ExtractedStatement], content: str) -> ExtractedStatement:
    found = [s for s in statements if s.kind != "reported" and s.content.startswith(content)]
    assert len(found) == 1, (content, statements)
    return found[0]


def spoken(st: ExtractedStatement, text: str) -> str | None:
    return st.speaker_span.excerpt(text) if st.speaker_span else None


# --- agreement ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second",
    [("Tom Baker", "Anna Price"), ("Anna Price", "Tom Baker")],
)
def test_she_after_a_man_and_a_woman_is_the_woman(nlp: Language, first: str, second: str) -> None:
    text = f"{first} met {second} in Geneva on Monday.\n\n“It went well,” she said."
    st = quote(extract(nlp, text)[0], "It went well")

    assert st.speaker == "Anna Price"
    assert spoken(st, text) == "she"


@pytest.mark.parametrize(
    "first, second",
    [("Tom Baker", "Anna Price"), ("Anna Price", "Tom Baker")],
)
def test_he_after_a_man_and_a_woman_is_the_man(nlp: Language, first: str, second: str) -> None:
    text = f"{first} met {second} in Geneva on Monday.\n\n“It went well,” he said."

    assert quote(extract(nlp, text)[0], "It went well").speaker == "Tom Baker"


def test_a_pronoun_is_the_person_the_text_turned_to_last(nlp: Language) -> None:
    text = (
        "“The budget is a mistake,” said Tom Baker, who chairs the finance committee.\n\n"
        "Peter Hall dismisses the criticism. “We balanced every line,” he said."
    )

    assert quote(extract(nlp, text)[0], "We balanced").speaker == "Peter Hall"


def test_a_pronoun_goes_on_with_the_same_pronoun_across_paragraphs(nlp: Language) -> None:
    text = (
        "Maria Lopez waited outside the court with her lawyer.\n\n"
        "“We are ready,” she says.\n\n"
        "She then walks to the door and knocks twice.\n\n"
        "The guards do not answer for a long time.\n\n"
        "Two clerks look out of a window and wave.\n\n"
        "“We will wait all day,” she said."
    )

    assert quote(extract(nlp, text)[0], "We will wait").speaker == "Maria Lopez"


def test_a_relative_who_shares_a_surname_is_not_the_famous_one(nlp: Language) -> None:
    text = (
        "Senator Robert Keane spoke in Ohio on Monday. Keane wants a new tax plan.\n\n"
        "In an essay last week, Lucy Keane acknowledged their uphill battle."
    )
    statements, _ = extract(nlp, text)

    assert [s.speaker for s in statements if s.content.startswith("their uphill")] != [
        "Robert Keane"
    ]


def test_a_hyphenated_name_missed_by_the_tagger_still_speaks(nlp: Language) -> None:
    text = (
        "Foreign minister Lee Jae-sung condemned what he called a “shameful attack” on the embassy."
    )
    st = quote(extract(nlp, text)[0], "shameful attack")

    assert st.speaker is not None and "Jae-sung" in st.speaker


def test_the_one_newcomer_of_a_paragraph_speaks_the_quote_after_it(nlp: Language) -> None:
    text = (
        "Senator Tom Baker spoke in Ohio on Monday.\n\n"
        "While Baker had a crowd of thousands, the turnout worries Peter Hall, chairman of the "
        "county party.\n\n"
        "“We need more volunteers,” he said."
    )

    assert quote(extract(nlp, text)[0], "We need more").speaker == "Peter Hall"


def test_a_numbered_thing_is_no_person_for_a_pronoun(nlp: Language) -> None:
    text = (
        "Anna Price said she felt the 19th Amendment was worth a film because “few people "
        "know its story,” she said."
    )

    assert quote(extract(nlp, text)[0], "few people").speaker == "Anna Price"


def test_a_numbered_thing_the_parse_splits_is_still_no_person(nlp: Language) -> None:
    text = (
        "Mara Quill directed the film. Quill said she felt the 13th Amendment was worth "
        "examining because “most people don’t know about that loop-hole,” she said."
    )

    assert quote(extract(nlp, text)[0], "most people").speaker == "Mara Quill"


# --- never a name inside a quotation -----------------------------------------------------------


def test_a_name_inside_a_quote_is_never_the_speaker(nlp: Language) -> None:
    text = (
        "Tom Baker arrived in Geneva on Monday.\n\n"
        "“Maria Lopez called me last night,” he said.\n\n"
        "“It was useful,” she said."
    )
    statements = extract(nlp, text)[0]

    assert quote(statements, "Maria Lopez called").speaker == "Tom Baker"
    later = quote(statements, "It was useful")
    assert later.speaker != "Maria Lopez"
    assert later.speaker is None


# --- quotation marks that are no statement -----------------------------------------------------


def test_a_scare_quote_is_left_unattributed(nlp: Language) -> None:
    text = (
        "Tom Baker spoke in Geneva on Monday.\n\n"
        "The so-called “peacekeepers” crossed the border at dawn."
    )
    statements = extract(nlp, text)[0]

    scare = [s for s in statements if s.content == "peacekeepers"]
    assert all(s.speaker is None and s.confidence < 0.5 for s in scare)


def test_a_headline_quote_is_left_unattributed(nlp: Language) -> None:
    text = (
        "Baker Calls Budget Plan ‘Reckless’ As Talks Collapse\n\n"
        "Tom Baker spoke to reporters in Geneva on Monday."
    )
    statements = extract(nlp, text)[0]

    assert not [s for s in statements if s.content.startswith("Reckless") and s.speaker]


# --- descriptive sources -----------------------------------------------------------------------


def test_an_unnamed_official_is_a_description_not_the_state(nlp: Language) -> None:
    text = "“We will not accept this,” said a senior U.S. official."
    st = quote(extract(nlp, text)[0], "We will not")

    assert st.speaker is None
    assert st.speaker_description == "a senior U.S. official"


def test_a_source_asking_for_anonymity_gives_one_statement(nlp: Language) -> None:
    text = "“The sanctions are ready,” said a Western diplomat, who asked not to be identified."
    statements = extract(nlp, text)[0]

    assert [(s.kind, s.content) for s in statements] == [("direct", "The sanctions are ready")]
    assert statements[0].speaker_description == "a Western diplomat"


def test_a_description_with_a_role_is_the_person_given_that_role(nlp: Language) -> None:
    text = (
        "Senator Anna Price spoke after Tom Baker on Monday.\n\n"
        "“We have the votes,” the senator said."
    )
    st = quote(extract(nlp, text)[0], "We have the votes")

    assert st.speaker == "Anna Price"
    assert spoken(st, text) == "the senator"


# --- names are names ---------------------------------------------------------------------------


def test_a_title_is_not_part_of_the_name(nlp: Language) -> None:
    text = "“We have work to do,” Chairperson Jane Doe said on Monday."
    statements, actors = extract(nlp, text)

    assert quote(statements, "We have work").speaker == "Jane Doe"
    doe = next(a for a in actors if a.name == "Jane Doe")
    assert doe.title == "Chairperson"
    assert not [a for a in actors if "Chairperson" in a.name]


def test_a_party_and_state_after_the_name_are_not_the_speaker(nlp: Language) -> None:
    text = "“The bill is dead,” Sen. Jane Doe (D-Ore.) said."

    assert quote(extract(nlp, text)[0], "The bill").speaker == "Jane Doe"


# --- quotes in pieces --------------------------------------------------------------------------


def test_a_quote_split_around_its_cue_has_one_speaker(nlp: Language) -> None:
    text = "“We are ready,” Jane Doe said, “and we will not wait.”"
    statements = extract(nlp, text)[0]

    assert quote(statements, "We are ready").speaker == "Jane Doe"
    assert quote(statements, "and we will not wait").speaker == "Jane Doe"


def test_a_quote_over_two_paragraphs_keeps_its_speaker(nlp: Language) -> None:
    text = (
        "“The first paragraph runs on,” said Jane Doe. “Its quote is not closed.\n\n"
        "“The second one carries on and ends here.”\n\n"
        "Talks resumed on Friday."
    )
    statements = extract(nlp, text)[0]

    second = quote(statements, "The second one")
    assert second.kind == "direct"
    assert second.speaker == "Jane Doe"
    assert second.confidence >= 0.5


def test_a_continuation_cue_resolves_to_the_speaker(nlp: Language) -> None:
    text = (
        "“Prices will fall,” said Tom Baker, the finance minister.\n\n"
        "“Wages will follow,” he added."
    )

    assert quote(extract(nlp, text)[0], "Wages will").speaker == "Tom Baker"


# --- partial quotes and the verb that puts them on someone --------------------------------------


def test_a_participle_after_an_issued_statement_is_its_issuers(nlp: Language) -> None:
    text = (
        "The Arctic Council issued a statement calling the spill “a grave failure” of the operator."
    )

    assert quote(extract(nlp, text)[0], "a grave failure").speaker == "Arctic Council"


def test_a_quote_under_a_subject_that_says_nothing_is_the_speakers_above(
    nlp: Language,
) -> None:
    text = (
        "Governor Tom Baker said the recent wave of floods demands that every town invest in "
        "“better drains” this year."
    )

    assert quote(extract(nlp, text)[0], "better drains").speaker == "Tom Baker"


def test_likening_puts_words_on_the_subject(nlp: Language) -> None:
    text = "At a rally, Tom Baker likened the new tax to “a hand in every pocket” on Monday."

    assert quote(extract(nlp, text)[0], "a hand in every").speaker == "Tom Baker"


def test_a_name_in_apposition_to_a_common_noun_speaks(nlp: Language) -> None:
    text = "Another critic, Peter Hall, likened the plan to “a tax on hope” in a letter."

    assert quote(extract(nlp, text)[0], "a tax on hope").speaker == "Peter Hall"


def test_a_participle_after_a_quote_keeps_the_frame_before_it(nlp: Language) -> None:
    text = (
        "The mine closed in May.\n\n"
        "In a statement, Northfield Mining said: “The closure was planned for years,” adding "
        "that its workers would be paid."
    )

    assert quote(extract(nlp, text)[0], "The closure was").speaker == "Northfield Mining"


def test_a_pronoun_inside_the_quote_is_never_the_subject_of_its_cue(nlp: Language) -> None:
    text = (
        "“We need a plan,” Anna Price said, suggesting a few questions, including, “Do you "
        "really think the budget adds up?”"
    )

    assert quote(extract(nlp, text)[0], "Do you really").speaker == "Anna Price"


def test_a_partial_quote_in_a_sentence_according_to_someone_is_theirs(nlp: Language) -> None:
    text = "According to union leader Anna Price, the offer reeks of “panic” and haste."

    assert quote(extract(nlp, text)[0], "panic").speaker == "Anna Price"


def test_a_partial_quote_as_someone_put_it_is_theirs(nlp: Language) -> None:
    text = "The reform is a “slow-motion disaster,” as Tom Baker put it in his column."

    assert quote(extract(nlp, text)[0], "slow-motion disaster").speaker == "Tom Baker"


def test_a_partial_quote_after_as_is_the_subject_of_its_verb(nlp: Language) -> None:
    text = "In recent weeks, Anna Price has gone after the mayor as a “career bluffer.”"

    assert quote(extract(nlp, text)[0], "career bluffer").speaker == "Anna Price"


def test_a_partial_quote_in_someones_claim_is_theirs(nlp: Language) -> None:
    text = (
        "Reporters checked Tom Baker’s claim that there were “hundreds of closures” in the "
        "county last year."
    )

    assert quote(extract(nlp, text)[0], "hundreds of closures").speaker == "Tom Baker"


def test_quoted_words_with_no_source_in_the_sentence_stay_unattributed(nlp: Language) -> None:
    text = "Tom Baker spoke on Monday. The so-called “reform” passed on Tuesday."

    assert quote(extract(nlp, text)[0], "reform").speaker is None


def test_a_partial_quote_after_as_finds_its_verb_when_the_parse_hangs_as_elsewhere(
    nlp: Language,
) -> None:
    text = (
        "Senate Minority Leader Anna Price (D-Ohio), in particular, has been steadily pounding "
        "the governor as a “con artist” ― just as she did with his rival in 2012."
    )

    assert quote(extract(nlp, text)[0], "con artist").speaker == "Anna Price"


def test_a_stage_direction_in_a_transcript_is_nobodys_words(nlp: Language) -> None:
    text = "“BAKER: We will vote no.\n\n“(APPLAUSE.)\n\n“PRICE: Then we lose.”"
    statements, _ = extract(nlp, text)

    assert not [s for s in statements if "APPLAUSE" in s.content]


# --- cues without a verb -----------------------------------------------------------------------


def test_according_to_before_a_quote_names_its_speaker(nlp: Language) -> None:
    text = "According to Jane Doe, “the plan will not survive the winter.”"
    st = quote(extract(nlp, text)[0], "the plan will not")

    assert st.speaker == "Jane Doe"
    assert st.confidence >= 0.5


def test_a_name_and_a_colon_before_a_quote_name_its_speaker(nlp: Language) -> None:
    text = "Tom Baker spoke after the vote.\n\nBaker: “We lost, but we will be back.”"
    st = quote(extract(nlp, text)[0], "We lost")

    assert st.speaker == "Tom Baker"
    assert st.confidence >= 0.5


# --- unattributed: neither a name nor a description ----------------------------------------------


def test_a_quote_whose_subject_names_no_one_is_left_for_review(nlp: Language) -> None:
    text = "Tom Baker spoke on Monday. The long delay showed “a failure of nerve,” the report said."
    statements = extract(nlp, text)[0]

    st = quote(statements, "a failure of nerve")
    assert st.speaker is None
    assert st.confidence >= 0.5  # "the report" is a source, described
    assert st.speaker_description == "the report"


def test_a_plural_pronoun_with_no_one_to_stand_for_is_unattributed(nlp: Language) -> None:
    text = "The storm hit the coast on Monday.\n\n“We lost everything,” they said."
    st = quote(extract(nlp, text)[0], "We lost everything")

    assert st.speaker is None
    assert st.speaker_description == ""
    assert st.confidence < 0.5


def test_a_subject_that_names_no_source_leaves_a_quote_unattributed(nlp: Language) -> None:
    text = "Tom Baker spoke on Monday.\n\nThe long delay suggests “a failure of nerve” in the city."
    st = quote(extract(nlp, text)[0], "a failure of nerve")

    assert st.speaker is None
    assert st.speaker_description == ""
    assert st.confidence < 0.5


def test_a_quoted_title_opening_a_sentence_is_nobodys_words(nlp: Language) -> None:
    text = (
        "“We will play it again,” Jane Doe said on Monday.\n\n"
        "“Harbour Lights” was written by Tom Baker in 1990."
    )
    statements = extract(nlp, text)[0]

    assert not [s for s in statements if s.content.startswith("Harbour") and s.speaker]


def test_they_after_a_body_that_spoke_is_that_body(nlp: Language) -> None:
    text = (
        "“The port will close,” the Harbour Commission said on Monday.\n\n"
        "“We have no other choice,” they said."
    )
    st = quote(extract(nlp, text)[0], "We have no other")

    assert st.speaker == "Harbour Commission"
    assert spoken(st, text) == "they"


def test_my_father_is_a_description_not_someone_named(nlp: Language) -> None:
    text = "Tom Baker lost the vote on Monday.\n\n“We will try again,” my father said."
    st = quote(extract(nlp, text)[0], "We will try again")

    assert st.speaker is None
    assert st.speaker_description == "my father"

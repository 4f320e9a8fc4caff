"""Telling a republished copy from another outlet's own report, by the text alone."""

from __future__ import annotations

from timeline.extraction.article_text.copies import (
    SIGNATURE_SIZE,
    is_copy,
    shared_text,
    text_signature,
)

STORY = " ".join(
    f"Paragraph {n}: the convoy of armoured vehicles number {n} moved along road {n * 7} towards "
    f"the northern border before dawn, witnesses in village {n} told reporters."
    for n in range(1, 40)
)
OWN_WORDS = " ".join(
    f"Our correspondent counted trucks in town {n}, where residents packed cars at night {n}."
    for n in range(1, 40)
)


def test_a_signature_is_a_bounded_sketch_of_the_text() -> None:
    signature = text_signature(STORY)

    assert len(signature) == SIGNATURE_SIZE
    assert signature == sorted(signature)
    assert all(0 <= value < 2**63 for value in signature)


def test_a_text_too_short_for_one_run_of_words_has_no_signature() -> None:
    assert text_signature("Troops moved north.") == []
    assert not is_copy([], text_signature(STORY))


def test_the_same_story_in_other_case_and_spacing_is_a_copy() -> None:
    reprinted = STORY.upper().replace(" ", "  ")

    assert shared_text(text_signature(STORY), text_signature(reprinted)) == 1.0


def test_a_story_cut_short_with_a_paragraph_of_its_own_is_still_a_copy() -> None:
    half = STORY[: len(STORY) // 2] + " " + OWN_WORDS[:400]

    assert is_copy(text_signature(STORY), text_signature(half))


def test_reports_in_their_own_words_are_not_copies() -> None:
    assert shared_text(text_signature(STORY), text_signature(OWN_WORDS)) == 0.0
    assert not is_copy(text_signature(STORY), text_signature(OWN_WORDS))

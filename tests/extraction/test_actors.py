"""Actors: people, states, organisations, groups and media named in an article."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from evaluation import seed_article_path
from timeline.extraction.actors import (
    candidate_keys,
    canonical_state,
    extract_actors,
    match_key,
    normalise_name,
    same_actor,
)
from timeline.extraction.actors.geography import is_place_name, state_seat
from timeline.extraction.actors.matching import country_qualified, state_dropped
from timeline.extraction.article_text import parse_plain_text
from timeline.extraction.nlp import get_nlp
from timeline.extraction.types import ExtractedActor

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


@pytest.fixture(scope="session")
def seed_body() -> str:
    return parse_plain_text(seed_article_path().read_text(encoding="utf-8")).body


@pytest.fixture(scope="session")
def seed_actors(nlp: Language, seed_body: str) -> list[ExtractedActor]:
    return extract_actors(nlp(seed_body))


def actors_of(nlp: Language, text: str) -> dict[str, ExtractedActor]:
    return {a.name: a for a in extract_actors(nlp(text))}


def test_it_reads_the_title_and_state_in_front_of_a_name(nlp: Language) -> None:
    actors = actors_of(nlp, "British Defence Secretary Ben Wallace flew to Moscow on Friday.")

    wallace = actors["Ben Wallace"]
    assert wallace.kind == "person"
    assert wallace.title == "Defence Secretary"
    assert wallace.affiliation == "United Kingdom"


def test_it_reads_a_possessive_state_as_the_affiliation(nlp: Language) -> None:
    actors = actors_of(
        nlp, "Russia’s Chief of General Staff Valery Gerasimov held phone talks on Friday."
    )

    assert actors["Valery Gerasimov"].title == "Chief of General Staff"
    assert actors["Valery Gerasimov"].affiliation == "Russia"


def test_it_reads_a_demonym_as_the_affiliation(nlp: Language) -> None:
    actors = actors_of(nlp, "French President Emmanuel Macron visited on Monday.")

    assert actors["Emmanuel Macron"].title == "President"
    assert actors["Emmanuel Macron"].affiliation == "France"


def test_it_reads_a_title_without_a_state_and_leaves_the_state_to_the_directory(
    nlp: Language,
) -> None:
    actors = actors_of(nlp, "Defence Minister Sergei Shoigu told him Moscow would respond soon.")

    assert actors["Sergei Shoigu"].title == "Defence Minister"
    assert actors["Sergei Shoigu"].affiliation == ""


def test_it_reads_an_organisation_in_front_of_the_title_as_the_affiliation(nlp: Language) -> None:
    actors = actors_of(nlp, "NATO Secretary-General Jens Stoltenberg met Ukraine’s envoy.")

    assert actors["Jens Stoltenberg"].affiliation == "NATO"


def test_an_unknown_person_without_a_printed_state_has_none(nlp: Language) -> None:
    actors = actors_of(nlp, "Defence Minister Jan Kowalski said the drills would go on.")

    assert actors["Jan Kowalski"].title == "Defence Minister"
    assert actors["Jan Kowalski"].affiliation == ""


def test_it_merges_the_mentions_of_one_person(nlp: Language) -> None:
    text = "President Joe Biden spoke on Friday. Biden said more. Later, Biden left."
    actors = extract_actors(nlp(text))

    bidens = [a for a in actors if "Biden" in a.name]
    assert len(bidens) == 1
    biden = bidens[0]
    assert biden.name == "Joe Biden"
    assert biden.title == "President"
    assert "Biden" in biden.aliases
    assert [m.excerpt(text) for m in biden.mentions] == ["Joe Biden", "Biden", "Biden"]


def test_it_takes_a_capital_that_speaks_for_its_state(nlp: Language) -> None:
    text = "Moscow said the answers showed disrespect. The mission moved from Kyiv to Lviv."
    actors = actors_of(nlp, text)

    assert [m.excerpt(text) for m in actors["Russia"].mentions] == ["Moscow"]
    assert actors["Russia"].kind == "state"
    assert "Ukraine" not in actors  # Kyiv is only a place here
    assert "Lviv" not in actors


def test_it_takes_the_kremlin_for_russia(nlp: Language) -> None:
    actors = actors_of(nlp, "The Kremlin said on Friday the arrangement had been necessary.")

    assert "Kremlin" in actors["Russia"].aliases


def test_it_writes_each_state_one_way(nlp: Language) -> None:
    text = "The U.S. and Britain warned Russia. America and the UK acted together."
    actors = actors_of(nlp, text)

    assert {"United States", "United Kingdom", "Russia"} <= set(actors)
    assert len(actors["United States"].mentions) == 2
    assert len(actors["United Kingdom"].mentions) == 2


def test_it_does_not_take_a_demonym_for_an_actor(nlp: Language) -> None:
    actors = actors_of(nlp, "Russian troops massed as Western and British officials watched.")

    assert set(actors) == set()


def test_it_knows_a_news_agency_for_media(nlp: Language) -> None:
    actors = actors_of(nlp, "They held talks, Interfax news agency reported, citing a statement.")

    assert actors["Interfax"].kind == "media"
    assert "Interfax news agency" in actors["Interfax"].aliases


def test_it_names_a_state_ministry_after_its_state(nlp: Language) -> None:
    actors = actors_of(nlp, "Russia’s Foreign Ministry said on Friday it wanted answers.")

    ministry = actors["Russian Foreign Ministry"]
    assert ministry.kind == "organisation"
    assert ministry.affiliation == "Russia"


def test_a_body_named_with_and_without_its_state_is_one_actor(nlp: Language) -> None:
    actors = actors_of(
        nlp,
        "The U.S. State Department told Americans to leave. The State Department said "
        "commercial flights were still running.",
    )

    assert "State Department" not in actors
    department = actors["U.S. State Department"]
    assert department.affiliation == "United States"
    assert "State Department" in department.aliases
    assert len(department.mentions) == 2


def test_a_bare_name_two_states_bodies_share_joins_neither(nlp: Language) -> None:
    actors = actors_of(
        nlp,
        "Russia's Defence Ministry said the drills were over. Ukraine's Defence Ministry "
        "disagreed. The Defence Ministry in Kyiv said troops were still arriving.",
    )

    assert len(actors["Russian Defence Ministry"].mentions) == 1
    assert len(actors["Ukrainian Defence Ministry"].mentions) == 1


def test_a_state_opening_a_name_is_told_apart_from_the_rest() -> None:
    assert country_qualified("U.S. State Department") == ("United States", "State Department")
    assert country_qualified("Russia's Foreign Ministry") == ("Russia", "Foreign Ministry")
    assert country_qualified("the United States Navy") == ("United States", "Navy")
    assert country_qualified("State Department") is None
    assert country_qualified("Ukraine") is None


def test_it_finds_the_seed_articles_people_with_titles(
    seed_actors: list[ExtractedActor],
) -> None:
    people = {a.name: a for a in seed_actors if a.kind == "person"}

    assert (people["Antony Blinken"].title, people["Antony Blinken"].affiliation) == (
        "Secretary of State",
        "United States",
    )
    assert people["Mark Milley"].affiliation == "United States"
    assert people["Liz Truss"].affiliation == "United Kingdom"
    assert people["Boris Johnson"].title == "Prime Minister"
    assert {"Joe Biden", "Valery Gerasimov", "Ben Wallace", "Sergei Shoigu", "Putin"} <= set(people)


def test_it_finds_the_seed_articles_states_organisations_and_media(
    seed_actors: list[ExtractedActor],
) -> None:
    kinds = {a.name: a.kind for a in seed_actors}

    for state in ("Russia", "Ukraine", "United States", "United Kingdom", "France", "Japan"):
        assert kinds[state] == "state"
    assert kinds["NATO"] == kinds["EU"] == "organisation"
    assert kinds["Reuters"] == kinds["Interfax"] == kinds["NBC News"] == "media"
    assert "Americans" not in kinds
    assert "Lviv" not in kinds and "Crimea" not in kinds


def test_every_mention_reproduces_a_name_of_its_actor(
    seed_actors: list[ExtractedActor], seed_body: str
) -> None:
    for actor in seed_actors:
        assert actor.mentions, actor
        assert 0 < actor.confidence <= 1
        names = {normalise_name(n) for n in (actor.name, *actor.aliases)}
        for mention in actor.mentions:
            excerpt = mention.excerpt(seed_body)
            assert excerpt == excerpt.strip()
            # A state's body may be cited by its name without the state that stands before it:
            # "Foreign Ministry" in "Russia's Foreign Ministry".
            reproduced = normalise_name(excerpt) in names or state_dropped(actor.name, excerpt)
            assert reproduced or actor.kind == "state", (actor, excerpt)


def test_it_matches_state_names_across_articles() -> None:
    assert match_key("U.S.") == match_key("America") == match_key("United States")
    assert match_key("Britain") == match_key("the United Kingdom")
    assert canonical_state("UK") == "United Kingdom"
    assert canonical_state("Lviv") is None


def test_it_matches_a_surname_to_the_full_name() -> None:
    assert same_actor("Biden", "Joe Biden")
    assert same_actor("Joe Biden", "Joe R. Biden")
    assert same_actor("Interfax", "Interfax news agency", b_aliases=["Interfax"])
    assert not same_actor("Joe Biden", "Hunter Biden")
    assert not same_actor("Boris Johnson", "Joe Biden")


def test_it_folds_accents_case_and_possessives() -> None:
    assert normalise_name("Volodymyr Zelenskyy’s") == "volodymyr zelenskyy"
    assert normalise_name("The Élysée") == "elysee"


def test_candidate_keys_cover_name_aliases_and_surname() -> None:
    actor = ExtractedActor(name="Joe Biden", kind="person", aliases=["Biden", "President Biden"])

    assert candidate_keys(actor) == {"joe biden", "biden", "president biden"}


def test_it_keeps_the_office_not_the_rank(seed_actors: list[ExtractedActor]) -> None:
    milley = next(a for a in seed_actors if a.name == "Mark Milley")

    assert milley.title == "Joint Chiefs Chairman"


def test_the_capital_of_any_state_stands_for_it_where_it_speaks(nlp: Language) -> None:
    actors = actors_of(nlp, "Nairobi said on Friday it would send more troops to the border.")

    assert actors["Kenya"].kind == "state"


def test_a_capital_where_something_happens_is_no_actor(nlp: Language) -> None:
    actors = actors_of(nlp, "Protesters gathered in Nairobi on Friday.")

    assert "Kenya" not in actors and "Nairobi" not in actors


@pytest.mark.parametrize(
    ("name", "state"),
    [("Kyiv", "Ukraine"), ("Kiev", "Ukraine"), ("the Kremlin", "Russia"),
     ("Downing Street", "United Kingdom"), ("Brasilia", "Brazil"), ("Brussels", "European Union"),
     ("Kharkiv", None), ("Springfield", None)],
)  # fmt: skip
def test_capitals_and_seats_of_government_come_from_the_gazetteer(
    name: str, state: str | None
) -> None:
    assert state_seat(name) == state


@pytest.mark.parametrize(
    ("name", "label", "place"),
    [("Kharkiv", "PERSON", True), ("Donbas", "PERSON", True), ("Black Sea", "ORG", True),
     ("Leeds", "ORG", False), ("Pentagon", "ORG", False), ("Ukraine", "PERSON", False),
     ("Jan Kowalski", "PERSON", False)],
)  # fmt: skip
def test_a_place_the_tagger_took_for_a_person_or_body_is_known_from_the_gazetteer(
    name: str, label: str, place: bool
) -> None:
    assert is_place_name(name, label=label) is place


def test_a_capital_of_a_territory_is_not_taken_for_a_government() -> None:
    assert state_seat("Douglas") is None  # the Isle of Man's capital, and a first name


@pytest.mark.parametrize(
    "dateline",
    ["MELBOURNE, Australia – ", "MOSCOW (AP) — ", "KYIV, Feb 11 (Reuters) - "],
)
def test_the_place_a_story_is_filed_from_is_no_actor(nlp: Language, dateline: str) -> None:
    text = f"{dateline}Russia has sent more forces to its border with Ukraine, officials said."

    names = {actor.name for actor in extract_actors(nlp(text))}

    assert names & {"MELBOURNE", "Melbourne", "MOSCOW", "Moscow", "KYIV", "Kyiv", "AP"} == set()
    assert "Russia" in names


def test_a_hall_named_after_a_saint_is_no_person(nlp: Language) -> None:
    actors = actors_of(
        nlp, "The ceremony was held in the Kremlin's St. Catherine Hall, Vladimir Putin said."
    )

    assert "Catherine Hall" not in actors
    assert actors["Vladimir Putin"].kind == "person"

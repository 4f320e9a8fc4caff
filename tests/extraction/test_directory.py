"""The actor directory, applied: who a person named bare is, from what earlier articles printed."""

from __future__ import annotations

import datetime as dt

from timeline.extraction.actors.directory import (
    Directory,
    DirectoryPerson,
    DirectoryRole,
    apply_directory,
    printed_people,
)
from timeline.extraction.types import ExtractedActor

PUTIN = DirectoryPerson(
    name="Vladimir Putin",
    roles=(DirectoryRole(title="President", affiliation="Russia", seen=4),),
)
JOHNSON = DirectoryPerson(
    name="Boris Johnson",
    roles=(
        DirectoryRole(
            title="Prime Minister",
            affiliation="United Kingdom",
            valid_from=dt.date(2019, 7, 24),
            valid_to=dt.date(2022, 9, 6),
        ),
    ),
)
FEB_2022 = dt.date(2022, 2, 11)


def person(name: str, **fields: str) -> ExtractedActor:
    return ExtractedActor(name=name, kind="person", **fields)  # type: ignore[arg-type]


def test_a_surname_only_one_person_has_is_that_person() -> None:
    putin = person("Putin")

    apply_directory([putin], Directory([PUTIN]), on=FEB_2022)

    assert (putin.name, putin.title, putin.affiliation) == ("Vladimir Putin", "President", "Russia")
    assert "Putin" in putin.aliases


def test_what_the_article_prints_wins() -> None:
    putin = person("Vladimir Putin", title="Former President", affiliation="Kremlin")

    apply_directory([putin], Directory([PUTIN]), on=FEB_2022)

    assert (putin.title, putin.affiliation) == ("Former President", "Kremlin")


def test_a_role_counts_only_while_it_was_held() -> None:
    in_office, out_of_office = person("Boris Johnson"), person("Boris Johnson")

    apply_directory([in_office], Directory([JOHNSON]), on=FEB_2022)
    apply_directory([out_of_office], Directory([JOHNSON]), on=dt.date(2023, 1, 5))

    assert in_office.title == "Prime Minister"
    assert (out_of_office.title, out_of_office.affiliation) == ("", "")


def test_a_surname_two_people_share_is_left_alone() -> None:
    hillary = DirectoryPerson("Hillary Clinton", roles=(DirectoryRole(title="Secretary of State"),))
    bill = DirectoryPerson("Bill Clinton", roles=(DirectoryRole(title="President"),))
    clinton = person("Clinton")

    apply_directory([clinton], Directory([hillary, bill]), on=None)

    assert (clinton.name, clinton.title) == ("Clinton", "")


def test_an_editors_word_beats_what_articles_printed_more_often() -> None:
    printed = DirectoryRole(affiliation="Russian Federation", seen=30)
    confirmed = DirectoryRole(affiliation="Russia", confirmed=True, seen=0)
    shoigu = person("Sergei Shoigu")

    apply_directory(
        [shoigu], Directory([DirectoryPerson("Sergei Shoigu", roles=(printed, confirmed))]), on=None
    )

    assert shoigu.affiliation == "Russia"


def test_states_and_organisations_are_not_looked_up() -> None:
    organisation = ExtractedActor(name="Putin", kind="organisation")

    apply_directory([organisation], Directory([PUTIN]), on=FEB_2022)

    assert (organisation.name, organisation.affiliation) == ("Putin", "")


def test_the_directory_learns_only_full_names_with_something_printed() -> None:
    actors = [
        person("Vladimir Putin", title="President", affiliation="Russia"),
        person("Shoigu", title="Defence Minister"),
        person("Jane Doe"),
        ExtractedActor(name="NATO", kind="organisation", affiliation="NATO"),
    ]

    assert [a.name for a in printed_people(actors)] == ["Vladimir Putin"]

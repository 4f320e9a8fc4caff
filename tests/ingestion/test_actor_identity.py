"""One actor per person across articles: other forms of a name find the stored actor, and
namesakes and other states' bodies stay apart."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.factories import make_actor
from timeline.extraction.article_text import ParsedArticle
from timeline.ingestion import pipeline
from timeline.models import Actor, ActorAlias, Status

pytestmark = pytest.mark.django_db

_titles = itertools.count(1)


def ingest(body: str, day: dt.date = dt.date(2022, 2, 11)) -> None:
    published = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    parsed = ParsedArticle(title=f"Crisis talks, part {next(_titles)}", body=body)
    pipeline.article_ingest(parsed=parsed, published_at=published)


def people_named(surname: str) -> list[str]:
    return sorted(
        Actor.objects.filter(kind="person", name__icontains=surname).values_list("name", flat=True)
    )


def test_a_full_name_after_a_bare_surname_is_the_same_person_under_the_full_name() -> None:
    ingest("President Biden said on Friday that Americans should leave the country at once.")
    ingest("President Joe Biden spoke with his French counterpart on Saturday.")

    assert people_named("Biden") == ["Joe Biden"]
    biden = Actor.objects.get(name="Joe Biden")
    assert "Biden" in set(biden.aliases.values_list("name", flat=True))


def test_another_spelling_of_a_surname_is_the_same_person() -> None:
    ingest("Ukrainian President Volodymyr Zelensky said on Friday the border was calm.")
    ingest("President Zelenskiy told reporters on Saturday that panic helped no one.")

    assert people_named("Zelensk") == ["Volodymyr Zelensky"]


def test_a_bare_surname_two_stored_people_share_joins_neither() -> None:
    make_actor(name="Joe Biden", slug="joe-biden")
    make_actor(name="Hunter Biden", slug="hunter-biden")

    ingest("President Biden said on Friday that Americans should leave the country at once.")

    assert people_named("Biden") == ["Biden", "Hunter Biden", "Joe Biden"]


def test_a_bare_surname_two_stored_people_were_called_joins_neither() -> None:
    for name in ("Antony Blinken", "Sofia Blinken"):
        person = make_actor(name=name, slug=name.lower().replace(" ", "-"))
        ActorAlias.objects.create(actor=person, name="Blinken")

    ingest("Secretary of State Blinken said on Friday that an invasion could begin at any time.")

    assert people_named("Blinken") == ["Antony Blinken", "Blinken", "Sofia Blinken"]


def test_people_with_other_given_names_stay_apart() -> None:
    ingest("Antony Blinken said on Friday that an invasion could begin at any time.")
    ingest("Sofia Blinken said on Saturday that the talks had failed.")

    assert people_named("Blinken") == ["Antony Blinken", "Sofia Blinken"]


def test_a_published_actor_keeps_the_name_an_editor_gave_it() -> None:
    make_actor(
        name="Biden",
        slug="biden",
        status=Status.PUBLISHED,
        first_published_at=dt.datetime(2022, 2, 1, tzinfo=dt.UTC),
    )

    ingest("President Joe Biden spoke with his French counterpart on Saturday.")

    assert people_named("Biden") == ["Biden"]
    assert "Joe Biden" in set(Actor.objects.get().aliases.values_list("name", flat=True))


def test_one_states_ministry_never_joins_anothers_through_their_shared_name() -> None:
    ingest("Russia's Defence Ministry said on Friday that the drills were over.")
    ingest("Ukraine's Defence Ministry said on Saturday that the drills went on.")

    ministries = Actor.objects.filter(name__endswith="Defence Ministry")
    assert sorted(ministries.values_list("name", "affiliation__name")) == [
        ("Russian Defence Ministry", "Russia"),
        ("Ukrainian Defence Ministry", "Ukraine"),
    ]


def test_a_body_once_named_with_its_state_is_found_by_its_bare_name() -> None:
    ingest(
        "The U.S. State Department told Americans on Friday to leave Ukraine. The State "
        "Department said commercial flights were still running."
    )
    ingest("The State Department said on Saturday that the embassy would stay open.")

    assert Actor.objects.get(name__contains="State Department").name == "U.S. State Department"


def test_a_bare_body_of_no_known_state_is_not_taken_for_a_states() -> None:
    # "the Defence Ministry" alone may be any state's: joining it to one would be a guess.
    ingest("The Defence Ministry said on Friday that the drills were over.")
    ingest("Russia's Defence Ministry said on Saturday that the troops were going home.")

    assert Actor.objects.filter(name__endswith="Defence Ministry").count() == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The European Union condemned the move on Monday.", "The EU vowed sanctions on Monday."),
        ("The EU vowed sanctions on Monday.", "The European Union condemned the move on Monday."),
        (
            "The UN Security Council met on Monday night.",
            "The United Nations Security Council met on Monday night.",
        ),
    ],
)
def test_an_international_body_by_its_abbreviation_is_the_same_actor(
    first: str, second: str
) -> None:
    ingest(first)
    ingest(second)

    bodies = Actor.objects.exclude(kind="person").exclude(kind="state")
    assert bodies.count() == 1, list(bodies.values_list("name", flat=True))

"""Corroboration across outlets: a new article joins, and may fold together, what earlier ones
left apart — never against an editor's word."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.factories import make_actor, make_article, make_citation, make_event, quoted
from timeline.extraction import matching
from timeline.extraction.article_text import ParsedArticle
from timeline.extraction.matching import EventSketch
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    Extraction,
    ResolvedDate,
    Span,
)
from timeline.ingestion import pipeline
from timeline.models import Citation, Event, EventActor, EventCategory, Provenance, Status
from timeline.services import citations

SATURDAY = dt.date(2022, 2, 12)

# Two outlets' sentences about one phone call, worded apart, and a third that bridges them.
FIRST = "Joe Biden spoke with Vladimir Putin by telephone for an hour, warning of severe costs."
SECOND = "Biden warned Putin of severe costs during an hour-long telephone call, the Kremlin said."
BRIDGE = (
    "Joe Biden and Vladimir Putin spoke by telephone for an hour as Biden warned of severe costs."
)
# A sentence of the same day about something else the same two men did.
OTHER = "Putin hosted Biden's envoy at the Kremlin and Biden announced new sanctions on Russia."
# What else a crisis's day holds: the words of one happening are rare among them.
BACKGROUND = [
    "NATO defence ministers met in Brussels to discuss troop deployments in Poland.",
    "Russian warships entered the Black Sea from the Mediterranean for naval drills.",
    "The State Department ordered most embassy staff in Kyiv to leave the country.",
    "Britain sent anti-tank weapons to Ukraine by air.",
]


def sketch(
    key: object, text: str, *, article: object = None, foldable: bool = False
) -> EventSketch:
    return EventSketch(
        key=key,
        article=article,
        texts=(text,),
        start=SATURDAY,
        people=frozenset({"Joe Biden", "Vladimir Putin"}),
        foldable=foldable,
    )


def day_with(*events: EventSketch) -> list[EventSketch]:
    """The stored events: these, among the day's others."""
    others = [
        EventSketch(key=f"bg{n}", article=None, texts=(text,), start=SATURDAY)
        for n, text in enumerate(BACKGROUND)
    ]
    return [*events, *others]


class TestClustering:
    def test_a_new_event_folds_together_two_stored_drafts_of_one_happening(self) -> None:
        stored = day_with(sketch(1, FIRST, foldable=True), sketch(2, SECOND, foldable=True))

        [assignment] = matching.cluster([sketch(0, BRIDGE, article="c")], stored)

        assert assignment.stored == 1 and assignment.folded == (2,)

    def test_it_never_folds_two_events_an_editor_has_touched(self) -> None:
        stored = day_with(sketch(1, FIRST), sketch(2, SECOND))

        [assignment] = matching.cluster([sketch(0, BRIDGE, article="c")], stored)

        assert assignment.stored in (1, 2) and assignment.folded == ()

    def test_the_event_an_editor_touched_is_the_one_kept(self) -> None:
        stored = day_with(sketch(1, FIRST, foldable=True), sketch(2, SECOND))

        [assignment] = matching.cluster([sketch(0, BRIDGE, article="c")], stored)

        assert assignment.stored == 2 and assignment.folded == (1,)

    def test_a_sentence_telling_two_happenings_does_not_make_them_one(self) -> None:
        both = f"{FIRST[:-1]}, and {OTHER[0].lower()}{OTHER[1:]}"
        stored = day_with(sketch(1, FIRST, foldable=True), sketch(2, OTHER, foldable=True))

        [assignment] = matching.cluster([sketch(0, both, article="c")], stored)

        assert assignment.folded == ()

    def test_the_groups_do_not_depend_on_the_order_of_the_stored_events(self) -> None:
        stored = day_with(sketch(1, FIRST, foldable=True), sketch(2, SECOND, foldable=True))
        new = [sketch(0, BRIDGE, article="c")]

        forward = matching.cluster(new, stored)
        backward = matching.cluster(new, stored[::-1])

        assert {forward[0].stored, *forward[0].folded} == {backward[0].stored, *backward[0].folded}


def draft(key: object, text: str, **fields: Any) -> EventSketch:
    """A stored event (or, with `article`, a new one) of one sentence, on Saturday unless told."""
    return EventSketch(**{"article": None, "start": SATURDAY, **fields}, key=key, texts=(text,))


class TestFoldingBar:
    def test_two_drafts_a_new_sentence_bridges_fold_only_when_alike_as_two_outlets_must_be(
        self,
    ) -> None:
        denial = draft(
            1, "Russia denies it plans to invade Ukraine and says its troops are drilling.",
            foldable=True,
        )  # fmt: skip
        call = draft(
            2, "Biden spoke with Putin for an hour about the troops drilling on the border.",
            foldable=True,
        )  # fmt: skip
        bridge = draft(
            0, "Biden spoke with Putin for an hour; Russia denies it plans to invade.", article="c"
        )

        [assignment] = matching.cluster([bridge], day_with(denial, call))

        assert assignment.stored == 1 and assignment.folded == ()

    def test_a_publication_date_standing_in_for_a_date_agrees_with_that_day_and_the_one_before(
        self,
    ) -> None:
        text = "Russia denies it plans to invade Ukraine despite its buildup."
        friday = SATURDAY - dt.timedelta(days=1)
        undated = draft(1, text, start=friday, fallback=True)

        def dated(day: dt.date) -> EventSketch:
            return draft(0, text, article="b", start=day)

        assert matching.dates_agree(undated, dated(friday))
        assert matching.dates_agree(undated, dated(friday - dt.timedelta(days=1)))
        assert not matching.dates_agree(undated, dated(SATURDAY))  # reported before it happened
        assert not matching.dates_agree(undated, dated(friday - dt.timedelta(days=2)))
        [assignment] = matching.cluster([dated(SATURDAY)], day_with(undated))
        assert assignment.stored is None

    def test_two_publication_dates_agree_a_day_apart(self) -> None:
        text = "Russia denies it plans to invade Ukraine despite its buildup."
        friday = draft(1, text, start=SATURDAY - dt.timedelta(days=1), fallback=True)
        saturday = draft(0, text, article="b", fallback=True)

        assert matching.dates_agree(friday, saturday)


class TestOneQuotedUtterance:
    def test_two_outlets_quoting_the_same_words_report_one_occasion_whoever_they_credit(
        self,
    ) -> None:
        readout = draft(
            1, "The Kremlin's readout said the talks were tense, blaming “an atmosphere of "
            "unprecedented hysteria” on Washington.",
        )  # fmt: skip
        aide = draft(
            0, "An aide told reporters the call was calm despite the “atmosphere of "
            "unprecedented hysteria” abroad.",
            article="b",
        )  # fmt: skip

        [assignment] = matching.cluster([aide], day_with(readout))

        assert assignment.stored == 1

    def test_a_stock_phrase_of_three_quoted_words_is_not_one_utterance(self) -> None:
        assert matching.quoted_runs("Putin ordered a “special military operation” at dawn.") == (
            frozenset()
        )

    def test_the_same_quote_on_days_that_cannot_agree_is_not_one_occasion(self) -> None:
        text = "She said it was “an atmosphere of unprecedented hysteria” in the capital."
        earlier = draft(1, text, start=SATURDAY - dt.timedelta(days=5))

        [assignment] = matching.cluster([draft(0, text, article="b")], day_with(earlier))

        assert assignment.stored is None


class TestWording:
    def test_a_month_abbreviated_by_one_outlet_is_the_month_another_spells_out(self) -> None:
        assert matching.terms("set to end Feb. 20") & matching.terms("to finish on February 20")
        assert matching.terms("on Sept. 1") == matching.terms("on September 1")

    def test_an_outlet_writing_feb_20_is_matched_on_the_date_too(self) -> None:
        stored = day_with(sketch(1, "The Games end on February 20 in Beijing."))
        new = sketch(0, "The Games, hosted in Beijing, end Feb. 20.", article="b")

        [assignment] = matching.cluster([new], stored)

        assert assignment.stored == 1
        assert assignment.evidence is not None
        assert "february" in assignment.evidence.shared_words


# One Monday's news: the same two place names in sentences about different happenings.
RECOGNITION = "Moscow formally acknowledged Donetsk and Luhansk as sovereign states on Monday."
IN_OTHER_WORDS = (
    "Russia recognised the independence of Donetsk and Luhansk, the two separatist regions."
)
EAST_UKRAINE = "iso:UA"  # both placed in Ukraine


class TestMeaning:
    def test_a_near_miss_in_words_that_says_the_same_in_other_words_is_one_happening(
        self,
    ) -> None:
        stored = day_with(draft(1, IN_OTHER_WORDS, place=EAST_UKRAINE))

        [assignment] = matching.cluster(
            [draft(0, RECOGNITION, article="b", place=EAST_UKRAINE)], stored
        )

        assert assignment.stored == 1
        assert assignment.evidence is not None
        assert assignment.evidence.similarity < matching.MATCH_THRESHOLD
        assert assignment.evidence.meaning is not None
        assert assignment.evidence.meaning >= matching.MEANING_MATCH

    def test_the_same_names_in_a_sentence_about_something_else_stay_apart(self) -> None:
        shelling = draft(
            1,
            "Shelling hit Donetsk and Luhansk overnight, killing two soldiers.",
            place=EAST_UKRAINE,
        )

        [assignment] = matching.cluster(
            [draft(0, RECOGNITION, article="b", place=EAST_UKRAINE)], day_with(shelling)
        )

        assert assignment.stored is None

    def test_a_near_miss_where_only_one_names_a_person_is_not_encoded(self) -> None:
        stored = day_with(draft(1, IN_OTHER_WORDS))
        new = draft(0, RECOGNITION, article="b", people=frozenset({"Vladimir Putin"}))

        evidence = matching.compare(new, stored[0], matching.Weights([new, *stored]))

        assert evidence is not None
        assert matching.NEAR_MISS <= evidence.score < matching.MATCH_THRESHOLD
        assert evidence.meaning is None

    def test_a_deed_of_a_state_or_ministry_told_in_other_words_is_one_happening(self) -> None:
        # Neither names a person (nor a place): only what the sentences mean can tell.
        stored = day_with(draft(1, IN_OTHER_WORDS))

        [assignment] = matching.cluster([draft(0, RECOGNITION, article="b")], stored)

        assert assignment.stored == 1
        assert assignment.evidence is not None
        assert assignment.evidence.meaning is not None

    def test_a_match_in_words_is_made_without_the_embedding(self) -> None:
        stored = day_with(sketch(1, FIRST))

        evidence = matching.compare(
            sketch(0, BRIDGE, article="b"), stored[0], matching.Weights(stored)
        )

        assert evidence is not None
        assert evidence.score >= matching.MATCH_THRESHOLD
        assert evidence.meaning is None


def stored_draft(text: str, outlet: str) -> Event:
    """An event an earlier article left as a machine draft of its own, with both men on it."""
    article = make_article(text=text, title=f"{outlet} report")
    event = make_event(
        title=f"{outlet}: Biden and Putin speak",
        start_date=SATURDAY,
        category=EventCategory.objects.get(slug="diplomatic"),
        provenance=Provenance.MACHINE,
        status=Status.DRAFT,
    )
    make_citation(article=article, event=event, start=0, end=len(text))
    for name in ("Joe Biden", "Vladimir Putin"):
        actor = make_actor(name=name, slug=name.lower().replace(" ", "-"))
        EventActor.objects.create(event=event, actor=actor, role=EventActor.Role.PARTICIPANT)
    return event


def bridging_extraction(text: str, published: dt.date) -> Extraction:
    return Extraction(
        actors=[
            ExtractedActor(name="Joe Biden", kind="person", aliases=["Biden"]),
            ExtractedActor(name="Vladimir Putin", kind="person", aliases=["Putin"]),
        ],
        events=[
            ExtractedEvent(
                title="Biden and Putin speak by telephone",
                summary="",
                span=Span(0, len(text)),
                date=ResolvedDate(SATURDAY, None, "day", None),
                category="diplomatic",
                actors=[("Joe Biden", "participant"), ("Vladimir Putin", "participant")],
            )
        ],
    )


def ingest_bridge() -> None:
    pipeline.article_ingest(
        parsed=ParsedArticle(
            title="Third report",
            body=BRIDGE,
            source_name="Third outlet",
            published_at=dt.datetime(2022, 2, 12, 20, 0, tzinfo=dt.UTC),
        ),
        extract=bridging_extraction,
    )


@pytest.mark.django_db
class TestFoldingStoredDrafts:
    @pytest.fixture
    def two_drafts(self) -> tuple[Event, Event]:
        for n, text in enumerate(BACKGROUND):
            make_citation(
                article=make_article(text=text, title=f"Background {n}"),
                event=make_event(title=text[:40], start_date=SATURDAY, status=Status.PUBLISHED),
                start=0,
                end=len(text),
            )
        first = stored_draft(FIRST, "First")
        # The second outlet's actors are the first's: one person, one actor.
        second_article = make_article(text=SECOND, title="Second report")
        second = make_event(
            title="Second: call lasts an hour",
            start_date=SATURDAY,
            category=first.category,
            provenance=Provenance.MACHINE,
            status=Status.DRAFT,
        )
        make_citation(article=second_article, event=second, start=0, end=len(SECOND))
        for role in first.roles.all():
            EventActor.objects.create(event=second, actor=role.actor, role=role.role)
        return first, second

    def test_a_third_outlet_makes_the_two_one_event_citing_all_three(
        self, two_drafts: tuple[Event, Event]
    ) -> None:
        first, second = two_drafts

        ingest_bridge()

        assert not Event.objects.filter(pk=second.pk).exists()
        cited = first.citations.order_by("pk")
        assert cited.count() == 3
        assert [c.proposed for c in cited] == [False, True, True]

    def test_a_folded_citation_split_off_gives_the_event_back(
        self, two_drafts: tuple[Event, Event], publisher: User
    ) -> None:
        ingest_bridge()
        folded = Citation.objects.get(article__title="Second report")

        restored = citations.citation_split(citation=folded, by=publisher)

        assert isinstance(restored, Event)
        assert restored.title == "Second: call lasts an hour"
        assert {r.actor.name for r in restored.roles.all()} == {"Joe Biden", "Vladimir Putin"}

    def test_once_an_editor_split_them_they_are_never_folded_again(
        self, two_drafts: tuple[Event, Event], publisher: User
    ) -> None:
        ingest_bridge()
        citations.citation_split(
            citation=Citation.objects.get(article__title="Second report"), by=publisher
        )
        split_apart = Event.objects.count()

        pipeline.article_ingest(
            parsed=ParsedArticle(
                title="Fourth report",
                body=BRIDGE + " Both sides called it frank.",
                source_name="Fourth outlet",
                published_at=dt.datetime(2022, 2, 12, 21, 0, tzinfo=dt.UTC),
            ),
            extract=bridging_extraction,
        )

        assert Event.objects.count() == split_apart
        assert Event.objects.get(title="Second: call lasts an hour")

    def test_a_published_event_is_never_folded_into_another(
        self, two_drafts: tuple[Event, Event]
    ) -> None:
        first, second = two_drafts
        Event.objects.filter(pk__in=[first.pk, second.pk]).update(status=Status.PUBLISHED)

        ingest_bridge()

        assert Event.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


class TestRemarksOfOneOccasion:
    def voice(self, key: object, text: str, day: dt.date, *, article: object = None) -> EventSketch:
        return EventSketch(
            key=key,
            article=article,
            texts=(text,),
            start=day,
            people=frozenset({"Jake Sullivan"}),
            speakers=frozenset({"Jake Sullivan"}),
        )

    def test_two_outlets_quoting_one_person_on_one_day_report_one_occasion(self) -> None:
        stored = day_with(
            self.voice(1, "“There is a genuine risk of an attack,” he said.", SATURDAY)
        )
        new = self.voice(
            0, "“We have a sufficient level of concern,” Sullivan said.", SATURDAY, article="b"
        )

        [assignment] = matching.cluster([new], stored)

        assert assignment.stored == 1
        assert assignment.evidence is not None
        assert assignment.evidence.shared_people == ("sullivan",)

    def test_the_same_person_quoted_on_another_day_is_another_occasion(self) -> None:
        sunday = SATURDAY + dt.timedelta(days=1)
        stored = day_with(
            self.voice(1, "“There is a genuine risk of an attack,” he said.", SATURDAY)
        )
        new = self.voice(
            0, "“We have a sufficient level of concern,” Sullivan said.", sunday, article="b"
        )

        [assignment] = matching.cluster([new], stored)

        assert assignment.stored is None

    def test_a_person_quoted_on_a_day_only_the_publication_date_gives_is_no_occasion(
        self,
    ) -> None:
        stored = day_with(
            self.voice(1, "“There is a genuine risk of an attack,” he said.", SATURDAY)
        )
        new = replace(
            self.voice(
                0, "“We have a sufficient level of concern,” Sullivan said.", SATURDAY, article="b"
            ),
            fallback=True,
        )

        [assignment] = matching.cluster([new], stored)

        assert assignment.stored is None


def remark_extraction(quote: str) -> Callable[[str, dt.date], Extraction]:
    """An article quoting Jake Sullivan, with an event on the quote's sentence."""

    def extract(text: str, published: dt.date) -> Extraction:
        speaker, statement = quoted(quote, text, speaker="Jake Sullivan")
        return Extraction(
            actors=[speaker],
            statements=[statement],
            events=[
                ExtractedEvent(
                    title="Sullivan warns",
                    summary="",
                    span=Span(0, len(text)),
                    date=ResolvedDate(SATURDAY, None, "day", None),
                    category="statement",
                )
            ],
        )

    return extract


@pytest.mark.django_db
def test_a_quote_from_the_same_briefing_in_another_outlet_joins_its_event() -> None:
    first_quote, second_quote = "There is a genuine risk", "We have a sufficient level of concern"
    for n, quote in enumerate((first_quote, second_quote)):
        pipeline.article_ingest(
            parsed=ParsedArticle(
                title=f"Report {n}",
                body=f"“{quote},” Jake Sullivan said at the White House.",
                source_name=f"Outlet {n}",
                published_at=dt.datetime(2022, 2, 12, 20, n, tzinfo=dt.UTC),
            ),
            extract=remark_extraction(quote),
        )

    event = Event.objects.get()
    assert event.citations.count() == 2


@pytest.mark.django_db
class TestDateFromAnotherReport:
    """A machine draft dated only by its article's publication takes the date another outlet
    gives the same happening; an editor's event keeps the date the editor left."""

    def undated_draft(self, **fields: object) -> Event:
        event = stored_draft(FIRST, "First")
        Event.objects.filter(pk=event.pk).update(
            start_date=SATURDAY + dt.timedelta(days=1),
            date_is_fallback=True,
            date_source="publication",
            **fields,
        )
        return event

    def test_the_draft_takes_the_date_the_new_report_gives(self) -> None:
        event = self.undated_draft()

        ingest_bridge()

        event.refresh_from_db()
        assert (event.start_date, event.date_is_fallback) == (SATURDAY, False)
        assert event.citations.count() == 2
        assert event.history.count() == 2  # the change is in the event's history

    def test_an_event_an_editor_touched_keeps_its_date(self) -> None:
        event = self.undated_draft(edited_by_editor=True)

        ingest_bridge()

        event.refresh_from_db()
        assert event.citations.count() == 2  # matched all the same
        assert (event.start_date, event.date_is_fallback) == (
            SATURDAY + dt.timedelta(days=1),
            True,
        )


class TestKinds:
    def test_a_deployment_and_a_treaty_of_one_leader_one_day_are_two_happenings(self) -> None:
        treaty = draft(
            1, "Putin signed treaties with the two breakaway regions after recognising them.",
            category="diplomatic", people=frozenset({"Vladimir Putin"}),
        )  # fmt: skip
        deployment = draft(
            0, "Putin ordered troops into the two breakaway regions after recognising them.",
            article="b", category="military", people=frozenset({"Vladimir Putin"}),
        )  # fmt: skip

        [assignment] = matching.cluster([deployment], day_with(treaty))

        assert not matching.kinds_agree(treaty, deployment)
        assert assignment.stored is None

    def test_a_remark_may_tell_any_kind_of_happening(self) -> None:
        deed = draft(1, "Russia pulled troops back to their bases.", category="military")
        remark = draft(0, "Russia said its troops went back to bases.", category="statement")

        assert matching.kinds_agree(deed, remark)


class TestTenses:
    RETURNING = "Units of the Southern and Western districts returned to their bases after drills."

    def test_what_was_announced_for_the_day_it_happened_is_what_happened(self) -> None:
        announced = draft(
            1, "Units of the Southern and Western districts will today begin returning to bases.",
            scheduled=True,
        )  # fmt: skip

        happened = draft(0, self.RETURNING, article="b")

        [assignment] = matching.cluster([happened], day_with(announced))

        assert assignment.stored == 1

    def test_what_was_announced_for_a_later_day_is_not_what_happened_before_it(self) -> None:
        announced = draft(
            1, "Units of the Southern and Western districts will begin returning to bases.",
            scheduled=True, start=SATURDAY + dt.timedelta(days=1),
        )  # fmt: skip
        happened = draft(0, self.RETURNING, article="b", start=SATURDAY + dt.timedelta(days=1))

        assert not matching.tenses_agree(announced, draft(0, self.RETURNING, article="b"))
        assert matching.tenses_agree(announced, happened)


class TestPeople:
    """A person both events name adds to their likeness as far as few other events name them."""

    def day_naming(self, people: frozenset[str]) -> list[EventSketch]:
        return [
            EventSketch(key=f"bg{n}", article=None, texts=(text,), start=SATURDAY, people=people)
            for n, text in enumerate(BACKGROUND)
        ]

    def evidence(self, others: list[EventSketch]) -> matching.Evidence:
        new, stored = sketch(0, FIRST, article="b"), sketch(1, SECOND)
        evidence = matching.compare(new, stored, matching.Weights([new, stored, *others]))
        assert evidence is not None
        return evidence

    def test_a_person_no_other_event_names_adds_the_whole_bonus(self) -> None:
        evidence = self.evidence(self.day_naming(frozenset()))

        assert evidence.shared_people == ("biden", "putin")
        assert evidence.score == pytest.approx(
            evidence.similarity + matching.SHARED_PERSON_BONUS, abs=0.002
        )

    def test_a_person_every_event_of_the_day_names_adds_nothing(self) -> None:
        evidence = self.evidence(self.day_naming(frozenset({"Joe Biden", "Vladimir Putin"})))

        assert evidence.score == pytest.approx(evidence.similarity, abs=0.002)

    def test_the_rarer_of_the_people_both_name_decides(self) -> None:
        evidence = self.evidence(self.day_naming(frozenset({"Vladimir Putin"})))

        assert evidence.score == pytest.approx(
            evidence.similarity + matching.SHARED_PERSON_BONUS, abs=0.002
        )


class TestDoers:
    """Two events whose doers are different persons are two doings, unless each takes part in
    the other's (one call told from either end)."""

    MACRON, PUTIN, BIDEN = "Emmanuel Macron", "Vladimir Putin", "Joe Biden"

    def doing(self, key: object, text: str, agent: str, *others: str, **fields: Any) -> EventSketch:
        return draft(
            key, text, agents=frozenset({agent}), people=frozenset({agent, *others}), **fields
        )

    def test_a_call_to_macron_is_not_macron_s_call_for_a_meeting(self) -> None:
        meeting = self.doing(1, "Macron said he has called for an emergency meeting.", self.MACRON)
        call = self.doing(
            0, "Putin held a phone call with Macron and Scholz.", self.PUTIN, self.MACRON,
            article="b",
        )  # fmt: skip

        assert not matching.agents_agree(meeting, call)
        [assignment] = matching.cluster([call], day_with(meeting))
        assert assignment.stored is None

    def test_one_call_told_from_either_end_is_one_happening(self) -> None:
        spoke = self.doing(1, "Biden spoke with Macron by phone.", self.BIDEN, self.MACRON)
        told = self.doing(0, "Macron spoke with Biden by phone.", self.MACRON, self.BIDEN)

        assert matching.agents_agree(spoke, told)

    def test_an_event_without_a_person_doing_it_agrees_with_any_doer(self) -> None:
        council = draft(1, "The council will meet in an emergency session.")
        called = self.doing(0, "Macron called for an emergency session.", self.MACRON)

        assert matching.agents_agree(council, called)


def test_a_range_of_days_agrees_only_with_the_days_beside_it() -> None:
    last_week = draft(
        1, "The administration warned last week.",
        start=dt.date(2022, 2, 7), end=dt.date(2022, 2, 13), precision="week",
    )  # fmt: skip
    a_week_on = draft(0, "Biden condemned the decision.", start=dt.date(2022, 2, 16))
    the_day_after = draft(0, "Biden condemned the decision.", start=dt.date(2022, 2, 14))
    a_lone_week = draft(
        1, "The administration warned.", start=dt.date(2022, 2, 7), precision="week"
    )
    assert not matching.dates_agree(a_lone_week, a_week_on)

    assert not matching.dates_agree(last_week, a_week_on)
    assert matching.dates_agree(last_week, the_day_after)
    on_its_sunday = draft(0, "Biden condemned the decision.", start=dt.date(2022, 2, 13))
    assert matching.dates_agree(a_lone_week, on_its_sunday)  # its start stands for its week


def test_two_events_of_one_article_that_share_only_how_a_person_is_titled_stay_two() -> None:
    # Both name "Russian President Vladimir Putin"; one is his deed, the other done to him.
    putin = frozenset({"Vladimir Putin"})
    call = draft(
        0, "Russian President Vladimir Putin called on the army to take power in Kyiv.",
        article="a", people=putin, agents=putin,
    )  # fmt: skip
    sanction = draft(
        1, "Washington plans to sanction Russian President Vladimir Putin himself.",
        article="a", people=putin,
    )  # fmt: skip
    retold = draft(
        2, "Putin called on the army in Kyiv to take power, the Kremlin said.",
        article="a", people=putin, agents=putin,
    )  # fmt: skip

    first, second, third = matching.cluster([call, sanction, retold], day_with())
    assert first.leader == third.leader == 0
    assert second.leader == 1


def test_a_person_two_undated_events_name_is_no_evidence_they_are_one() -> None:
    order = "Putin gave the order for his troops massed on the border to attack the country."
    criticism = "Most governments condemn Putin's attack, the president noted."
    putin = frozenset({"Vladimir Putin"})

    def pair(*, fallback: bool) -> tuple[EventSketch, EventSketch]:
        new = draft(0, criticism, article="b", people=putin, fallback=fallback)
        return new, draft("order", order, people=putin, fallback=fallback)

    new, stored = pair(fallback=False)
    [dated] = matching.cluster([new], day_with(stored))
    new, stored = pair(fallback=True)
    [undated] = matching.cluster([new], day_with(stored))

    assert dated.stored == "order"  # the same day and the same man: near enough
    assert undated.stored is None

"""The editors' workflow: roles, corroboration across outlets, merges, claims and corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_event,
    make_source,
    make_statement,
    source_count,
)
from timeline.extraction.article_text import ParsedArticle
from timeline.extraction.types import (
    ExtractedActor,
    ExtractedEvent,
    ExtractedStatement,
    Extraction,
    ResolvedDate,
    Span,
)
from timeline.ingestion import pipeline
from timeline.models import (
    Actor,
    ActorAlias,
    Citation,
    Claim,
    Correction,
    EditorComment,
    Event,
    EventActor,
    EventPlace,
    Place,
    Statement,
    Status,
)
from timeline.services import actors, articles, citations, editorial, merges

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2022, 1, 21)

# Two outlets' short reports of the same meeting.
REUTERS = (
    "U.S. Secretary of State Antony Blinken met Russian Foreign Minister Sergei Lavrov in "
    "Geneva on Friday for talks on Ukraine.\n\n"
    "“We are on a path of dialogue,” Blinken said after the talks."
)
AP = (
    "Secretary of State Antony Blinken and Russia's foreign minister Sergei Lavrov met in Geneva "
    "on Friday, holding talks on Ukraine that lasted ninety minutes.\n\n"
    "“We are on a path of dialogue,” Blinken told reporters."
)


def extraction_of(text: str, published: dt.date) -> Extraction:
    """What the extractor finds in either report (written out, so the test pins storage)."""
    first = text.split("\n\n")[0]
    quote = "We are on a path of dialogue"
    quote_sentence = text.split("\n\n")[1]
    return Extraction(
        actors=[
            ExtractedActor(name="Antony Blinken", kind="person", aliases=["Blinken"]),
            ExtractedActor(name="Sergei Lavrov", kind="person", aliases=["Lavrov"]),
        ],
        statements=[
            ExtractedStatement(
                content=quote,
                kind="direct",
                span=Span(text.index(quote_sentence), len(text)),
                content_span=Span(text.index(quote), text.index(quote) + len(quote)),
                speaker="Antony Blinken",
                cue="said",
            )
        ],
        events=[
            ExtractedEvent(
                title=first.split(" in Geneva")[0],
                summary=first,
                span=Span(0, len(first)),
                date=ResolvedDate(FRIDAY, None, "day", None),
                category="diplomatic",
                actors=[("Antony Blinken", "participant"), ("Sergei Lavrov", "participant")],
            )
        ],
    )


def ingest(text: str, outlet: str, *, url: str = "") -> articles.IngestResult:
    return pipeline.article_ingest(
        parsed=ParsedArticle(
            title=f"{outlet} report",
            body=text,
            source_name=outlet,
            url=url,
            published_at=dt.datetime(2022, 1, 21, 18, 0, tzinfo=dt.UTC),
        ),
        extract=extraction_of,
    )


def place(name: str) -> Place:
    return Place.objects.create(
        name=name, slug=name.lower(), kind="city", latitude=46.2, longitude=6.1,
        gazetteer_id=f"test:{name}",
    )  # fmt: skip


def snapshot() -> dict[str, list[dict]]:
    """Every row the workflow can touch, field by field."""
    models: list[type[Model]] = [Actor, ActorAlias, Statement, Event, EventActor, Citation]
    models += [Claim, Correction, EditorComment, EventPlace]
    return {
        model.__name__: sorted(
            ({"pk": obj.pk, **model_to_dict(obj)} for obj in model._default_manager.all()),
            key=lambda row: row["pk"],
        )
        for model in models
    }


class TestRoles:
    def test_an_editor_cannot_publish_unpublish_or_merge(self, editor: User) -> None:
        event, other = make_event(), make_event()
        with pytest.raises(PermissionDenied, match="Only publishers"):
            editorial.items_publish(items=Event.objects.all(), by=editor)
        with pytest.raises(PermissionDenied):
            editorial.items_unpublish(items=Event.objects.all(), by=editor)
        with pytest.raises(PermissionDenied):
            merges.event_merge(keep=event, merge=other, by=editor)
        assert not Event.objects.published().exists()

    def test_a_publisher_publishes_and_unpublishes(self, publisher: User) -> None:
        make_event()
        editorial.items_publish(items=Event.objects.all(), by=publisher)
        assert Event.objects.published().count() == 1
        editorial.items_unpublish(items=Event.objects.all(), by=publisher)
        assert not Event.objects.published().exists()

    def test_an_editor_rejects_drafts_but_not_published_items(self, editor: User) -> None:
        make_event(status=Status.PUBLISHED)
        with pytest.raises(PermissionDenied):
            editorial.items_reject(items=Event.objects.all(), by=editor)
        draft = make_event()
        editorial.items_reject(items=Event.objects.filter(pk=draft.pk), by=editor)
        draft.refresh_from_db()
        assert draft.status == Status.REJECTED


class TestCorroboration:
    def test_a_second_article_about_the_same_meeting_attaches_as_a_proposed_citation(self) -> None:
        first = ingest(REUTERS, "Reuters")
        second = ingest(AP, "AP")

        assert Event.objects.count() == 1
        event = Event.objects.get()
        assert second.events == [] and event in second.corroborated
        proposed = event.citations.get(article=second.article)
        assert proposed.proposed and proposed.proposal is not None
        assert proposed.proposal["title"]
        assert event.citations.get(article=first.article).proposed is False

    def test_the_same_quote_from_two_outlets_is_one_statement_with_two_citations(self) -> None:
        ingest(REUTERS, "Reuters")
        ingest(AP, "AP")

        statement = Statement.objects.get()
        assert statement.citations.count() == 2

    def test_readers_see_a_corroborating_citation_once_an_editor_confirms_it(
        self, publisher: User
    ) -> None:
        ingest(REUTERS, "Reuters")
        ingest(AP, "AP")
        event = Event.objects.get()
        editorial.items_publish(items=Event.objects.all(), by=publisher)

        before = Event.objects.published().with_related().with_source_count().get()
        assert len(before.citations.all()) == 1 and source_count(before) == 1

        citations.citation_confirm(citation=event.citations.get(proposed=True), by=publisher)

        after = Event.objects.published().with_related().with_source_count().get()
        assert len(after.citations.all()) == 2 and source_count(after) == 2

    def test_splitting_a_proposed_citation_makes_an_event_of_its_own(self, publisher: User) -> None:
        ingest(REUTERS, "Reuters")
        second = ingest(AP, "AP")
        proposed = Citation.objects.get(article=second.article, event__isnull=False)

        new_event = citations.citation_split(citation=proposed, by=publisher)
        assert isinstance(new_event, Event)

        assert Event.objects.count() == 2
        assert list(new_event.citations.all()) == [proposed]
        assert new_event.start_date == FRIDAY
        assert {r.actor.name for r in new_event.roles.all()} == {"Antony Blinken", "Sergei Lavrov"}

    def test_an_event_far_apart_in_time_is_not_proposed_as_the_same(self) -> None:
        ingest(REUTERS, "Reuters")

        def a_year_later(text: str, published: dt.date) -> Extraction:
            found = extraction_of(text, published)
            found.events[0].date = ResolvedDate(FRIDAY.replace(year=2023), None, "day", None)
            return found

        pipeline.article_ingest(
            parsed=ParsedArticle(
                title="AP", body=AP, published_at=dt.datetime(2023, 1, 21, tzinfo=dt.UTC)
            ),
            extract=a_year_later,
        )
        assert Event.objects.count() == 2

    def test_republished_copies_of_a_wire_story_count_as_one_source(self) -> None:
        reuters = make_source(name="Reuters")
        event = make_event()
        for paper in ("The Daily", "The Weekly"):
            article = make_article(source=reuters, publisher=make_source(name=paper))
            make_citation(article=article, event=event)
        make_citation(article=make_article(source=make_source(name="AP")), event=event)

        counted = Event.objects.with_source_count().get(pk=event.pk)

        assert source_count(counted) == 2


class TestMerges:
    def test_merging_actors_moves_everything_and_keeps_the_names_as_aliases(
        self, publisher: User
    ) -> None:
        keep = make_actor(name="Joe Biden")
        merge = make_actor(name="Joseph R. Biden")
        actors.actor_add_aliases(actor=merge, names=["President Biden"])
        quote = make_statement(speaker=merge)
        event = make_event()
        EventActor.objects.create(event=event, actor=merge, role="agent")

        merges.actor_merge(keep=keep, merge=merge, by=publisher)

        quote.refresh_from_db()
        assert quote.speaker == keep
        assert list(event.actors.all()) == [keep]
        assert set(keep.aliases.values_list("name", flat=True)) == {
            "Joseph R. Biden",
            "President Biden",
        }
        assert not Actor.objects.filter(pk=merge.pk).exists()

    def test_undoing_an_actor_merge_restores_the_original_state_exactly(
        self, publisher: User
    ) -> None:
        keep = make_actor(name="Joe Biden")
        merge = make_actor(name="Biden", status=Status.PUBLISHED, title="President")
        actors.actor_add_aliases(actor=merge, names=["Joe Biden", "POTUS"])
        make_statement(speaker=merge)
        member = make_actor(name="Press office", affiliation=merge)
        event = make_event()
        EventActor.objects.create(event=event, actor=merge, role="agent")
        EventActor.objects.create(event=event, actor=keep, role="agent")
        EventActor.objects.create(event=event, actor=merge, role="target")
        assert member.affiliation == merge
        before = snapshot()

        record = merges.actor_merge(keep=keep, merge=merge, by=publisher)
        assert snapshot() != before
        merges.merge_undo(merge=record, by=publisher)

        assert snapshot() == before

    def test_undoing_an_event_merge_restores_the_original_state_exactly(
        self, publisher: User
    ) -> None:
        actor = make_actor()
        keep, merge = make_event(), make_event(status=Status.PUBLISHED)
        for event in (keep, merge):
            EventActor.objects.create(event=event, actor=actor, role="participant")
            make_citation(event=event)
        editorial.claim_link(event=merge, statement=make_statement(), stance="denies", by=None)
        editorial.event_comment(event=merge, author=publisher, body="Same meeting?")
        geneva, lausanne = place("Geneva"), place("Lausanne")
        EventPlace.objects.create(event=keep, place=geneva, mention="Geneva")
        EventPlace.objects.create(event=merge, place=geneva, mention="Geneva", confidence=0.8)
        EventPlace.objects.create(event=merge, place=lausanne, mention="Lausanne")
        before = snapshot()

        record = merges.event_merge(keep=keep, merge=merge, by=publisher)
        assert keep.citations.count() == 2
        assert sorted(keep.place_links.values_list("place__name", flat=True)) == [
            "Geneva",
            "Lausanne",
        ]
        merges.merge_undo(merge=record, by=publisher)

        assert snapshot() == before
        with pytest.raises(ValidationError, match="already been undone"):
            merges.merge_undo(merge=record, by=publisher)


class TestClaimsAndCorrections:
    def test_a_denial_by_a_party_marks_the_event_disputed(self) -> None:
        event = make_event(verification="reported")
        denial = make_statement(text="Moscow denies planning to invade Ukraine", kind="reported")

        editorial.claim_link(event=event, statement=denial, stance="denies", by=None)

        event.refresh_from_db()
        assert event.verification == Event.Verification.DISPUTED
        assert event.claim_links.get().stance == "denies"

    def test_changing_a_published_item_records_a_public_correction(self, publisher: User) -> None:
        event = make_event()
        editorial.items_publish(items=Event.objects.all(), by=publisher)
        event.refresh_from_db()

        with pytest.raises(ValidationError, match="say what you corrected"):
            editorial.item_correct(
                item=event, changes={"start_date": ["2022-02-11", "2022-02-10"]}, note="", by=None
            )
        correction = editorial.item_correct(
            item=event,
            changes={"start_date": ["2022-02-11", "2022-02-10"]},
            note="The talks were on Thursday, not Friday.",
            by=publisher,
        )

        assert correction is not None
        assert list(event.corrections.all()) == [correction]
        assert correction.changes == {"start_date": ["2022-02-11", "2022-02-10"]}

    def test_history_records_every_field_change(self) -> None:
        event = make_event(title="First title")
        event.title = "Second title"
        event.save()
        event.start_date = dt.date(2022, 2, 10)
        event.save()

        records = list(event.history.order_by("history_date"))
        assert [r.title for r in records] == ["First title", "Second title", "Second title"]
        changed = records[2].diff_against(records[1]).changed_fields
        assert changed == ["start_date"]

    def test_a_second_editor_saving_over_a_newer_version_is_told_of_the_conflict(self) -> None:
        event = make_event()
        opened_by_both = event.version
        first = Event.objects.get(pk=event.pk)
        first.title = "First editor's title"
        first.save()

        second = Event.objects.get(pk=event.pk)
        with pytest.raises(editorial.EditConflict, match="Someone else changed this event"):
            editorial.check_version(item=second, expected=opened_by_both)
        editorial.check_version(item=second, expected=second.version)


class TestPublishingPublishesWhoItNames:
    """A published quote whose speaker stayed a draft reads "Unnamed speaker", and the speaker's
    page is a 404: publishing takes the actors readers see with it (issue 18, item 0)."""

    @pytest.fixture
    def scholz(self) -> Actor:
        germany = make_actor(name="Germany", kind="state")
        return make_actor(name="Olaf Scholz", kind="person", affiliation=germany)

    def test_publishing_a_statement_publishes_its_speaker_and_where_they_belong(
        self, publisher: User, scholz: Actor
    ) -> None:
        statement = make_statement(speaker=scholz)

        editorial.items_publish(items=Statement.objects.filter(pk=statement.pk), by=publisher)

        assert set(Actor.objects.published().values_list("name", flat=True)) == {
            "Olaf Scholz",
            "Germany",
        }
        scholz.refresh_from_db()
        assert scholz.reviewed_by == publisher
        assert scholz.history.first().history_change_reason == Status.PUBLISHED

    def test_publishing_an_event_publishes_its_participants(
        self, publisher: User, scholz: Actor
    ) -> None:
        event = make_event(title="Scholz visits Kyiv")
        EventActor.objects.create(event=event, actor=scholz, role="agent")

        editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=publisher)

        assert Actor.objects.published().count() == 2

    def test_a_rejected_speaker_stays_rejected(self, publisher: User, scholz: Actor) -> None:
        editorial.items_reject(items=Actor.objects.filter(pk=scholz.pk), by=publisher)
        statement = make_statement(speaker=scholz)

        editorial.items_publish(items=Statement.objects.filter(pk=statement.pk), by=publisher)

        scholz.refresh_from_db()
        assert scholz.status == Status.REJECTED
        assert Actor.objects.published().get().name == "Germany"

    def test_through_the_api_the_reader_then_sees_the_speaker(
        self, publisher_api: Any, api_client: Any, client: Any, scholz: Actor
    ) -> None:
        statement = make_statement(speaker=scholz)

        published = publisher_api.post(f"/api/v1/statements/{statement.pk}/publish/")

        assert published.status_code == 200, published.content
        read = api_client.get(f"/api/v1/statements/{statement.pk}/").json()
        assert read["speaker"]["name"] == "Olaf Scholz"
        assert read["speaker"]["affiliation"] is not None
        assert client.get(f"/actors/{scholz.slug}/").status_code == 200

    def test_the_review_page_says_who_was_published_with_the_drafts(
        self, publisher_client: Any, scholz: Actor
    ) -> None:
        citation = make_citation(statement=make_statement(speaker=scholz))
        url = reverse("admin:timeline_article_review", args=[citation.article_id])

        page = publisher_client.post(
            url, {"one": f"accept:statement:{citation.statement_id}"}, follow=True
        )

        assert "Published 1 draft(s), and 2 actor(s) they name" in page.content.decode()

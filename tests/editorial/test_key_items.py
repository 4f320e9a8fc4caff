"""Key events and statements: publishers choose what story mode tells a crisis by, from the admin's
lists; an editor may mark drafts; the choice is recorded, and corrects nothing readers were told."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.factories import make_event, make_statement
from timeline.models import Correction, Event, Statement, Status
from timeline.services import editorial, key_items

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(publisher: User) -> list[Event]:
    for n in (1, 2, 3):
        make_event(title=f"Event {n}", start_date=dt.date(2022, 2, n))
    editorial.items_publish(items=Event.objects.all(), by=publisher)
    return list(Event.objects.order_by("pk"))


def test_a_publisher_marks_published_events_key_and_their_history_says_so(
    publisher: User, published: list[Event]
) -> None:
    reviewed = {e.pk: (e.reviewed_by_id, e.reviewed_at, e.version) for e in published}
    changed = key_items.items_mark_key(
        items=Event.objects.filter(pk__in=[published[0].pk, published[2].pk]),
        key=True,
        by=publisher,
    )

    assert changed == 2
    assert list(Event.objects.key().order_by("pk")) == [published[0], published[2]]
    first = Event.objects.get(pk=published[0].pk)
    latest = first.history.first()
    assert latest is not None
    assert latest.is_key and latest.history_user == publisher
    assert latest.history_change_reason == "marked key"
    # Who published it and when stay as they were; the version moves on (edit conflicts).
    was_by, was_at, was_version = reviewed[first.pk]
    assert (first.reviewed_by_id, first.reviewed_at) == (was_by, was_at)
    assert first.version == was_version + 1
    assert was_at is not None and first.updated_at > was_at
    # Readers were told nothing new: no correction.
    assert not Correction.objects.exists()


def test_marking_again_changes_nothing_and_unmarking_takes_the_mark_away(
    publisher: User, published: list[Event]
) -> None:
    everything = Event.objects.all()
    assert key_items.items_mark_key(items=everything, key=True, by=publisher) == 3
    assert key_items.items_mark_key(items=everything, key=True, by=publisher) == 0
    assert key_items.items_mark_key(items=everything, key=False, by=publisher) == 3
    assert not Event.objects.key().exists()


def test_an_editor_may_mark_drafts_but_not_what_readers_already_see(
    editor: User, published: list[Event]
) -> None:
    draft = make_statement(text="We are on a path of dialogue", date=dt.date(2022, 2, 4))
    assert (
        key_items.items_mark_key(items=Statement.objects.filter(pk=draft.pk), key=True, by=editor)
        == 1
    )
    assert Statement.objects.key().get() == draft

    with pytest.raises(PermissionDenied, match="Only publishers can choose key events"):
        key_items.items_mark_key(items=Event.objects.all(), key=True, by=editor)
    assert not Event.objects.key().exists()


def changelist(model: type[Event] | type[Statement]) -> str:
    return reverse(f"admin:timeline_{model._meta.model_name}_changelist")


def test_the_admin_action_marks_the_selected_events_and_the_list_filters_on_it(
    publisher_client: Client, published: list[Event]
) -> None:
    response = publisher_client.post(
        changelist(Event),
        {"action": "mark_key_selected", "_selected_action": [published[1].pk]},
        follow=True,
    )
    assert "Marked 1 item(s) as key." in response.content.decode()
    assert Event.objects.key().get() == published[1]

    listed = publisher_client.get(changelist(Event), {"is_key__exact": "1"})
    assert listed.status_code == 200
    assert list(listed.context["cl"].queryset) == [published[1]]

    response = publisher_client.post(
        changelist(Event),
        {"action": "unmark_key_selected", "_selected_action": [published[1].pk]},
        follow=True,
    )
    assert "Unmarked 1 item(s) as key." in response.content.decode()
    assert not Event.objects.key().exists()


def test_the_admin_action_tells_an_editor_to_ask_a_publisher(
    editor_client: Client, published: list[Event]
) -> None:
    response = editor_client.post(
        changelist(Event),
        {"action": "mark_key_selected", "_selected_action": [published[0].pk]},
        follow=True,
    )
    assert "Only publishers can choose key events among those readers see" in (
        response.content.decode()
    )
    assert not Event.objects.key().exists()


def test_statements_have_the_actions_too(publisher_client: Client, publisher: User) -> None:
    statement = make_statement(text="Things could go crazy quickly", status=Status.PUBLISHED)
    publisher_client.post(
        changelist(Statement),
        {"action": "mark_key_selected", "_selected_action": [statement.pk]},
    )
    assert Statement.objects.key().get() == statement


def test_a_published_items_key_mark_changes_on_its_form_without_a_correction_note(
    publisher: User, published: list[Event]
) -> None:
    from timeline.admin.items import EditorialForm

    class EventForm(EditorialForm):
        class Meta:
            model = Event
            fields = ["title", "is_key"]

    event = published[0]
    form = EventForm(
        {"title": event.title, "is_key": "on", "expected_version": event.version}, instance=event
    )
    assert form.is_valid(), form.errors
    assert form.content_changes() == {}

"""The admin is the editors' tool: every page answers for an editor and refuses strangers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django import forms
from django.contrib import admin
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from tests.factories import make_actor
from timeline.models import (
    Actor,
    Article,
    Correction,
    Crisis,
    Event,
    FeedEntry,
    FeedPoll,
    IngestBatch,
    Statement,
    Status,
    WatchedFeed,
    Webhook,
    WebhookDelivery,
)
from timeline.services import editorial, merges

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse  # what the test client returns

pytestmark = pytest.mark.django_db

# Webhooks hold the secrets that sign what the site tells its API consumers: superusers only
# (tests/editorial/test_permissions.py checks every role against every page).
SUPERUSERS_ONLY = {Webhook, WebhookDelivery}
TIMELINE_MODELS = [
    m for m in admin.site._registry if m._meta.app_label == "timeline" and m not in SUPERUSERS_ONLY
]


@pytest.fixture
def demo() -> None:
    """The demo crisis, plus one of each editorial record the demo itself does not hold."""
    call_command("load_demo")
    event = Event.objects.first()
    assert event is not None
    denial = Statement.objects.get(cue="denies")
    editorial.claim_link(event=event, statement=denial, stance="denies", by=None)
    editorial.event_comment(event=event, author=None, body="Check the date with AP.")
    Correction.objects.create(event=event, note="Corrected the date.", changes={})
    twin = make_actor(name="J. Biden")
    merges.actor_merge(keep=Actor.objects.get(name="Joe Biden"), merge=twin, by=None)
    feed = WatchedFeed.objects.create(
        crisis=Crisis.objects.get(), name="World", url="https://example.org/rss"
    )
    FeedEntry.objects.create(feed=feed, key="a1", url="https://example.org/a1", status="ingested")
    FeedPoll.objects.create(feed=feed, status="ok", entries=1, new_entries=1, ingested=1)
    IngestBatch.objects.create(label="overnight.jsonl").articles.add(*Article.objects.all())


def change_form_data(page: _MonkeyPatchedWSGIResponse) -> dict[str, object]:
    """The POST data a browser would send back from an admin change page, unchanged."""
    data: dict[str, object] = {}

    def add(form: forms.BaseForm, prefix: str = "") -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            data[bound.html_name] = getattr(value, "pk", value)

    assert page.context is not None
    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = len(formset.initial_forms)
        data[f"{formset.prefix}-TOTAL_FORMS"] = initial
        data[f"{formset.prefix}-INITIAL_FORMS"] = initial
        for form in formset.initial_forms:
            add(form)
    return data


def admin_url(model: type[Model], page: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize("model", TIMELINE_MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_page_answers_for_an_editor(
    model: type[Model], editor_client: Client, demo: None
) -> None:
    changelist = editor_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200

    obj = model._default_manager.first()
    assert obj is not None, f"the demo should hold a {model.__name__}"
    change = editor_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200


@pytest.mark.parametrize("model", TIMELINE_MODELS, ids=lambda m: m.__name__)
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    model: type[Model], client: Client, demo: None
) -> None:
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_editor_cannot_manage_users(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403


def test_the_event_page_shows_the_cited_excerpt(editor_client: Client, demo: None) -> None:
    event = Event.objects.get(title="Gerasimov and Milley hold phone talks")
    response = editor_client.get(admin_url(Event, "change", event.pk))
    assert "held phone talks on Friday" in response.content.decode()


def test_a_publisher_publishes_and_rejects_in_bulk(publisher_client: Client, demo: None) -> None:
    Event.objects.update(status=Status.DRAFT)
    ids = list(Event.objects.values_list("pk", flat=True)[:2])

    publisher_client.post(
        admin_url(Event, "changelist"),
        {"action": "publish_selected", "_selected_action": ids},
    )
    assert Event.objects.published().count() == 2

    publisher_client.post(
        admin_url(Event, "changelist"),
        {"action": "reject_selected", "_selected_action": ids[:1]},
    )
    assert Event.objects.filter(status=Status.REJECTED).count() == 1


def test_an_editor_may_reject_drafts_but_not_publish(editor_client: Client, demo: None) -> None:
    Event.objects.update(status=Status.DRAFT, first_published_at=None)
    ids = list(Event.objects.values_list("pk", flat=True)[:2])

    page = editor_client.get(admin_url(Event, "changelist"))
    editor_client.post(
        admin_url(Event, "changelist"),
        {"action": "publish_selected", "_selected_action": ids},
    )
    editor_client.post(
        admin_url(Event, "changelist"),
        {"action": "reject_selected", "_selected_action": ids[:1]},
    )

    assert "publish_selected" not in page.content.decode()
    assert not Event.objects.published().exists()
    assert Event.objects.filter(status=Status.REJECTED).count() == 1


def test_an_editor_cannot_change_a_published_item(editor_client: Client, demo: None) -> None:
    event = Event.objects.published().first()
    assert event is not None
    page = editor_client.get(admin_url(Event, "change", event.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False


def test_editing_a_machine_made_item_protects_it_from_re_extraction(
    editor_client: Client, demo: None
) -> None:
    event = Event.objects.first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(
        provenance="machine", status=Status.DRAFT, first_published_at=None
    )
    url = admin_url(Event, "change", event.pk)
    page = editor_client.get(url)
    data = change_form_data(page)
    data["title"] = "Corrected title"

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title == "Corrected title"
    assert event.edited_by_editor is True

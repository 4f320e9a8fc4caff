"""The admin is the editors' tool: every page answers for an editor and refuses strangers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from timeline.models import Event, Status

pytestmark = pytest.mark.django_db

TIMELINE_MODELS = [m for m in admin.site._registry if m._meta.app_label == "timeline"]


@pytest.fixture
def demo() -> None:
    call_command("load_demo")


def admin_url(model: type, page: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize("model", TIMELINE_MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_page_answers_for_an_editor(
    model: type, editor_client: object, demo: None
) -> None:
    changelist = editor_client.get(admin_url(model, "changelist"))  # type: ignore[attr-defined]
    assert changelist.status_code == 200

    obj = model.objects.first()
    assert obj is not None, f"the demo should hold a {model.__name__}"
    change = editor_client.get(admin_url(model, "change", obj.pk))  # type: ignore[attr-defined]
    assert change.status_code == 200


@pytest.mark.parametrize("model", TIMELINE_MODELS, ids=lambda m: m.__name__)
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    model: type, client: object, demo: None
) -> None:
    response = client.get(admin_url(model, "changelist"))  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_editor_cannot_manage_users(editor_client: object) -> None:
    response = editor_client.get(reverse("admin:auth_user_changelist"))  # type: ignore[attr-defined]
    assert response.status_code == 403


def test_the_event_page_shows_the_cited_excerpt(editor_client: object, demo: None) -> None:
    event = Event.objects.get(title="Gerasimov and Milley hold phone talks")
    response = editor_client.get(admin_url(Event, "change", event.pk))  # type: ignore[attr-defined]
    assert "held phone talks on Friday" in response.content.decode()


def test_an_editor_publishes_and_rejects_in_bulk(editor_client: object, demo: None) -> None:
    Event.objects.update(status=Status.DRAFT)
    ids = list(Event.objects.values_list("pk", flat=True)[:2])

    editor_client.post(  # type: ignore[attr-defined]
        admin_url(Event, "changelist"),
        {"action": "publish_selected", "_selected_action": ids},
    )
    assert Event.objects.published().count() == 2

    editor_client.post(  # type: ignore[attr-defined]
        admin_url(Event, "changelist"),
        {"action": "reject_selected", "_selected_action": ids[:1]},
    )
    assert Event.objects.filter(status=Status.REJECTED).count() == 1


def test_editing_a_machine_made_item_protects_it_from_re_extraction(
    editor_client: object, demo: None
) -> None:
    event = Event.objects.first()
    Event.objects.filter(pk=event.pk).update(provenance="machine")
    url = admin_url(Event, "change", event.pk)
    page = editor_client.get(url)  # type: ignore[attr-defined]
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "Corrected title",
            "start_date": "2022-02-11",
            "category": event.category_id,
            "crises": [c.pk for c in event.crises.all()],
        }
    )
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for field in management:
            data[f"{inline.formset.prefix}-{field.name}"] = field.value()
        for index, inline_form in enumerate(inline.formset.forms):
            for name, value in inline_form.initial.items():
                data[f"{inline.formset.prefix}-{index}-{name}"] = value
            data[f"{inline.formset.prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{inline.formset.prefix}-{index}-event"] = event.pk

    response = editor_client.post(url, data)  # type: ignore[attr-defined]

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title == "Corrected title"
    assert event.edited_by_editor is True

"""Issue 6, end to end: two outlets report one meeting, editors make it one published event,
a publisher corrects its date, and readers and mirrors see the correction.

Everything goes through what people use: the admin's import page, its actions and change form
(with the real extraction pipeline), the reader's event page and the API's changes feed.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_crisis, source_count
from timeline.models import Citation, Event

pytestmark = pytest.mark.django_db

REUTERS = (
    "Blinken and Lavrov hold talks in Geneva\n\n"
    "GENEVA, Jan 21 (Reuters) - U.S. Secretary of State Antony Blinken met Russian Foreign "
    "Minister Sergei Lavrov in Geneva on Friday for talks on Ukraine.\n\n"
    "“We are on a path of dialogue,” Blinken said after the talks."
)
AP = (
    "Top US and Russian diplomats meet in Geneva\n\n"
    "GENEVA (AP) — Secretary of State Antony Blinken and Russia's foreign minister Sergei Lavrov "
    "met in Geneva on Friday, holding talks on Ukraine that lasted ninety minutes.\n\n"
    "“We are on a path of dialogue,” Blinken told reporters."
)


class FormFields(HTMLParser):
    """The values a browser would submit from a page's form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            else:
                self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.removeprefix("\n")


def form_fields(client: Client, url: str, form_id: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    parser = FormFields(form_id)
    parser.feed(page.content.decode())
    return parser.fields


def admin_action(client: Client, model: str, action: str, pks: list[int]) -> None:
    response = client.post(
        reverse(f"admin:timeline_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert not any("not" in m.lower() and "permission" in m.lower() for m in messages), messages


def test_two_reports_of_one_meeting_become_one_corrected_event_that_readers_see(
    editor: User, publisher: User
) -> None:
    crisis = make_crisis()
    editing, publishing, reader = Client(), Client(), Client()
    editing.force_login(editor)
    publishing.force_login(publisher)

    # An editor imports both reports on the admin's import page.
    for text, outlet in ((REUTERS, "Reuters"), (AP, "AP")):
        response = editing.post(
            reverse("admin:timeline_article_import"),
            {
                "text": text,
                "source_name": outlet,
                "crisis": crisis.pk,
                "published_at": "2022-01-21 18:00",
            },
        )
        assert response.status_code == 200
        assert not response.context["form"].errors, response.context["form"].errors
        assert len(response.context["outcomes"]) == 1

    # The meeting is one event, cited by both outlets; the second citation awaits confirmation.
    meetings = Event.objects.filter(roles__actor__name="Antony Blinken").filter(
        roles__actor__name="Sergei Lavrov"
    )
    assert meetings.count() == 1
    meeting = meetings.get()
    citations = Citation.objects.filter(event=meeting).select_related("article__source")
    assert {str(c.article.source) for c in citations} == {"Reuters", "AP"}
    proposed = citations.get(proposed=True)
    assert str(proposed.article.source) == "AP"

    admin_action(editing, "citation", "confirm_citations", [proposed.pk])
    admin_action(publishing, "event", "publish_selected", [meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == "published"
    assert source_count(Event.objects.with_source_count().get(pk=meeting.pk)) == 2

    # The publisher corrects the date in the admin's change form, with a note for readers.
    corrected_at = timezone.now()
    change_url = reverse("admin:timeline_event_change", args=[meeting.pk])
    fields = form_fields(publishing, change_url, "event_form")
    refused = publishing.post(change_url, {**fields, "start_date": "2022-01-20"})
    assert refused.status_code == 200
    assert "correction" in refused.content.decode().lower()
    meeting.refresh_from_db()
    assert str(meeting.start_date) == "2022-01-21"  # nothing saved without the note

    note = "The talks were on Thursday, 20 January, not Friday."
    saved = publishing.post(
        change_url, {**fields, "start_date": "2022-01-20", "correction_note": note}
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    meeting.refresh_from_db()
    assert str(meeting.start_date) == "2022-01-20"

    # A reader sees both sources and the correction record on the event page.
    page = reader.get(reverse("timeline:event", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert note in html
    for citation in citations:
        assert reverse("timeline:article", args=[citation.article_id]) in html

    # The API's changes feed shows the corrected event to mirrors.
    feed = reader.get("/api/v1/changes/", {"since": corrected_at.isoformat()}).json()
    assert ("event", meeting.pk, "updated") in [
        (c["type"], c["id"], c["action"]) for c in feed["results"]
    ]
    detail = reader.get(reverse("api:event-detail", args=[meeting.pk])).json()
    assert detail["start_date"] == "2022-01-20"
    assert [c["note"] for c in detail["corrections"]] == [note]

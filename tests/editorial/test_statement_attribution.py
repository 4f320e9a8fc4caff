"""Who said it: editors see and fix a statement's attribution from the statements list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_actor, make_article, make_citation, make_statement
from timeline.models import Statement, Status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:timeline_statement_changelist")


def speaker_edit(statement: Statement, speaker_pk: int | str) -> dict[str, object]:
    """What the changelist's inline speaker field posts for one row."""
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(statement.pk),
        "form-0-speaker": str(speaker_pk),
        "_save": "Save",
    }


def test_an_unattributed_draft_gets_its_speaker_in_one_step_from_the_list(
    editor_client: Client,
) -> None:
    quote = make_statement(text="We will not back down", status=Status.DRAFT)
    minister = make_actor(name="Ana Minister")

    response = editor_client.post(CHANGELIST, speaker_edit(quote, minister.pk))

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.speaker == minister


def test_a_published_statement_is_not_reattributed_from_the_list(editor_client: Client) -> None:
    quote = make_statement(
        text="We will not back down", status=Status.PUBLISHED, first_published_at=timezone.now()
    )
    minister = make_actor(name="Ana Minister")

    response = editor_client.post(CHANGELIST, speaker_edit(quote, minister.pk))

    assert response.status_code == 200
    assert "with a correction note" in response.content.decode()
    quote.refresh_from_db()
    assert quote.speaker is None


def test_the_list_tells_a_named_speaker_an_unnamed_source_and_no_source_apart(
    editor_client: Client,
) -> None:
    make_statement(text="Named quote", speaker=make_actor(name="Ana Minister"))
    make_statement(text="Described quote", speaker_description="a senior official")
    make_statement(text="Orphan quote")

    page = editor_client.get(CHANGELIST).content.decode()

    assert "<em>a senior official</em> (unnamed)" in page
    assert "<strong>Unattributed</strong>" in page


@pytest.mark.parametrize(
    ("attribution", "shown"),
    [
        ("named", "Named quote"),
        ("described", "Described quote"),
        ("unattributed", "Orphan quote"),
    ],
)
def test_the_attribution_filter_keeps_only_its_kind(
    editor_client: Client, attribution: str, shown: str
) -> None:
    make_statement(text="Named quote", speaker=make_actor(name="Ana Minister"))
    make_statement(text="Described quote", speaker_description="a senior official")
    make_statement(text="Orphan quote")

    page = editor_client.get(CHANGELIST, {"attribution": attribution}).content.decode()

    others = {"Named quote", "Described quote", "Orphan quote"} - {shown}
    assert shown in page
    assert not any(other in page for other in others)


def test_the_review_page_shows_an_unnamed_source_as_written(editor_client: Client) -> None:
    article = make_article()
    quote = make_statement(text="Described quote", speaker_description="a senior official")
    make_citation(article=article, statement=quote, start=0, end=20)

    page = editor_client.get(reverse("admin:timeline_article_review", args=[article.pk]))

    assert page.status_code == 200
    assert "a senior official" in page.content.decode()


def test_a_statement_reads_with_its_unnamed_source() -> None:
    quote = Statement(text="We will not back down", speaker_description="a senior official")

    assert "a senior official" in str(quote)

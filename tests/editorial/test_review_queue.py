"""The review queue: what is left, least confident first, accepted or rejected in place."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_article,
    make_crisis,
    make_event,
    make_statement,
    review_counts,
)
from timeline.models import Article, Event, Statement, Status
from timeline.services import citations, editorial

pytestmark = pytest.mark.django_db


def draft_event(article: Article, confidence: float, start: int = 0, end: int = 20) -> Event:
    event = make_event(confidence=confidence, provenance="machine")
    citations.citation_create(article=article, start=start, end=end, event=event)
    return event


def draft_statement(article: Article, confidence: float) -> Statement:
    statement = make_statement(confidence=confidence, provenance="machine")
    citations.citation_create(article=article, start=75, end=130, statement=statement)
    return statement


@pytest.fixture
def two_articles() -> tuple[Article, Article]:
    sure, unsure = make_article(title="Sure article"), make_article(title="Unsure article")
    draft_event(sure, 0.9)
    draft_statement(sure, 0.8)
    draft_event(unsure, 0.2)
    draft_event(unsure, 0.95, start=30, end=60)
    return sure, unsure


def test_the_queue_lists_articles_least_confident_first_with_what_is_left(
    two_articles: tuple[Article, Article],
) -> None:
    sure, unsure = two_articles

    queue = list(Article.objects.awaiting_review())

    assert queue == [unsure, sure]
    # Draft events, draft statements, and the lowest confidence among them.
    assert review_counts(queue[0]) == (2, 0, pytest.approx(0.2))
    assert review_counts(queue[1])[:2] == (1, 1)


def test_an_article_with_nothing_left_leaves_the_queue(
    two_articles: tuple[Article, Article], publisher: User
) -> None:
    sure, unsure = two_articles
    editorial.items_publish(items=Event.objects.filter(citations__article=sure), by=publisher)
    editorial.items_reject(items=Statement.objects.all(), by=publisher)

    assert list(Article.objects.awaiting_review()) == [unsure]


def test_the_admin_index_counts_what_is_left_per_crisis(
    two_articles: tuple[Article, Article], editor_client: Client
) -> None:
    crisis = make_crisis(title="Test crisis")
    crisis.events.add(*Event.objects.all())

    html = editor_client.get(reverse("admin:index")).content.decode()
    page = " ".join(html.split())

    assert "3 draft event(s), 1 draft statement(s)" in page
    assert "Test crisis: 3 event(s), 0 statement(s)" in page


def test_the_article_page_shows_drafts_beside_their_highlighted_spans(
    two_articles: tuple[Article, Article], editor_client: Client
) -> None:
    _, unsure = two_articles
    url = reverse("admin:timeline_article_review", args=[unsure.pk])

    page = editor_client.get(url)

    assert page.status_code == 200
    drafts = page.context["drafts"]
    assert [d.item.confidence for d in drafts] == [0.2, 0.95]
    html = page.content.decode()
    citation = drafts[0].citation
    assert f'id="span-{citation.pk}"' in html
    assert 'js/review.js"' in html
    assert "Accept selected" not in html  # an editor cannot publish


def test_a_publisher_accepts_one_draft_and_rejects_the_rest_in_bulk(
    two_articles: tuple[Article, Article], publisher_client: Client
) -> None:
    _, unsure = two_articles
    first, second = Event.objects.filter(citations__article=unsure).order_by("confidence")
    url = reverse("admin:timeline_article_review", args=[unsure.pk])

    publisher_client.post(url, {"one": f"accept:event:{first.pk}"})
    publisher_client.post(url, {"verb": "reject", "items": [f"event:{second.pk}"]})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.PUBLISHED, Status.REJECTED)
    assert first.reviewed_by is not None


def test_an_editor_may_reject_but_not_accept(
    two_articles: tuple[Article, Article], editor_client: Client
) -> None:
    _, unsure = two_articles
    event = Event.objects.filter(citations__article=unsure).first()
    assert event is not None
    url = reverse("admin:timeline_article_review", args=[unsure.pk])

    refused = editor_client.post(url, {"one": f"accept:event:{event.pk}"})
    editor_client.post(url, {"one": f"reject:event:{event.pk}"})

    assert refused.status_code == 403
    event.refresh_from_db()
    assert event.status == Status.REJECTED


def test_the_highlighted_text_is_escaped_and_never_breaks_a_paragraph_inside_a_mark() -> None:
    from timeline.admin.review import highlighted

    article = make_article(text="<b>One</b> para.\n\nTwo para.")
    event = make_event()
    citation = citations.citation_create(article=article, start=3, end=22, event=event)

    html = str(highlighted(article.text, [citation]))

    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<mark") == 2 and "</mark></p><p><mark" in html

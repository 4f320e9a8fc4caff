"""The reader pages and the API agree on what is public: an article, or an outlet, known only from
drafts is still in review and shows nowhere to readers (issue 19 items 16 and 17)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import make_article, make_citation, make_crisis, make_event, make_source
from timeline.models import Article, Status

pytestmark = pytest.mark.django_db


def article_cited_by(status: str, *, proposed: bool = False) -> Article:
    article = make_article(title="Troops mass", source=make_source(name="Reuters"))
    article.crises.add(make_crisis(slug="ru-ua"))
    make_citation(article=article, event=make_event(status=status), proposed=proposed)
    return article


@pytest.mark.parametrize(
    ("status", "proposed", "public"),
    [
        (Status.PUBLISHED, False, True),
        (Status.DRAFT, False, False),
        (Status.PUBLISHED, True, False),  # a corroboration no editor has confirmed yet
    ],
)
def test_an_article_is_public_when_a_published_item_cites_it(
    client: Client, api_client: APIClient, status: str, proposed: bool, public: bool
) -> None:
    article = article_cited_by(status, proposed=proposed)

    page = client.get(f"/articles/{article.pk}/")
    api = api_client.get(f"/api/v1/articles/{article.pk}/")

    assert (page.status_code, api.status_code) == ((200, 200) if public else (404, 404))


def test_outlets_known_only_from_drafts_are_not_listed(api_client: APIClient) -> None:
    article_cited_by(Status.PUBLISHED)
    hidden = make_article(title="Leak", source=make_source(name="Hidden Outlet"))
    make_citation(article=hidden, event=make_event(status=Status.DRAFT))
    reprint = make_article(
        title="Troops mass", source=make_source(name="AP"), publisher=make_source(name="Daily")
    )
    make_citation(article=reprint, event=make_event(status=Status.PUBLISHED))

    listed = api_client.get("/api/v1/sources/").json()["results"]

    assert [s["name"] for s in listed] == ["AP", "Daily", "Reuters"]
    assert api_client.get("/api/v1/sources/hidden-outlet/").status_code == 404


def test_editors_see_every_outlet(editor_api: APIClient) -> None:
    make_article(title="Leak", source=make_source(name="Hidden Outlet"))

    listed = editor_api.get("/api/v1/sources/").json()["results"]

    assert [s["name"] for s in listed] == ["Hidden Outlet"]

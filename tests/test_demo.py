"""The demo crisis loads from the seed article, cites real spans, and loads only once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from timeline.models import Actor, Article, Citation, Event, Statement, Status

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Actor, Statement, Event, Citation)
    }


def test_it_loads_the_seed_article_as_a_published_crisis() -> None:
    call_command("load_demo", stdout=None)

    article = Article.objects.get()
    assert article.title.startswith("US says more Russian troops mass near Ukraine")
    assert article.source.name == "Reuters"
    assert Event.objects.published().count() == Event.objects.count() > 0
    assert Statement.objects.filter(status=Status.PUBLISHED).exists()
    assert "Advertising" not in article.text


def test_every_demo_citation_reproduces_a_real_span_of_the_article() -> None:
    call_command("load_demo")

    for citation in Citation.objects.select_related("article"):
        assert 0 <= citation.start < citation.end <= len(citation.article.text)
        assert citation.excerpt == citation.article.text[citation.start : citation.end]
    quote = Statement.objects.get(text__startswith="Things could go crazy")
    assert "Biden told NBC News" in quote.citations.get().excerpt


def test_loading_the_demo_twice_changes_nothing() -> None:
    call_command("load_demo")
    before = counts()

    call_command("load_demo")

    assert counts() == before


def test_it_says_where_the_seed_article_should_be_when_it_is_missing(tmp_path: object) -> None:
    with pytest.raises(CommandError, match="seed article is missing"):
        call_command("load_demo", corpus=tmp_path)
    assert settings.DEMO_CORPUS_DIR.name == "corpus"

"""The data model's rules hold in the database and in validation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_event,
    make_statement,
)
from timeline.models import Actor, Citation, Event, Statement, Status
from timeline.services import actors, citations, editorial

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_it_refuses_a_citation_span_outside_its_article() -> None:
    article = make_article()
    event = make_event()
    length = len(article.text)

    with pytest.raises(ValidationError, match="lies outside the article"):
        citations.citation_create(article=article, start=length - 5, end=length + 1, event=event)

    assert not Citation.objects.exists()


def test_it_refuses_an_empty_or_reversed_citation_span_in_the_database() -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_citation(start=10, end=10)


def test_it_refuses_a_citation_that_supports_nothing_or_two_items() -> None:
    article = make_article()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Citation.objects.create(article=article, start=0, end=5)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Citation.objects.create(
            article=article, start=0, end=5, event=make_event(), statement=make_statement()
        )


def test_the_excerpt_is_always_the_articles_text_within_the_span() -> None:
    article = make_article()
    citation = citations.citation_create(article=article, start=0, end=5, event=make_event())

    annotated = Citation.objects.with_excerpt().get(pk=citation.pk)

    assert citation.excerpt == article.text[0:5] == "Russi"
    assert annotated.excerpt == "Russi"


def test_it_refuses_an_event_that_ends_before_it_starts() -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_event(start_date=dt.date(2022, 2, 11), end_date=dt.date(2022, 2, 10))


def test_it_refuses_the_same_article_twice_by_content() -> None:
    article = make_article()
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_article(text=article.text)


def test_it_refuses_the_same_article_twice_by_url_but_allows_many_without_url() -> None:
    make_article(url="https://example.org/story")
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_article(url="https://example.org/story")

    make_article(url="")
    make_article(url="")


def test_readers_see_published_items_only() -> None:
    published = make_event(status=Status.PUBLISHED)
    make_event(status=Status.DRAFT)
    make_event(status=Status.REJECTED)

    assert list(Event.objects.published()) == [published]


def test_publishing_records_who_and_when_and_keeps_the_first_publication_time(
    publisher: User,
) -> None:
    event = make_event()
    editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=publisher)
    event.refresh_from_db()
    first = event.first_published_at

    editorial.items_reject(items=Event.objects.filter(pk=event.pk), by=publisher)
    editorial.items_publish(items=Event.objects.filter(pk=event.pk), by=publisher)
    event.refresh_from_db()

    assert event.status == Status.PUBLISHED
    assert event.reviewed_by == publisher
    assert first is not None and event.first_published_at == first


def test_it_matches_actors_by_alias_ignoring_case_and_accents() -> None:
    biden = make_actor(name="Joe Biden")
    actors.actor_add_aliases(actor=biden, names=["Biden", "President Joe Biden", "BIDEN"])

    assert list(Actor.objects.matching_name("biden")) == [biden]
    assert list(Actor.objects.matching_name("Joe Biden")) == [biden]
    assert biden.aliases.count() == 2


def test_statements_list_by_speaker_and_date() -> None:
    biden = make_actor(name="Joe Biden")
    later = make_statement(speaker=biden, date=dt.date(2022, 2, 12))
    earlier = make_statement(speaker=biden, date=dt.date(2022, 2, 11))
    make_statement(date=dt.date(2022, 2, 11))

    assert list(Statement.objects.for_actor(biden)) == [earlier, later]

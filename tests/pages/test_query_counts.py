"""Every list page and API list answers in a fixed number of queries, however much data there is.

Each page is read at 10 and at 200 events (and as many statements) from generate_synthetic, and
must make the same number of queries both times: a query per row would show as a difference.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    Source,
    Statement,
)
from timeline.synthetic import Sizes, generate

pytestmark = pytest.mark.django_db

SMALL = Sizes(events=10, statements=10, actors=5, articles=5)
LARGE = Sizes(events=200, statements=200, actors=40, articles=50)

PAGES = {
    "home": lambda: "/",
    "timeline": lambda: "/crises/synthetic/",
    "axis items": lambda: "/crises/synthetic/axis.json?start=2000-01-01&end=2100-12-31",
    "axis lanes by actor": lambda: "/crises/synthetic/axis-lanes.json?lanes=actor",
    "axis lanes by place": lambda: "/crises/synthetic/axis-lanes.json?lanes=place",
    "embed": lambda: "/embed/crises/synthetic/",
    "story": lambda: "/crises/synthetic/story/",
    "story slide": lambda: f"/crises/synthetic/story/?slide=event-{most_cited_event().pk}",
    "actor": lambda: f"/actors/{busiest_actor().slug}/",
    "event": lambda: f"/events/{most_cited_event().pk}/",
    "api events": lambda: "/api/v1/events/",
    "api statements": lambda: "/api/v1/statements/",
    "api actors": lambda: "/api/v1/actors/",
}


def busiest_actor() -> Actor:
    actor = Actor.objects.published().annotate(n=Count("event_roles")).order_by("-n", "pk").first()
    assert actor is not None
    return actor


def most_cited_event() -> Event:
    event = Event.objects.published().annotate(n=Count("citations")).order_by("-n", "pk").first()
    assert event is not None
    return event


def queries_for(client: Client, url: str) -> list[str]:
    client.get(url)  # warm: sessions, caches and content types are read once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def empty() -> None:
    for model in (Citation, EventActor, Event, Statement, Article, ActorAlias, Source):
        model.objects.all().delete()
    Actor.objects.all().delete()
    Crisis.objects.all().delete()


@pytest.mark.parametrize("page", list(PAGES))
def test_the_number_of_queries_does_not_grow_with_the_data(client: Client, page: str) -> None:
    generate(sizes=SMALL, seed=1)
    small = queries_for(client, PAGES[page]())
    empty()
    generate(sizes=LARGE, seed=1)
    large = queries_for(client, PAGES[page]())

    # At 10 events the event page may find no related statements, and Django skips the
    # prefetches of their citations and corrections for an empty list: two queries fewer, not
    # one per row.
    allowance = 2 if page == "event" else 0
    assert len(small) <= len(large) <= len(small) + allowance, "\n\n".join(large)

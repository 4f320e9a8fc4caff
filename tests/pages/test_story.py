"""Story mode: a crisis as slides, one published event or statement each, in the timeline's order;
the editors' key items while there are any; the timeline's filters carried over; every slide a
page of its own, linkable, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from timeline.models import Crisis, Event, EventActor, Place, Statement, Status
from timeline.services import key_items

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

PUBLISHED = Status.PUBLISHED
STORY = "/crises/ukraine/story/"
TEXT = (
    "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
    "“We are on a path of dialogue,” said Antony Blinken.\n\n"
    "Russia launched joint exercises in Belarus this week."
)
IMAGE = "https://www.reuters.com/resizer/troops.jpg"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def crisis() -> Crisis:
    return make_crisis(
        slug="ukraine",
        title="Ukraine crisis",
        summary="Russia masses troops on Ukraine's borders.",
        start_date=dt.date(2021, 11, 1),
    )


def event_on(crisis: Crisis, day: int, title: str, **fields: object) -> Event:
    event = make_event(title=title, start_date=dt.date(2022, 2, day), status=PUBLISHED, **fields)
    event.crises.add(crisis)
    return event


@pytest.fixture
def slides(crisis: Crisis) -> dict[str, Event | Statement]:
    """Three events and Blinken's quote, cited from one Reuters article with a lead image."""
    reuters = make_source(name="Reuters", slug="reuters")
    article = make_article(
        source=reuters,
        title="Troops mass near Ukraine",
        text=TEXT,
        image_url=IMAGE,
        image_caption="Tanks on a train near the border.",
        image_credit="REUTERS/Jane Doe",
    )
    blinken = make_actor(name="Antony Blinken", slug="antony-blinken", status=PUBLISHED)
    massing = event_on(crisis, 11, "Russia masses troops", summary="More troops arrive.")
    EventActor.objects.create(event=massing, actor=blinken, role="mentioned")
    belarus = Place.objects.create(
        slug="belarus", name="Belarus", kind="country", latitude=53.7, longitude=27.9
    )
    massing.place_links.create(place=belarus, mention="Belarus")
    make_citation(event=massing, article=article, start=0, end=74)
    quote = make_statement(
        text="We are on a path of dialogue",
        speaker=blinken,
        date=dt.date(2022, 2, 11),
        status=PUBLISHED,
    )
    quote.crises.add(crisis)
    make_citation(statement=quote, article=article, start=77, end=105)
    exercises = event_on(crisis, 12, "Joint exercises in Belarus")
    make_citation(event=exercises, article=make_article(title="No picture here"), start=0, end=10)
    talks = event_on(crisis, 14, "Talks in Geneva")
    draft = make_event(title="A draft nobody published", start_date=dt.date(2022, 2, 13))
    draft.crises.add(crisis)
    return {"massing": massing, "quote": quote, "exercises": exercises, "talks": talks}


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def heading(html: str) -> str:
    match = re.search(r'<h1 id="slide-heading"[^>]*>(.*?)</h1>', html, re.S)
    assert match, html
    return re.sub(r"<[^>]+>|\s+", " ", match[1]).strip()


def link(html: str, rel: str) -> str:
    match = re.search(rf'rel="{rel}" data-story-go="\w+" href="([^"]+)"', html)
    assert match, f"no {rel} link"
    return match[1].replace("&amp;", "&")


def test_it_opens_on_a_title_slide_and_reads_every_published_item_in_date_order(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    html = page(client, STORY)
    assert heading(html) == "Ukraine crisis"
    assert "4 events and statements, one at a time" in html

    seen = []
    url = link(html, "next")
    for _ in range(4):
        html = page(client, url)
        seen.append(heading(html))
        url = link(html, "next") if 'rel="next"' in html else ""
    # On one day, events come before statements, as on the timeline; the draft never shows.
    assert seen == [
        "Russia masses troops",
        "Antony Blinken",
        "Joint exercises in Belarus",
        "Talks in Geneva",
    ]
    assert url == ""


def test_a_slide_shows_its_date_citation_actors_place_and_the_lead_image_with_its_credit(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    html = page(client, f"{STORY}?slide=event-{slides['massing'].pk}")
    assert '<time datetime="2022-02-11">11 Feb 2022</time>' in html
    assert "More troops arrive." in html
    assert '<q class="excerpt">Russia is massing yet more troops near Ukraine' in html
    assert '<span class="outlet">Reuters</span>' in html
    assert re.search(r'href="/articles/\d+/#cite-\d+"', html)
    assert 'href="/actors/antony-blinken/"' in html
    assert 'href="/places/belarus/">Belarus</a>' in html
    assert f'<img src="{IMAGE}"' in html
    assert "Tanks on a train near the border." in html
    assert "Picture: REUTERS/Jane Doe" in html
    assert 'referrerpolicy="no-referrer"' in html
    assert "Slide 1 of 4" in html


def test_a_slide_without_a_pictured_article_has_no_image(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    html = page(client, f"{STORY}?slide=event-{slides['exercises'].pk}")
    assert "<img" not in html


def test_only_the_story_page_lets_in_the_outlets_https_images_cached_or_not(
    client: Client, slides: dict[str, Event | Statement], settings: Settings
) -> None:
    settings.RESPONSE_CACHE_SECONDS = 300
    url = f"{STORY}?slide=event-{slides['massing'].pk}"
    for _ in range(3):  # built, then from the page cache, then from the fast lane
        with CaptureQueriesContext(connection) as captured:
            policy = client.get(url)["Content-Security-Policy"]
        assert re.search(r"img-src 'self' data: https:", policy), policy
    assert len(captured) == 1  # the data version only: the answer was kept
    timeline = client.get("/crises/ukraine/")["Content-Security-Policy"]
    assert "https:" not in timeline


def test_a_slide_can_be_linked_and_previous_leads_back_to_it(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    html = page(client, f"{STORY}?slide=event-{slides['exercises'].pk}")
    assert "Slide 3 of 4" in html
    before = page(client, link(html, "prev"))
    assert heading(before) == "Antony Blinken"
    assert page(client, link(page(client, link(before, "prev")), "prev")).count("Start the story")


def test_key_items_are_the_story_while_there_are_any_and_all_items_are_a_click_away(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    key_items.items_mark_key(
        items=Event.objects.filter(pk__in=[slides["massing"].pk, slides["talks"].pk]),
        key=True,
        by=None,
    )
    html = page(client, STORY)
    assert "2 key events and statements, chosen by the editors" in html
    assert re.search(r'aria-current="page">Key events <span class="count">\(2\)', html)
    first = page(client, link(html, "next"))
    assert heading(first) == "Russia masses troops"
    assert heading(page(client, link(first, "next"))) == "Talks in Geneva"

    everything = page(client, f"{STORY}?show=all")
    assert "4 events and statements, one at a time" in everything
    # Moving on keeps to all items.
    assert "show=all" in link(everything, "next")


def test_a_link_to_a_slide_that_is_not_key_or_no_longer_is_shows_it_among_all_items(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    key_items.items_mark_key(items=Event.objects.filter(pk=slides["talks"].pk), key=True, by=None)
    for url in (
        f"{STORY}?slide=event-{slides['exercises'].pk}",
        f"{STORY}?show=key&slide=event-{slides['exercises'].pk}",
    ):
        html = page(client, url)
        assert heading(html) == "Joint exercises in Belarus"
        assert "Slide 3 of 4" in html
        assert "show=all" in link(html, "next")


def test_the_timelines_filters_carry_over(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    html = page(client, "/crises/ukraine/?actor=antony-blinken")
    story_link = re.search(r'href="(/crises/ukraine/story/[^"]*)"', html)
    assert story_link and story_link[1] == f"{STORY}?actor=antony-blinken"

    html = page(client, story_link[1])
    assert "2 events and statements" in html  # the event Blinken is in, and his quote
    first = page(client, link(html, "next"))
    assert heading(first) == "Russia masses troops"
    assert "actor=antony-blinken" in link(first, "next")
    assert 'href="/crises/ukraine/story/">Tell the whole crisis' in first


def test_a_slide_that_is_not_in_the_story_is_not_found(
    client: Client, slides: dict[str, Event | Statement]
) -> None:
    draft = Event.objects.get(title="A draft nobody published")
    page(client, f"{STORY}?slide=event-{draft.pk}", status=404)
    page(client, f"{STORY}?slide=nonsense", status=404)
    page(client, "/crises/nowhere/story/", status=404)


def test_a_crisis_with_nothing_published_says_so(client: Client, crisis: Crisis) -> None:
    html = page(client, STORY)
    assert "Nothing has been published yet." in html
    assert 'rel="next"' not in html


def test_marking_a_key_event_changes_the_cached_story_at_once(
    client: Client, slides: dict[str, Event | Statement], settings: Settings
) -> None:
    settings.RESPONSE_CACHE_SECONDS = 300
    assert "4 events and statements" in page(client, STORY)
    key_items.items_mark_key(items=Event.objects.filter(pk=slides["talks"].pk), key=True, by=None)
    assert "1 key event and statement" in page(client, STORY)


def test_the_story_reads_in_a_fixed_number_of_queries_however_many_slides(
    client: Client, crisis: Crisis, slides: dict[str, Event | Statement]
) -> None:
    def queries(url: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    middle = f"{STORY}?slide=event-{slides['exercises'].pk}"
    few = queries(middle), queries(STORY)
    for day in range(1, 28):
        for n in range(4):
            make_citation(event=event_on(crisis, day, f"More {day}.{n}"))
    many = queries(middle), queries(STORY)
    # A slide (12): the crisis; the key items' count; the slide with its category; its actors,
    # citations and places; the count of all items; the slides before it and after it (events,
    # then statements, each); the count of the slides before it.
    # The title slide (5): the crisis, the two counts, the first slides (events, statements).
    assert few == many == (12, 5)

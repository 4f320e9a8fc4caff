"""A reader looks at where the demo crisis happened, clicks a place on the map and reads only what
happened there; zooming and panning the overview's window recounts the markers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ARTIFACTS, check_accessibility
from timeline.models import EventPlace, Place

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from timeline.models import Crisis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMELINE = "/crises/russia-ukraine-2021-2022/"


def busiest_place(demo: Crisis) -> tuple[Place, int]:
    """The place most published demo events of the crisis's period happened at, and how many
    (what the timeline shows; the rest is its background strip)."""
    counts: dict[int, int] = {}
    in_period = demo.events.published().between(demo.start_date, demo.end_date)
    for link in EventPlace.objects.filter(event__in=in_period):
        counts[link.place_id] = counts.get(link.place_id, 0) + 1
    assert counts, "the demo's events have places"
    place_id = max(counts, key=lambda pk: (counts[pk], -pk))
    return Place.objects.get(pk=place_id), counts[place_id]


def test_the_map_shows_a_marker_per_place_and_a_click_filters_the_timeline(
    page: Page, demo: Crisis
) -> None:
    place, count = busiest_place(demo)
    places = EventPlace.objects.filter(event__in=demo.events.published())
    page.goto(TIMELINE)
    page.wait_for_selector("[data-map] .map-land path")  # the countries drew from static/
    markers = page.locator("[data-map] circle[data-place]")
    assert markers.count() == places.values("place").distinct().count()
    marker = page.locator(f'[data-map] circle[data-place="{place.slug}"]')
    # counted within the overview's window, which opens on the bulk of the crisis
    title = marker.locator("title").text_content() or ""
    shown = re.fullmatch(rf"{re.escape(place.name)}: (\d+) events?", title)
    assert shown is not None
    assert 1 <= int(shown.group(1)) <= count
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-map]").screenshot(path=str(ARTIFACTS / "map.png"))

    marker.dispatch_event("click")
    page.wait_for_url(re.compile(rf"\?place={place.slug}$"))
    page.wait_for_selector(f"text={count} event{'s' if count != 1 else ''} and 0 statements")
    assert page.locator("[data-window] article.item").count() == count
    assert (
        page.get_by_role("group", name="Places")
        .get_by_role("checkbox", name=re.compile(re.escape(place.name)))
        .is_checked()
    )
    selected = page.locator(f'[data-map] circle[data-place="{place.slug}"]')
    assert "selected" in (selected.get_attribute("class") or "")

    # the URL carries the state: a fresh load shows the same
    page.goto(page.url)
    assert page.locator("[data-window] article.item").count() == count
    page.locator(f'[data-map] circle[data-place="{place.slug}"]').dispatch_event("click")
    page.wait_for_url(re.compile(rf"{TIMELINE}$"))


def test_moving_the_overview_recounts_the_markers(page: Page, demo: Crisis) -> None:
    page.goto(TIMELINE + "?date_from=2010-01-01")  # the 2014 event on the axis too
    page.wait_for_selector("[data-map] circle[data-place]")
    caption = page.locator("[data-map-caption]")
    before = caption.inner_text()
    total = re.match(r"(\d+) events?", before)
    assert total is not None
    for _ in range(6):
        page.get_by_role("button", name="Zoom in").click()
    for _ in range(4):
        page.get_by_role("button", name="Show earlier").click()
    page.wait_for_function(
        "before => document.querySelector('[data-map-caption]').textContent !== before", arg=before
    )
    after = re.match(r"(\d+) events?", caption.inner_text())
    assert after is not None
    assert int(after.group(1)) < int(total.group(1))


def test_a_keyboard_user_picks_a_place_from_the_list(page: Page, demo: Crisis) -> None:
    place, count = busiest_place(demo)
    page.goto(TIMELINE)
    box = page.get_by_role("group", name="Places").get_by_role(
        "checkbox", name=re.compile(re.escape(place.name))
    )
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(rf"place={place.slug}"))
    assert page.locator("[data-window] article.item").count() == count


def test_the_place_page_lists_its_events_and_leads_to_the_timeline(
    page: Page, demo: Crisis
) -> None:
    place, _ = busiest_place(demo)
    count = EventPlace.objects.filter(place=place, event__in=demo.events.published()).count()
    response = page.goto(f"/places/{place.slug}/")
    assert response is not None
    assert response.status == 200
    assert page.locator(".event-list li").count() == count
    page.get_by_role("link", name=re.compile(f"{re.escape(place.name)} in the timeline")).click()
    page.wait_for_url(re.compile(rf"\?place={place.slug}$"))


@pytest.mark.parametrize("path", [TIMELINE, "place"])
def test_axe_finds_no_serious_problem_on_the_map_and_place_pages(
    page: Page, demo: Crisis, path: str
) -> None:
    if path == "place":
        path = f"/places/{busiest_place(demo)[0].slug}/"
    page.goto(path)
    page.wait_for_selector("[data-map] circle[data-place]" if path == TIMELINE else "h1")
    assert check_accessibility(page) == []

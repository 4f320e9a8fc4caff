"""A reader, with a mouse and with the keyboard only, goes from the home page to what Blinken said
and lands on the highlighted sentence of the Reuters article."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ARTIFACTS, check_accessibility

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

    from timeline.models import Crisis

# The live server needs committed rows; serialized_rollback puts back what the migrations seeded
# (categories, the editors group) once each test has emptied the database, for the tests after.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMELINE = "/crises/russia-ukraine-2021-2022/"
QUOTE = "We’re in a window when an invasion could begin at any time"


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def published_counts(demo: Crisis) -> tuple[int, int]:
    """How many events and statements the demo loader published in the crisis's period (what
    the reader's timeline counts; the rest is its background strip)."""
    period = demo.start_date, demo.end_date
    return (
        demo.events.published().between(*period).count(),
        demo.statements.published().filter(date__isnull=False).between(*period).count(),
    )


def test_a_reader_narrows_to_blinken_and_follows_his_quote_to_the_source(
    page: Page, demo: Crisis
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Russia–Ukraine crisis, 2021–2022", exact=True).click()
    page.wait_for_url(f"**{TIMELINE}")
    assert page.locator("[data-window] article.item").count() == sum(published_counts(demo))

    page.get_by_role("checkbox", name=re.compile("Antony Blinken")).check()
    page.wait_for_url(re.compile(r"actor=antony-blinken"))
    page.wait_for_selector("text=0 events and 2 statements match these filters.")
    quote = page.locator("article.statement", has_text=QUOTE)
    assert quote.locator(".speaker").inner_text() == "Antony Blinken"

    quote.get_by_role("link", name=re.compile("Read in the source")).click()
    page.wait_for_url(re.compile(r"/articles/\d+/#cite-\d+$"))
    target = page.locator(":target")
    assert QUOTE in target.inner_text()
    assert target.evaluate("el => el.tagName") == "MARK"
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 210, 77)"
    # The article's other cited sentences are marked subtly, not painted yellow.
    other = page.locator("mark.cite:not(:target)").first
    assert other.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_a_keyboard_user_does_the_same_without_a_mouse(page: Page) -> None:
    page.goto("/")
    tab_to(page, "a[href='/crises/russia-ukraine-2021-2022/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{TIMELINE}")

    tab_to(page, "#f-actor-antony-blinken")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"actor=antony-blinken"))
    page.wait_for_selector("text=0 events and 2 statements match these filters.")
    assert page.evaluate("document.activeElement.id") == "f-actor-antony-blinken"

    tab_to(page, "#main .reading a.source-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/\d+/#cite-\d+$"))
    assert QUOTE in page.locator(":target").inner_text()


def test_the_overview_zooms_pans_and_moves_the_reading_view(page: Page) -> None:
    # From 2010 on, the 2014 event is on the axis (without a date filter it is background).
    page.goto(TIMELINE + "?date_from=2010-01-01")
    band = page.locator("[data-overview]")
    assert band.is_visible()
    # It opens on the busy week of Feb 2022 (one 2014 event would squeeze it into a sliver).
    assert band.get_attribute("data-unit") == "day"
    units = []
    for _ in range(8):
        page.get_by_role("button", name="Zoom out").click()
        units.append(band.get_attribute("data-unit"))
    assert units[-1] in ("month", "year")
    for _ in range(8):
        page.get_by_role("button", name="Zoom in").click()
        units.append(band.get_attribute("data-unit"))
    assert units[-1] == "day"
    assert {"day", "week", "month"} <= set(units)

    track = page.get_by_role("slider")
    track.focus()
    page.keyboard.press("End")
    valuetext = track.get_attribute("aria-valuetext")
    assert valuetext is not None
    assert "2022" in valuetext
    page.keyboard.press("-")
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    first_day = page.locator(".day").first
    assert first_day.get_attribute("data-date") == "2014-01-01"

    box = track.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + 10, steps=5)
    page.mouse.up()
    assert page.url.endswith(TIMELINE + "?date_from=2010-01-01")  # a drag pans, no jump


def test_search_finds_a_quote_and_back_and_forward_restore_each_view(
    page: Page, demo: Crisis
) -> None:
    events, statements = published_counts(demo)
    page.goto(TIMELINE)
    page.get_by_label("Search titles, summaries and quotes").fill("window")
    page.wait_for_url(re.compile(r"q=window"))
    page.wait_for_selector("text=0 events and 1 statement match these filters.")
    assert page.locator("article.statement").inner_text().startswith(QUOTE)

    page.get_by_role("checkbox", name=re.compile("Antony Blinken")).check()
    page.wait_for_url(re.compile(r"actor=antony-blinken"))

    page.go_back()
    page.wait_for_url(re.compile(r"\?q=window$"))
    page.wait_for_function("() => !document.querySelector('#f-actor-antony-blinken').checked")
    page.go_back()
    page.wait_for_url(f"**{TIMELINE}")
    page.wait_for_selector(f"text={events} events and {statements} statements.")
    page.go_forward()
    page.wait_for_selector("text=0 events and 1 statement match these filters.")
    assert page.get_by_label("Search titles, summaries and quotes").input_value() == "window"


def test_search_by_an_actors_name_finds_what_they_said(page: Page) -> None:
    page.goto(TIMELINE)
    page.get_by_label("Search titles, summaries and quotes").fill("blinken")
    page.wait_for_url(re.compile(r"q=blinken"))
    page.wait_for_selector("text=match these filters.")

    quotes = page.locator("[data-window] article.statement")
    assert quotes.count() >= 2  # the Secretary of State is quoted twice
    for text in quotes.all_inner_texts():
        assert "Blinken" in text
    # the axis reads the new view's items: let it finish before the database is emptied
    page.wait_for_load_state("networkidle")


def test_the_pages_work_without_javascript(
    browser: Browser, live_server: LiveServer, demo: Crisis
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(TIMELINE)
    assert not page.locator("[data-overview]").is_visible()
    page.get_by_role("checkbox", name=re.compile("Antony Blinken")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"actor=antony-blinken"))
    assert page.locator("article.statement").count() == 2
    page.locator(".jump summary").click()
    page.get_by_role("link", name=re.compile("Feb 2022")).click()
    page.wait_for_url(re.compile(r"at=2022-02-01"))
    context.close()


def test_tab_order_reaches_every_control_with_a_visible_focus(page: Page) -> None:
    page.goto(TIMELINE)
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        seen.append(
            page.evaluate(
                "(el => el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30))"
                "(document.activeElement)"
            )
        )
        assert outline != "none", seen[-1]
    assert seen[0] == "Skip to content"
    assert "Zoom in" in seen and any("Overview of the timeline" in s for s in seen)


def demo_paths(demo: Crisis) -> dict[str, str]:
    article = demo.articles.get()
    citation = article.citations.filter(statement__speaker__slug="antony-blinken").first()
    event = demo.events.published().first()
    assert citation is not None
    assert event is not None
    return {
        "home": "/",
        "timeline": TIMELINE,
        "filtered": TIMELINE + "?actor=antony-blinken&q=window",
        "event": event.get_absolute_url(),
        "actor": "/actors/antony-blinken/",
        "source": f"{article.get_absolute_url()}#cite-{citation.pk}",
    }


@pytest.mark.parametrize("name", ["home", "timeline", "filtered", "event", "actor", "source"])
def test_axe_finds_no_serious_accessibility_problem(page: Page, demo: Crisis, name: str) -> None:
    response = page.goto(demo_paths(demo)[name])
    assert response is not None
    assert response.status == 200
    assert check_accessibility(page) == []


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 360)])
def test_screenshots_of_the_timeline(
    browser: Browser, live_server: LiveServer, demo: Crisis, name: str, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(TIMELINE)
    page.get_by_role("button", name="Zoom in").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"timeline-{name}.png"))
    page.screenshot(path=str(ARTIFACTS / f"timeline-{name}-full.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    page.goto(TIMELINE + "?actor=antony-blinken")
    page.locator(".reading").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"timeline-{name}-blinken.png"))
    response = page.goto(demo_paths(demo)["source"])
    assert response is not None
    assert response.status == 200
    page.screenshot(path=str(ARTIFACTS / f"source-{name}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_on_a_phone_the_filters_start_folded_and_the_first_event_is_on_screen(
    browser: Browser, live_server: LiveServer, demo: Crisis
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto(TIMELINE)

    panel = page.locator("[data-filters-panel]")
    assert panel.evaluate("el => el.open") is False
    assert page.locator("#filter-q").is_hidden()
    page.get_by_text("Filters", exact=True).click()
    assert page.locator("#filter-q").is_visible()
    context.close()


def test_a_reader_finds_an_actor_by_typing_part_of_the_name(page: Page) -> None:
    page.goto(TIMELINE)
    page.get_by_placeholder("Find an actor").fill("blink")

    visible = page.locator(".checklist.actors > label:visible")
    assert visible.count() == 1
    assert "Antony Blinken" in visible.inner_text()
    visible.get_by_role("checkbox").check()
    page.wait_for_url(re.compile(r"actor=antony-blinken"))
    assert page.get_by_placeholder("Find an actor").input_value() == "blink"


def test_a_keyboard_user_skips_the_filters_to_the_results(page: Page) -> None:
    page.goto(TIMELINE)
    tab_to(page, "a[href='#results']")
    page.evaluate("document.getElementById('results').dataset.first = 'yes'")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # time for a reload, were the fragment to ask for one

    assert page.evaluate("document.getElementById('results').dataset.first") == "yes"
    assert page.evaluate("document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#results')")


def test_the_background_strip_opens_on_the_items_before_the_crisis(page: Page) -> None:
    page.goto(TIMELINE)
    strip = page.locator("[data-background]")
    crimea = strip.get_by_role("link", name="Russia annexes Crimea from Ukraine")
    assert crimea.is_hidden()

    strip.get_by_text("Background", exact=True).click()
    assert crimea.is_visible()
    assert page.locator("[data-window]").get_by_text("Russia annexes Crimea").count() == 0

"""A reader uses the axis at the top of the demo crisis's timeline: reads the items' labels at the
default zoom, hovers one for its card, picks one to read it in the list, moves between items with
the keyboard, changes the lanes, and scrolls the list with the axis in view."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ARTIFACTS, check_accessibility

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page
    from pytest_django.live_server_helper import LiveServer

    from timeline.models import Crisis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMELINE = "/crises/russia-ukraine-2021-2022/"
MACRON = "Macron visits Moscow"
LABELLED = ".axis-item:not([hidden]):not(.bare)"


def labels(page: Page) -> list[str]:
    page.wait_for_selector(LABELLED)
    return page.locator(f"{LABELLED} .axis-label").all_inner_texts()


def axis_item(page: Page, title: str) -> Locator:
    return page.locator(".axis-item:not([hidden])", has_text=title).first


def test_the_axis_labels_the_items_at_the_default_zoom(page: Page) -> None:
    page.goto(TIMELINE)
    shown = labels(page)
    assert len(shown) >= 5
    assert any(label.startswith(MACRON) for label in shown)
    assert any(label.startswith("Russia masses more troops") for label in shown)
    # titled by their first actor too, in their category's colour
    assert "Macron visits Moscow · Emmanuel Macron" in (
        axis_item(page, MACRON).text_content() or ""
    )
    bar = axis_item(page, MACRON).locator(".axis-bar")
    assert bar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(31, 95, 168)"
    assert axis_item(page, MACRON).is_visible()
    assert "labelled" in page.locator("[data-scale]").inner_text()


def test_ranges_and_uncertain_dates_are_drawn_as_such(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    # "Russia launches joint military exercises": known to its week, 7-13 Feb
    week = axis_item(page, "Russia launches joint military exercises")
    assert "uncertain" in (week.get_attribute("class") or "")
    assert week.locator(".axis-bar").evaluate("el => getComputedStyle(el).borderTopStyle") == (
        "dashed"
    )
    day = axis_item(page, MACRON).locator(".axis-bar").bounding_box()
    whole_week = week.locator(".axis-bar").bounding_box()
    assert day is not None
    assert whole_week is not None
    assert 6 * day["width"] < whole_week["width"] < 8 * day["width"]


def test_a_two_day_event_is_drawn_across_both_days(page: Page) -> None:
    # "Biden meets national security advisers", Thursday 10 and Friday 11 Feb, and a one-day call
    page.goto(TIMELINE + "?category=diplomatic&q=Biden")
    labels(page)
    meeting = page.locator(".axis-item.range", has_text="Biden meets").locator(".axis-bar")
    call = page.locator(".axis-item:not(.range)", has_text="Biden to hold").locator(".axis-bar")
    two_days, one_day = meeting.bounding_box(), call.bounding_box()
    assert two_days is not None
    assert one_day is not None
    assert 1.8 * one_day["width"] < two_days["width"] < 2.2 * one_day["width"]
    assert abs(two_days["x"] + two_days["width"] / 2 - one_day["x"]) < 2  # the call on Friday


def test_hovering_an_item_shows_its_card_with_date_actors_and_first_citation(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    axis_item(page, MACRON).hover()
    card = page.locator("[data-axis-card]")
    assert card.is_visible()
    text = card.inner_text()
    assert "7 Feb 2022" in text
    assert MACRON in text
    assert "Emmanuel Macron" in text
    assert card.locator(".axis-card-citation").inner_text().startswith("“")
    page.mouse.move(5, 5)
    assert card.is_hidden()


def test_a_click_selects_the_item_and_scrolls_the_list_to_it(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    item = axis_item(page, MACRON)
    anchor = (item.get_attribute("href") or "").removeprefix("#")
    item.click()
    target = page.locator(f"[data-window] #{anchor}")
    page.wait_for_function("id => document.activeElement.id === id", arg=anchor)
    assert "axis-selected" in (target.get_attribute("class") or "")
    assert item.get_attribute("aria-current") == "true"
    box = target.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 900  # on screen, below the axis that sticks to the top
    axis_box = page.locator(".overview").bounding_box()
    assert axis_box is not None
    assert axis_box["y"] <= 1
    assert box["y"] >= axis_box["y"] + axis_box["height"] - 1
    assert page.url.endswith(TIMELINE)  # already loaded: no navigation


def test_the_keyboard_moves_between_items_and_enter_shows_one_in_the_list(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    first = page.locator(".axis-item[tabindex='0']")
    assert first.count() == 1
    first.focus()
    card = page.locator("[data-axis-card]")
    assert card.is_visible()

    seen = [page.evaluate("document.activeElement.dataset.cursor")]
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        seen.append(page.evaluate("document.activeElement.dataset.cursor"))
    assert seen == sorted(seen)
    assert len(set(seen)) == 5  # five different items, in the timeline's order
    title = page.evaluate("document.activeElement.querySelector('.axis-label').textContent")
    assert title.split(" · ")[0].split(": ")[-1][:20] in card.inner_text()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.dataset.cursor") == seen[3]

    anchor = page.evaluate("document.activeElement.getAttribute('href').slice(1)")
    page.keyboard.press("Enter")
    page.wait_for_function("id => document.activeElement.id === id", arg=anchor)
    # Shift+Tab from the list comes back to the axis, on the item chosen
    page.locator(".overview [data-lanes]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{anchor}"


def test_focus_follows_a_jump_from_the_date_slider_to_the_list(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    page.get_by_role("slider").focus()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('[data-window] article.item')")
    days = page.locator("[data-window] .day").evaluate_all("days => days.map(d => d.dataset.date)")
    day = page.evaluate("document.activeElement.closest('.day').dataset.date")
    assert day == days[-1]


def test_the_arrow_keys_go_on_past_the_loaded_items_to_the_next_ones(page: Page) -> None:
    page.goto(TIMELINE + "?date_from=2010-01-01")  # the 2014 annexation, far to the left
    labels(page)
    page.locator(".axis-item[tabindex='0']").focus()
    for _ in range(20):
        if "Crimea" in page.evaluate("document.activeElement.textContent"):
            break
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(50)  # the next window is read from the server
    assert "Russia annexes Crimea" in page.evaluate("document.activeElement.textContent")
    # the axis's view went there with the focus, and the card tells of it
    assert page.evaluate("document.getElementById('timeline-app').overview.viewStart") < 16_500
    assert "2014" in page.locator("[data-axis-card]").inner_text()


def test_lanes_by_actor_are_chosen_in_the_url(page: Page) -> None:
    page.goto(TIMELINE)
    labels(page)
    page.get_by_role("combobox", name="Lanes").select_option("actor")
    page.wait_for_url(re.compile(r"\?lanes=actor$"))
    legend = page.locator("[data-overview] .legend")
    page.wait_for_function(
        "() => document.querySelector('[data-overview] .legend').textContent"
        ".includes('Other actors')"
    )
    assert "Military" not in legend.inner_text()
    assert labels(page)
    # a filter keeps the lanes, and a fresh load of the URL shows them
    page.get_by_role("checkbox", name=re.compile("Antony Blinken")).check()
    page.wait_for_url(re.compile(r"actor=antony-blinken.*lanes=actor|lanes=actor.*actor=antony"))
    page.goto(TIMELINE + "?lanes=place")
    assert page.get_by_role("combobox", name="Lanes").input_value() == "place"
    page.wait_for_function(
        "() => document.querySelector('[data-overview] .legend').textContent.includes('Elsewhere')"
    )


def test_the_axis_stays_in_view_and_follows_the_list_as_it_scrolls(page: Page) -> None:
    page.goto(TIMELINE + "?date_from=2010-01-01")
    labels(page)
    overview = page.locator(".overview")
    page.locator("[data-window] .day").last.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    box = overview.bounding_box()
    assert box is not None
    assert box["y"] <= 1  # stuck to the top
    assert page.locator(LABELLED).first.is_visible()
    # to the 2014 item at the top of the list: the axis's window moves back to it
    page.locator("[data-window] .day").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const o = document.getElementById('timeline-app').overview;"
        " return o.viewStart < o.visible[1] && o.visible[0] < o.viewEnd; }"
    )


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1366, 900), ("phone", 390, 844)])
def test_the_axis_at_desktop_and_phone_width(
    browser: Browser, live_server: LiveServer, demo: Crisis, name: str, width: int, height: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(TIMELINE)
    assert labels(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"axis-{name}.png"))
    page.locator(LABELLED).first.hover()
    page.screenshot(path=str(ARTIFACTS / f"axis-{name}-card.png"))
    page.locator("[data-window] .day").nth(3).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"axis-{name}-scrolled.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    overview = page.locator(".overview").bounding_box()
    assert overview is not None
    assert overview["height"] < height / 2  # the list keeps most of the screen
    context.close()


@pytest.mark.parametrize("query", ["", "?lanes=actor", "?lanes=place"])
def test_axe_finds_no_serious_problem_with_the_axis(page: Page, query: str) -> None:
    page.goto(TIMELINE + query)
    labels(page)
    page.locator(LABELLED).first.hover()
    assert page.locator("[data-axis-card]").is_visible()
    assert check_accessibility(page) == []

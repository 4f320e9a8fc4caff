"""A reader tells the demo crisis as a story in Chromium: forward and back with the arrow keys,
with Previous and Next and with a swipe, the URL following each slide; the key events the
editors chose; and no accessibility problem at desktop or phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ARTIFACTS, check_accessibility, page_errors
from timeline.models import Article, Citation, Event
from timeline.services import key_items

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize
    from pytest_django.live_server_helper import LiveServer

    from timeline.models import Crisis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STORY = "/crises/russia-ukraine-2021-2022/story/"
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# The outlet's lead image, answered by the test itself: the browser never leaves the machine.
IMAGE = "https://images.outlet.example/lead.svg"
PICTURE = """<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
<rect width="1200" height="800" fill="#9bb0c4"/><circle cx="600" cy="400" r="220" fill="#5b6f86"/>
</svg>"""


def slides_in_order(demo: Crisis) -> list[str]:
    """The slides' parameters as the story orders them: date, events before statements, id."""
    events = [(e.start_date, 0, e.pk) for e in demo.events.published()]
    statements = [(s.date, 1, s.pk) for s in demo.statements.published().exclude(date=None)]
    return [
        f"{'event' if rank == 0 else 'statement'}-{pk}"
        for _, rank, pk in sorted(events + statements)
    ]


def open_page(browser: Browser, live_server: LiveServer, viewport: ViewportSize) -> Page:
    context = browser.new_context(viewport=viewport, base_url=live_server.url, has_touch=True)
    page = context.new_page()
    page.route(
        IMAGE, lambda route: route.fulfill(body=PICTURE, content_type="image/svg+xml", status=200)
    )
    return page


@pytest.fixture
def reader(browser: Browser, live_server: LiveServer, demo: Crisis) -> Iterator[Page]:
    """A reader at desktop size; any JavaScript error or CSP violation fails the test."""
    page = open_page(browser, live_server, DESKTOP)
    errors = page_errors(page)
    yield page
    page.context.close()
    assert not errors, errors


def slide_param(page: Page) -> str:
    return page.locator("#slide").get_attribute("data-slide") or ""


def position(page: Page) -> str:
    return page.locator("[data-story-position] .visually-hidden").inner_text()


def wait_for_slide(page: Page, param: str) -> None:
    page.wait_for_function("p => document.querySelector('#slide').dataset.slide === p", arg=param)
    assert page.url.endswith(f"slide={param}")


def test_the_arrow_keys_move_forward_and_back_and_the_url_follows(
    reader: Page, demo: Crisis
) -> None:
    order = slides_in_order(demo)
    reader.goto(STORY)
    assert reader.locator("#slide-heading").inner_text() == demo.title

    reader.keyboard.press("ArrowRight")
    wait_for_slide(reader, order[0])
    reader.keyboard.press("ArrowRight")
    wait_for_slide(reader, order[1])
    assert f"Slide 2 of {len(order)}" in position(reader)
    reader.wait_for_function(
        "() => document.querySelector('[data-story-announce]').textContent.startsWith('Slide 2')"
    )
    reader.keyboard.press("ArrowLeft")
    wait_for_slide(reader, order[0])
    # The slide has the focus, so a screen reader reads it next; the strip marks it.
    assert reader.evaluate("() => document.activeElement.id") == "slide"
    current = reader.locator(".story-tick.current a")
    assert current.get_attribute("aria-current") == "step"

    # The browser's back and forward buttons walk the same slides.
    reader.go_back()
    wait_for_slide(reader, order[1])
    reader.go_forward()
    wait_for_slide(reader, order[0])
    # A reloaded (or shared) URL opens on that slide.
    reader.reload()
    assert slide_param(reader) == order[0]


def test_previous_and_next_move_and_keep_the_focus_for_the_next_press(
    reader: Page, demo: Crisis
) -> None:
    order = slides_in_order(demo)
    reader.goto(STORY)
    reader.get_by_role("link", name="Start the story").click()
    wait_for_slide(reader, order[0])

    reader.get_by_role("link", name=re.compile("^Next")).click()
    wait_for_slide(reader, order[1])
    assert reader.evaluate("() => document.activeElement.getAttribute('rel')") == "next"
    reader.keyboard.press("Enter")
    wait_for_slide(reader, order[2])
    reader.get_by_role("link", name=re.compile("^Previous")).click()
    wait_for_slide(reader, order[1])
    reader.wait_for_function(
        "n => document.querySelector('[data-story-announce]').textContent.startsWith("
        "`Slide 2 of ${n}`)",
        arg=len(order),
    )


def test_a_swipe_moves_to_the_next_slide_and_back(reader: Page, demo: Crisis) -> None:
    order = slides_in_order(demo)
    reader.goto(f"{STORY}?slide={order[0]}")

    def swipe(dx: int) -> None:
        reader.evaluate(
            """dx => {
              const slide = document.querySelector('#slide');
              const box = slide.getBoundingClientRect();
              const at = (x) => ({bubbles: true, pointerId: 7, pointerType: 'touch',
                                  clientX: x, clientY: box.top + 100});
              const x = box.left + box.width / 2;
              slide.dispatchEvent(new PointerEvent('pointerdown', at(x)));
              slide.dispatchEvent(new PointerEvent('pointerup', at(x + dx)));
            }""",
            dx,
        )

    swipe(-200)
    wait_for_slide(reader, order[1])
    swipe(200)
    wait_for_slide(reader, order[0])
    swipe(-20)  # too short: a tap, not a swipe
    reader.wait_for_timeout(300)
    assert slide_param(reader) == order[0]


def test_the_story_tells_the_key_events_and_all_items_on_request(
    reader: Page, demo: Crisis
) -> None:
    key = list(demo.events.published().order_by("start_date", "pk")[:2])
    key_items.items_mark_key(
        items=Event.objects.filter(pk__in=[e.pk for e in key]), key=True, by=None
    )
    reader.goto(STORY)
    assert "2 key events and statements" in reader.locator("#slide").inner_text()
    reader.keyboard.press("ArrowRight")
    wait_for_slide(reader, f"event-{key[0].pk}")
    reader.keyboard.press("ArrowRight")
    wait_for_slide(reader, f"event-{key[1].pk}")
    assert reader.locator("[data-story-nav] [rel=next]").count() == 0  # the last key event

    reader.get_by_role("link", name=re.compile("^All items")).click()
    reader.wait_for_url(re.compile(r"show=all"))
    total = len(slides_in_order(demo))
    assert position(reader).endswith(f" of {total}")
    assert slide_param(reader) == f"event-{key[1].pk}"


def with_lead_image(demo: Crisis) -> str:
    """Gives the article cited by the first slide a lead image; returns that slide."""
    first = slides_in_order(demo)[0]
    kind, pk = first.split("-")
    citation = Citation.objects.filter(**{kind: int(pk)}).first()
    assert citation is not None
    Article.objects.filter(pk=citation.article_id).update(
        image_url=IMAGE, image_caption="Troops on exercise.", image_credit="REUTERS/Jane Doe"
    )
    return first


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_axe_finds_no_serious_problem_and_screenshots_are_taken(
    browser: Browser, live_server: LiveServer, demo: Crisis, name: str, viewport: ViewportSize
) -> None:
    first = with_lead_image(demo)
    statement = next(s for s in slides_in_order(demo) if s.startswith("statement"))
    page = open_page(browser, live_server, viewport)
    ARTIFACTS.mkdir(exist_ok=True)
    for label, url in [
        ("title", STORY),
        ("image", f"{STORY}?slide={first}"),
        ("statement", f"{STORY}?slide={statement}"),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert check_accessibility(page) == [], (label, name)
        page.screenshot(path=str(ARTIFACTS / f"story-{name}-{label}.png"), full_page=True)
    assert page.locator("#slide").count() == 1
    page.goto(f"{STORY}?slide={first}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".slide-image img").evaluate("img => img.naturalWidth") > 0
    page.context.close()


def test_the_timeline_links_to_its_story_and_the_story_reads_without_javascript(
    browser: Browser, live_server: LiveServer, demo: Crisis
) -> None:
    order = slides_in_order(demo)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/crises/russia-ukraine-2021-2022/")
    page.get_by_role("link", name=re.compile("Read it as a story")).click()
    page.get_by_role("link", name="Start the story").click()
    assert slide_param(page) == order[0]
    page.get_by_role("link", name=re.compile("^Next")).click()
    assert slide_param(page) == order[1]
    page.get_by_role("link", name=re.compile("^Previous")).click()
    assert slide_param(page) == order[0]
    context.close()

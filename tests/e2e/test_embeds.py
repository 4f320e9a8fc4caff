"""A newsroom puts the live timeline in its article: in Chromium, the embed shows in a page of an
allowed origin and is refused by any other, and the timeline page hands out its code.

The newsroom pages are served on loopback by the test itself (its own origins, 127.0.0.1 on
ports of their own), the embed by the live server (localhost). A page Playwright made up (a routed
one) would not do: Chromium treats it as a public site, and keeps public sites from framing a
local server at all (Local Network Access), which would hide what the policy decides.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from pytest_django.fixtures import Settings
    from pytest_django.live_server_helper import LiveServer

    from timeline.models import Crisis

# The live server needs committed rows; serialized_rollback puts back what the migrations seeded.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@contextmanager
def newsroom_site(frame_url: str) -> Iterator[str]:
    """A site on loopback whose every page frames `frame_url`; yields its origin."""
    body = (
        "<!doctype html><html lang='en'><head><title>Our coverage</title></head><body>"
        "<h1>Live: the Ukraine crisis</h1>"
        f"<iframe src='{frame_url}' title='Timeline' width='700' height='600'></iframe>"
        "</body></html>"
    ).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, demo: Crisis) -> Iterator[BrowserContext]:
    # Not conftest's `page`: a refused frame is a CSP report in the console, which it fails on.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    yield context
    context.close()


def test_an_allowed_newsroom_shows_the_live_timeline_in_its_page(
    context: BrowserContext, live_server: LiveServer, demo: Crisis, settings: Settings
) -> None:
    with newsroom_site(f"{live_server.url}/embed/crises/{demo.slug}/") as newsroom:
        settings.EMBED_ALLOWED_ORIGINS = [newsroom]
        page = context.new_page()
        page.goto(f"{newsroom}/live")

        frame = page.frame_locator("iframe")
        frame.locator("h1").wait_for()
        assert frame.locator("h1").inner_text() == demo.title
        assert frame.locator("[data-window] article.item").count() > 0
        # an item opens in a new tab, not inside the newsroom's frame
        with context.expect_page() as opened:
            frame.locator("[data-window] article.item .item-title a").first.click()
        assert opened.value.url.startswith(f"{live_server.url}/events/")


def refused_frame(context: BrowserContext, site: str) -> tuple[Page, list[str]]:
    """The site's page, once the browser has refused the frame in it, and its console."""
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(f"{site}/copy")
    return page, console


def test_another_site_cannot_frame_the_timeline(
    context: BrowserContext, live_server: LiveServer, demo: Crisis, settings: Settings
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = ["http://news.example.com"]

    with newsroom_site(f"{live_server.url}/embed/crises/{demo.slug}/") as elsewhere:
        page, console = refused_frame(context, elsewhere)

        assert any("violates the following Content Security Policy directive" in t for t in console)
        page.frames[1].wait_for_url("chrome-error://**")  # the browser's "refused" page
        assert page.frame_locator("iframe").locator("[data-window]").count() == 0


def test_the_timeline_page_is_never_framed_even_by_an_allowed_newsroom(
    context: BrowserContext, live_server: LiveServer, demo: Crisis, settings: Settings
) -> None:
    with newsroom_site(f"{live_server.url}/crises/{demo.slug}/") as newsroom:
        settings.EMBED_ALLOWED_ORIGINS = [newsroom]
        page, console = refused_frame(context, newsroom)

        assert any("violates the following Content Security Policy directive" in t for t in console)
        page.frames[1].wait_for_url("chrome-error://**")  # the browser's "refused" page
        assert page.frame_locator("iframe").locator("[data-window]").count() == 0


def test_a_reader_copies_the_embed_code_of_the_view_they_filtered(
    context: BrowserContext, live_server: LiveServer, demo: Crisis
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"/crises/{demo.slug}/?category=diplomatic")

    page.locator("[data-embed-code] summary").click()
    page.get_by_role("button", name="Copy the code").click()

    expect(page.locator("[data-embed-status]")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        f'<iframe src="{live_server.url}/embed/crises/{demo.slug}/?category=diplomatic"'
    )
    assert copied == page.locator("[data-embed-html]").input_value()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_embed_has_no_accessibility_violations(
    context: BrowserContext, demo: Crisis, width: int
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/embed/crises/{demo.slug}/")

    assert check_accessibility(page) == []
    # the frame's width is the page's: nothing pushes it sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width

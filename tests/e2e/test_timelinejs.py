"""The TimelineJS download, loaded by TimelineJS 3.9.11 itself (vendored from its npm package) in
Chromium: no error, a slide per event, and the hostile text shown as words, never run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from tests.factories import make_citation, make_crisis, make_event
from tests.responses import content
from timeline.models import Status

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENDOR = Path(__file__).resolve().parent / "vendor"
SCRIPT = "<script>window.__xss = 1</script>"
IMAGE = '<img src=x onerror="window.__xss = 2">'
PAGE = """<!doctype html><html><head><meta charset="utf-8"></head>
<body><div id="timeline" style="width: 1000px; height: 600px"></div></body></html>"""


def test_timelinejs_renders_a_slide_per_event_and_runs_none_of_the_text(browser: Browser) -> None:
    crisis = make_crisis(slug="hostile", title=f"Crisis {SCRIPT}")
    for n in range(5):
        event = make_event(
            title=f"Event {n} {IMAGE}",
            summary=f"Line one {SCRIPT}\r\nline two\r\n\r\nAnother paragraph",
            start_date=dt.date(2022, 2, 1 + n),
            status=Status.PUBLISHED,
        )
        event.crises.add(crisis)
        make_citation(event=event)
    response = Client().get("/crises/hostile/timelinejs.json")
    document = json.loads(content(response))

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.set_content(PAGE)
        page.add_style_tag(path=str(VENDOR / "timelinejs-3.9.11.css"))
        page.add_script_tag(path=str(VENDOR / "timelinejs-3.9.11.min.js"))
        page.evaluate("data => { window.tl = new TL.Timeline('timeline', data); }", document)
        page.wait_for_selector(".tl-slide-content", state="attached", timeout=10_000)

        # The title slide and one per event.
        assert page.locator(".tl-slide").count() == 1 + 5
        assert page.evaluate("window.__xss") is None
        assert errors == []
        headline = page.locator(".tl-slide .tl-headline", has_text="Event 0").first
        assert IMAGE in headline.inner_text()  # shown as text
        text = page.locator(".tl-slide .tl-text-content", has_text="Line one").first
        assert SCRIPT in text.inner_text()
        assert text.locator("p").count() >= 3  # two paragraphs of summary, then the sources
        assert text.locator("a[href*='#cite-']").count() == 1
    finally:
        page.close()

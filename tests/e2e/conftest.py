"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

A missing browser fails these tests (it is never a skip): `make test` installs Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.fixtures import Settings
    from pytest_django.live_server_helper import LiveServer

    from timeline.models import Crisis

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"

# The starting categories of migration 0002: the live server's database is emptied between
# tests (transactional), so they are put back before the demo loads.
CATEGORIES = [
    ("military", "Military", "#b5332e", 1),
    ("diplomatic", "Diplomatic", "#1f5fa8", 2),
    ("statement", "Statement", "#6b4fa0", 3),
    ("economic", "Economic", "#1d7a4f", 4),
    ("humanitarian", "Humanitarian", "#b8620b", 5),
    ("other", "Other", "#5b6770", 6),
]


# Module scope, not session: a sync Playwright left running would stop other test modules from
# starting their own (it keeps an event loop in this thread).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make browser` (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: None, settings: Settings) -> Crisis:
    """The demo crisis: the seed Reuters article ingested by the extraction pipeline."""
    from django.core.management import call_command

    from timeline.models import EventCategory

    for slug, name, colour, position in CATEGORIES:
        EventCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "position": position}
        )
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    from timeline.models import Crisis

    return Crisis.objects.get()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, demo: Crisis) -> Iterator[Page]:
    """A fresh page at desktop size; fails the test on any JavaScript error or CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    errors = page_errors(page)
    yield page
    context.close()
    assert not errors, errors


def page_errors(page: Page) -> list[str]:
    """The JavaScript errors and CSP violations of `page` from now on, as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def check_accessibility(page: Page) -> list[dict[str, object]]:
    """Serious and critical axe-core violations of WCAG 2.1 A and AA on the current page."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]

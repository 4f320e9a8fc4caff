"""Hostile content is data: stored as given, shown escaped everywhere, never executed.

Article text, titles, quotes, actor names, editors' notes and URLs hold HTML, <script>, event
handlers, `javascript:` URLs, CSS, right-to-left and zero-width characters, a very long word, a
spreadsheet formula, iCalendar line breaks and replacement characters (what undecodable bytes
become). Then every reader page, feed and export, every API endpoint and the admin are walked:

- in Chromium, under the site's Content-Security-Policy: no script from the data runs (no
  `window.__xss`, no dialog), no element or attribute comes from it, no CSP violation is reported,
  and the hostile strings are on the page as text;
- feeds and exports parse as what they claim to be, and carry the strings exactly (CSV cells
  starting with a formula character are defused; iCalendar text cannot start a new event).

The URLs come from timeline/urls.py and the API's router at run time, so new pages are walked too.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, reverse

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Crisis,
    Event,
    EventActor,
    EventCategory,
    EventPlace,
    Place,
    Source,
    Statement,
    Status,
)

if TYPE_CHECKING:
    from playwright.sync_api import Dialog

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

SCRIPT = "<script>window.__xss='script'</script>"
NAME = f'{SCRIPT}"><img src=x onerror="window.__xss=\'img\'"> \u202eevil\u202c zero\u200bwidth'
TITLE = (
    '=HYPERLINK("http://evil.example","x") '
    + NAME
    + " </title></textarea><svg onload=\"window.__xss='svg'\"><style>body{display:none}</style>"
)
TEXT = (
    f"{TITLE}\n\n"
    "“Things could go crazy quickly,” Biden told NBC News on Friday.\n\n"
    f"{'W' * 3000}\n\n"
    "A line\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT\r\n"
    "Undecodable bytes: \ufffd\ufffd \u200d\ufeff\u2066isolated\u2069 "
    "<a href=\"javascript:window.__xss='a'\">click</a>"
)
JS_URL = "javascript:window.__xss='url'"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def build() -> dict[str, Any]:
    """One of everything, each text field as hostile as its length allows."""
    category, _ = EventCategory.objects.get_or_create(
        slug="hostile", defaults={"name": NAME[:100], "colour": "#123456"}
    )
    crisis = Crisis.objects.create(slug="hostile", title=TITLE[:200], summary=TEXT)
    source = Source.objects.create(name=NAME, slug="hostile-source", url=JS_URL)
    article = Article.objects.create(
        source=source,
        url=JS_URL,
        title=TITLE,
        standfirst=TEXT,
        byline=NAME,
        published_at=dt.datetime(2022, 2, 11, 22, tzinfo=dt.UTC),
        text=TEXT,
        caption=TEXT,
        ingestion_status=Article.IngestionStatus.DONE,
    )
    article.crises.add(crisis)
    published = {"status": Status.PUBLISHED, "first_published_at": dt.datetime.now(dt.UTC)}
    state = Actor.objects.create(name=NAME, slug="hostile-state", kind="state", **published)
    actor = Actor.objects.create(
        name=NAME[::-1],
        slug="hostile-actor",
        kind="person",
        title=NAME,
        description=TEXT,
        affiliation=state,
        **published,
    )
    ActorAlias.objects.create(actor=actor, name=NAME)
    event_fields: dict[str, Any] = {
        "title": TITLE,
        "summary": TEXT,
        "place": NAME,
        "start_date": dt.date.today() + dt.timedelta(days=30),
        "is_scheduled": True,
        "category": category,
    }
    if hasattr(Event, "public_note"):
        event_fields["public_note"] = TEXT
    event = Event.objects.create(**event_fields, **published)
    event.crises.add(crisis)
    EventActor.objects.create(event=event, actor=actor, role="agent")
    place = Place.objects.create(
        name=NAME[:200], slug="hostile-place", kind="city", latitude=1, longitude=2,
        gazetteer_id="feature:hostile",
    )  # fmt: skip
    EventPlace.objects.create(event=event, place=place, mention=NAME[:200])
    Citation.objects.create(article=article, event=event, start=0, end=len(TITLE))
    statement = Statement.objects.create(
        text=TEXT[:2000],
        speaker=actor,
        medium=NAME,
        cue="said",
        date=dt.date(2022, 2, 11),
        **published,
    )
    statement.crises.add(crisis)
    Citation.objects.create(article=article, statement=statement, start=0, end=len(TITLE))
    from timeline import backups

    comment, correction = backups._model("editorcomment"), backups._model("correction")
    if comment is not None:
        comment._default_manager.create(event=event, body=TEXT)
    if correction is not None:
        correction._default_manager.create(event=event, note=TEXT, changes={"title": [NAME, TITLE]})
    return {
        "crisis": crisis,
        "source": source,
        "article": article,
        "actor": actor,
        "event": event,
        "place": place,
        "statement": statement,
        "category": category,
    }


@pytest.fixture
def hostile(db: None) -> dict[str, Any]:
    return build()


# Which URLs exist: read from the URL configuration, so new pages are walked too.


def reader_urls(rows: dict[str, Any]) -> list[str]:
    from timeline import urls as timeline_urls

    args_for = {
        "home": [],
        "category_css": [],
        "event": [rows["event"].pk],
        "actor": [rows["actor"].slug],
        "article": [rows["article"].pk],
        "place": [rows["place"].slug],
    }
    found = []
    for pattern in timeline_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = pattern.name or ""
        if name in args_for:
            args = args_for[name]
        elif "<slug:slug>" in str(pattern.pattern) and "crises/" in str(pattern.pattern):
            args = [rows["crisis"].slug]  # the crisis page and its feeds and exports
        elif "<int:pk>" in str(pattern.pattern):
            args = [rows["event"].pk]
        elif "<" not in str(pattern.pattern):
            args = []
        else:
            pytest.fail(f"The walk does not know what to give {pattern.pattern}; teach it.")
        found.append(reverse(f"timeline:{name}", args=args))
        if name == "oembed":  # the description of the crisis page
            crisis_page = "http://testserver" + rows["crisis"].get_absolute_url()
            found[-1] += "?" + urlencode({"url": crisis_page})
        if name == "axis_items":  # every item the crisis has, as the axis's labels and cards
            found[-1] += "?start=1000-01-01&end=2999-12-31"
        if name == "axis_lanes":  # lanes named after the places, one of which is the hostile one
            found[-1] += "?lanes=place"
    return found


def api_urls(rows: dict[str, Any]) -> list[str]:
    from timeline.api.urls import router

    objects = {
        "crisis": rows["crisis"],
        "source": rows["source"],
        "article": rows["article"],
        "actor": rows["actor"],
        "statement": rows["statement"],
        "event": rows["event"],
        "place": rows["place"],
    }
    found = []
    for _prefix, viewset, basename in router.registry:
        if basename in ("merge", "batch"):
            continue  # the logs of merges and of ingestion batches are editors', not readers'
        found.append(reverse(f"api:{basename}-list"))
        if basename in objects and hasattr(viewset, "retrieve"):
            lookup = getattr(objects[basename], getattr(viewset, "lookup_field", "pk"))
            found.append(reverse(f"api:{basename}-detail", args=[lookup]))
        for action in viewset.get_extra_actions():
            # detail, mapping and url_name are set by DRF's @action, which the stubs do not see.
            if not action.detail and "get" in action.mapping:  # type: ignore[attr-defined]  # see above
                found.append(reverse(f"api:{basename}-{action.url_name}"))  # type: ignore[attr-defined]  # see above
    found.append(reverse("api:changes") + "?since=2000-01-01T00:00:00Z")
    return found


def admin_urls(rows: dict[str, Any]) -> list[str]:
    from django.contrib import admin

    found = []
    for model in admin.site._registry:
        if model._meta.app_label != "timeline":
            continue
        prefix = f"admin:timeline_{model._meta.model_name}"
        found.append(reverse(f"{prefix}_changelist"))
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None:
            found.append(reverse(f"{prefix}_change", args=[obj.pk]))
            found.append(reverse(f"{prefix}_history", args=[obj.pk]))
            history = getattr(model._meta, "simple_history_manager_attribute", None)
            version = getattr(obj, history).order_by("-pk").first() if history else None
            if version is not None:  # one past version, as the history page shows it
                found.append(reverse(f"{prefix}_simple_history", args=[obj.pk, version.pk]))
    found.append(reverse("admin:index"))
    for name, args in (
        ("admin:timeline_article_review_queue", []),
        ("admin:timeline_article_review", [rows["article"].pk]),
        ("admin:timeline_article_import", []),
    ):
        try:
            found.append(reverse(name, args=args))
        except Exception:  # noqa: S112 — a page the admin no longer has is not walked
            continue
    return found


# Without a browser: feeds, exports and the API carry the strings exactly, in valid documents.


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def body_of(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def check_document(url: str, response: Any) -> list[str]:
    """What is wrong with one non-HTML answer, if anything."""
    problems = []
    kind = response["Content-Type"].split(";")[0].strip()
    body = body_of(response)
    if response.status_code != 200:
        return [f"{url}: status {response.status_code}"]
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no X-Content-Type-Options: nosniff")
    if kind in ("application/json", "application/geo+json", "application/vnd.oai.openapi+json"):
        data = json.loads(body)
        text = "".join(strings_in(data))
        if "timelinejs" in url:  # TimelineJS reads its text as HTML: the data goes in escaped
            if SCRIPT in text or html.escape(SCRIPT) not in text:
                problems.append(f"{url}: the hostile text is not escaped for TimelineJS")
        elif SCRIPT not in text and "/changes/" not in url:
            problems.append(f"{url}: the hostile text is not in the JSON as given")
    elif kind in ("application/x-ndjson", "application/jsonl"):
        records = [json.loads(line) for line in body.splitlines() if line.strip()]
        if not any(SCRIPT in s for r in records for s in strings_in(r)):
            problems.append(f"{url}: the hostile text is not in the JSON lines as given")
    elif kind == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        cells = [cell for row in rows[1:] for cell in row]
        if not any(SCRIPT in cell for cell in cells):
            problems.append(f"{url}: the hostile text is not in the CSV as given")
        formulas = [c[:30] for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        if formulas:
            problems.append(f"{url}: cells a spreadsheet would run as formulas: {formulas}")
    elif kind in ("application/atom+xml", "application/rss+xml", "application/xml"):
        root = ET.fromstring(body)  # noqa: S314 — our own feed, parsed to prove it well-formed
        texts = "".join(root.itertext())
        if SCRIPT not in texts:
            problems.append(f"{url}: the hostile text is not in the feed's text as given")
    elif kind == "text/calendar":
        unfolded = body.replace("\r\n ", "")
        lines = unfolded.split("\r\n")
        if sum(line == "BEGIN:VEVENT" for line in lines) != 1:
            problems.append(f"{url}: the data started an iCalendar event of its own")
        if any(line.startswith("SUMMARY:injected") for line in lines):
            problems.append(f"{url}: the data wrote an iCalendar property of its own")
    elif kind == "text/css":
        if "<" in body or "javascript:" in body:
            problems.append(f"{url}: the stylesheet carries markup from the data")
    elif kind != "text/html":
        problems.append(f"{url}: unexpected content type {kind}")
    return problems


def test_feeds_and_exports_are_well_formed_and_carry_the_text_exactly(
    hostile: dict[str, Any], client: Client
) -> None:
    problems = []
    for url in reader_urls(hostile):
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            assert response.status_code == 200, url
            assert "script-src 'self'" in response["Content-Security-Policy"], url
            assert SCRIPT not in body_of(response), f"{url} shows the script unescaped"
            continue
        problems += check_document(url, response)
    assert not problems, "\n".join(problems)


def test_the_api_returns_hostile_text_as_data(hostile: dict[str, Any], client: Client) -> None:
    problems = []
    for url in api_urls(hostile):
        problems += check_document(url, client.get(url))
    assert not problems, "\n".join(problems)


def test_the_admin_shows_hostile_text_escaped(hostile: dict[str, Any], client: Client) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 20))
    problems = []
    for url in admin_urls(hostile):
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}")
        elif SCRIPT in body_of(response):
            problems.append(f"{url}: shows the script unescaped")
    assert not problems, "\n".join(problems)


# In Chromium, under the Content-Security-Policy


WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

INSPECT = """
() => {
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) bad.push(`${el.tagName} has ${attr.name}`);
      if (URL_ATTRIBUTES.includes(attr.name) && /^\\s*javascript:/i.test(attr.value))
        bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
    // json_script data blocks hold the text too, escaped, and never run: only code counts.
    const code = el.tagName === 'STYLE' || (el.tagName === 'SCRIPT'
      && ['', 'module', 'text/javascript'].includes(el.getAttribute('type') || ''));
    if (code && /__xss|display:none}/.test(el.textContent))
      bad.push(`a ${el.tagName} element made from the data`);
  }
  if (document.querySelector('img[src="x"], svg[onload]')) bad.push('an element from the data');
  const shown = document.body.innerText
    + [...document.querySelectorAll('input, textarea')].map((e) => e.value).join(' ');
  return {
    bad,
    xss: window.__xss === undefined ? null : String(window.__xss),
    violations: window.__violations,
    shown: shown.includes("<script>window.__xss='script'</script>"),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser`.")
    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
    # Set only while the browser runs: it must not leak into `check --deploy` in other tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def walk(browser: Any, base: str, urls: list[str], cookies: list[dict[str, str]]) -> list[dict]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
    context.add_cookies(cookies)
    context.add_init_script(WATCH)
    reports = []
    page = context.new_page()
    events: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        events.append(f"dialog {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: events.append(f"script error {error}"))
    page.on(
        "console",
        lambda message: (
            events.append(f"console {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for url in urls:
        events.clear()
        response = page.goto(url, wait_until="load")
        page.wait_for_timeout(150)  # let the page's own modules run
        report = page.evaluate(INSPECT)
        report.update(url=url, status=response.status if response else None, events=list(events))
        reports.append(report)
    context.close()
    return reports


def problems_in(reports: list[dict], *, must_show: bool, max_overflow: int | None) -> list[str]:
    problems = []
    for r in reports:
        where = r["url"]
        if r["status"] != 200:
            problems.append(f"{where}: status {r['status']}")
        if r["xss"] is not None:
            problems.append(f"{where}: a script from the data ran ({r['xss']})")
        problems += [f"{where}: {b}" for b in r["bad"]]
        problems += [f"{where}: CSP violation {v}" for v in r["violations"]]
        problems += [f"{where}: {e}" for e in r["events"]]
        if must_show and not r["shown"]:
            problems.append(f"{where}: the hostile text is not shown as text")
        if max_overflow is not None and r["overflow"] > max_overflow:
            problems.append(f"{where}: the long word pushes the page {r['overflow']}px sideways")
    return problems


def walk_reader_pages(browser: Any, live_server: Any) -> list[str]:
    rows = build()
    pages = [
        u for u in reader_urls(rows) if Client().get(u)["Content-Type"].startswith("text/html")
    ]
    reports = walk(browser, live_server.url, pages, cookies=[])
    return problems_in(reports, must_show=True, max_overflow=0)


def is_layout(problem: str) -> bool:
    return "pushes the page" in problem


def is_javascript_link(problem: str) -> bool:
    return "=javascript:" in problem


@pytest.mark.browser
def test_no_reader_page_runs_hostile_content(browser: Any, live_server: Any) -> None:
    problems = [
        p
        for p in walk_reader_pages(browser, live_server)
        if not is_layout(p) and not is_javascript_link(p)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_very_long_word_does_not_push_reader_pages_sideways(
    browser: Any, live_server: Any
) -> None:
    problems = [p for p in walk_reader_pages(browser, live_server) if is_layout(p)]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_reader_pages_never_link_a_javascript_url(browser: Any, live_server: Any) -> None:
    problems = [p for p in walk_reader_pages(browser, live_server) if is_javascript_link(p)]
    assert not problems, "\n".join(problems)


def superuser_cookies(live_server: Any) -> list[dict[str, str]]:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 20))
    session = client.cookies["sessionid"].value
    return [{"name": "sessionid", "value": session, "url": live_server.url}]


@pytest.mark.browser
def test_no_admin_page_runs_hostile_content_or_breaks_the_csp(
    browser: Any, live_server: Any
) -> None:
    rows = build()
    reports = walk(browser, live_server.url, admin_urls(rows), superuser_cookies(live_server))
    problems = problems_in(reports, must_show=False, max_overflow=None)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_api_documentation_runs_under_the_csp(browser: Any, live_server: Any) -> None:
    reports = walk(browser, live_server.url, [reverse("api:docs")], cookies=[])
    problems = problems_in(reports, must_show=False, max_overflow=None)
    assert not problems, "\n".join(problems)

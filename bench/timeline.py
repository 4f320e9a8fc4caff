"""How fast the timeline and its map open at 1k, 10k and 100k events.

Server: the time to answer GET /crises/<slug>/ in-process (median of several runs, after one
warm-up), and its number of queries. Browser: headless Chromium against a local server, the time
from the start of navigation until the page and its overview are drawn (the `timeline-ready`
mark), the time until the map has drawn its countries and markers (`map-ready`), the time of
one zoom step and of one brush update (a pan of the overview, which recounts and redraws the
map's markers; medians). The axis's labels: from moving the view to a window of about a hundred
items until their labels are drawn (the request to axis.json and the layout, `axis-items`), and
one zoom step while labels are shown (median of AXIS_ZOOM_STEPS). Events happen at one or two
of 300 places. Rows are made with bulk_create in a scratch SQLite database that is deleted
afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000)
BROWSER_SIZES = (1_000, 10_000, 100_000)
SERVER_RUNS = 5
ZOOM_STEPS = 9
AXIS_ZOOM_STEPS = 8
SPAN_DAYS = 3 * 365
PLACES = 300
TARGETS = {
    "server_ms": 100,
    "rendered_ms": 1000,
    "zoom_ms": 50,
    "map_ms": 1000,
    "brush_ms": 50,
    "labels_ms": 1000,
    "label_zoom_ms": 50,
}
# Moves the axis to the first 20-day window holding 40 to 200 items (by the page's counts), and
# resolves when its labels are drawn: [milliseconds, labels shown, items in the window].
AXIS_LABELS_JS = """async () => {
    const o = document.getElementById("timeline-app").overview;
    const inView = (start, end) =>
        o.lanes.reduce((n, lane) => n + o.count(lane.index, start, end), 0);
    const fits = (start) => inView(start, start + 20) >= 40 && inView(start, start + 20) <= 200;
    let start = o.first;
    while (start < o.last && !fits(start)) start += 1;
    if (start >= o.last) start = o.first;
    performance.clearMarks("axis-items");
    const began = performance.now();
    o.viewStart = start;
    o.viewEnd = start + 20;
    o.draw();
    await new Promise((resolve) => {
        const drawn = () => performance.getEntriesByName("axis-items").length;
        const check = () => (drawn() ? resolve() : setTimeout(check, 2));
        check();
    });
    const shown = document.querySelectorAll(".axis-item:not([hidden]):not(.bare)").length;
    return [performance.now() - began, shown, inView(start, start + 20)];
}"""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _setup(directory: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
            "DEBUG": "0",  # no query log kept in memory, as in production
            "SECRET_KEY": "bench-only",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread
    import django
    from django.conf import settings

    django.setup()
    # Hashed static names need collectstatic; serve the files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _grow(crisis: Any, total: int, rng: random.Random) -> None:
    """Add events (with actors and a citation each) and statements until the crisis has `total`."""
    from timeline.models import (
        Actor,
        Article,
        Citation,
        Event,
        EventActor,
        EventCategory,
        EventPlace,
        Place,
        Source,
        Statement,
    )

    have = Event.objects.count()
    need = total - have
    if need <= 0:
        return
    categories = list(EventCategory.objects.all())
    actors = list(Actor.objects.all())
    if not actors:
        Actor.objects.bulk_create(
            Actor(name=f"Actor {n}", slug=f"actor-{n}", kind="person", status="published")
            for n in range(200)
        )
        actors = list(Actor.objects.all())
        source = Source.objects.create(name="Bench Wire")
        for n in range(20):
            article = Article.objects.create(
                source=source,
                title=f"Wire story {n}",
                text=f"Troops massed near the border, officials said on Friday. ({n}) " * 20,
                published_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
                ingestion_status="done",
            )
            article.crises.add(crisis)
    articles = list(Article.objects.all())
    if not Place.objects.exists():
        Place.objects.bulk_create(
            Place(
                name=f"Place {n}",
                slug=f"place-{n}",
                kind="city",
                latitude=rng.uniform(40, 60),
                longitude=rng.uniform(20, 45),
                gazetteer_id=f"bench:{n}",
            )
            for n in range(PLACES)
        )
    places = list(Place.objects.all())
    start = dt.date(2020, 1, 1)
    batch = 5_000
    for offset in range(0, need, batch):
        size = min(batch, need - offset)
        events = Event.objects.bulk_create(
            Event(
                title=f"Event {have + offset + n}: troops move near the border",
                summary="Officials said troops moved closer to the border overnight.",
                start_date=start + dt.timedelta(days=int(rng.triangular(0, SPAN_DAYS, SPAN_DAYS))),
                category=rng.choice(categories),
                verification=rng.choice(["confirmed", "reported", "unverified"]),
                status="published",
            )
            for n in range(size)
        )
        Event.crises.through.objects.bulk_create(
            Event.crises.through(event=event, crisis=crisis) for event in events
        )
        EventActor.objects.bulk_create(
            EventActor(event=event, actor=actor, role="agent")
            for event in events
            for actor in rng.sample(actors, 2)
        )
        Citation.objects.bulk_create(
            Citation(article=rng.choice(articles), start=0, end=60, event=event) for event in events
        )
        EventPlace.objects.bulk_create(
            EventPlace(event=event, place=place)
            for event in events
            for place in rng.sample(places, rng.choice((1, 1, 2)))
        )
        statements = Statement.objects.bulk_create(
            Statement(
                speaker=rng.choice(actors),
                text="We are watching the border very closely",
                date=start + dt.timedelta(days=rng.randrange(SPAN_DAYS)),
                status="published",
            )
            for _ in range(size // 10)
        )
        Statement.crises.through.objects.bulk_create(
            Statement.crises.through(statement=s, crisis=crisis) for s in statements
        )
        Citation.objects.bulk_create(
            Citation(article=rng.choice(articles), start=0, end=60, statement=s) for s in statements
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _server(url: str) -> dict[str, float]:
    """Cold: the crisis-wide counts computed (cache emptied first); warm: read from the cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client()
    cache.clear()
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    # Not CaptureQueriesContext: each request empties Django's query log when it starts.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    cold, warm = [], []
    for _ in range(SERVER_RUNS):
        cache.clear()
        began = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - began) * 1000)
    return {
        "cold_ms": round(statistics.median(cold), 1),
        "warm_ms": round(statistics.median(warm), 1),
        "queries": len(queries),
        "bytes": len(response.content),
    }


class _Server:
    """The app on a local port, in a thread, for the browser."""

    def __init__(self) -> None:
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = make_server(
            "127.0.0.1", 0, StaticFilesHandler(get_wsgi_application()), handler_class=Quiet
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


def _browser(browser: Any, url: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)  # warm-up: caches static files, as for a returning reader
    rendered, first_byte, mapped = [], [], []
    for _ in range(3):
        page.goto(url)
        page.wait_for_function("() => performance.getEntriesByName('timeline-ready').length")
        # Times from the start of navigation, as the browser measured them.
        timing = page.evaluate(
            """() => {
                const nav = performance.getEntriesByType("navigation")[0];
                const ready = performance.getEntriesByName("timeline-ready")[0];
                return [nav.responseStart, ready.startTime];
            }"""
        )
        first_byte.append(timing[0])
        rendered.append(timing[1])
        page.wait_for_function("() => performance.getEntriesByName('map-ready').length")
        mapped.append(page.evaluate("() => performance.getEntriesByName('map-ready')[0].startTime"))
    zooms = []
    for step in range(ZOOM_STEPS):
        direction = "in" if step < ZOOM_STEPS // 2 + 1 else "out"
        zooms.append(
            page.evaluate(
                """(direction) => {
                    const button = document.querySelector(`[data-zoom=${direction}]`);
                    const began = performance.now();
                    button.click();
                    return performance.now() - began;
                }""",
                direction,
            )
        )
    brushes = [
        page.evaluate(
            """(fraction) => {
                const began = performance.now();
                document.getElementById("timeline-app").overview.pan(fraction);
                return performance.now() - began;
            }""",
            0.1 if step % 2 else -0.1,
        )
        for step in range(ZOOM_STEPS)
    ]
    labels_ms, labelled, window_items = page.evaluate(AXIS_LABELS_JS)
    label_zooms = [
        page.evaluate(
            """(direction) => {
                const button = document.querySelector(`[data-zoom=${direction}]`);
                const began = performance.now();
                button.click();
                return performance.now() - began;
            }""",
            "out" if step % 2 == 0 else "in",
        )
        for step in range(AXIS_ZOOM_STEPS)
    ]
    page.close()
    return {
        "labels_ms": round(labels_ms, 1),
        "labelled": labelled,
        "label_window_items": window_items,
        "label_zoom_ms": round(statistics.median(label_zooms), 2),
        "label_zoom_max_ms": round(max(label_zooms), 2),
        "map_ms": round(statistics.median(mapped), 1),
        "brush_ms": round(statistics.median(brushes), 2),
        "brush_max_ms": round(max(brushes), 2),
        "first_byte_ms": round(statistics.median(first_byte), 1),
        "rendered_ms": round(statistics.median(rendered), 1),
        "zoom_ms": round(statistics.median(zooms), 2),
        "zoom_max_ms": round(max(zooms), 2),
    }


def run() -> dict[str, Any]:
    saved = dict(os.environ)
    try:
        return _run()
    finally:
        # Leave the environment as found, for the benchmarks that run after this one.
        os.environ.clear()
        os.environ.update(saved)


def _run() -> dict[str, Any]:
    rng = random.Random(2022)
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as scratch:
        _setup(Path(scratch))
        from playwright.sync_api import sync_playwright

        from timeline.models import Crisis

        crisis = Crisis.objects.create(slug="bench", title="Benchmark crisis")
        path = "/crises/bench/"
        rows = []
        server = _Server()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for size in SIZES:
                began = time.perf_counter()
                _grow(crisis, size, rng)
                made = time.perf_counter() - began
                row: dict[str, Any] = {"events": size, "generate_s": round(made, 1)}
                row["server"] = _server(path)
                row["server_filtered"] = _server(path + "?actor=actor-7&q=border")
                if size in BROWSER_SIZES:
                    row["browser"] = _browser(browser, server.url + path)
                rows.append(row)
                _print_row(row, header=size == SIZES[0])
            browser.close()
        server.close()
    load = os.getloadavg()
    print(
        f"Load average while it ran: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"({os.cpu_count()} cores, shared)"
    )
    return {"benchmark": "timeline", "targets": TARGETS, "rows": rows, "load_average": load}


def _print_row(row: dict[str, Any], *, header: bool) -> None:
    if header:
        print("Timeline page (server: median ms, cold = counts computed, warm = counts cached)")
        print(
            f"{'events':>8} | {'cold':>7} | {'warm':>7} | {'filtered cold':>13} | "
            f"{'filtered warm':>13} | {'queries':>7} | {'KiB':>5} | {'rendered ms':>11} | "
            f"{'zoom ms':>7} | {'map ms':>6} | {'brush ms':>8} | {'labels ms':>9} | "
            f"{'labelled':>8} | {'label zoom ms':>13}"
        )
        print("-" * 165)
    browser = row.get("browser", {})
    server, filtered = row["server"], row["server_filtered"]
    print(
        f"{row['events']:>8} | {server['cold_ms']:>7} | {server['warm_ms']:>7} | "
        f"{filtered['cold_ms']:>13} | {filtered['warm_ms']:>13} | {server['queries']:>7} | "
        f"{server['bytes'] // 1024:>5} | {browser.get('rendered_ms', '-'):>11} | "
        f"{browser.get('zoom_ms', '-'):>7} | {browser.get('map_ms', '-'):>6} | "
        f"{browser.get('brush_ms', '-'):>8} | {browser.get('labels_ms', '-'):>9} | "
        f"{browser.get('labelled', '-'):>8} | {browser.get('label_zoom_ms', '-'):>13}",
        flush=True,
    )

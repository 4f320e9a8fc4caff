"""The reader's pages: home, timeline, event, actor and source view. Readers see published items
only; the timeline reads a window of items and a fixed number of queries, however big the crisis.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    make_actor,
    make_article,
    make_citation,
    make_crisis,
    make_event,
    make_source,
    make_statement,
)
from timeline.models import Crisis, Event, EventActor, EventCategory, Statement, Status
from timeline.services import editorial
from timeline.templatetags.timeline import item_dates
from timeline.views.timeline import BACKGROUND_LIMIT, PAGE_SIZE

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Russia is massing yet more troops near Ukraine, Washington said on Friday.\n\n"
    "“We’re in a window when an invasion could begin at any time,” said Antony Blinken.\n\n"
    "Russia launched joint exercises in Belarus this week."
)
PUBLISHED = Status.PUBLISHED


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def crisis() -> Crisis:
    return make_crisis(slug="ukraine", title="Ukraine crisis", start_date=dt.date(2021, 11, 1))


@pytest.fixture
def story(crisis: Crisis) -> dict[str, object]:
    """A small crisis: one Reuters article, Blinken's quote, three events, and some drafts."""
    reuters = make_source(name="Reuters", slug="reuters")
    article = make_article(source=reuters, title="Troops mass near Ukraine", text=ARTICLE)
    article.crises.add(crisis)
    blinken = make_actor(
        name="Antony Blinken", slug="antony-blinken", title="Secretary of State", status=PUBLISHED
    )
    russia = make_actor(name="Russia", slug="russia", kind="state", status=PUBLISHED)
    hidden = make_actor(name="Draft Person", slug="draft-person", status=Status.DRAFT)
    quote = make_statement(
        speaker=blinken,
        text="We’re in a window when an invasion could begin at any time",
        cue="said",
        date=dt.date(2022, 2, 11),
        status=PUBLISHED,
    )
    quote.crises.add(crisis)
    start = ARTICLE.index("“We’re")
    quote_citation = make_citation(
        article=article, statement=quote, start=start, end=ARTICLE.index("\n\nRussia launched")
    )
    massing = make_event(
        title="Russia masses troops",
        summary="More troops near Ukraine.",
        start_date=dt.date(2022, 2, 11),
        status=PUBLISHED,
        verification="reported",
    )
    exercises = make_event(
        title="Joint exercises in Belarus",
        start_date=dt.date(2022, 2, 7),
        date_precision="week",
        status=PUBLISHED,
        category=EventCategory.objects.get(slug="military"),
    )
    crimea = make_event(
        title="Russia annexes Crimea",
        start_date=dt.date(2014, 1, 1),
        date_precision="year",
        status=PUBLISHED,
        verification="confirmed",
        category=EventCategory.objects.get(slug="diplomatic"),
    )
    draft = make_event(
        title="Unreviewed rumour", start_date=dt.date(2022, 2, 10), status=Status.DRAFT
    )
    draft_quote = make_statement(
        speaker=blinken, text="Secret draft words", date=dt.date(2022, 2, 10)
    )
    for item in (massing, exercises, crimea, draft, draft_quote):
        item.crises.add(crisis)
    for event in (massing, exercises):
        EventActor.objects.create(event=event, actor=russia, role="agent")
    EventActor.objects.create(event=massing, actor=hidden, role="mentioned")
    massing_citation = make_citation(
        article=article, event=massing, start=0, end=ARTICLE.index("\n\n")
    )
    make_citation(article=article, event=draft, start=0, end=6)
    make_citation(
        article=article, event=exercises, start=ARTICLE.index("Russia launched"), end=len(ARTICLE)
    )
    make_citation(article=article, event=crimea, start=0, end=6)
    return {
        "crisis": crisis,
        "article": article,
        "blinken": blinken,
        "russia": russia,
        "quote": quote,
        "quote_citation": quote_citation,
        "massing": massing,
        "massing_citation": massing_citation,
        "draft": draft,
        "crimea": crimea,
    }


def timeline(client: Client, query: str = "") -> str:
    response = client.get(f"/crises/ukraine/{query}")
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def timeline_data(html: str) -> dict[str, Any]:
    raw = re.search(
        r'<script id="timeline-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert raw
    return json.loads(raw.group(1))


# Home


def test_it_lists_each_crisis_with_its_span_counts_and_latest_events(
    client: Client, story: dict
) -> None:
    html = client.get("/").content.decode()

    assert "Ukraine crisis" in html
    assert '<time datetime="2021-11-01">1 Nov 2021</time>' in html
    assert re.search(r"<dt>Events</dt><dd>3</dd>", html)  # drafts not counted
    assert re.search(r"<dt>Statements</dt><dd>1</dd>", html)
    assert re.search(r"<dt>Actors</dt><dd>2</dd>", html)
    assert re.search(r"<dt>Sources</dt><dd>1</dd>", html)
    assert "Russia masses troops" in html
    assert "Unreviewed rumour" not in html


# Timeline


def test_it_reads_the_crisis_in_order_with_dates_as_precise_as_the_source(
    client: Client, story: dict
) -> None:
    html = timeline(client)

    assert (
        html.index("Russia annexes Crimea")
        < html.index("Joint exercises")
        < html.index("Russia masses troops")
    )
    assert '<time datetime="2014">2014</time>' in html
    assert '<time datetime="2022-W06">week of 7 Feb 2022</time>' in html
    assert '<time datetime="2022-02-11">11 Feb 2022</time>' in html
    assert "Reported" in html and "Confirmed" in html


def test_a_span_within_one_week_month_or_year_reads_as_that_period_once() -> None:
    this_week = Event(start_date=dt.date(2022, 2, 7), end_date=dt.date(2022, 2, 13))
    this_week.date_precision = "week"
    two_weeks = Event(start_date=dt.date(2022, 2, 7), end_date=dt.date(2022, 2, 16))
    two_weeks.date_precision = "week"
    days = Event(start_date=dt.date(2022, 2, 9), end_date=dt.date(2022, 2, 10))

    assert item_dates(this_week) == '<time datetime="2022-W06">week of 7 Feb 2022</time>'
    assert item_dates(two_weeks).count("<time") == 2
    assert item_dates(days) == (
        '<time datetime="2022-02-09">9 Feb 2022</time> – '
        '<time datetime="2022-02-10">10 Feb 2022</time>'
    )


def test_it_shows_statements_as_quotes_with_the_speakers_name_and_role(
    client: Client, story: dict
) -> None:
    html = timeline(client)

    assert (
        "<blockquote><p>We’re in a window when an invasion could begin at any time</p></blockquote>"
        in html
    )
    assert 'Antony Blinken</a><span class="speaker-role">, Secretary of State' in html


def test_it_numbers_citations_and_links_each_to_its_sentence_in_the_source(
    client: Client, story: dict
) -> None:
    html = timeline(client)

    citation = story["quote_citation"]
    assert f'href="/articles/{story["article"].pk}/#cite-{citation.pk}"' in html
    assert '<ol class="citations"' in html
    assert "Reuters" in html and "Troops mass near Ukraine" in html


def test_it_never_shows_drafts_to_readers_even_to_editors(
    editor_client: Client, story: dict
) -> None:
    html = timeline(editor_client)

    assert "Unreviewed rumour" not in html
    assert "Secret draft words" not in html
    assert "Draft Person" not in html


def test_it_narrows_to_one_actor_with_counts_per_filter(client: Client, story: dict) -> None:
    html = timeline(client, "?actor=antony-blinken")

    assert "We’re in a window" in html
    assert "Russia masses troops" not in html
    assert "0 events and 1 statement match these filters." in html
    assert re.search(
        r'value="antony-blinken" checked> Antony Blinken <span class="count">1</span>', html
    )
    assert re.search(r'value="russia"> Russia <span class="count">2</span>', html)
    assert "Actor: Antony Blinken" in html  # the chip that removes the filter


def test_its_chips_name_a_search_and_dates_in_words(client: Client, story: dict) -> None:
    html = timeline(client, "?q=window&date_from=2022-02-01")

    assert "Search: window" in html and "From: 2022-02-01" in html
    assert "Q: window" not in html


def test_it_searches_titles_summaries_and_quotes(client: Client, story: dict) -> None:
    assert "We’re in a window" in timeline(client, "?q=invasion+window")
    html = timeline(client, "?q=troops")
    assert "Russia masses troops" in html
    assert "We’re in a window" not in html


def test_filters_combine_and_category_or_verification_leave_statements_out(
    client: Client, story: dict
) -> None:
    html = timeline(client, "?category=military&actor=russia")
    assert "Joint exercises in Belarus" in html
    assert "Russia masses troops" in html
    assert "We’re in a window" not in html
    assert "Russia annexes Crimea" not in html

    html = timeline(client, "?verification=confirmed")
    assert "Russia annexes Crimea" in html
    assert "Russia masses troops" not in html


def test_it_filters_by_source_and_by_date_range(client: Client, story: dict) -> None:
    other = make_article(title="Elsewhere")
    lonely = make_event(title="Reported elsewhere", status=PUBLISHED)
    lonely.crises.add(story["crisis"])
    make_citation(article=other, event=lonely)

    html = timeline(client, "?source=reuters")
    assert "Russia masses troops" in html and "Reported elsewhere" not in html
    html = timeline(client, "?date_from=2022-02-01&date_to=2022-02-09")
    assert "Joint exercises in Belarus" in html
    assert "Russia masses troops" not in html and "Russia annexes Crimea" not in html


def test_it_explains_filters_it_cannot_use(client: Client, story: dict) -> None:
    response = client.get("/crises/ukraine/?actor=nobody&date_from=not-a-date")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    # The count says what it counts: not "match these filters" beside filters it could not use.
    assert "match these filters" not in html
    assert "Some filters could not be used (see above): showing 3 events" in html


@pytest.mark.parametrize("export", ["events.csv", "events.jsonl", "feed.atom", "timelinejs.json"])
def test_an_export_refuses_filters_it_cannot_use_as_the_api_does(
    client: Client, story: dict, export: str
) -> None:
    response = client.get(f"/crises/ukraine/{export}?date_from=not-a-date")

    assert response.status_code == 400
    assert "date_from: Enter a valid date." in response.content.decode()
    assert client.get(f"/crises/ukraine/{export}?date_from=2022-02-01").status_code == 200


def test_it_sends_the_overview_counts_per_day_and_lane(client: Client, story: dict) -> None:
    data = timeline_data(timeline(client))

    lanes = [lane["slug"] for lane in data["lanes"]]
    assert data["unit"] == "day"
    statements = lanes.index("statements")
    assert ["2022-02-11", statements, 1] in data["bins"]
    # 2 events and 1 statement, no drafts; Crimea (2014) is background, off the axis
    assert sum(n for _, _, n in data["bins"]) == 3
    assert data["window"] == ["2022-02-07", "2022-02-11"]


def test_the_overview_and_filters_work_without_javascript(client: Client, story: dict) -> None:
    html = timeline(client)

    assert '<form method="get" action="/crises/ukraine/"' in html
    assert 'href="?at=2022-02-01">Feb 2022 <span class="count">(3)</span>' in html


def many_events(crisis: Crisis, count: int, start: dt.date = dt.date(2022, 1, 1)) -> None:
    category = EventCategory.objects.get(slug="military")
    events = Event.objects.bulk_create(
        Event(
            title=f"Event {n}",
            start_date=start + dt.timedelta(days=n // 3),
            category=category,
            status=PUBLISHED,
        )
        for n in range(count)
    )
    Event.crises.through.objects.bulk_create(
        Event.crises.through(event=e, crisis=crisis) for e in events
    )


def test_it_sends_one_window_of_items_with_links_to_earlier_and_later(
    client: Client, crisis: Crisis
) -> None:
    many_events(crisis, 250)

    html = timeline(client)
    assert html.count('class="item event"') == PAGE_SIZE
    assert "Earlier items" not in html
    link = re.search(r'href="([^"]+)" data-more="later"', html)
    assert link is not None
    later = link.group(1).replace("&amp;", "&")

    html = client.get(later).content.decode()
    assert html.count('class="item event"') == PAGE_SIZE
    assert f">Event {PAGE_SIZE}<" in html and f">Event {PAGE_SIZE - 1}<" not in html
    assert "Earlier items" in html


def test_it_opens_at_the_requested_date(client: Client, crisis: Crisis) -> None:
    many_events(crisis, 250)

    html = timeline(client, "?at=2022-02-10")
    assert ">Event 120<" in html  # day 40 holds events 120-122
    assert ">Event 119<" not in html
    assert "Earlier items" in html


@pytest.mark.parametrize("count", [10, 200])
def test_the_timeline_runs_a_fixed_number_of_queries(
    client: Client,
    crisis: Crisis,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    many_events(crisis, count)
    article = make_article()
    for event in Event.objects.all()[:count]:
        make_citation(article=article, event=event)
        EventActor.objects.create(event=event, actor=make_actor(status=PUBLISHED))

    # crisis; events and statements of the window, and whether there are more; roles and citations
    # of the window (2) and of its statements (1); categories; density of events and statements;
    # the category, verification, actor (2) and source (2) counts; the map's places per day; the
    # filters' own look-ups of actor and category slugs (2 for each of the window's, the counts',
    # the map's and each facet's filters); how many items are background (1, and the filters'
    # look-ups for it, 2).
    with django_assert_max_num_queries(29):
        role = EventActor.objects.first()
        assert role is not None
        timeline(client, "?actor=" + role.actor.slug + "&category=military")
    with django_assert_max_num_queries(20):
        timeline(client)


def test_pages_use_no_inline_script_or_event_handler(client: Client, story: dict) -> None:
    for url in [
        "/",
        "/crises/ukraine/",
        f"/events/{story['massing'].pk}/",
        "/actors/antony-blinken/",
        f"/articles/{story['article'].pk}/",
        "/embed/crises/ukraine/",
    ]:
        html = client.get(url).content.decode()
        # The embed code offered to newsrooms is text in a <textarea>, for their page, not ours.
        html = re.sub(r"(<textarea[^>]*>).*?</textarea>", r"\1</textarea>", html, flags=re.S)
        for tag in re.findall(r"<script[^>]*>", html):
            assert ' src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url
        assert "style=" not in html, url


def test_it_escapes_text_from_the_sources(client: Client, story: dict) -> None:
    event = story["massing"]
    event.title = "<script>alert(1)</script>"
    event.save()

    html = timeline(client)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Event, actor, source


def test_the_event_page_shows_citations_actors_statements_and_neighbours(
    client: Client, story: dict
) -> None:
    response = client.get(f"/events/{story['massing'].pk}/")
    html = response.content.decode()

    assert "<h1>Russia masses troops</h1>" in html
    assert f"#cite-{story['massing_citation'].pk}" in html
    assert "Russia</a>" in html and "Agent" in html
    assert "Draft Person" not in html
    assert "Previous event" in html and "Joint exercises in Belarus" in html
    assert "Next event" not in html


def test_the_event_page_shows_statements_of_its_actors_around_its_date(
    client: Client, story: dict
) -> None:
    EventActor.objects.create(event=story["massing"], actor=story["blinken"], role="participant")

    html = client.get(f"/events/{story['massing'].pk}/").content.decode()
    assert "We’re in a window" in html


def test_drafts_have_no_page(client: Client, story: dict) -> None:
    assert client.get(f"/events/{story['draft'].pk}/").status_code == 404
    assert client.get("/actors/draft-person/").status_code == 404


def blinken_page_with(client: Client, story: dict, words: str, day: dt.date) -> str:
    """Blinken's actor page once he has also said `words` on `day`, in the story's crisis."""
    said = make_statement(speaker=story["blinken"], text=words, date=day, status=PUBLISHED)
    said.crises.add(story["crisis"])
    return client.get("/actors/antony-blinken/").content.decode()


def test_the_actor_page_lists_statements_in_time_order_events_and_activity(
    client: Client, story: dict
) -> None:
    html = blinken_page_with(client, story, "Earlier words", dt.date(2022, 1, 5))
    assert "<h1>Antony Blinken</h1>" in html and "Secretary of State" in html
    assert html.index("Earlier words") < html.index("We’re in a window")
    assert "Secret draft words" not in html
    # Five weeks of activity: a bar per day, its first and last days written on its axis.
    assert '<svg role="img"' in html and "5 Jan 2022: 0 events, 1 statement" in html
    assert "per day" in html and ">5 Jan 2022</text>" in html and ">11 Feb 2022</text>" in html

    html = client.get("/actors/russia/").content.decode()
    assert "Russia masses troops" in html and "Joint exercises in Belarus" in html


def test_the_actor_chart_counts_per_month_over_more_than_two_months(
    client: Client, story: dict
) -> None:
    html = blinken_page_with(client, story, "Autumn words", dt.date(2021, 11, 5))

    assert "per month" in html and "Nov 2021: 0 events, 1 statement" in html
    assert "Dec 2021: 0 events, 0 statements" in html  # an empty month keeps its place


def test_the_source_view_highlights_each_cited_span_and_links_back(
    client: Client, story: dict
) -> None:
    html = client.get(f"/articles/{story['article'].pk}/").content.decode()

    citation = story["quote_citation"]
    assert re.search(rf'<mark class="cite" id="cite-{citation.pk}"[^>]*>“We’re in a window', html)
    assert 'href="/actors/antony-blinken/#statement-' in html
    assert f'href="/events/{story["massing"].pk}/"' in html
    # Crimea's and the draft's spans are inside the massing span: nested, and the draft's not shown.
    assert f'href="/events/{story["draft"].pk}/"' not in html
    assert html.count("<p>") >= 3


def test_the_source_view_handles_crossing_spans(client: Client, story: dict) -> None:
    article = story["article"]
    first = make_citation(article=article, event=story["crimea"], start=5, end=30)
    second = make_citation(article=article, event=story["crimea"], start=20, end=60)

    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert html.count(f'id="cite-{first.pk}"') == 1
    assert html.count(f'id="cite-{second.pk}"') == 1
    assert html.count("<mark") == html.count("</mark>")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "ftp://example.org/story",
    ],
)
def test_the_source_view_links_the_original_only_when_it_is_http(
    client: Client, story: dict, url: str
) -> None:
    article = story["article"]
    # Every entry path validates the URL; a row written past them must still be harmless.
    type(article).objects.filter(pk=article.pk).update(url=url)

    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert "Original article" not in html
    assert 'href="javascript' not in html.lower()


@pytest.mark.parametrize("url", ["https://www.reuters.com/world/x", "HTTP://example.org/a?b=1&c"])
def test_the_source_view_links_an_http_original(client: Client, story: dict, url: str) -> None:
    article = story["article"]
    type(article).objects.filter(pk=article.pk).update(url=url)

    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert (
        f'<a href="{url.replace("&", "&amp;")}" rel="noopener noreferrer">Original article</a>'
        in html
    )


def test_it_reuses_the_crisis_counts_until_anything_changes(
    client: Client, story: dict, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    timeline(client)
    # crisis with its data version; the window (events, statements, whether more, roles, citations
    # of events and of statements); the filters' look-ups. No GROUP BY over the crisis.
    # And the background strip's window (events, statements, their roles and citations).
    with django_assert_max_num_queries(13):
        html = timeline(client)
    assert "2 events and 1 statement." in html

    make_event(title="Fresh event", status=PUBLISHED).crises.add(story["crisis"])
    html = timeline(client)
    assert "3 events and 1 statement." in html
    assert "Fresh event" in html


def test_deleting_an_event_or_statement_updates_every_count_at_once(
    client: Client, story: dict
) -> None:
    # Neither is the newest item, role, citation or crisis link: the MAXes alone would not move.
    exercises = Event.objects.get(title="Joint exercises in Belarus")
    assert "2 events and 1 statement." in timeline(client)
    assert 'Events <span class="count">(2)</span>' in client.get("/actors/russia/").content.decode()
    client.get("/")

    exercises.delete()
    assert "1 event and 1 statement." in timeline(client)
    assert 'Events <span class="count">(1)</span>' in client.get("/actors/russia/").content.decode()

    story["quote"].delete()
    assert "1 event and 0 statements." in timeline(client)
    home = client.get("/").content.decode()
    assert "<dt>Events</dt><dd>2</dd>" in home and "<dt>Statements</dt><dd>0</dd>" in home


def test_unpublishing_or_rejecting_updates_the_counts_at_once(
    client: Client, story: dict, publisher: User
) -> None:
    assert "Background</span>: 1 item dated outside" in timeline(client)

    editorial.items_unpublish(items=Event.objects.filter(pk=story["crimea"].pk), by=publisher)
    assert "Background</span>" not in timeline(client)
    assert "2 events and 1 statement." in timeline(client)

    editorial.items_reject(items=Statement.objects.filter(pk=story["quote"].pk), by=publisher)
    assert "2 events and 0 statements." in timeline(client)


def test_items_dated_before_the_crisis_are_a_folded_background_strip(
    client: Client, story: dict
) -> None:
    html = timeline(client)

    strip = html[
        html.index('<details class="background"') : html.index(
            "</details>", html.index('<details class="background"')
        )
    ]
    assert "1 item dated outside this crisis (before 1 Nov 2021)" in strip
    assert "Russia annexes Crimea" in strip
    window = html[html.index("data-window") :]
    assert "Russia annexes Crimea" not in window
    assert window.index("Joint exercises in Belarus") < window.index("Russia masses troops")
    assert 'href="?at=2014-01-01"' not in html  # the month links do not reach back to it


def test_a_date_filter_of_the_readers_own_shows_the_background_in_the_timeline(
    client: Client, story: dict
) -> None:
    html = timeline(client, "?date_to=2021-10-31")

    assert '<details class="background"' not in html
    assert "Russia annexes Crimea" in html[html.index("data-window") :]
    assert "1 event and 0 statements match these filters." in html


def test_the_strip_lists_the_first_background_items_and_links_to_all_of_them(
    client: Client, crisis: Crisis
) -> None:
    many_events(crisis, BACKGROUND_LIMIT + 5, start=dt.date(2014, 1, 1))
    many_events(crisis, 3)

    html = timeline(client)
    strip = html[html.index('<details class="background"') :]
    strip = strip[: strip.index("</details>")]
    assert strip.count('class="item event"') == BACKGROUND_LIMIT
    assert f"The first {BACKGROUND_LIMIT} of {BACKGROUND_LIMIT + 5}." in strip
    assert 'href="/crises/ukraine/?date_to=2021-10-31"' in strip
    assert html.count('class="item event"') == BACKGROUND_LIMIT + 3


def test_a_crisis_without_dates_has_no_background(client: Client, story: dict) -> None:
    Crisis.objects.filter(pk=story["crisis"].pk).update(start_date=None)

    html = timeline(client)
    assert '<details class="background"' not in html
    assert "Russia annexes Crimea" in html[html.index("data-window") :]

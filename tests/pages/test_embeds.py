"""The timeline in a newsroom's page: the embeddable view, its `<iframe>` code and oEmbed.

Only the embed is framable, and only by this site and the origins `EMBED_ALLOWED_ORIGINS` names;
every other page refuses to be framed. (tests/e2e/test_embeds.py frames it in a real browser.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from crisis.settings import env_origins
from tests.factories import make_article, make_citation, make_crisis, make_event
from timeline.models import Crisis, EventCategory, Status
from timeline.views.timeline import PAGE_SIZE

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

NEWSROOM = "https://news.example.com"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def crisis() -> Crisis:
    crisis = make_crisis(slug="ukraine", title="Ukraine crisis", start_date=dt.date(2022, 1, 1))
    article = make_article(title="Troops mass near Ukraine")
    article.crises.add(crisis)
    diplomatic = EventCategory.objects.get(slug="diplomatic")
    for title, day, category in [
        ("Russia masses troops near Ukraine", 10, None),
        ("Blinken meets Lavrov in Geneva", 11, diplomatic),
    ]:
        event = make_event(
            title=title,
            start_date=dt.date(2022, 2, day),
            status=Status.PUBLISHED,
            **({"category": category} if category else {}),
        )
        event.crises.add(crisis)
        make_citation(article=article, event=event)
    return crisis


def frame_ancestors(response: object) -> str:
    policy = response["Content-Security-Policy"]  # type: ignore[index]
    found = re.search(r"frame-ancestors ([^;]*)", policy)
    assert found, policy
    return found.group(1).strip()


def iframe_src(html: str) -> str:
    found = re.search(r'<iframe src="([^"]+)"', html)
    assert found, html
    return unescape(found.group(1))


class TestTheEmbeddableView:
    def test_shows_the_reading_view_of_the_crisis_with_the_filters_of_its_address(
        self, client: Client, crisis: Crisis
    ) -> None:
        response = client.get("/embed/crises/ukraine/?category=diplomatic")

        assert response.status_code == 200
        page = response.content.decode()
        assert "Blinken meets Lavrov in Geneva" in page
        assert "Russia masses troops near Ukraine" not in page
        assert "1 event and 0 statements match these filters." in page
        # no site header, filter form or map: the host page is the frame
        assert "filters-panel" not in page and "data-map" not in page
        assert 'href="/crises/ukraine/?category=diplomatic"' in page  # open the full timeline

    def test_its_links_open_a_new_tab_but_its_paging_stays_in_the_frame(
        self, client: Client, crisis: Crisis
    ) -> None:
        for day in range(PAGE_SIZE + 1):
            event = make_event(
                title=f"Shelling {day}",
                start_date=dt.date(2022, 3, 1) + dt.timedelta(days=day),
                status=Status.PUBLISHED,
            )
            event.crises.add(crisis)

        page = client.get("/embed/crises/ukraine/").content.decode()

        assert '<base target="_blank">' in page
        later = re.search(r'<a href="([^"]+)" data-more="later" rel="next" target="_self">', page)
        assert later and unescape(later.group(1)).startswith("/embed/crises/ukraine/?after=")
        # a filter chip's "remove" keeps the reader in the embed too
        chip_page = client.get("/embed/crises/ukraine/?category=diplomatic").content.decode()
        assert '<a class="chip" href="/embed/crises/ukraine/?" target="_self">' in chip_page

    def test_may_be_framed_by_this_site_and_the_allowed_origins_only(
        self, client: Client, crisis: Crisis, settings: Settings
    ) -> None:
        settings.EMBED_ALLOWED_ORIGINS = [NEWSROOM]

        response = client.get("/embed/crises/ukraine/")

        assert frame_ancestors(response) == f"'self' {NEWSROOM}"
        assert "X-Frame-Options" not in response

    def test_a_cached_answer_carries_the_same_framing_policy(
        self, client: Client, crisis: Crisis, settings: Settings
    ) -> None:
        settings.EMBED_ALLOWED_ORIGINS = [NEWSROOM]
        first = client.get("/embed/crises/ukraine/")
        again = client.get("/embed/crises/ukraine/")  # from the readers' cache, or its fast lane

        assert again.content == first.content
        assert frame_ancestors(again) == f"'self' {NEWSROOM}"
        assert "X-Frame-Options" not in again

    def test_with_no_origin_allowed_only_this_site_may_frame_it(
        self, client: Client, crisis: Crisis, settings: Settings
    ) -> None:
        settings.EMBED_ALLOWED_ORIGINS = []

        assert frame_ancestors(client.get("/embed/crises/ukraine/")) == "'self'"

    def test_every_other_page_refuses_to_be_framed(
        self, client: Client, crisis: Crisis, settings: Settings
    ) -> None:
        settings.EMBED_ALLOWED_ORIGINS = [NEWSROOM]

        for url in ("/", "/crises/ukraine/", "/oembed?url=x"):
            response = client.get(url)
            assert frame_ancestors(response) == "'none'", url
            assert response["X-Frame-Options"] == "DENY", url

    def test_an_unknown_crisis_is_a_404_and_a_bad_filter_a_400_that_says_why(
        self, client: Client, crisis: Crisis
    ) -> None:
        assert client.get("/embed/crises/nowhere/").status_code == 404

        response = client.get("/embed/crises/ukraine/?date_from=someday")

        assert response.status_code == 400
        assert "Some filters of this embed could not be used" in response.content.decode()


class TestTheEmbedCodeOnTheTimeline:
    def test_the_timeline_offers_an_iframe_of_its_embed_with_the_same_filters(
        self, client: Client, crisis: Crisis
    ) -> None:
        page = client.get("/crises/ukraine/?category=diplomatic&after=abc").content.decode()

        code = re.search(r"<textarea id=\"embed-html\"[^>]*>(.*?)</textarea>", page, re.S)
        assert code, page
        snippet = unescape(code.group(1))
        assert iframe_src(snippet) == "http://testserver/embed/crises/ukraine/?category=diplomatic"
        assert 'title="Ukraine crisis — Crisis Timeline"' in snippet

    def test_the_timeline_and_the_embed_name_their_oembed_description(
        self, client: Client, crisis: Crisis
    ) -> None:
        for url in ("/crises/ukraine/", "/embed/crises/ukraine/"):
            page = client.get(url).content.decode()
            link = re.search(r'<link rel="alternate" type="application/json\+oembed"[^>]*>', page)
            assert link, url
            assert (
                'href="http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Fcrises%2Fukraine'
                '%2F%3F&amp;format=json"' in link.group(0)
            )


class TestOEmbed:
    def test_describes_a_timeline_address_as_a_rich_embed_with_its_filters(
        self, client: Client, crisis: Crisis
    ) -> None:
        response = client.get(
            "/oembed",
            {"url": "http://testserver/crises/ukraine/?actor=blinken&after=xyz", "format": "json"},
        )

        assert response.status_code == 200
        answer = json.loads(response.content)
        assert answer["version"] == "1.0"
        assert answer["type"] == "rich"
        assert answer["title"] == "Ukraine crisis — Crisis Timeline"
        assert answer["provider_name"] == "Crisis Timeline"
        assert (answer["width"], answer["height"]) == (720, 640)
        assert iframe_src(answer["html"]) == "http://testserver/embed/crises/ukraine/?actor=blinken"
        assert 'width="720" height="640"' in answer["html"]

    def test_keeps_within_the_consumers_maximum_size(self, client: Client, crisis: Crisis) -> None:
        answer = client.get(
            "/oembed",
            {
                "url": "http://testserver/embed/crises/ukraine/",
                "maxwidth": "400",
                "maxheight": "300",
            },
        ).json()

        assert (answer["width"], answer["height"]) == (400, 300)

    @pytest.mark.parametrize(
        ("query", "status", "message"),
        [
            ({}, 400, "Give the address of a timeline of this site as url="),
            ({"url": "http://testserver/crises/ukraine/", "format": "xml"}, 501, "format=json"),
            ({"url": "http://testserver/crises/ukraine/", "maxwidth": "wide"}, 400, "maxwidth"),
            ({"url": "http://testserver/crises/ukraine/", "maxheight": "0"}, 400, "maxheight"),
            ({"url": "http://elsewhere.example/crises/ukraine/"}, 404, "is not a crisis timeline"),
            ({"url": "http://testserver/crises/nowhere/"}, 404, "is not a crisis timeline"),
            ({"url": "http://testserver/actors/putin/"}, 404, "is not a crisis timeline"),
            ({"url": "not an address"}, 404, "is not a crisis timeline"),
        ],
    )
    def test_refuses_what_it_cannot_describe_with_a_sentence(
        self, client: Client, crisis: Crisis, query: dict[str, str], status: int, message: str
    ) -> None:
        response = client.get("/oembed", query)

        assert response.status_code == status
        assert message in response.json()["error"]


class TestTheAllowedOriginsSetting:
    def test_reads_origins_and_any_site(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "EMBED_ALLOWED_ORIGINS", "https://news.example.com/, http://localhost:8080"
        )
        assert env_origins("EMBED_ALLOWED_ORIGINS") == [NEWSROOM, "http://localhost:8080"]

        monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", "*")
        assert env_origins("EMBED_ALLOWED_ORIGINS") == ["*"]

    @pytest.mark.parametrize(
        "value", ["news.example.com", "https://news.example.com/articles", "ftp://news.example.com"]
    )
    def test_refuses_what_is_not_an_origin_with_a_sentence(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", value)

        with pytest.raises(ImproperlyConfigured, match="scheme and host"):
            env_origins("EMBED_ALLOWED_ORIGINS")

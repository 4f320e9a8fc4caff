"""Addresses that name nothing, and failures, get the site's own page (JSON under /api/)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_404_in_the_site_s_own_layout() -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-header"' in page and 'href="/"' in page


def test_an_unknown_api_address_is_a_404_in_the_api_s_error_envelope() -> None:
    response = Client().get("/api/v1/no-such-resource/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_failure_is_a_500_page_in_the_site_s_layout_without_detail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from timeline.views import home

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(home, "render", broken)
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Server error</h1>" in page and 'class="site-header"' in page
    assert "secret detail" not in page


def test_every_page_names_the_site_s_icon_and_favicon_ico_leads_to_it() -> None:
    client = Client()

    assert 'rel="icon"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "favicon" in response["Location"] and response["Location"].endswith(".svg")

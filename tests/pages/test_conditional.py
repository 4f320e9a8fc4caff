"""Pages and API answers carry an ETag; a reader's browser asking again gets 304 and no body."""

from __future__ import annotations

import pytest
from django.test import Client

from timeline.synthetic import Sizes, generate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/crises/synthetic/", "/api/v1/events/"])
def test_a_repeat_request_with_the_etag_gets_a_304(client: Client, url: str) -> None:
    generate(sizes=Sizes(events=20, statements=20, actors=5, articles=5), seed=1)
    first = client.get(url)
    assert first.status_code == 200 and first.has_header("ETag")

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""

"""The article stores the lead image its page names."""

from __future__ import annotations

import pytest

from tests.extraction.test_lead_image import FIGURE, OG_IMAGE, page
from timeline.extraction.article_text import parse_html
from timeline.services import articles

pytestmark = pytest.mark.django_db


def test_the_stored_article_keeps_the_lead_image_with_its_caption_and_credit() -> None:
    parsed = parse_html(page(OG_IMAGE, FIGURE), url="https://www.reuters.com/world/geneva")
    stored = articles.article_store_pending(parsed=parsed, source_name="Reuters")
    article = stored.article
    article.refresh_from_db()
    assert article.image_url == "https://www.reuters.com/resizer/geneva.jpg"
    assert article.image_caption.startswith("Antony Blinken meets Sergei Lavrov")
    assert article.image_credit == "REUTERS/Denis Balibouse"

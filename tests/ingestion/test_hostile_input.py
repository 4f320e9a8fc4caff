"""What an unlucky or hostile editor feeds the import gets stored cleanly or refused with a
sentence: never a traceback, a half-stored batch or a file read from the server (issue 19)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.ingestion.test_ingestion import BODY, small_extraction
from timeline.extraction.article_text import ParseError
from timeline.ingestion import sources
from timeline.ingestion.fetch import FetchError
from timeline.models import Article

pytestmark = pytest.mark.django_db

RECORD = {
    "title": "Troops\u0000 mass near Ukraine",
    "text": BODY + "\u0000",
    "source": "Reu\u0000ters",
    "byline": "\u0000",
    "url": "https://example.org/troops\u0000",
    "published_at": "2022-02-11T22:00:00Z",
}


@pytest.fixture(autouse=True)
def _small_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("timeline.extraction.pipeline.extract", small_extraction)


def stored_strings() -> list[str]:
    article = Article.objects.select_related("source").get()
    assert article.source is not None
    return [article.title, article.text, article.url, article.byline, article.source.name]


def test_nul_bytes_in_a_json_lines_batch_are_dropped_and_the_batch_goes_through(
    tmp_path: Path,
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps(RECORD) + "\n")
    out = io.StringIO()

    call_command("ingest", str(path), stdout=out, stderr=out)

    assert "1 article(s) ingested" in out.getvalue()
    assert Article.objects.get().ingestion_status == Article.IngestionStatus.DONE
    assert not any("\x00" in value for value in stored_strings())


def test_nul_bytes_in_an_uploaded_json_file_are_dropped(editor_client: Client) -> None:
    upload = io.BytesIO(json.dumps([RECORD]).encode())
    upload.name = "batch.json"

    response = editor_client.post("/admin/timeline/article/import/", {"file": upload})

    assert response.status_code == 200
    assert not any("\x00" in value for value in stored_strings())


@pytest.mark.parametrize(
    "url", ["ftp://example.org/etc/passwd", "file:///etc/passwd", "ftps://example.org/x"]
)
def test_the_admin_import_only_fetches_http_and_https_addresses(
    editor_client: Client, url: str
) -> None:
    response = editor_client.post("/admin/timeline/article/import/", {"url": url})

    assert response.status_code == 200
    assert "Give an http:// or https:// address." in response.content.decode()
    assert not Article.objects.exists()


def test_a_source_with_another_scheme_is_never_read_as_a_path_on_the_server() -> None:
    with pytest.raises(ParseError, match="Only http:// and https:// addresses"):
        sources.load_source("ftp://localhost/etc/passwd")


def test_fetching_keeps_to_the_configured_timeout(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.INGEST_FETCH_TIMEOUT = 3
    asked: dict[str, Any] = {}

    def fake_fetch(url: str, **kwargs: Any) -> Any:
        asked.update(kwargs)
        raise FetchError("Stopped here.")

    monkeypatch.setattr("timeline.ingestion.fetch.fetch_url", fake_fetch)
    with pytest.raises(ParseError):
        sources.load_source("https://example.org/article")

    assert asked["timeout"] == 3

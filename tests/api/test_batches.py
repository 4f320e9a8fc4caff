"""Batches: many articles handed over in one request (API) or one file (admin import page),
stored at once and extracted by the workers (inline here, without a broker), then followed and
their failures retried. The NLP pipeline is swapped for the small hand-made extraction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.ingestion.test_celery import Counting
from tests.ingestion.test_ingestion import BODY, failing_extraction, small_extraction
from timeline import tasks
from timeline.models import Article, IngestBatch

pytestmark = pytest.mark.django_db


def article(n: int) -> dict[str, str]:
    return {
        "text": f"Troops mass near Ukraine ({n})\n\nBy Reuters\n\n{BODY}\n\n(Story {n}.)",
        "published_at": "2022-02-11T22:00:00Z",
        "source_name": "Reuters",
    }


@pytest.fixture
def extraction(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting(small_extraction)
    monkeypatch.setattr(tasks, "EXTRACT", counting)
    return counting


def test_an_editor_hands_over_many_articles_and_follows_the_batch(
    editor_api: APIClient, extraction: Counting
) -> None:
    undated = {"text": "Troops mass\n\nRussia is massing troops."}
    body = {"label": "Overnight wires", "articles": [article(1), article(2), undated]}

    answer = editor_api.post("/api/v1/batches/", body, format="json")

    assert answer.status_code == 202, answer.content
    batch = answer.json()
    assert batch["label"] == "Overnight wires"
    assert batch["progress"] == {"done": 2, "failed": 0, "pending": 0, "refused": 1}
    assert batch["finished"] is True
    assert [a["ingestion_status"] for a in batch["articles"]] == ["done", "done"]
    assert "no publication time" in batch["refused"][0]["error"]
    assert editor_api.get(f"/api/v1/batches/{batch['id']}/").json() == batch
    assert extraction.calls == 2


def test_a_failed_article_is_shown_with_its_error_and_retried(
    editor_api: APIClient, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.INGEST_MAX_RETRIES = 0
    monkeypatch.setattr(tasks, "EXTRACT", failing_extraction)
    created = editor_api.post("/api/v1/batches/", {"articles": [article(1)]}, format="json")
    batch = created.json()
    assert batch["progress"]["failed"] == 1
    assert "the model crashed" in batch["articles"][0]["ingestion_error"]

    monkeypatch.setattr(tasks, "EXTRACT", small_extraction)
    retried = editor_api.post(f"/api/v1/batches/{batch['id']}/retry/")

    assert retried.status_code == 200
    assert retried.json()["progress"] == {"done": 1, "failed": 0, "pending": 0, "refused": 0}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"articles": []}, "at least one article"),
        ({"articles": [{"url": "https://example.org/a"}]}, "either `text` or `html`"),
        ({"articles": [article(n) for n in range(3)]}, "at most 2 articles"),
    ],
)
def test_a_batch_that_cannot_be_taken_is_a_400_saying_why(
    editor_api: APIClient, settings: Any, body: dict[str, Any], message: str
) -> None:
    settings.INGEST_BATCH_MAX = 2

    answer = editor_api.post("/api/v1/batches/", body, format="json")

    assert answer.status_code == 400
    assert message in json.dumps(answer.json())
    assert not IngestBatch.objects.exists()


def test_only_editors_hand_over_batches(api_client: APIClient, rita_api: APIClient) -> None:
    body = {"articles": [article(1)]}

    assert api_client.post("/api/v1/batches/", body, format="json").status_code == 401
    assert rita_api.post("/api/v1/batches/", body, format="json").status_code == 403
    assert rita_api.get("/api/v1/batches/").status_code == 403
    assert not Article.objects.exists()


def test_a_file_of_many_articles_goes_to_the_workers_from_the_import_page(
    editor_client: Client, extraction: Counting, settings: Any
) -> None:
    settings.INGEST_INLINE_MAX = 2
    lines = "\n".join(json.dumps({**article(n), "title": f"Story {n}"}) for n in range(3))
    upload = SimpleUploadedFile("overnight.jsonl", lines.encode())

    answer = editor_client.post("/admin/timeline/article/import/", {"file": upload}, follow=True)

    batch = IngestBatch.objects.get()
    assert answer.redirect_chain[-1][0] == f"/admin/timeline/ingestbatch/{batch.pk}/change/"
    page = answer.content.decode()
    assert "3 article(s) handed to the workers as one batch" in page
    assert page.count(">done<") == 3
    assert batch.progress() == {"done": 3, "failed": 0, "pending": 0, "refused": 0}


def test_a_crisis_slug_holding_a_nul_is_a_400_not_a_database_error(editor_api: APIClient) -> None:
    body = {"articles": [{**article(1), "crises": ["ru\x00ua"]}]}

    answer = editor_api.post("/api/v1/batches/", body, format="json")

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "articles.0.crises"

"""A batch of articles (`manage.py ingest FILES…`) parses their texts together, yet each article
is extracted as if alone and stored, or refused, on its own."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_crisis
from timeline.extraction import pipeline
from timeline.extraction.nlp import get_nlp
from timeline.ingestion.pipeline import ingest_sources
from timeline.models import Article, Event, Statement

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2022, 2, 11)
TEXTS = [
    "“Things could go crazy quickly,” President Joe Biden told NBC News on Thursday.",
    "NATO foreign ministers will meet in Brussels on Wednesday, the alliance said.",
    "Moscow denies planning an invasion, Kremlin spokesman Dmitry Peskov said on Friday.",
]


def test_a_batch_parse_extracts_each_text_as_extracting_it_alone_does() -> None:
    batch = pipeline.BatchParse(TEXTS)

    together = [batch.extract(text, PUBLISHED) for text in TEXTS]

    assert together == [pipeline.extract(text, PUBLISHED) for text in TEXTS]
    assert batch.times.parse_seconds > 0 and batch.times.rest_seconds > 0


def test_when_the_batch_parse_fails_each_text_is_parsed_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nlp = get_nlp()

    class BatchesFail:
        def __call__(self, text: str) -> object:
            if text == TEXTS[1]:
                raise RuntimeError("the model crashed on this text")
            return nlp(text)

        def pipe(self, texts: list[str]) -> object:
            raise RuntimeError("the model crashed on one of the texts")

    monkeypatch.setattr(pipeline, "get_nlp", BatchesFail)
    batch = pipeline.BatchParse(TEXTS)

    first = batch.extract(TEXTS[0], PUBLISHED)
    with pytest.raises(RuntimeError, match="crashed on this text"):
        batch.extract(TEXTS[1], PUBLISHED)
    last = batch.extract(TEXTS[2], PUBLISHED)

    monkeypatch.undo()
    assert [first, last] == [
        pipeline.extract(TEXTS[0], PUBLISHED),
        pipeline.extract(TEXTS[2], PUBLISHED),
    ]


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_batch_stores_each_article_alone_in_order_and_a_bad_one_fails_alone(
    tmp_path: Path,
) -> None:
    crisis = make_crisis()
    good = [write(tmp_path, f"{n}.txt", text) for n, text in enumerate(TEXTS)]
    empty = write(tmp_path, "empty.txt", "   \n")
    missing = str(tmp_path / "missing.txt")
    published = dt.datetime(2022, 2, 11, 22, 0, tzinfo=dt.UTC)
    [stored_before] = ingest_sources([good[2]], published_at=published)

    outcomes = list(
        ingest_sources(
            [good[0], empty, good[1], missing, good[2]], crises=[crisis], published_at=published
        )
    )

    assert [outcome.label for outcome in outcomes] == [good[0], empty, good[1], missing, good[2]]
    assert [outcome.ok for outcome in outcomes] == [True, False, True, False, True]
    assert "no text" in outcomes[1].error and "no file" in outcomes[3].error
    assert [outcome.result.extracted for outcome in outcomes if outcome.result] == [
        True,
        True,
        False,  # stored already
    ]
    again, before = outcomes[4].result, stored_before.result
    assert again is not None and before is not None
    assert again.article == before.article
    assert set(Article.objects.values_list("ingestion_status", flat=True)) == {"done"}
    assert Article.objects.count() == 3
    assert Statement.objects.filter(speaker__name="Joe Biden", crises=crisis).exists()
    assert Event.objects.filter(crises=crisis).exists()


def test_the_ingest_command_takes_several_files_and_sums_them_up(tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{n}.txt", text) for n, text in enumerate(TEXTS)]
    out = io.StringIO()

    call_command("ingest", *paths, "--published", "2022-02-11T22:00Z", stdout=out, stderr=out)
    call_command("ingest", *paths, "--published", "2022-02-11T22:00Z", stdout=out, stderr=out)

    assert "3 article(s) ingested, 0 already stored, 0 failed." in out.getvalue()
    assert "0 article(s) ingested, 3 already stored, 0 failed." in out.getvalue()
    with pytest.raises(CommandError, match="1 article\\(s\\) ingested, 0 already stored, 1 failed"):
        call_command(
            "ingest",
            str(tmp_path / "missing.txt"),
            write(tmp_path, "new.txt", "Ukraine said on Monday it would hold talks in Minsk."),
            "--published",
            "2022-02-11T22:00Z",
            stdout=out,
            stderr=out,
        )

"""The sentence embedding: all-MiniLM-L6-v2 run with numpy, as sentence-transformers runs it."""

from __future__ import annotations

import pytest

from timeline.extraction import embedding


def test_it_gives_the_similarities_the_model_card_gives() -> None:
    # sentence-transformers' README, for all-MiniLM-L6-v2: 0.6660, 0.1046 and 0.1411.
    weather, sunny, stadium = embedding.get_encoder().encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )

    assert float(weather @ sunny) == pytest.approx(0.6660, abs=5e-4)
    assert float(weather @ stadium) == pytest.approx(0.1046, abs=5e-4)
    assert float(sunny @ stadium) == pytest.approx(0.1411, abs=5e-4)


def test_a_batch_gives_each_text_the_vector_it_gets_alone() -> None:
    texts = ["Troops massed at the border.", "A much longer sentence, padded less than the other."]

    together = embedding.get_encoder().encode(texts)
    alone = embedding.get_encoder().encode(texts[:1])

    assert float(together[0] @ alone[0]) == pytest.approx(1.0, abs=1e-5)


def test_the_best_pair_of_sentences_is_the_similarity() -> None:
    call = "Biden and Putin spoke by telephone for an hour."
    other_words = "The two presidents held an hour-long phone call."

    best = embedding.meaning_similarity([call, "Snow fell in Kyiv."], [other_words])

    assert best == pytest.approx(embedding.meaning_similarity([call], [other_words]))
    assert best > 0.6
    assert embedding.meaning_similarity([], [call]) == 0.0


def test_a_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "MODEL_PACKAGE", "no_such_model_package")
    embedding.get_encoder.cache_clear()
    try:
        with pytest.raises(embedding.EmbeddingModelMissing, match="make setup"):
            embedding.get_encoder()
    finally:
        monkeypatch.undo()
        embedding.get_encoder.cache_clear()

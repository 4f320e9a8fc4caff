"""Measure the extraction pipeline against annotated news: `python -m evaluation` (`make eval`).

The dev data is read from ../shared/dev-data beside the repository (or $CRISIS_DEV_DATA) and is
never copied into the repository; the seed article is read from ../shared/corpus ($CRISIS_CORPUS).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE_NAME = "reuters-2022-02-11-russian-troops-mass-near-ukraine.txt"
SEED_GOLD = REPO / "tests" / "data" / "seed_article_gold.json"
RESULTS = REPO / "bench" / "results" / "eval.json"


def dev_data_root() -> Path:
    """The dev data folder: $CRISIS_DEV_DATA, else ../shared/dev-data beside the repository."""
    configured = os.environ.get("CRISIS_DEV_DATA", "").strip()
    root = Path(configured).expanduser() if configured else REPO.parent / "shared" / "dev-data"
    if not root.is_dir():
        raise FileNotFoundError(
            f"The dev data folder {root} does not exist. Set CRISIS_DEV_DATA to the folder holding "
            "timebank-aquaint/ and polnear-dev/, or place shared/ beside the repository."
        )
    return root


def seed_article_path() -> Path:
    """The seed article: in $CRISIS_CORPUS, else in ../shared/corpus beside the repository."""
    configured = os.environ.get("CRISIS_CORPUS", "").strip()
    corpus = Path(configured).expanduser() if configured else REPO.parent / "shared" / "corpus"
    path = corpus / SEED_ARTICLE_NAME
    if not path.is_file():
        raise FileNotFoundError(
            f"The seed article {path} does not exist. Set CRISIS_CORPUS to the folder holding it, "
            "or place shared/ beside the repository."
        )
    return path

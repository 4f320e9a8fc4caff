"""Run every benchmark, print its table and write bench/results/<name>-<time>.json."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    from bench import ingest, matching, scale, timeline

    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for name, run in [
        ("timeline", timeline.run),
        ("scale", scale.run),
        ("ingest", ingest.run),
        ("matching", matching.run),
    ]:
        result = run()
        path = RESULTS / f"{name}-{stamp}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nWrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

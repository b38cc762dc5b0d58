"""What benchmarks share: locating ../shared (``CROSSCHECK_SHARED`` overrides), saving results, a timed ingest."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crosscheck import Pipeline
    from crosscheck.models import IngestReport

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared data folder, or exit with a clear message."""
    path = Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))
    if not path.is_dir():
        sys.exit(f"shared data not found at {path}: set CROSSCHECK_SHARED")
    return path


def save_results(name: str, results: object) -> Path:
    """Write ``results`` as JSON to ``bench/results/<name>.json`` and return the path."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(results, indent=2))
    return path


def timed_ingest(pipeline: Pipeline, inputs: list[str]) -> tuple[IngestReport, float]:
    """``pipeline.ingest(inputs)`` and its seconds, the models loaded beforehand: loading is not throughput."""
    pipeline.embedder.embed(["warm-up"])
    pipeline.recognizer.recognize(["warm-up"])
    started = time.perf_counter()
    report = pipeline.ingest(inputs)
    return report, time.perf_counter() - started

"""Locating ../shared for benchmarks (``CROSSCHECK_SHARED`` overrides)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

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

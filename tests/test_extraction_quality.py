"""Quality gate for HTML main-text extraction: crosscheck's ``extract_html`` scored on both published benchmarks
in ``../shared/data/extraction`` with the scoring of ``bench/extraction.py`` (loaded from its file).

Floors sit 0.01 below the F1 measured when ``ingest/html.py`` was tuned (aeb 0.9627, trafilatura 0.9260; the
published figures are 0.958 and 0.924). Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"
FLOORS = {"aeb": 0.9527, "trafilatura": 0.9160}


@pytest.fixture(scope="module")
def scoring() -> ModuleType:
    """bench/extraction.py, loaded from its file (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("crosscheck_bench_extraction", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench(scoring: ModuleType) -> ModuleType:
    """The same module, when the benchmark data is there."""
    if not scoring.extraction_dir().is_dir():
        pytest.skip(f"../shared not found: {scoring.extraction_dir()} is missing (set CROSSCHECK_SHARED)")
    return scoring


def test_aeb_floor(bench: ModuleType) -> None:
    scores = bench.run_aeb()
    assert scores.pages == 181
    assert scores.f1 >= FLOORS["aeb"], scores.report()


def test_trafilatura_floor(bench: ModuleType) -> None:
    scores = bench.run_trafilatura()
    assert scores.pages == 990
    assert scores.f1 >= FLOORS["trafilatura"], scores.report()


def test_aeb_scoring_matches_the_published_rule(scoring: ModuleType) -> None:
    # identical texts: perfect; disjoint: zero; a document shorter than 4 tokens is one short shingle
    assert scoring.aeb_tp_fp_fn("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)
    assert scoring.aeb_tp_fp_fn("one two three four", "five six seven eight") == (0.0, 0.5, 0.5)
    assert scoring.aeb_shingles("a b") == {("a", "b"): 1}
    precision, recall, f1 = scoring.aeb_metrics([(0.5, 0.5, 0.0), (1.0, 0.0, 0.0)])
    assert (precision, recall) == (0.75, 1.0) and abs(f1 - 6 / 7) < 1e-9


def test_segment_scoring_matches_trafilatura(scoring: ModuleType) -> None:
    item = {"with": ["must  appear", "also here"], "without": ["boiler plate"]}
    assert scoring.count_segments(item, "it must appear\nbut boiler\n plate too") == (1, 1, 1, 0)
    assert scoring.count_segments(item, None) == (0, 0, 2, 1)

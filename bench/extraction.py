"""Main-text extraction benchmark for crosscheck's HTML reader (``crosscheck.ingest.html.extract_html``).

Run from the repository root: ``.venv/bin/python bench/extraction.py [--only aeb|trafilatura] [--baseline]``.

Two published benchmarks from ``../shared/data/extraction`` (or ``$CROSSCHECK_SHARED/data/extraction``), each
scored with its own published rule:

* ``aeb/`` (scrapinghub article-extraction-benchmark, 181 pages): per document, the counts of 4-token shingles
  (tokens are ``\\w+`` runs, case kept, as in the benchmark's ``evaluate.py``) give true/false positives and false
  negatives, normalised by their sum; precision and recall are averaged over documents and F1 = 2PR/(P+R).
  Published F1: trafilatura 2.0 0.958.
* ``trafilatura/`` (trafilatura's own evaluation set, 990 pages): each page lists text segments that must appear
  (``with``) and boilerplate that must not (``without``); a segment matches when its whitespace-normalised form is
  a substring of the whitespace-normalised output. Counts are pooled over all pages (as in trafilatura's
  ``tests/eval_common.py``). Published F1: trafilatura 2.2 0.924.

Metadata is compared where the gold data has it: canonical URL (aeb), title, date, author and site name
(trafilatura). The scoring functions are importable (the quality gate in ``tests/test_extraction_quality.py`` loads
this file by path).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import InputError
from crosscheck.ingest.html import extract_html
from crosscheck.models import ParsedArticle

Extractor = Callable[[bytes, str | None], ParsedArticle | None]

# Published F1 of the reference extractor on each benchmark (see the module docstring).
PUBLISHED_F1 = {"aeb": ("trafilatura 2.0", 0.958), "trafilatura": ("trafilatura 2.2", 0.924)}

# --- locating the data --------------------------------------------------------------------------------------


def shared_dir() -> Path:
    """``$CROSSCHECK_SHARED`` if set, else ``../shared`` next to the repository root."""
    override = os.environ.get("CROSSCHECK_SHARED")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


def extraction_dir() -> Path:
    """Where the two extraction benchmarks live."""
    return shared_dir() / "data" / "extraction"


# --- the extractor under test -------------------------------------------------------------------------------


def crosscheck_extractor(html: bytes, url: str | None) -> ParsedArticle | None:
    """crosscheck's HTML reader; None when it finds no main text (scored as an empty output)."""
    try:
        return extract_html(html, url=url)
    except InputError:
        return None


def trafilatura_baseline(html: bytes, url: str | None) -> ParsedArticle | None:
    """Plain ``trafilatura.extract`` with the settings of trafilatura's own evaluation, for comparison."""
    from trafilatura import extract

    text = extract(html, include_comments=False, include_tables=True, include_formatting=False)
    return ParsedArticle(external_id="", text=text) if text else None


# --- scores -------------------------------------------------------------------------------------------------


@dataclass
class Scores:
    """Precision, recall and F1 of one benchmark run, with speed and metadata agreement."""

    name: str
    precision: float
    recall: float
    f1: float
    pages: int
    seconds: float
    metadata: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (agreeing, compared)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def report(self) -> str:
        lines = [
            f"{self.name}: precision={self.precision:.4f} recall={self.recall:.4f} F1={self.f1:.4f} "
            f"({self.pages} pages, {self.pages_per_second:.1f} pages/s)"
        ]
        for key, (agree, total) in sorted(self.metadata.items()):
            share = agree / total if total else 0.0
            lines.append(f"    metadata {key:<9} {agree:>4}/{total:<4} agree ({share:.1%})")
        return "\n".join(lines)


# --- AEB: 4-token shingles ----------------------------------------------------------------------------------

_AEB_TOKEN = re.compile(r"\w+", re.UNICODE)


def aeb_shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Counts of the n-token shingles of ``text`` (a text shorter than n tokens is one short shingle)."""
    tokens = _AEB_TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def aeb_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle true positives, false positives and false negatives, normalised to sum to 1 (if any)."""
    gold, found = aeb_shingles(true), aeb_shingles(pred)
    tp = float(sum((gold & found).values()))
    fp = float(sum((found - gold).values()))
    fn = float(sum((gold - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_metrics(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Mean per-document precision and recall (the benchmark's edge cases included) and their F1."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _same_url(found: str | None, gold: str | None) -> bool:
    def norm(url: str | None) -> str:
        return re.sub(r"^https?://(www\.)?", "", (url or "").strip().lower()).rstrip("/")

    return bool(found) and norm(found) == norm(gold)


def run_aeb(extractor: Extractor = crosscheck_extractor, root: Path | None = None, limit: int | None = None) -> Scores:
    """Score ``extractor`` on the article-extraction-benchmark pages."""
    base = (root or extraction_dir()) / "aeb"
    truth: dict[str, dict[str, Any]] = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    counts, url_agree, url_total, elapsed = [], 0, 0, 0.0
    for key in keys:
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes())
        start = time.perf_counter()
        article = extractor(html, None)
        elapsed += time.perf_counter() - start
        counts.append(aeb_tp_fp_fn(truth[key].get("articleBody", ""), article.text if article else ""))
        if truth[key].get("url"):
            url_total += 1
            url_agree += _same_url(article.url if article else None, truth[key]["url"])
    precision, recall, f1 = aeb_metrics(counts)
    return Scores("aeb", precision, recall, f1, len(keys), elapsed, {"url": (url_agree, url_total)})


# --- trafilatura: pooled segment matching -------------------------------------------------------------------


def norm_ws(text: str) -> str:
    """Whitespace-normalise, as trafilatura's evaluation does on both sides."""
    return re.sub(r"\s+", " ", text).strip()


def count_segments(item: dict[str, Any], result: str | None) -> tuple[int, int, int, int]:
    """Per-page (tp, fp, fn, tn) by whitespace-normalised substring matching."""
    if result:
        found = norm_ws(result)
        tp = sum(1 for segment in item["with"] if norm_ws(segment) in found)
        fp = sum(1 for segment in item["without"] if norm_ws(segment) in found)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def iter_trafilatura_pages(root: Path | None = None) -> Iterator[tuple[str, dict[str, Any], bytes]]:
    """(url, gold item, page bytes) for each evaluation page, read straight from the tarball in its order.

    A file present both in ``tests/cache`` and ``tests/eval`` is taken from ``cache``, as trafilatura does.
    """
    base = (root or extraction_dir()) / "trafilatura"
    evaldata: dict[str, dict[str, Any]] = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    by_file: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for url, item in evaldata.items():
        by_file.setdefault(item["file"], []).append((url, item))
    archive = base / "html_eval_cache.tar.gz"
    with tarfile.open(archive, "r:gz") as tar:
        cached = {Path(name).name for name in tar.getnames() if "/cache/" in name}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            folder, name = Path(member.name).parent.name, Path(member.name).name
            if not member.isfile() or name not in by_file or (folder == "eval" and name in cached):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            for url, item in by_file[name]:
                yield url, item, data


def _compare_metadata(item: dict[str, Any], article: ParsedArticle | None, tally: dict[str, list[int]]) -> None:
    def norm(value: str | None) -> str:
        return norm_ws(value or "").lower()

    found = {
        "title": norm(article.title) if article else "",
        "date": (article.published or "")[:10] if article else "",
        "author": "; ".join(sorted(norm(a) for a in article.authors)) if article else "",
        "sitename": norm(article.source_name) if article else "",
    }
    for key, value in found.items():
        gold = item.get(key)
        if not gold:
            continue
        if key == "author":
            names = gold if isinstance(gold, list) else re.split(r";|,| and ", str(gold))
            gold = "; ".join(sorted(norm(a) for a in names if a.strip()))
        elif key != "date":
            gold = norm(gold)
        pair = tally.setdefault(key, [0, 0])
        pair[0] += value == gold
        pair[1] += 1


def run_trafilatura(
    extractor: Extractor = crosscheck_extractor, root: Path | None = None, limit: int | None = None
) -> Scores:
    """Score ``extractor`` on trafilatura's evaluation pages (segments pooled over all pages)."""
    tp = fp = fn = pages = 0
    elapsed = 0.0
    tally: dict[str, list[int]] = {}
    for url, item, html in iter_trafilatura_pages(root):
        if limit and pages >= limit:
            break
        start = time.perf_counter()
        article = extractor(html, url)
        elapsed += time.perf_counter() - start
        t, f, n, _ = count_segments(item, article.text if article else None)
        tp, fp, fn, pages = tp + t, fp + f, fn + n, pages + 1
        _compare_metadata(item, article, tally)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    metadata = {key: (agree, total) for key, (agree, total) in tally.items()}
    return Scores("trafilatura", precision, recall, f1, pages, elapsed, metadata)


# --- command line -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Print the scores of crosscheck's extractor (and, with ``--baseline``, of plain trafilatura)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["aeb", "trafilatura"], help="run one benchmark")
    parser.add_argument("--limit", type=int, help="score only the first N pages of each benchmark")
    parser.add_argument("--baseline", action="store_true", help="also score plain trafilatura.extract")
    args = parser.parse_args(argv)
    if not extraction_dir().is_dir():
        print(f"benchmark data not found at {extraction_dir()} (set CROSSCHECK_SHARED)", file=sys.stderr)
        return 2
    extractors: list[tuple[str, Extractor]] = [("crosscheck", crosscheck_extractor)]
    if args.baseline:
        extractors.append(("trafilatura.extract", trafilatura_baseline))
    runners = [run for name, run in (("aeb", run_aeb), ("trafilatura", run_trafilatura)) if args.only in (None, name)]
    for label, extractor in extractors:
        for run in runners:
            scores = run(extractor, limit=args.limit)
            reference, published = PUBLISHED_F1[scores.name]
            print(f"[{label}] {scores.report()}", flush=True)
            print(f"    published F1 ({reference}): {published:.3f}; difference {scores.f1 - published:+.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

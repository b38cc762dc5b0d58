"""Figure extraction: scores on the annotated seeds, claims found on unlabelled articles, and speed.

Scores the seeds against ``gold/seed-claims.jsonl`` (precision, recall and F1 on (value, value_high, unit) per
article; subject and kind accuracy on the matched claims), counts the claims found in the 13 unannotated
``nato-2025`` articles (their precision is checked by hand: see docs/claims.md), and times extraction on the
seeds, nato-2025 and the first articles of the abp corpus, after the model is loaded, on one process.

    .venv/bin/python bench/claims.py [--abp 300] [--show]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from _shared import ROOT, shared_dir
from crosscheck.claims import ClaimExtractor
from crosscheck.claims.evaluate import load_gold, score_claims
from crosscheck.claims.nlp import pipeline
from crosscheck.claims.units import format_figure
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings


def _read(path: Path) -> list[ParsedArticle]:
    return [a for a in read_inputs([str(path)], Settings()) if isinstance(a, ParsedArticle)]


def _abp(shared: Path, limit: int) -> list[tuple[str, str | None]]:
    rows: list[tuple[str, str | None]] = []
    with gzip.open(shared / "data" / "corpora" / "abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(rows) >= limit:
                break
            row = json.loads(line)
            rows.append((row.get("content_original") or "", (row.get("date") or "")[:10] or None))
    return rows


def run(abp: int, show: bool) -> dict[str, object]:
    shared = shared_dir()
    extractor = ClaimExtractor()
    pipeline()  # load the model before timing
    seeds = _read(shared / "seeds")
    found = extractor.extract_many([(a.text, a.published) for a in seeds])
    score = score_claims(
        {a.external_id: f.claims for a, f in zip(seeds, found, strict=True)},
        load_gold(shared / "gold" / "seed-claims.jsonl"),
    )
    nato = _read(shared / "data" / "corpora" / "nato-2025")
    nato_found = extractor.extract_many([(a.text, a.published) for a in nato])
    if show:
        for article, figures in zip(nato, nato_found, strict=True):
            print(f"== {article.external_id}")
            for c in figures.claims:
                label = format_figure(c.value, c.value_high, c.unit)
                print(f"   {label} | {c.subject} | {c.kind} | {c.period} | {c.speaker} :: {c.evidence[:100]}")
    corpus = [(a.text, a.published) for a in seeds + nato] + _abp(shared, abp)
    start, cpu_start = time.perf_counter(), time.process_time()
    timed = extractor.extract_many(corpus)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    claims = sum(len(f.claims) for f in timed)
    return {
        "seeds": score.summary(),
        "seed_errors": score.errors,
        "nato_2025": {
            "articles": len(nato),
            "claims": sum(len(f.claims) for f in nato_found),
            "quotes": sum(len(f.quotes) for f in nato_found),
        },
        "speed": {
            "articles": len(corpus),
            "mean_chars": round(sum(len(t) for t, _ in corpus) / len(corpus)),
            "seconds": round(seconds, 2),
            "articles_per_s": round(len(corpus) / seconds, 1),
            # CPU time of this process: what the rate would be on an idle core when other jobs share the machine
            "cpu_seconds": round(cpu, 2),
            "articles_per_cpu_s": round(len(corpus) / cpu, 1),
            "claims": claims,
            "claims_per_s": round(claims / seconds, 1),
            "quotes": sum(len(f.quotes) for f in timed),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--abp", type=int, default=300, help="abp articles added to the timed corpus")
    parser.add_argument("--show", action="store_true", help="print every claim found in nato-2025")
    args = parser.parse_args()
    result = run(args.abp, args.show)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / "claims.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

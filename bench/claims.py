"""Figure extraction: scores on both labelled sets, claims found on unlabelled articles, and speed.

Scores the extractor against the two labelled sets — the seeds (``gold/seed-claims.jsonl``) and 24 abp articles
of July 2019 on mixed news (``gold/claims-abp-2019-07.jsonl``) — with precision, recall and F1 on (value,
value_high, unit) per article, subject and kind accuracy on the matched claims, each overall and per unit. Counts
the claims found in the 13 unannotated ``nato-2025`` articles, and times extraction (quotes included) on the
seeds, nato-2025 and the first articles of the abp corpus, after the model is loaded, in one process.

``--baseline REV`` loads the figure code of a git revision (``src/crosscheck`` as committed there) beside the
working tree's, in the same process, and measures both on the same texts: scores side by side, and timing rounds
alternating baseline and current so that both see the same load on a shared machine.

    .venv/bin/python bench/claims.py [--baseline fda8235] [--abp 300] [--rounds 2] [--show]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _shared import ROOT, shared_dir
from crosscheck.claims import ClaimExtractor
from crosscheck.claims.evaluate import Score, load_gold, score_claims
from crosscheck.claims.units import format_figure
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

Texts = list[tuple[str, str | None]]


def _read(path: Path) -> list[ParsedArticle]:
    return [a for a in read_inputs([str(path)], Settings()) if isinstance(a, ParsedArticle)]


def _abp_rows(shared: Path, wanted: Callable[[int, dict[str, Any]], bool], limit: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with gzip.open(shared / "data" / "corpora" / "abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if len(rows) >= limit:
                break
            row = json.loads(line)
            if wanted(n, row):
                rows.append(row)
    return rows


def _text(row: dict[str, Any]) -> tuple[str, str | None]:
    return row.get("content_original") or "", (row.get("date") or "")[:10] or None


def _labelled(shared: Path) -> dict[str, tuple[list[str], Texts, Path]]:
    """Each labelled set: document names, their (text, published), and the gold file."""
    seeds = _read(shared / "seeds")
    gold_abp = shared / "gold" / "claims-abp-2019-07.jsonl"
    ids = (shared / "gold" / "claims-abp-2019-07.articles.txt").read_text(encoding="utf-8").split()
    rows = {r["ID"]: r for r in _abp_rows(shared, lambda _, r: r.get("ID") in ids, len(ids))}
    seed_texts = [(a.text, a.published) for a in seeds]
    return {
        "seeds": ([a.external_id for a in seeds], seed_texts, shared / "gold" / "seed-claims.jsonl"),
        "abp-2019-07": (ids, [_text(rows[i]) for i in ids], gold_abp),
    }


def _summary(score: Score) -> dict[str, Any]:
    return {**score.summary(), "by_unit": {u: s.summary() for u, s in sorted(score.by_unit.items())}}


def _score(extractor: Any, names: list[str], texts: Texts, gold: Path) -> Score:
    found = extractor.extract_many(texts)
    return score_claims({n: f.claims for n, f in zip(names, found, strict=True)}, load_gold(gold))


def baseline_extractor(rev: str) -> Any:
    """A ClaimExtractor from the figure code committed at ``rev``, loaded beside the current one.

    The revision's ``src/crosscheck`` is unpacked into a temporary folder and imported with the current modules
    set aside; its objects keep their own module globals (and their own spaCy pipeline) once the current
    modules are put back.
    """
    archive = subprocess.run(["git", "archive", rev, "src/crosscheck"], cwd=ROOT, check=True, capture_output=True)
    folder = Path(tempfile.mkdtemp(prefix="claims-baseline-"))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    current = {k: v for k, v in sys.modules.items() if k == "crosscheck" or k.startswith("crosscheck.")}
    for name in current:
        del sys.modules[name]
    sys.path.insert(0, str(folder / "src"))
    try:
        from crosscheck.claims import ClaimExtractor as Baseline

        return Baseline()
    finally:
        sys.path.remove(str(folder / "src"))
        for name in [k for k in sys.modules if k == "crosscheck" or k.startswith("crosscheck.")]:
            del sys.modules[name]
        sys.modules.update(current)


def _time(extractor: Any, corpus: Texts) -> dict[str, float]:
    start, cpu_start = time.perf_counter(), time.process_time()
    timed = extractor.extract_many(corpus)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "cpu": cpu, "claims": sum(len(f.claims) for f in timed),
            "quotes": sum(len(f.quotes) for f in timed)}  # fmt: skip


def _speed(runs: list[dict[str, float]], articles: int) -> dict[str, Any]:
    seconds, cpu = sum(r["seconds"] for r in runs), sum(r["cpu"] for r in runs)
    claims = runs[0]["claims"]
    return {
        "rounds": len(runs),
        "seconds_per_round": round(seconds / len(runs), 2),
        "articles_per_s": round(articles * len(runs) / seconds, 1),
        # CPU time of this process: what the rate would be on an idle core when other jobs share the machine
        "cpu_seconds_per_round": round(cpu / len(runs), 2),
        "articles_per_cpu_s": round(articles * len(runs) / cpu, 1),
        "claims": int(claims),
        "claims_per_s": round(claims * len(runs) / seconds, 1),
        "claims_per_cpu_s": round(claims * len(runs) / cpu, 1),
        "quotes": int(runs[0]["quotes"]),
    }


def _show(extractor: Any, articles: list[ParsedArticle]) -> None:
    found = extractor.extract_many([(a.text, a.published) for a in articles])
    for article, figures in zip(articles, found, strict=True):
        print(f"== {article.external_id}")
        for c in figures.claims:
            label = format_figure(c.value, c.value_high, c.unit)
            print(f"   {label} | {c.subject} | {c.kind} | {c.period} | {c.speaker} :: {c.evidence[:100]}")


def run(abp: int, rounds: int, baseline: str | None, show: bool) -> dict[str, Any]:
    shared = shared_dir()
    extractors: dict[str, Any] = {"current": ClaimExtractor()}
    if baseline:
        extractors = {"baseline": baseline_extractor(baseline), **extractors}
    labelled = _labelled(shared)
    nato = _read(shared / "data" / "corpora" / "nato-2025")
    result: dict[str, Any] = {"baseline_rev": baseline}
    for name, extractor in extractors.items():
        extractor.extract("Spending rose 2% in 2024.", None)  # load the model before timing
        scores = {label: _score(extractor, *data) for label, data in labelled.items()}
        nato_found = extractor.extract_many([(a.text, a.published) for a in nato])
        result[name] = {
            **{label: _summary(s) for label, s in scores.items()},
            "nato_2025": {
                "articles": len(nato),
                "claims": sum(len(f.claims) for f in nato_found),
                "quotes": sum(len(f.quotes) for f in nato_found),
            },
        }
        result[f"{name}_errors"] = {label: s.errors for label, s in scores.items()}
    if show:
        _show(extractors["current"], nato)
    corpus = [t for _, texts, _ in labelled.values() for t in texts] + [(a.text, a.published) for a in nato]
    corpus += [_text(r) for r in _abp_rows(shared, lambda _, r: True, abp)]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in extractors}
    for _ in range(rounds):
        for name, extractor in extractors.items():  # alternating, so both see the same load
            runs[name].append(_time(extractor, corpus))
    mean_chars = round(sum(len(t) for t, _ in corpus) / len(corpus))
    for name in extractors:
        result[name]["speed"] = {"articles": len(corpus), "mean_chars": mean_chars, **_speed(runs[name], len(corpus))}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", metavar="REV", help="git revision whose figure code is measured alongside")
    parser.add_argument("--abp", type=int, default=300, help="first abp articles added to the timed corpus")
    parser.add_argument("--rounds", type=int, default=2, help="timing rounds per extractor")
    parser.add_argument("--show", action="store_true", help="print every claim found in nato-2025")
    args = parser.parse_args()
    result = run(args.abp, args.rounds, args.baseline, args.show)
    brief = {k: v for k, v in result.items() if not k.endswith("_errors")}
    print(json.dumps(brief, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / "claims.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

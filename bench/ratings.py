"""The outlet registry measured: coverage of a month of articles, agreement with the corpus' own labels and
between raters, and how well outlet names are matched to domains.

1. Imports every shared rater file into a fresh database (timed).
2. Ingests the demo corpus (the seeds, the NATO 2025 articles and the month of the abp corpus) through
   ``Pipeline.ingest``, as ``crosscheck demo`` does, and measures the share of the month's articles whose export
   carries a bias and a factuality rating, that every story exports its coverage, and the blindspots found.
   ``--fast`` stores the month's articles directly (no models, no stories) and measures only the first part.
3. Assesses every article of the abp corpus (37,554, labelled left/center/right by AllSides) from its URL and
   source name, and compares the registry's combined bias (collapsed to three sides) with the label.
4. Compares raters on the outlets they share: AllSides vs Baly et al. (bias), MBFC vs Baly (factuality), and
   each rater's two editions.
5. Resolves the names of AllSides' newer file (which gives URLs) without that file and checks the domains.

    .venv/bin/python bench/ratings.py [--month 2018-09] [--fast]
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from _shared import ROOT, shared_dir
from crosscheck import Pipeline, Settings, Store
from crosscheck.demo import month_of_corpus
from crosscheck.exports import export_rows
from crosscheck.models import ParsedArticle
from crosscheck.sources import outlet_for
from crosscheck.sources.assess import Assessor, assess_entries
from crosscheck.sources.blindspot import blindspots, corpus_base_rates
from crosscheck.sources.coverage import all_coverage
from crosscheck.sources.names import Scope
from crosscheck.sources.registry import import_file, shared_rater_files
from crosscheck.sources.resolve import build_index
from crosscheck.sources.scales import position, side
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection

LABELS = {0: "left", 1: "center", 2: "right"}
FACT3 = {
    "very low": "low",
    "low": "low",
    "mixed": "mixed",
    "mostly factual": "high",
    "high": "high",
    "very high": "high",
}


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right.get(k, 0) for k in left) / n / n
    return round((observed - expected) / (1 - expected), 3) if expected < 1 else None


def agreement(pairs: list[tuple[str, str]], dimension: str | None = None) -> dict[str, object]:
    """Exact agreement, kappa, and (on a common scale) agreement within one step."""
    n = len(pairs)
    found: dict[str, object] = {
        "outlets": n,
        "exact": round(sum(a == b for a, b in pairs) / n, 3) if n else None,
        "kappa": kappa(pairs),
    }
    if dimension and n:
        near = sum(abs(position(dimension, a) - position(dimension, b)) <= 1 for a, b in pairs)
        found["within_one_step"] = round(near / n, 3)
    return found


def import_all(store: Store, skip: str | None = None) -> list[dict[str, object]]:
    """Import every shared rater file (but ``skip``), timed."""
    reports = []
    for path, date in shared_rater_files(shared_dir()):
        if skip and skip in str(path):
            continue
        started = time.perf_counter()
        r = import_file(store, path, rated_on=date)
        reports.append(
            {
                "source": r.source_id,
                "format": r.format,
                "rated_on": r.rated_on,
                "entries": r.entries,
                "with_domain": r.with_domain,
                "by_name": r.by_name,
                "unresolved": len(r.unresolved),
                "skipped": len(r.skipped),
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return reports


def month_rows(month: str, tmp: Path) -> tuple[Path, list[dict[str, str]]]:
    """The month of the abp corpus as a JSONL file and its rows."""
    path = month_of_corpus(shared_dir() / "data/corpora/abp/articles.jsonl.gz", month, tmp / "month.jsonl")
    return path, [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _coverage_share(exported: list[dict[str, object]]) -> dict[str, object]:
    n = len(exported)
    return {
        "articles": n,
        "with_bias": round(sum(r["bias"] is not None for r in exported) / n, 4),
        "with_factuality": round(sum(r["factuality"] is not None for r in exported) / n, 4),
        "with_both": round(sum(r["bias"] is not None and r["factuality"] is not None for r in exported) / n, 4),
        "with_owner": round(sum(r["owner"] is not None for r in exported) / n, 4),
    }


def ingest_month(month: str, tmp: Path, settings: Settings) -> dict[str, object]:
    """The demo corpus through the real ingest path; the month's rating coverage, stories, blindspots."""
    month_file, rows = month_rows(month, tmp)
    shared = shared_dir()
    with Store(tmp / "demo.db") as store:
        import_all(store)
        started = time.perf_counter()
        Pipeline(store, settings).ingest(
            [str(shared / "seeds"), str(shared / "data/corpora/nato-2025"), str(month_file)]
        )
        ingest_seconds = time.perf_counter() - started
        ids = {str(r["ID"]) for r in rows}
        exported = list(export_rows(store.reader, "articles"))
        in_month = [r for r in exported if r["external_id"] in ids]
        others = [
            {"outlet": r["outlet"], "title": str(r["title"])[:60], "bias": r["bias"], "factuality": r["factuality"]}
            for r in exported
            if r["external_id"] not in ids
        ]
        started = time.perf_counter()
        stories = list(export_rows(store.reader, "stories", settings))
        export_seconds = time.perf_counter() - started
        base, found = blindspots(all_coverage(store.conn), settings)
        headlines = dict(store.conn.execute("SELECT id, headline FROM stories").fetchall())
    return {
        "month": {**_coverage_share(in_month), "source": "export articles after Pipeline.ingest"},
        "other_demo_articles": others,
        "ingest_seconds": round(ingest_seconds, 1),
        "stories": len(stories),
        "stories_with_coverage": sum(1 for s in stories if s.get("coverage")),
        "story_export_seconds": round(export_seconds, 2),
        "base_rates": {"left": round(base.left, 3), "right": round(base.right, 3), "reports": base.reports},
        "blindspots": [{"story": b.story_id, "headline": headlines.get(b.story_id, ""), **b.to_dict()} for b in found],
    }


def store_month(month: str, tmp: Path, settings: Settings) -> dict[str, object]:
    """The month's articles stored directly (no models), grouped by the gold stories: the rating coverage of
    their export and the blindspots among the hand-labelled stories."""
    _, rows = month_rows(month, tmp)
    labels = (shared_dir() / "gold" / f"stories-{month}.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {g["id"]: g["story"] for g in map(json.loads, labels)}
    with Store(tmp / "fast.db") as store:
        import_all(store)
        with store.transaction():
            stories: dict[str, int] = {}
            for r in rows:
                outlet = outlet_for(r.get("url"), r.get("source"))
                article = ParsedArticle(
                    external_id=str(r["ID"]),
                    text=r["content_original"] or "-",
                    url=r["url"],
                    title=r["title"],
                    published=r["date"],
                    format="jsonl",
                )
                article_id = store.insert_article(
                    article,
                    key=str(r["ID"]),
                    outlet_id=store.outlet_id(outlet.domain, outlet.name),
                    text_hash=str(r["ID"]),
                    duplicate_of=None,
                    duplicate_kind=None,
                )
                store.set_story(article_id, stories.setdefault(gold[r["ID"]], store.create_story()))
            for story in stories.values():
                store.update_story_summary(story, headline=f"gold story {story}", bullets=[], why=[])
        exported = list(export_rows(store.reader, "articles"))
        coverages = all_coverage(store.conn)
        base, found = blindspots(coverages, settings)
        reasons = Counter(
            f"{d}: {item.assessment.reasons[d]}"
            for c in coverages.values()
            for item in c.articles
            for d in ("bias", "factuality")
            if d in item.assessment.reasons
        )
        titles = {b.story_id: store.reader.story_members(b.story_id)[0][1] for b in found}
    return {
        **_coverage_share(exported),
        "source": "export articles, articles stored without ingest",
        "unrated_because": dict(reasons),
        "gold_stories": len(stories),
        "gold_base_rates": {"left": round(base.left, 3), "right": round(base.right, 3), "reports": base.reports},
        "gold_blindspots": [{"first_title": titles[b.story_id], **b.to_dict()} for b in found],
    }


def corpus_rows() -> Iterable[dict[str, Any]]:
    with gzip.open(shared_dir() / "data/corpora/abp/articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def label_agreement(store: Store, month: str) -> dict[str, object]:
    """The registry's bias (as a side) against the corpus' per-article AllSides labels, and each rater alone."""
    assessor = Assessor(store.conn)
    pairs: dict[str, list[tuple[str, str]]] = {"combined": [], "month": [], "allsides": [], "baly": []}
    disagreements: Counter[tuple[str, str, str]] = Counter()
    total, month_total, started = 0, 0, time.perf_counter()
    for row in corpus_rows():
        label = LABELS.get(row.get("bias"))  # type: ignore[arg-type]
        outlet = outlet_for(row.get("url"), row.get("source"))
        found = assessor.assess(outlet.domain, outlet.name, row.get("url"))
        total += 1
        in_month = str(row.get("date") or "").startswith(month)
        month_total += in_month
        if label is None:
            continue
        if found.bias:
            pairs["combined"].append((str(side(found.bias)), label))
            if side(found.bias) != label:
                disagreements[(str(outlet.domain), str(side(found.bias)), label)] += 1
            if in_month:
                pairs["month"].append((str(side(found.bias)), label))
        for vote in found.votes_for("bias"):
            if vote.common and vote.rater in pairs:
                pairs[vote.rater].append((str(side(vote.common)), label))
    seconds = time.perf_counter() - started
    result: dict[str, object] = {
        "articles": total,
        "articles_per_second": round(total / seconds),
        "largest_disagreements (domain, registry, label)": [[*k, n] for k, n in disagreements.most_common(8)],
    }
    for name, found_pairs in pairs.items():
        n = month_total if name == "month" else total
        confusion = Counter(f"{a}->{b}" for a, b in found_pairs)
        result[name] = {
            **agreement(found_pairs),
            "rated_share": round(len(found_pairs) / n, 4),
            "confusion (registry->label)": dict(sorted(confusion.items())),
        }
    return result


def per_source(conn: Connection, source: str, dimension: str) -> dict[str, str]:
    """Each domain's value on ``dimension`` from one imported file alone (the outlet as a whole)."""
    by_domain: dict[str, list[db.EntryRow]] = {}
    domains = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT domain FROM rating_entries WHERE source_id = ? AND domain IS NOT NULL", (source,)
        )
    ]
    for entry in db.entries(conn, domains=domains):
        if entry.source_id == source and entry.domain:
            by_domain.setdefault(entry.domain, []).append(entry)
    values = {}
    for domain, entries in by_domain.items():
        value = assess_entries(domain, domain, entries, Scope(domain, domain, ())).values.get(dimension)
        if value:
            values[domain] = value
    return values


def _pairs(a: dict[str, str], b: dict[str, str], collapse: dict[str, str] | None = None) -> list[tuple[str, str]]:
    shared = sorted(set(a) & set(b))
    if collapse is None:
        return [(a[d], b[d]) for d in shared]
    return [(collapse.get(a[d], a[d]), collapse.get(b[d], b[d])) for d in shared]


def rater_agreement(store: Store) -> dict[str, object]:
    """Raters compared on the outlets they share (each outlet as a whole)."""
    c = store.conn
    src = {s.id.split("/")[-1] if "corpus" not in s.id else s.id.split("/")[0]: s.id for s in db.sources(c)}
    get = {k: {d: per_source(c, v, d) for d in ("bias", "factuality")} for k, v in src.items()}
    allsides = {**get["allsides-recent.csv"]["bias"], **get["allsides-2019-10.csv"]["bias"]}
    baly = {**get["baly-emnlp18"]["bias"], **get["baly-acl2020"]["bias"]}
    baly_fact = {**get["baly-emnlp18"]["factuality"], **get["baly-acl2020"]["factuality"]}
    mbfc = get["mbfc-2025-12.json"]["factuality"]
    sides = {v: str(side(v)) for v in ("left", "lean left", "center", "lean right", "right")}
    return {
        "allsides_vs_baly_bias": agreement(_pairs(allsides, baly), "bias"),
        "allsides_vs_baly_bias_sides": agreement(_pairs(allsides, baly, sides)),
        "mbfc_vs_baly_factuality_3_levels": agreement(_pairs(mbfc, baly_fact, FACT3)),
        "mbfc_vs_baly_factuality": agreement(_pairs(mbfc, baly_fact), "factuality"),
        "mbfc_vs_allsides": {
            "outlets": len(set(mbfc) & set(allsides)),
            "note": "no shared dimension: MBFC's file has no bias, AllSides' no factuality",
        },
        "allsides_2019_vs_recent_bias": agreement(
            _pairs(get["allsides-2019-10.csv"]["bias"], get["allsides-recent.csv"]["bias"]), "bias"
        ),
        "baly_2018_vs_2020_bias_sides": agreement(
            _pairs(get["baly-emnlp18"]["bias"], get["baly-acl2020"]["bias"], sides)
        ),
        "baly_2018_steps_in_2020": dict(
            sorted(
                Counter(
                    f"{a}->{b}" for a, b in _pairs(get["baly-emnlp18"]["bias"], get["baly-acl2020"]["bias"])
                ).items()
            )
        ),
        "baly_2018_vs_2020_factuality": agreement(
            _pairs(get["baly-emnlp18"]["factuality"], get["baly-acl2020"]["factuality"])
        ),
    }


def name_matching(tmp: Path) -> dict[str, object]:
    """AllSides' newer file resolved by name alone (its URLs hidden), against the domains its URLs give."""
    with Store(tmp / "names.db") as store:
        import_all(store, skip="allsides-recent")
        index = build_index(store.conn)
        path = shared_dir() / "data/ratings/allsides-recent.csv"
        from crosscheck.sources.importers import parse_file

        entries = [e for e in parse_file(path, fmt=None, max_bytes=10**8).entries if e.locator and e.name]
        truth = {e.name: outlet_for(e.locator, None).domain for e in entries}
        found = {e.name: index.resolve(e.name, "allsides") for e in entries}
    resolved = {n: f[0] for n, f in found.items() if f}
    wrong = sorted(f"{n}: {resolved[n]} (URL says {truth[n]})" for n in resolved if resolved[n] != truth[n])
    return {
        "names": len(truth),
        "resolved": len(resolved),
        "correct": len(resolved) - len(wrong),
        "precision": round((len(resolved) - len(wrong)) / len(resolved), 3) if resolved else None,
        "recall": round((len(resolved) - len(wrong)) / len(truth), 3),
        "wrong": wrong,
        "unresolved": sorted(n for n in truth if n not in resolved),
    }


def scale(tmp: Path) -> dict[str, object]:
    """Every article of the abp corpus stored directly, five to a story: base rates and all coverage, timed."""
    with Store(tmp / "scale.db") as store:
        import_all(store)
        with store.transaction():
            story = 0
            for n, row in enumerate(corpus_rows()):
                outlet = outlet_for(row.get("url"), row.get("source"))
                article = ParsedArticle(
                    external_id=str(row["ID"]),
                    text="-",
                    title=row.get("title") or "-",
                    url=row.get("url"),
                    format="jsonl",
                )
                article_id = store.insert_article(
                    article,
                    key=f"{n}",
                    text_hash=f"{n}",
                    duplicate_of=None,
                    outlet_id=store.outlet_id(outlet.domain, outlet.name),
                    duplicate_kind=None,
                )
                story = story if n % 5 else store.create_story()
                store.set_story(article_id, story)
        timings: dict[str, object] = {"articles": n + 1}
        for name, measure in (("base_rates_seconds", corpus_base_rates), ("all_coverage_seconds", all_coverage)):
            started = time.perf_counter()
            measure(store.conn, Assessor(store.conn))
            timings[name] = round(time.perf_counter() - started, 2)
    return timings


def run(month: str, fast: bool, settings: Settings) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with Store(tmp / "registry.db") as store:
            results: dict[str, object] = {"imports": import_all(store)}
            results["registry"] = [
                {"source": f.id, "entries": f.entries, "with_domain": f.resolved} for f in db.sources(store.conn)
            ]
            results["label_agreement"] = label_agreement(store, month)
            results["rater_agreement"] = rater_agreement(store)
        results["name_matching"] = name_matching(tmp)
        results["month_stored"] = store_month(month, tmp, settings)
        results["scale"] = scale(tmp)
        if not fast:
            results["month_ingested"] = ingest_month(month, tmp, settings)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2018-09")
    parser.add_argument("--fast", action="store_true", help="no ingest: store the month's articles directly")
    args = parser.parse_args()
    results = run(args.month, args.fast, Settings.from_env())
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"ratings-{args.month}{'-fast' if args.fast else ''}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()

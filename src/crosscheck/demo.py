"""The demo corpus: the shared research data when it is beside the project, else the bundled examples."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

EXAMPLES = Path(__file__).parent / "examples" / "articles"
DEMO_MONTH = "2018-09"


def shared_dir() -> Path | None:
    """``CROSSCHECK_SHARED``, else ``../shared`` beside the working directory or the checkout, if present."""
    configured = os.environ.get("CROSSCHECK_SHARED")
    if configured:  # an explicit choice, even of a folder without the data, is never second-guessed
        candidates = [Path(configured)]
    else:
        candidates = [Path.cwd().parent / "shared", Path(__file__).resolve().parents[3] / "shared"]
    for candidate in candidates:
        if (candidate / "seeds").is_dir():
            return candidate
    return None


def month_of_corpus(corpus: Path, month: str, out: Path) -> Path:
    """Write the articles of one month (``YYYY-MM``) of a JSONL.gz corpus to ``out`` (kept between runs)."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".part")
    with gzip.open(corpus, "rt", encoding="utf-8") as src, partial.open("w", encoding="utf-8") as dst:
        for line in src:
            if f'"date": "{month}' in line and json.loads(line).get("date", "").startswith(month):
                dst.write(line)
    partial.replace(out)
    return out


def demo_inputs(work_dir: Path) -> tuple[list[str], str]:
    """The inputs of the demo and a sentence saying what they are."""
    shared = shared_dir()
    if shared is None:
        return [str(EXAMPLES)], f"the bundled example articles ({EXAMPLES})"
    inputs = [str(shared / "seeds"), str(shared / "data" / "corpora" / "nato-2025")]
    corpus = shared / "data" / "corpora" / "abp" / "articles.jsonl.gz"
    if corpus.exists():
        inputs.append(str(month_of_corpus(corpus, DEMO_MONTH, work_dir / f"abp-{DEMO_MONTH}.jsonl")))
    return inputs, f"the seeds, the NATO 2025 articles and {DEMO_MONTH} of the abp corpus from {shared}"


def import_demo_ratings(db: Path | str) -> str | None:
    """Import the shared research data's rater files into ``db`` when the data is present (again: in place).

    Returns a sentence saying what was imported, or None without shared data.
    """
    shared = shared_dir()
    if shared is None:
        return None
    from crosscheck.sources.registry import import_shared
    from crosscheck.storage import Store

    with Store(db) as store:
        reports = import_shared(store, shared)
    return f"Imported {len(reports)} rater files ({sum(r.entries for r in reports):,} outlet entries) from {shared}"


def import_demo_reference(db: Path | str) -> str | None:
    """Import the shared research data's tables of official figures (``data/reference/*.csv``) into ``db``, so
    that the figures the coverage states are checked against them; again: nothing new.

    Returns a sentence saying what was imported, or None without such tables.
    """
    shared = shared_dir()
    tables = sorted((shared / "data" / "reference").glob("*.csv")) if shared is not None else []
    if not tables:
        return None
    from crosscheck.claims.reference import read_reference_csv, store_reference
    from crosscheck.storage import Store

    figures = [figure for table in tables for figure in read_reference_csv(table)]
    with Store(db) as store, store.transaction():
        done = store_reference(store.conn, figures)
    where = tables[0].parent
    return f"Imported {done.figures} reference figures ({done.subjects} countries; {done.added} new) from {where}"


SHOWCASE_STORIES = ("kavanaugh-ford-senate-hearing",)  # the month's largest saga story (27 reports in the gold)


def stories_of_corpus(corpus: Path, gold: Path, stories: tuple[str, ...], out: Path) -> Path:
    """Write the articles of the gold ``stories`` (by id, from the labels file ``gold``) of a JSONL.gz corpus to
    ``out`` (kept between runs): a small slice of a month that still holds its large stories."""
    if out.exists():
        return out
    wanted = set()
    with gold.open(encoding="utf-8") as labels:
        for line in labels:
            label = json.loads(line)
            if label.get("story") in stories:
                wanted.add(label["id"])
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".part")
    with gzip.open(corpus, "rt", encoding="utf-8") as src, partial.open("w", encoding="utf-8") as dst:
        for line in src:
            if any(f'"{key}"' in line for key in wanted) and json.loads(line).get("ID") in wanted:
                dst.write(line)
    partial.replace(out)
    return out


def showcase_inputs(shared: Path, work_dir: Path) -> list[str]:
    """A small corpus that holds the pages a reader meets first: the seeds, the NATO 2025 story and the largest
    saga story of the abp month :data:`DEMO_MONTH` (its gold-labelled articles only)."""
    corpus = shared / "data" / "corpora" / "abp" / "articles.jsonl.gz"
    gold = shared / "gold" / f"stories-{DEMO_MONTH}.jsonl"
    saga = stories_of_corpus(corpus, gold, SHOWCASE_STORIES, work_dir / f"abp-{DEMO_MONTH}-saga.jsonl")
    return [str(shared / "seeds"), str(shared / "data" / "corpora" / "nato-2025"), str(saga)]

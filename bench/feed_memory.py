"""Peak memory of reading one large feed: a generated RSS feed of ``--items`` entries (10,000 by default), each
with a title, a link, a date and an HTML description, just under ``max_document_bytes`` in all.

Each measurement runs in a fresh process and reports its peak resident set size (``ru_maxrss``), so nothing of one
run is counted in another: ``read`` reads the feed through ``read_inputs`` (parse, clean, limits) and counts the
articles; ``headline`` reads it and chooses the headline of one story holding every item (as a feed of
near-identical items makes: the step that held a dense titles × vocabulary matrix); ``pipeline`` ingests it with
stand-ins for the models (names by rule, one embedding for every article, no figures), so that the whole feed
makes one story, as near-identical items do, and the figure is the pipeline's own memory; ``ingest`` runs
``crosscheck ingest`` on it with the real models (slow: on two cores, about five minutes per 1,000 items; its
figure is the largest single process). Results go to bench/results/feed-memory.json.

    .venv/bin/python bench/feed_memory.py [--items 10000] [--stages read,headline,pipeline]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]

_READ = """
import resource, sys
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings
count = sum(isinstance(item, ParsedArticle) for item in read_inputs([sys.argv[1]], Settings()))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
_HEADLINE = """
import resource, sys
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings
from crosscheck.summaries.headline import TitleCandidate, choose_headline
items = [i for i in read_inputs([sys.argv[1]], Settings()) if isinstance(i, ParsedArticle)]
choose_headline([TitleCandidate(i.title, False, i.text[:400]) for i in items])
print(len(items), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
_PIPELINE = """
import dataclasses, resource, sys
import numpy as np
from crosscheck import Store
from crosscheck.entities import make_recognizer
from crosscheck.pipeline import Pipeline
from crosscheck.settings import Settings

class Alike:  # every article the same embedding: the whole feed becomes one story
    dim = 384
    def embed(self, texts):
        return np.full((len(texts), 384), 384 ** -0.5, dtype=np.float32)

settings = dataclasses.replace(Settings(), entity_recognizer="names", figure_chars=0, model_workers=0)
with Store(sys.argv[2]) as store:
    pipeline = Pipeline(store, settings, embedder=Alike(), recognizer=make_recognizer("names", 6000))
    report = pipeline.ingest([sys.argv[1]])
print(report.added, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
_INGEST = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-m", "crosscheck", "--db", sys.argv[2], "ingest", sys.argv[1]], check=False,
               stdout=subprocess.DEVNULL)
print(0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def write_feed(path: Path, items: int) -> int:
    """An RSS feed of ``items`` distinct entries; returns its size in bytes.

    The words are drawn from 27,000 made-up ones (three syllables each), so that the feed has the vocabulary of a
    real news wire rather than a dozen words repeated.
    """
    syllables = [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en", "is", "on", "ul")]
    vocabulary = [x + y + z for x in syllables[:30] for y in syllables[30:60] for z in syllables[60:90]]
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Wire</title>'
                  "<link>https://wire.example/</link><description>Every report</description>\n")  # fmt: skip
        for n in range(items):
            title = " ".join(rng.choices(vocabulary, k=8))
            text = " ".join(rng.choices(vocabulary, k=110))
            out.write(
                f"<item><title>{title}</title>"
                f"<link>https://wire.example/news/{n}</link><guid>https://wire.example/news/{n}</guid>"
                f"<pubDate>Tue, 0{1 + n % 9} Jul 2025 10:{n % 60:02d}:00 GMT</pubDate>"
                f"<description><![CDATA[<p>{text}.</p><p><b>More</b> on report {n}.</p>]]></description></item>\n"
            )
        out.write("</channel></rss>\n")
    return path.stat().st_size


def measure(script: str, *args: str) -> tuple[int, float, float]:
    """Run ``script`` in a new interpreter: (its count, peak RSS in MB, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True)
    count, peak_kb = done.stdout.split()[-2:]
    return int(count), int(peak_kb) / 1024, time.perf_counter() - start


def main() -> int:
    """Generate the feed, measure each stage, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--stages", default="read,headline,pipeline")
    args = parser.parse_args()
    results: dict[str, object] = {"items": args.items}
    with tempfile.TemporaryDirectory(prefix="crosscheck-feed-memory-") as folder:
        feed = Path(folder) / "wire.rss"
        results["feed_bytes"] = write_feed(feed, args.items)
        for stage in args.stages.split(","):
            script = {"read": _READ, "headline": _HEADLINE, "pipeline": _PIPELINE, "ingest": _INGEST}[stage]
            Path(folder, "feed.db").unlink(missing_ok=True)
            count, peak_mb, seconds = measure(script, str(feed), str(Path(folder) / "feed.db"))
            results[stage] = {"articles": count, "peak_rss_mb": round(peak_mb), "seconds": round(seconds, 1)}
            print(stage, results[stage], flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "feed-memory.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What each model stage of an ingest costs per article, in CPU time, on a sample of the abp corpus.

Runs each stage in this process over the same sample (every 100th article of the corpus file, 256 by default):
entity recognition at several values of ``entity_chars``, names by rule (the ``names`` recognizer), figure
extraction, the MiniLM embedding of title and lead, the MinHash signature, and the sentence splitting that summaries
use. Each stage runs once to warm up and then ``--repeats`` times; the median of the repeats is reported, as
milliseconds of CPU time per article (all threads of the process) and of wall time. The stages run one after
another, so a machine busy with other work slows them all. It also counts the arithmetic of the embedding: tokens
per lead and floating-point operations per article.

    .venv/bin/python bench/stages.py [--articles 256] [--repeats 3] [--entity-chars 1000,2000,3000,6000]

Results go to ``bench/results/stages.json``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from _shared import save_results, shared_dir
from crosscheck import Settings
from crosscheck.claims import ClaimExtractor
from crosscheck.clustering.embed import MiniLMEmbedder
from crosscheck.dedup.near import signature
from crosscheck.entities import NameRecognizer, SpacyRecognizer
from crosscheck.summaries import sentences


def sample(corpus: Path, size: int, every: int = 100) -> list[tuple[str, str]]:
    """(title, text) of every ``every``-th article of the corpus file, ``size`` of them."""
    found: list[tuple[str, str]] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n % every == 0:
                row = json.loads(line)
                found.append((row.get("title") or "", row.get("content_original") or ""))
                if len(found) == size:
                    break
    return found


def measure(stage: Callable[[], object], articles: int, repeats: int) -> dict[str, float]:
    """Median CPU and wall milliseconds per article over ``repeats`` runs, after one run to warm up."""
    stage()
    cpu, wall = [], []
    for _ in range(repeats):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        stage()
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return {
        "cpu_ms_per_article": round(1000 * statistics.median(cpu) / articles, 1),
        "wall_ms_per_article": round(1000 * statistics.median(wall) / articles, 1),
    }


def leads_of(articles: list[tuple[str, str]], settings: Settings) -> list[str]:
    """What is embedded of each article: its title and lead (as ``crosscheck.prepare.embedding_text``)."""
    return [f"{title}\n{text[: settings.embedding_chars]}" for title, text in articles]


def stages(
    articles: list[tuple[str, str]], entity_chars: list[int], settings: Settings, embedder: MiniLMEmbedder
) -> dict[str, Callable[[], object]]:
    """Each stage as a function over the whole sample."""
    texts = [text for _, text in articles]
    leads = leads_of(articles, settings)
    found: dict[str, Callable[[], object]] = {}
    for chars in entity_chars:
        found[f"entities, entity_chars {chars}"] = functools.partial(SpacyRecognizer(max_chars=chars).recognize, texts)
    found[f"names by rule, entity_chars {settings.entity_chars}"] = functools.partial(
        NameRecognizer(max_chars=settings.entity_chars).recognize, texts
    )
    figures = ClaimExtractor()
    found["figures and quotes"] = lambda: figures.extract_many([(t[: settings.figure_chars], None) for t in texts])
    found["embedding (title and lead)"] = lambda: embedder.embed(leads)
    found["MinHash signature"] = lambda: [
        signature(t, num_perm=settings.minhash_permutations, shingle_words=settings.shingle_words) for t in texts
    ]
    found["sentences for summaries"] = lambda: _split_afresh(texts)
    return found


def embedding_work(embedder: MiniLMEmbedder, leads: list[str]) -> dict[str, float]:
    """How many tokens of each lead the model reads (up to its limit), and the arithmetic that makes.

    Floating-point operations per article, from the model's configuration: two per weight of the attention and
    feed-forward layers per token, and the attention's two products of tokens × tokens × width per layer (the
    token embeddings are looked up, not multiplied).
    """
    model = embedder.model
    config = model[0].auto_model.config
    limit = embedder.max_tokens
    encoded = model.tokenizer(leads, add_special_tokens=True, truncation=True, max_length=limit)
    tokens = [len(ids) for ids in encoded["input_ids"]]
    width, inner, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_layer = [2 * n * (4 * width * width + 2 * width * inner) + 4 * n * n * width for n in tokens]
    return {
        "median_tokens": statistics.median(tokens),
        "share_at_token_limit": round(sum(n == limit for n in tokens) / len(tokens), 3),
        "gflop_per_article": round(layers * statistics.fmean(per_layer) / 1e9, 3),
    }


def _split_afresh(texts: list[str]) -> list[list[str]]:
    # Not from the cache: each text split as for the reports of a story that a new process summarises.
    sentences._split.cache_clear()
    return [sentences.split_sentences(t) for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--entity-chars", default="1000,2000,3000,6000", help="comma-separated values")
    args = parser.parse_args()
    settings = Settings.from_env()
    articles = sample(shared_dir() / "data/corpora/abp/articles.jsonl.gz", args.articles)
    chars = [len(text) for _, text in articles]
    results: dict[str, object] = {
        "articles": len(articles),
        "median_article_chars": statistics.median(chars),
        "repeats": args.repeats,
    }
    embedder = MiniLMEmbedder()
    entity_chars = [int(v) for v in args.entity_chars.split(",")]
    for name, stage in stages(articles, entity_chars, settings, embedder).items():
        results[name] = measure(stage, len(articles), args.repeats)
        print(name, results[name], flush=True)
    results["embedding work"] = embedding_work(embedder, leads_of(articles, settings))
    print("embedding work", results["embedding work"], flush=True)
    save_results("stages", results)


if __name__ == "__main__":
    main()

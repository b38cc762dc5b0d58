"""Headlines as evidence of a development, held out a month at a time.

An editor names a development in its headline ("Second woman accuses Kavanaugh", "FBI reopens Kavanaugh
background check"): reports of one saga share its topic words in the text, but a development's headlines share
the words of what happened. The matcher reads the title only inside the MiniLM embedding of title and lead. This
adds, for every pair of a month's reports:

- **title terms**: the TF-IDF cosine of the two titles (words and word pairs, English stop words out, weights
  learned from the month's titles: a word every headline of a saga carries weighs little);
- **title rare words**: log(1 + how many title words the two share that at most 1% of the month's titles hold).

Each labelled month is held out in turn, as in ``bench/clustering_developments.py`` (whose variants, months and
scoring this reuses): a logistic regression over the matcher's ten signals with and without the new ones, its cut
chosen inside the four training months, the held-out month clustered at once by average linkage. Two columns of
noise in place of the new signals say how much a mean moves by chance.

    .venv/bin/python bench/clustering_titles.py [--search]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from _shared import save_results
from clustering_developments import month_texts, run_variants, table
from clustering_lomo import CACHE, MONTHS, cache_key, load_gold
from crosscheck import Settings
from train_matcher import MonthPairs, month_pairs, quick_scores

PIECES = {"title terms": ("title_cosine",), "title rare words": ("title_rare",)}
_WORD = re.compile(r"[a-z][a-z'-]+")
RARE = 0.01  # a title word at most this share of the month's titles hold


def title_signals(titles: Sequence[str]) -> dict[str, np.ndarray]:
    """The title signals of every pair (upper triangle, in the order given)."""
    upper = np.triu_indices(len(titles), k=1)
    tfidf = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    matrix = tfidf.fit_transform([t or "-" for t in titles])
    cosine = np.asarray((matrix @ matrix.T).todense())
    words = [set(_WORD.findall((t or "").lower())) - set(tfidf.get_stop_words() or ()) for t in titles]
    share = {w: n / len(titles) for w, n in _counts(words).items()}
    rare = [sorted(w for w in ws if share[w] <= RARE) for ws in words]
    vocab = {w: k for k, w in enumerate(sorted({w for ws in rare for w in ws}))}
    held = np.zeros((len(titles), max(1, len(vocab))))
    for row, ws in enumerate(rare):
        held[row, [vocab[w] for w in ws]] = 1.0
    shared = held @ held.T
    return {"title_cosine": cosine[upper], "title_rare": np.log1p(shared)[upper]}


def _counts(words: Sequence[set[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ws in words:
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    return counts


def load_month(month: str, settings: Settings) -> tuple[MonthPairs, dict[str, np.ndarray], float]:
    """A month's stored pair signals, its title signals, and the seconds reading them took."""
    db = CACHE / f"{month}-{cache_key(settings)}.db"
    pairs = month_pairs(db, load_gold(month))
    texts = month_texts(db)
    started = time.perf_counter()
    extra = title_signals([texts[i][0] for i in pairs.ids])
    seconds = time.perf_counter() - started
    rng = np.random.default_rng(len(pairs.ids))
    extra |= {"noise_a": rng.standard_normal(len(pairs.same)), "noise_b": rng.standard_normal(len(pairs.same))}
    return pairs, extra, seconds


def plan(with_search: bool) -> list[tuple[str, str, tuple[str, ...], str]]:
    """Baseline, each piece, both, the noise control; with ``with_search`` the searched link too."""
    both = tuple(s for signals in PIECES.values() for s in signals)
    steps = [("baseline", "logistic", (), "every pair"), ("+both", "logistic", both, "every pair")]
    steps += [(f"+{piece}", "logistic", signals, "every pair") for piece, signals in PIECES.items()]
    steps.append(("control: two columns of noise", "logistic", ("noise_a", "noise_b"), "every pair"))
    if with_search:
        steps += [("baseline (search)", "search", (), "every pair"), ("+both (search)", "search", both, "every pair")]
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="also the searched link, with and without both")
    args = parser.parse_args()
    settings = Settings.from_env()
    months: dict[str, MonthPairs] = {}
    extra: dict[str, dict[str, np.ndarray]] = {}
    gates: dict[str, np.ndarray] = {}
    results: dict[str, object] = {"cost": {}, "floor": {}, "variants": {}}
    for month in MONTHS:
        months[month], extra[month], seconds = load_month(month, settings)
        gates[month] = np.ones(len(months[month].same))  # no band: every pair
        gold = months[month].gold
        results["cost"][month] = {"articles": len(gold), "title_seconds": round(seconds, 3)}  # type: ignore[index]
        results["floor"][month] = round(quick_scores({i: i for i in gold}, gold)[0], 4)  # type: ignore[index]
        print(month, json.dumps(results["cost"][month]), flush=True)  # type: ignore[index]
    for step in plan(args.search):
        results["variants"] |= run_variants(months, extra, [step], gates)  # type: ignore[operator]
        save_results("clustering-titles", results)
    print(table(results))


if __name__ == "__main__":
    main()

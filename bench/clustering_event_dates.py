"""What the dates an article refers to add to the learned link, held out a month at a time (measured, not shipped).

"Yesterday", "on Thursday", "Sept. 27" in the title and lead are resolved against the publication date; two
reports whose referred dates are near each other more likely tell one development. The signals of a pair:
log(1 + the least distance in days between a date one refers to and a date the other refers to) and whether
both refer to one. Each labelled month is held out in turn: the searched link of ``bench/train_matcher.py`` is
trained on the other four with and without these two signals, and the held-out month is clustered at once by
average linkage as the split does (the stored features of ``bench/clustering_lomo.py``'s cache; on a month the
split pools every story, so this is what ``recluster`` gives, within a report or two). Dates are not stored by
an ingest, so the pipeline cannot use them yet: this measures whether storing them would pay.

    .venv/bin/python bench/clustering_event_dates.py
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from _shared import save_results
from clustering_lomo import CACHE, MONTHS, cache_key, load_gold
from crosscheck import Settings, Store
from crosscheck.clustering.matcher import FEATURES
from train_matcher import STEPS, MonthPairs, cluster_month, month_link, month_pairs, quick_scores, search

LEAD_CHARS = 1500
VARIANTS = ("without", "with")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
WEEKDAY = re.compile(r"\b(last|next|this)?\s*(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?",
    re.IGNORECASE,
)
WORDS = re.compile(r"\b(yesterday|today|tonight|tomorrow)\b", re.IGNORECASE)


def referred_dates(text: str, published: date) -> set[int]:
    """Day numbers of the dates a text refers to, resolved against its publication date."""
    found: set[int] = set()
    for word in WORDS.findall(text):
        found.add((published + timedelta(days=RELATIVE[word.lower()])).toordinal())
    for which, weekday in WEEKDAY.findall(text):
        back = (published.weekday() - WEEKDAYS.index(weekday.lower())) % 7  # the latest such day up to today
        if which.lower() == "next":
            back = -((WEEKDAYS.index(weekday.lower()) - published.weekday()) % 7 or 7)
        elif which.lower() == "last":
            back = back or 7
        found.add((published - timedelta(days=back)).toordinal())
    for month, day, year in MONTH_DAY.findall(text):
        try:
            when = date(int(year) if year else published.year, MONTH_NAMES[month.lower()[:4].rstrip("t")], int(day))
        except (ValueError, KeyError):
            continue
        if not year and when > published + timedelta(days=180):
            when = when.replace(year=when.year - 1)
        found.add(when.toordinal())
    return found


def date_signals(db: Path, month: MonthPairs) -> np.ndarray:
    """The two date signals of every pair of the month (rows as ``month.signals``)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            rows = store.conn.execute("SELECT external_id, title, text, published FROM articles").fetchall()
    by_id = {str(e): (t or "", x or "", p) for e, t, x, p in rows}
    dates = []
    for article in month.ids:
        title, text, published = by_id[article]
        day = date.fromisoformat(published[:10]) if published else None
        dates.append(np.array(sorted(referred_dates(f"{title}. {text[:LEAD_CHARS]}", day)) if day else []))
    upper = np.triu_indices(len(dates), k=1)
    gap = np.zeros(len(upper[0]))
    both = np.zeros(len(upper[0]))
    for k, (a, b) in enumerate(zip(*upper, strict=True)):
        if len(dates[a]) and len(dates[b]):
            both[k] = 1.0
            gap[k] = np.log1p(np.abs(dates[a][:, None] - dates[b][None, :]).min())
    return np.stack([gap, both], axis=1)


def with_dates(month: MonthPairs, extra: np.ndarray) -> MonthPairs:
    return replace(month, signals=np.concatenate([month.signals, extra], axis=1))


DATE_STEPS = (-0.04, -0.02, -0.01, 0.01, 0.02, 0.04)  # finer than the default: the gap is on a log-day scale


def main() -> None:
    STEPS.update({"event_date_gap": DATE_STEPS, "event_dates_both": DATE_STEPS})
    settings = Settings.from_env()
    started = time.perf_counter()
    months = {m: month_pairs(CACHE / f"{m}-{cache_key(settings)}.db", load_gold(m)) for m in MONTHS}
    extra = {m: date_signals(CACHE / f"{m}-{cache_key(settings)}.db", p) for m, p in months.items()}
    share = {m: round(float(e[:, 1].mean()), 3) for m, e in extra.items()}
    print("share of pairs with a referred date on both sides", share, round(time.perf_counter() - started, 1), "s")
    results: dict[str, object] = {"pairs_with_dates_on_both_sides": share, "months": {}}
    for variant in VARIANTS:
        features = FEATURES + (("event_date_gap", "event_dates_both") if variant == "with" else ())
        for held in MONTHS:
            pool = {m: (with_dates(p, extra[m]) if variant == "with" else p) for m, p in months.items()}
            model, _ = search([p for m, p in pool.items() if m != held], features)
            scores = quick_scores(cluster_month(pool[held], month_link(model, pool[held]), model.cut), pool[held].gold)
            results["months"].setdefault(held, {})[variant] = {  # type: ignore[union-attr]
                "bcubed_f1": round(scores[0], 4),
                "pairwise_f1": round(scores[1], 4),
                "coef": dict(zip(features, model.coef, strict=True)),
                "cut": model.cut,
            }
            print(variant, held, round(scores[0], 3), round(scores[1], 3), flush=True)
    for variant in VARIANTS:
        rows = [r[variant] for r in results["months"].values()]  # type: ignore[attr-defined]
        print(variant, "mean", round(statistics.mean(r["bcubed_f1"] for r in rows), 4),
              round(statistics.mean(r["pairwise_f1"] for r in rows), 4))  # fmt: skip
    save_results("clustering-event-dates", results)
    print(json.dumps(share))


if __name__ == "__main__":
    main()

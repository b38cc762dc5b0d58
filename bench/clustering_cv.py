"""Week-wise cross-validation of story clustering, on features already stored by an ingest of the labelled month.

The models are not run again: the month's embeddings and term weights are read from a database (make one with
``bench/clustering.py --keep-db PATH``), replayed through the clusterer as ``crosscheck recluster`` does, and the
development split is applied with each candidate pair of constants. Each week of the month is held out in turn:
the constants are chosen on the other weeks' articles (the mean of BCubed F1 and pairwise F1) and scored on the
held-out week's; the clustering itself always runs over the whole month, as it would in use, and a week's
articles are scored against whole stories (a story reaching into other weeks counts whole). A second replay
ingests the month one day at a time (a feed reader's pattern: the split runs after every day) with the default
settings, to check that the split does not depend on how articles are batched.

``--focus WORD`` shows where the errors are: the defaults' scores over the articles of the gold stories in which
some title contains WORD (a saga) and over the rest, each against whole stories, and the whole month's scores if
those articles alone were grouped as the labels say.

    .venv/bin/python bench/clustering_cv.py --db month.db [--month 2018-09] [--tune-story-threshold] [--focus WORD]
"""

from __future__ import annotations

import argparse
import calendar
import itertools
import json
import shutil
import tempfile
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from _shared import save_results, shared_dir
from crosscheck import Settings, Store
from crosscheck.clustering import ArticleFeatures, Clusterer, StoryIndex
from crosscheck.clustering.evaluation import ClusterScores, score_clustering
from crosscheck.clustering.index import day_number, span_gap
from crosscheck.clustering.segment import developments, split_stories
from crosscheck.clustering.split import MAX_SPLIT_REPORTS

DAY_PENALTIES = (0.0, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08)
DEVELOPMENT_THRESHOLDS = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35)  # 0: no split (the clustering before the step)
STORY_THRESHOLDS = (0.4, 0.45, 0.5)


@dataclass
class Month:
    """The stored features of the labelled month, in publication order, and its gold labels."""

    features: list[ArticleFeatures]
    external: dict[int, str]  # article id → id in the gold labels
    copies: dict[int, int]  # duplicate → its original
    gold: dict[str, str]
    titles: dict[str, str]  # id in the gold labels → title


def load_month(db: Path, month: str) -> Month:
    """Read features from a copy of ``db`` (opening a store may migrate it)."""
    gold_path = shared_dir() / "gold" / f"stories-{month}.jsonl"
    gold = {r["id"]: r["story"] for r in map(json.loads, gold_path.read_text().splitlines())}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            replay = list(store.clustering_replay())
            rows = store.conn.execute("SELECT id, external_id, duplicate_of, title FROM articles").fetchall()
    features = [ArticleFeatures(a, day, emb, terms) for a, _, day, emb, terms in replay if emb is not None]
    external = {int(r[0]): str(r[1]) for r in rows}
    copies = {int(r[0]): int(r[2]) for r in rows if r[2] is not None}
    titles = {str(r[1]): str(r[3] or "") for r in rows}
    return Month(features, external, copies, gold, titles)


def _clusterer(settings: Settings) -> Clusterer:
    ids = itertools.count(1)
    return Clusterer(settings, StoryIndex(), lambda: next(ids))


def _settle(
    clusterer: Clusterer, labels: dict[int, int], created: list[int], by_id: dict[int, ArticleFeatures]
) -> None:
    """Reconsider stories started with one report, as the pipeline does at the end of an ingest."""
    for story_id in created:
        members = [a for a, s in labels.items() if s == story_id]
        if len(members) == 1:
            target = clusterer.reconsider(story_id, by_id[members[0]])
            if target is not None:
                labels[members[0]] = target.id


def placed(month: Month, settings: Settings) -> tuple[Clusterer, dict[int, int]]:
    """The clusterer and article → story after placing the whole month and settling, before any split."""
    clusterer = _clusterer(settings)
    labels: dict[int, int] = {}
    created: list[int] = []
    for article in month.features:
        assignment = clusterer.assign(article)
        labels[article.article_id] = assignment.story_id
        if assignment.created:
            created.append(assignment.story_id)
    _settle(clusterer, labels, created, {a.article_id: a for a in month.features})
    return clusterer, labels


def place(month: Month, settings: Settings) -> dict[int, int]:
    """Article → story after one ingest of the whole month (before any split), as ``crosscheck recluster``."""
    return placed(month, settings)[1]


def placed_and_split(month: Month, settings: Settings) -> dict[int, int]:
    """Article → story after one ingest of the whole month: placement, then each story split with the
    stories dated near it, as the pipeline does when the ingest settles (``clustering/split.py``)."""
    clusterer, labels = placed(month, settings)
    _split_touched(month, clusterer, labels, set(labels.values()))
    return labels


def split(month: Month, labels: dict[int, int], settings: Settings) -> dict[int, tuple[int, int]]:
    """Article → (story, development) after the split of every story."""
    stories: dict[int, list[ArticleFeatures]] = {}
    for article in month.features:
        stories.setdefault(labels[article.article_id], []).append(article)
    result: dict[int, tuple[int, int]] = {}
    for story_id, members in stories.items():
        for part, group in enumerate(developments(members, settings)):
            for position in group:
                result[members[position].article_id] = (story_id, part)
    return result


def daily(month: Month, settings: Settings) -> dict[int, int]:
    """Article → story when the month arrives one day per ingest, each ingest settled and split as the
    pipeline does (``clustering/split.py``): each touched story with the stories dated near it."""
    clusterer = _clusterer(settings)
    by_id = {a.article_id: a for a in month.features}
    labels: dict[int, int] = {}
    days: dict[str, list[ArticleFeatures]] = {}
    for article in month.features:
        days.setdefault((article.day or "")[:10], []).append(article)
    for batch in days.values():
        created: list[int] = []
        for article in batch:
            assignment = clusterer.assign(article)
            labels[article.article_id] = assignment.story_id
            if assignment.created:
                created.append(assignment.story_id)
        _settle(clusterer, labels, created, by_id)
        _split_touched(month, clusterer, labels, {labels[a.article_id] for a in batch})
    return labels


def _split_touched(month: Month, clusterer: Clusterer, labels: dict[int, int], touched: set[int]) -> None:
    """Split each touched story with its neighbours in time, updating ``labels`` (``split_marked``)."""
    done: set[int] = set()
    if clusterer.settings.development_threshold <= 0:
        return  # the split is off
    for story_id in sorted(touched):
        if story_id in done or story_id not in clusterer.index.states:
            continue
        stories = _neighbour_reports(month, clusterer, labels, story_id)
        done.update(stories)
        for state, part in split_stories(clusterer, stories).parts:
            for member in part:
                labels[member.article_id] = state.id


def _neighbour_reports(
    month: Month, clusterer: Clusterer, labels: dict[int, int], story_id: int
) -> dict[int, list[ArticleFeatures]]:
    """A story's reports and those of the stories dated within ``story_max_gap_days`` of it, nearest first, up
    to ``MAX_SPLIT_REPORTS`` (``neighbour_reports`` in the pipeline)."""
    state = clusterer.index.states[story_id]
    first, last = day_number(state.first_seen), day_number(state.last_seen)
    near: list[tuple[int, int]] = []
    if first is not None and last is not None:
        for other, found in clusterer.index.states.items():
            other_first, other_last = day_number(found.first_seen), day_number(found.last_seen)
            if other == story_id or other_first is None or other_last is None:
                continue
            gap = span_gap(first, last, other_first, other_last)
            if gap <= clusterer.settings.story_max_gap_days:
                near.append((gap, other))
    members: dict[int, list[ArticleFeatures]] = {story_id: []}
    for article in month.features:
        if labels.get(article.article_id) == story_id:
            members[story_id].append(article)
    reports = {other: [a for a in month.features if labels.get(a.article_id) == other] for _, other in near}
    count = len(members[story_id])
    for _, other in sorted(near):
        if count + len(reports[other]) > MAX_SPLIT_REPORTS:
            break
        members[other] = reports[other]
        count += len(reports[other])
    return members


def scores(
    month: Month,
    labels: Mapping[int, Hashable],
    keep: Callable[[str], bool] = lambda _: True,
    only: set[str] | None = None,
) -> ClusterScores:
    """Scores of the articles whose day passes ``keep`` (and, given ``only``, whose gold id is in it), against
    whole clusters; copies follow their original."""
    predicted: dict[str, Hashable] = {}
    scored: set[str] = set()
    days = {a.article_id: (a.day or "")[:10] for a in month.features}
    for article_id, external in month.external.items():
        original = month.copies.get(article_id, article_id)
        if original in labels:
            predicted[external] = labels[original]
            if keep(days.get(original, "")) and (only is None or external in only):
                scored.add(external)
    return score_clustering(predicted, month.gold, scored)


def weeks(month: str) -> list[tuple[str, str]]:
    """Days 1–7, 8–14, 15–21 and 22 to the end of the month."""
    last = calendar.monthrange(int(month[:4]), int(month[5:7]))[1]
    return [(f"{month}-{a:02d}", f"{month}-{b:02d}") for a, b in ((1, 7), (8, 14), (15, 21), (22, last))]


def objective(s: ClusterScores) -> float:
    return (s.bcubed_f1 + s.pairwise_f1) / 2


def _grid(base: Settings, tune_story: bool) -> Iterable[Settings]:
    story = STORY_THRESHOLDS if tune_story else (base.story_threshold,)
    for st, pen, dev in itertools.product(story, DAY_PENALTIES, DEVELOPMENT_THRESHOLDS):
        if dev > 0 or pen == 0:  # with no split the penalty does not matter: one "off" point per story threshold
            yield replace(base, story_threshold=st, development_day_penalty=pen, development_threshold=dev)


def _constants(s: Settings) -> dict[str, float]:
    return {
        "story_threshold": s.story_threshold,
        "development_day_penalty": s.development_day_penalty,
        "development_threshold": s.development_threshold,
    }


def cross_validate(month: Month, name: str, base: Settings, tune_story: bool) -> dict[str, object]:
    """Per held-out week: the constants chosen on the other weeks, and their scores next to the split off."""
    placements = {st: place(month, replace(base, story_threshold=st)) for st in STORY_THRESHOLDS}
    runs = [(s, placed_and_split(month, s)) for s in _grid(base, tune_story)]
    off = split(month, placements[base.story_threshold], replace(base, development_threshold=0.0))
    folds = []
    for first, last in weeks(name):

        def held(day: str, first: str = first, last: str = last) -> bool:
            return first <= day <= last

        chosen, labels = max(runs, key=lambda r: objective(scores(month, r[1], lambda d: not held(d))))
        folds.append(
            {
                "held_out": [first, last],
                "chosen": _constants(chosen),
                "held_out_scores": scores(month, labels, held).as_dict(),
                "held_out_scores_without_split": scores(month, off, held).as_dict(),
            }
        )
    return {"folds": folds}


def full_month(month: Month, base: Settings) -> dict[str, object]:
    """Whole-month scores: without the split, with the defaults, and with the defaults fed one day at a time."""
    labels = place(month, base)
    off = replace(base, development_threshold=0.0)
    return {
        "without_split": scores(month, split(month, labels, off)).as_dict(),
        "with_split_each_story_alone": scores(month, split(month, labels, base)).as_dict(),
        "with_split": scores(month, placed_and_split(month, base)).as_dict(),
        "without_split_daily_ingests": scores(month, daily(month, off)).as_dict(),
        "with_split_daily_ingests": scores(month, daily(month, base)).as_dict(),
        "settings": _constants(base),
    }


def focus(month: Month, base: Settings, word: str) -> dict[str, object]:
    """The defaults' scores inside and outside the gold stories with ``word`` in a title, and the month's scores
    if those stories alone were grouped as labelled (how much of the gap to a perfect score they hold)."""
    needle = word.casefold()
    stories = {month.gold[i] for i, title in month.titles.items() if i in month.gold and needle in title.casefold()}
    inside = {i for i, story in month.gold.items() if story in stories}
    labels: dict[int, Hashable] = dict(placed_and_split(month, base))
    fixed = dict(labels)
    for article_id in labels:
        external = month.external[article_id]
        if external in inside:
            fixed[article_id] = ("as labelled", month.gold[external])
    everything = set(month.gold)
    return {
        "word": word,
        "stories": len(stories),
        "articles": len(inside),
        "inside": scores(month, labels, only=inside).as_dict(),
        "outside": scores(month, labels, only=everything - inside).as_dict(),
        "whole_month": scores(month, labels).as_dict(),
        "whole_month_with_those_stories_as_labelled": scores(month, fixed).as_dict(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database the month was ingested into")
    parser.add_argument("--month", default="2018-09")
    parser.add_argument("--tune-story-threshold", action="store_true", help="choose story_threshold per fold too")
    parser.add_argument("--focus", metavar="WORD", help="score the gold stories with WORD in a title apart")
    args = parser.parse_args()
    base = Settings.from_env()
    month = load_month(args.db, args.month)
    results = {
        "month": args.month,
        "full_month": full_month(month, base),
        "cross_validation": cross_validate(month, args.month, base, args.tune_story_threshold),
    }
    if args.focus:
        results["focus"] = focus(month, base, args.focus)
    print(json.dumps(results, indent=2))
    suffix = "-tuned-threshold" if args.tune_story_threshold else ""
    save_results(f"clustering-cv-{args.month}{suffix}", results)


if __name__ == "__main__":
    main()

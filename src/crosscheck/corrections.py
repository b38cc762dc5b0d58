"""Corrections that stick: an editor merges stories, moves an article or splits a story, and every later
clustering (ingest, ``recluster``, ``batch``) keeps the change.

Each correction is stored (:mod:`crosscheck.storage.corrections`) as two sets of articles: those ``together``
share one story from now on (must-link), and none of them shares a story with those ``apart`` (cannot-link).

- merge A B: every article of A and B together.
- move X to S: X with every article of S; apart from the rest of its old story. ``--new``: X alone, apart.
- split S: the articles split out together, apart from those left in S, which stay together too.

Replayed oldest first they give the :class:`crosscheck.clustering.constraints.Constraints` the clusterer obeys:
an article named again by a later correction leaves the group an earlier one put it in, and a later correction
putting two articles together lifts an earlier one keeping them apart. Articles no correction names, new ones
included, are placed as usual. The functions here change the store only; :class:`crosscheck.pipeline.Pipeline`
rebuilds the clustering state of the stories they change (:func:`rebuild_states`) and summarises them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from crosscheck.clustering import Clusterer, StoryIndex
from crosscheck.clustering.clusterer import ArticleFeatures
from crosscheck.clustering.constraints import Constraints
from crosscheck.clustering.split import MAX_SPLIT_REPORTS, report_features
from crosscheck.clustering.training import LabelledPairs, corrections_pairs, labelled_ids
from crosscheck.settings import Settings
from crosscheck.storage.corrections import (
    KINDS,
    ArticleRef,
    Correction,
    article_refs,
    load_corrections,
    resolve_refs,
    save_correction,
    story_of_articles,
)
from crosscheck.storage.store import Store, utc_now

RECORD = "crosscheck.correction"
RECORD_VERSION = 1
DONE = {"merge": "merged", "move": "moved", "split": "split out"}  # as "why together" names a correction


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (the message names the story or article and why)."""


# --- making corrections ---------------------------------------------------------------------------------


def merge_stories(store: Store, into: int, other: int, reason: str) -> set[int]:
    """Move every article of story ``other`` into ``into`` (``other`` redirects there); record it.

    Returns the stories changed. Call inside a write transaction.
    """
    into, other = _live_story(store, into), _live_story(store, other)
    if into == other:
        raise CorrectionError(f"stories {into} and {other} are one story already")
    together = _members(store, into) | _members(store, other)
    _record(store, "merge", reason, together, set(), {"into": into, "from": other})
    store.merge_story(other, into, _because("merged by an editor", reason))
    return {into}


def move_article(store: Store, article_id: int, to: int | None, reason: str) -> tuple[int, set[int]]:
    """Move an article (its copies follow) into story ``to``, or into a new story when ``to`` is None; record it.

    Returns the story it is now in and the stories changed. Call inside a write transaction.
    """
    row = store.conn.execute("SELECT story_id, duplicate_of FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise CorrectionError(f"no article {article_id}")
    if row[1] is not None:
        raise CorrectionError(f"article {article_id} is a copy of article {row[1]}: move {row[1]} (copies follow it)")
    old = int(row[0])
    target = _live_story(store, to) if to is not None else None
    if target == old:
        raise CorrectionError(f"article {article_id} is in story {old} already")
    moving = {article_id} | _copies(store, article_id)
    together = moving | (_members(store, target) if target is not None else set())
    staying = _members(store, old) - moving
    if target is None:
        target = store.create_story()
    _record(store, "move", reason, together, staying, {"from": old, "to": target})
    for member in sorted(moving):
        store.set_story(member, target)
    if not staying:
        store.merge_story(old, target, _because("its only article was moved by an editor", reason))
    return target, {old, target} if staying else {target}


def split_story(
    store: Store, story_id: int, reason: str, *, articles: Iterable[int] = (), at: str | None = None
) -> tuple[int, set[int]]:
    """Split the given articles (or those published on or after the day ``at``) out of a story into a new one;
    record it. Copies follow their original. Returns the new story and the stories changed."""
    story_id = _live_story(store, story_id)
    members = _members(store, story_id)
    chosen = set(articles)
    if at is not None:
        chosen |= _dated_from(store, story_id, at)
    for article_id in sorted(chosen):
        if article_id not in members:
            raise CorrectionError(f"article {article_id} is not in story {story_id}")
        original = store.copy_of(article_id).duplicate_of
        if original is not None and original not in chosen:
            raise CorrectionError(f"article {article_id} is a copy of article {original}: split {original} out")
    chosen |= {copy for article_id in chosen for copy in _copies(store, article_id)}
    rest = members - chosen
    if not chosen or not rest:
        what = "no article" if not chosen else "every article"
        raise CorrectionError(f"story {story_id}: the split names {what} of it; name some, not all")
    new = store.create_story()
    _record(store, "split", reason, chosen, rest, {"from": story_id, "new": new})
    for article_id in sorted(chosen):
        store.set_story(article_id, new)
    store.set_saga([story_id, new], store.saga_of(story_id) or story_id)
    return new, {story_id, new}


def rebuild_states(store: Store, settings: Settings, story_ids: Iterable[int]) -> None:
    """Rebuild the clusterer's state of each story a correction changed from its reports; inside the caller's
    write transaction."""
    clusterer = Clusterer(settings, StoryIndex(), store.create_story)
    for story_id in sorted(story_ids):
        members = report_features(store, story_id)
        if members:
            store.save_story_state(clusterer.rebuild(story_id, members))


def _live_story(store: Store, story_id: int) -> int:
    resolved = store.reader.resolve_story_id(story_id)
    if not store.conn.execute("SELECT 1 FROM articles WHERE story_id = ? LIMIT 1", (resolved,)).fetchone():
        raise CorrectionError(f"no story {story_id}")
    return resolved


def _members(store: Store, story_id: int) -> set[int]:
    rows = store.conn.execute("SELECT id FROM articles WHERE story_id = ?", (story_id,))
    return {int(r[0]) for r in rows}


def _copies(store: Store, article_id: int) -> set[int]:
    rows = store.conn.execute("SELECT id FROM articles WHERE duplicate_of = ?", (article_id,))
    return {int(r[0]) for r in rows}


def _dated_from(store: Store, story_id: int, day: str) -> set[int]:
    """The story's original articles published on or after ``day`` (YYYY-MM-DD)."""
    try:
        date.fromisoformat(day[:10])
    except ValueError as exc:
        raise CorrectionError(f"{day!r} is not a day: expected YYYY-MM-DD") from exc
    rows = store.conn.execute(
        "SELECT id FROM articles WHERE story_id = ? AND duplicate_of IS NULL AND published_day >= ?",
        (story_id, day[:10]),
    )
    return {int(r[0]) for r in rows}


def _because(what: str, reason: str) -> str:
    return f"{what}: {reason}" if reason else what


def _record(
    store: Store, kind: str, reason: str, together: set[int], apart: set[int], stories: dict[str, int | None]
) -> None:
    refs = dict(zip(sorted(together | apart), article_refs(store.conn, together | apart), strict=True))
    save_correction(
        store.conn,
        Correction(
            kind=kind,
            reason=reason,
            made_at=utc_now(),
            together=[refs[a] for a in sorted(together)],
            apart=[refs[a] for a in sorted(apart)],
            stories=stories,
        ),
    )


# --- obeying them ---------------------------------------------------------------------------------------


@dataclass
class StoredConstraints(Constraints):
    """Constraints from stored corrections, which also name articles not stored yet (by key or text hash): an
    ingest :meth:`admit` s each article it stores, so that a re-ingest or another database obeys them too."""

    by_key: dict[str, int] = field(default_factory=dict)
    by_hash: dict[str, int] = field(default_factory=dict)

    def admit(self, article_id: int, key: str, text_hash: str) -> None:
        """Give a newly stored article (or the original of a new copy) the group a correction names it in."""
        group = self.by_key.get(key, self.by_hash.get(text_hash))
        if group is not None and article_id not in self.group_of:
            self.group_of[article_id] = group


def _by_key(corrections: Sequence[Correction]) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Replay corrections (oldest first) over article keys: each key's group, and the pairs of keys kept apart.

    A group is numbered by the correction that made it; a key kept apart but in no group gets a group of one.
    """
    group_of: dict[str, int] = {}
    apart: set[tuple[str, str]] = set()
    for number, correction in enumerate(corrections):
        together = {r.key for r in correction.together}
        away = {r.key for r in correction.apart} - together
        group_of.update(dict.fromkeys(together, number))
        if correction.kind == "split":  # what is left of the story stays together too, as the editor left it
            group_of.update(dict.fromkeys(away, -1 - number))
            apart = {(a, b) for a, b in apart if not (a in away and b in away)}
        apart = {(a, b) for a, b in apart if not (a in together and b in together)}
        apart |= {(a, b) for a in together for b in away}
    alone = len(corrections)
    for key in sorted({b for _, b in apart} - group_of.keys()):
        group_of[key] = alone
        alone += 1
    return group_of, apart


def labelled_pairs(corrections: Sequence[Correction]) -> list[tuple[str, str, bool]]:
    """Pairs of article keys the corrections label, True where they share a story and False where they must not:
    what a pair matcher can learn from."""
    group_of, apart = _by_key(corrections)
    members: dict[int, list[str]] = {}
    for key, group in sorted(group_of.items()):
        members.setdefault(group, []).append(key)
    same = [(a, b, True) for keys in members.values() for i, a in enumerate(keys) for b in keys[i + 1 :]]
    groups_apart = {tuple(sorted((group_of[a], group_of[b]))) for a, b in apart if group_of[a] != group_of[b]}
    different = [(min(a, b), max(a, b), False) for g, h in sorted(groups_apart) for a in members[g] for b in members[h]]
    return same + different  # each pair in key order


def replay(corrections: Sequence[Correction], resolved: dict[ArticleRef, int]) -> StoredConstraints:
    """The constraints a list of corrections (oldest first) sets; ``resolved`` gives the stored articles' ids."""
    group_of, apart = _by_key(corrections)
    reasons = {n: _because(f"{DONE[c.kind]} by an editor", c.reason) for n, c in enumerate(corrections)}
    made = StoredConstraints(reasons={g: reasons[g] for g in set(group_of.values()) & reasons.keys()})
    for ref in (ref for c in corrections for ref in (*c.together, *c.apart)):
        made.by_key[ref.key] = made.by_hash[ref.text_hash] = group_of[ref.key]
        if ref in resolved:
            made.group_of[resolved[ref]] = group_of[ref.key]
    for a, b in apart:
        first, second = group_of[a], group_of[b]
        if first != second:
            made.apart.setdefault(first, set()).add(second)
            made.apart.setdefault(second, set()).add(first)
    return made


def constraints_for(store: Store, *, placed: bool) -> StoredConstraints:
    """The constraints the stored corrections set on the stored articles.

    With ``placed``, the constraints also know the story each article they name is in now (for an ingest adding
    to the stories); without, none is placed yet (for a recluster building them again).
    """
    corrections = load_corrections(store.conn)
    if not corrections:
        return StoredConstraints()
    refs = [ref for c in corrections for ref in (*c.together, *c.apart)]
    constraints = replay(corrections, resolve_refs(store.conn, refs))
    if placed:
        for article_id, story_id in sorted(story_of_articles(store.conn, constraints.group_of).items()):
            constraints.placed(article_id, story_id)
    return constraints


# --- learning from them ---------------------------------------------------------------------------------


def training_pairs(store: Store) -> LabelledPairs:
    """The pairs of stored reports the corrections label (together or apart) with their signals, for training
    the learned matcher (:func:`crosscheck.clustering.training.train_on_corrections`).

    The signals of a pair are read, as the split reads them, within a pool: the reports of the stories that hold
    the corrected articles now (their labelled reports first, at most ``MAX_SPLIT_REPORTS`` in all). Pairs no
    correction labels are left out: they are the clusterer's own grouping, which the model would learn to repeat.
    """
    corrections = load_corrections(store.conn)
    refs = [ref for c in corrections for ref in (*c.together, *c.apart)]
    id_of = {ref.key: article_id for ref, article_id in resolve_refs(store.conn, refs).items()}
    labels = labelled_ids(labelled_pairs(corrections), id_of)
    labelled = {a for pair in labels for a in pair}
    reports: dict[int, ArticleFeatures] = {}
    for story_id in sorted(set(story_of_articles(store.conn, labelled).values())):
        reports.update((m.article_id, m) for m in report_features(store, story_id))
    kept = sorted(reports, key=lambda a: (a not in labelled, a))[:MAX_SPLIT_REPORTS]
    pool = sorted((reports[a] for a in kept), key=lambda m: (m.day is None, m.day or "", m.article_id))
    return corrections_pairs(len(corrections), labels, pool)


# --- export and import as JSON Lines ---------------------------------------------------------------------


def to_record(correction: Correction) -> dict[str, object]:
    """A correction as a self-describing JSON object."""
    return {
        "record": RECORD,
        "version": RECORD_VERSION,
        "kind": correction.kind,
        "reason": correction.reason,
        "made_at": correction.made_at,
        "stories": correction.stories,
        "together": [vars(r) for r in correction.together],
        "apart": [vars(r) for r in correction.apart],
    }


def from_record(record: object) -> Correction:
    """The correction a record describes; ValueError saying what is wrong with it otherwise."""
    if not isinstance(record, dict) or record.get("record") != RECORD:
        raise ValueError(f'not a correction (expected "record": "{RECORD}")')
    if record.get("version") != RECORD_VERSION:
        raise ValueError(f"unsupported correction version {record.get('version')!r} (this crosscheck reads 1)")
    kind, reason, made_at = record.get("kind"), record.get("reason", ""), record.get("made_at")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    if not isinstance(reason, str) or not isinstance(made_at, str):
        raise ValueError('"reason" and "made_at" must be strings')
    stories = record.get("stories", {})
    if not isinstance(stories, dict):
        raise ValueError('"stories" must be an object')
    return Correction(kind, reason, made_at, _refs(record, "together"), _refs(record, "apart"), stories)


def _refs(record: dict[str, object], role: str) -> list[ArticleRef]:
    items = record.get(role, [])
    if not isinstance(items, list):
        raise ValueError(f'"{role}" must be a list of articles')
    refs: list[ArticleRef] = []
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in ("key", "text_hash")):
            raise ValueError(f'each article of "{role}" needs a "key" and a "text_hash"')
        url, title = item.get("url"), item.get("title", "")
        refs.append(ArticleRef(item["key"], item["text_hash"], url if isinstance(url, str) else None, str(title)))
    return refs


def export_corrections(store: Store, out: IO[str]) -> int:
    """Write every stored correction as one JSON line, oldest first; returns how many."""
    count = 0
    for correction in load_corrections(store.conn):
        out.write(json.dumps(to_record(correction), ensure_ascii=False) + "\n")
        count += 1
    return count


def read_records(lines: Iterable[str]) -> Iterator[tuple[int, Correction | str]]:
    """(line number, correction) for each good line, (line number, what is wrong) for each bad one."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, from_record(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield number, str(exc)


def import_corrections(store: Store, corrections: Iterable[Correction]) -> tuple[int, int]:
    """Store corrections made elsewhere (the stories change at the next recluster); returns (added, known
    already). Call inside a write transaction."""
    added = known = 0
    for correction in corrections:
        if save_correction(store.conn, correction):
            added += 1
        else:
            known += 1
    return added, known

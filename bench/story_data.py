"""What a reader meets first on a built database: headline and bullet furniture, outlet names, ownership, and
entities split by case or label. Counts only; its patterns are written apart from the summariser's own.

Build the demo database first (``bash scripts/demo.sh --no-serve``, or ``crosscheck --db X demo --no-serve``),
then:

    .venv/bin/python bench/story_data.py --db crosscheck.db [--month 2018-09]

The counts are printed and written to ``bench/results/story-data.json``.

Counts:

- headlines that begin with an opinion label, hold a programme name (two or more " | " separators or a weekday
  with a date), begin "Read the full text"/"Read …'s" or are in capitals;
- bullets with Markdown (``## ``, ``**``), captions (``[Image caption]``, "In this … photo"), photo credits
  (``(Photo:``, "/AP Photo", "Getty Images"), "CLOSE", "More:" and columnists' disclaimers;
- of the month's articles (abp ids of the gold labels): outlets named like a person (AllSides' authors), articles
  whose domain a rater file names and whose outlet shows that name, and articles with a known owner;
- entities as stories list them: one name under two spellings, a person's surname apart from the person.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from _shared import save_results, shared_dir
from crosscheck.sources.assess import Assessor
from crosscheck.storage import connect
from crosscheck.storage.connection import Connection

HEADLINE_FURNITURE = {
    "opinion label": re.compile(r"^\s*opinion\s*[:|]", re.IGNORECASE),
    "programme name": re.compile(
        r"\|.*\||\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+\d{1,2}\.\d{1,2}\.\d{4}", re.IGNORECASE
    ),
    "full text": re.compile(r"^\s*read\s+(?:the\s+full\s+text|\S+\s+\S+'s)", re.IGNORECASE),
    "capitals": re.compile(r"^[^a-z]{12,}$"),
}
BULLET_FURNITURE = {
    "markdown": re.compile(r"^#{1,6}\s|\*\*|\]\(http"),
    "caption": re.compile(r"^\s*\[[^\]]*\]|^\s*(?:in )?this\b.{0,80}?\bphoto\b|\bfrom left\s*:", re.IGNORECASE),
    "credit": re.compile(r"\((?:photo|image)s?:|/AP Photo|Getty Images|^\s*\|", re.IGNORECASE),
    "close/more": re.compile(r"^\s*(?:CLOSE\b|More:)"),
    "disclaimer": re.compile(r"opinions expressed|do not represent the views", re.IGNORECASE),
}


def _furniture(conn: Connection) -> dict[str, Any]:
    stories = conn.execute("SELECT id, headline, bullets FROM stories WHERE article_count > 0").fetchall()
    headlines: dict[str, list[str]] = defaultdict(list)
    bullets: dict[str, list[str]] = defaultdict(list)
    total_bullets = 0
    for _, headline, raw in stories:
        for kind, pattern in HEADLINE_FURNITURE.items():
            if pattern.search(headline):
                headlines[kind].append(headline)
        for bullet in json.loads(raw):
            total_bullets += 1
            for kind, pattern in BULLET_FURNITURE.items():
                if pattern.search(bullet["text"]):
                    bullets[kind].append(bullet["text"][:120])
    return {
        "stories": len(stories),
        "headlines_with_furniture": len({h for hs in headlines.values() for h in hs}),
        "headline_kinds": {k: len(v) for k, v in headlines.items()},
        "headline_examples": {k: v[:5] for k, v in headlines.items()},
        "bullets": total_bullets,
        "bullets_with_furniture": len({b for bs in bullets.values() for b in bs}),
        "bullet_kinds": {k: len(v) for k, v in bullets.items()},
        "bullet_examples": {k: v[:5] for k, v in bullets.items()},
        "dated_bullets": sum(1 for _, _, raw in stories for b in json.loads(raw) if b.get("day")),
    }


def _month_ids(shared: Path, month: str) -> set[str]:
    lines = (shared / "gold" / f"stories-{month}.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines}


def _outlets(conn: Connection, shared: Path, month: str) -> dict[str, Any]:
    with (shared / "data" / "ratings" / "allsides-2019-10.csv").open(encoding="utf-8") as fh:
        people = {r["news_source"] for r in csv.DictReader(fh) if r["type"].lower() == "author"} - {"AP"}
    people.add("Hillary Clinton")
    ids = _month_ids(shared, month)
    rows = [r for r in conn.execute(
        """SELECT a.external_id, a.url, o.name, o.domain FROM articles a JOIN outlets o ON o.id = a.outlet_id"""
    ) if r[0] in ids]  # fmt: skip
    names: dict[str, set[str]] = defaultdict(set)
    for domain, name in conn.execute(
        "SELECT domain, name FROM rating_entries WHERE name IS NOT NULL AND host = domain AND path = ''"
    ):
        names[domain].add(name)
    in_rater = [r for r in rows if r[3] in names]
    assessor = Assessor(conn)
    owned = [r for r in rows if (o := assessor.assess(r[3], r[2], r[1]).ownership) and o.sources]
    return {
        "articles": len(rows),
        "outlets_named_like_a_person": sorted({r[2] for r in rows if r[2].split(" (")[0] in people}),
        "articles_with_a_person_as_outlet": sum(1 for r in rows if r[2].split(" (")[0] in people),
        "articles_whose_domain_a_rater_names": len(in_rater),
        "of_those_showing_a_raters_name": sum(1 for r in in_rater if r[2].split(" (")[0] in names[r[3]]),
        "articles_with_owner_and_source": len(owned),
        "owner_share": round(len(owned) / len(rows), 3) if rows else None,
        "outlet_names": dict(Counter(r[2] for r in rows).most_common()),
    }


def _entities(conn: Connection) -> dict[str, Any]:
    """Entities as stories list them: two spellings of one name in one story's list, and a person's surname
    listed apart under another label ("Ford" as an organisation beside "Christine Blasey Ford")."""
    twice, surnames, examples = 0, 0, []
    rows = conn.execute("SELECT id, entities FROM stories WHERE entities IS NOT NULL AND article_count > 0")
    for _, raw in rows:
        listed = json.loads(raw)
        lower = Counter(re.sub(r"[.'’-]", "", name).lower() for name, _, _ in listed)
        twice += sum(1 for n in lower.values() if n > 1)
        people = {name.split()[-1] for name, label, _ in listed if label == "PERSON" and " " in name}
        apart = [f"{name} ({label})" for name, label, _ in listed if " " not in name and name in people]
        surnames += len(apart)
        examples += apart[:2]
    return {"names_listed_twice_in_a_story": twice, "surnames_listed_apart_from_their_person": surnames,
            "examples": examples[:10]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--month", default="2018-09")
    args = parser.parse_args()
    conn = connect(args.db, readonly=True)
    results = {"furniture": _furniture(conn), "outlets": _outlets(conn, shared_dir(), args.month),
               "entities": _entities(conn)}  # fmt: skip
    print(json.dumps(results, indent=2, ensure_ascii=False))
    save_results("story-data", results)


if __name__ == "__main__":
    main()

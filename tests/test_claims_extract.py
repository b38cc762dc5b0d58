"""Figure extraction with the language model: single sentences, the annotated seeds, unseen articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.claims import Claim, ClaimExtractor
from crosscheck.claims.evaluate import load_gold, score_claims
from crosscheck.claims.nlp import pipeline
from crosscheck.claims.reference import MATCHES, check, read_reference_csv
from crosscheck.claims.subject_names import same_subject
from crosscheck.claims.things import noun_phrase
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


def _one(extractor: ClaimExtractor, text: str, published: str | None = "2025-06-24") -> list[Claim]:
    return extractor.extract(text, published).claims


def test_share_of_gdp_with_subject_period_and_speaker(extractor: ClaimExtractor) -> None:
    [claim] = _one(extractor, "According to NATO figures, the US was projected to have spent 3.38 per cent last year.")
    assert (claim.value, claim.unit, claim.subject, claim.kind) == (3.38, "percent_gdp", "United States", "reported")
    assert claim.period == 2024 and claim.speaker == "NATO"


def test_ranges_deadlines_and_targets(extractor: ClaimExtractor) -> None:
    text = "British Foreign Secretary David Lammy said his country should reach 2.5% by 2027, and then 3% by 2029."
    claims = _one(extractor, text)
    assert [(c.value, c.subject, c.kind, c.period) for c in claims] == [
        (2.5, "United Kingdom", "target", 2027),
        (3.0, "United Kingdom", "target", 2029),
    ]
    [years] = _one(extractor, "Rutte said Moscow could reconstitute its armed forces within three years to five years.")
    assert (years.value, years.value_high, years.unit, years.subject, years.kind) == (
        3,
        5,
        "years",
        "Russia",
        "forecast",
    )


def test_counts_money_and_fractions(extractor: ClaimExtractor) -> None:
    text = (
        "NATO says so far, 22 of the 32 member countries have done so. "
        "The US spent $935bn (£686bn) in 2024. European allies placed around two-thirds of their orders abroad."
    )
    found = {(c.value, c.unit, c.subject) for c in _one(extractor, text)}
    assert found == {(22, "count", "NATO"), (935e9, "currency_usd", "United States"), (0.6667, "fraction", "Europe")}


@pytest.mark.parametrize(
    "text",
    [
        "The summit takes place on June 24-25 in The Hague.",  # dates are no figures
        "Russia's war entered its third year three years ago.",  # ordinals and time references neither
        "Given the 30,000 pounds of explosives, the site was destroyed.",  # a weight, not money
        "Belgium, Canada and Spain are not even spending 2% yet.",  # a negated report states no figure for them
        "Iran exceeded the 300kg (661 pounds) limit on its stockpile of enriched uranium.",  # a weight again
        "Ross Perot, the Texas billionaire, is dead at 89.",  # an age
        "The S&P 500 rose while an Iranian Bell 212 helicopter flew past Marine One, 38 North said.",  # names
        "Two defense officials said the two nations talked at 10:30 a.m. for the first time.",  # sources, references
        "Trump, 73, is at higher risk; the accuser, then 15, said nothing when she was 15.",  # ages again
        "A year ago the summit took place in The Hague.",  # a year that places an event in time
        "Obama asked Congress to make this a year of action.",  # a phrase, not a measured span
        "At 57, Mr. Lew may be the most unassuming power broker in Washington.",  # an age opening the sentence
        "At 53, Kavanaugh would be the second-youngest member of the court.",
    ],
)
def test_what_is_not_a_claim(extractor: ClaimExtractor, text: str) -> None:
    assert _one(extractor, f"{text} NATO allies met.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sixty-two inmates currently wait on federal death row in Indiana.", [(62, None, "count")]),
        ("The House vote was a lopsided 332 to 95.", [(332, None, "count"), (95, None, "count")]),
        ("Economists expect 125,000 to 150,000 jobs were added in America.", [(125000, 150000, "count")]),
        ("Claims in America fell by 8,000 to 221,000.", [(8000, None, "count"), (221000, None, "count")]),
        ("It detained nearly a million Uighur Muslims.", [(1e6, None, "count")]),
        ("Michael Cohen is serving a three-year prison sentence.", [(3, None, "years")]),
        ("About three out of 10 independents approved of Trump.", [(0.3, None, "fraction")]),
        ("Clinton won white women by a 12-point margin.", [(12, None, "percent")]),
        ("The Yuma district spends 20 percent more on administrative expenses.", [(20, None, "percent")]),
        ("Iran said Iran would be about a year away from a bomb.", [(1, None, "years")]),  # a duration in words
    ],
)
def test_figures_of_any_news(extractor: ClaimExtractor, text: str, expected: list[tuple[float, float, str]]) -> None:
    assert [(c.value, c.value_high, c.unit) for c in _one(extractor, text, "2019-07-05")] == expected


def test_kinds_and_subjects_of_any_news(extractor: ClaimExtractor) -> None:
    text = (
        "Enlarge this image toggle caption Saul Loeb/AFP/Getty Images Equifax will pay up to $700 million "
        "to settle with the states. The unemployment rate is expected to hold steady at 3.6%. "
        "Iran is not allowed to enrich uranium above 3.67%. "
        "Trump declared an emergency and said he would fund the wall with $8.1 billion."
    )
    settlement, rate, cap, plan = _one(extractor, text, "2019-07-05")
    assert (plan.value, plan.kind) == (8.1e9, "target")  # what a speaker says they will do is a pledge
    assert (settlement.value, settlement.subject, settlement.kind) == (7e8, "Equifax", "reported")  # not the credit
    assert (rate.value, rate.kind) == (3.6, "forecast") and (cap.value, cap.subject, cap.kind) == (
        3.67,
        "Iran",
        "target",
    )


# (sentence, value, subject): a figure no one is named as owning is about the thing it measures or counts.
MEASURED_THINGS = [
    ("Around 100 House Democrats have said they support opening an inquiry.", 100, "House Democrats"),
    ("Amash was one of 13 House Republicans to vote for the resolution.", 13, "House Republicans"),
    ("On Saturday, Trump charged that eight Democrats control the Senate.", 8, "Democrats"),
    ("Economists said the unemployment rate is expected to hold steady at 3.6%.", 3.6, "unemployment rate"),
    ("Average hourly wages are expected to increase by 0.3%, economists said.", 0.3, "Average hourly wages"),
    ("Only 25 states still have the death penalty on the books.", 25, "states"),
    ("Initial jobless claims fell by 8,000 to 221,000 in late June.", 221000, "Initial jobless claims"),
    # after a verb that is no measure, the clause subject is an actor: the counted noun is the thing
    ("Protesters blocked three bridges on Monday.", 3, "bridges"),
    # a number joined to its noun by a hyphen describes the noun the pair modifies, never "-page"
    ("The 448-page document showed that the campaign welcomed help.", 448, "document"),
    ("It adds three women to the 12-member board.", 12, "board"),
    # a place the gazetteer does not list still owns what its clause gives it
    ("Vietnam holds about 100 political prisoners.", 100, "Vietnam"),
    # but not a word the recogniser takes for a place ("Ceasefire", after an emoji) in the figure's own phrase
    (
        "“NATO members commit to increasing defense spending to 5% of GDP ✅ Ceasefire between Iran and Israel.”",
        5,
        "NATO",
    ),
]


@pytest.mark.parametrize(("text", "value", "subject"), MEASURED_THINGS)
def test_measured_things_as_subjects(extractor: ClaimExtractor, text: str, value: float, subject: str) -> None:
    claims = {c.value: c for c in _one(extractor, text, "2019-07-05")}
    assert claims[value].subject == subject, claims


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("With 359 co-sponsors, the bill is expected to easily sail through the House.", "reported"),  # how it stands
        ("With 5% growth expected, the Fed will wait.", "forecast"),  # the phrase itself expects
        ("At 3.6%, unemployment is expected to stay near its low.", "reported"),  # any phrase set before its clause
        ("In a 16-candidate field, Sanford as expected came out on top.", "reported"),
        ("With the unemployment rate hovering at 3.9%, companies should hire more. NATO met.", "reported"),  # a verb
    ],
)
def test_a_fronted_phrase_states_how_things_stand(extractor: ClaimExtractor, text: str, kind: str) -> None:
    [claim] = _one(extractor, text, "2019-07-18")
    assert claim.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Economists expect to see 165,000 jobs were added in June.", "forecast"),  # "added" is not said here
        ("He expects 135,000 jobs were added in June.", "forecast"),
        ("The report showed 75,000 jobs were added in May.", "reported"),
        ("Officials expect the deal to pass, but 40 members added that they had doubts.", "reported"),
    ],
)
def test_a_passive_verb_of_saying_says_nothing(extractor: ClaimExtractor, text: str, kind: str) -> None:
    [claim] = _one(extractor, text, "2019-07-05")
    assert claim.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Two lawmakers call on more than 70 governments to repeal laws punishing dissent.",
        "The owner has asked 12 employees to rotate shifts.",
        "She urged 30 states to act.",
    ],
)
def test_a_count_of_those_asked_is_reported(extractor: ClaimExtractor, text: str) -> None:
    counted = [c for c in _one(extractor, text, "2019-07-05") if c.value > 2]
    assert [c.kind for c in counted] == ["reported"], counted


def test_a_poll_speaks_for_its_figures_and_rates_someone_else(extractor: ClaimExtractor) -> None:
    text = (
        "Donald Trump spoke in Greenville. Mr. Trump also called attention to a new Rasmussen poll showing his job "
        "approval climbing 4 percentage points since Friday. The Reuters/Ipsos poll found that Mr. Trump's net "
        "approval among Republicans increased 5 percentage points."
    )
    found = {c.value: (c.subject, c.speaker) for c in _one(extractor, text, "2019-07-18")}
    assert found[4] == ("Donald Trump", "Rasmussen")  # the poll is who measured, even quoted by Trump
    assert found[5][1] == "Reuters/Ipsos"


@pytest.mark.parametrize(
    ("text", "word", "thing"),
    [
        ("The president's overall approval remained at 41% this week.", "approval", None),  # the owner's
        ("The unemployment rate is expected to hold steady at 3.6%.", "rate", "unemployment rate"),
        ("Some 150 million people were affected.", "people", None),  # an empty noun names nothing
        ("Defence spending will rise to 3.5%.", "spending", None),  # spending is always someone's
        ("The agency will print 600 million new census documents.", "documents", "census documents"),
    ],
)
def test_the_thing_a_noun_names(text: str, word: str, thing: str | None) -> None:
    doc = pipeline()(text)
    head = next(t for t in doc if t.lower_ == word)
    assert noun_phrase(head, frozenset(t.i for t in doc if t.like_num)) == thing


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Trump", "Donald Trump", True),  # a narrower form with the same head word
        ("nonfarm payrolls", "US nonfarm payrolls", True),
        ("R.R. Donnelley & Sons Company", "R.R. Donnelley", True),  # company suffixes set aside
        ("U.S.", "United States", True),
        ("House", "House Republicans", False),  # a different head word is a different thing
        ("United States", "US nonfarm payrolls", False),
        ("Trump campaign", "Donald Trump", False),
        ("", "Iran", False),
    ],
)
def test_subjects_compared_as_the_same_thing(predicted: str, gold: str, same: bool) -> None:
    assert same_subject(predicted, gold) is same


def test_an_alliance_is_not_nato(extractor: ClaimExtractor) -> None:
    [claim] = _one(extractor, "The tenants' alliance backing Susan Collins raised $150,000.", "2018-09-20")
    assert claim.subject != "NATO"


def test_repeats_are_one_claim_and_quotes_have_speakers(extractor: ClaimExtractor) -> None:
    text = (
        "Trump has said that US allies should commit to spending at least 5 per cent. "
        "Allies are discussing the 5% target.\n\n"
        '"There is a lot at stake for us," Lithuanian Foreign Minister Kestutis Budrys said.'
    )
    figures = extractor.extract(text, "2025-04-04")
    assert [(c.value, c.subject, c.kind) for c in figures.claims] == [(5, "NATO", "target")]
    assert [(q.text, q.speaker) for q in figures.quotes] == [("There is a lot at stake for us,", "Kestutis Budrys")]


def _articles(path: Path) -> list[ParsedArticle]:
    return [a for a in read_inputs([str(path)], Settings()) if isinstance(a, ParsedArticle)]


def test_seed_scores(extractor: ClaimExtractor, shared_dir: Path) -> None:
    """The development set: F1 on (value, value_high, unit) ≥ 0.9, subject and kind right in ≥ 90% of matches."""
    seeds = _articles(shared_dir / "seeds")
    found = extractor.extract_many([(a.text, a.published) for a in seeds])
    score = score_claims(
        {a.external_id: f.claims for a, f in zip(seeds, found, strict=True)},
        load_gold(shared_dir / "gold" / "seed-claims.jsonl"),
    )
    assert score.f1 >= 0.9, score.errors
    assert score.subject_accuracy >= 0.9 and score.kind_accuracy >= 0.9, score.errors


def test_unseen_articles_yield_grounded_claims(extractor: ClaimExtractor, shared_dir: Path) -> None:
    """The nato-2025 articles are not annotated: every claim must at least point at its own evidence."""
    articles = _articles(shared_dir / "data" / "corpora" / "nato-2025")
    found = extractor.extract_many([(a.text, a.published) for a in articles])
    claims = [(a, c) for a, f in zip(articles, found, strict=True) for c in f.claims]
    assert len(claims) >= 50
    for article, claim in claims:
        assert article.text[claim.start : claim.end] == claim.evidence
        assert claim.start <= claim.figure_start < claim.figure_end <= claim.end


def test_us_share_in_2024_is_natos_june_estimate_later_revised(shared_dir: Path) -> None:
    figures = read_reference_csv(shared_dir / "data" / "reference" / "nato_defence_share_gdp.csv")
    us_2024 = [f for f in figures if f.subject == "United States" and f.year == 2024]
    result = check(3.38, us_2024)
    assert result.status == MATCHES
    assert result.compared is not None and "June 2024" in result.compared.edition and result.compared.estimate
    assert result.revised is not None and result.revised.value == 3.19

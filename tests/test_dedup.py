"""Exact and near-duplicate detection."""

from __future__ import annotations

from crosscheck.dedup import NearDuplicateIndex, normalize_text, text_hash
from crosscheck.dedup.fingerprint import shingles

WIRE = (
    "Central bankers voted on Wednesday to lower the benchmark interest rate by half a percentage point, the "
    "first cut in four years, saying inflation had moved closer to its two percent goal while hiring slowed. "
    "Officials signalled two more reductions before the end of the year and said the labour market remained "
    "solid, although unemployment has risen from its lows of last year. Markets rallied after the statement. "
    "The decision was not unanimous: one governor preferred a smaller quarter-point move, the first dissent by a "
    "governor in nearly two decades. Mortgage rates had already fallen in anticipation of the move, and lenders "
    "said applications for refinancing rose sharply over the summer as buyers returned to the housing market. "
    "Economists said the size of the cut showed officials wanted to get ahead of a weakening jobs market rather "
    "than react to it, while critics argued that inflation in services remained stubbornly above target."
)


def test_normalisation_ignores_case_spacing_and_punctuation() -> None:
    assert normalize_text("Hello,   WORLD!\n\nAgain.") == "hello world again"
    assert text_hash("Hello, world") == text_hash("hello   world!")
    assert text_hash("Hello, world") != text_hash("Hello, word")


def test_shingles_of_short_text_is_the_whole_text() -> None:
    assert shingles("one two", 5) == {b"one two"}
    assert len(shingles("a b c d e f", 5)) == 2


def _index() -> NearDuplicateIndex:
    return NearDuplicateIndex(threshold=0.7, num_perm=128, shingle_words=5)


def test_reprint_with_credit_line_is_a_near_duplicate() -> None:
    index = _index()
    index.add(1, index.signature(WIRE))
    reprint = "Reprinted from Continental Wire.\n\n" + WIRE.replace("Wednesday", "Wednesday afternoon")
    assert index.find(index.signature(reprint)) == 1


def test_trimmed_reprint_is_a_near_duplicate() -> None:
    index = _index()
    index.add(1, index.signature(WIRE))
    trimmed = WIRE.rsplit(" Economists said", 1)[0]
    assert index.find(index.signature(trimmed)) == 1


def test_different_article_is_not_a_duplicate() -> None:
    index = _index()
    index.add(1, index.signature(WIRE))
    other = (
        "A total solar eclipse crossed North America on Monday, drawing millions of people to a narrow path "
        "from Mexico through Texas to Maine and into eastern Canada, where the sky went dark for minutes."
    )
    assert index.find(index.signature(other)) is None


def test_signature_survives_storage_round_trip() -> None:
    index = _index()
    signature = index.signature(WIRE)
    restored = index.from_values(signature.hashvalues)
    index.add(7, restored)
    assert index.find(signature) == 7


def test_earliest_match_wins() -> None:
    index = _index()
    index.add(5, index.signature(WIRE))
    index.add(3, index.signature(WIRE + " Markets rallied."))
    assert index.find(index.signature(WIRE)) == 3


def test_lsh_candidates_below_the_threshold_are_not_duplicates() -> None:
    """LSH returns candidates near the threshold on both sides: only the re-check of the estimated Jaccard keeps
    the near misses out. 200 seeded texts that share most but not enough of one article's shingles."""
    import random

    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(2_000)]
    base = [rng.choice(vocabulary) for _ in range(400)]
    index = NearDuplicateIndex(threshold=0.8, num_perm=128, shingle_words=5)
    index.add(1, index.signature(" ".join(base)))
    candidates = 0
    for _ in range(200):
        words = list(base)
        for position in rng.sample(range(len(words)), rng.randint(8, 16)):
            words[position] = rng.choice(vocabulary)
        signature = index.signature(" ".join(words))
        if signature.jaccard(index._signatures[1]) >= index.threshold:
            continue  # a true near duplicate by the estimate: not what this test is about
        candidates += bool(index._lsh.query(signature))
        assert index.find(signature) is None
    assert candidates >= 5, "the texts must reach LSH candidates, or the re-check is not exercised"

"""A story's term weights in arrays (TermVector) behave exactly like the dict they replace.

Each property compares the vector with the plain-dict computation the clusterer used before: sums, the cut to
the heaviest features, dot products and shared entity counts.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.clustering.lexical import WORD_FEATURES, TermVector

EXACT = settings(derandomize=True, max_examples=200, deadline=None, database=None)

features = st.integers(min_value=0, max_value=2 * WORD_FEATURES - 1) | st.sampled_from([1, 2, WORD_FEATURES + 1])
weights = st.floats(min_value=1e-4, max_value=5.0, allow_nan=False)
term_dicts = st.dictionaries(features, weights, max_size=60)


def _dict_sum(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    merged = dict(a)
    for feature, weight in b.items():
        merged[feature] = merged.get(feature, 0.0) + weight
    return merged


@EXACT
@given(term_dicts)
def test_a_vector_reads_like_its_dict(terms: dict[int, float]) -> None:
    vector = TermVector.of(terms)
    assert dict(vector.items()) == terms
    assert len(vector) == len(terms) and set(vector) == set(terms)
    assert all(vector[f] == w for f, w in terms.items())
    assert 2 * WORD_FEATURES not in vector
    assert math.isclose(vector.norm(), math.sqrt(sum(w * w for w in terms.values())))
    assert TermVector.of(vector) is vector


@EXACT
@given(term_dicts, term_dicts, st.integers(min_value=1, max_value=80))
def test_plus_sums_and_keeps_the_heaviest(a: dict[int, float], b: dict[int, float], keep: int) -> None:
    merged = _dict_sum(a, b)
    got = dict(TermVector.of(a).plus(TermVector.of(b), keep).items())
    assert len(got) == min(keep, len(merged))
    assert all(got[f] == merged[f] for f in got)  # the same float sums
    if len(merged) > keep:
        lightest_kept = min(got.values())
        assert all(w <= lightest_kept for f, w in merged.items() if f not in got)


@EXACT
@given(term_dicts, term_dicts)
def test_overlap_is_the_dot_product_and_the_shared_entities(a: dict[int, float], b: dict[int, float]) -> None:
    dot, shared = TermVector.of(a).overlap(TermVector.of(b))
    assert math.isclose(dot, sum(w * a.get(f, 0.0) for f, w in b.items()), abs_tol=1e-12)
    assert shared == sum(1 for f in b if f >= WORD_FEATURES and f in a)
    assert TermVector.of(b).entity_count() == sum(1 for f in b if f >= WORD_FEATURES)


def test_strongest_breaks_ties_by_feature_id() -> None:
    vector = TermVector.of({9: 0.5, 3: 0.5, 7: 0.9, 1: 0.1})
    assert vector.strongest(3).tolist() == [7, 3, 9]

"""Exact and near-duplicate detection over the whole run, as Spark joins.

Exact copies share a normalised-text hash. Near copies are found as :class:`crosscheck.dedup.NearDuplicateIndex`
finds them: MinHash LSH with datasketch's bands for the same threshold and permutation count (a candidate shares
a band), kept when the estimated Jaccard (equal hash values / permutations) reaches the threshold. Only the
first article of each exact-copy group enters the join: the others are exact copies whatever else they match.

Which article a copy points to depends on order (the earliest original it matches), so the join only yields
the pairs; :func:`resolve_duplicates` walks them in publication order with ingest's rules. The driver's write
stage decides again, through the same code as ingest; the two results are compared on every run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crosscheck.models import PUBLICATION_ORDER
from crosscheck.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def near_pairs(features: DataFrame, settings: Settings) -> DataFrame:
    """(a, b) key pairs, a < b, of near-duplicate candidates that pass the Jaccard threshold."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    first = Window.partitionBy("digest").orderBy(*PUBLICATION_ORDER)
    heads = features.withColumn("_rank", F.row_number().over(first)).where("_rank = 1")
    banded = heads.select("key", "hashvalues", F.posexplode("bands").alias("band", "bucket"))
    left, right = banded.alias("l"), banded.alias("r")
    joined = left.join(
        right,
        (F.col("l.band") == F.col("r.band"))
        & (F.col("l.bucket") == F.col("r.bucket"))
        & (F.col("l.key") < F.col("r.key")),
    )
    candidates = joined.select(
        F.col("l.key").alias("a"),
        F.col("r.key").alias("b"),
        F.col("l.hashvalues").alias("ha"),
        F.col("r.hashvalues").alias("hb"),
    ).dropDuplicates(["a", "b"])
    equal = F.size(F.filter(F.zip_with("ha", "hb", lambda x, y: x == y), lambda same: same))
    # The same double division as LeanMinHash.jaccard, so the comparison with the threshold is the same.
    estimate = equal.cast("double") / F.lit(float(settings.minhash_permutations))
    return candidates.where(estimate >= F.lit(settings.near_duplicate_threshold)).select("a", "b")


@dataclass
class DuplicateSets:
    """Which article each copy in a run points to, by key, and how it was found."""

    original_of: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)


def resolve_duplicates(ordered: Iterable[tuple[str, str]], pairs: Iterable[tuple[str, str]]) -> DuplicateSets:
    """Ingest's decisions on a fresh database, given (key, digest) in publication order and the near pairs.

    An exact copy points to the original of the first article with its text; otherwise a near copy points to
    the earliest original it matches; otherwise the article is an original.
    """
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    found = DuplicateSets()
    position: dict[str, int] = {}  # originals only, by storing order
    first_with_text: dict[str, str] = {}
    for key, digest in ordered:
        if digest in first_with_text:
            first = first_with_text[digest]
            found.original_of[key] = found.original_of.get(first, first)
            found.kind[key] = "exact"
            continue
        first_with_text[digest] = key
        matches = [other for other in neighbours.get(key, ()) if other in position]
        if matches:
            found.original_of[key] = min(matches, key=position.__getitem__)
            found.kind[key] = "near"
        else:
            position[key] = len(position)
    return found

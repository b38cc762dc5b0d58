"""Baly et al.'s outlet corpora (EMNLP 2018, ACL 2020) as TSV: ``source_url, source_url_normalized, ref
(the MBFC page), fact (low, mixed, high), bias`` — seven MBFC steps in 2018, left/center/right in 2020.
"""

from __future__ import annotations

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, csv_rows
from crosscheck.sources.importers.mbfc import slug_name

FORMAT = "baly"
_THREE_STEPS = {"left", "center", "right"}


def parse(text: str) -> ParsedFile:
    """Read a corpus.tsv; the bias scale (seven or three steps) is told by the values present."""
    header, rows = csv_rows(text)
    if not {"source_url", "fact", "bias"} <= set(header):
        raise InputError("not a Baly et al. corpus.tsv: expected columns source_url, fact, bias")
    biases = {row.get("bias", "").lower() for _, row in rows} - {""}
    bias_scale = "baly-bias-3" if biases <= _THREE_STEPS else "baly-bias-7"
    parsed = ParsedFile(FORMAT)
    for line, row in rows:
        locator = row.get("source_url") or row.get("source_url_normalized")
        if not locator:
            parsed.skipped.append(f"line {line}: no source_url")
            continue
        values = {"bias": (row.get("bias", ""), bias_scale), "factuality": (row.get("fact", ""), "baly-fact-3")}
        ref = row.get("ref", "")
        parsed.entries.append(
            RawEntry(
                key=row.get("source_url_normalized") or locator,
                rater="baly",
                name=None,
                locator=locator,
                values={k: v for k, v in values.items() if v[0]},
                slug=slug_name(ref) if ref else None,
                detail={"MBFC page": ref} if ref else {},
            )
        )
    return parsed

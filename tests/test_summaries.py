"""Story summaries stay bounded: a story of hundreds of reports is summarised from a spread sample of them."""

from __future__ import annotations

import pytest

from crosscheck import Settings
from crosscheck.clustering.evidence import spread
from crosscheck.summaries.sentences import CACHED_CHARS, split_sentences
from crosscheck.summaries.story import MAX_SUMMARY_REPORTS, Member, summarize


def _member(n: int) -> Member:
    text = (
        f"Harbour workers in port number {n} walked out on Monday over a pay offer. "
        f"The strike at port {n} halted ferries to the islands for a second day running. "
        "Union leaders said the talks with the harbour authority would resume on Thursday morning."
    )
    return Member(n, f"Port {n} strike", False, text, False)


@pytest.mark.parametrize(("size", "limit"), [(0, 5), (3, 5), (5, 5), (6, 5), (100, 40), (359, 40), (7, 2)])
def test_spread_keeps_order_ends_and_limit(size: int, limit: int) -> None:
    members = [_member(n) for n in range(size)]
    chosen = spread(members, limit)
    assert len(chosen) == min(size, limit)
    assert [m.article_id for m in chosen] == sorted({m.article_id for m in chosen})  # in order, no repeats
    if size:
        assert chosen[0] is members[0] and chosen[-1] is members[-1]


def test_a_large_story_cites_only_sampled_reports() -> None:
    members = [_member(n) for n in range(300)]
    sampled = {m.article_id for m in spread(members, MAX_SUMMARY_REPORTS)}
    summary = summarize(members, [], Settings())
    assert summary.bullets
    cited = {a for bullet in summary.bullets for a in bullet.article_ids}
    assert cited and cited <= sampled


@pytest.mark.parametrize("repeat", [3, CACHED_CHARS // 20])  # a short text is cached, a long one is not
def test_sentences_are_the_same_each_time_whatever_callers_do_with_them(repeat: int) -> None:
    text = "Allies met in The Hague. They agreed on 5%.\n" * repeat
    first = split_sentences(text, limit=4)
    first.append("changed by a caller")
    assert split_sentences(text, limit=4) == ["Allies met in The Hague.", "They agreed on 5%."] * 2

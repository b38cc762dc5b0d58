"""Headlines and bullets without page furniture: labels, programme names, captions, credits, markup, disclaimers;
and bullets of a story over several days carry their report's day."""

from __future__ import annotations

import pytest

from crosscheck.settings import Settings
from crosscheck.summaries.furniture import clean_sentence, clean_title, is_furniture_title, strip_markup
from crosscheck.summaries.headline import TitleCandidate, choose_headline
from crosscheck.summaries.story import Member, summarize


@pytest.mark.parametrize(
    "sentence",
    [
        "## Finland is already one of the top countries in NATO funding",
        "[Image caption] Algemeen Dagblad (Rotterdam, The Netherlands): “Trump and Rutte can look back on a summit",
        "CLOSE One teachers union president is turning on Education Secretary Betsy DeVos",
        "More:With Nike ad campaign, Colin Kaepernick can take activism to all-world level",
        "The opinions expressed by columnists are their own and do not represent the views of Townhall.com.",
        "| Alex Wong/Getty Images Tax At-risk House Republicans say no to new tax bill",
        "In this Jan. 30, 2003 file photo Republican state Rep. Jim Knoblach attends a meeting in St. Paul.",
        "From left: Mike Espy, state Sen. Chris McDaniel and U.S. Sen. Cindy Hyde-Smith (Photo: AP)",
        '.@BetsyDeVosED "Let me be clear: I have no intention of taking any action concerning firearms',
        "Enlarge this image toggle caption Mark Wilson/Getty Images",
        "This is a rush transcript. Copy may not be in its final form.",
    ],
)
def test_furniture_sentences_are_dropped(sentence: str) -> None:
    assert clean_sentence(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("In Tampere, the party's mayoral candidate was **Kalervo Kummola**.", "In Tampere, the party's mayoral "
                                                                              "candidate was Kalervo Kummola."),
        ("Read the [full report](https://example.org/r) on the budget here today.", "Read the full report on the "
                                                                                   "budget here today."),
        ("Close to 200 people died in the floods, officials said on Monday.", None),
        ("More people voted than in any midterm election since 1966, the count shows.", None),
        ("Photos show the damage the typhoon did to the coast of Guangdong province.", None),
    ],
)  # fmt: skip
def test_news_sentences_are_kept_without_markup(sentence: str, kept: str | None) -> None:
    assert clean_sentence(sentence) == (kept or sentence)


def test_strip_markup_keeps_the_words() -> None:
    assert strip_markup("***Both*** `code` and __under__ [a](http://x.example/y)") == "Both code and under a"


@pytest.mark.parametrize(
    ("title", "cleaned", "opinion", "furniture"),
    [
        ("OPINION: Truths to Treat Trump Derangement Syndrome", "Truths to Treat Trump Derangement Syndrome", True,
         False),
        ("Analysis | Why the hearing went wrong for the nominee", "Why the hearing went wrong for the nominee", False,
         False),
        ("Radio | News week in plain Finnish | Saturday 28.6.2025", None, False, True),
        ("TV | Clear News | Wednesday 18.6.2025", None, False, True),
        ("Read the full text of Christine Blasey Ford's opening statement", None, False, True),
        ("Full text: the minister's speech to parliament", None, False, True),
        ("SENATE PASSES THE BUDGET BILL", None, False, True),
        ("Senate passes budget bill | Politics", "Senate passes budget bill", False, False),
    ],
)  # fmt: skip
def test_titles_lose_labels_and_furniture_is_told(title: str, cleaned: str | None, opinion: bool,
                                                   furniture: bool) -> None:  # fmt: skip
    text, labelled = clean_title(title)
    assert (text, labelled) == (cleaned or title, opinion)
    assert is_furniture_title(text) is furniture


def _candidate(title: str, lead: str, derived: bool = False) -> TitleCandidate:
    return TitleCandidate(title, derived, lead)


def test_the_headline_is_a_news_title_not_a_programme_or_a_full_text() -> None:
    lead = "NATO leaders agreed on Wednesday to raise defence spending to five percent of GDP by 2035."
    candidates = [
        _candidate("Radio | News week in plain Finnish | Saturday 28.6.2025", "The topic of the week is NATO.", True),
        _candidate("Read the full text of the summit declaration", lead),
        _candidate("OPINION: NATO's new target is a fantasy", lead),
        _candidate("NATO allies agree to raise defence spending to 5% of GDP", lead),
    ]
    assert choose_headline(candidates) == "NATO allies agree to raise defence spending to 5% of GDP"


def test_an_opinion_only_story_keeps_its_title_without_the_label() -> None:
    assert choose_headline([_candidate("OPINION: Censure Dianne Feinstein", "The senator must be censured.")]) == (
        "Censure Dianne Feinstein"
    )


def test_when_every_title_is_furniture_the_lead_gives_the_headline() -> None:
    lead = "## NATO summit\n\nFirst, news from abroad.\n\nThe NATO summit begins in The Hague on Tuesday with talks."
    headline = choose_headline([_candidate("TV | Clear News | Tuesday 24.6.2025", lead, True)])
    assert headline == "The NATO summit begins in The Hague on Tuesday with talks"


def test_bullets_carry_their_reports_day_when_the_story_spans_days() -> None:
    texts = [
        "The committee will hear the nominee and his accuser on Thursday in a public session of the Senate.",
        "The nominee denied every allegation before the committee in a long and angry opening statement on Monday.",
    ]
    members = [Member(n, f"Hearing report {n}", False, texts[n], False, f"2018-09-2{n + 4}") for n in range(2)]
    bullets = summarize(members, [], Settings()).bullets
    assert {b.day for b in bullets} == {"2018-09-24", "2018-09-25"}
    same_day = [Member(n, f"Hearing report {n}", False, texts[n], False, "2018-09-24") for n in range(2)]
    assert all(b.day is None for b in summarize(same_day, [], Settings()).bullets)


def test_a_short_title_is_still_a_headline_but_one_word_is_not() -> None:
    assert not is_furniture_title("Indoctrination Saturation")
    assert is_furniture_title("Breaking")

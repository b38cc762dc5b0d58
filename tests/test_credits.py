"""Photo credits and caption controls: one detector (:mod:`crosscheck.credits`) for figure extraction, which
blanks them, and summaries, which leave out a sentence holding one. Lines seen in the abp corpus and the seeds."""

from __future__ import annotations

import pytest

from crosscheck.claims.nlp import pipeline
from crosscheck.claims.windows import wanted
from crosscheck.credits import blank_credits, credit_spans, has_credit, is_credit_name, is_gallery_caption
from crosscheck.summaries.furniture import clean_sentence

CREDITS = [  # (line, the credits found in it)
    ("Saul Loeb/AFP/Getty Images", ["Saul Loeb/AFP/Getty Images"]),  # a photographer's name, then the agencies
    ("Photo: Carolyn Kaster/AP", ["Photo: Carolyn Kaster/AP"]),
    ("Photographer: Andrew Harrer/Bloomberg", ["Photographer: Andrew Harrer/Bloomberg"]),
    ("Win McNamee/Pool via REUTERS/File Photo", ["Win McNamee/Pool"]),
    ("M.Scott Mahaskey/POLITICO", ["M.Scott Mahaskey/POLITICO"]),
    ("AP Photo/Evan Vucci", ["AP Photo/Evan Vucci"]),  # an agency's own credit
    ("(AP Photo/Jacquelyn Martin, File)", ["AP Photo/Jacquelyn Martin, File"]),
    ("Image copyright Getty Images", ["Getty Images"]),
    ("Reuters photo: Joshua Roberts", ["Reuters photo: Joshua Roberts"]),
    ("Crowds in Brussels (Photo: Reuters)", ["(Photo: Reuters)"]),  # a parenthesis opened by the word
    ("(Credit: US Navy/Handout/via Reuters)", ["(Credit: US Navy/Handout/via Reuters)"]),
    ("Enlarge this image toggle caption", ["Enlarge this image", "toggle caption"]),  # a caption's buttons
]
NEWS = [
    "Getty said profits rose 5% in the quarter.",
    "The AP reported that 12 people died in the storm.",
    "Reuters photographers were among the journalists detained.",
    "In the Des Moines Register/Bloomberg poll, Ben Carson placed third at 13 percent.",
    "A Reuters/Ipsos poll found that 40% of Americans approve.",
    "Photos show the damage the typhoon did to the coast of Guangdong province.",
    "Service between Kansas City and Overland Park resumes on Monday.",
    "The White House said the President would sign the bill.",
]


@pytest.mark.parametrize(("line", "found"), CREDITS)
def test_credits_and_caption_controls_are_found_whole(line: str, found: list[str]) -> None:
    assert [line[start:end] for start, end in credit_spans(line)] == found
    assert has_credit(line)
    assert clean_sentence(line) is None  # the summaries leave the sentence out


@pytest.mark.parametrize("sentence", NEWS)
def test_news_naming_an_agency_is_no_credit(sentence: str) -> None:
    assert not has_credit(sentence)
    assert blank_credits(sentence) == sentence
    assert clean_sentence(sentence) == sentence


def test_a_credit_glued_to_the_next_sentence_is_blanked_keeping_every_offset() -> None:
    text = "Enlarge this image toggle caption Saul Loeb/AFP/Getty Images Equifax will pay up to $700 million."
    blanked = blank_credits(text)
    assert len(blanked) == len(text)
    assert blanked.strip() == "Equifax will pay up to $700 million."
    assert blanked.index("Equifax") == text.index("Equifax")


def test_a_poll_named_by_its_partners_is_no_credit_but_a_credit_after_it_is() -> None:
    text = "said the Des Moines Register/Bloomberg poll Kevin Lamarque/Reuters"
    assert [text[start:end] for start, end in credit_spans(text)] == ["Kevin Lamarque/Reuters"]


GALLERY = [  # (sentence, whether it is a gallery's caption)
    ("Hide Caption 2 of 24 Photos: New Year's 2017 celebrations around the world People watch fireworks.", True),
    ("hide caption 11 of 12 Photos: Politicians in hot water Former U.S. Rep. Randy Cunningham was sentenced.", True),
    ("3 of 9 photos: The storm's aftermath in Houston.", True),
    ("Three of the 9 photos show the storm's aftermath.", False),  # a sentence about photos, no counter
    ("Two of 24 officers were injured, police said.", False),
    ("The governor vetoed 2 of 24 bills on Friday.", False),
]


@pytest.mark.parametrize(("sentence", "gallery"), GALLERY)
def test_a_gallery_caption_is_left_out_of_summaries_and_figures(sentence: str, gallery: bool) -> None:
    assert is_gallery_caption(sentence) is gallery
    assert (clean_sentence(sentence) is None) is gallery
    assert wanted(sentence, quotes=False) is not gallery


@pytest.mark.parametrize(
    ("sentence", "name", "credit"),
    [
        ("Lee Moo-ryul/Newsis via AP said nothing.", "Lee Moo-ryul", True),  # beside a slash: a photographer
        ("A Getty Images photo showed the crowd.", "Getty Images", True),
        ("Carolyn Kaster said the vote was close.", "Carolyn Kaster", False),
    ],
)
def test_a_name_beside_a_slash_or_holding_photo_is_a_credit(sentence: str, name: str, credit: bool) -> None:
    [entity] = [e for e in pipeline()(sentence).ents if e.text == name]
    assert is_credit_name(entity) is credit

"""Photo credits and caption controls in article text: "Saul Loeb/AFP/Getty Images", "AP Photo/Evan Vucci",
"(Photo: Reuters)", "Photographer: Andrew Harrer/Bloomberg", "Enlarge this image", "toggle caption".

Pages saved as text keep them among the sentences, often glued to the next one. A credit names nobody the
article is about, so figure extraction blanks them (:func:`credit_spans`) and summaries leave out any sentence
holding one (:func:`has_credit`): one detector for both. A credit is a person's name before an agency's
("Name/AFP"), an agency's name before "Photo" or "Images", a parenthesis opened by "Photo:" or "Credit:", or a
caption's button; "Getty said profits rose" or "the Des Moines Register/Bloomberg poll" is news. A gallery's
caption, counter first ("Hide Caption 2 of 24 Photos: …"), is left out whole by both (:func:`is_gallery_caption`).
What the patterns leave, a parser's name beside a slash or holding "Photo" (:func:`is_credit_name`), is no subject
or speaker either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

AGENCIES = frozenset(
    {"AFP", "AP", "Getty", "Images", "Reuters", "EPA", "EPA-EFE", "Bloomberg", "Pool", "Sipa", "Shutterstock",
     "Xinhua", "Anadolu", "NurPhoto", "UPI", "Redux", "Polaris", "ZUMA", "Zuma", "POLITICO"}
)  # fmt: skip
"""The agencies and pools a photo is credited to, as the words after a photographer's name and a slash."""

_NAME = r"[A-Z][\w'.-]+"
_CREDIT = re.compile(
    # "AP Photo/Evan Vucci, File", "Getty Images", "Reuters photo: Joshua Roberts": an agency's own credit
    r"(?i:\b(?:AP|AFP|EPA|Getty|Reuters|Shutterstock)\s(?:Images|Photo)\b)"
    rf"(?:/{_NAME}(?:\s{_NAME}){{0,2}}(?:,\sFile)?|:\s*{_NAME}(?:\s{_NAME}){{0,2}})?"
    # "(Photo: AP)", "(Credit: US Navy/Handout/via Reuters)"
    r"|(?i:\((?:photo|image|credit|illustration)s?:)[^()]{0,80}\)?"
    # "Saul Loeb/AFP/Getty Images", "Photo: Carolyn Kaster/AP": a person's name, then what may be agencies
    rf"|(?P<byline>(?:Photo(?:graph(?:er)?)?:\s*)?\b{_NAME}(?:\s{_NAME}){{1,2}}"
    r"(?:/[A-Z][\w&.-]*(?:\sImages)?(?:\s(?:via\s)?Getty Images)?)+)"
    # "… Mahaskey/POLITICO" after a name the pattern above does not take
    r"|(?i:/(?:AP|AFP|EPA|Getty Images|Reuters|POLITICO))\b"
    # the buttons of a caption ("Hide Caption 3 of 9 Photos: …", a gallery's, is a whole caption:
    # :func:`is_gallery_caption`)
    r"|\b(?:(?i:Enlarge this image|toggle caption)|hide caption)\b"
)
_POLL = re.compile(r"\s+(?:poll|survey)\b", re.IGNORECASE)
# Words of a name the parser found that make it a credit ("Getty Images", "Photo Reuters").
_CREDIT_WORDS = frozenset({"getty", "images", "photo", "photos", "shutterstock", "photograph", "photographer"})
# A photo gallery's counter: "Hide Caption 3 of 9 Photos: <gallery title> <the next photo's caption>".
_GALLERY = re.compile(r"\b(?:hide\s+caption\s+)?\d+\s+of\s+\d+\s+photos?\s*:", re.IGNORECASE)


def credit_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each photo credit or caption control in ``text``, in order, not overlapping."""
    position = 0
    while match := _CREDIT.search(text, position):
        if match.group("byline") is None or _credits_an_agency(match.group(0), text, match.end()):
            yield match.span()
            position = match.end()
        else:  # a name and a slash, not a credit; what follows the slash may still hold one
            position = match.start() + match.group(0).index("/")


def is_gallery_caption(sentence: str) -> bool:
    """Whether a sentence is a photo gallery's caption, counter first ("Hide Caption 2 of 24 Photos: New Year's
    celebrations around the world People watch…"): about other photos and days than the article's news."""
    return _GALLERY.search(sentence) is not None


def has_credit(text: str) -> bool:
    """Whether ``text`` (a sentence, say) holds a photo credit or a caption control."""
    return next(credit_spans(text), None) is not None


def blank_credits(text: str) -> str:
    """``text`` with every credit replaced by spaces, so that every other character keeps its offset."""
    parts: list[str] = []
    done = 0
    for start, end in credit_spans(text):
        parts += [text[done:start], " " * (end - start)]
        done = end
    return "".join([*parts, text[done:]])


def is_credit_name(name: Any) -> bool:
    """Whether a name the parser found (a spaCy entity span) is a credit the patterns above did not take: it
    holds "Photo" or "Getty", or it is a person's beside a slash ("Lee Moo-ryul/Newsis via AP", a link's
    "https://t.co/…")."""
    if {t.lower_ for t in name} & _CREDIT_WORDS:
        return True
    doc = name.doc
    around = [doc[i] for i in (name.start - 1, name.end) if 0 <= i < len(doc)]
    return bool(name.label_ == "PERSON" and (any(t.text == "/" for t in around) or "/" in name.text))


def _credits_an_agency(byline: str, text: str, end: int) -> bool:
    """Whether a name-slash run credits an agency ("Saul Loeb/AFP/Getty Images"), rather than naming a poll's
    partners ("the Des Moines Register/Bloomberg poll") or something else with a slash."""
    agencies = {word.strip(".,;:") for word in re.split(r"[/\s]+", byline.split("/", 1)[-1])} & AGENCIES
    return bool(agencies) and not _POLL.match(text, end)

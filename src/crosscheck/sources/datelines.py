"""The outlet a wire dateline credits: "WASHINGTON (AP) —", "LONDON (Reuters) -", "PARIS, June 3 (AFP) -",
"(CNN) —", "BRUSSELS — (Reuters)", "Brussels, Apr 4 (AP) European allies…".

Wire copy saved as plain text often states no outlet, yet its opening line names the agency it came from. Only
an opening dateline counts: one that starts the text, or a line of it, within its first 200 characters (a byline
may come first), where a place (capitalised words, an optional date) or nothing stands before the agency's mark
in brackets, and the sentence goes on after it on the same line. "(AP)" further down and a caption ending "(AP)"
on a line of its own credit a photo or a quote, not the article; a photo credit ("AP Photo/Evan Vucci", "(Photo:
Reuters)", see :mod:`crosscheck.credits`) never holds a mark alone in brackets, so it credits nobody either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CREDITED_NOTE = "credited in the dateline"
DATELINE_REACH = 200  # characters of the text in which the opening dateline must start
_DATELINE_LENGTH = 120  # enough for the longest place, date and mark after that start


@dataclass(frozen=True)
class Agency:
    """An agency or outlet a dateline can credit: the name and domain the rater and owner files use."""

    name: str
    domain: str


_AP = Agency("Associated Press", "apnews.com")
_REUTERS = Agency("Reuters", "reuters.com")
_CNN = Agency("CNN", "cnn.com")
# The mark in brackets → the agency. Marks are matched exactly (case too: "(PA)" is PA Media, "(Pa.)" is not).
AGENCIES: dict[str, Agency] = {
    "AP": _AP, "Associated Press": _AP, "The Associated Press": _AP,
    "Reuters": _REUTERS, "Reuters Health": _REUTERS, "Reuters Breakingviews": _REUTERS,
    "AFP": Agency("AFP", "afp.com"),
    "CNN": _CNN, "CNN Business": _CNN, "CNNMoney": _CNN, "CNN Politics": _CNN,
    "Bloomberg": Agency("Bloomberg News", "bloomberg.com"),
    "UPI": Agency("United Press International", "upi.com"),
    "dpa": Agency("dpa", "dpa.com"), "DPA": Agency("dpa", "dpa.com"),
    "PA": Agency("PA Media", "pa.media"), "PA Media": Agency("PA Media", "pa.media"),
    "Xinhua": Agency("Xinhua News Agency", "xinhuanet.com"),
    "Kyodo": Agency("Kyodo News", "kyodonews.net"),
    "Yonhap": Agency("Yonhap News Agency", "yna.co.kr"),
    "TASS": Agency("TASS", "tass.com"),
    "EFE": Agency("EFE", "efe.com"),
    "ANSA": Agency("ANSA", "ansa.it"),
    "Anadolu": Agency("Anadolu Agency", "aa.com.tr"), "AA": Agency("Anadolu Agency", "aa.com.tr"),
    "AAP": Agency("Australian Associated Press", "aap.com.au"),
    "CP": Agency("The Canadian Press", "thecanadianpress.com"),
    "PTI": Agency("Press Trust of India", "ptinews.com"),
    "ANI": Agency("ANI", "aninews.in"),
    "CBS News": Agency("CBS News", "cbsnews.com"), "CBS": Agency("CBS News", "cbsnews.com"),
}  # fmt: skip

_MARK = "|".join(re.escape(mark) for mark in sorted(AGENCIES, key=len, reverse=True))
_WORD = r"[A-Z][\w.'’-]*"  # a capitalised word of a place: "BRUSSELS", "Kyiv", "N.Y.", "D.C."
# "NEW YORK", "KYIV, Ukraine", "Washington, D.C.", "WASHINGTON/RIYADH"
_PLACE = rf"{_WORD}(?:(?:,?[ \t]+|/){_WORD}){{0,5}}"
_DATE = r"[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?"  # "Apr 4", "June 3", "Sept. 3, 2025"
_DASH = r"(?:-{1,2}|[–—_:])"
_DATELINE = re.compile(
    rf"(?:^|\n)[ \t]*(?:{_PLACE}(?:,[ \t]*{_DATE})?[ \t]*(?:{_DASH}[ \t]*)?)?"
    rf"\((?P<mark>{_MARK})\)"
    rf"(?:[ \t]*{_DASH}|[ \t]+(?=\S))"  # the sentence goes on on the same line
)


def dateline_agency(text: str) -> Agency | None:
    """The agency the opening dateline of ``text`` credits, or None when it opens with none."""
    match = _DATELINE.search(text[: DATELINE_REACH + _DATELINE_LENGTH])
    if match is None or match.start() >= DATELINE_REACH:
        return None
    return AGENCIES[match.group("mark")]

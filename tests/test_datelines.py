"""Wire copy that names no outlet is credited to the agency its opening dateline names, with a note saying so;
anything else that looks like an agency's mark (a photo credit, "(AP)" further down, a caption) credits nobody,
and a stated outlet is never replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.sources import UNKNOWN_OUTLET, Outlet, outlet_for
from crosscheck.sources.datelines import CREDITED_NOTE, dateline_agency
from crosscheck.web.app import create_app

LEAD = "European NATO allies and Canada on Friday said they are willing to ramp up defence spending."
FILLER = "Allies met in Brussels on Friday and talked about the budget for a long time. " * 3


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        pytest.param(f"Brussels, Apr 4 (AP) {LEAD}", "apnews.com", id="place and date, then the mark and the lead"),
        pytest.param(f"WASHINGTON (AP) — {LEAD}", "apnews.com", id="place in capitals, mark, em dash"),
        pytest.param(f"LONDON (Reuters) - {LEAD}", "reuters.com", id="Reuters with a hyphen"),
        pytest.param(f"PARIS, June 3 (AFP) - {LEAD}", "afp.com", id="AFP with a full month name"),
        pytest.param(f"(CNN) — {LEAD}", "cnn.com", id="the mark alone opening the text"),
        pytest.param(f"BRUSSELS — (Reuters) {LEAD}", "reuters.com", id="the dash before the mark"),
        pytest.param(f"KYIV, Ukraine (AP) — {LEAD}", "apnews.com", id="place with its country"),
        pytest.param(f"CHARLOTTE, N.C. (AP) — {LEAD}", "apnews.com", id="place with an abbreviated state"),
        pytest.param(f"WASHINGTON/RIYADH (Reuters) - {LEAD}", "reuters.com", id="two places joined by a slash"),
        pytest.param(f"WASHINGTON, Sept. 3, 2025 (Reuters) - {LEAD}", "reuters.com", id="date with a year"),
        pytest.param(f"NEW YORK (CNNMoney) -- {LEAD}", "cnn.com", id="an outlet's section mark, double hyphen"),
        pytest.param(f"BEIJING, March 5 (Xinhua) -- {LEAD}", "xinhuanet.com", id="Xinhua"),
        pytest.param(f"BERLIN (dpa) - {LEAD}", "dpa.com", id="dpa in lower case"),
        pytest.param(f"(Bloomberg) -- {LEAD}", "bloomberg.com", id="Bloomberg alone"),
        pytest.param(f"WASHINGTON (UPI) -- {LEAD}", "upi.com", id="UPI"),
        pytest.param(f"LONDON (PA) - {LEAD}", "pa.media", id="PA Media's short mark"),
        pytest.param(
            f"By ZEKE MILLER and LISA MASCARO\n\nWASHINGTON (AP) — {LEAD}",
            "apnews.com",
            id="a byline line before the dateline",
        ),
        pytest.param(f"AP Photo/Evan Vucci\n{LEAD}", None, id="a photo credit is no dateline"),
        pytest.param(f"(AP Photo/Evan Vucci) {LEAD}", None, id="a bracketed photo credit is no dateline"),
        pytest.param(f"Photo: Carolyn Kaster/AP\n{LEAD}", None, id="a photographer's credit"),
        pytest.param(f"{FILLER}\n\n" * 9 + f"WASHINGTON (AP) — {LEAD}", None, id="(AP) in the 10th paragraph"),
        pytest.param(f"{FILLER}{FILLER}\nWASHINGTON (AP) — {LEAD}", None, id="a dateline past 200 characters"),
        pytest.param(
            f"Margaret Thatcher at the conference in 1989 (Reuters)\n{LEAD}",
            None,
            id="a caption ending with the agency on a line of its own",
        ),
        pytest.param(f"President Trump (AP)\n{LEAD}", None, id="a name and a credit with nothing after them"),
        pytest.param(f"The senators told (AP) reporters that {LEAD}", None, id="a mark inside a sentence"),
        pytest.param(f"SCRANTON (Pa.) — {LEAD}", None, id="a state's abbreviation is no agency"),
        pytest.param(f"WASHINGTON — {LEAD}", None, id="a dateline that credits nobody"),
        pytest.param(f"WASHINGTON (APTN) — {LEAD}", None, id="an unknown mark"),
    ],
)
def test_the_opening_dateline_credits_its_agency(text: str, credited: str | None) -> None:
    agency = dateline_agency(text)
    assert (agency.domain if agency else None) == credited
    outlet = outlet_for(None, None, text)
    if credited is None:
        assert outlet == Outlet(None, UNKNOWN_OUTLET)
    else:
        assert (outlet.domain, outlet.note) == (credited, CREDITED_NOTE) and outlet.known


def test_a_stated_outlet_is_never_replaced_by_the_dateline() -> None:
    text = f"WASHINGTON (AP) — {LEAD}"
    assert outlet_for(None, "Washington Times", text) == Outlet(None, "Washington Times")
    assert outlet_for("https://www.washingtontimes.com/news/x", None, text) == Outlet(
        "washingtontimes.com", "washingtontimes.com"
    )
    assert outlet_for("https://www.cbn.com/x", "CBN", text).note is None
    assert outlet_for(None, None, text) == Outlet("apnews.com", "Associated Press", CREDITED_NOTE)


def test_an_ingested_wire_text_is_credited_to_its_agency_with_a_note(tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    inputs.mkdir()
    body = (" European NATO allies and Canada on Friday said they are willing to ramp up defence spending but are"
            " cool on US demands for the size of their military budgets.\n\nUS allies have spent billions of dollars"
            " more on defense since the full-scale invasion of Ukraine three years ago.\n")  # fmt: skip
    (inputs / "wire.txt").write_text(f" date 2025-04-04 Brussels, Apr 4 (AP){body}", encoding="utf-8")
    stated = "date 2025-04-05\nsource Washington Times\n\nWASHINGTON (AP) — The Senate voted on Saturday to pass"
    (inputs / "stated.txt").write_text(stated + " a bill on the budget of the armed forces after a long debate.\n",
                                       encoding="utf-8")  # fmt: skip
    path = tmp_path / "x.db"
    with Store(path) as store:
        pipeline_factory(store).ingest([str(inputs)])
        rows = {r.external_id: r for r in store.reader.iter_articles()}
    wire, kept = rows["wire.txt"], rows["stated.txt"]
    assert (wire.outlet, wire.outlet_domain, wire.note) == ("Associated Press", "apnews.com", CREDITED_NOTE)
    assert (kept.outlet, kept.outlet_domain, kept.note) == ("Washington Times", None, None)
    with TestClient(create_app(path)) as client:
        html = client.get(f"/articles/{wire.id}").text
    assert "Associated Press, credited in the dateline" in html

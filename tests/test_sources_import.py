"""Importing rater files: format detection, each importer, updates in place, name matching, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosscheck import Store
from crosscheck.errors import InputError
from crosscheck.sources.importers import date_in_name, detect_format, parse_file
from crosscheck.sources.registry import import_file, remove_source, source_id_of
from crosscheck.storage import ratings as db
from sources_data import MBFC, OWN_CSV, build_rated_db, write_rater_files


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return write_rater_files(tmp_path / "raters")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("mbfc", "mbfc"), ("allsides", "allsides"), ("allsides_recent", "allsides"), ("baly", "baly"),
     ("localnews", "localnews"), ("crosscheck", "crosscheck")],
)  # fmt: skip
def test_format_is_detected_from_content(files: dict[str, Path], name: str, fmt: str) -> None:
    assert detect_format(files[name].read_text(encoding="utf-8")) == fmt


def test_unknown_layouts_are_refused_clearly() -> None:
    with pytest.raises(InputError, match="cannot tell the format"):
        detect_format("title,body\na,b\n")
    with pytest.raises(InputError, match="unknown JSON layout"):
        detect_format('[{"name": "x"}]')


def test_dates_come_from_file_or_folder_names() -> None:
    assert date_in_name(Path("ratings/mbfc-2025-12.json")) == "2025-12"
    assert date_in_name(Path("baly-acl2020/corpus.tsv")) == "2020"
    assert date_in_name(Path("baly-emnlp18/corpus.tsv")) is None
    assert source_id_of(Path("/data/baly-acl2020/corpus.tsv")) == "baly-acl2020/corpus.tsv"


def test_importers_read_every_rater_with_its_scale(files: dict[str, Path]) -> None:
    mbfc = parse_file(files["mbfc"], fmt=None, max_bytes=10**6)
    assert mbfc.entries[0].values["factuality"] == ("5", "mbfc-factual-6")
    assert mbfc.entries[0].slug == "harbor ledger"
    assert "country" not in mbfc.entries[-1].values  # "Unknown" is no country
    allsides = parse_file(files["allsides"], fmt=None, max_bytes=10**6)
    assert [e.name for e in allsides.entries][:2] == ["Harbor Ledger", "Harbor Ledger - Editorial"]
    assert any("Jane Columnist: an author, not an outlet" in s for s in allsides.skipped)
    recent = parse_file(files["allsides_recent"], fmt=None, max_bytes=10**6)
    assert recent.entries[0].locator == "https://www.valleytimes.example/"
    baly = parse_file(files["baly"], fmt=None, max_bytes=10**6)
    assert baly.entries[1].values["bias"] == ("extreme-right", "baly-bias-7")
    local = parse_file(files["localnews"], fmt=None, max_bytes=10**6)
    assert local.entries[0].values["owner"] == ("Summit Media Group", "text")
    assert local.entries[0].rated_on == "2018-08-02"
    assert "no website or domain" in local.skipped[0]


def test_three_step_baly_files_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "corpus.tsv"
    path.write_text("source_url\tsource_url_normalized\tref\tfact\tbias\nhttp://a.example\ta.example\t\thigh\tleft\n")
    assert parse_file(path, fmt=None, max_bytes=10**6).entries[0].values["bias"] == ("left", "baly-bias-3")


def test_own_csv_rows_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "domain,bias,factuality,date,rater\n"
        "good.example,lean left,5,2024,me\n"
        "bad.example,far left,,,\n"
        "dated.example,left,,June 2024,\n"
        ",left,,,\n"
        "empty.example,,,,\n"
        "rater.example,left,,,Not A Rater!\n",
        encoding="utf-8",
    )
    parsed = parse_file(path, fmt=None, max_bytes=10**6)
    assert [e.locator for e in parsed.entries] == ["good.example"]
    assert parsed.entries[0].rater == "me"
    reasons = " | ".join(parsed.skipped)
    for expected in ("'far left' is not a value", "is not YYYY", "no domain", "no rating, owner", "short name"):
        assert expected in reasons
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("domain,stance\nx.example,left\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown column"):
        parse_file(bad_header, fmt=None, max_bytes=10**6)


def test_files_over_the_size_limit_are_refused(files: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="limit"):
        parse_file(files["mbfc"], fmt=None, max_bytes=10)


def test_import_reports_and_names_are_matched_to_domains(tmp_path: Path) -> None:
    built = build_rated_db(tmp_path)
    with Store(built.path) as store:
        rows = {(r[0], r[1]): (r[2], r[3]) for r in store.conn.execute(
            "SELECT source_id, name, domain, resolved_by FROM rating_entries WHERE name IS NOT NULL")}  # fmt: skip
    assert rows[("raters/allsides-2019-10.csv", "Harbor Ledger")] == (
        "harborledger.example", "articles' outlet name “harborledger”")  # fmt: skip
    assert rows[("raters/allsides-2019-10.csv", "Ridge Post")][0] == "ridgepost.example"
    assert rows[("raters/allsides-2019-10.csv", "Nowhere Gazette")] == (None, None)
    assert rows[("raters/allsides-recent.csv", "ABC News (Online)")] == ("go.com", "address")


def test_reimporting_updates_in_place(tmp_path: Path) -> None:
    raters = tmp_path / "raters"
    files = write_rater_files(raters)
    with Store(tmp_path / "db.db") as store:
        first = import_file(store, files["mbfc"])
        assert (first.added, first.updated, first.removed) == (5, 0, 0)
        assert first.rated_on == "2025-12" and "item 6: no URL" not in first.skipped
        changed = [dict(MBFC[0], **{"Objective Reporting": 2}), *MBFC[2:5]]
        files["mbfc"].write_text(json.dumps(changed), encoding="utf-8")
        again = import_file(store, files["mbfc"])
        assert (again.added, again.updated, again.removed) == (0, 4, 1)
        entries = db.entries(store.conn, domains=["harborledger.example"])
        assert [e.values["factuality"].common for e in entries] == ["low"]
        assert len(db.sources(store.conn)) == 1
        assert remove_source(store, "raters/mbfc-2025-12.json")
        assert not remove_source(store, "raters/mbfc-2025-12.json")
        assert db.registry_size(store.conn) == 0


def test_name_resolution_does_not_depend_on_import_order(tmp_path: Path) -> None:
    files = write_rater_files(tmp_path / "raters")
    results = []
    for order in (["allsides", "allsides_recent", "mbfc"], ["mbfc", "allsides_recent", "allsides"]):
        with Store(tmp_path / f"{order[0]}.db") as store:
            for name in order:
                import_file(store, files[name])
            rows = store.conn.execute("SELECT name, domain FROM rating_entries WHERE name IS NOT NULL")
            results.append(sorted((r[0], r[1] or "") for r in rows))
    assert results[0] == results[1]


def test_own_csv_aliases_name_outlets(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(OWN_CSV, encoding="utf-8")
    with Store(tmp_path / "db.db") as store:
        report = import_file(store, path)
        assert report.entries == 3 and report.rated_on is None
        names = {r[0] for r in store.conn.execute("SELECT name FROM outlet_aliases WHERE domain = 'yle.fi'")}
    assert names == {"Yle News", "Yle", "Yle Uutiset"}

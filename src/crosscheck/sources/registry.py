"""The outlet registry's write side: importing rater files into the database, in place.

Each file is one *source* identified by ``<folder>/<file name>``; importing it again replaces its entries
(updating those with the same key, adding new ones, deleting those gone) in one transaction. After every
import, entries known only by name are matched to domains again (:func:`crosscheck.sources.resolve.resolve_names`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.settings import Settings
from crosscheck.sources.importers import RawEntry, date_in_name, parse_file
from crosscheck.sources.importers.csvformat import FORMAT as CROSSCHECK_FORMAT
from crosscheck.sources.names import name_key, scope_of, split_name
from crosscheck.sources.naming import name_outlets
from crosscheck.sources.resolve import resolve_names
from crosscheck.sources.scales import SCALES, TEXT_SCALE, ScaleError, clean_text_value
from crosscheck.storage import Store
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import AliasRow, NewEntry, RatingValue

# A home-page address with one of these single path segments covers the whole outlet (theguardian.com/us).
HOME_SEGMENTS = frozenset({"index", "home", "default", "en", "us", "uk", "intl", "international", "edition"})
# The shared research data's rater files (relative to ../shared) and the dates their names do not give.
SHARED_RATER_FILES: tuple[tuple[str, str | None], ...] = (
    ("data/ratings/mbfc-2025-12.json", None),
    ("data/ratings/allsides-2019-10.csv", None),
    ("data/ratings/allsides-recent.csv", None),
    ("data/ratings/baly-emnlp18/corpus.tsv", "2018"),
    ("data/ratings/baly-acl2020/corpus.tsv", "2020"),
    ("data/ratings/local-news-2018/local_news_dataset_2018.csv", None),
    ("data/ratings/owners-2025.csv", None),
)


@dataclass
class ImportReport:
    """What one import did."""

    source_id: str
    format: str
    rated_on: str | None
    added: int = 0
    updated: int = 0
    removed: int = 0
    with_domain: int = 0
    by_name: int = 0
    unresolved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return self.added + self.updated


def _now() -> str:
    # Microseconds: the time of an import is also what tells cached coverage that the ratings changed.
    return datetime.now(UTC).isoformat()


def source_id_of(path: Path) -> str:
    """A file's identity as a source: its folder's name and its own (``baly-acl2020/corpus.tsv``)."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _path_scope(segments: tuple[str, ...], domain: str) -> str:
    if len(segments) == 1 and (segments[0] in HOME_SEGMENTS or segments[0] == domain.split(".", 1)[0]):
        return ""
    return "/".join(segments)


def _values(raw: RawEntry) -> list[RatingValue]:
    values = []
    for dimension, (value, scale) in raw.values.items():
        if scale == TEXT_SCALE:
            text = clean_text_value(value)
            if text:
                values.append(RatingValue(dimension, text, scale, text))
        else:
            values.append(RatingValue(dimension, value, scale, SCALES[scale].common(value)))
    return values


def new_entry(raw: RawEntry, file_date: str | None) -> NewEntry:
    """The stored form of an importer's entry: its scope, section and values on the common scales.

    Raises ScaleError for a value its scale does not know and InputError for an address that names no domain.
    """
    scope = scope_of(raw.locator) if raw.locator else None
    if raw.locator and scope is None and not raw.name:
        raise InputError(f"{raw.locator!r} names no domain")
    named_opinion = bool(raw.name and split_name(raw.name).section == "opinion")
    opinion = raw.opinion or named_opinion or bool(scope and scope.opinion)
    path = _path_scope(scope.path, scope.domain) if scope and not opinion else ""
    return NewEntry(
        key=raw.key[:500],
        rater=raw.rater,
        name=raw.name,
        name_key=name_key(raw.name) if raw.name else None,
        domain=scope.domain if scope else None,
        host=scope.host if scope else None,
        path=path,
        section="opinion" if opinion else "main",
        resolved_by="address" if scope else None,
        rated_on=raw.rated_on or file_date,
        detail=raw.detail,
        values=_values(raw),
    )


def _aliases(raw: RawEntry, entry: NewEntry, fmt: str) -> list[AliasRow]:
    """The names an entry with an address teaches: its own, its aliases and its MBFC page name."""
    if entry.domain is None or entry.host is None:
        return []
    kind = "alias" if fmt == CROSSCHECK_FORMAT else "name"
    names = [(split_name(raw.name).base, kind)] if raw.name else []
    names += [(a, "alias") for a in raw.aliases]
    if raw.slug:
        names.append((raw.slug, "slug"))
    found = [AliasRow(name_key(n), n, entry.domain, entry.host, k, entry.rater) for n, k in names]
    return [a for a in found if a.key]


def import_file(store: Store, path: Path, *, fmt: str | None = None, rated_on: str | None = None,
                settings: Settings | None = None) -> ImportReport:  # fmt: skip
    """Import (or re-import) one rater file; the format is detected when ``fmt`` is None, the date taken from
    ``rated_on``, else from a year or year-month in the file's or folder's name."""
    limits = settings or Settings()
    parsed = parse_file(path, fmt=fmt, max_bytes=limits.max_input_bytes)
    source_id = source_id_of(path)
    report = ImportReport(source_id, parsed.format, rated_on or date_in_name(path), skipped=list(parsed.skipped))
    with store.transaction() as conn:
        db.upsert_source(conn, source_id, path=str(path), fmt=parsed.format, rated_on=report.rated_on, now=_now())
        keep: set[int] = set()
        aliases: list[AliasRow] = []
        for raw in parsed.entries:
            try:
                entry = new_entry(raw, report.rated_on)
            except (ScaleError, InputError) as exc:
                report.skipped.append(f"{raw.name or raw.locator or raw.key}: {exc}")
                continue
            entry_id, created = db.upsert_entry(conn, source_id, entry)
            if entry_id in keep:
                report.skipped.append(f"{raw.name or raw.key}: repeats an earlier entry; the last one is kept")
                continue
            keep.add(entry_id)
            report.added += created
            report.updated += not created
            aliases.extend(_aliases(raw, entry, parsed.format))
        report.removed = db.delete_entries_except(conn, source_id, keep)
        db.replace_aliases(conn, source_id, aliases)
        name_outlets(conn, resolve_names(conn))
        _count_matches(conn, report)
    return report


def _count_matches(conn: Connection, report: ImportReport) -> None:
    rows = db.source_entries(conn, report.source_id)
    report.with_domain = sum(1 for _, domain, _ in rows if domain)
    report.by_name = sum(1 for _, domain, how in rows if domain and how != "address")
    report.unresolved = sorted(str(name) for name, domain, _ in rows if not domain)


def remove_source(store: Store, source_id: str) -> bool:
    """Forget an imported file (its entries, values and aliases); False when it was never imported."""
    with store.transaction() as conn:
        removed = db.delete_source(conn, source_id)
        if removed:
            name_outlets(conn, resolve_names(conn))
    return removed


def shared_rater_files(shared: Path) -> list[tuple[Path, str | None]]:
    """The shared research data's rater files that exist, with the dates their names do not give."""
    return [(shared / rel, date) for rel, date in SHARED_RATER_FILES if (shared / rel).is_file()]


def import_shared(store: Store, shared: Path) -> list[ImportReport]:
    """Import every rater file of the shared research data."""
    return [import_file(store, path, rated_on=date) for path, date in shared_rater_files(shared)]

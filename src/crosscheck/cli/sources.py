"""``crosscheck sources …`` (the outlet registry) and ``crosscheck blindspots``.

Every command mirrors a library call: sources.registry.import_file, sources.profile.outlet_summaries and
outlet_profile, sources.coverage.story_coverage, sources.blindspot.blindspots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.cli.render import print_table
from crosscheck.cli.state import open_reader, state
from crosscheck.errors import InputError
from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessment, Assessor
from crosscheck.sources.blindspot import blindspots
from crosscheck.sources.coverage import Coverage, all_coverage, story_coverage
from crosscheck.sources.importers import FORMATS
from crosscheck.sources.profile import normalise_domain, outlet_profile, outlet_summaries
from crosscheck.sources.raters import rater_name
from crosscheck.sources.registry import ImportReport, import_file, remove_source
from crosscheck.storage import Reader, Store
from crosscheck.storage import ratings as db
from crosscheck.storage.database import DatabaseTarget

app = typer.Typer(help="Outlets: import rater files, list outlets and their ratings.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()
SHOWN = 8  # names or reasons listed before "… and N more"


def _db() -> DatabaseTarget:
    return state.db  # the global --db option, parsed by the main callback


def _reader() -> Reader:
    return open_reader()


def _rating(a: Assessment, dimension: str) -> str:
    value = a.values.get(dimension)
    if value is None:
        return "unrated"
    spread = a.spreads.get(dimension)
    return f"{value} (raters {spread} apart)" if spread else value


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" … and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _print_import(report: ImportReport) -> None:
    out.print(
        f"[bold]{escape(report.source_id)}[/bold] ({report.format}, rated {report.rated_on or 'undated'}): "
        f"{report.added} added, {report.updated} updated, {report.removed} removed; "
        f"{report.with_domain} of {report.entries} matched to a domain ({report.by_name} by name)"
    )
    if report.unresolved:
        out.print(f"  {len(report.unresolved)} known by name only: {escape(_some(report.unresolved))}")
    if report.skipped:
        out.print(f"  {len(report.skipped)} skipped: {escape(_some(report.skipped))}")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Rater files (MBFC JSON, AllSides CSV, Baly TSV, …).")],
    fmt: Annotated[str | None, typer.Option("--format", help=f"One of {', '.join(FORMATS)} (default: detect).")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the ratings (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
) -> None:
    """Import rater files; importing a file again updates it in place. Exit 1 when a file failed."""
    if fmt is not None and fmt not in FORMATS:
        console.print(f"[red]unknown format {escape(fmt)}[/red]: choose from {', '.join(FORMATS)}")
        raise typer.Exit(2)
    failed = False
    with Store(_db()) as store:
        for path in files:
            try:
                _print_import(import_file(store, path, fmt=fmt, rated_on=date, settings=Settings.from_env()))
            except (InputError, OSError) as exc:
                console.print(f"error {escape(str(path))}: {escape(str(exc))}")
                failed = True
    if failed:
        raise typer.Exit(1)


@app.command("files")
def files_() -> None:
    """List the imported rater files."""
    rows = [(s.id, s.format, s.rated_on or "undated", str(s.entries), str(s.resolved), s.imported_at, s.path)
            for s in db.sources(_reader().conn)]  # fmt: skip
    print_table(out, ("source", "format", "rated", "entries", "with domain", "imported at", "from"), rows)


@app.command("remove")
def remove(source: Annotated[str, typer.Argument(help="Source id, as `sources files` lists it.")]) -> None:
    """Forget an imported rater file."""
    with Store(_db()) as store:
        if not remove_source(store, source):
            console.print(f"[red]no imported file {escape(source)}[/red]")
            raise typer.Exit(2)
    out.print(f"removed {escape(source)}")


@app.command("list")
def list_(limit: Annotated[int, typer.Option(help="How many outlets.", min=0)] = 50) -> None:
    """Outlets of the stored articles, most articles first, with their combined ratings."""
    rows = [
        (o.name, o.domain or "–", str(o.articles), _rating(o.assessment, "bias"), _rating(o.assessment, "factuality"),
         o.assessment.owner or "unknown", o.assessment.values.get("country") or "unknown")
        for o in outlet_summaries(_reader().conn)[:limit]
    ]  # fmt: skip
    print_table(out, ("outlet", "domain", "articles", "bias", "factuality", "owner", "country"), rows)


@app.command("show")
def show(domain: Annotated[str, typer.Argument(help="Domain, host or URL of the outlet.")]) -> None:
    """One outlet: names, every rater's rating with its scale, date and file, the combined values, articles."""
    key = normalise_domain(domain)
    reader = _reader()
    profile = outlet_profile(reader.conn, key) if key else None
    if profile is None or not profile.known:
        console.print(f"[red]no outlet {escape(domain)}[/red] in the rater files or the articles")
        raise typer.Exit(2)
    a = profile.assessment
    out.print(f"[bold]{escape(profile.domain)}[/bold]  {escape(', '.join(profile.names))}")
    for dimension in ("bias", "factuality", "credibility", "owner", "owner_kind", "parent", "country"):
        why = a.reasons.get(dimension)
        shown = _rating(a, dimension) if a.values.get(dimension) else f"unknown: {why}"
        out.print(f"  {dimension.replace('_', ' ')}: {escape(shown)}")
    if a.ownership and a.ownership.sources:
        out.print(f"  ownership source: {escape(', '.join(a.ownership.sources))}")
    rows = [
        (v.rater_name, v.dimension, v.value, v.scale, v.common or "not on scale", v.rated_on or "undated",
         ", ".join(v.sources), "yes" if v.counted else "no (derived)")
        for v in a.votes
    ]  # fmt: skip
    columns = ("rater", "dimension", "rater's value", "scale", "crosscheck scale", "date", "file", "counted")
    print_table(out, columns, rows, title="Ratings by rater (the outlet as a whole)")
    sections = [e for e in profile.entries if e.path or e.section != "main" or e.host != profile.domain]
    for e in sections:
        scope = f"{e.host or profile.domain}/{e.path}" if e.path else (e.host or profile.domain)
        values = ", ".join(f"{d} {v.value}" for d, v in e.values.items())
        out.print(f"  section {escape(scope)} ({e.section}) by {escape(rater_name(e.rater))}: {escape(values)}")
    out.print(f"{profile.article_count} articles in this database; stories: "
              + escape(", ".join(f"{i} {h[:50]}" for i, h in profile.stories[:10]) or "none"))  # fmt: skip


def print_coverage(coverage: Coverage, headline: str) -> None:
    """A story's coverage details in the terminal."""
    out.print(f"[bold]{escape(headline)}[/bold]  (story {coverage.story_id})")
    if coverage.registry_empty:
        out.print("Not rated: no rater files imported yet (crosscheck sources import FILE).")
        return
    for name, dist in coverage.distributions.items():
        parts = ", ".join(f"{k} {n} ({share:.0%})" for k, n, share in dist.rows())
        out.print(f"  {name.replace('_', ' ')}: {escape(parts)}")
    for side, items in coverage.sides().items():
        titles = "; ".join(f"[{a.number}] {a.article.title}" for a in items[:5]) or "none"
        out.print(f"  {side}: {escape(titles)}")
    for item, why in coverage.unrated():
        out.print(f"  unrated [{item.number}] {escape(item.article.outlet)}: {escape(why)}")


@app.command("coverage")
def coverage(story_id: Annotated[int, typer.Argument(help="Story id.")]) -> None:
    """A story's coverage: bias, factuality, owners, countries, the unrated and why, side by side."""
    reader = _reader()
    target = reader.resolve_story_id(story_id)
    record = reader.story(target)
    if record is None or record.article_count == 0:
        console.print(f"[red]no story {story_id}[/red]")
        raise typer.Exit(2)
    print_coverage(story_coverage(reader.conn, target), record.headline)


def blindspots_command(limit: Annotated[int, typer.Option(help="How many blindspots.", min=0)] = 30) -> None:
    """Stories one side largely missed (the rule is in docs/ratings.md; thresholds are settings)."""
    reader = _reader()
    settings = Settings.from_env()
    base, found = blindspots(all_coverage(reader.conn, Assessor(reader.conn)), settings)
    out.print(
        f"Base rates over {base.reports} rated independent reports: left {base.left:.0%}, right {base.right:.0%}. "
        f"Rule: ≥ {settings.blindspot_min_rated_reports} rated reports, a side's share ≤ "
        f"{settings.blindspot_max_share_ratio} × its base rate, chance ≤ {settings.blindspot_max_probability}."
    )
    headlines = db.story_headlines(reader.conn, [b.story_id for b in found])
    if not found:
        out.print("No blindspots by this rule.")
        return
    rows = []
    for b in found[:limit]:
        counts = {b.missing: b.missing_reports, b.covered_by: b.other_reports}
        rows.append((str(b.story_id), headlines.get(b.story_id, ""), f"the {b.missing}", str(b.rated_reports),
                     str(counts["left"]), str(counts["right"]), f"{b.probability:.3f}",
                     "low" if b.low_factuality else ""))  # fmt: skip
    columns = ("story", "headline", "blindspot for", "rated reports", "left", "right", "chance", "factuality")
    print_table(out, columns, rows)

"""Terminal rendering of story lists, story pages and search results (all article text printed as plain text).

On a terminal each list is a rich table. When standard output is not a terminal (a pipe or a file) the same lists
are plain tab-separated lines, a header line first, every value whole: a table sized to an assumed width would cut
or fold them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from crosscheck.claims.ledger import LedgerRow, Variant
from crosscheck.sources.assess import Assessor
from crosscheck.sources.coverage import SIDES, Coverage, story_coverage
from crosscheck.storage import Reader, SearchHit, StoryRecord
from crosscheck.story_view import StoryView

Row = Sequence[str | Text]


def _dates(story: StoryRecord) -> str:
    if not story.first_seen:
        return "undated"
    return story.first_seen if story.first_seen == story.last_seen else f"{story.first_seen} – {story.last_seen}"


def _cell(value: str | Text) -> str:
    """A value as one tab-separated field: tabs and line breaks become spaces."""
    return " ".join(str(value).replace("\t", " ").splitlines())


def print_line(console: Console, text: str | Text) -> None:
    """One line of text as it is (never read as markup; not wrapped when output is not a terminal)."""
    if console.is_terminal:
        console.print(text if isinstance(text, Text) else Text(text))
    else:
        console.file.write(f"{text}\n")


def print_table(console: Console, columns: Sequence[str], rows: Iterable[Row], *, title: str | None = None) -> None:
    """Rows as a rich table on a terminal, else as tab-separated lines under a header line."""
    if not console.is_terminal:
        for row in (columns, *rows):
            console.file.write("\t".join(_cell(v) for v in row) + "\n")  # rich would expand the tabs
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold", justify="right" if column in {"articles", "reports"} else "left")
    for row in rows:
        table.add_row(*(v if isinstance(v, Text) else Text(v) for v in row))
    console.print(table)


def lean_line(coverage: Coverage) -> str:
    """A story's independent reports by the lean of their outlets, e.g. ``L 3 · C 5 · R 1 · unrated 2``."""
    sides = coverage.sides()
    unrated = len(coverage.reports) - sum(len(reports) for reports in sides.values())
    text = " · ".join(f"{side[0].upper()} {len(sides[side])}" for side in SIDES)
    return text + (f" · unrated {unrated}" if unrated else "")


def print_stories(console: Console, reader: Reader, stories: list[StoryRecord]) -> None:
    """A table of stories: id, headline, lean of their independent reports, counts, dates."""
    assessor = Assessor(reader.conn)
    rows = [
        (str(s.id), s.headline, lean_line(story_coverage(reader.conn, s.id, assessor)), str(s.article_count),
         str(s.report_count), str(s.outlet_count), _dates(s))
        for s in stories
    ]  # fmt: skip
    print_table(console, ("id", "headline", "lean", "articles", "reports", "outlets", "dates"), rows)


def _lean(view: StoryView) -> str:
    """The independent reports by side and by bias rating (only the ratings they have), or why there are none."""
    if view.coverage.registry_empty:
        return "Lean: unknown, no rater files are imported (`crosscheck sources import`)"
    counts = view.coverage.distributions["bias_by_report"].counts
    ratings = " · ".join(f"{rating} {n}" for rating, n in counts.items() if n)
    return f"Lean of the independent reports: {lean_line(view.coverage)}; by rating: {ratings}"


def print_story(console: Console, view: StoryView) -> None:
    """The story page: headline, bullets with citations, counts, lean, articles, entities, other developments."""
    story = view.record
    number = {a.record.id: a.number for a in view.articles}
    print_line(console, Text.assemble((story.headline, "bold"), f"  (story {story.id})"))
    for bullet in story.bullets:
        cites = "".join(f"[{number[i]}]" for i in bullet.article_ids if i in number)
        day = f"{bullet.day}: " if bullet.day else ""
        print_line(console, f"  • {day}{bullet.text} {cites}")
    print_line(console, "")
    print_line(
        console,
        f"{_count(story.article_count, 'article')} · {_count(story.report_count, 'independent report')} · "
        f"{_count(story.outlet_count, 'outlet')} · first seen {story.first_seen or 'undated'} · "
        f"latest article {story.last_seen or 'undated'}",
    )
    print_line(console, _lean(view))
    if view.blindspot:
        print_line(console, f"Blindspot: the {view.blindspot.missing} largely missed this story")
    rows = [
        (str(a.number), a.record.published or "undated", a.record.outlet, a.assessment.bias or "unrated",
         a.record.title, _copy_note(a.record.duplicate_kind, a.record.duplicate_of, number))
        for a in view.articles
    ]  # fmt: skip
    print_table(console, ("#", "date", "outlet", "lean", "title", "note"), rows, title="Articles")
    if view.ledger:
        print_table(console, ("subject", "figure", "kind", "reports", "stated by", "check"), _ledger(view),
                    title="Figures (disagreements first)")  # fmt: skip
    if view.entities:
        entities = ", ".join(f"{e.name} ({e.label}, {e.articles})" for e in view.entities[:15])
        print_line(console, f"Entities: {entities}")
    if story.why:
        print_line(console, "Why these belong together: " + "; ".join(story.why))
    for development in view.developments:
        span = development.first_seen or "undated"
        if development.last_seen and development.last_seen != span:
            span += f" – {development.last_seen}"
        headline = development.headline or f"Story {development.id}"
        print_line(console, f"Other development: {headline} (story {development.id}, {span})")


def _ledger(view: StoryView) -> list[Row]:
    """One line per ledger row: its values side by side, who states each, and how it checks."""
    rows: list[Row] = []
    for row in view.ledger:
        values = " vs ".join(_variant(row, v) for v in row.variants)
        if row.what:
            values += f" {row.what}"
        if row.kind == "reported" and row.period:
            values += f" ({row.period})"
        stated = (
            "; ".join(f"{_variant(row, v)}: {', '.join(v.outlets)}" for v in row.variants)
            if len(row.variants) > 1
            else (", ".join(row.variants[0].outlets) if row.variants else "")
        )
        checks = [f"disputed ({'deadline' if row.disagreement == 'period' else 'value'})"] if row.disagreement else []
        checks += ["withdrawn"] if row.withdrawn else (["single source"] if row.single_source else [])
        checks += [v.reference.text for v in row.variants if v.reference is not None]
        rows.append((row.subject, values, row.kind, str(row.reports), stated, "; ".join(checks)))
    return rows


def _variant(row: LedgerRow, variant: Variant) -> str:
    """A value of a ledger row, with its deadline when the row is a target or forecast ("3% of GDP by 2034")."""
    return variant.label + (f" by {variant.period}" if row.kind != "reported" and variant.period else "")


def _copy_note(kind: str | None, original: int | None, number: dict[int, int]) -> str:
    return f"{kind} copy of #{number.get(original, original)}" if original else ""


def _snippet(hit: SearchHit) -> Text:
    text = Text(hit.snippet)
    for start, end in hit.matches:
        text.stylize("bold yellow", start, end)
    return text


def print_hits(console: Console, hits: list[SearchHit]) -> None:
    """Search results: article id, date, outlet, title, story id and the snippet (matches highlighted)."""
    rows = [
        (str(h.article.id), h.article.published or "undated", h.article.outlet, h.article.title,
         str(h.article.story_id or ""), _snippet(h))
        for h in hits
    ]  # fmt: skip
    print_table(console, ("article", "date", "outlet", "title", "story", "snippet"), rows)


def _count(n: int, noun: str) -> str:
    """``1 outlet``, ``3 outlets``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"

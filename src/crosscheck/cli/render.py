"""Terminal rendering of story lists and story pages with rich (all article text printed as plain text)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crosscheck.entities.canonical import story_entities
from crosscheck.storage import Reader, StoryRecord


def _dates(story: StoryRecord) -> str:
    if not story.first_seen:
        return "undated"
    return story.first_seen if story.first_seen == story.last_seen else f"{story.first_seen} – {story.last_seen}"


def print_stories(console: Console, stories: list[StoryRecord]) -> None:
    """A table of stories: id, headline, counts, dates."""
    table = Table(show_lines=False)
    for column in ("id", "headline", "articles", "reports", "outlets", "dates"):
        table.add_column(column, overflow="fold", justify="right" if column in {"articles", "reports"} else "left")
    for s in stories:
        table.add_row(
            str(s.id),
            escape(s.headline),
            str(s.article_count),
            str(s.report_count),
            str(s.outlet_count),
            _dates(s),
        )
    console.print(table)


def print_story(console: Console, reader: Reader, story: StoryRecord) -> None:
    """The story page: headline, bullets with citations, counts, dates, articles, entities."""
    articles = reader.story_articles(story.id)
    number = {a.id: i for i, a in enumerate(articles, start=1)}
    console.print(f"[bold]{escape(story.headline)}[/bold]  (story {story.id})")
    for bullet in story.bullets:
        cites = "".join(f"[{number[i]}]" for i in bullet.article_ids if i in number)
        day = f"{bullet.day}: " if bullet.day else ""
        console.print(f"  • {escape(day + bullet.text)} {escape(cites)}")
    console.print(
        f"\n{story.article_count} articles · {story.report_count} independent reports · "
        f"{story.outlet_count} outlets · first seen {story.first_seen or 'undated'} · "
        f"last updated {story.last_seen or 'undated'}"
    )
    table = Table(title="Articles")
    for column in ("#", "date", "outlet", "title", "note"):
        table.add_column(column, overflow="fold")
    for a in articles:
        note = (
            f"{a.duplicate_kind} copy of #{number.get(a.duplicate_of or 0, a.duplicate_of)}" if a.duplicate_of else ""
        )
        table.add_row(str(number[a.id]), a.published or "undated", escape(a.outlet), escape(a.title), note)
    console.print(table)
    entities = story_entities(reader, story.id, limit=15)
    if entities:
        console.print("Entities: " + escape(", ".join(f"{e.name} ({e.label}, {e.articles})" for e in entities)))
    if story.why:
        console.print("Why these belong together: " + escape(", ".join(story.why)))
    for development in reader.story_developments(story.id):
        span = development.first_seen or "undated"
        if development.last_seen and development.last_seen != span:
            span += f" – {development.last_seen}"
        headline = development.headline or f"Story {development.id}"
        console.print(f"Other development: {escape(headline)} (story {development.id}, {span})")

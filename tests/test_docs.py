"""Documentation must keep up with the code: every setting, every command and subcommand, and every option of
each is described."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from crosscheck.cli.main import app
from crosscheck.settings import RANGES, Settings, range_text

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_default_and_range() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        row = f"| `{field.name}` | `{field.default}` | "
        assert row in page, f"docs/settings.md lacks {field.name}"
        if field.name in RANGES:
            assert f"{row}{range_text(field.name)} |" in page, f"docs/settings.md lacks the range of {field.name}"
        assert field.metadata["doc"], f"{field.name} has no docstring"


def test_a_range_reads_as_people_write_numbers() -> None:
    assert range_text("near_duplicate_threshold") == "0 to 1"
    assert range_text("fetch_timeout") == "0.001 to 3,600"
    assert range_text("max_input_bytes") == "1 to 1,099,511,627,776"


def _cli_page() -> str:
    return (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


Command = Any  # typer's click command or group (typer ships its own copy of click)


def _walk(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command of the CLI with its path of names, groups included (the root's path is empty)."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


COMMANDS = [(path, command) for path, command in _walk(typer.main.get_command(app)) if path]
LEAVES = [" ".join(path) for path, command in COMMANDS if not hasattr(command, "commands")]
OPTIONS = [
    (" ".join(path), name)
    for path, command in _walk(typer.main.get_command(app))
    for parameter in command.params
    if parameter.param_type_name == "option" and not getattr(parameter, "hidden", False)
    for name in (*parameter.opts, *parameter.secondary_opts)
    if name.startswith("--")
]


def _section(command: str) -> str:
    """The part of docs/cli.md about ``crosscheck COMMAND`` (for the root, the text before the first command)."""
    page = _cli_page()
    if not command:
        return page.split("\n## ", 1)[0]
    heading = re.search(rf"^## `crosscheck {re.escape(command)}\b[^`]*`.*$", page, re.MULTILINE)
    if heading is None:
        return ""
    rest = page[heading.end() :]
    following = re.search(r"^## ", rest, re.MULTILINE)
    return heading.group(0) + (rest[: following.start()] if following else rest)


def test_the_walk_finds_subcommands_and_their_options() -> None:
    assert {"ingest", "sources import", "feeds add", "reference import"} <= set(LEAVES)
    assert {("", "--db"), ("export", "--output"), ("demo", "--no-serve"), ("feeds add", "--every")} <= set(OPTIONS)


@pytest.mark.parametrize("command", LEAVES)
def test_every_command_is_documented(command: str) -> None:
    assert _section(command), f"docs/cli.md has no section headed `crosscheck {command}`"


@pytest.mark.parametrize(("command", "option"), OPTIONS)
def test_every_option_is_documented_in_its_command_section(command: str, option: str) -> None:
    section = _section(command)
    where = f"the section of `crosscheck {command}`" if command else "the opening of docs/cli.md"
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section), f"{where} does not mention {option}"


def test_readme_opens_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.DOTALL)
    first = [line for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert first == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_settings_from_environment() -> None:
    settings = Settings.from_env({"CROSSCHECK_STORY_THRESHOLD": "0.7", "CROSSCHECK_MAX_BULLETS": "4"})
    assert settings.story_threshold == 0.7
    assert settings.max_bullets == 4
    with pytest.raises(ValueError, match="CROSSCHECK_MAX_BULLETS"):
        Settings.from_env({"CROSSCHECK_MAX_BULLETS": "many"})

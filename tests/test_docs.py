"""Documentation must keep up with the code: every setting and every command is described."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import typer.main

from crosscheck.cli.main import app
from crosscheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_default() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        assert f"| `{field.name}` | `{field.default}` |" in page, f"docs/settings.md lacks {field.name}"
        assert field.metadata["doc"], f"{field.name} has no docstring"


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command: str) -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^## `crosscheck [^`]*\b{command}\b", page, re.MULTILINE), f"docs/cli.md lacks {command}"


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

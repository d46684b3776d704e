"""Every CLI command is documented in the README and answers --help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from garant.cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, ...]]:
    root = get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.append(path)

    walk(root, ())
    return found


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p))
def test_command_is_documented_and_has_help(path: tuple[str, ...]) -> None:
    assert f"garant {' '.join(path)}" in README
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Utilisation" in result.output

"""`garant` alone and `garant tui`: open the TUI on the workspace, or offer to create one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from garant.cli.main import app


def test_garant_alone_outside_a_workspace_offers_one_and_refusing_changes_nothing(
    tmp_path: Path,
) -> None:
    result = CliRunner().invoke(app, [], input="n\n")
    assert result.exit_code == 2
    assert "Créer un espace de travail ici ?" in result.output
    assert not (tmp_path / "garant.toml").exists()


def test_accepting_the_offer_creates_the_workspace_with_the_init_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []

    class FakeApp:
        def __init__(self, root: Path) -> None:
            self.root = root

        def run(self) -> None:
            opened.append(self.root)

    monkeypatch.setattr("garant.tui.app.make_app", lambda workspace, **_: FakeApp(workspace.root))
    result = CliRunner().invoke(app, ["tui"], input="y\nVille de Test\ncollectivite\n")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "garant.toml").is_file()
    assert (tmp_path / "policies" / "politique.yaml").is_file()
    assert opened == [tmp_path.resolve()]

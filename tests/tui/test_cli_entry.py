"""`garant` alone and `garant tui`: open the TUI on the workspace, or offer to create one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from garant.cli.entry import TuiLaunch, parse_tui_launch, run
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


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], TuiLaunch()),
        (["-w", "ws"], TuiLaunch(workspace=Path("ws"))),
        (["--workspace=ws", "--lang", "en", "tui"], TuiLaunch(workspace=Path("ws"), lang="en")),
        (["tui", "--as", "claire", "--plain"], TuiLaunch(actor="claire", plain=True)),
        (["tui", "--as=claire"], TuiLaunch(actor="claire")),
    ],
)
def test_tui_launches_are_recognised_without_the_cli(argv: list[str], expected: TuiLaunch) -> None:
    assert parse_tui_launch(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["tui", "--help"],
        ["--version"],
        ["runs", "list"],
        ["-w"],
        ["-w=ws"],
        ["--lang", "de"],
        ["--plain"],
        ["tui", "-w", "ws"],
        ["tui", "tui"],
    ],
)
def test_everything_else_is_left_to_the_typer_cli(argv: list[str]) -> None:
    assert parse_tui_launch(argv) is None


def test_entry_hands_other_commands_to_the_cli(
    workspace_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["garant", "--version"])
    with pytest.raises(SystemExit) as exit_:
        run()
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("garant ")


def test_plain_option_and_setting_open_the_tui_in_plain_mode(
    workspace_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[bool] = []

    class FakeApp:
        def __init__(self, plain: bool) -> None:
            self.plain = plain

        def run(self) -> None:
            opened.append(self.plain)

    monkeypatch.setattr(
        "garant.tui.app.make_app", lambda workspace, plain=None, **_: FakeApp(bool(plain))
    )
    monkeypatch.setattr("sys.argv", ["garant", "-w", str(workspace_root), "tui", "--plain"])
    run()
    result = CliRunner().invoke(app, ["-w", str(workspace_root), "tui", "--plain"])
    assert result.exit_code == 0, result.output
    assert opened == [True, True]

"""Issue 12.5: every export a reader receives can be verified — ``transcript export`` in each
format and ``registry export`` write the hash (inside the Markdown, in a ``.sha256`` beside every
file, in the ledger) and ``garant document verify FILE`` says CONFORME; a changed copy fails."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from test_transcription_audited import VTT, transcription_workspace  # noqa: F401  (fixture)
from typer.testing import CliRunner

from garant.analyses.transcription.audited import run_transcription
from garant.cli.main import app
from garant.workspace import Workspace

runner = CliRunner()


@pytest.fixture
def imported_run(transcription_workspace: Workspace, tmp_path: Path) -> str:  # noqa: F811
    source = tmp_path / "reunion.vtt"
    source.write_text(VTT, encoding="utf-8")
    return run_transcription(
        transcription_workspace,
        source,
        use="transcription",
        operator="claire-martin",
        backend="import",
        pseudonymisation_mode="patterns",
    ).run_id


@pytest.mark.parametrize("fmt", ["md", "vtt", "srt", "txt", "json"])
def test_transcript_export_is_verified_conforme_and_a_change_is_caught(
    transcription_workspace: Workspace,  # noqa: F811
    imported_run: str,
    tmp_path: Path,
    fmt: str,
) -> None:
    root = str(transcription_workspace.root)
    target = tmp_path / f"compte-rendu.{fmt}"
    written = runner.invoke(
        app, ["-w", root, "transcript", "export", imported_run, "--format", fmt, "-o", str(target)]
    )
    assert written.exit_code == 0, written.output
    verified = runner.invoke(app, ["-w", root, "document", "verify", str(target)])
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("CONFORME")
    target.write_text(target.read_text(encoding="utf-8") + "ajout\n", encoding="utf-8")
    changed = runner.invoke(app, ["-w", root, "document", "verify", str(target)])
    assert changed.exit_code == 1 and "NON CONFORME" in changed.stdout


@pytest.mark.parametrize(("kind", "fmt"), [("art30", "md"), ("inventory", "csv"), ("uses", "json")])
def test_registry_export_is_verified_conforme(
    transcription_workspace: Workspace,  # noqa: F811
    tmp_path: Path,
    kind: str,
    fmt: str,
) -> None:
    root = str(transcription_workspace.root)
    target = tmp_path / f"registre.{fmt}"
    written = runner.invoke(
        app, ["-w", root, "registry", "export", "--kind", kind, "--format", fmt, "-o", str(target)]
    )
    assert written.exit_code == 0, written.output
    verified = runner.invoke(app, ["-w", root, "document", "verify", str(target)])
    assert verified.exit_code == 0, verified.output
    if kind == "inventory":  # the public inventory is readable by a web server
        assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_imported_transcript_is_not_attributed_to_the_use_tool(
    transcription_workspace: Workspace,  # noqa: F811
    imported_run: str,
) -> None:
    """Issue 12.10: an imported transcript was shown as made with the use's tool (Whisper)."""
    root = str(transcription_workspace.root)
    shown = runner.invoke(app, ["-w", root, "runs", "show", imported_run])
    assert shown.exit_code == 0, shown.output
    assert "non utilisé (transcription importée)" in shown.stdout
    assert "import d'une transcription existante" in shown.stdout
    label = runner.invoke(app, ["-w", root, "transcript", "show", imported_run, "--format", "md"])
    assert "Transcription importée" in label.stdout and "whisper" not in label.stdout.lower()

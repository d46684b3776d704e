"""A malformed transcript given to ``garant transcribe --backend import`` is refused before any
run starts: exit 2, the file and line named in French, no traceback, no run left behind."""

from __future__ import annotations

import json
from pathlib import Path

from test_transcription_audited import transcription_workspace  # noqa: F401  (fixture)
from typer.testing import CliRunner

from garant.cli.main import app
from garant.workspace import Workspace


def test_malformed_vtt_import_exits_2_naming_the_line_and_leaves_no_run(
    transcription_workspace: Workspace,  # noqa: F811
    tmp_path: Path,
) -> None:
    source = tmp_path / "reunion.vtt"
    source.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Jeanne Morel>Bonjour.\n\n"
        "00:00:04.500 --> 00:00:0\n<v Marc Petit>Je demande la parole.\n",
        encoding="utf-8",
    )
    root = str(transcription_workspace.root)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "-w",
            root,
            "transcribe",
            str(source),
            "--backend",
            "import",
            "--use",
            "transcription",
            "--by",
            "claire-martin",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "reunion.vtt, ligne 6 : ligne de temps invalide" in result.stderr
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["-w", root, "runs", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []

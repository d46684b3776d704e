"""Inputs are checked before a run opens; prompts can stay out of ``ps`` and shell history."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner
from workspace_support import adopt_test_policy, run_cli

from garant.cli.main import app
from garant.domain.models import AuditRun, LedgerEntry
from garant.store.engine import unit_of_work
from garant.workspace import open_workspace

runner = CliRunner()


def _registry(root: Path) -> None:
    adopt_test_policy(root)
    run_cli(
        root,
        'people add "Claire Martin"',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --access local --region local --status approved '
        "--alias hors-ligne --by claire-martin",
        'tools add "Whisper local" --key whisper-local --access local --region local '
        "--status approved --by claire-martin",
        'uses add Essai --purpose "Tester un modèle" --stage preparation --tool garant-hors-ligne '
        "--data none --status approved --by claire-martin --override Essai",
        'uses add Reunions --purpose "Transcrire" --stage animation --tool whisper-local '
        "--data personal --legal-basis public_task --status approved --by claire-martin "
        "--override Essai",
    )


def _runs_and_entries(root: Path) -> tuple[int, int]:
    workspace = open_workspace(root)
    with unit_of_work(workspace.engine) as session:
        counts = (
            len(list(session.exec(select(AuditRun)))),
            len(list(session.exec(select(LedgerEntry)))),
        )
    workspace.close()
    return counts


def test_ask_reads_the_prompt_from_a_file(workspace_root: Path, tmp_path: Path) -> None:
    _registry(workspace_root)
    question = tmp_path / "question.txt"
    question.write_text("Les habitants demandent des bancs près du tram.", encoding="utf-8")
    asked = runner.invoke(
        app,
        [
            *("-w", str(workspace_root), "ask", "essai", "--by", "claire-martin"),
            *("--prompt-file", str(question), "--json"),
        ],
    )
    assert asked.exit_code == 0, asked.stderr
    assert "bancs" in json.loads(asked.stdout)["answer"]


def test_ask_reads_the_prompt_from_standard_input(workspace_root: Path) -> None:
    _registry(workspace_root)
    asked = runner.invoke(
        app,
        ["-w", str(workspace_root), "ask", "essai", "-", "--by", "claire-martin", "--json"],
        input="Le marché du samedi est apprécié des habitants.\n",
    )
    assert asked.exit_code == 0, asked.stderr
    assert "marché" in json.loads(asked.stdout)["answer"]


def test_ask_refuses_two_prompts_or_none_and_opens_no_run(
    workspace_root: Path, tmp_path: Path
) -> None:
    _registry(workspace_root)
    before = _runs_and_entries(workspace_root)
    question = tmp_path / "question.txt"
    question.write_text("Une question.", encoding="utf-8")
    w = ["-w", str(workspace_root), "ask", "essai", "--by", "claire-martin"]
    both = runner.invoke(app, [*w, "Une autre", "--prompt-file", str(question)])
    neither = runner.invoke(app, w)
    missing = runner.invoke(app, [*w, "--prompt-file", str(tmp_path / "absente.txt")])
    empty = runner.invoke(app, [*w, "-"], input="  \n")
    for result in (both, neither, missing, empty):
        assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "une seule fois" in both.stderr and "une seule fois" in neither.stderr
    assert "absente.txt" in missing.stderr and "vide" in empty.stderr
    assert _runs_and_entries(workspace_root) == before


def test_missing_audio_file_exits_2_before_any_run(workspace_root: Path, tmp_path: Path) -> None:
    _registry(workspace_root)
    before = _runs_and_entries(workspace_root)
    result = runner.invoke(
        app,
        [
            *("-w", str(workspace_root), "transcribe", str(tmp_path / "reunion.wav")),
            *("--use", "reunions", "--by", "claire-martin"),
        ],
    )
    assert result.exit_code == 2, result.stderr
    assert "reunion.wav" in result.stderr and "introuvable" in result.stderr
    assert "aucune exécution" in result.stderr and "Traceback" not in result.stderr
    assert _runs_and_entries(workspace_root) == before

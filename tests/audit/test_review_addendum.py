"""Issue 12.10: documents stay true after a review. A run's documents are fixed (their hashes
are in the ledger), so ``runs review`` writes a dated addendum beside them, and their label
never says « en attente » without saying where a later review is recorded."""

from __future__ import annotations

import json
from pathlib import Path

from test_audit_cli import _registry
from typer.testing import CliRunner

from garant.cli.main import app

runner = CliRunner()


def _asked_run(root: Path) -> str:
    _registry(root)
    asked = runner.invoke(
        app,
        [
            "-w",
            str(root),
            "ask",
            "essai",
            "Le parc ferme trop tôt.",
            "--by",
            "claire-martin",
            "--json",
        ],
    )
    assert asked.exit_code == 0, asked.stderr
    return str(json.loads(asked.stdout)["run_id"])


def test_review_writes_a_dated_addendum_that_verifies(workspace_root: Path) -> None:
    run_id = _asked_run(workspace_root)
    folder = workspace_root / "runs" / run_id
    answer = (folder / "reponse.md").read_text(encoding="utf-8")
    reviewed = runner.invoke(
        app,
        [
            "-w",
            str(workspace_root),
            "runs",
            "review",
            run_id,
            "--by",
            "paul-lecteur",
            "--decision",
            "approve",
            "--comment",
            "Relu, conforme",
        ],
    )
    assert reviewed.exit_code == 0, reviewed.stderr
    addendum = (folder / "relecture.md").read_text(encoding="utf-8")
    assert "**Décision : relecture approuvée** par Paul Lecteur (paul-lecteur), le " in addendum
    assert "(Europe/Paris)" in addendum and "Relu, conforme" in addendum
    manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    for name, sha in manifest["outputs"].items():
        assert f"| {name} | `{sha}` |" in addendum
    for name in ("relecture.md", "relecture.pdf"):
        verified = runner.invoke(
            app, ["-w", str(workspace_root), "document", "verify", str(folder / name)]
        )
        assert verified.exit_code == 0, verified.stdout
    assert (folder / "reponse.md").read_text(encoding="utf-8") == answer  # never rewritten


def test_a_pending_label_says_where_a_later_review_is_recorded() -> None:
    from datetime import date

    from garant.audit.disclosure import DisclosureLabel

    label = DisclosureLabel(
        ai_involvement="generated",
        model="m",
        provider="p",
        produced_on=date(2026, 12, 4),
        run_id="20261204-165322-8e3072",
        output_sha256="0" * 64,
        review_state="pending",
    )
    text = label.to_text()
    assert "Relecture humaine : en attente le 04/12/2026, date de ce document" in text
    assert "l'addendum « relecture » de l'exécution 20261204-165322-8e3072" in text


def test_runs_show_lists_events_in_words_and_local_time(workspace_root: Path) -> None:
    """Issue 12.6: « #413 2026-12-04T18:23:18 gate_decision » became words and Paris time."""
    import re

    run_id = _asked_run(workspace_root)
    shown = runner.invoke(app, ["-w", str(workspace_root), "runs", "show", run_id])
    assert shown.exit_code == 0, shown.output
    assert "décision de la politique" in shown.stdout and "fin de l'exécution" in shown.stdout
    assert "gate_decision" not in shown.stdout
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", shown.stdout)

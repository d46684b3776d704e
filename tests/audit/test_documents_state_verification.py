"""``runs show`` and the transparency page run the same verification as ``audit verify``,
state it with the latest checkpoint, and show what the ledger proves rather than a forged row."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from garant.audit.run import audited_run
from garant.cli.main import app
from garant.governance.publication import publish_register
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace


def _finished_run(workspace: Workspace) -> str:
    with audited_run(
        workspace, use="affiches", kind="ask", operator="claire-martin", model_alias="hors-ligne"
    ) as run:
        answer = run.complete([ChatMessage("user", "Le tram sera prolongé.")])
        run.add_output("affiche.md", answer.text)
    return str(run.id)


def _sql(workspace: Workspace, statement: str, **values: object) -> None:
    with unit_of_work(workspace.engine) as session:
        session.connection().execute(text(statement), values)


def test_runs_show_states_the_verification_and_shows_the_ledger_review(
    audit_workspace: Workspace,
) -> None:
    run_id = _finished_run(audit_workspace)
    runner = CliRunner()
    w = ["-w", str(audit_workspace.root)]
    clean = runner.invoke(app, [*w, "runs", "show", run_id])
    assert clean.exit_code == 0, clean.stderr
    assert "Vérification du registre : intègre — " in clean.stdout
    assert "Aucun point de contrôle signé au registre" in clean.stdout

    _sql(
        audit_workspace,
        "UPDATE audit_run SET review_state = 'approved', reviewed_by = 'paul-lecteur', "
        "reviewed_at = :t WHERE id = :id",
        t=datetime.now(UTC).replace(tzinfo=None),
        id=run_id,
    )
    forged = runner.invoke(app, [*w, "runs", "show", run_id])
    assert forged.exit_code == 0, forged.stderr
    assert "✗ Vérification du registre : ALTÉRATION DÉTECTÉE — 3 anomalie(s)" in forged.stdout
    assert "paul-lecteur" not in forged.stdout.split("Relecture")[1].split("\n")[0]
    assert "champ review_state modifié hors de garant" in forged.stdout
    as_json = json.loads(runner.invoke(app, [*w, "runs", "show", run_id, "--json"]).stdout)
    assert as_json["run"]["review_state"] == "pending"
    assert not as_json["verification"]["ok"] and len(as_json["verification"]["run_findings"]) == 3


def test_transparency_page_states_the_verification_and_withholds_forged_uses(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    clean = publish_register(audit_workspace, tmp_path / "ok")
    page = clean.html.read_text(encoding="utf-8")
    assert "Vérification du registre : intègre — " in page and "Synthèse" in page
    assert "Aucun point de contrôle signé au registre" in page
    assert "intègre" in clean.verification

    _sql(audit_workspace, "UPDATE aiuse SET purpose = 'Tout autre chose' WHERE key = 'synthese'")
    forged = publish_register(audit_workspace, tmp_path / "forged")
    page = forged.html.read_text(encoding="utf-8")
    assert "Tout autre chose" not in page and "<h3" in page
    assert 'role="alert"' in page and "ALTÉRATION DÉTECTÉE" in page
    assert (
        "Usages non publiés tant que leur inscription au registre ne se vérifie pas : synthese"
        in page
    )
    data = json.loads(forged.json.read_text(encoding="utf-8"))
    assert data["withheld"] == ["synthese"] and data["verified"] is False
    assert "synthese" in forged.verification


def test_a_rewritten_chain_that_kept_its_checkpoint_event_is_caught_without_the_file(
    audit_workspace: Workspace,
) -> None:
    from sqlmodel import col, select

    from garant.audit.attestation import attest
    from garant.audit.checkpoint import create_checkpoint
    from garant.audit.ledger import write_head
    from garant.audit.run import ledger_anchor
    from garant.audit.verify import verify_workspace
    from garant.domain.models import LedgerEntry
    from garant.signing.keys import create_person_key, load_person_key
    from garant.store.chain import compute_entry_hash

    _finished_run(audit_workspace)
    create_person_key(audit_workspace, "claire-martin", "phrase 42", common_name="Claire Martin")
    point = create_checkpoint(
        audit_workspace,
        "claire-martin",
        load_person_key(audit_workspace, "claire-martin", "phrase 42"),
    )
    assert verify_workspace(audit_workspace, check_mlflow=False).ok
    with unit_of_work(audit_workspace.engine) as session:  # rewrite every hash from entry 2 on
        previous = "0" * 64
        for entry in session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))):
            if entry.seq == 2:
                entry.payload = entry.payload.replace("claire-martin", "paul-lecteur")
            if entry.seq >= 2:
                entry.prev_hash = previous
                entry.entry_hash = compute_entry_hash(
                    entry.seq, entry.run_id, entry.event, entry.payload, entry.recorded_at, previous
                )
                session.add(entry)
            previous = entry.entry_hash
    ledger_anchor(audit_workspace).unlink()
    write_head(audit_workspace.engine, ledger_anchor(audit_workspace))
    report = verify_workspace(audit_workspace, check_mlflow=False)
    assert not report.chain and not report.ok
    assert report.latest_checkpoint is not None and not report.latest_checkpoint.holds
    statement = attest(report).checkpoint_statement()
    assert f"entrée n° {point.seq}" in statement and "NE le prolonge PLUS" in statement

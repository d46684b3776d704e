"""The periodic audit report tells a compliance reviewer what ran, what was refused, what is
unreviewed, and whether the ledger is intact — for the period asked, and nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from garant.audit.ledger import write_head
from garant.audit.periodic_report import (
    TEMPLATE_NAME,
    PeriodReport,
    build_period_report,
    export_period_report,
    parse_report_date,
)
from garant.audit.policy_bridge import workspace_policy
from garant.audit.run import audited_run, ledger_anchor
from garant.audit.runs import review_run
from garant.cli.main import app
from garant.domain.enums import RoleName, ToolStatus
from garant.domain.inputs import TrainingInput
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import InputError, PolicyRefusal
from garant.governance.arbitration import decide_arbitration, open_arbitration
from garant.governance.lifecycle import acknowledge, record_approval, workspace_policy_file
from garant.governance.lookup import find_person
from garant.governance.tools import set_tool_status
from garant.governance.training import log_training
from garant.i18n import set_language
from garant.llm.types import ChatMessage
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
BUILTIN_TEMPLATE = REPO / "src" / "garant" / "audit" / "templates" / TEMPLATE_NAME

TODAY = datetime.now(UTC).date()


@dataclass(frozen=True)
class Runs:
    unreviewed: str
    reviewed: str
    refused: str


def _finished_run(workspace: Workspace, text_in: str) -> str:
    with audited_run(
        workspace, use="affiches", kind="ask", operator="claire-martin", model_alias="hors-ligne"
    ) as run:
        answer = run.complete([ChatMessage("user", text_in)])
        run.add_output("affiche.md", answer.text)
    return str(run.id)


def _refused_run(workspace: Workspace) -> str:
    with (
        pytest.raises(PolicyRefusal),
        audited_run(
            workspace, use="affiches", kind="ask", operator="paul-lecteur", model_alias="hors-ligne"
        ),
    ):
        pass  # never reached: Paul holds no role allowed to run analyses
    with unit_of_work(workspace.engine) as session:
        refused = session.exec(select(LedgerEntry).where(LedgerEntry.event == "run_refused")).one()
    return str(refused.run_id)


def _make_runs(workspace: Workspace) -> Runs:
    unreviewed = _finished_run(workspace, "La réunion publique aura lieu salle Jean Vilar.")
    reviewed = _finished_run(workspace, "Le tram sera prolongé jusqu'au parc.")
    with unit_of_work(workspace.engine) as session:
        review_run(
            session,
            reviewed,
            "paul-lecteur",
            "approve",
            "Relu, conforme",
            workspace_policy(workspace),
        )
    write_head(workspace.engine, ledger_anchor(workspace))
    return Runs(unreviewed, reviewed, _refused_run(workspace))


def _report(
    workspace: Workspace, start: date | None = None, end: date | None = None
) -> PeriodReport:
    return build_period_report(
        workspace, start or TODAY - timedelta(days=29), end or TODAY, check_mlflow=False
    )


def _markdown(workspace: Workspace, report: PeriodReport, tmp_path: Path) -> str:
    export = export_period_report(workspace, report, "md", tmp_path / "rapport.md")
    return str(export.path.read_text(encoding="utf-8"))


def test_report_lists_refusals_unreviewed_outputs_reviews_and_intact_ledger(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    runs = _make_runs(audit_workspace)
    with unit_of_work(audit_workspace.engine) as session:
        log_training(
            session,
            TrainingInput(
                person="paul-lecteur",
                module="IA générative : les bases",
                completed_on=TODAY,
                hours=3.5,
            ),
            "t",
        )
    report = _report(audit_workspace)

    assert [(c.kind, c.finished, c.refused, c.total) for c in report.run_counts] == [
        ("ask", 2, 1, 3)
    ]
    [refusal] = report.refusals
    assert refusal.run_id == runs.refused and refusal.rule == "roles.run_analyses"
    assert refusal.operator_key == "paul-lecteur" and "Paul Lecteur" in refusal.operator
    [flagged] = report.unreviewed
    assert flagged.run_id == runs.unreviewed and flagged.review_state == "pending"
    assert [(o.name, o.art50_case) for o in flagged.outputs] == [
        ("affiche.md", "disclosure_required")
    ]
    [review] = report.reviews
    assert review.run_id == runs.reviewed and review.decision == "approved"
    assert "Paul Lecteur" in review.reviewer and review.comment == "Relu, conforme"
    [use] = report.uses
    assert (use.use_key, use.runs, use.offline, use.model) == (
        "affiches",
        2,
        True,
        "offline/extractive-fr",
    )
    assert use.tool == "garant hors ligne" and "Claire Martin" in use.operator
    assert [t.module for t in report.training] == ["IA générative : les bases"]
    assert {t.key for t in report.tool_changes} >= {"garant-hors-ligne", "interdit"}
    assert report.integrity.ok and report.integrity.entries > 0 and not report.integrity.problems

    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "`roles.run_analyses`" in markdown and "Paul Lecteur (paul-lecteur)" in markdown
    assert (
        runs.unreviewed in markdown.split("## Résultats sans relecture humaine")[1].split("##")[0]
    )
    assert "mention IA obligatoire en cas de publication" in markdown
    assert "| Paul Lecteur (paul-lecteur) | approuvée | Relu, conforme |" in markdown
    assert "**Verdict : intact — aucune altération détectée.**" in markdown
    assert f"{TODAY:%d/%m/%Y}" in markdown  # dates as French readers write them


def test_rejected_run_is_flagged_with_its_reviewer(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    rejected = _finished_run(audit_workspace, "Le stade sera rénové en 2027.")
    with unit_of_work(audit_workspace.engine) as session:
        review_run(
            session,
            rejected,
            "paul-lecteur",
            "reject",
            "Chiffres inexacts",
            workspace_policy(audit_workspace),
        )
    write_head(audit_workspace.engine, ledger_anchor(audit_workspace))
    report = _report(audit_workspace)
    [flagged] = report.unreviewed
    assert flagged.run_id == rejected and flagged.review_state == "rejected"
    assert "Paul Lecteur" in flagged.reviewer
    assert [review.decision for review in report.reviews] == ["rejected"]
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "rejetée (Paul Lecteur (paul-lecteur))" in markdown


def test_tampered_ledger_row_turns_the_verdict_to_tampered(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    runs = _make_runs(audit_workspace)
    with unit_of_work(audit_workspace.engine) as session:
        entry = session.exec(select(LedgerEntry).where(LedgerEntry.run_id == runs.refused)).one()
        seq = entry.seq
        session.connection().execute(
            text("UPDATE ledger_entry SET payload = :p WHERE seq = :s"),
            {"p": json.dumps({"allowed": True}), "s": seq},
        )
    report = _report(audit_workspace)
    assert not report.integrity.ok
    assert any(
        f"n° {seq}" in problem and "modifiée" in problem for problem in report.integrity.problems
    )
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "**⚠ Verdict : ALTÉRATION DÉTECTÉE.**" in markdown and f"Entrée n° {seq}" in markdown


def test_period_filter_reads_the_ledger_start_so_a_forged_date_moves_no_run(
    audit_workspace: Workspace,
) -> None:
    runs = _make_runs(audit_workspace)
    with unit_of_work(audit_workspace.engine) as session:
        session.connection().execute(
            text("UPDATE audit_run SET started_at = :t WHERE id = :id"),
            {"t": "2025-03-10 09:30:00.000000", "id": runs.reviewed},
        )
    current = _report(audit_workspace)
    assert {runs.reviewed, runs.unreviewed, runs.refused} <= set(current.run_ids)
    assert not current.integrity.ok
    assert any("started_at" in problem for problem in current.integrity.problems)
    march = _report(audit_workspace, date(2025, 3, 10), date(2025, 3, 10))
    assert march.run_ids == () and not march.refusals and not march.unreviewed
    assert _report(audit_workspace, date(2025, 3, 11), date(2025, 3, 31)).run_ids == ()


def test_unknown_energy_is_reported_unknown_never_zero(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    _finished_run(audit_workspace, "Le marché couvert ouvrira le dimanche.")
    report = _report(audit_workspace)
    totals = report.totals
    assert totals.runs == 1 and totals.model_calls == 1 and totals.completion_tokens > 0
    assert totals.energy_kwh.total is None and totals.energy_kwh.unknown == 1
    assert totals.gwp_kgco2eq.total is None
    assert totals.cost_usd.total == 0.0 and totals.cost_usd.known == 1  # offline is truly free
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "Énergie\u00a0: inconnu (1 exécution(s) sans estimation)" in markdown
    assert "kWh" not in markdown


def test_known_energy_is_summed_and_unknown_runs_are_counted_apart(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    estimated = _finished_run(audit_workspace, "Le marché couvert ouvrira le dimanche.")
    _finished_run(audit_workspace, "La piscine fermera en août.")
    with unit_of_work(audit_workspace.engine) as session:
        row = session.get(AuditRun, estimated)
        assert row is not None
        row.summary = {
            **row.summary,
            "totals": {**row.summary["totals"], "energy_kwh": 0.0125, "gwp_kgco2eq": 0.0007},
        }
        session.add(row)
    totals = _report(audit_workspace).totals
    assert (totals.energy_kwh.total, totals.energy_kwh.known, totals.energy_kwh.unknown) == (
        0.0125,
        1,
        1,
    )
    markdown = _markdown(audit_workspace, _report(audit_workspace), tmp_path)
    assert (
        "Énergie\u00a0: 0,0125 kWh — valeurs connues pour 1 exécution(s), inconnues pour 1"
        in markdown
    )


def test_policy_approval_reading_arbitration_and_tool_changes_are_listed(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    policy = workspace_policy(audit_workspace)
    with unit_of_work(audit_workspace.engine) as session:
        session.execute(text("DELETE FROM policy_version"))  # approved here, by a person
        claire = find_person(session, "claire-martin")
        record_approval(
            session,
            policy,
            workspace_policy_file(audit_workspace).read_text(encoding="utf-8"),
            claire,
            RoleName.REFERENT_IA,
            TODAY,
            "t",
        )
        acknowledge(session, "claire-martin", policy.id, on=TODAY)
        request = open_arbitration(
            session, "Peut-on résumer les courriels avec Mistral ?", "paul-lecteur", "t"
        )
        decide_arbitration(
            session,
            request.id or 0,
            "Non, hors ligne seulement",
            "Données personnelles",
            "claire-martin",
            "t",
        )
        set_tool_status(
            session, "examen", ToolStatus.FORBIDDEN, "claire-martin", "Hébergement non conforme"
        )
    report = _report(audit_workspace)
    [event] = report.policy_events
    assert (event.policy_id, event.version, event.approved_on) == ("politique-test", 2, TODAY)
    assert event.approved_by == "Claire Martin" and event.approved_role == "referent_ia"
    acks = report.acknowledgements
    assert acks.current_version == 2 and acks.people == 3 and not acks.note
    assert [who.split(" (")[0] for who in acks.missing] == ["Paul Lecteur", "Sans Rôle"]
    [decision] = report.arbitrations
    assert (
        decision.decision == "Non, hors ligne seulement" and "Claire Martin" in decision.decided_by
    )
    changed = {change.key: change for change in report.tool_changes}
    assert (
        changed["examen"].status == "forbidden" and changed["examen"].changed_by == "claire-martin"
    )
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "2 personne(s) sur 3 n'ont pas confirmé la lecture de la version 2" in markdown
    assert "- Sans Rôle (sans-role)" in markdown
    assert (
        f"politique-test v2 | Politique de test | approuvé | {TODAY:%d/%m/%Y} | Claire Martin"
        in markdown
    )


def test_export_records_the_file_hashes_in_the_ledger(audit_workspace: Workspace) -> None:
    _finished_run(audit_workspace, "Les bancs du square seront remplacés.")
    report = _report(audit_workspace)
    export = export_period_report(audit_workspace, report, "html")
    assert export.path.parent == audit_workspace.exports_dir and export.path.suffix == ".html"
    assert export.sidecar.read_text(encoding="utf-8").split()[0] == export.sha256
    with unit_of_work(audit_workspace.engine) as session:
        last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())).first()
    assert last is not None and last.event == "export" and last.seq == export.ledger_seq
    payload = json.loads(last.payload)
    assert payload["sha256"] == export.sha256 and payload["content_sha256"] == export.content_sha256
    assert payload["period"] == {"from": report.start.isoformat(), "to": report.end.isoformat()}
    assert _report(audit_workspace).integrity.ok  # the anchor moved with the export


def test_pdf_names_the_organisation_and_the_period(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent: cannot read the PDF's text")
    _make_runs(audit_workspace)
    report = _report(audit_workspace, date(2026, 1, 1), TODAY)
    export = export_period_report(audit_workspace, report, "pdf", tmp_path / "rapport.pdf")
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(export.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Métropole Exemple" in extracted
    assert f"du 01/01/2026 au {TODAY:%d/%m/%Y}" in " ".join(extracted.split())
    assert "roles.run_analyses" in extracted


def test_report_in_english_uses_english_labels_and_iso_dates(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    set_language("en")
    report = _report(audit_workspace, date(2026, 1, 1), date(2026, 1, 31))
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "# Periodic audit report" in markdown and "from 2026-01-01 to 2026-01-31" in markdown
    assert "## Policy refusals" in markdown and "No refusal in the period." in markdown
    assert "Refus" not in markdown


def test_workspace_template_overrides_the_builtin(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    folder = audit_workspace.root / "audit"
    folder.mkdir()
    (folder / TEMPLATE_NAME).write_text(
        "## Notre rapport\n\n{{ r.refusals | length }} refus {{ period }}.\n", encoding="utf-8"
    )
    report = _report(audit_workspace, date(2026, 1, 1), date(2026, 1, 31))
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "## Notre rapport\n\n0 refus du 01/01/2026 au 31/01/2026." in markdown


def test_repository_copy_of_the_template_is_identical_to_the_builtin() -> None:
    copy = REPO / "audit" / TEMPLATE_NAME
    assert copy.read_bytes() == BUILTIN_TEMPLATE.read_bytes(), (
        f"Recopiez {BUILTIN_TEMPLATE} dans {copy}"
    )


def test_bad_dates_are_input_errors_naming_the_option(audit_workspace: Workspace) -> None:
    with pytest.raises(InputError, match="--from"):
        parse_report_date("31/02/2026", "--from")
    assert parse_report_date("23/11/2026", "--to") == parse_report_date("2026-11-23", "--to")
    with pytest.raises(InputError, match="après la fin"):
        build_period_report(audit_workspace, date(2026, 2, 1), date(2026, 1, 1))


def test_cli_writes_the_report_in_exports_and_rejects_bad_input(audit_workspace: Workspace) -> None:
    runner = CliRunner()
    w = ["-w", str(audit_workspace.root)]
    written = runner.invoke(
        app, [*w, "audit", "report", "--from", "01/01/2026", "--format", "md", "--skip-mlflow"]
    )
    assert written.exit_code == 0, written.stderr
    path = Path(written.stdout.strip())
    assert path.parent == audit_workspace.exports_dir and path.is_file()
    assert f"rapport-audit-2026-01-01_{TODAY.isoformat()}.md" == path.name
    assert "SHA-256" in written.stderr
    bad = runner.invoke(app, [*w, "audit", "report", "--from", "hier"])
    assert bad.exit_code == 2 and "--from" in bad.stderr and "JJ/MM/AAAA" in bad.stderr
    reversed_period = runner.invoke(
        app, [*w, "audit", "report", "--from", "02/01/2026", "--to", "01/01/2026"]
    )
    assert reversed_period.exit_code == 2 and "Période vide" in reversed_period.stderr
    wrong_format = runner.invoke(app, [*w, "audit", "report", "--format", "odt"])
    assert wrong_format.exit_code == 2 and "md, html, pdf" in wrong_format.stderr

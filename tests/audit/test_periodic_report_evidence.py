"""The periodic audit report states the verification it was built on, shows what the ledger
proves (not what a forged row says), carries the latest checkpoint, and leaves no gap: uses
added and approved, self-decided arbitrations, one line per run, a red banner when tampered."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from garant.audit.checkpoint import create_checkpoint
from garant.audit.ledger import write_head
from garant.audit.periodic_report import PeriodReport, build_period_report, export_period_report
from garant.audit.run import audited_run, ledger_anchor
from garant.cli.main import app
from garant.governance.arbitration import decide_arbitration, open_arbitration
from garant.governance.authority import DecisionRules
from garant.llm.types import ChatMessage
from garant.signing.keys import create_person_key, load_person_key
from garant.store.engine import unit_of_work
from garant.store.evidence import record_baseline
from garant.workspace import Workspace

TODAY = datetime.now(UTC).date()
PASS = "phrase secrète 42"


def _finished_run(workspace: Workspace, text_in: str, files: int = 1) -> str:
    with audited_run(
        workspace, use="affiches", kind="ask", operator="claire-martin", model_alias="hors-ligne"
    ) as run:
        answer = run.complete([ChatMessage("user", text_in)])
        for number in range(files):
            run.add_output(f"affiche-{number}.md", f"{answer.text} ({number})")
    return str(run.id)


def _report(workspace: Workspace) -> PeriodReport:
    return build_period_report(workspace, TODAY - timedelta(days=29), TODAY, check_mlflow=False)


def _markdown(workspace: Workspace, report: PeriodReport, tmp_path: Path) -> str:
    export = export_period_report(workspace, report, "md", tmp_path / "rapport.md")
    return export.path.read_text(encoding="utf-8")


def _forge_review(workspace: Workspace, run_id: str) -> None:
    """An insider writes a human review that never happened, with one SQL UPDATE."""
    with unit_of_work(workspace.engine) as session:
        session.connection().execute(
            text(
                "UPDATE audit_run SET review_state = 'approved', reviewed_by = 'paul-lecteur', "
                "reviewed_at = :t, review_comment = 'Relu' WHERE id = :id"
            ),
            {"t": datetime.now(UTC).replace(tzinfo=None), "id": run_id},
        )


def test_forged_review_is_shown_as_the_ledger_says_and_marked(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _finished_run(audit_workspace, "La réunion publique aura lieu salle Jean Vilar.")
    _forge_review(audit_workspace, run_id)
    report = _report(audit_workspace)

    assert report.reviews == ()  # the forged review is not presented as genuine
    [flagged] = report.unreviewed
    assert flagged.run_id == run_id and flagged.review_state == "pending"
    assert flagged.reviewer == ""
    assert any("review_state" in flag and '"approved"' in flag for flag in flagged.flags)
    assert not report.verification.ok and not report.integrity.ok
    markdown = _markdown(audit_workspace, report, tmp_path)
    reviews = markdown.split("## Relectures humaines")[1].split("##")[0]
    assert "Aucune relecture sur la période." in reviews and "approuvée" not in reviews
    unreviewed = markdown.split("## Résultats sans relecture humaine")[1].split("## ")[0]
    assert f"{run_id} **⚠**" in unreviewed and "en attente" in unreviewed
    assert "**⚠ audit_run [id=" in unreviewed and "review_state" in unreviewed
    assert markdown.index("> **⚠ ALTÉRATION DÉTECTÉE") < markdown.index("## Synthèse")


def test_report_states_the_verification_and_carries_the_latest_checkpoint(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    _finished_run(audit_workspace, "Le tram sera prolongé jusqu'au parc.")
    unsigned = _report(audit_workspace)
    assert unsigned.verification.ok and unsigned.verification.checkpoint is None
    assert "Aucun point de contrôle" in unsigned.verification.checkpoint_statement()

    create_person_key(audit_workspace, "claire-martin", PASS, common_name="Claire Martin")
    point = create_checkpoint(
        audit_workspace, "claire-martin", load_person_key(audit_workspace, "claire-martin", PASS)
    )
    report = _report(audit_workspace)
    facts = report.verification
    assert facts.ok and facts.entries == report.integrity.entries and facts.rows_replayed > 0
    assert facts.checkpoint is not None and facts.checkpoint.seq == point.seq
    assert facts.checkpoint.person == "claire-martin" and facts.checkpoint.holds
    assert facts.checkpoint.file_valid is True
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert (
        f"Vérification du registre : intègre — {facts.entries} entrées, "
        f"{facts.rows_replayed} lignes rejouées, le " in markdown
    )
    assert (
        f"Dernier point de contrôle : entrée n° {point.seq} ({point.entry_hash[:16]}…), "
        "signé par claire-martin le " in markdown
    )
    assert "ALTÉRATION" not in markdown.split("## Synthèse")[0]


def test_rows_adopted_at_migration_are_labelled_so(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    with unit_of_work(audit_workspace.engine) as session:
        connection = session.connection()
        connection.execute(  # a tool from before garant recorded row events
            text(
                "INSERT INTO aitool (key, name, vendor, model_family, model_version, access_mode, "
                "hosting_region, data_leaves_eu, retention_terms, dpa_reference, status, "
                "model_alias, notes, created_at, updated_at, created_by, updated_by) "
                "VALUES ('ancien', 'Ancien outil', '', '', '', 'local', 'local', 0, '', '', "
                "'approved', '', '', :t, :t, 'jean', 'jean')"
            ),
            {"t": datetime.now(UTC).replace(tzinfo=None)},
        )
        record_baseline(connection, "migration", ["aitool"])
    write_head(audit_workspace.engine, ledger_anchor(audit_workspace))
    report = _report(audit_workspace)
    assert report.verification.ok and report.verification.adopted_rows == 1
    changed = {change.key: change for change in report.tool_changes}
    assert changed["ancien"].adopted and not changed["garant-hors-ligne"].adopted
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "| Ancien outil (ancien) | approuvé — état adopté à la migration | jean |" in markdown


def test_uses_added_and_approved_in_the_period_are_listed(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    report = _report(audit_workspace)
    changes = {change.key: change for change in report.use_changes}
    assert set(changes) == {"synthese", "affiches", "sante", "brouillon"}
    assert changes["synthese"].approved_at is not None and changes["synthese"].added_by == "t"
    assert changes["brouillon"].added_at is not None and changes["brouillon"].approved_at is None
    markdown = _markdown(audit_workspace, report, tmp_path)
    section = markdown.split("### Usages ajoutés ou approuvés")[1].split("###")[0]
    assert f"| Brouillon (brouillon) | {TODAY:%d/%m/%Y} | t | — | — |" in section
    assert f"| Synthèse (synthese) | {TODAY:%d/%m/%Y} | t | {TODAY:%d/%m/%Y} | t |" in section


def test_arbitration_decided_by_its_asker_is_listed_with_a_comment(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    with unit_of_work(audit_workspace.engine) as session:
        request = open_arbitration(session, "Peut-on traduire avec DeepL ?", "claire-martin", "t")
        decide_arbitration(
            session,
            request.id or 0,
            "Oui",
            "Textes publics",
            "claire-martin",
            "t",
            rules=DecisionRules(decide_own_arbitration=True),
        )
    report = _report(audit_workspace)
    [decision] = report.arbitrations
    assert decision.self_decided and "Claire Martin" in decision.asked_by
    assert "la politique interdit" in decision.policy_note  # the workspace policy says no
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert (
        "**⚠ décidé par la personne qui avait posé la question, ce que la politique interdit"
        in markdown
    )


def test_unreviewed_table_has_one_line_per_run_not_one_per_file(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _finished_run(audit_workspace, "Le stade sera rénové.", files=3)
    report = _report(audit_workspace)
    markdown = _markdown(audit_workspace, report, tmp_path)
    [line] = [row for row in markdown.splitlines() if row.startswith("|") and run_id in row]
    assert "3 fichier(s) : mention IA obligatoire en cas de publication" in line
    assert "affiche-0.md" not in markdown


def test_pdf_table_keeps_dates_and_words_whole(audit_workspace: Workspace, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    for number in range(3):
        _finished_run(audit_workspace, f"Le marché {number} ouvrira.", files=6)
    report = _report(audit_workspace)
    export = export_period_report(audit_workspace, report, "pdf", tmp_path / "rapport.pdf")
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(export.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{TODAY:%d/%m/%Y}" in extracted
    assert f"{TODAY:%d/%m/%Y}"[:-1] + "\n" not in extracted  # « 04/12/202 / 6 »
    assert "Relecture" in extracted and "Relectur\n" not in extracted


def test_cli_report_on_a_tampered_workspace_writes_a_red_banner_and_exits_1(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    run_id = _finished_run(audit_workspace, "La piscine fermera en août.")
    _forge_review(audit_workspace, run_id)
    runner = CliRunner()
    w = ["-w", str(audit_workspace.root)]
    written: dict[str, Path] = {}
    for fmt in ("md", "html", "pdf", "docx"):
        out = tmp_path / f"rapport.{fmt}"
        result = runner.invoke(
            app, [*w, "audit", "report", "--format", fmt, "-o", str(out), "--skip-mlflow"]
        )
        assert result.exit_code == 1, result.stderr
        assert out.is_file() and "ALTÉRÉ" in result.stderr
        written[fmt] = out
    html = written["html"].read_text(encoding="utf-8")
    banner = html.split('<p class="doc-alert" role="alert"')[1].split("</p>")[0]
    assert "ALTÉRATION DÉTECTÉE" in banner and "review_state" in banner
    assert html.index('class="doc-alert"') < html.index('<dl class="doc-meta">')
    assert 'class="garant-alert"' in html  # the row's discrepancy, in red
    with zipfile.ZipFile(written["docx"]) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert "⚠ ALTÉRATION DÉTECTÉE" in document and 'w:val="B00020"' in document
    if shutil.which("pdftotext") is not None:
        first_page = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(written["pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "ALTÉRATION DÉTECTÉE" in first_page


def test_refused_reserved_actions_of_the_period_are_listed(
    audit_workspace: Workspace, tmp_path: Path
) -> None:
    from garant.audit.runs import record_review
    from garant.errors import PolicyRefusal

    run_id = _finished_run(audit_workspace, "Le square rouvrira.")
    with pytest.raises(PolicyRefusal):  # Sans Rôle holds no reviewer role
        record_review(audit_workspace, run_id, "sans-role", "approve", "ok")
    report = _report(audit_workspace)
    [refused] = report.refused_actions
    assert (refused.action, refused.rule) == ("review", "human_review.reviewer_roles")
    assert run_id in refused.target and "Sans Rôle" in refused.by
    markdown = _markdown(audit_workspace, report, tmp_path)
    assert "| review | " in markdown and "`human_review.reviewer_roles`" in markdown

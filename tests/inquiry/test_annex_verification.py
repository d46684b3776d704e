"""The inquiry annex states the verification it was built on and the latest checkpoint, shows
each run as the ledger recorded it, and marks a forged row."""

from __future__ import annotations

import shutil
from pathlib import Path

from inquiry_support import Inquiry
from sqlalchemy import text

from garant.inquiry.export import export_annex
from garant.store.engine import unit_of_work
from garant.workspace import open_workspace


def test_annex_states_the_verification_and_marks_a_forged_review(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(inquiry.root, root)
    workspace = open_workspace(root)
    try:
        clean = export_annex(workspace, "plu", "md", actor="jeanne-morel", out=tmp_path / "a.md")
        markdown = clean.path.read_text(encoding="utf-8")
        assert "| Vérification du registre | Vérification du registre : intègre — " in markdown
        assert "| Dernier point de contrôle | Aucun point de contrôle signé" in markdown
        assert "ALTÉRATION" not in markdown

        with unit_of_work(workspace.engine) as session:
            session.connection().execute(
                text("UPDATE audit_run SET reviewed_by = 'quelquun', review_state = 'approved'")
            )
        forged = export_annex(workspace, "plu", "md", actor="jeanne-morel", out=tmp_path / "b.md")
        markdown = forged.path.read_text(encoding="utf-8")
        assert "> **⚠ ALTÉRATION DÉTECTÉE" in markdown
        assert "| **⚠ Écart** | **⚠ audit_run [id=" in markdown and "reviewed_by" in markdown
        assert "quelquun" not in markdown.split("| Relecture humaine |")[1].split("\n")[0]
    finally:
        workspace.close()


def test_pv_states_the_verification_and_turns_red_when_tampered(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    from garant.audit.verify import verify_workspace
    from garant.inquiry import get_dossier
    from garant.inquiry.pv import render_pv

    written_by_cli = inquiry.root / "exports" / "enquetes" / "plu" / "proces-verbal.md"
    assert "Vérification du registre : intègre — " in written_by_cli.read_text(encoding="utf-8")
    root = tmp_path / "ws"
    shutil.copytree(inquiry.root, root)
    workspace = open_workspace(root)
    try:
        with unit_of_work(workspace.engine) as session:
            session.connection().execute(text("UPDATE audit_run SET operator_key = 'personne'"))
        verification = verify_workspace(workspace, check_mlflow=False)
        with unit_of_work(workspace.engine) as session:
            rendered = render_pv(
                session,
                workspace,
                get_dossier(session, "plu"),
                "md",
                tmp_path / "pv.md",
                verification,
            )
        markdown = rendered.path.read_text(encoding="utf-8")
        assert "> **⚠ ALTÉRATION DÉTECTÉE" in markdown and "operator_key" in markdown
        assert "Vérification du registre : ALTÉRATION DÉTECTÉE" in markdown
    finally:
        workspace.close()

"""``garant charter render``, ``garant document verify`` and ``garant registry publish``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from garant.cli.main import app

runner = CliRunner()


def garant(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def _registry(root: Path) -> None:
    steps = [
        ("people", "add", "Claire Martin", "--email", "claire@ville.fr"),
        ("roles", "assign", "claire-martin", "referent_ia", "--from", "2025-01-01"),
        (
            "tools",
            "add",
            "Albert",
            "--access",
            "api",
            "--region",
            "FR",
            "--status",
            "approved",
            "--vendor",
            "DINUM",
        ),
        (
            "uses",
            "add",
            "Assistant",
            "--purpose",
            "Répondre aux habitants",
            "--stage",
            "collection",
            "--tool",
            "albert",
            "--data",
            "personal",
            "--key",
            "assistant",
            "--status",
            "approved",
        ),
        (
            "uses",
            "add",
            "Projet",
            "--purpose",
            "Pas encore validé",
            "--stage",
            "analysis",
            "--tool",
            "albert",
            "--key",
            "projet",
        ),
        ("policy", "approve", "--by", "claire-martin"),
    ]
    for step in steps:
        if step[:2] in {("roles", "assign"), ("tools", "add"), ("uses", "add")}:
            step = (*step, "--by", "claire-martin")
        if step[:2] == ("uses", "add") and "approved" in step:
            step = (*step, "--override", "essai : liste de contrôle hors du sujet du test")
        code, _, err = garant(root, *step)
        assert code == 0, (step, err)


def test_internal_guide_pdf_names_organisation_and_policy_version(workspace_root: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent : texte du PDF non vérifiable")
    _registry(workspace_root)
    code, out, err = garant(
        workspace_root, "charter", "render", "--kind", "internal", "--format", "pdf"
    )
    assert code == 0, err
    pdf = Path(out.strip())
    assert pdf.parent == workspace_root / "exports" and pdf.name == "guide-interne-v1.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Métropole Exemple" in text
    assert "version v1" in text and "Claire Martin" in text and "Assistant" in text
    code, out, _ = garant(workspace_root, "document", "verify", str(pdf))
    assert code == 0 and "CONFORME" in out
    code, _, _ = garant(
        workspace_root, "document", "verify", str(pdf), "--expected-sha256", "0" * 64
    )
    assert code == 1
    code, out, _ = garant(workspace_root, "audit", "verify")
    assert code == 0, out


def test_workspace_templates_override_builtins_and_output_option(
    workspace_root: Path, tmp_path: Path
) -> None:
    _registry(workspace_root)
    charters = workspace_root / "charters"
    charters.mkdir()
    (charters / "charter-external.fr.md.j2").write_text(
        "## Notre charte maison\n\nRéférent : {{ c.referent.name }} — {{ c.policy_version }}\n",
        "utf-8",
    )
    target = tmp_path / "charte.md"
    code, _, err = garant(
        workspace_root,
        "charter",
        "render",
        "--kind",
        "external",
        "--format",
        "md",
        "--output",
        str(target),
    )
    assert code == 0, err
    text = target.read_text("utf-8")
    assert "Notre charte maison" in text and "Référent : Claire Martin — v1" in text
    code, _, err = garant(workspace_root, "charter", "render", "--kind", "autre", "--format", "md")
    assert code == 2 and "internal" in err


def test_tampered_document_fails_verification(workspace_root: Path) -> None:
    _registry(workspace_root)
    _, out, _ = garant(
        workspace_root, "charter", "render", "--kind", "external", "--format", "html"
    )
    html = Path(out.strip())
    html.write_text(html.read_text("utf-8").replace("Assistant", "Assistant modifié"), "utf-8")
    code, out, _ = garant(workspace_root, "document", "verify", str(html))
    assert code == 1 and "NON CONFORME" in out


def test_registry_publish_lists_only_approved_uses(workspace_root: Path, tmp_path: Path) -> None:
    _registry(workspace_root)
    code, out, err = garant(
        workspace_root, "registry", "publish", "--output", str(tmp_path / "site")
    )
    assert code == 0, err
    assert Path(out.strip()) == tmp_path / "site" / "index.html"
    page = (tmp_path / "site" / "index.html").read_text("utf-8")
    data = json.loads((tmp_path / "site" / "registre-ia.json").read_text("utf-8"))
    assert [u["key"] for u in data["uses"]] == ["assistant"]
    assert "Assistant" in page and "Pas encore validé" not in page
    assert data["organisation"] == "Métropole Exemple"


def test_regenerated_sidecar_does_not_vouch_for_a_changed_pdf(workspace_root: Path) -> None:
    """Issue 12.10: a corrupted PDF with a regenerated ``.sha256`` passed as « CONFORME » and
    pypdf's raw error was printed. The ledger's record is the reference, printed for the reader."""
    import hashlib

    _registry(workspace_root)
    _, out, _ = garant(workspace_root, "charter", "render", "--kind", "external", "--format", "pdf")
    pdf = Path(out.strip())
    original = hashlib.sha256(pdf.read_bytes()).hexdigest()
    damaged = pdf.read_bytes()[:-200] + b"\x00" * 200
    pdf.write_bytes(damaged)
    forged = hashlib.sha256(damaged).hexdigest()
    Path(f"{pdf}.sha256").write_text(f"{forged}  {pdf.name}\n", encoding="utf-8")
    code, out, err = garant(workspace_root, "document", "verify", str(pdf))
    assert code == 1 and "NON CONFORME" in out
    assert f"Empreinte attendue (à comparer) : {original}" in out
    assert "PdfReadError" not in out + err and "Traceback" not in out + err

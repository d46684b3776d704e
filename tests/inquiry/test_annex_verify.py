"""`garant annex verify`: passes on a fresh annex, fails naming the item that changed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from inquiry_support import PASSPHRASE, Inquiry
from typer.testing import CliRunner

from garant.cli.main import app
from garant.inquiry.verify import verify_annex
from garant.workspace import open_workspace

runner = CliRunner()


def failed_items(pdf: Path, **options: object) -> list[str]:
    return [v.item for v in verify_annex(pdf, **options) if not v.ok]  # type: ignore[arg-type]


def test_fresh_annex_passes_every_check_with_files_and_workspace(inquiry: Inquiry) -> None:
    workspace = open_workspace(inquiry.root)
    try:
        verdicts = verify_annex(inquiry.annex, files_dir=inquiry.root, workspace=workspace)
    finally:
        workspace.close()
    assert all(v.ok for v in verdicts), [v.message for v in verdicts if not v.ok]
    items = {v.item for v in verdicts}
    assert {"signature", "document", "certificat", "manifeste", "export de l'annexe"} <= items
    assert any(item.startswith("pièce exports/enquetes/plu/observations.csv") for item in items)
    assert any(item.startswith("registre n° ") for item in items)


def test_verify_command_with_only_the_pdf_exits_zero_in_a_fresh_folder(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    alone = tmp_path / "annexe.pdf"
    shutil.copy(inquiry.annex, alone)
    result = runner.invoke(app, ["annex", "verify", str(alone)])
    assert result.exit_code == 0, result.stdout
    assert "Annexe conforme" in result.stdout and "[ÉCHEC]" not in result.stdout


def test_one_changed_byte_of_the_pdf_fails_the_signature(inquiry: Inquiry, tmp_path: Path) -> None:
    data = bytearray(inquiry.annex.read_bytes())
    position = data.index(b"/Title") + 10  # inside the signed document information
    data[position] ^= 0x01
    changed = tmp_path / "annexe.pdf"
    changed.write_bytes(bytes(data))
    assert "signature" in failed_items(changed)
    result = runner.invoke(app, ["annex", "verify", str(changed)])
    assert result.exit_code == 1
    assert "NON conforme" in result.stdout and "signature" in result.stdout


def test_bytes_appended_after_signing_are_reported(inquiry: Inquiry, tmp_path: Path) -> None:
    changed = tmp_path / "annexe.pdf"
    changed.write_bytes(inquiry.annex.read_bytes() + b"\n% ajout\n")
    assert failed_items(changed) == ["document"]


def test_manifest_differing_from_the_printed_hash_fails_the_manifest(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    """Someone swaps one byte of the manifest and re-signs with the same key."""
    from garant.documents.annex_pdf import annex_pdf_bytes, embedded_manifest
    from garant.documents.annex_signing import load_signer, sign_pdf_bytes
    from garant.inquiry.manifest import MANIFEST_NAME
    from garant.util.files import sha256_bytes

    original = embedded_manifest(inquiry.annex.read_bytes(), MANIFEST_NAME)
    assert original is not None
    forged = original.replace(b'"total":40', b'"total":41')
    assert forged != original
    from datetime import UTC, datetime

    from garant.documents import Document, DocumentMetadata

    document = Document(
        title="Annexe",
        organisation="Métropole Exemple",
        metadata=DocumentMetadata(generated_at=datetime.now(UTC)),
        body="## 1. Objet\n\nTexte.",
    )
    key = inquiry.root / "private" / "keys" / "jeanne-morel.p12"
    signer = load_signer(key.read_bytes(), PASSPHRASE, key)
    pdf = annex_pdf_bytes(document, forged, sha256_bytes(original), MANIFEST_NAME)
    target = tmp_path / "annexe.pdf"
    target.write_bytes(sign_pdf_bytes(pdf, signer, name="x", reason="test"))
    verdicts = verify_annex(target)
    failed = [v for v in verdicts if not v.ok]
    assert [v.item for v in failed] == ["manifeste"]
    assert "imprimée page(s) 1" in failed[0].message


def test_signature_from_another_key_fails_the_certificate(inquiry: Inquiry, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from garant.documents import Document, DocumentMetadata
    from garant.documents.annex_pdf import annex_pdf_bytes, embedded_manifest
    from garant.documents.annex_signing import load_signer, sign_pdf_bytes
    from garant.inquiry.manifest import MANIFEST_NAME
    from garant.signing import create_person_key
    from garant.util.files import sha256_bytes

    other_root = tmp_path / "autre"
    (other_root / "private").mkdir(parents=True)
    (other_root / "garant.toml").write_text("", encoding="utf-8")
    other = create_person_key(
        other_root, "intrus", "autre phrase secrète", common_name="Jeanne Morel"
    )
    manifest = embedded_manifest(inquiry.annex.read_bytes(), MANIFEST_NAME)
    assert manifest is not None
    document = Document(
        title="Annexe",
        organisation="Métropole Exemple",
        metadata=DocumentMetadata(generated_at=datetime.now(UTC)),
        body="## 1. Objet\n\nTexte.",
    )
    signer = load_signer(other.pkcs12_path.read_bytes(), "autre phrase secrète", other.pkcs12_path)
    pdf = annex_pdf_bytes(document, manifest, sha256_bytes(manifest), MANIFEST_NAME)
    target = tmp_path / "annexe.pdf"
    target.write_bytes(sign_pdf_bytes(pdf, signer, name="Jeanne Morel", reason="test"))
    verdicts = verify_annex(target)
    failed = [v for v in verdicts if not v.ok]
    assert [v.item for v in failed] == ["certificat"]
    assert "autre clé" in failed[0].message and other.fingerprint_sha256 in failed[0].message


def test_one_changed_byte_of_a_listed_file_names_that_file(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    files = tmp_path / "pieces"
    shutil.copytree(inquiry.root / "exports", files / "exports")
    shutil.copytree(inquiry.root / "runs", files / "runs")
    register = files / "exports" / "enquetes" / "plu" / "observations.csv"
    data = bytearray(register.read_bytes())
    data[-2] ^= 0x01
    register.write_bytes(bytes(data))
    failed = failed_items(inquiry.annex, files_dir=files)
    assert failed == ["pièce exports/enquetes/plu/observations.csv"]
    result = runner.invoke(app, ["annex", "verify", str(inquiry.annex), "--files", str(files)])
    assert result.exit_code == 1 and "observations.csv" in result.stdout


def test_one_changed_byte_of_a_ledger_entry_names_that_entry(
    inquiry: Inquiry, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(inquiry.root, root)
    connection = sqlite3.connect(root / "garant.db")
    with connection:
        seq, payload = connection.execute(
            "SELECT seq, payload FROM ledger_entry WHERE event = 'observations_added' ORDER BY seq"
        ).fetchone()
        connection.execute(
            "UPDATE ledger_entry SET payload = ? WHERE seq = ?",
            (payload.replace('"count":30', '"count":31'), seq),
        )
    connection.close()
    result = runner.invoke(app, ["annex", "verify", str(inquiry.annex), "--workspace", str(root)])
    assert result.exit_code == 1
    assert f"[ÉCHEC] registre n° {seq}" in result.stdout
    assert result.stdout.count("[ÉCHEC]") == 1


def test_a_file_that_is_not_a_pdf_is_unusable_input(tmp_path: Path) -> None:
    bad = tmp_path / "annexe.pdf"
    bad.write_text("pas un PDF", encoding="utf-8")
    result = runner.invoke(app, ["annex", "verify", str(bad)])
    assert result.exit_code == 2
    assert "n'est pas un fichier PDF" in result.stderr


def test_pdf_text_holds_every_section_and_the_manifest_hash(inquiry: Inquiry) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    from garant.util.files import sha256_file

    digest = sha256_file(inquiry.manifest)
    text = subprocess.run(
        ["pdftotext", "-layout", str(inquiry.annex), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pages = text.split("\f")
    for section in (
        "1. Objet de la présente annexe",
        "2. Usages de l'intelligence artificielle",
        "3. Couverture des observations",
        "4. Rôle du commissaire enquêteur",
        "5. Tirage au sort",
        "6. Signature et vérification",
        "7. Pièces et entrées du registre",
        "Sommaire",
    ):
        assert section in text, section
    assert "40 observations ont été reçues" in text
    printed = [page for page in pages if page.strip()]
    assert printed and all(digest in page for page in printed)

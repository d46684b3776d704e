"""Integrity: the content hash ties the formats together; the sidecar file hash and recorded
values let anyone detect a changed file; verify_document says which check failed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from documents_support import FIXED_AT

from garant.documents import (
    Document,
    canonical_text,
    content_sha256,
    example_charter_context,
    render,
    render_charter,
    verify_document,
)
from garant.errors import InputError, NotFoundError


def test_canonical_text_normalises_line_ends_unicode_and_trailing_space() -> None:
    decomposed = "Cafe\u0301  \r\nligne\t \r\n\r\n\r\n"
    assert canonical_text(decomposed) == "Café\nligne\n"
    assert content_sha256("Café\nligne") == content_sha256(decomposed)


def test_content_hash_is_the_same_in_every_format(
    tmp_path: Path, sample_document: Document
) -> None:
    hashes = {
        render(sample_document, fmt, tmp_path / f"annexe.{fmt}").content_sha256
        for fmt in ("md", "html", "pdf")
    }
    assert len(hashes) == 1
    assert (hashes.pop()) in (tmp_path / "annexe.html").read_text(encoding="utf-8")


def test_content_hash_changes_when_the_body_changes(
    sample_document: Document, tmp_path: Path
) -> None:
    first = render(sample_document, "md", tmp_path / "a.md")
    changed = sample_document.model_copy(update={"body": sample_document.body + "\nAjout.\n"})
    second = render(changed, "md", tmp_path / "b.md")
    assert first.content_sha256 != second.content_sha256


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_verify_accepts_an_untouched_document(
    tmp_path: Path, sample_document: Document, fmt: str
) -> None:
    rendered = render(sample_document, fmt, tmp_path / f"annexe.{fmt}")
    result = verify_document(rendered.path)
    assert result.ok, result.summary()
    assert result.content_sha256 == rendered.content_sha256
    assert result.file_sha256 == rendered.sha256


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_verify_detects_a_modified_file(
    tmp_path: Path, sample_document: Document, fmt: str
) -> None:
    rendered = render(sample_document, fmt, tmp_path / f"annexe.{fmt}")
    data = rendered.path.read_bytes()
    rendered.path.write_bytes(data.replace(b"412", b"413", 1) if fmt != "pdf" else data + b"\n")
    result = verify_document(rendered.path)
    assert not result.ok
    assert any("modifié" in item for item in result.failed)


def test_verify_detects_edited_markdown_even_with_a_recomputed_sidecar(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "md", tmp_path / "annexe.md")
    text = rendered.path.read_text(encoding="utf-8").replace("412 observations", "41 observations")
    rendered.path.write_text(text, encoding="utf-8")
    forged = (
        subprocess.run(
            ["sha256sum", rendered.path.name], cwd=tmp_path, capture_output=True, text=True
        ).stdout
        if shutil.which("sha256sum")
        else None
    )
    if forged:
        rendered.sidecar.write_text(forged, encoding="utf-8")
    result = verify_document(rendered.path)
    assert not result.ok
    assert any("le contenu a été modifié" in item for item in result.failed)


def test_verify_detects_a_changed_figure_beside_markdown(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "md", tmp_path / "annexe.md")
    figure = tmp_path / "figures" / "themes.png"
    assert rendered.assets == (figure,)
    figure.write_bytes(figure.read_bytes() + b"\0")
    result = verify_document(rendered.path)
    assert not result.ok
    assert result.failed == ("figure modifiée : figures/themes.png",)


def test_verify_compares_with_a_recorded_hash(tmp_path: Path, sample_document: Document) -> None:
    rendered = render(sample_document, "pdf", tmp_path / "annexe.pdf")
    assert verify_document(rendered.path, expected_sha256=rendered.sha256).ok
    assert verify_document(
        rendered.path, expected_content_sha256=rendered.content_sha256.upper()
    ).ok
    other = verify_document(rendered.path, expected_content_sha256="0" * 64)
    assert not other.ok
    assert "empreinte du contenu différente de la valeur enregistrée" in other.failed


def test_verify_without_sidecar_or_record_says_nothing_to_compare(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "pdf", tmp_path / "annexe.pdf")
    rendered.sidecar.unlink()
    result = verify_document(rendered.path)
    assert not result.ok
    assert result.failed == ("rien à comparer : ni fichier d'empreinte ni valeur enregistrée",)
    assert result.content_sha256 == rendered.content_sha256


def test_verify_accepts_the_sidecar_path_and_reports_in_english(
    tmp_path: Path, sample_document: Document
) -> None:
    from garant.i18n import set_language

    rendered = render(sample_document, "html", tmp_path / "annexe.html")
    set_language("en")
    result = verify_document(rendered.sidecar)
    assert result.path == rendered.path
    assert result.summary().startswith("OK: ")


def test_verify_rejects_a_file_garant_did_not_write(tmp_path: Path) -> None:
    stray = tmp_path / "notes.html"
    stray.write_text("<p>bonjour</p>", encoding="utf-8")
    result = verify_document(stray)
    assert not result.ok
    assert "aucune empreinte de contenu garant dans le fichier" in result.failed
    with pytest.raises(NotFoundError):
        verify_document(tmp_path / "absent.pdf")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert not verify_document(tmp_path / "notes.txt").ok  # no .sha256, no record: nothing vouches
    (tmp_path / "notes.odt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.odt"):
        verify_document(tmp_path / "notes.odt")


def test_malformed_sidecar_is_an_input_error_naming_it(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "md", tmp_path / "annexe.md")
    rendered.sidecar.write_text("pas une empreinte\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"annexe\.md\.sha256"):
        verify_document(rendered.path)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum (coreutils) absent")
def test_sidecar_checks_with_standard_sha256sum(tmp_path: Path) -> None:
    render_charter(
        "external", example_charter_context(), "pdf", tmp_path / "charte.pdf", generated_at=FIXED_AT
    )
    check = subprocess.run(
        ["sha256sum", "-c", "charte.pdf.sha256"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0 and "charte.pdf: OK" in check.stdout
    with (tmp_path / "charte.pdf").open("ab") as stream:
        stream.write(b"%")
    check = subprocess.run(
        ["sha256sum", "-c", "charte.pdf.sha256"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode != 0


def test_markdown_content_hash_is_the_sha256_of_the_text_above_the_marker(
    tmp_path: Path, sample_document: Document
) -> None:
    import hashlib

    rendered = render(sample_document, "md", tmp_path / "annexe.md")
    text = rendered.path.read_bytes()
    above = text.split(b"<!-- garant:integrity", 1)[0]
    assert hashlib.sha256(above).hexdigest() == rendered.content_sha256
    if shutil.which("sed") and shutil.which("sha256sum"):
        shell = subprocess.run(
            "sed '/^<!-- garant:integrity/,$d' annexe.md | sha256sum",
            shell=True,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert shell.stdout.split()[0] == rendered.content_sha256


def test_damaged_pdf_fails_on_its_own_seal_even_with_a_regenerated_sidecar(
    tmp_path: Path, sample_document: Document
) -> None:
    """Issue 12.10: outside any workspace (no ledger), a PDF whose bytes changed and whose
    ``.sha256`` was regenerated is still NON CONFORME: the PDF carries a seal of its own bytes."""
    import hashlib

    rendered = render(sample_document, "pdf", tmp_path / "annexe.pdf")
    intact = verify_document(rendered.path)
    assert intact.ok and intact.sealed_sha256 is not None
    data = bytearray(rendered.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    rendered.path.write_bytes(bytes(data))
    forged = hashlib.sha256(bytes(data)).hexdigest()
    rendered.sidecar.write_text(f"{forged}  annexe.pdf\n", encoding="utf-8")
    damaged = verify_document(rendered.path)
    assert not damaged.ok
    assert any("ne correspond plus au sceau" in item for item in damaged.failed)
    assert f"Sceau inscrit dans le PDF (à comparer) : {intact.sealed_sha256}" in damaged.summary()


def test_truncated_pdf_is_reported_in_french_without_a_pypdf_error(
    tmp_path: Path, sample_document: Document
) -> None:
    import hashlib

    rendered = render(sample_document, "pdf", tmp_path / "annexe.pdf")
    truncated = rendered.path.read_bytes()[:3000]
    rendered.path.write_bytes(truncated)
    rendered.sidecar.write_text(
        f"{hashlib.sha256(truncated).hexdigest()}  annexe.pdf\n", encoding="utf-8"
    )
    result = verify_document(rendered.path)
    assert not result.ok
    assert "le PDF est illisible (fichier abîmé ou tronqué)" in result.failed
    assert "PdfReadError" not in result.summary()


def test_csv_and_json_exports_are_verified_against_their_sidecar(tmp_path: Path) -> None:
    from garant.documents.integrity import write_sidecar
    from garant.util.files import sha256_file

    export = tmp_path / "inventaire.csv"
    export.write_text("clé;usage\nassistant;Répondre\n", encoding="utf-8")
    write_sidecar(export, sha256_file(export))
    assert verify_document(export).ok
    export.write_text("clé;usage\nassistant;Autre\n", encoding="utf-8")
    assert not verify_document(export).ok

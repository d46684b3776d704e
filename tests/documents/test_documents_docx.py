"""DOCX output (optional, needs python-docx): structure, footer fields, hash, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents_support import FIXED_AT

from garant.documents import (
    Document,
    example_charter_context,
    render,
    render_charter,
    verify_document,
)

docx = pytest.importorskip("docx", reason="python-docx is not installed (optional DOCX output)")


def test_docx_has_title_headings_tables_and_footer_with_hash(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "docx", tmp_path / "annexe.docx")
    word = docx.Document(str(rendered.path))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Title", sample_document.title) in styles
    assert ("Heading 1", "Contexte de l'enquête") in styles
    assert ("Heading 2", "Méthode") in styles
    assert (
        "Quote",
        "« Je demande que la piste cyclable soit prolongée jusqu'à l'école. » (obs. 17)",
    ) in styles
    assert any(
        name.startswith("List Bullet") and text == "propos singuliers" for name, text in styles
    )
    assert any(text.startswith("2.\tRegroupement par thèmes") for _, text in styles)
    body_table = word.tables[1]
    assert [c.text for c in body_table.rows[2].cells] == ["Bruit <b>nocturne</b>", "12", "2,9 %"]
    assert len(word.inline_shapes) == 1
    footer_xml = word.sections[0].footer._element.xml
    assert "NUMPAGES" in footer_xml and " PAGE " in footer_xml
    assert rendered.content_sha256 in "".join(p.text for p in word.sections[0].footer.paragraphs)
    assert word.core_properties.keywords == f"garant-content-sha256={rendered.content_sha256}"


def test_docx_is_reproducible_and_verifiable(tmp_path: Path) -> None:
    context = example_charter_context()
    first = render_charter("external", context, "docx", tmp_path / "a.docx", generated_at=FIXED_AT)
    second = render_charter("external", context, "docx", tmp_path / "b.docx", generated_at=FIXED_AT)
    assert first.sha256 == second.sha256
    assert verify_document(first.path).ok
    first.path.write_bytes(first.path.read_bytes() + b"\0")
    assert not verify_document(first.path).ok

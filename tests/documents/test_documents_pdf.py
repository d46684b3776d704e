"""The PDF is checked through its text, as a reader (or poppler's pdftotext) sees it."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from documents_support import FIXED_AT

from garant.documents import (
    Document,
    DocumentMetadata,
    example_charter_context,
    render,
    render_charter,
)
from garant.documents.environment import make_environment
from garant.documents.pdf import render_pdf_bytes
from garant.documents.source import prepare

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils is not installed (apt-get install -y poppler-utils): "
    "the PDF tests read the PDF with pdftotext",
)


def _pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


def _page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert match
    return int(match.group(1))


def test_charter_pdf_has_title_page_contents_and_numbered_footers(tmp_path: Path) -> None:
    out = tmp_path / "guide.pdf"
    rendered = render_charter(
        "internal", example_charter_context(), "pdf", out, generated_at=FIXED_AT
    )
    pages = _pages(out)
    total = _page_count(out)
    assert len(pages) == total >= 4
    assert "Guide interne d'usage de" in pages[0]
    assert "MÉTROPOLE DE VAL-DE-LOIRE" in pages[0]
    assert "23 novembre 2026 à 11 h 00 (Europe/Paris)" in pages[0]
    # Table of contents on page 2, with the page each section starts on.
    assert "Sommaire" in pages[1]
    entries = dict(re.findall(r"^\s*(\d+\. .+?)\s*(?:\.\s*)+(\d+)\s*$", pages[1], re.M))
    assert len(entries) == 12, entries
    assert "1. Objet et champ d'application" in entries
    assert "12. Révision" in entries
    for title, page in entries.items():
        assert title in pages[int(page) - 1], f"{title} is not on page {page}"
    # Every page: "Page n / N", the policy version and the full content hash.
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {total}" in page
        assert "Politique v3" in page
        assert rendered.content_sha256 in page


def test_sample_report_pdf_keeps_french_glyphs_and_all_constructs(
    tmp_path: Path, sample_document: Document
) -> None:
    out = tmp_path / "annexe.pdf"
    render(sample_document, "pdf", out)
    text = "\n".join(_pages(out))
    assert "Œuvre, cœur, « guillemets », l’apostrophe courbe… et ≥ 30 %" in text
    assert "propos singuliers" in text  # third-level list item
    assert "Mobilités" in text and "43,7 %" in text  # table
    assert "Bruit <b>nocturne</b>" in text  # raw HTML shown as text, not interpreted
    assert "garant document verify annexe.pdf" in text  # code block
    assert "Je demande que la piste cyclable" in text  # quote
    assert "Taille des thèmes" in text  # figure caption
    assert "Exécutions tracées" in text and "4f1c2a, 9b7e11" in text
    assert "Texte préparé avec l'assistance d'un outil d'IA" in text  # disclosure


def test_pdf_embeds_figures_as_images(tmp_path: Path, sample_document: Document) -> None:
    out = tmp_path / "annexe.pdf"
    render(sample_document, "pdf", out)
    assert out.read_bytes().count(b"/Subtype /Image") == 1


def test_english_charter_pdf_uses_english_labels(tmp_path: Path) -> None:
    context = example_charter_context("en")
    out = tmp_path / "charter.pdf"
    render_charter("external", context, "pdf", out, generated_at=FIXED_AT)
    pages = _pages(out)
    assert "Contents" in pages[1]
    assert "23 November 2026, 11:00 (Europe/Paris)" in pages[0]
    assert "Policy v3" in pages[-1]


def test_same_document_gives_identical_pdf_bytes(tmp_path: Path) -> None:
    context = example_charter_context()
    first = render_charter("external", context, "pdf", tmp_path / "a.pdf", generated_at=FIXED_AT)
    second = render_charter("external", context, "pdf", tmp_path / "b.pdf", generated_at=FIXED_AT)
    assert first.sha256 == second.sha256


def test_helvetica_fallback_substitutes_characters_outside_windows_1252(
    tmp_path: Path, sample_document: Document
) -> None:
    prepared = prepare(sample_document, make_environment())
    out = tmp_path / "fallback.pdf"
    out.write_bytes(render_pdf_bytes(prepared, prefer_unicode=False))
    text = "\n".join(_pages(out))
    # œ, ’, … and « » exist in Windows-1252 and survive; ≥ becomes >=.
    assert "Œuvre, cœur, « guillemets », l’apostrophe courbe… et >= 30 %" in text
    assert b"/BaseFont /Helvetica" in out.read_bytes()


def test_characters_missing_from_the_font_are_named_not_dropped(tmp_path: Path) -> None:
    from garant.documents import DocumentMetadata

    document = Document(
        title="Avis",
        organisation="Agence",
        metadata=DocumentMetadata(generated_at=FIXED_AT),
        body="Très favorable 👍🏽 au projet.\n",
    )
    out = tmp_path / "avis.pdf"
    render(document, "pdf", out)
    from garant.documents.pdf import find_dejavu

    if find_dejavu() is None:
        pytest.skip("DejaVu fonts not found (neither fonts-dejavu-core nor matplotlib's copy)")
    # DejaVu has no emoji: the name is written instead, the skin-tone modifier is dropped.
    assert "Très favorable [thumbs up sign] au projet." in "\n".join(_pages(out))


def test_document_without_headings_has_no_contents_page(tmp_path: Path) -> None:
    from garant.documents import DocumentMetadata

    document = Document(
        title="Note",
        organisation="Agence",
        metadata=DocumentMetadata(generated_at=FIXED_AT),
        body="Un seul paragraphe, sans section.\n",
    )
    out = tmp_path / "note.pdf"
    render(document, "pdf", out)
    pages = _pages(out)
    assert len(pages) == 2
    assert "Sommaire" not in "\n".join(pages)
    assert "Un seul paragraphe, sans section." in pages[1]
    assert "Page 2 / 2" in pages[1]


def _render_in_fresh_process(tmp_path: Path, body: str, with_figure: bool) -> tuple[set[str], bool]:
    """Render one PDF as the first thing a process does; return what it loaded."""
    code = f"""
import sys
from pathlib import Path
from documents_support import FIXED_AT, FIXTURES
from garant.documents import Document, DocumentImage, DocumentMetadata, render
figure = Path({str(tmp_path)!r}) / "themes.png"
figure.write_bytes((FIXTURES / "themes.png").read_bytes())
images = (DocumentImage(name="themes.png", path=figure, alt="Légende"),) if {with_figure} else ()
document = Document(title="Essai", organisation="Ville", metadata=DocumentMetadata(
    generated_at=FIXED_AT), body={body!r}, images=images)
render(document, "pdf", Path({str(tmp_path)!r}) / "essai.pdf")
from reportlab.pdfbase import pdfmetrics
print(sorted(pdfmetrics.getRegisteredFontNames()))
print("PIL.ExifTags" in sys.modules)
"""
    import os
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    fonts, pillow = done.stdout.splitlines()
    return set(ast.literal_eval(fonts)), pillow == "True"


def test_pdf_without_italics_or_figures_reads_no_oblique_face_and_no_pillow(
    tmp_path: Path,
) -> None:
    fonts, pillow = _render_in_fresh_process(tmp_path, "## Titre\n\nTexte **gras** `code`.", False)
    assert "GarantSans" in fonts
    assert "GarantSans-Oblique" not in fonts and "GarantSans-BoldOblique" not in fonts
    assert pillow is False
    assert "Texte gras code." in _pages(tmp_path / "essai.pdf")[-1]


def test_first_pdf_of_a_process_with_italics_and_a_figure_draws_them(tmp_path: Path) -> None:
    fonts, pillow = _render_in_fresh_process(
        tmp_path, "## Titre\n\nTexte *penché* et ***les deux***.\n\n![Légende](themes.png)", True
    )
    assert {"GarantSans-Oblique", "GarantSans-BoldOblique"} <= fonts
    assert pillow is True  # the figure loaded Pillow when it was drawn
    fonts_listed = subprocess.run(
        ["pdffonts", str(tmp_path / "essai.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans-Oblique" in fonts_listed and "DejaVuSans-BoldOblique" in fonts_listed
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "essai.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(images.strip().splitlines()) >= 3  # header, rule, one image


def test_contents_is_laid_out_in_one_pass_with_each_headings_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus.doctemplate import BaseDocTemplate

    passes: list[int] = []
    original = BaseDocTemplate.multiBuild

    def counting(self: Any, *args: Any, **kwargs: Any) -> int:
        passes.append(original(self, *args, **kwargs))
        return passes[-1]

    monkeypatch.setattr(BaseDocTemplate, "multiBuild", counting)
    sections = "\n\n".join(
        f"## Section {n:02d}\n\n" + "Un paragraphe assez long pour remplir la page. " * 25
        for n in range(1, 46)
    )
    path = tmp_path / "long.pdf"
    render(
        Document(
            title="Long",
            organisation="Ville",
            metadata=DocumentMetadata(generated_at=FIXED_AT),
            body=sections,
        ),
        "pdf",
        path,
    )
    assert passes == [1]
    pages = _pages(path)
    listed = {
        int(match.group(1)): int(match.group(2))
        for page in pages[1:3]
        for match in re.finditer(r"Section (\d\d)[ .]+(\d+)\s*$", page, re.M)
    }
    assert "Section 45" not in pages[1] and "Section 45" in pages[2]  # on two pages
    assert len(listed) == 45  # every line has its number
    for section, number in listed.items():
        assert re.search(rf"^\s*Section {section:02d}\s*$", pages[number - 1], re.M), section

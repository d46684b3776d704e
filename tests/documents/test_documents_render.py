"""Rendering: atomic writes, safe HTML from public text, clear errors on bad input."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from documents_support import FIXED_AT, write_png
from pydantic import ValidationError

from garant.documents import Document, DocumentImage, DocumentMetadata, check_format, render
from garant.errors import InputError, NotFoundError


def _document(body: str, **changes: object) -> Document:
    values: dict[str, object] = {
        "title": "Rapport",
        "organisation": "Agence Exemple",
        "metadata": DocumentMetadata(generated_at=FIXED_AT),
        "body": body,
    }
    values.update(changes)
    return Document(**values)  # type: ignore[arg-type]


def test_render_writes_file_and_sidecar_and_leaves_no_temporary_file(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "html", tmp_path / "out" / "annexe.html")
    assert rendered.path.is_file()
    assert rendered.sidecar.read_text(encoding="utf-8") == f"{rendered.sha256}  annexe.html\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "annexe.html",
        "annexe.html.sha256",
    ]


def test_failed_render_keeps_the_previous_file_intact(
    tmp_path: Path, sample_document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "annexe.pdf"
    out.write_bytes(b"previous version")
    from garant.documents import render as render_module

    def explode(*_: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr("garant.documents.rendering.render_bytes", explode)
    with pytest.raises(RuntimeError):
        render_module(sample_document, "pdf", out)
    assert out.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir() if p.name != "source-themes.png"] == ["annexe.pdf"]


def test_html_escapes_raw_html_and_drops_unsafe_links(tmp_path: Path) -> None:
    body = (
        "## Avis\n\nJe cite <script>alert('x')</script> et <img src=x onerror=alert(1)>.\n\n"
        "[piège](javascript:alert(1)) [source](https://example.fr)\n"
    )
    rendered = render(_document(body), "html", tmp_path / "r.html")
    html = rendered.path.read_text(encoding="utf-8")
    assert "<script>" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert '<a href="https://example.fr">source</a>' in html


def test_html_autoescapes_document_fields(tmp_path: Path) -> None:
    rendered = render(
        _document("Texte.", title="Rapport <i>spécial</i>", organisation="A & B"),
        "html",
        tmp_path / "r.html",
    )
    html = rendered.path.read_text(encoding="utf-8")
    assert "<title>Rapport &lt;i&gt;spécial&lt;/i&gt; — A &amp; B</title>" in html


def test_html_is_a_self_contained_accessible_page(
    tmp_path: Path, sample_document: Document
) -> None:
    html = render(sample_document, "html", tmp_path / "a.html").path.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert '<th scope="col"' in html
    assert 'src="data:image/png;base64,' in html and 'alt="Taille des thèmes"' in html
    assert "@media print" in html and "size: A4" in html
    assert '<nav class="doc-toc" aria-labelledby="doc-sommaire">' in html


def test_markdown_output_copies_figures_beside_it(
    tmp_path: Path, sample_document: Document
) -> None:
    rendered = render(sample_document, "md", tmp_path / "annexe.md")
    figure = tmp_path / "figures" / "themes.png"
    assert figure.read_bytes() == sample_document.images[0].path.read_bytes()
    assert '](figures/themes.png "sha256:' in rendered.path.read_text(encoding="utf-8")


def test_unknown_format_and_folder_output_are_input_errors(
    tmp_path: Path, sample_document: Document
) -> None:
    with pytest.raises(InputError, match="Format inconnu : odt"):
        render(sample_document, "odt", tmp_path / "a.odt")
    with pytest.raises(InputError, match="est un dossier"):
        render(sample_document, "md", tmp_path)
    assert check_format(".PDF") == "pdf" and check_format("markdown") == "md"


def test_declared_figure_missing_from_body_is_an_input_error(tmp_path: Path) -> None:
    image = DocumentImage(name="profil.png", path=write_png(tmp_path / "p.png"))
    with pytest.raises(InputError, match=r"profil\.png") as caught:
        render(_document("Pas de figure.", images=(image,)), "md", tmp_path / "r.md")
    assert "![texte alternatif](nom.png)" in caught.value.hint


def test_figure_that_is_not_png_or_absent_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a")
    image = DocumentImage(name="fake.png", path=fake)
    with pytest.raises(InputError, match="n'est pas un fichier PNG"):
        render(_document("![x](fake.png)", images=(image,)), "html", tmp_path / "r.html")
    missing = DocumentImage(name="absent.png", path=tmp_path / "absent.png")
    with pytest.raises(NotFoundError, match=r"absent\.png"):
        render(_document("![x](absent.png)", images=(missing,)), "html", tmp_path / "r.html")


def test_undeclared_image_is_shown_as_its_alt_text(tmp_path: Path) -> None:
    html = render(_document("![Carte du quartier](carte.png)"), "html", tmp_path / "r.html")
    assert "<em>[Carte du quartier]</em>" in html.path.read_text(encoding="utf-8")


def test_document_model_rejects_naive_dates_and_bad_image_names(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="fuseau horaire"):
        DocumentMetadata(generated_at=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValidationError, match="nom d'image invalide"):
        DocumentImage(name="../evil.png", path=tmp_path / "x.png")
    image = DocumentImage(name="a.png", path=tmp_path / "a.png")
    with pytest.raises(ValidationError, match="images en double"):
        _document("x", images=(image, image))


def test_render_formats_and_checksums_file_verify_with_sha256sum(
    tmp_path: Path, sample_document: Document
) -> None:
    import shutil
    import subprocess

    from garant.documents import render_formats, write_checksums

    rendered = render_formats(sample_document, ["md", "html", "pdf"], tmp_path / "annexe")
    assert [r.path.name for r in rendered] == ["annexe.md", "annexe.html", "annexe.pdf"]
    assert len({r.content_sha256 for r in rendered}) == 1
    sums = write_checksums(rendered, tmp_path / "SHA256SUMS")
    lines = sums.read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == [
        "annexe.md",
        "figures/themes.png",
        "annexe.html",
        "annexe.pdf",
    ]
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout


def test_control_characters_are_removed_so_every_format_stays_valid(tmp_path: Path) -> None:
    document = _document("Texte\x0c avec\x01 contrôles.\n", title="Titre\x07")
    assert document.body == "Texte avec contrôles.\n" and document.title == "Titre"
    for fmt in ("md", "html", "pdf"):
        render(document, fmt, tmp_path / f"r.{fmt}")


def test_build_document_renders_a_report_template_with_workspace_override(tmp_path: Path) -> None:
    from garant.documents import build_document

    builtin = tmp_path / "pkg"
    builtin.mkdir()
    (builtin / "rapport.md.j2").write_text(
        "## Résultat\n\n{{ n }} personnes tirées au sort le {{ jour | date }}.\n", encoding="utf-8"
    )
    document = build_document(
        "rapport.md.j2",
        {"n": 30, "jour": date(2026, 11, 23)},
        title="Tirage au sort",
        organisation="Agence",
        metadata=DocumentMetadata(generated_at=FIXED_AT),
        template_dirs=[builtin],
    )
    assert document.body == "## Résultat\n\n30 personnes tirées au sort le 23/11/2026.\n"
    english = build_document(
        "rapport.md.j2",
        {"n": 30, "jour": date(2026, 11, 23)},
        title="Draw",
        organisation="Agency",
        metadata=DocumentMetadata(generated_at=FIXED_AT),
        language="en",
        template_dirs=[builtin],
    )
    assert "tirées au sort le 2026-11-23." in english.body  # the date filter follows `language`

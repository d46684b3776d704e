"""Render a document to a file: one entry point for every format, atomic writes, sidecar hash."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

from jinja2 import Environment

from garant.documents.environment import make_environment, render_template
from garant.documents.integrity import write_sidecar
from garant.documents.model import (
    Document,
    DocumentFormat,
    DocumentImage,
    DocumentMetadata,
    RenderedDocument,
)
from garant.documents.source import FIGURES_DIR, PreparedDocument, prepare
from garant.errors import InputError
from garant.i18n import tr
from garant.util.files import atomic_write_bytes, sha256_bytes, sha256_file

__all__ = [
    "FORMATS",
    "build_document",
    "check_format",
    "render",
    "render_bytes",
    "render_formats",
    "write_checksums",
]

FORMATS: tuple[DocumentFormat, ...] = get_args(DocumentFormat)


def check_format(value: str) -> DocumentFormat:
    """Validate a format name given by a user (``md``, ``html``, ``pdf``, ``docx``)."""
    lowered = value.lower().lstrip(".")
    if lowered == "markdown":
        lowered = "md"
    for known in FORMATS:
        if lowered == known:
            return known
    raise InputError(
        tr("Format inconnu : {value}", "Unknown format: {value}", value=value),
        tr(
            "Formats possibles : {formats}.",
            "Possible formats: {formats}.",
            formats=", ".join(FORMATS),
        ),
    )


def render_bytes(
    prepared: PreparedDocument, format: DocumentFormat, environment: Environment
) -> bytes:
    """The bytes of ``prepared`` in ``format`` (no file written)."""
    if format == "md":
        from garant.documents.text_formats import render_markdown_bytes

        return render_markdown_bytes(prepared)
    if format == "html":
        from garant.documents.text_formats import render_html_bytes

        return render_html_bytes(prepared, environment)
    if format == "pdf":
        from garant.documents.integrity import seal_pdf
        from garant.documents.pdf import render_pdf_bytes

        return seal_pdf(render_pdf_bytes(prepared))
    from garant.documents.docx import render_docx_bytes

    data: bytes = render_docx_bytes(prepared)
    return data


PUBLIC_MODE = 0o644
"""Permissions of documents meant for the public (readable by a web server)."""


def render(
    document: Document,
    format: DocumentFormat | str,
    out_path: Path,
    *,
    template_dirs: Sequence[Path] = (),
    environment: Environment | None = None,
    public: bool = False,
) -> RenderedDocument:
    """Render ``document`` to ``out_path`` in ``format`` and write ``<out_path>.sha256`` beside it.

    ``public=True`` (charters, the public register) writes the files world-readable (0644) so
    that a web server can serve them; other documents keep the process's private default.

    Every file is written atomically (temporary file, then rename). A Markdown output also gets
    its figures in ``figures/`` beside it. ``template_dirs`` (or a ready ``environment``) lets a
    workspace override ``document.md.j2``, ``page.html.j2`` and ``page.css``.
    """
    chosen = check_format(format)
    out_path = Path(out_path)
    if out_path.is_dir():
        raise InputError(
            tr(
                "{path} est un dossier, pas un fichier de sortie.",
                "{path} is a folder, not an output file.",
                path=out_path,
            ),
            tr(
                "Donnez un nom de fichier, par exemple {path}/document.{ext}.",
                "Give a file name, e.g. {path}/document.{ext}.",
                path=out_path,
                ext=chosen,
            ),
        )
    environment = environment or make_environment(template_dirs)
    prepared = prepare(document, environment)
    data = render_bytes(prepared, chosen, environment)
    assets: list[Path] = []
    if chosen == "md":
        for figure in prepared.figures.values():
            target = out_path.parent / FIGURES_DIR / figure.image.name
            atomic_write_bytes(target, figure.data, PUBLIC_MODE if public else None)
            assets.append(target)
    atomic_write_bytes(out_path, data, PUBLIC_MODE if public else None)
    file_hash = sha256_bytes(data)
    sidecar = write_sidecar(out_path, file_hash, PUBLIC_MODE if public else None)
    return RenderedDocument(
        path=out_path,
        format=chosen,
        sha256=file_hash,
        content_sha256=prepared.content_sha256,
        sidecar=sidecar,
        assets=tuple(assets),
    )


def render_formats(
    document: Document,
    formats: Sequence[DocumentFormat | str],
    out_stem: Path,
    *,
    template_dirs: Sequence[Path] = (),
) -> list[RenderedDocument]:
    """Render ``document`` once per format to ``<out_stem>.<format>`` (e.g. ``out/charte.pdf``)."""
    environment = make_environment(template_dirs)
    out_stem = Path(out_stem)
    return [
        render(
            document,
            fmt,
            out_stem.with_name(f"{out_stem.name}.{check_format(fmt)}"),
            environment=environment,
        )
        for fmt in formats
    ]


def write_checksums(rendered: Sequence[RenderedDocument], path: Path) -> Path:
    """Write a ``SHA256SUMS``-style list of the files (paths relative to ``path``'s folder).

    ``sha256sum -c SHA256SUMS`` then checks every document (and figure) of a folder at once.
    """
    import os

    folder = Path(path).parent
    lines: list[str] = []
    for item in rendered:
        for file in (item.path, *item.assets):
            relative = Path(os.path.relpath(file, folder)).as_posix()
            lines.append(f"{sha256_file(file)}  {relative}")
    atomic_write_bytes(Path(path), ("\n".join(dict.fromkeys(lines)) + "\n").encode("utf-8"))
    return Path(path)


def build_document(
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    organisation: str,
    metadata: DocumentMetadata,
    language: Literal["fr", "en"] = "fr",
    subtitle: str = "",
    disclosure: str = "",
    alert: str = "",
    images: Sequence[DocumentImage] = (),
    template_dirs: Sequence[Path] = (),
    packages: Sequence[str] = (),
) -> Document:
    """A :class:`Document` whose body is the Markdown template ``template`` rendered with
    ``context`` (plus ``lang``) — how a report module (sortition, synthesis, audit) builds its
    report from templates shipped in its own package's ``templates/`` folder (``packages``),
    overridable from the workspace (``template_dirs``)."""
    environment = make_environment(template_dirs, packages=packages)
    body = render_template(environment, template, {**context, "lang": language})
    return Document(
        title=title,
        subtitle=subtitle,
        organisation=organisation,
        language=language,
        disclosure=disclosure,
        alert=alert,
        metadata=metadata,
        body=body,
        images=tuple(images),
    )

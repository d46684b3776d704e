"""The canonical Markdown source of a document: what every format shows and what is hashed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import Environment

from garant.documents.environment import in_language, render_template
from garant.documents.integrity import canonical_text, content_sha256
from garant.documents.model import Document, DocumentImage
from garant.errors import InputError, NotFoundError
from garant.i18n import current_time_zone, format_datetime_long, tr
from garant.util.files import sha256_bytes

__all__ = ["FIGURES_DIR", "PreparedDocument", "metadata_rows", "prepare"]

FIGURES_DIR = "figures"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IMAGE_REFERENCE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')


@dataclass(frozen=True)
class Figure:
    """A declared image with its bytes, as the body now refers to it (``figures/<name>``)."""

    image: DocumentImage
    data: bytes
    sha256: str

    @property
    def reference(self) -> str:
        return f"{FIGURES_DIR}/{self.image.name}"


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready for a renderer: canonical source, content hash, body, figures."""

    document: Document
    markdown: str
    """Canonical Markdown source (hashed)."""
    content_sha256: str
    body: str
    """Body with figure references rewritten to ``figures/<name> "sha256:<hex>"``."""
    figures: dict[str, Figure]
    """Figures by reference (``figures/<name>``)."""
    meta_rows: tuple[tuple[str, str], ...]
    """(label, value) pairs of the metadata block, in the document's language."""


def metadata_rows(document: Document) -> tuple[tuple[str, str], ...]:
    """Labels and values of the metadata block, in the document's language."""

    def build() -> tuple[tuple[str, str], ...]:
        meta = document.metadata
        generated = f"{format_datetime_long(meta.generated_at)} ({current_time_zone()})"
        rows = [(tr("Organisation", "Organisation"), document.organisation)]
        if meta.policy_version:
            rows.append((tr("Version de la politique", "Policy version"), meta.policy_version))
        rows.append((tr("Généré le", "Generated on"), generated))
        if meta.run_ids:
            rows.append((tr("Exécutions tracées", "Audited runs"), ", ".join(meta.run_ids)))
        rows += list(meta.extra)
        return tuple(rows)

    return in_language(document.language, build)


def _load_figures(document: Document) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for image in document.images:
        if not image.path.is_file():
            raise NotFoundError(
                tr("Image introuvable : {path}", "Image not found: {path}", path=image.path),
                tr(
                    "Vérifiez le chemin de la figure « {name} ».",
                    "Check the path of figure '{name}'.",
                    name=image.name,
                ),
            )
        data = image.path.read_bytes()
        if not data.startswith(_PNG_SIGNATURE):
            raise InputError(
                tr(
                    "L'image {path} n'est pas un fichier PNG.",
                    "Image {path} is not a PNG file.",
                    path=image.path,
                ),
                tr("Enregistrez la figure au format PNG.", "Save the figure as PNG."),
            )
        figure = Figure(image=image, data=data, sha256=sha256_bytes(data))
        figures[figure.reference] = figure
    return figures


def _rewrite_figures(document: Document, figures: dict[str, Figure]) -> str:
    by_name = {figure.image.name: figure for figure in figures.values()}
    used: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        alt, target = match.group(1), match.group(2)
        name = target.removeprefix(f"{FIGURES_DIR}/")
        figure = by_name.get(name)
        if figure is None:
            return match.group(0)
        used.add(name)
        return f'![{alt or figure.image.alt}]({figure.reference} "sha256:{figure.sha256}")'

    body = _IMAGE_REFERENCE.sub(replace, document.body)
    unused = sorted(set(by_name) - used)
    if unused:
        raise InputError(
            tr(
                "Document « {title} » : figure(s) déclarée(s) mais absente(s) du texte : {names}",
                "Document '{title}': figure(s) declared but not used in the body: {names}",
                title=document.title,
                names=", ".join(unused),
            ),
            tr(
                "Ajoutez ![texte alternatif](nom.png) à l'endroit voulu du texte.",
                "Add ![alt text](name.png) where the figure belongs in the body.",
            ),
        )
    return body


def prepare(document: Document, environment: Environment) -> PreparedDocument:
    """Build the canonical Markdown source of ``document`` (template ``document.md.j2``)."""
    figures = _load_figures(document)
    body = canonical_text(_rewrite_figures(document, figures))
    rows = metadata_rows(document)
    source = render_template(
        environment,
        "document.md.j2",
        {
            "lang": document.language,
            "title": document.title,
            "subtitle": document.subtitle,
            "disclosure": document.disclosure,
            "alert": document.alert,
            "meta_rows": rows,
            "body": body,
        },
    )
    markdown = canonical_text(source)
    return PreparedDocument(
        document=document,
        markdown=markdown,
        content_sha256=content_sha256(markdown),
        body=body,
        figures=figures,
        meta_rows=rows,
    )

"""What a garant document is, independently of the format it is rendered to.

A :class:`Document` holds a title, the organisation, the language, metadata (policy version,
run ids, generation time) and a body written in Markdown, plus optional PNG figures the body
refers to by file name (``![Profil des probabilités](probabilites.png)``). Renderers turn it into
Markdown, HTML or PDF; :class:`RenderedDocument` describes one written file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "Document",
    "DocumentFormat",
    "DocumentImage",
    "DocumentMetadata",
    "RenderedDocument",
]

DocumentFormat = Literal["md", "html", "pdf", "docx"]

_IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.png$")
# C0/C1 control characters other than tab, line feed and carriage return: invalid in XML
# (HTML, DOCX) and invisible in print, so they are removed from every text field.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _without_controls(value: object) -> object:
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class DocumentMetadata(BaseModel):
    """Facts about how and when a document was produced; shown in every format and hashed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    generated_at: datetime
    """When the document was generated; must carry a time zone (shown in UTC)."""

    policy_version: str | None = None
    """Version of the usage policy in force (e.g. "v3"); shown in the footer of every page."""

    run_ids: tuple[str, ...] = ()
    """Audited runs the document reports on (MLflow run ids)."""

    extra: tuple[tuple[str, str], ...] = ()
    """Further label → value pairs shown in the metadata block, in order."""

    @field_validator("extra", mode="before")
    @classmethod
    def _clean_extra(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return tuple(
                tuple(_without_controls(part) for part in pair)
                if isinstance(pair, (list, tuple))
                else pair
                for pair in value
            )
        return value

    @field_validator("generated_at")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                "generated_at doit porter un fuseau horaire (ex. datetime.now(UTC)) "
                "/ generated_at must be timezone-aware"
            )
        return value.astimezone(UTC)


class DocumentImage(BaseModel):
    """A PNG figure the body refers to by ``name`` (``![texte alternatif](name)``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """File name used in the body and in the ``figures/`` folder beside a Markdown output."""

    path: Path
    """Where the PNG file is now."""

    alt: str = ""
    """Text alternative for screen readers and the caption under the figure."""

    @field_validator("name")
    @classmethod
    def _plain_png_name(cls, value: str) -> str:
        if not _IMAGE_NAME.match(value):
            raise ValueError(
                f"nom d'image invalide : {value!r} (lettres, chiffres, . _ -, finissant par .png)"
            )
        return value


class Document(BaseModel):
    """A document garant writes: charter, registry, audit report, sortition or synthesis report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1)
    """Main title (title page, HTML ``<h1>``, first Markdown heading)."""

    organisation: str = Field(min_length=1)
    """Organisation issuing the document."""

    metadata: DocumentMetadata
    """Policy version, runs and generation time."""

    body: str
    """Content in Markdown; top-level sections are ``##`` headings."""

    subtitle: str = ""
    """Optional subtitle under the title."""

    language: Literal["fr", "en"] = "fr"
    """Language of the document; labels, dates and footers follow it."""

    disclosure: str = ""
    """Disclosure label shown at the top (e.g. "Texte généré par intelligence artificielle.")."""

    images: tuple[DocumentImage, ...] = ()
    """PNG figures referenced from the body by name."""

    alert: str = ""
    """A warning shown in red at the top of page 1 (e.g. the ledger does not verify)."""

    @field_validator(
        "title", "organisation", "body", "subtitle", "disclosure", "alert", mode="before"
    )
    @classmethod
    def _clean_text(cls, value: object) -> object:
        return _without_controls(value)

    @field_validator("images")
    @classmethod
    def _unique_names(cls, value: tuple[DocumentImage, ...]) -> tuple[DocumentImage, ...]:
        names = [image.name for image in value]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"images en double : {', '.join(duplicates)}")
        return value


class RenderedDocument(BaseModel):
    """One written output file and the hashes a reader can check."""

    model_config = ConfigDict(frozen=True)

    path: Path
    """The written file."""

    format: DocumentFormat
    """Its format."""

    sha256: str
    """SHA-256 of the file's bytes, also written to the sidecar ``<file>.sha256``."""

    content_sha256: str
    """SHA-256 of the canonical Markdown source, shown in the footer of every format."""

    sidecar: Path
    """The ``<file>.sha256`` file (``sha256sum -c`` format)."""

    assets: tuple[Path, ...] = ()
    """Extra files written beside it (figures of a Markdown output)."""

"""Documents: one Jinja environment, a document model, Markdown/HTML/PDF/DOCX renderers,
integrity hashes a reader can verify, and the internal guide / external charter templates.

Every report garant writes (charters, registries, audit reports, sortition and synthesis reports,
annexes for commissaires enquêteurs) goes through :func:`render`.

The charter names (the charter context's models and the charter builders) are loaded on first
use, so a command that writes another document does not build the charter models (~0.03 s,
docs/adr-0020, Session 4, audit report).
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from garant.documents.environment import make_environment, md_cell, render_template
from garant.documents.integrity import (
    VERIFY_COMMAND,
    VerificationResult,
    canonical_text,
    content_sha256,
    verify_document,
)
from garant.documents.model import (
    Document,
    DocumentFormat,
    DocumentImage,
    DocumentMetadata,
    RenderedDocument,
)
from garant.documents.rendering import (
    FORMATS,
    build_document,
    check_format,
    render,
    render_formats,
    write_checksums,
)

if _TYPE_CHECKING:
    from garant.documents.charter_context import (
        CharterContext,
        CharterKind,
        CharterOrganisation,
        CharterPerson,
        CharterTool,
        CharterUse,
        ContactChannel,
        DataRule,
        ForbiddenUse,
        TrainingOffer,
        example_charter_context,
    )
    from garant.documents.charters import (
        CHARTER_KINDS,
        build_charter_document,
        charter_template_name,
        render_charter,
    )

_LAZY = {
    **dict.fromkeys(
        (
            "CharterContext",
            "CharterKind",
            "CharterOrganisation",
            "CharterPerson",
            "CharterTool",
            "CharterUse",
            "ContactChannel",
            "DataRule",
            "ForbiddenUse",
            "TrainingOffer",
            "example_charter_context",
        ),
        "garant.documents.charter_context",
    ),
    **dict.fromkeys(
        ("CHARTER_KINDS", "build_charter_document", "charter_template_name", "render_charter"),
        "garant.documents.charters",
    ),
}


def __getattr__(name: str) -> _Any:
    """Load a charter name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CHARTER_KINDS",
    "FORMATS",
    "VERIFY_COMMAND",
    "CharterContext",
    "CharterKind",
    "CharterOrganisation",
    "CharterPerson",
    "CharterTool",
    "CharterUse",
    "ContactChannel",
    "DataRule",
    "Document",
    "DocumentFormat",
    "DocumentImage",
    "DocumentMetadata",
    "ForbiddenUse",
    "RenderedDocument",
    "TrainingOffer",
    "VerificationResult",
    "build_charter_document",
    "build_document",
    "canonical_text",
    "charter_template_name",
    "check_format",
    "content_sha256",
    "example_charter_context",
    "make_environment",
    "md_cell",
    "render",
    "render_charter",
    "render_formats",
    "render_template",
    "verify_document",
    "write_checksums",
]

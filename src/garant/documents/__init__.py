"""Documents: one Jinja environment, a document model, Markdown/HTML/PDF/DOCX renderers,
integrity hashes a reader can verify, and the internal guide / external charter templates.

Every report garant writes (charters, registries, audit reports, sortition and synthesis reports,
annexes for commissaires enquêteurs) goes through :func:`render`.
"""

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

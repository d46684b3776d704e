"""The internal usage guide and the external charter, rendered from templates and a context."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment

from garant.documents.charter_context import CharterContext, CharterKind
from garant.documents.environment import in_language, make_environment, render_template
from garant.documents.model import Document, DocumentFormat, DocumentMetadata, RenderedDocument
from garant.documents.rendering import render
from garant.errors import InputError
from garant.i18n import tr

__all__ = ["CHARTER_KINDS", "build_charter_document", "charter_template_name", "render_charter"]

CHARTER_KINDS: tuple[CharterKind, ...] = ("internal", "external")


def charter_template_name(kind: str, language: str) -> str:
    """``charter-internal.fr.md.j2`` — the name a workspace template overrides."""
    if kind not in CHARTER_KINDS:
        raise InputError(
            tr("Type de charte inconnu : {kind}", "Unknown charter kind: {kind}", kind=kind),
            tr(
                "Choisissez internal (guide interne) ou external (charte publique).",
                "Choose internal (internal guide) or external (public charter).",
            ),
        )
    return f"charter-{kind}.{language}.md.j2"


def _titles(kind: CharterKind, context: CharterContext) -> tuple[str, str]:
    def build() -> tuple[str, str]:
        if kind == "internal":
            title = tr(
                "Guide interne d'usage de l'intelligence artificielle",
                "Internal guide to the use of artificial intelligence",
            )
        else:
            title = tr(
                "Charte d'utilisation de l'intelligence artificielle",
                "Charter on the use of artificial intelligence",
            )
        subtitle = tr(
            "{org} — politique d'usage de l'IA {version}",
            "{org} — AI usage policy {version}",
            org=context.organisation.name,
            version=context.policy_version,
        )
        if context.draft:
            title = tr("PROJET — {t}", "DRAFT — {t}", t=title)
            subtitle += tr(" (PROJET, non approuvée)", " (DRAFT, not approved)")
        return title, subtitle

    return in_language(context.language, build)


def _draft_notice(context: CharterContext) -> str:
    if not context.draft:
        return ""
    return in_language(
        context.language,
        lambda: tr(
            "PROJET — la politique d'usage de l'IA dont ce document découle n'est pas approuvée "
            "(ou a été modifiée depuis son approbation) : ce document n'engage pas encore "
            "l'organisation.",
            "DRAFT — the AI usage policy this document derives from is not approved (or was "
            "edited since its approval): this document does not yet bind the organisation.",
        ),
    )


def build_charter_document(
    kind: CharterKind,
    context: CharterContext,
    *,
    environment: Environment | None = None,
    template_dirs: Sequence[Path] = (),
    generated_at: datetime | None = None,
    run_ids: Sequence[str] = (),
) -> Document:
    """The charter as a :class:`Document` (render it in as many formats as needed)."""
    environment = environment or make_environment(template_dirs)
    body = render_template(
        environment,
        charter_template_name(kind, context.language),
        {"c": context, "lang": context.language},
    )
    title, subtitle = _titles(kind, context)
    return Document(
        title=title,
        subtitle=subtitle,
        disclosure=_draft_notice(context),
        organisation=context.organisation.name,
        language=context.language,
        metadata=DocumentMetadata(
            generated_at=generated_at or datetime.now(UTC),
            policy_version=context.policy_version,
            run_ids=tuple(run_ids),
        ),
        body=body,
    )


def render_charter(
    kind: CharterKind,
    context: CharterContext,
    format: DocumentFormat | str,
    out_path: Path,
    template_dirs: Sequence[Path] = (),
    *,
    generated_at: datetime | None = None,
    run_ids: Sequence[str] = (),
) -> RenderedDocument:
    """Render the internal guide or the external charter to ``out_path`` (+ ``.sha256``)."""
    environment = make_environment(template_dirs)
    document = build_charter_document(
        kind,
        context,
        environment=environment,
        generated_at=generated_at,
        run_ids=run_ids,
    )
    return render(document, format, out_path, environment=environment, public=True)

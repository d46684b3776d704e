"""Markdown and HTML renderers: bytes from a prepared document."""

from __future__ import annotations

import base64

from jinja2 import Environment
from markupsafe import Markup

from garant.documents.environment import in_language, render_template
from garant.documents.integrity import INTEGRITY_MARKER, VERIFY_COMMAND
from garant.documents.markup import markdown_to_html
from garant.documents.source import PreparedDocument
from garant.i18n import tr

__all__ = ["footer_line", "render_html_bytes", "render_markdown_bytes"]


def footer_line(prepared: PreparedDocument) -> str:
    """One-line footer: policy version and content hash, in the document's language."""

    def build() -> str:
        version = prepared.document.metadata.policy_version
        policy = tr("Politique {v} · ", "Policy {v} · ", v=version) if version else ""
        return policy + tr(
            "Empreinte SHA-256 du contenu : {h}",
            "Content SHA-256: {h}",
            h=prepared.content_sha256,
        )

    return in_language(prepared.document.language, build)


def render_markdown_bytes(prepared: PreparedDocument) -> bytes:
    """The canonical source, the integrity marker line, then a visible footer."""

    def build() -> str:
        version = prepared.document.metadata.policy_version
        policy = tr("Politique {v} · ", "Policy {v} · ", v=version) if version else ""
        footer = policy + tr(
            "Empreinte SHA-256 du contenu ci-dessus : `{h}` · Vérification : `{cmd} <fichier>`",
            "SHA-256 of the content above: `{h}` · Verify with: `{cmd} <file>`",
            h=prepared.content_sha256,
            cmd=VERIFY_COMMAND,
        )
        return (
            f"{prepared.markdown}{INTEGRITY_MARKER}{prepared.content_sha256} -->\n\n"
            f"---\n\n*{footer}*\n"
        )

    return in_language(prepared.document.language, build).encode("utf-8")


def render_html_bytes(prepared: PreparedDocument, environment: Environment) -> bytes:
    """A self-contained HTML page (figures embedded as data URIs) from ``page.html.j2``."""
    document = prepared.document
    sources = {
        reference: "data:image/png;base64," + base64.b64encode(figure.data).decode("ascii")
        for reference, figure in prepared.figures.items()
    }
    body = markdown_to_html(prepared.body, image_sources=sources)

    def labels() -> dict[str, str]:
        return {
            "skip": tr("Aller au contenu", "Skip to content"),
            "toc": tr("Sommaire", "Contents"),
            "disclosure": tr("Mention :", "Notice:"),
            "policy": tr("Politique", "Policy"),
            "hash": tr("Empreinte SHA-256 du contenu :", "Content SHA-256:"),
            "verify": tr("Vérification :", "Verify with:"),
        }

    page = render_template(
        environment,
        "page.html.j2",
        {
            "lang": document.language,
            "title": document.title,
            "subtitle": document.subtitle,
            "organisation": document.organisation,
            "disclosure": document.disclosure,
            "alert": document.alert,
            "meta_rows": prepared.meta_rows,
            "has_toc": len(body.headings) > 1,
            # python-markdown output with raw HTML escaped (see markup.py): safe to insert
            "toc_html": Markup(body.toc_html),
            "body_html": Markup(body.html),
            "content_sha256": prepared.content_sha256,
            "policy_version": document.metadata.policy_version or "",
            "verify_command": f"{VERIFY_COMMAND} <fichier>"
            if document.language == "fr"
            else f"{VERIFY_COMMAND} <file>",
            "labels": in_language(document.language, labels),
        },
    )
    return page.encode("utf-8")

"""The dated review addendum: what a human review decided about documents written before it.

A run's documents are fixed facts — their hashes are in the ledger and MLflow — so a review
that comes after them does not rewrite them (docs/adr-0018-french-cli-and-documents-that-stay-
true.md). Instead ``runs review`` writes ``relecture.md`` and ``relecture.pdf`` beside them: who
decided, when (the organisation's time), the comment, and the SHA-256 of each document the
decision covers; the documents' own label says that a later review is recorded there.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from garant.documents.model import Document, DocumentMetadata, RenderedDocument
from garant.i18n import current_time_zone, format_datetime_long, tr
from garant.workspace import Workspace

__all__ = ["ADDENDUM_STEM", "write_review_addendum"]

ADDENDUM_STEM = "relecture"
"""``runs/<id>/relecture.md`` and ``relecture.pdf``."""


def _covered_outputs(folder: Path) -> list[tuple[str, str]]:
    manifest = folder / "run.json"
    if not manifest.is_file():
        return []
    outputs = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    return sorted((str(name), str(sha)) for name, sha in outputs.items())


def addendum_document(
    *,
    organisation: str,
    run_id: str,
    decision: str,
    reviewer: str,
    reviewed_at: datetime,
    comment: str,
    outputs: list[tuple[str, str]],
    language: str = "fr",
) -> Document:
    """The addendum as a :class:`Document` (rendered to Markdown and PDF by the caller)."""
    approved = decision == "approved"
    verdict = tr("approuvée", "approved") if approved else tr("rejetée", "rejected")
    when = f"{format_datetime_long(reviewed_at)} ({current_time_zone()})"
    lines = [
        tr(
            "**Décision : relecture {v}** par {who}, le {when}.",
            "**Decision: review {v}** by {who}, on {when}.",
            v=verdict,
            who=reviewer,
            when=when,
        ),
        "",
        tr("Commentaire : {c}", "Comment: {c}", c=comment or "—"),
        "",
        tr(
            "Les documents ci-dessous ont été produits avant cette relecture : la mention "
            "« Relecture humaine : en attente » qu'ils portent se lit avec le présent addendum, "
            "qui fait foi à partir de la date ci-dessus.",
            "The documents below were produced before this review: their « Human review: "
            "pending » label is read with this addendum, which holds from the date above.",
        ),
        "",
        tr("| Document | Empreinte SHA-256 |", "| Document | SHA-256 |"),
        "|---|---|",
        *(f"| {name} | `{sha}` |" for name, sha in outputs),
        "",
        tr(
            "AI Act art. 50(4) : relu et sous la responsabilité éditoriale de la personne "
            "nommée ci-dessus, le contenu n'exige plus la mention ; elle est maintenue par "
            "transparence."
            if approved
            else "Contenu rejeté à la relecture : ne pas publier.",
            "AI Act Art. 50(4): reviewed and under the editorial responsibility of the person "
            "named above, the content no longer requires the disclosure; it is kept for "
            "transparency."
            if approved
            else "Content rejected at review: do not publish.",
        ),
        "",
        tr(
            "Le journal de preuve garde la décision : `garant runs show {run}`.",
            "The evidence ledger keeps the decision: `garant runs show {run}`.",
            run=run_id,
        ),
    ]
    return Document(
        title=tr("Addendum de relecture", "Review addendum"),
        subtitle=tr("Exécution {run}", "Run {run}", run=run_id),
        organisation=organisation,
        language="en" if language == "en" else "fr",
        metadata=DocumentMetadata(generated_at=datetime.now(UTC), run_ids=(run_id,)),
        body="\n".join(lines) + "\n",
    )


def write_review_addendum(
    workspace: Workspace,
    run_id: str,
    *,
    decision: str,
    reviewer: str,
    reviewed_at: datetime,
    comment: str,
) -> list[RenderedDocument]:
    """Write ``relecture.md`` and ``relecture.pdf`` in the run's folder (with their ``.sha256``)
    and record them in the ledger as exports naming the run."""
    from garant.audit.ledger import append_event, write_head
    from garant.documents.rendering import render_formats
    from garant.store.engine import unit_of_work

    folder = workspace.runs_dir / run_id
    document = addendum_document(
        organisation=workspace.settings.organisation_name,
        run_id=run_id,
        decision=decision,
        reviewer=reviewer,
        reviewed_at=reviewed_at,
        comment=comment,
        outputs=_covered_outputs(folder),
        language=workspace.settings.language,
    )
    rendered = render_formats(document, ("md", "pdf"), folder / ADDENDUM_STEM)
    with unit_of_work(workspace.engine) as session:
        for item in rendered:
            append_event(
                session,
                "export",
                {
                    "kind": "review_addendum",
                    "format": item.format,
                    "path": str(item.path.resolve()),
                    "sha256": item.sha256,
                    "content_sha256": item.content_sha256,
                    "decision": decision,
                    "run": run_id,
                },
            )
    write_head(workspace.engine, workspace.ledger_anchor)
    return rendered

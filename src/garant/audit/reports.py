"""Reports of audited runs rendered as documents (Markdown source → HTML and PDF).

Each rendered file becomes an output of the run (hash in the ledger, artifact in MLflow), with
the run id, the policy version and the disclosure label on the document itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from garant.audit.disclosure import DisclosureLabel
from garant.audit.gate import policy_label
from garant.audit.run import AuditedRun, OutputRecord

__all__ = ["render_run_report"]


def _body(markdown: str) -> tuple[str, str]:
    """Split a leading ``# Title`` from the Markdown body (the document draws its own title)."""
    lines = markdown.lstrip().splitlines()
    if lines and lines[0].startswith("# "):
        return lines[0][2:].strip(), "\n".join(lines[1:]).lstrip()
    return "", markdown


def render_run_report(
    run: AuditedRun,
    markdown: str,
    stem: str,
    *,
    title: str,
    label: DisclosureLabel,
    images: Sequence[Path] = (),
    formats: Sequence[str] = ("html", "pdf"),
) -> list[OutputRecord]:
    """Render ``markdown`` as ``stem.<format>`` in the run folder and record each file."""
    from garant.documents import Document, DocumentImage, DocumentMetadata, render

    heading, body = _body(markdown)
    document = Document(
        title=heading or title,
        organisation=run.workspace.settings.organisation_name,
        language=run.workspace.settings.language,
        metadata=DocumentMetadata(
            generated_at=datetime.now(UTC),
            policy_version=policy_label(run.decision),
            run_ids=(run.id,),
        ),
        body=body,
        disclosure=" ".join(label.sentences()),
        images=tuple(DocumentImage(name=path.name, path=path) for path in images),
    )
    records = []
    for fmt in formats:
        rendered = render(document, fmt, run.outputs_dir / f"{stem}.{fmt}")
        records.append(run.add_output(rendered.path.name, rendered.path))
    return records

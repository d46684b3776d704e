"""Exports a reader can verify: a file garant writes outside a run (transcript, registry
extract…) carries its hash — inside it for Markdown, in a ``.sha256`` beside it for every
format — and the ledger records that hash, so ``garant document verify FILE`` can say CONFORME
and a regenerated ``.sha256`` cannot vouch for a changed file (issue 12.5)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from garant.documents.integrity import VERIFY_COMMAND, seal_markdown, write_sidecar
from garant.i18n import tr
from garant.util.files import atomic_write_text, sha256_file
from garant.workspace import Workspace

__all__ = ["ExportedFile", "write_export"]

PUBLIC_MODE = 0o644


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    sha256: str
    sidecar: Path


def write_export(
    workspace: Workspace, path: Path, text: str, *, kind: str, public: bool = False
) -> ExportedFile:
    """Write ``text`` to ``path`` (Markdown sealed with its content hash), its ``.sha256``
    beside it, and an ``export`` event in the ledger naming the file and its hash.

    ``public=True`` writes both files world-readable (0644), for pages meant for a web server.
    """
    from garant.audit.ledger import append_event, write_head
    from garant.audit.run import ledger_anchor
    from garant.store.engine import unit_of_work

    if path.suffix.lower() == ".md":
        text = seal_markdown(
            text,
            tr(
                "Vérification : `{cmd} {name}`",
                "Verify with: `{cmd} {name}`",
                cmd=VERIFY_COMMAND,
                name=path.name,
            ),
        )
    mode = PUBLIC_MODE if public else None
    atomic_write_text(path, text, mode)
    digest = sha256_file(path)
    sidecar = write_sidecar(path, digest, mode)
    with unit_of_work(workspace.engine) as session:
        append_event(
            session,
            "export",
            {
                "kind": kind,
                "format": path.suffix.lstrip("."),
                "path": str(path.resolve()),
                "sha256": digest,
            },
        )
    write_head(workspace.engine, ledger_anchor(workspace))
    return ExportedFile(path=path, sha256=digest, sidecar=sidecar)

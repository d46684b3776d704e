"""``garant charter render``, ``garant document verify`` and ``garant registry publish``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garant.cli.output import print_json, say
from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["charter_app", "document_app", "registry_publish"]

charter_app = typer.Typer(
    help="Guide interne et charte publique, produits depuis la politique et le registre.",
    no_args_is_help=True,
)
document_app = typer.Typer(
    help="Vérification des documents produits par garant.", no_args_is_help=True
)


@charter_app.command("render")
def render(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Option("--kind", help="internal (guide interne) | external (charte publique).")
    ] = "internal",
    format: Annotated[str, typer.Option("--format", help="md | html | pdf | docx")] = "pdf",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Fichier produit (défaut : dans exports/)."),
    ] = None,
) -> None:
    """Produit le guide interne ou la charte publique (modèles de charters/ prioritaires)."""
    from garant.governance.charter_data import render_workspace_charter

    rendered = render_workspace_charter(state_of(ctx).workspace(), kind, format, output)
    typer.echo(str(rendered.path))
    say(
        tr(
            "Document écrit : {path}\n  SHA-256 : {sha}\n  Vérifier : garant document verify {path}",
            "Document written: {path}\n  SHA-256: {sha}\n  Verify: garant document verify {path}",
            path=rendered.path,
            sha=rendered.sha256,
        )
    )


def _ledger_hash(file: Path, workspace_option: Path | None) -> str | None:
    """The file hash the workspace's ledger recorded when garant wrote ``file`` (an ``export``
    event, or a run's ``output`` event for a file in ``runs/<id>/``), so that a regenerated
    ``.sha256`` beside a changed file cannot vouch for it."""
    import json

    from sqlmodel import Session, col, select

    from garant.domain.models import LedgerEntry
    from garant.errors import GarantError
    from garant.workspace import find_workspace_root, open_workspace

    try:
        workspace = open_workspace(find_workspace_root(workspace_option))
    except GarantError:
        return None
    try:
        resolved = file.resolve()
        wanted = str(resolved)
        run_id = (
            resolved.parent.name if resolved.parent.parent == workspace.runs_dir.resolve() else None
        )
        with Session(workspace.engine) as session:
            query = select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())
            query = query.where(col(LedgerEntry.event).in_(("output", "export")))
            for entry in session.exec(query):
                payload = json.loads(entry.payload)
                if entry.event == "output":
                    if (
                        entry.run_id == run_id
                        and payload.get("name") == resolved.name
                        and payload.get("sha256")
                    ):
                        return str(payload["sha256"])
                    continue
                path = payload.get("path")
                if path and str(Path(path).resolve()) == wanted and payload.get("sha256"):
                    return str(payload["sha256"])
                folder, files = payload.get("folder"), payload.get("files")
                if (
                    folder
                    and isinstance(files, dict)
                    and resolved.name in files
                    and str((Path(folder) / resolved.name).resolve()) == wanted
                ):
                    return str(files[resolved.name])
    finally:
        workspace.close()
    return None


@document_app.command("verify")
def verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Document à vérifier (md, html, pdf, docx).")],
    expected_sha256: Annotated[
        str | None,
        typer.Option("--expected-sha256", help="Empreinte attendue (ex. relevée dans le journal)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Vérifie l'intégrité d'un document (fichier .sha256, empreinte intégrée, empreinte donnée).

    Code de sortie 1 si le document n'est pas conforme."""
    from garant.documents import verify_document
    from garant.errors import NotFoundError

    if not file.is_file():
        raise NotFoundError(
            tr("Fichier introuvable : {path}", "File not found: {path}", path=file),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    if expected_sha256 is None:
        expected_sha256 = _ledger_hash(file, state_of(ctx).workspace_option)
    result = verify_document(file, expected_sha256=expected_sha256)
    if as_json:
        print_json(result)
    else:
        typer.echo(result.summary())
    if not result.ok:
        raise typer.Exit(1)


def registry_publish(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Dossier de sortie (défaut : exports/transparence)."),
    ] = None,
) -> None:
    """Publie la page de transparence (HTML + JSON) des usages approuvés (CRPA L.312-1-3)."""
    from garant.governance.publication import publish_register

    files = publish_register(state_of(ctx).workspace(), output)
    typer.echo(str(files.html))
    say(
        tr(
            "Page publique écrite : {html}\n  Données : {json}",
            "Public page written: {html}\n  Data: {json}",
            html=files.html,
            json=files.json,
        )
    )
    if files.verification:
        say(files.verification)

"""``garant annex export | verify``: the signed annex on AI use in a public inquiry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from garant.cli.output import say
from garant.cli.state import state_of
from garant.i18n import tr

__all__ = ["annex_app"]

annex_app = typer.Typer(
    help="Annexe sur l'usage de l'IA dans une enquête publique : export signé, vérification.",
    no_args_is_help=True,
)


def _signer(ctx: typer.Context, person: str | None, pkcs12: Path | None, env: str | None) -> Any:
    from garant.cli.keys_commands import read_passphrase
    from garant.documents.annex_signing import load_signer
    from garant.errors import InputError

    if pkcs12 is not None:
        if not pkcs12.is_file():
            raise InputError(
                tr("Certificat introuvable : {p}", "Certificate not found: {p}", p=pkcs12),
                tr("Vérifiez le chemin donné à --pkcs12.", "Check the --pkcs12 path."),
            )
        passphrase = read_passphrase(person or pkcs12.name, env, confirm=False)
        return load_signer(pkcs12.read_bytes(), passphrase, pkcs12)
    if person is None:
        return None
    from garant.signing import load_person_key

    workspace = state_of(ctx).workspace()
    passphrase = read_passphrase(person, env, confirm=False)
    loaded = load_person_key(workspace, person, passphrase)  # checks the key and the passphrase
    return load_signer(loaded.pkcs12_path.read_bytes(), passphrase, loaded.pkcs12_path)


@annex_app.command("export")
def annex_export(
    ctx: typer.Context,
    dossier: Annotated[str, typer.Argument(help="Clé du dossier d'enquête.")],
    fmt: Annotated[str, typer.Option("--format", help="pdf (signé) | html | md")] = "pdf",
    signer: Annotated[
        str | None,
        typer.Option("--signer", help="Personne qui signe (clé créée par « garant keys create »)."),
    ] = None,
    pkcs12: Annotated[
        Path | None, typer.Option("--pkcs12", help="Certificat PKCS#12 (.p12/.pfx) à utiliser.")
    ] = None,
    passphrase_env: Annotated[
        str | None,
        typer.Option(
            "--passphrase-env", help="Variable d'environnement contenant la phrase secrète."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Fichier de sortie.")] = None,
) -> None:
    """Produit l'annexe (PDF signé par défaut) et son manifeste JSON ; l'export est inscrit au registre."""
    from garant.inquiry.export import export_annex

    state = state_of(ctx)
    loaded = _signer(ctx, signer, pkcs12, passphrase_env) if fmt == "pdf" else None
    result = export_annex(
        state.workspace(),
        dossier,
        fmt,
        actor=state.actor,
        signer=loaded,
        signer_person=signer or "",
        out=out,
    )
    say(tr("Annexe écrite : {p}", "Annex written: {p}", p=result.path))
    say(tr("Manifeste : {p}", "Manifest: {p}", p=result.manifest_path))
    say(
        tr(
            "Empreinte SHA-256 du manifeste : {h}",
            "Manifest SHA-256: {h}",
            h=result.manifest_sha256,
        )
    )
    if result.certificate_sha256:
        say(
            tr(
                "Certificat (SHA-256) : {h}",
                "Certificate (SHA-256): {h}",
                h=result.certificate_sha256,
            )
        )
    typer.echo(str(result.path))


@annex_app.command("verify")
def annex_verify(
    pdf: Annotated[Path, typer.Argument(help="L'annexe PDF à vérifier.")],
    files: Annotated[
        Path | None, typer.Option("--files", help="Dossier des pièces listées dans le manifeste.")
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", help="Espace de travail garant : vérifie aussi le registre."),
    ] = None,
) -> None:
    """Vérifie une annexe : signature, manifeste, pièces (--files), registre (--workspace)."""
    from garant.inquiry.verify import verify_annex
    from garant.workspace import find_workspace_root, open_workspace

    opened = open_workspace(find_workspace_root(workspace)) if workspace is not None else None
    try:
        verdicts = verify_annex(pdf, files_dir=files, workspace=opened)
    finally:
        if opened is not None:
            opened.close()
    for verdict in verdicts:
        mark = "OK " if verdict.ok else "ÉCHEC"
        typer.echo(f"[{mark}] {verdict.item} : {verdict.message}")
    failed = [v for v in verdicts if not v.ok]
    if failed:
        typer.echo(
            tr(
                "Annexe NON conforme : {n} point(s) en échec ({items}).",
                "Annex NOT sound: {n} failed check(s) ({items}).",
                n=len(failed),
                items=", ".join(dict.fromkeys(v.item for v in failed)),
            )
        )
        raise typer.Exit(1)
    typer.echo(
        tr(
            "Annexe conforme : les {n} vérifications sont passées.",
            "Annex sound: all {n} checks passed.",
            n=len(verdicts),
        )
    )

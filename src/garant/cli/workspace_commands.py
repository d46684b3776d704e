"""``garant init``: create a workspace."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, cast

import typer

from garant.cli.output import say
from garant.i18n import tr
from garant.settings import OrganisationKind

__all__ = ["init"]


def init(
    directory: Annotated[
        Path, typer.Argument(help="Dossier à créer (défaut : dossier courant).")
    ] = Path("."),
    name: Annotated[
        str, typer.Option("--name", help="Nom de l'organisation, ex. « Métropole X ».")
    ] = "",
    kind: Annotated[
        str, typer.Option("--kind", help="collectivite | agence | enquete")
    ] = "collectivite",
    lang: Annotated[str, typer.Option("--language", help="Langue de l'espace : fr | en.")] = "fr",
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="URL SQLAlchemy (défaut : SQLite dans l'espace)."),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            help="Contact public de la charte : adresse ou page où le public vous écrit.",
        ),
    ] = None,
) -> None:
    """Crée un espace de travail : garant.toml, base de données, dossier MLflow local."""
    from garant.errors import InputError
    from garant.governance.setup import init_workspace

    if kind not in ("collectivite", "agence", "enquete"):
        raise InputError(
            tr("« --kind » invalide : {k}", "Invalid '--kind': {k}", k=kind),
            tr(
                "Valeurs possibles : collectivite, agence, enquete",
                "Allowed: collectivite, agence, enquete",
            ),
        )
    if not name.strip():
        raise InputError(
            tr("« --name » est obligatoire.", "'--name' is required."),
            tr(
                'Exemple : garant init . --name "Métropole X"',
                'Example: garant init . --name "City X"',
            ),
        )
    if contact is None and sys.stdin.isatty():
        contact = typer.prompt(
            tr(
                "Contact public (adresse ou page où le public vous écrit ; vide : plus tard)",
                "Public contact (address or page where the public writes to you; empty: later)",
            ),
            default="",
            show_default=False,
        )
    workspace = init_workspace(
        directory,
        name.strip(),
        cast(OrganisationKind, kind),
        language=lang,
        database_url=database_url,
        contact=contact,
    )
    workspace.close()
    if not (contact or "").strip():
        say(
            tr(
                "Attention : contact public à compléter (disclosure.contact dans "
                "policies/politique.yaml) avant d'approuver la politique.",
                "Warning: public contact to fill in (disclosure.contact in "
                "policies/politique.yaml) before approving the policy.",
            )
        )
    say(
        tr(
            "Espace de travail créé dans {root} pour « {name} ».",
            "Workspace created in {root} for '{name}'.",
            root=workspace.root,
            name=name,
        )
    )

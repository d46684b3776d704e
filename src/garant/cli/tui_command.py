"""``garant tui`` (and ``garant`` alone): open the terminal interface on the workspace.

Outside a workspace it offers to create one with the same service as ``garant init``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garant.cli.state import state_of
from garant.errors import WorkspaceError
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = ["open_tui", "tui"]


def tui(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option("--as", help="Personne qui agit (défaut : réglage actor).")
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Mode simple (lecteurs d'écran) : couleurs du terminal, bordures ASCII, "
            "sans animation (réglage [tui] plain).",
        ),
    ] = False,
) -> None:
    """Ouvre l'interface plein écran (tableau de bord, registre, politique, exécutions…)."""
    open_tui(ctx, actor, plain=plain)


def open_tui(ctx: typer.Context, actor: str | None = None, *, plain: bool = False) -> None:
    state = state_of(ctx)
    try:
        workspace = state.workspace()
    except WorkspaceError as error:
        if state.workspace_option is not None:
            raise
        workspace = _offer_workspace(error)
    from garant.tui.app import make_app

    make_app(workspace, actor=actor, language=state.language_option, plain=plain).run()


def _offer_workspace(error: WorkspaceError) -> Workspace:
    """Ask whether to create a workspace here (``garant init``'s service); refuse otherwise."""
    from garant.workspace import open_workspace

    typer.echo(error.message, err=True)
    from garant.cli.cli_language import confirm

    if not confirm(tr("Créer un espace de travail ici ?", "Create a workspace here?")):
        raise error
    name = typer.prompt(tr("Nom de l'organisation", "Organisation name"))
    kind = typer.prompt(
        tr("Type (collectivite, agence, enquete)", "Kind (collectivite, agence, enquete)"),
        default="collectivite",
    )
    from garant.domain.enums import OrganisationKind
    from garant.domain.inputs import parse_choice
    from garant.governance.setup import init_workspace

    chosen = parse_choice(OrganisationKind, kind, "kind")
    init_workspace(Path.cwd(), name, chosen.value)
    return open_workspace(Path.cwd().resolve())

"""Entry point of the ``garant`` command.

Expected failures (:class:`garant.errors.GarantError`) print one clear line and a hint on
stderr and exit with code 2, without a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from garant import __version__
from garant.cli.state import CliState, state_of
from garant.errors import GarantError
from garant.i18n import set_language, tr

__all__ = ["app", "run"]


class GarantGroup(TyperGroup):
    """The root command group: turns GarantError into a clean message and exit code 2, and
    speaks the user's language in Typer's own words (help, usage errors, « Interrompu. »)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from garant.cli.cli_language import localise_tree, peek_language

        arguments = list(sys.argv[1:] if args is None else args)
        language = peek_language(arguments)
        set_language(language)
        localise_tree(self, language, arguments)
        if not standalone_mode:
            return super().main(arguments, prog_name, complete_var, False, **extra)
        from typer._click.exceptions import ClickException, NoArgsIsHelpError
        from typer.exceptions import Abort

        try:
            outcome = super().main(arguments, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as error:  # the help was printed when the error was built
            sys.exit(error.exit_code)
        except ClickException as error:
            _explain(error)
            sys.exit(error.exit_code)
        except Abort:
            typer.echo(tr("Interrompu.", "Aborted."), err=True)
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GarantError as error:
            typer.echo(tr("Erreur : {m}", "Error: {m}", m=error.message), err=True)
            if error.hint:
                typer.echo(tr("→ {h}", "→ {h}", h=error.hint), err=True)
            ctx.exit(error.exit_code)
        finally:
            if isinstance(ctx.obj, CliState):
                ctx.obj.close()


def _explain(error: Any) -> None:
    """A usage error in the user's language, shaped like garant's own errors."""
    from garant.cli.cli_language import explain_usage_error

    message, usage, hint = explain_usage_error(error)
    if usage:
        typer.echo(usage, err=True)
    typer.echo(tr("Erreur : {m}", "Error: {m}", m=message), err=True)
    typer.echo(tr("→ {h}", "→ {h}", h=hint), err=True)


app = typer.Typer(
    cls=GarantGroup,
    name="garant",
    help=(
        "garant — usage responsable de l'IA dans la participation citoyenne : registre, "
        "politiques, analyses tracées, documents. (--lang en for English.)"
    ),
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"garant {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Dossier de l'espace de travail (sinon GARANT_WORKSPACE, puis le dossier courant).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Langue des messages : fr (défaut) ou en."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Affiche la version."),
    ] = False,
) -> None:
    if lang is not None:
        if lang not in ("fr", "en"):
            raise typer.BadParameter("fr | en", param_hint="--lang")
        set_language(lang)  # type: ignore[arg-type]
    ctx.obj = CliState(workspace_option=workspace, language_option=lang)
    if ctx.invoked_subcommand is None:  # `garant` alone opens the TUI on the workspace
        from garant.cli.tui_command import open_tui

        open_tui(ctx)


def _register() -> None:
    from garant.cli import (
        audit_commands,
        registry,
        sortition_commands,
        synthesis_commands,
        transcription_commands,
        workspace_commands,
    )

    app.command("init")(workspace_commands.init)
    app.add_typer(registry.people_app, name="people")
    app.add_typer(registry.roles_app, name="roles")
    app.add_typer(registry.tools_app, name="tools")
    app.add_typer(registry.uses_app, name="uses")
    app.add_typer(registry.training_app, name="training")
    app.add_typer(registry.arbitration_app, name="arbitration")
    app.add_typer(registry.registry_app, name="registry")
    app.command("ask")(audit_commands.ask)
    app.add_typer(audit_commands.runs_app, name="runs")
    app.add_typer(audit_commands.audit_app, name="audit")
    app.add_typer(audit_commands.mlflow_app, name="mlflow")
    from garant.cli import audit_report_command

    audit_commands.audit_app.command("report")(audit_report_command.audit_report)
    from garant.cli import charter_commands, checklist_commands, policy_commands

    app.add_typer(policy_commands.policy_app, name="policy")
    app.add_typer(checklist_commands.checklist_app, name="checklist")
    app.add_typer(charter_commands.charter_app, name="charter")
    app.add_typer(charter_commands.document_app, name="document")
    registry.registry_app.command("publish")(charter_commands.registry_publish)
    app.add_typer(sortition_commands.sortition_app, name="sortition")
    app.add_typer(synthesis_commands.synthesis_app, name="synthesis")
    app.command("transcribe")(transcription_commands.transcribe)
    from garant.cli import keys_commands

    app.add_typer(keys_commands.keys_app, name="keys")
    app.add_typer(transcription_commands.transcript_app, name="transcript")
    from garant.cli import annex_commands, dossier_commands

    app.add_typer(dossier_commands.dossier_app, name="dossier")
    app.add_typer(annex_commands.annex_app, name="annex")
    from garant.cli import registry_edit_commands as edits
    from garant.cli import tui_command

    app.command("tui")(tui_command.tui)

    registry.tools_app.command("edit")(edits.tools_edit)
    registry.tools_app.command("retire")(edits.tools_retire)
    registry.uses_app.command("edit")(edits.uses_edit)
    registry.uses_app.command("retire")(edits.uses_retire)
    registry.people_app.command("edit")(edits.people_edit)
    registry.roles_app.command("end")(edits.roles_end)


_register()


def run() -> None:
    """Console-script entry point."""
    app()


__all__ += ["state_of"]

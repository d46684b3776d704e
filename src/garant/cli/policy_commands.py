"""``garant policy``: adopt, validate, show, approve, publish, new-version, diff, history,
acknowledge and acknowledgements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garant.cli.output import print_json, print_table, say
from garant.cli.state import state_of
from garant.i18n import format_date, tr

__all__ = ["policy_app"]

policy_app = typer.Typer(
    help="Politique d'usage de l'IA : adoption, validation, approbation, versions, lectures.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les scripts.")]
ByOption = Annotated[str, typer.Option("--by", help="Personne qui agit (clé, id, e-mail ou nom).")]
PassphraseOption = Annotated[
    str | None,
    typer.Option(
        "--passphrase-env",
        help="Variable contenant la phrase secrète de votre clé, si la politique l'exige.",
    ),
]


@policy_app.command("adopt")
def adopt(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            help="Modèle : collectivite | agence | enquete (défaut : type de l'espace)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remplace la politique existante par le modèle.")
    ] = False,
) -> None:
    """Adopte un modèle de politique (brouillon à adapter puis à faire approuver)."""
    from garant.governance.lifecycle import adopt_policy

    adopted = adopt_policy(state_of(ctx).workspace(), kind, force=force)
    say(
        tr(
            "Politique adoptée (brouillon) : {path} — {label}. Adaptez-la, puis « garant policy "
            "validate » et « garant policy approve --by PERSONNE ».",
            "Policy adopted (draft): {path} — {label}. Adapt it, then 'garant policy validate' "
            "and 'garant policy approve --by PERSON'.",
            path=adopted.path,
            label=adopted.policy.label,
        )
    )


@policy_app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="Fichier de politique (défaut : celle de l'espace de travail)."),
    ] = None,
) -> None:
    """Vérifie un fichier de politique (erreurs : fichier, ligne, champ ; avertissements)."""
    from garant.governance.lifecycle import validate_policy_file, workspace_policy_file

    path = file if file is not None else workspace_policy_file(state_of(ctx).workspace())
    policy, warnings = validate_policy_file(path)
    typer.echo(
        tr(
            "{path} : valide ({label}, {status}).",
            "{path}: valid ({label}, {status}).",
            path=path,
            label=policy.label,
            status=policy.status.value,
        )
    )
    for warning in warnings:
        typer.echo(tr("Attention : {w}", "Warning: {w}", w=warning))
    if file is None:
        from garant.audit.policy_bridge import workspace_policy_in_force

        in_force = workspace_policy_in_force(state_of(ctx).workspace())
        if in_force.note:
            typer.echo(in_force.note)
        elif in_force.file_is_in_force:
            typer.echo(
                tr(
                    "Ce fichier est la version en vigueur (SHA-256 {sha}…).",
                    "This file is the version in force (SHA-256 {sha}…).",
                    sha=in_force.file_sha256[:16],
                )
            )


@policy_app.command("show")
def show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Affiche les règles de la politique de l'espace de travail."""
    from garant.governance.lifecycle import read_policy_file, workspace_policy_file
    from garant.governance.policy import render_policy

    current = read_policy_file(workspace_policy_file(state_of(ctx).workspace()))
    if as_json:
        print_json({**current.policy.model_dump(mode="json"), "sha256": current.sha256})
        return
    typer.echo(render_policy(current.policy))


@policy_app.command("approve")
def approve(ctx: typer.Context, by: ByOption, passphrase_env: PassphraseOption = None) -> None:
    """Approuve la version en brouillon (personne habilitée par roles.approve_policy)."""
    from garant.cli.keys_commands import read_passphrase
    from garant.governance.lifecycle import approve_policy

    result = approve_policy(
        state_of(ctx).workspace(),
        by,
        passphrase=lambda: read_passphrase(by, passphrase_env, confirm=False),
    )
    say(
        tr(
            "Politique {label} approuvée par {who} ; empreinte SHA-256 {sha}.",
            "Policy {label} approved by {who}; SHA-256 {sha}.",
            label=result.policy.label,
            who=result.row.approved_by_name if result.row else by,
            sha=result.row.sha256 if result.row else "",
        )
    )
    for warning in result.warnings:
        say(tr("Attention : {w}", "Warning: {w}", w=warning))


@policy_app.command("publish")
def publish(ctx: typer.Context, by: ByOption, passphrase_env: PassphraseOption = None) -> None:
    """Publie la version approuvée ; la version publiée précédente est remplacée."""
    from garant.cli.keys_commands import read_passphrase
    from garant.governance.lifecycle import publish_policy

    result = publish_policy(
        state_of(ctx).workspace(),
        by,
        passphrase=lambda: read_passphrase(by, passphrase_env, confirm=False),
    )
    message = tr(
        "Politique {label} publiée.", "Policy {label} published.", label=result.policy.label
    )
    if result.superseded:
        message += " " + tr(
            "Version(s) remplacée(s) : {v}.",
            "Superseded version(s): {v}.",
            v=", ".join(str(v) for v in result.superseded),
        )
    say(message)


@policy_app.command("new-version")
def new_version(ctx: typer.Context) -> None:
    """Crée la version N+1 en brouillon à partir de la version en vigueur."""
    from garant.governance.lifecycle import new_policy_version

    result = new_policy_version(state_of(ctx).workspace())
    say(
        tr(
            "Nouvelle version en brouillon : {label}. Modifiez le fichier puis faites-la approuver.",
            "New draft version: {label}. Edit the file, then get it approved.",
            label=result.policy.label,
        )
    )


@policy_app.command("diff")
def diff(
    ctx: typer.Context,
    before: Annotated[str, typer.Argument(help="Version (ex. 1) ou fichier.")],
    after: Annotated[str, typer.Argument(help="Version (ex. 2) ou fichier.")],
) -> None:
    """Compare deux versions règle par règle (historique de l'espace ou deux fichiers)."""
    from garant.governance.lifecycle import (
        diff_policy_versions,
        read_policy_file,
        workspace_policy_file,
    )

    state = state_of(ctx)
    if Path(before).is_file() and Path(after).is_file():
        from garant.governance.policy import load_policy, render_diff

        typer.echo(render_diff(load_policy(Path(before)), load_policy(Path(after))))
        return
    path = workspace_policy_file(state.workspace())
    current = read_policy_file(path) if path.is_file() else None
    with state.transaction() as session:
        typer.echo(diff_policy_versions(session, before, after, current))


@policy_app.command("history")
def history(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Liste les versions approuvées, publiées et remplacées."""
    from garant.governance.lifecycle import list_versions

    with state_of(ctx).transaction() as session:
        versions = list_versions(session)
    if as_json:
        print_json([v.model_dump(exclude={"text"}) for v in versions])
        return
    print_table(
        tr("Versions de la politique", "Policy versions"),
        [
            tr("Politique", "Policy"),
            "Version",
            tr("Statut", "Status"),
            tr("Approuvée par", "Approved by"),
            tr("Approuvée le", "Approved on"),
            tr("Publiée le", "Published on"),
            tr("Remplacée le", "Superseded on"),
            "SHA-256",
        ],
        [
            (
                v.policy_id,
                v.version,
                v.status,
                f"{v.approved_by_name} ({v.approved_role})",
                format_date(v.approved_on),
                format_date(v.published_on),
                format_date(v.superseded_on),
                v.sha256,
            )
            for v in versions
        ],
    )


@policy_app.command("acknowledge")
def acknowledge(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Personne qui confirme sa lecture.")],
    document: Annotated[
        str, typer.Option("--document", help="internal (guide interne) | external (charte).")
    ] = "internal",
    version: Annotated[
        int | None, typer.Option("--version", help="Version lue (défaut : celle en vigueur).")
    ] = None,
) -> None:
    """Enregistre qu'une personne a lu une version (preuve de l'art. 4 du RIA)."""
    from garant.governance.lifecycle import acknowledge as record
    from garant.governance.lifecycle import read_policy_file, workspace_policy_file

    state = state_of(ctx)
    policy = read_policy_file(workspace_policy_file(state.workspace())).policy
    with state.transaction() as session:
        ack = record(
            session, person, policy.id, document=document, version=version, actor=state.actor
        )
    from garant.audit.ledger import write_head
    from garant.audit.run import ledger_anchor

    write_head(state.workspace().engine, ledger_anchor(state.workspace()))
    say(
        tr(
            "Lecture enregistrée : version {v} ({doc}) le {day}.",
            "Reading recorded: version {v} ({doc}) on {day}.",
            v=ack.version,
            doc=ack.document,
            day=format_date(ack.acknowledged_on),
        )
    )


@policy_app.command("acknowledgements")
def acknowledgements(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Qui a lu quelle version ; d'abord les personnes qui n'ont pas lu la version en vigueur."""
    from garant.governance.lifecycle import (
        acknowledgement_report,
        read_policy_file,
        workspace_policy_file,
    )

    state = state_of(ctx)
    policy = read_policy_file(workspace_policy_file(state.workspace())).policy
    with state.transaction() as session:
        rows = acknowledgement_report(session, policy.id)
    if as_json:
        print_json(
            [
                {
                    "person": r.person_key,
                    "name": r.person_name,
                    "current_version": r.current_version,
                    "internal_version": r.internal_version,
                    "internal_on": r.internal_on,
                    "external_version": r.external_version,
                    "external_on": r.external_on,
                    "read_current": r.read_current,
                }
                for r in rows
            ]
        )
        return
    current = rows[0].current_version if rows else 0
    print_table(
        tr(
            "Lectures de la politique (version en vigueur : {v})",
            "Policy readings (current version: {v})",
            v=current,
        ),
        [
            tr("Personne", "Person"),
            tr("Guide interne", "Internal guide"),
            tr("Charte publique", "Public charter"),
            tr("Version en vigueur lue", "Current version read"),
        ],
        [
            (
                r.person_name,
                _read(r.internal_version, r.internal_on),
                _read(r.external_version, r.external_on),
                tr("oui", "yes") if r.read_current else tr("NON", "NO"),
            )
            for r in rows
        ],
    )
    missing = sum(1 for r in rows if not r.read_current)
    if missing:
        say(
            tr(
                "{n} personne(s) n'ont pas confirmé la lecture de la version {v}.",
                "{n} person(s) have not confirmed reading version {v}.",
                n=missing,
                v=current,
            )
        )


def _read(version: int | None, on: object) -> str:
    if version is None:
        return "—"
    from datetime import date

    return f"v{version} ({format_date(on if isinstance(on, date) else None)})"

"""Registry changes after creation: ``tools edit``, ``uses edit``, ``people edit``,
``roles end``, ``tools retire``, ``uses retire`` (services in garant.governance.registry_edits)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from garant.cli.output import say
from garant.cli.registry import ByOption
from garant.cli.state import state_of
from garant.errors import InputError
from garant.i18n import tr

__all__ = ["people_edit", "roles_end", "tools_edit", "tools_retire", "uses_edit", "uses_retire"]

SetOption = Annotated[
    list[str],
    typer.Option(
        "--set",
        help="champ=valeur, répétable (listes séparées par des virgules ; vide = effacer).",
    ),
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Motif (obligatoire).")]
LIST_FIELDS = {"tools", "data_categories"}
OPTIONAL_FIELDS = {"training_on_inputs", "legal_basis", "responsible", "oversight"}


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """``["vendor=Mistral", "tools=a,b"]`` → ``{"vendor": "Mistral", "tools": ["a", "b"]}``."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(
                tr("« --set {p} » : il manque « = ».", "'--set {p}': missing '='.", p=pair),
                tr("Écrivez --set champ=valeur.", "Write --set field=value."),
            )
        name, value = name.strip(), value.strip()
        if name in LIST_FIELDS:
            changes[name] = [item.strip() for item in value.split(",") if item.strip()]
        elif name in OPTIONAL_FIELDS and not value:
            changes[name] = None
        else:
            changes[name] = value
    if not changes:
        raise InputError(
            tr("Rien à modifier.", "Nothing to change."),
            tr("Indiquez au moins un --set champ=valeur.", "Give at least one --set field=value."),
        )
    return changes


def _report(key: str, changes: dict[str, tuple[Any, Any]]) -> None:
    if not changes:
        say(tr("{k} : aucun changement.", "{k}: no change.", k=key))
        return
    for name, (before, after) in changes.items():
        say(f"{key} · {name} : {before!r} → {after!r}")


def tools_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé, id ou nom de l'outil.")],
    assignments: SetOption,
    by: ByOption = None,
) -> None:
    """Modifie les champs d'un outil (auteur et date enregistrés, événement au registre de preuve)."""
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import edit_tool

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "tools.edit", ref) as act:
        edit = edit_tool(act.session, ref, parse_assignments(assignments), act.actor)
    _report(edit.key, edit.changes)


def uses_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé ou id de l'usage.")],
    assignments: SetOption,
    by: ByOption = None,
) -> None:
    """Modifie les champs d'un usage (outils et personnes par clé)."""
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import edit_use

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "uses.edit", ref) as act:
        edit = edit_use(act.session, ref, parse_assignments(assignments), act.actor)
    _report(edit.key, edit.changes)


def people_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Personne (clé, id, e-mail ou nom).")],
    assignments: SetOption,
    by: ByOption = None,
) -> None:
    """Modifie le nom, l'e-mail ou la fonction d'une personne."""
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import edit_person

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "people.edit", ref) as act:
        edit = edit_person(act.session, ref, parse_assignments(assignments), act.actor)
    _report(edit.key, edit.changes)


def roles_end(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Personne (clé, id, e-mail ou nom).")],
    role: Annotated[str, typer.Argument(help="Rôle à terminer (ex. referent_ia).")],
    on: Annotated[
        str, typer.Option("--on", help="Date de fin (défaut : aujourd'hui, JJ/MM/AAAA).")
    ] = "",
    by: ByOption = None,
) -> None:
    """Met fin à un rôle (l'attribution reste dans l'historique)."""
    from garant.domain.enums import RoleName
    from garant.domain.inputs import RoleInput, parse_choice, validated
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import active_assignment, end_role

    state = state_of(ctx)
    wanted = parse_choice(RoleName, role, "role")
    day = (
        validated(RoleInput, {"person": person, "role": role, "start_date": on}).start_date
        if on
        else None
    )
    with registry_action(state.workspace(), by, "roles.end", person) as act:
        assignment = active_assignment(act.session, person, wanted)
        ended = end_role(act.session, assignment.id or 0, act.actor, day)
    say(tr("Rôle {r} terminé le {d}.", "Role {r} ended on {d}.", r=role, d=ended.end_date))


def tools_retire(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé, id ou nom de l'outil.")],
    reason: ReasonOption = "",
    by: ByOption = None,
) -> None:
    """Retire un outil du service (statut « retiré », jamais supprimé)."""
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import retire_tool

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "tools.retire", ref) as act:
        edit = retire_tool(act.session, ref, reason, act.actor)
    say(tr("Outil {k} retiré.", "Tool {k} retired.", k=edit.key))


def uses_retire(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé ou id de l'usage.")],
    reason: ReasonOption = "",
    by: ByOption = None,
) -> None:
    """Arrête un usage (statut « retiré », jamais supprimé)."""
    from garant.governance.authority import registry_action
    from garant.governance.registry_edits import retire_use

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "uses.retire", ref) as act:
        edit = retire_use(act.session, ref, reason, act.actor)
    say(tr("Usage {k} retiré.", "Use {k} retired.", k=edit.key))

"""Registry commands: people, roles, tools, uses, training, arbitration, exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from garant.cli.output import print_json, print_record, print_table, say
from garant.cli.state import state_of
from garant.i18n import format_date, format_datetime, tr

__all__ = [
    "arbitration_app",
    "people_app",
    "registry_app",
    "roles_app",
    "tools_app",
    "training_app",
    "uses_app",
]

people_app = typer.Typer(help="Personnes de l'organisation.", no_args_is_help=True)
roles_app = typer.Typer(
    help="Rôles : référent IA, DPO, personnes ressources…", no_args_is_help=True
)
tools_app = typer.Typer(help="Registre des outils d'IA.", no_args_is_help=True)
uses_app = typer.Typer(help="Registre des usages de l'IA.", no_args_is_help=True)
training_app = typer.Typer(help="Journal des formations (AI Act art. 4).", no_args_is_help=True)
arbitration_app = typer.Typer(help="Demandes d'arbitrage.", no_args_is_help=True)
registry_app = typer.Typer(
    help="Exports du registre (art. 30 RGPD, inventaire public).", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les scripts.")]
OverrideOption = Annotated[
    str,
    typer.Option(
        "--override",
        help="Approuver malgré une liste de contrôle incomplète : la raison (consignée).",
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Personne qui fait la modification (clé, e-mail ou nom ; défaut : réglage actor).",
    ),
]


# --- people -----------------------------------------------------------------------------------


_TOOL_OPTIONS = {
    "name": "NOM",
    "access_mode": "--access",
    "vendor": "--vendor",
    "model_family": "--family",
    "model_version": "--model-version",
    "hosting_region": "--region",
    "retention_terms": "--retention",
    "dpa_reference": "--dpa",
    "status": "--status",
    "model_alias": "--alias",
    "notes": "--notes",
    "key": "--key",
}
"""Tool fields by the option a user typed (errors name what the user can fix)."""

_USE_OPTIONS = {
    "title": "TITRE",
    "purpose": "--purpose",
    "stage": "--stage",
    "tools": "--tool",
    "data_categories": "--data",
    "legal_basis": "--legal-basis",
    "responsible": "--responsible",
    "oversight": "--oversight",
    "status": "--status",
    "data_subjects": "--data-subjects",
    "data_description": "--data-description",
    "recipients": "--recipients",
    "retention": "--retention",
    "security_measures": "--security",
    "transfer_safeguards": "--safeguards",
    "key": "--key",
}


@people_app.command("add")
def people_add(
    ctx: typer.Context,
    full_name: Annotated[str, typer.Argument(help="Nom complet.")],
    email: Annotated[str, typer.Option(help="Adresse e-mail.")] = "",
    title: Annotated[str, typer.Option("--title", help="Fonction.")] = "",
    key: Annotated[str | None, typer.Option(help="Clé courte (défaut : tirée du nom).")] = None,
    by: ByOption = None,
) -> None:
    """Ajoute une personne."""
    from garant.domain.inputs import PersonInput, validated
    from garant.governance.authority import registry_action
    from garant.governance.people import add_person

    state = state_of(ctx)
    data = validated(
        PersonInput, {"full_name": full_name, "email": email, "job_title": title, "key": key}
    )
    with registry_action(state.workspace(), by, "people.add", full_name) as act:
        person = add_person(act.session, data, act.actor)
    say(
        tr(
            "Personne ajoutée : {n} (clé {k})",
            "Person added: {n} (key {k})",
            n=person.full_name,
            k=person.key,
        )
    )


@people_app.command("list")
def people_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Liste les personnes."""
    from garant.governance.people import list_people

    with state_of(ctx).transaction() as session:
        people = list_people(session)
    if as_json:
        print_json(people)
        return
    print_table(
        tr("Personnes", "People"),
        [tr("Clé", "Key"), tr("Nom", "Name"), "E-mail", tr("Fonction", "Title")],
        [(p.key, p.full_name, p.email, p.job_title) for p in people],
    )


# --- roles ------------------------------------------------------------------------------------


@roles_app.command("assign")
def roles_assign(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Personne (clé, id, e-mail ou nom).")],
    role: Annotated[
        str,
        typer.Argument(
            help="referent_ia | dpo | personne_ressource | relecteur_conformite | commissaire_enqueteur | agent"
        ),
    ],
    start: Annotated[
        str, typer.Option("--from", help="Date de début (JJ/MM/AAAA ou AAAA-MM-JJ).")
    ] = "",
    end: Annotated[str | None, typer.Option("--until", help="Date de fin.")] = None,
    scope: Annotated[str, typer.Option(help="Périmètre (ex. un projet).")] = "",
    by: ByOption = None,
) -> None:
    """Attribue un rôle à une personne, avec ses dates."""
    from datetime import date

    from garant.domain.inputs import RoleInput, validated
    from garant.governance.people import assign_role

    state = state_of(ctx)
    values: dict[str, Any] = {
        "person": person,
        "role": role,
        "start_date": start or date.today().isoformat(),
        "end_date": end,
        "scope": scope,
    }
    data = validated(RoleInput, values, {"start_date": "--from", "end_date": "--until"})
    from garant.governance.authority import registry_action

    with registry_action(state.workspace(), by, "roles.assign", f"{person} {role}") as act:
        assign_role(act.session, data, act.actor)
    say(tr("Rôle {r} attribué à {p}.", "Role {r} assigned to {p}.", r=role, p=person))


@roles_app.command("list")
def roles_list(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="Filtrer sur un rôle.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Liste les rôles attribués."""
    from garant.domain.enums import RoleName, label
    from garant.domain.inputs import parse_choice
    from garant.governance.people import list_roles

    role_filter = parse_choice(RoleName, role, "--role") if role is not None else None
    with state_of(ctx).transaction() as session:
        views = list_roles(session, role_filter)
    if as_json:
        print_json(
            [
                {**v.assignment.model_dump(mode="json"), "person": v.person.key, "active": v.active}
                for v in views
            ]
        )
        return
    print_table(
        tr("Rôles", "Roles"),
        [
            tr("Rôle", "Role"),
            tr("Personne", "Person"),
            tr("Du", "From"),
            tr("Au", "Until"),
            tr("Actif", "Active"),
        ],
        [
            (
                label(v.assignment.role),
                v.person.full_name,
                format_date(v.assignment.start_date),
                format_date(v.assignment.end_date),
                tr("oui", "yes") if v.active else tr("non", "no"),
            )
            for v in views
        ],
    )


# --- tools ------------------------------------------------------------------------------------


@tools_app.command("add")
def tools_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Nom de l'outil.")],
    access: Annotated[str, typer.Option("--access", help="web_app | api | local")],
    vendor: Annotated[str, typer.Option(help="Fournisseur.")] = "",
    family: Annotated[str, typer.Option("--family", help="Famille de modèle.")] = "",
    version: Annotated[str, typer.Option("--model-version", help="Version du modèle.")] = "",
    region: Annotated[str, typer.Option("--region", help="Hébergement (FR, EU, US, local…).")] = "",
    leaves_eu: Annotated[
        bool, typer.Option("--leaves-eu/--stays-in-eu", help="Les données quittent-elles l'UE ?")
    ] = False,
    retention: Annotated[str, typer.Option(help="Conditions de conservation des données.")] = "",
    training: Annotated[
        bool | None,
        typer.Option("--training/--no-training", help="Données réutilisées pour l'entraînement ?"),
    ] = None,
    dpa: Annotated[str, typer.Option(help="Référence du contrat / DPA.")] = "",
    status: Annotated[
        str, typer.Option(help="approved | under_review | forbidden")
    ] = "under_review",
    alias: Annotated[
        str, typer.Option(help="Alias de modèle dans garant.toml (pour les analyses).")
    ] = "",
    notes: Annotated[str, typer.Option(help="Notes.")] = "",
    key: Annotated[str | None, typer.Option(help="Clé courte.")] = None,
    by: ByOption = None,
) -> None:
    """Déclare un outil d'IA dans le registre."""
    from garant.domain.inputs import ToolInput, validated
    from garant.governance.tools import add_tool

    state = state_of(ctx)
    data = validated(
        ToolInput,
        {
            "name": name,
            "access_mode": access,
            "vendor": vendor,
            "model_family": family,
            "model_version": version,
            "hosting_region": region,
            "data_leaves_eu": leaves_eu,
            "retention_terms": retention,
            "training_on_inputs": training,
            "dpa_reference": dpa,
            "status": status,
            "model_alias": alias,
            "notes": notes,
            "key": key,
        },
        _TOOL_OPTIONS,
    )
    from garant.governance.authority import registry_action
    from garant.governance.tools import check_standing

    with registry_action(state.workspace(), by, "tools.add", name) as act:
        tool = add_tool(act.session, data, act.actor, by=act.person, rules=act.rules)
        warning = check_standing(act.policy, tool)
    if warning:
        say(warning)
    say(
        tr(
            "Outil déclaré : {n} (clé {k})",
            "Tool registered: {n} (key {k})",
            n=tool.name,
            k=tool.key,
        )
    )


def _shown_status(ctx: typer.Context, tool: Any) -> str:
    """The tool's status read with the policy in force (the same everywhere)."""
    from garant.domain.enums import label
    from garant.governance.authority import governing_policy
    from garant.governance.standing import tool_standing

    policy = governing_policy(state_of(ctx).workspace())
    return tool_standing(policy, tool).shown if policy else label(tool.status)


@tools_app.command("list")
def tools_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Filtrer : approved | under_review | forbidden")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Liste les outils d'IA."""
    from garant.domain.enums import ToolStatus, label
    from garant.domain.inputs import parse_choice
    from garant.governance.tools import leaves_eu_label, list_tools

    wanted = parse_choice(ToolStatus, status, tr("STATUT", "STATUS")) if status else None
    with state_of(ctx).transaction() as session:
        tools = list_tools(session, wanted)
    if as_json:
        print_json(tools)
        return
    print_table(
        tr("Outils d'IA", "AI tools"),
        [
            tr("Clé", "Key"),
            tr("Outil", "Tool"),
            tr("Fournisseur", "Vendor"),
            tr("Accès", "Access"),
            tr("Hébergement", "Hosting"),
            tr("Hors UE", "Leaves EU"),
            tr("Statut", "Status"),
        ],
        [
            (
                t.key,
                t.name,
                t.vendor,
                label(t.access_mode),
                t.hosting_region or tr("inconnu", "unknown"),
                leaves_eu_label(t),
                _shown_status(ctx, t),
            )
            for t in tools
        ],
    )


@tools_app.command("show")
def tools_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé, id ou nom.")],
    as_json: JsonOption = False,
) -> None:
    """Affiche la fiche d'un outil."""
    from garant.domain.enums import label
    from garant.governance.tools import get_tool, leaves_eu_label

    with state_of(ctx).transaction() as session:
        tool = get_tool(session, ref)
    if as_json:
        print_json(tool)
        return
    print_record(
        f"{tool.name} ({tool.key})",
        [
            (tr("Fournisseur", "Vendor"), tool.vendor),
            (tr("Modèle", "Model"), f"{tool.model_family} {tool.model_version}".strip()),
            (tr("Accès", "Access"), label(tool.access_mode)),
            (tr("Hébergement", "Hosting"), tool.hosting_region or tr("inconnu", "unknown")),
            (tr("Données hors UE", "Data leaves EU"), leaves_eu_label(tool)),
            (tr("Conservation", "Retention"), tool.retention_terms),
            (
                tr("Entraînement sur les données", "Training on inputs"),
                {True: tr("oui", "yes"), False: tr("non", "no"), None: "?"}[
                    tool.training_on_inputs
                ],
            ),
            (tr("Contrat / DPA", "Contract / DPA"), tool.dpa_reference),
            (tr("Alias de modèle", "Model alias"), tool.model_alias),
            (tr("Statut", "Status"), _shown_status(ctx, tool)),
            (tr("Notes", "Notes"), tool.notes),
            (tr("Modifié", "Updated"), f"{format_datetime(tool.updated_at)} ({tool.updated_by})"),
        ],
    )


@tools_app.command("set-status")
def tools_set_status(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé, id ou nom de l'outil.")],
    status: Annotated[str, typer.Argument(help="approved | under_review | forbidden")],
    note: Annotated[str, typer.Option(help="Motif, ajouté aux notes.")] = "",
    by: ByOption = None,
) -> None:
    """Approuve, interdit ou remet à l'examen un outil."""
    from garant.domain.enums import ToolStatus
    from garant.domain.inputs import parse_choice
    from garant.governance.tools import set_tool_status

    state = state_of(ctx)
    wanted = parse_choice(ToolStatus, status, tr("STATUT", "STATUS"))
    from garant.domain.enums import label
    from garant.governance.authority import registry_action
    from garant.governance.tools import check_standing

    with registry_action(state.workspace(), by, "tools.set_status", f"{ref} {status}") as act:
        tool = set_tool_status(
            act.session, ref, wanted, act.actor, note, by=act.person, rules=act.rules
        )
        warning = check_standing(act.policy, tool)
    if warning:
        say(warning)
    say(tr("Statut de {n} : {s}", "Status of {n}: {s}", n=tool.name, s=label(tool.status)))


# --- uses -------------------------------------------------------------------------------------


@uses_app.command("add")
def uses_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="Intitulé de l'usage.")],
    purpose: Annotated[str, typer.Option(help="Finalité.")],
    stage: Annotated[
        str,
        typer.Option(help="preparation | design | animation | collection | analysis | reporting"),
    ],
    tool: Annotated[
        list[str] | None, typer.Option("--tool", help="Outil utilisé (répétable).")
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", help="none | personal | special | public_contributions (répétable)."
        ),
    ] = None,
    legal_basis: Annotated[
        str | None, typer.Option(help="Base légale RGPD art. 6 (ex. public_task).")
    ] = None,
    responsible: Annotated[str | None, typer.Option(help="Personne responsable.")] = None,
    oversight: Annotated[
        str | None, typer.Option(help="Personne chargée du contrôle humain.")
    ] = None,
    status: Annotated[
        str, typer.Option(help="draft | under_review | approved | suspended | retired")
    ] = "draft",
    data_subjects: Annotated[str, typer.Option(help="Art. 30 (c) : catégories de personnes.")] = "",
    data_description: Annotated[
        str, typer.Option(help="Art. 30 (c) : catégories de données.")
    ] = "",
    recipients: Annotated[str, typer.Option(help="Art. 30 (d) : destinataires.")] = "",
    retention: Annotated[str, typer.Option(help="Art. 30 (f) : durées de conservation.")] = "",
    security: Annotated[str, typer.Option(help="Art. 30 (g) : mesures de sécurité.")] = "",
    safeguards: Annotated[str, typer.Option(help="Art. 30 (e) : garanties des transferts.")] = "",
    key: Annotated[str | None, typer.Option(help="Clé courte.")] = None,
    by: ByOption = None,
    override: OverrideOption = "",
) -> None:
    """Déclare un usage de l'IA."""
    from garant.domain.inputs import UseInput, validated
    from garant.governance.uses import add_use

    state = state_of(ctx)
    values: dict[str, Any] = {
        "title": title,
        "purpose": purpose,
        "stage": stage,
        "tools": tool or [],
        "legal_basis": legal_basis,
        "responsible": responsible,
        "oversight": oversight,
        "status": status,
        "data_subjects": data_subjects,
        "data_description": data_description,
        "recipients": recipients,
        "retention": retention,
        "security_measures": security,
        "transfer_safeguards": safeguards,
        "key": key,
    }
    if data:
        values["data_categories"] = data
    validated_input = validated(UseInput, values, _USE_OPTIONS)
    from garant.governance.authority import registry_action

    with registry_action(state.workspace(), by, "uses.add", title) as act:
        use = add_use(
            act.session,
            validated_input,
            act.actor,
            by=act.person,
            rules=act.rules,
            override=override,
        )
    say(
        tr("Usage déclaré : {t} (clé {k})", "Use registered: {t} (key {k})", t=use.title, k=use.key)
    )


@uses_app.command("list")
def uses_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Liste les usages déclarés."""
    from garant.domain.enums import label
    from garant.governance.uses import list_uses

    with state_of(ctx).transaction() as session:
        views = list_uses(session)
    if as_json:
        print_json(
            [{**v.use.model_dump(mode="json"), "tools": [t.key for t in v.tools]} for v in views]
        )
        return
    print_table(
        tr("Usages de l'IA", "AI uses"),
        [
            tr("Clé", "Key"),
            tr("Usage", "Use"),
            tr("Étape", "Stage"),
            tr("Outils", "Tools"),
            tr("Données", "Data"),
            tr("Statut", "Status"),
        ],
        [
            (
                v.use.key,
                v.use.title,
                label(v.use.stage),
                ", ".join(t.key for t in v.tools),
                ", ".join(label(c) for c in v.use.data_categories),
                label(v.use.status),
            )
            for v in views
        ],
    )


@uses_app.command("show")
def uses_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé ou id.")],
    as_json: JsonOption = False,
) -> None:
    """Affiche la fiche d'un usage."""
    from garant.domain.enums import label
    from garant.governance.uses import get_use

    with state_of(ctx).transaction() as session:
        view = get_use(session, ref)
    use = view.use
    if as_json:
        print_json({**use.model_dump(mode="json"), "tools": [t.key for t in view.tools]})
        return
    unknown = tr("à évaluer", "to assess")
    print_record(
        f"{use.title} ({use.key})",
        [
            (tr("Finalité", "Purpose"), use.purpose),
            (tr("Étape", "Stage"), label(use.stage)),
            (tr("Outils", "Tools"), ", ".join(t.name for t in view.tools)),
            (tr("Données", "Data"), ", ".join(label(c) for c in use.data_categories)),
            (tr("Base légale", "Legal basis"), label(use.legal_basis) if use.legal_basis else ""),
            (
                tr("Responsable", "Responsible"),
                view.responsible.full_name if view.responsible else "",
            ),
            (
                tr("Contrôle humain", "Human oversight"),
                view.oversight.full_name if view.oversight else "",
            ),
            (tr("Statut", "Status"), label(use.status)),
            (
                tr("Classe de risque AI Act", "AI Act risk class"),
                label(use.ai_act_risk_class) if use.ai_act_risk_class else unknown,
            ),
            (
                tr("AIPD requise", "DPIA required"),
                unknown if use.dpia_required is None else str(use.dpia_required),
            ),
            (
                tr("Mention IA requise", "Disclosure required"),
                unknown if use.disclosure_required is None else str(use.disclosure_required),
            ),
        ],
    )


@uses_app.command("set-status")
def uses_set_status(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Clé ou id de l'usage.")],
    status: Annotated[
        str, typer.Argument(help="draft | under_review | approved | suspended | retired")
    ],
    by: ByOption = None,
    override: OverrideOption = "",
) -> None:
    """Change le statut d'un usage (l'approuver exige un rôle habilité et la liste de contrôle
    complète, ou --override avec la raison)."""
    from garant.domain.enums import UseStatus, label
    from garant.domain.inputs import parse_choice
    from garant.governance.authority import registry_action
    from garant.governance.uses import set_use_status

    state = state_of(ctx)
    wanted = parse_choice(UseStatus, status, tr("STATUT", "STATUS"))
    with registry_action(state.workspace(), by, "uses.set_status", f"{ref} {status}") as act:
        use = set_use_status(
            act.session, ref, wanted, act.actor, by=act.person, rules=act.rules, override=override
        )
    say(tr("Statut de {t} : {s}", "Status of {t}: {s}", t=use.title, s=label(use.status)))


# --- training ---------------------------------------------------------------------------------


@training_app.command("log")
def training_log(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Personne formée.")],
    module: Annotated[str, typer.Option(help="Module suivi.")],
    on: Annotated[str, typer.Option("--date", help="Date (JJ/MM/AAAA ou AAAA-MM-JJ).")],
    hours: Annotated[float, typer.Option(help="Durée en heures.")],
    provider: Annotated[str, typer.Option(help="Organisme de formation.")] = "",
    by: ByOption = None,
) -> None:
    """Enregistre une formation suivie (acculturation à l'IA, AI Act art. 4)."""
    from garant.domain.inputs import TrainingInput, validated
    from garant.governance.training import log_training

    state = state_of(ctx)
    data = validated(
        TrainingInput,
        {
            "person": person,
            "module": module,
            "completed_on": on,
            "hours": hours,
            "provider": provider,
        },
        {"completed_on": "--date", "hours": "--hours", "module": "--module"},
    )
    from garant.governance.authority import registry_action

    with registry_action(state.workspace(), by, "training.log", f"{person} {module}") as act:
        log_training(act.session, data, act.actor)
    say(tr("Formation enregistrée.", "Training recorded."))


@training_app.command("list")
def training_list(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option(help="Filtrer sur une personne.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Liste les formations enregistrées."""
    from garant.governance.training import list_training

    with state_of(ctx).transaction() as session:
        views = list_training(session, person)
    if as_json:
        print_json([{**v.record.model_dump(mode="json"), "person": v.person.key} for v in views])
        return
    print_table(
        tr("Formations", "Training"),
        [
            tr("Personne", "Person"),
            tr("Module", "Module"),
            tr("Date", "Date"),
            tr("Heures", "Hours"),
            tr("Organisme", "Provider"),
        ],
        [
            (
                v.person.full_name,
                v.record.module,
                format_date(v.record.completed_on),
                f"{v.record.hours:g}",
                v.record.provider,
            )
            for v in views
        ],
    )


# --- arbitration ------------------------------------------------------------------------------


@arbitration_app.command("open")
def arbitration_open(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="La question posée.")],
    by: Annotated[str, typer.Option("--by", help="Qui la pose.")],
    to: Annotated[str | None, typer.Option("--to", help="À qui elle est adressée.")] = None,
    use: Annotated[str | None, typer.Option(help="Usage concerné.")] = None,
    tool: Annotated[str | None, typer.Option(help="Outil concerné.")] = None,
) -> None:
    """Ouvre une demande d'arbitrage."""
    from garant.governance.arbitration import open_arbitration
    from garant.governance.authority import registry_action

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "arbitration.open", question[:80]) as act:
        request = open_arbitration(
            act.session, question, by, act.actor, assigned_to=to, use=use, tool=tool
        )
    say(
        tr(
            "Demande d'arbitrage n° {id} ouverte.",
            "Arbitration request #{id} opened.",
            id=request.id,
        )
    )


@arbitration_app.command("decide")
def arbitration_decide(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Numéro de la demande.")],
    decision: Annotated[str, typer.Option(help="La décision.")],
    by: Annotated[str, typer.Option("--by", help="Qui décide.")],
    rationale: Annotated[str, typer.Option(help="La justification.")] = "",
) -> None:
    """Tranche une demande d'arbitrage."""
    from garant.governance.arbitration import decide_arbitration
    from garant.governance.authority import registry_action

    state = state_of(ctx)
    with registry_action(state.workspace(), by, "arbitration.decide", f"#{request_id}") as act:
        decide_arbitration(
            act.session, request_id, decision, rationale, by, act.actor, rules=act.rules
        )
    say(tr("Demande n° {id} tranchée.", "Request #{id} decided.", id=request_id))


@arbitration_app.command("list")
def arbitration_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open | decided")] = None,
    as_json: JsonOption = False,
) -> None:
    """Liste les demandes d'arbitrage."""
    from garant.domain.enums import ArbitrationStatus, label
    from garant.errors import InputError
    from garant.governance.arbitration import list_arbitrations

    if status is not None and status not in ("open", "decided"):
        raise InputError(
            tr("« --status » invalide : {s}", "Invalid '--status': {s}", s=status), "open | decided"
        )
    with state_of(ctx).transaction() as session:
        requests = list_arbitrations(session, ArbitrationStatus(status) if status else None)
    if as_json:
        print_json(requests)
        return
    print_table(
        tr("Demandes d'arbitrage", "Arbitration requests"),
        [
            "N°",
            tr("Question", "Question"),
            tr("Statut", "Status"),
            tr("Décision", "Decision"),
            tr("Le", "On"),
        ],
        [
            (
                r.id,
                r.question,
                label(r.status),
                r.decision,
                format_datetime(r.decided_at or r.created_at),
            )
            for r in requests
        ],
    )


def _print_arbitration(view: Any) -> None:
    from garant.domain.enums import label

    request = view.request
    print_record(
        tr("Demande d'arbitrage n° {id}", "Arbitration request #{id}", id=request.id),
        [
            (tr("Question", "Question"), request.question),
            (tr("Posée par", "Asked by"), view.asked_by),
            (tr("Posée le", "Asked on"), format_datetime(request.created_at)),
            (tr("Adressée à", "Addressed to"), view.assigned_to or "—"),
            (tr("Usage", "Use"), view.use or "—"),
            (tr("Outil", "Tool"), view.tool or "—"),
            (tr("Statut", "Status"), label(request.status)),
            (tr("Décision", "Decision"), request.decision or "—"),
            (tr("Motif", "Rationale"), request.rationale or "—"),
            (tr("Tranchée par", "Decided by"), view.decided_by or "—"),
            (tr("Tranchée le", "Decided on"), format_datetime(request.decided_at)),
        ],
    )


@arbitration_app.command("show")
def arbitration_show(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Numéro de la demande.")],
    as_json: JsonOption = False,
) -> None:
    """Affiche une demande : qui l'a posée, qui l'a tranchée, la décision et son motif."""
    from garant.governance.arbitration import arbitration_view

    with state_of(ctx).transaction() as session:
        view = arbitration_view(session, request_id)
    if as_json:
        print_json(
            {**view.request.model_dump(), "asked_by": view.asked_by, "decided_by": view.decided_by}
        )
        return
    _print_arbitration(view)


@arbitration_app.command("search")
def arbitration_search(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help="Mots de la question (ex. « courriels chatbot »).")],
    as_json: JsonOption = False,
) -> None:
    """Cherche parmi les décisions déjà prises (la même question a peut-être sa réponse)."""
    from garant.governance.arbitration import search_decisions

    with state_of(ctx).transaction() as session:
        views = search_decisions(session, words)
    if as_json:
        print_json(
            [
                {**v.request.model_dump(), "asked_by": v.asked_by, "decided_by": v.decided_by}
                for v in views
            ]
        )
        return
    if not views:
        say(tr("Aucune décision ne correspond.", "No decision matches."))
        return
    for view in views:
        _print_arbitration(view)


# --- registry exports -------------------------------------------------------------------------


@registry_app.command("export")
def registry_export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv | json | md")] = "md",
    kind: Annotated[
        str, typer.Option("--kind", help="registry | tools | uses | art30 | inventory")
    ] = "registry",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fichier de sortie (défaut : écran).")
    ] = None,
) -> None:
    """Exporte le registre, le registre art. 30 RGPD ou l'inventaire public."""
    from garant.errors import InputError
    from garant.governance.registry_export import build_export, render_table

    if fmt not in ("csv", "json", "md"):
        raise InputError(
            tr("« --format » invalide : {f}", "Invalid '--format': {f}", f=fmt), "csv | json | md"
        )
    if kind not in ("registry", "tools", "uses", "art30", "inventory"):
        raise InputError(
            tr("« --kind » invalide : {k}", "Invalid '--kind': {k}", k=kind),
            "registry | tools | uses | art30 | inventory",
        )
    with state_of(ctx).transaction() as session:
        text = render_table(build_export(session, kind), fmt)  # type: ignore[arg-type]
    if output is None:
        typer.echo(text)
        return
    from garant.documents.exports import write_export

    written = write_export(
        state_of(ctx).workspace(), output, text, kind=f"registry_{kind}", public=kind == "inventory"
    )
    say(
        tr(
            "Export écrit : {p}\n  SHA-256 : {h}\n  Vérifier : garant document verify {p}",
            "Export written: {p}\n  SHA-256: {h}\n  Verify: garant document verify {p}",
            p=output,
            h=written.sha256,
        )
    )

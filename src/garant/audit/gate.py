"""The policy gate: decides, before any model call, whether an audited run may proceed.

The facts (use, tool, model hosting, operator roles) are read from the store and the model
aliases; the rules come from the workspace policy. A refusal names the rule it applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeVar

from sqlmodel import Session

from garant.domain.enums import DataCategory, ToolStatus, UseStatus
from garant.domain.models import AITool, AIUse, Person
from garant.errors import NotFoundError
from garant.governance.lookup import find_person, find_tool, find_use
from garant.governance.people import active_roles
from garant.governance.uses import tools_of_use
from garant.i18n import tr
from garant.settings import ModelAlias

__all__ = [
    "GateDecision",
    "GateFacts",
    "Hosting",
    "RunPolicy",
    "decide",
    "gather_facts",
    "hosting_of",
]

_T = TypeVar("_T")

Hosting = Literal["offline", "local", "fr", "eu", "non_eu", "none"]

EU_REGIONS = frozenset(
    [
        "EU",
        "EEA",
        "UE",
        "FR",
        "DE",
        "NL",
        "BE",
        "LU",
        "IE",
        "IT",
        "ES",
        "PT",
        "AT",
        "SE",
        "FI",
        "DK",
        "PL",
        "CZ",
        "SK",
        "SI",
        "HR",
        "HU",
        "RO",
        "BG",
        "GR",
        "CY",
        "MT",
        "EE",
        "LV",
        "LT",
    ]
)


@dataclass(frozen=True)
class RunPolicy:
    """The rules the gate applies (read from the workspace policy; defaults are prudent)."""

    version: str = "défaut-garant-1"
    run_roles: frozenset[str] = frozenset(
        {"referent_ia", "personne_ressource", "agent", "commissaire_enqueteur"}
    )
    review_roles: frozenset[str] = frozenset(
        {"referent_ia", "personne_ressource", "commissaire_enqueteur", "relecteur_conformite"}
    )
    reidentify_roles: frozenset[str] = frozenset({"referent_ia", "dpo", "commissaire_enqueteur"})
    personal_data_hostings: frozenset[str] = frozenset({"offline", "local", "fr", "eu", "none"})
    special_data_hostings: frozenset[str] = frozenset({"offline", "local", "none"})
    pseudonymise_hosted: bool = True


@dataclass(frozen=True)
class GateFacts:
    """What the gate knows about a requested run."""

    kind: str
    use_ref: str
    operator_ref: str
    use: AIUse | None
    tool: AITool | None
    use_tools: tuple[AITool, ...]
    operator: Person | None
    operator_roles: frozenset[str]
    alias_name: str | None
    alias: ModelAlias | None
    hosting: Hosting

    @property
    def data_categories(self) -> frozenset[str]:
        return frozenset(self.use.data_categories) if self.use else frozenset()

    @property
    def handles_personal_data(self) -> bool:
        sensitive = {DataCategory.PERSONAL, DataCategory.SPECIAL, DataCategory.PUBLIC_CONTRIBUTIONS}
        return bool(self.data_categories & {c.value for c in sensitive})


@dataclass(frozen=True)
class GateDecision:
    allowed: bool
    rule: str = ""
    reason: str = ""
    hint: str = ""
    pseudonymise: bool = False
    policy_version: str = ""
    checked: tuple[str, ...] = field(default=())


def hosting_of(tool: AITool | None, alias: ModelAlias | None) -> Hosting:
    """Where text sent through this tool/model goes; the stricter of tool and alias wins."""
    if alias is None and tool is None:
        return "none"
    if alias is not None and alias.model.startswith("offline/"):
        return "offline"
    if (alias is not None and not alias.hosted) or (
        alias is None and tool is not None and tool.access_mode == "local"
    ):
        return "local"
    regions = [
        r.strip().upper()
        for r in (alias.hosting_region if alias else "", tool.hosting_region if tool else "")
        if r.strip()
    ]
    leaves = bool(tool and tool.data_leaves_eu) or any(r not in EU_REGIONS for r in regions)
    if leaves or not regions:
        return "non_eu" if leaves else "eu"
    return "fr" if all(r == "FR" for r in regions) else "eu"


def gather_facts(
    session: Session,
    *,
    kind: str,
    use_ref: str,
    operator_ref: str,
    alias_name: str | None,
    alias: ModelAlias | None,
    tool_ref: str | None = None,
    on: date | None = None,
) -> GateFacts:
    use = _maybe(lambda: find_use(session, use_ref))
    operator = _maybe(lambda: find_person(session, operator_ref, "operator"))
    use_tools = tuple(tools_of_use(session, use)) if use else ()
    tool = _pick_tool(session, use_tools, alias_name, tool_ref)
    return GateFacts(
        kind=kind,
        use_ref=use_ref,
        operator_ref=operator_ref,
        use=use,
        tool=tool,
        use_tools=use_tools,
        operator=operator,
        operator_roles=frozenset(active_roles(session, operator, on)) if operator else frozenset(),
        alias_name=alias_name,
        alias=alias,
        hosting=hosting_of(tool, alias),
    )


def _maybe(find: Callable[[], _T]) -> _T | None:
    try:
        return find()
    except NotFoundError:
        return None


def _pick_tool(
    session: Session, use_tools: tuple[AITool, ...], alias_name: str | None, tool_ref: str | None
) -> AITool | None:
    if tool_ref:
        return _maybe(lambda: find_tool(session, tool_ref))
    if alias_name:
        return next((tool for tool in use_tools if tool.model_alias == alias_name), None)
    return use_tools[0] if len(use_tools) == 1 else None


def decide(facts: GateFacts, policy: RunPolicy) -> GateDecision:
    """Apply the rules in order; the first that fails refuses the run."""
    checks = (
        _use_registered,
        _use_approved,
        _tool_registered_for_use,
        _tool_status,
        _personal_data_hosting,
        _special_data_hosting,
        _operator_role,
    )
    checked: list[str] = []
    for check in checks:
        refusal = check(facts, policy)
        checked.append(check.__name__.lstrip("_"))
        if refusal is not None:
            rule, reason, hint = refusal
            return GateDecision(
                False, rule, reason, hint, policy_version=policy.version, checked=tuple(checked)
            )
    pseudonymise = facts.handles_personal_data or (
        policy.pseudonymise_hosted and facts.hosting in ("fr", "eu", "non_eu")
    )
    return GateDecision(
        True, pseudonymise=pseudonymise, policy_version=policy.version, checked=tuple(checked)
    )


Refusal = tuple[str, str, str] | None


def _use_registered(facts: GateFacts, policy: RunPolicy) -> Refusal:
    if facts.use is not None:
        return None
    return (
        "use_not_registered",
        tr(
            "L'usage « {u} » n'est pas déclaré au registre.",
            "Use '{u}' is not registered.",
            u=facts.use_ref,
        ),
        tr(
            "Déclarez-le (« garant uses add ») et faites-le approuver.",
            "Register it ('garant uses add') and get it approved.",
        ),
    )


def _use_approved(facts: GateFacts, policy: RunPolicy) -> Refusal:
    assert facts.use is not None
    if facts.use.status == UseStatus.APPROVED:
        return None
    return (
        "use_not_approved",
        tr(
            "L'usage « {u} » n'est pas approuvé (statut : {s}).",
            "Use '{u}' is not approved (status: {s}).",
            u=facts.use.key,
            s=facts.use.status,
        ),
        tr(
            "Le référent IA doit l'approuver : « garant uses set-status {u} approved ».",
            "The AI referent must approve it: 'garant uses set-status {u} approved'.",
            u=facts.use.key,
        ),
    )


def _tool_registered_for_use(facts: GateFacts, policy: RunPolicy) -> Refusal:
    if facts.tool is not None and any(t.id == facts.tool.id for t in facts.use_tools):
        return None
    wanted = facts.alias_name or (facts.tool.key if facts.tool else "?")
    return (
        "tool_not_registered_for_use",
        tr(
            "Aucun outil de l'usage « {u} » ne correspond au modèle « {m} ».",
            "No tool of use '{u}' matches model '{m}'.",
            u=facts.use_ref,
            m=wanted,
        ),
        tr(
            "Outils de l'usage : {t}. Rattachez l'outil à l'usage ou choisissez son alias de modèle.",
            "Tools of the use: {t}. Link the tool to the use or pick its model alias.",
            t=", ".join(f"{t.key} (alias {t.model_alias or '—'})" for t in facts.use_tools) or "—",
        ),
    )


def _tool_status(facts: GateFacts, policy: RunPolicy) -> Refusal:
    assert facts.tool is not None
    if facts.tool.status == ToolStatus.APPROVED:
        return None
    rule = "tool_forbidden" if facts.tool.status == ToolStatus.FORBIDDEN else "tool_under_review"
    return (
        rule,
        tr(
            "L'outil « {t} » est {s}.",
            "Tool '{t}' is {s}.",
            t=facts.tool.name,
            s=tr("interdit", "forbidden")
            if rule == "tool_forbidden"
            else tr("en cours d'examen", "under review"),
        ),
        tr(
            "Utilisez un outil approuvé ou demandez un arbitrage (« garant arbitration open »).",
            "Use an approved tool or ask for arbitration ('garant arbitration open').",
        ),
    )


def _personal_data_hosting(facts: GateFacts, policy: RunPolicy) -> Refusal:
    if not facts.handles_personal_data or facts.hosting in policy.personal_data_hostings:
        return None
    return (
        "personal_data_outside_allowed_hosting",
        tr(
            "L'usage « {u} » traite des données personnelles et le modèle est hébergé hors UE ({h}).",
            "Use '{u}' handles personal data and the model is hosted outside the EU ({h}).",
            u=facts.use_ref,
            h=facts.hosting,
        ),
        tr(
            "Choisissez un modèle hébergé en UE, local ou hors ligne.",
            "Choose a model hosted in the EU, local or offline.",
        ),
    )


def _special_data_hosting(facts: GateFacts, policy: RunPolicy) -> Refusal:
    if (
        DataCategory.SPECIAL.value not in facts.data_categories
        or facts.hosting in policy.special_data_hostings
    ):
        return None
    return (
        "special_data_to_hosted_model",
        tr(
            "L'usage « {u} » traite des données sensibles (art. 9 RGPD) : aucun modèle hébergé n'est permis.",
            "Use '{u}' handles special-category data (GDPR Art. 9): no hosted model is allowed.",
            u=facts.use_ref,
        ),
        tr("Utilisez un modèle local ou hors ligne.", "Use a local or offline model."),
    )


def _operator_role(facts: GateFacts, policy: RunPolicy) -> Refusal:
    if facts.operator is not None and facts.operator_roles & policy.run_roles:
        return None
    if facts.operator is None:
        reason = tr(
            "Opérateur inconnu : « {o} ».", "Unknown operator: '{o}'.", o=facts.operator_ref
        )
    else:
        reason = tr(
            "{o} n'a aucun rôle autorisé à lancer des analyses (rôles actifs : {r}).",
            "{o} holds no role allowed to run analyses (active roles: {r}).",
            o=facts.operator.full_name,
            r=", ".join(sorted(facts.operator_roles)) or "—",
        )
    return (
        "operator_without_allowed_role",
        reason,
        tr(
            "Rôles autorisés : {r}. Voyez « garant roles assign ».",
            "Allowed roles: {r}. See 'garant roles assign'.",
            r=", ".join(sorted(policy.run_roles)),
        ),
    )

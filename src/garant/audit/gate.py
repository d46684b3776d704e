"""The policy gate of audited runs: facts from the registry, rules from the workspace policy.

The rules themselves live in :mod:`garant.governance.policy.gate` (one gate for the whole
product); this module gathers what the registry knows about a requested run — the use, the
tool, where the model runs, the operator's roles — and adds the one check only the registry
can make: the tool must be registered for that use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from garant.domain.enums import PERSONAL_DATA_CATEGORIES
from garant.domain.models import AITool, AIUse, Person
from garant.errors import NotFoundError
from garant.governance.lookup import find_person, find_tool, find_use
from garant.governance.people import active_roles
from garant.governance.policy.gate import (
    GateDecision,
    Refusal,
    RunRequest,
    classify_hosting,
    evaluate_run_request,
)
from garant.governance.policy.model import Hosting, Policy
from garant.governance.uses import tools_of_use
from garant.settings import ModelAlias

__all__ = ["GateDecision", "GateFacts", "decide", "gather_facts", "hosting_of", "policy_label"]

_T = TypeVar("_T")

_SEVERITY = [
    Hosting.OFFLINE,
    Hosting.LOCAL,
    Hosting.HOSTED_FR,
    Hosting.HOSTED_EU,
    Hosting.HOSTED_NON_EU,
]


@dataclass(frozen=True)
class GateFacts:
    """What the registry knows about a requested run."""

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
        return bool(self.data_categories & PERSONAL_DATA_CATEGORIES)

    @property
    def runs_on_this_machine(self) -> bool:
        return self.hosting in (Hosting.OFFLINE, Hosting.LOCAL)


def hosting_of(tool: AITool | None, alias: ModelAlias | None) -> Hosting:
    """Where text sent through this tool and model goes; the stricter of the two wins."""
    candidates = []
    if alias is not None:
        candidates.append(
            classify_hosting(
                hosted=alias.hosted,
                region=alias.hosting_region,
                offline=alias.model.startswith("offline/"),
            )
        )
    if tool is not None:
        candidates.append(
            classify_hosting(
                hosted=tool.access_mode != "local",
                region=tool.hosting_region,
                data_leaves_eu=tool.data_leaves_eu,
                offline=alias is not None and alias.model.startswith("offline/"),
            )
        )
    if not candidates:
        return Hosting.LOCAL
    return max(candidates, key=_SEVERITY.index)


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


def policy_label(decision: GateDecision) -> str:
    """The policy a gate decision applied, as runs and documents record it ("id vN")."""
    return f"{decision.policy_id} v{decision.policy_version}"


def decide(
    facts: GateFacts,
    policy: Policy,
    purposes: frozenset[str] = frozenset(),
    pseudonymisation_available: bool = True,
    pseudonymisation_mode: str | None = None,
) -> GateDecision:
    """Apply the workspace policy; every reason to refuse is listed, the first names the rule.

    ``pseudonymisation_available=False`` when the data cannot be pseudonymised before it
    leaves (audio sent to a speech API): data rules that require pseudonymisation then refuse.
    """
    request = RunRequest(
        use_key=facts.use.key if facts.use else None,
        use_status=facts.use.status if facts.use else None,
        tool_key=facts.tool.key if facts.tool else (facts.alias_name or ""),
        tool_status=facts.tool.status if facts.tool else "under_review",
        hosting=facts.hosting,
        data_categories=facts.data_categories,
        operator=facts.operator.full_name if facts.operator else facts.operator_ref,
        operator_roles=facts.operator_roles,
        analysis_kind=facts.kind,
        tool_access_mode=facts.tool.access_mode if facts.tool else None,
        purposes=purposes,
        pseudonymisation_available=pseudonymisation_available,
        pseudonymisation_mode=pseudonymisation_mode,
    )
    decision = evaluate_run_request(policy, request)
    linked = _tool_link_refusal(facts)
    if linked is not None:
        decision = dataclasses.replace(decision, refusals=(*decision.refusals, linked))
    return decision


def _tool_link_refusal(facts: GateFacts) -> Refusal | None:
    if facts.use is None or (
        facts.tool is not None and any(t.id == facts.tool.id for t in facts.use_tools)
    ):
        return None
    wanted = facts.alias_name or (facts.tool.key if facts.tool else "?")
    tools = ", ".join(f"{t.key} (alias {t.model_alias or '—'})" for t in facts.use_tools) or "—"
    values = {"use": facts.use.key, "model": wanted, "tools": tools}
    return Refusal(
        rule="use.tool_not_registered",
        message_fr=(
            "Règle use.tool_not_registered : aucun outil de l'usage « {use} » ne correspond au "
            "modèle ou à l'outil « {model} » (outils de l'usage : {tools})."
        ).format(**values),
        message_en=(
            "Rule use.tool_not_registered: no tool of use '{use}' matches model or tool "
            "'{model}' (tools of the use: {tools})."
        ).format(**values),
    )

"""The registry of AI tools: what exists in the organisation and whether it may be used."""

from __future__ import annotations

from sqlmodel import Session, select

from garant.domain.enums import ToolStatus, label
from garant.domain.inputs import ToolInput
from garant.domain.models import AITool, Person
from garant.errors import ConflictError, PolicyRefusal
from garant.governance.authority import DecisionRules, require_role
from garant.governance.lookup import (
    find_tool,
    person_named,
    slugify,
    stamp_created,
    stamp_updated,
)
from garant.governance.policy.model import Policy
from garant.i18n import tr

__all__ = [
    "add_tool",
    "check_standing",
    "data_leaves_eu",
    "get_tool",
    "hosting_known",
    "leaves_eu_label",
    "list_tools",
    "set_tool_status",
]


def add_tool(
    session: Session,
    data: ToolInput,
    actor: str,
    *,
    by: Person | None = None,
    rules: DecisionRules | None = None,
) -> AITool:
    """Register a tool; its name and key must be new. With ``rules`` (every user action), a
    tool registered as approved needs ``by`` to hold a role of ``roles.approve_tools``."""
    if rules is not None and data.status is ToolStatus.APPROVED:
        require_role(session, rules, by, "approve_tool")
    key = slugify(data.key or data.name)
    duplicate = session.exec(
        select(AITool).where((AITool.key == key) | (AITool.name == data.name))
    ).first()
    if duplicate is not None:
        raise ConflictError(
            tr(
                "L'outil « {name} » est déjà déclaré (clé {key}).",
                "Tool '{name}' is already registered (key {key}).",
                name=duplicate.name,
                key=duplicate.key,
            ),
            tr(
                "Voyez « garant tools show {key} », ou changez son statut avec "
                "« garant tools set-status ».",
                "See 'garant tools show {key}', or change its status with "
                "'garant tools set-status'.",
                key=duplicate.key,
            ),
        )
    values = data.model_dump(exclude={"key"})
    values["access_mode"] = data.access_mode.value
    values["status"] = data.status.value
    tool = AITool(key=key, **values)
    session.add(stamp_created(tool, actor))
    session.flush()
    return tool


def list_tools(session: Session, status: ToolStatus | None = None) -> list[AITool]:
    statement = select(AITool).order_by(AITool.name)
    if status is not None:
        statement = statement.where(AITool.status == status.value)
    return list(session.exec(statement))


def get_tool(session: Session, ref: str) -> AITool:
    return find_tool(session, ref)


def set_tool_status(
    session: Session,
    ref: str,
    status: ToolStatus,
    actor: str,
    note: str = "",
    *,
    by: Person | None = None,
    rules: DecisionRules | None = None,
) -> AITool:
    """Approve, forbid or put a tool under review; the note is appended to its notes.

    Approving needs a person (``by``, else ``actor`` naming one) holding a role of
    ``roles.approve_tools`` (:class:`PolicyRefusal` otherwise).
    """
    tool = find_tool(session, ref)
    if status is ToolStatus.APPROVED:
        require_role(
            session, rules or DecisionRules(), by or person_named(session, actor), "approve_tool"
        )
    tool.status = status.value
    if note:
        tool.notes = (tool.notes + "\n" if tool.notes else "") + note
    session.add(stamp_updated(tool, actor))
    session.flush()
    return tool


def hosting_known(tool: AITool) -> bool:
    """Whether the registry knows where the tool processes data (a local tool, or a region)."""
    return tool.access_mode == "local" or bool(tool.hosting_region.strip()) or tool.data_leaves_eu


def data_leaves_eu(tool: AITool) -> bool | None:
    """Whether data sent to the tool leaves the EU: ``None`` when nobody recorded where it runs
    (the gate then treats it as the cautious case, outside the EU)."""
    if tool.data_leaves_eu:
        return True
    return False if hosting_known(tool) else None


def leaves_eu_label(tool: AITool) -> str:
    """« oui », « non » or « inconnu » for registers and documents."""
    return {
        True: tr("oui", "yes"),
        False: tr("non", "no"),
        None: tr("inconnu (traité comme hors UE)", "unknown (treated as outside the EU)"),
    }[data_leaves_eu(tool)]


def check_standing(policy: Policy | None, tool: AITool) -> str:
    """Refuse approving a tool the policy forbids; a warning (or "") for other contradictions."""
    from garant.governance.standing import tool_standing

    if policy is None:
        return ""
    standing = tool_standing(policy, tool)
    if not standing.contradicts_policy:
        return ""
    if standing.registry_status == ToolStatus.APPROVED and standing.status == ToolStatus.FORBIDDEN:
        raise PolicyRefusal(
            tr(
                "Règle {rule} : la politique interdit l'outil « {tool} »{reason} ; il ne peut "
                "pas être approuvé au registre.",
                "Rule {rule}: the policy forbids tool '{tool}'{reason}; it cannot be approved "
                "in the registry.",
                rule=standing.described_rule,
                tool=tool.name,
                reason=f" ({standing.reason})" if standing.reason else "",
            ),
            tr(
                "Changez d'abord la politique (nouvelle version approuvée), ou laissez l'outil "
                "à l'examen.",
                "Change the policy first (a new approved version), or leave the tool under review.",
            ),
            rule=standing.rule,
        )
    return tr(
        "Attention : statut « {registry} » au registre, mais « {status} » selon la politique "
        "({rule}){reason}. C'est ce dernier statut qui s'applique et qui est affiché partout.",
        "Warning: status '{registry}' in the registry but '{status}' under the policy "
        "({rule}){reason}. The latter applies and is shown everywhere.",
        registry=label(standing.registry_status),
        status=label(standing.status),
        rule=standing.described_rule,
        reason=f" : {standing.reason.rstrip('.')}" if standing.reason else "",
    )

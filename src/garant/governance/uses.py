"""Registered uses of AI: what is done, at which stage, on which data, with which tools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from garant.domain.enums import PERSONAL_DATA_CATEGORIES, DataCategory, UseStatus
from garant.domain.inputs import UseInput
from garant.domain.models import AITool, AIUse, AIUseTool, Person
from garant.errors import ConflictError, InputError, PolicyRefusal
from garant.governance.authority import DecisionRules, require_role
from garant.governance.lookup import (
    find_person,
    find_tool,
    find_use,
    person_named,
    slugify,
    stamp_created,
    stamp_updated,
)
from garant.i18n import tr

__all__ = ["UseView", "add_use", "get_use", "list_uses", "set_use_status", "tools_of_use"]


@dataclass(frozen=True)
class UseView:
    """A use with the tools and people it refers to, ready to show or export."""

    use: AIUse
    tools: list[AITool]
    responsible: Person | None
    oversight: Person | None

    @property
    def handles_personal_data(self) -> bool:
        return bool(set(self.use.data_categories) & PERSONAL_DATA_CATEGORIES)


def add_use(
    session: Session,
    data: UseInput,
    actor: str,
    *,
    by: Person | None = None,
    rules: DecisionRules | None = None,
    override: str = "",
) -> AIUse:
    """Register a use; tools and people are looked up and must exist. With ``rules`` (every
    user action), a use registered as approved is an approval (see :func:`set_use_status`)."""
    key = slugify(data.key or data.title)
    if session.exec(select(AIUse).where(AIUse.key == key)).first() is not None:
        raise ConflictError(
            tr("Un usage a déjà la clé « {key} ».", "A use already has key '{key}'.", key=key),
            tr("Donnez une autre clé avec --key.", "Give another key with --key."),
        )
    categories = [category.value for category in data.data_categories]
    if DataCategory.NONE.value in categories and len(categories) > 1:
        raise InputError(
            tr(
                "« data_categories » : « none » ne peut pas être combiné avec d'autres catégories.",
                "'data_categories': 'none' cannot be combined with other categories.",
            ),
            tr("Retirez « none » ou les autres catégories.", "Remove 'none' or the others."),
        )
    tools = [find_tool(session, ref, field="tools") for ref in data.tools]
    responsible = (
        find_person(session, data.responsible, "responsible") if data.responsible else None
    )
    oversight = find_person(session, data.oversight, "oversight") if data.oversight else None
    values = data.model_dump(
        exclude={"key", "tools", "responsible", "oversight", "data_categories"}
    )
    values["stage"] = data.stage.value
    values["status"] = data.status.value
    values["legal_basis"] = data.legal_basis.value if data.legal_basis else None
    use = AIUse(
        key=key,
        data_categories=categories,
        responsible_id=responsible.id if responsible else None,
        oversight_id=oversight.id if oversight else None,
        **values,
    )
    session.add(stamp_created(use, actor))
    session.flush()
    for tool in tools:
        session.add(AIUseTool(use_id=use.id or 0, tool_id=tool.id or 0))
    session.flush()
    if rules is not None and data.status is UseStatus.APPROVED:
        _check_approval(session, use, by, rules, override, None)
    return use


def tools_of_use(session: Session, use: AIUse) -> list[AITool]:
    statement = (
        select(AITool)
        .join(AIUseTool, col(AIUseTool.tool_id) == col(AITool.id))
        .where(AIUseTool.use_id == use.id)
        .order_by(AITool.name)
    )
    return list(session.exec(statement))


def _view(session: Session, use: AIUse) -> UseView:
    return UseView(
        use=use,
        tools=tools_of_use(session, use),
        responsible=session.get(Person, use.responsible_id) if use.responsible_id else None,
        oversight=session.get(Person, use.oversight_id) if use.oversight_id else None,
    )


def get_use(session: Session, ref: str) -> UseView:
    return _view(session, find_use(session, ref))


def list_uses(session: Session, status: UseStatus | None = None) -> list[UseView]:
    statement = select(AIUse).order_by(AIUse.title)
    if status is not None:
        statement = statement.where(AIUse.status == status.value)
    return [_view(session, use) for use in session.exec(statement)]


def set_use_status(
    session: Session,
    ref: str,
    status: UseStatus,
    actor: str,
    *,
    by: Person | None = None,
    rules: DecisionRules | None = None,
    override: str = "",
    today: date | None = None,
) -> AIUse:
    """Change a use's status. Approving binds: the approver (``by``, else ``actor`` naming a
    person) holds a role of ``roles.approve_uses``, and the checklist is complete with the DPIA
    done when required — or ``override`` gives the reason to approve anyway, recorded in the
    ledger (``approval_override``)."""
    use = find_use(session, ref)
    if status is UseStatus.APPROVED:
        _check_approval(session, use, by or person_named(session, actor), rules, override, today)
    use.status = status.value
    session.add(stamp_updated(use, actor))
    session.flush()
    return use


def _check_approval(
    session: Session,
    use: AIUse,
    approver: Person | None,
    rules: DecisionRules | None,
    override: str,
    today: date | None,
) -> None:
    from garant.audit.ledger import append_event
    from garant.governance.assessments import approval_blockers

    role = require_role(session, rules or DecisionRules(), approver, "approve_use")
    blockers = approval_blockers(session, use, today)
    if not blockers:
        return
    if not override.strip():
        raise PolicyRefusal(
            tr(
                "Règle use.approval_checks : l'usage « {use} » ne peut pas être approuvé : {why}.",
                "Rule use.approval_checks: use '{use}' cannot be approved: {why}.",
                use=use.key,
                why="; ".join(blockers),
            ),
            tr(
                "Complétez la liste de contrôle (garant checklist status {use}), ou approuvez "
                "en connaissance de cause avec --override « raison » (consigné au journal).",
                "Complete the checklist (garant checklist status {use}), or approve knowingly "
                "with --override 'reason' (recorded in the ledger).",
                use=use.key,
            ),
            rule="use.approval_checks",
        )
    assert approver is not None  # require_role refused otherwise
    append_event(
        session,
        "approval_override",
        {
            "use": use.key,
            "approved_by": approver.key,
            "role": role.value,
            "reason": override.strip(),
            "blockers": blockers,
        },
    )

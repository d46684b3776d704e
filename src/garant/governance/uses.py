"""Registered uses of AI: what is done, at which stage, on which data, with which tools."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from garant.domain.enums import PERSONAL_DATA_CATEGORIES, DataCategory, UseStatus
from garant.domain.inputs import UseInput
from garant.domain.models import AITool, AIUse, AIUseTool, Person
from garant.errors import ConflictError, InputError
from garant.governance.lookup import (
    find_person,
    find_tool,
    find_use,
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


def add_use(session: Session, data: UseInput, actor: str) -> AIUse:
    """Register a use; tools and people are looked up and must exist."""
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


def set_use_status(session: Session, ref: str, status: UseStatus, actor: str) -> AIUse:
    use = find_use(session, ref)
    use.status = status.value
    session.add(stamp_updated(use, actor))
    session.flush()
    return use

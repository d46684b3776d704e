"""Changing registry entries after creation: edit a tool, a use or a person, end a role, change a
status with its reason, retire a tool or a use.

Nothing is deleted. Every change stamps ``updated_by``/``updated_at``, names its author in
``session.info["garant_actor"]`` (read by the ledger's session hook), and, for tools and uses,
appends a ``registry_edit`` ledger event holding each changed field as ``[before, after]``: that
chain of events is the entry's history (:func:`registry_history`).

Like every store-only service (ADR 0015) these take a ``Session``; the caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlmodel import Session, col, select

from garant.domain.enums import RoleName, ToolStatus, UseStatus
from garant.domain.inputs import PersonInput, ToolInput, UseInput, validated
from garant.domain.models import AITool, AIUse, AIUseTool, LedgerEntry, Person, RoleAssignment
from garant.errors import ConflictError, InputError, NotFoundError
from garant.governance.lookup import find_person, find_tool, find_use, stamp_updated
from garant.governance.uses import tools_of_use
from garant.i18n import tr

__all__ = [
    "PERSON_FIELDS",
    "TOOL_FIELDS",
    "USE_FIELDS",
    "Edit",
    "HistoryEntry",
    "active_assignment",
    "change_tool_status",
    "change_use_status",
    "edit_person",
    "edit_tool",
    "edit_use",
    "end_role",
    "registry_history",
    "retire_tool",
    "retire_use",
]

Table = Literal["tool", "use", "person"]

TOOL_FIELDS = (
    "name",
    "vendor",
    "model_family",
    "model_version",
    "access_mode",
    "hosting_region",
    "data_leaves_eu",
    "retention_terms",
    "training_on_inputs",
    "dpa_reference",
    "model_alias",
    "notes",
)
USE_FIELDS = (
    "title",
    "purpose",
    "stage",
    "tools",
    "data_categories",
    "legal_basis",
    "responsible",
    "oversight",
    "data_subjects",
    "data_description",
    "recipients",
    "retention",
    "security_measures",
    "transfer_safeguards",
)
PERSON_FIELDS = ("full_name", "email", "job_title")


@dataclass(frozen=True)
class Edit:
    """What one change did: the entry, each changed field as (before, after), who and when."""

    table: Table
    key: str
    changes: dict[str, tuple[Any, Any]]
    by: str
    reason: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class HistoryEntry:
    recorded_at: str
    by: str
    changes: dict[str, list[Any]]
    reason: str


def _check_fields(changes: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> None:
    for name in changes:
        if name in ("status", "key"):
            raise InputError(
                tr(
                    "« {field} » ne se modifie pas par une édition de {what}.",
                    "'{field}' is not changed by editing a {what}.",
                    field=name,
                    what=what,
                ),
                tr(
                    "Changez le statut avec « set-status » ou « retire » ; la clé est fixe.",
                    "Change the status with 'set-status' or 'retire'; the key is fixed.",
                ),
            )
        if name not in allowed:
            raise InputError(
                tr("Champ inconnu : « {field} ».", "Unknown field: '{field}'.", field=name),
                tr("Champs modifiables : {f}", "Editable fields: {f}", f=", ".join(allowed)),
            )


def _record(session: Session, edit: Edit) -> None:
    """Author in the session (for the ledger hook) and, for tools and uses, one ledger event."""
    session.info["garant_actor"] = edit.by
    if edit.table == "person" or not edit.changes:
        return
    from garant.audit.ledger import append_event

    append_event(
        session,
        "registry_edit",
        {
            "table": edit.table,
            "key": edit.key,
            "by": edit.by,
            "reason": edit.reason,
            "changes": {name: [_plain(a), _plain(b)] for name, (a, b) in edit.changes.items()},
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


# --- tools ------------------------------------------------------------------------------------


def _tool_values(tool: AITool) -> dict[str, Any]:
    return {name: getattr(tool, name) for name in TOOL_FIELDS}


def edit_tool(session: Session, ref: str, changes: Mapping[str, Any], actor: str) -> Edit:
    """Change fields of a tool; values are checked as when it was created."""
    _check_fields(changes, TOOL_FIELDS, tr("l'outil", "tool"))
    tool = find_tool(session, ref)
    before = _tool_values(tool)
    data = validated(ToolInput, {**before, **changes})
    after = data.model_dump(include=set(TOOL_FIELDS))
    after["access_mode"] = data.access_mode.value
    if after["name"] != tool.name:
        clash = session.exec(
            select(AITool).where(AITool.name == after["name"], AITool.id != tool.id)
        ).first()
        if clash is not None:
            raise ConflictError(
                tr(
                    "Un autre outil s'appelle déjà « {n} » (clé {k}).",
                    "Another tool is already called '{n}' (key {k}).",
                    n=clash.name,
                    k=clash.key,
                ),
                tr("Choisissez un autre nom.", "Choose another name."),
            )
    diff = {
        name: (before[name], after[name]) for name in TOOL_FIELDS if before[name] != after[name]
    }
    for name, (_, new) in diff.items():
        setattr(tool, name, new)
    if diff:
        session.add(stamp_updated(tool, actor))
    edit = Edit("tool", tool.key, diff, actor)
    _record(session, edit)
    session.flush()
    return edit


def change_tool_status(
    session: Session, ref: str, status: ToolStatus, reason: str, actor: str
) -> Edit:
    """Approve, forbid, put under review or retire a tool; the reason is required and kept."""
    tool = find_tool(session, ref)
    _require_reason(reason)
    before = tool.status
    if before == status.value:
        return Edit("tool", tool.key, {}, actor, reason)
    tool.status = status.value
    stamp = f"[{date.today().isoformat()} {actor}] {before} → {status.value} : {reason}"
    tool.notes = (tool.notes + "\n" if tool.notes else "") + stamp
    session.add(stamp_updated(tool, actor))
    edit = Edit("tool", tool.key, {"status": (before, status.value)}, actor, reason)
    _record(session, edit)
    session.flush()
    return edit


def retire_tool(session: Session, ref: str, reason: str, actor: str) -> Edit:
    """Withdraw a tool from service: status ``retired``, row and history kept."""
    return change_tool_status(session, ref, ToolStatus.RETIRED, reason, actor)


# --- uses -------------------------------------------------------------------------------------


def _use_values(session: Session, use: AIUse) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(use, name) for name in USE_FIELDS if hasattr(AIUse, name)
    }
    values["tools"] = [tool.key for tool in tools_of_use(session, use)]
    values["responsible"] = _person_key(session, use.responsible_id)
    values["oversight"] = _person_key(session, use.oversight_id)
    return values


def _person_key(session: Session, person_id: int | None) -> str | None:
    person = session.get(Person, person_id) if person_id else None
    return person.key if person else None


def edit_use(session: Session, ref: str, changes: Mapping[str, Any], actor: str) -> Edit:
    """Change fields of a use (tools and people by key); values are checked as at creation."""
    _check_fields(changes, USE_FIELDS, tr("l'usage", "use"))
    use = find_use(session, ref)
    before = _use_values(session, use)
    data = validated(UseInput, {**before, **changes})
    tools = [find_tool(session, item, field="tools") for item in data.tools]
    responsible = (
        find_person(session, data.responsible, "responsible") if data.responsible else None
    )
    oversight = find_person(session, data.oversight, "oversight") if data.oversight else None
    categories = [category.value for category in data.data_categories]
    if "none" in categories and len(categories) > 1:
        raise InputError(
            tr(
                "« data_categories » : « none » ne peut pas être combiné avec d'autres catégories.",
                "'data_categories': 'none' cannot be combined with other categories.",
            ),
            tr("Retirez « none » ou les autres catégories.", "Remove 'none' or the others."),
        )
    after = data.model_dump(include=set(USE_FIELDS))
    after.update(
        stage=data.stage.value,
        legal_basis=data.legal_basis.value if data.legal_basis else None,
        data_categories=categories,
        tools=sorted(tool.key for tool in tools),
        responsible=responsible.key if responsible else None,
        oversight=oversight.key if oversight else None,
    )
    before["tools"] = sorted(before["tools"])
    diff = {name: (before[name], after[name]) for name in USE_FIELDS if before[name] != after[name]}
    for name, (_, new) in diff.items():
        if name == "tools":
            for link in session.exec(select(AIUseTool).where(AIUseTool.use_id == use.id)):
                session.delete(link)
            session.flush()
            for tool in tools:
                session.add(AIUseTool(use_id=use.id or 0, tool_id=tool.id or 0))
        elif name == "responsible":
            use.responsible_id = responsible.id if responsible else None
        elif name == "oversight":
            use.oversight_id = oversight.id if oversight else None
        else:
            setattr(use, name, new)
    if diff:
        session.add(stamp_updated(use, actor))
    edit = Edit("use", use.key, diff, actor)
    _record(session, edit)
    session.flush()
    return edit


def change_use_status(
    session: Session, ref: str, status: UseStatus, reason: str, actor: str
) -> Edit:
    """Move a use to another status; the reason is required and kept in the ledger."""
    use = find_use(session, ref)
    _require_reason(reason)
    before = use.status
    if before == status.value:
        return Edit("use", use.key, {}, actor, reason)
    use.status = status.value
    session.add(stamp_updated(use, actor))
    edit = Edit("use", use.key, {"status": (before, status.value)}, actor, reason)
    _record(session, edit)
    session.flush()
    return edit


def retire_use(session: Session, ref: str, reason: str, actor: str) -> Edit:
    """Stop a use: status ``retired``, row and history kept."""
    return change_use_status(session, ref, UseStatus.RETIRED, reason, actor)


# --- people and roles -------------------------------------------------------------------------


def edit_person(session: Session, ref: str, changes: Mapping[str, Any], actor: str) -> Edit:
    """Change a person's name, e-mail or job title (author and time recorded on the row)."""
    _check_fields(changes, PERSON_FIELDS, tr("la personne", "person"))
    person = find_person(session, ref)
    before = {name: getattr(person, name) for name in PERSON_FIELDS}
    data = validated(PersonInput, {**before, **changes})
    after = data.model_dump(include=set(PERSON_FIELDS))
    if after["email"] and after["email"] != person.email:
        clash = session.exec(
            select(Person).where(Person.email == after["email"], Person.id != person.id)
        ).first()
        if clash is not None:
            raise ConflictError(
                tr(
                    "L'adresse {email} est déjà celle de {k}.",
                    "E-mail {email} already belongs to {k}.",
                    email=after["email"],
                    k=clash.key,
                ),
                tr("Vérifiez l'adresse.", "Check the address."),
            )
    diff = {n: (before[n], after[n]) for n in PERSON_FIELDS if before[n] != after[n]}
    for name, (_, new) in diff.items():
        setattr(person, name, new)
    if diff:
        session.add(stamp_updated(person, actor))
    edit = Edit("person", person.key, diff, actor)
    _record(session, edit)
    session.flush()
    return edit


def end_role(
    session: Session, assignment_id: int, actor: str, on: date | None = None
) -> RoleAssignment:
    """End a role assignment on ``on`` (today by default); the assignment stays on record."""
    assignment = session.get(RoleAssignment, assignment_id)
    if assignment is None:
        raise NotFoundError(
            tr(
                "Attribution de rôle inconnue : {id}",
                "Unknown role assignment: {id}",
                id=assignment_id,
            ),
            tr("Voyez « garant roles list ».", "See 'garant roles list'."),
        )
    day = on or date.today()
    if day < assignment.start_date:
        raise InputError(
            tr(
                "La date de fin ({end}) précède le début du rôle ({start}).",
                "The end date ({end}) is before the role started ({start}).",
                end=day,
                start=assignment.start_date,
            ),
            tr("Donnez une date de fin postérieure.", "Give a later end date."),
        )
    if assignment.end_date is not None and assignment.end_date <= day:
        raise ConflictError(
            tr(
                "Ce rôle a déjà pris fin le {end}.",
                "This role already ended on {end}.",
                end=assignment.end_date,
            ),
            tr("Rien à faire.", "Nothing to do."),
        )
    assignment.end_date = day
    session.info["garant_actor"] = actor
    session.add(stamp_updated(assignment, actor))
    session.flush()
    return assignment


def active_assignment(
    session: Session, person_ref: str, role: RoleName, on: date | None = None
) -> RoleAssignment:
    """The assignment through which ``person_ref`` holds ``role`` on ``on`` (today by default)."""
    person = find_person(session, person_ref)
    day = on or date.today()
    rows = session.exec(
        select(RoleAssignment).where(
            RoleAssignment.person_id == person.id, RoleAssignment.role == role.value
        )
    )
    for row in rows:
        if row.start_date <= day and (row.end_date is None or day <= row.end_date):
            return row
    raise NotFoundError(
        tr(
            "{p} n'a pas le rôle {r} en ce moment.",
            "{p} does not hold role {r} at present.",
            p=person.full_name,
            r=role.value,
        ),
        tr("Voyez « garant roles list ».", "See 'garant roles list'."),
    )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InputError(
            tr("Le motif est obligatoire.", "A reason is required."),
            tr(
                "Indiquez pourquoi le statut change (--reason).",
                "Say why the status changes (--reason).",
            ),
        )


def registry_history(session: Session, table: Table, key: str) -> list[HistoryEntry]:
    """The recorded changes of one tool or use, oldest first, from the ledger."""
    entries = session.exec(
        select(LedgerEntry)
        .where(LedgerEntry.event == "registry_edit")
        .order_by(col(LedgerEntry.seq))
    )
    history: list[HistoryEntry] = []
    for entry in entries:
        payload = json.loads(entry.payload)
        if payload.get("table") == table and payload.get("key") == key:
            history.append(
                HistoryEntry(
                    recorded_at=entry.recorded_at,
                    by=str(payload.get("by", "")),
                    changes=dict(payload.get("changes", {})),
                    reason=str(payload.get("reason", "")),
                )
            )
    return history

"""Finding registry rows from what a user types: an id, a key, an e-mail or a name."""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from sqlmodel import Session, SQLModel, col, select

from garant.domain.models import AITool, AIUse, Person, Tracked, utc_now
from garant.errors import NotFoundError
from garant.i18n import tr

__all__ = [
    "find_person",
    "find_tool",
    "find_use",
    "person_named",
    "slugify",
    "stamp_created",
    "stamp_updated",
]

Row = TypeVar("Row", bound=SQLModel)
TrackedRow = TypeVar("TrackedRow", bound=Tracked)


def slugify(text: str) -> str:
    """A stable ASCII key: "Métropole d'Exemple" → "metropole-d-exemple"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def stamp_created(row: TrackedRow, actor: str) -> TrackedRow:
    now = utc_now()
    row.created_at = row.updated_at = now
    row.created_by = row.updated_by = actor
    return row


def stamp_updated(row: TrackedRow, actor: str) -> TrackedRow:
    row.updated_at = utc_now()
    row.updated_by = actor
    return row


def _by_id_or_key(session: Session, model: type[Row], ref: str) -> Row | None:
    ref = ref.strip()
    if ref.isdigit():
        found = session.get(model, int(ref))
        if found is not None:
            return found
    statement = select(model).where(col(model.key) == slugify(ref))  # type: ignore[attr-defined]
    return session.exec(statement).first()


def find_person(session: Session, ref: str, field: str = "person") -> Person:
    """The person whose id, key, e-mail or exact name is ``ref``."""
    person = _by_id_or_key(session, Person, ref)
    if person is None and "@" in ref:
        person = session.exec(select(Person).where(Person.email == ref.strip().lower())).first()
    if person is None:
        person = session.exec(select(Person).where(Person.full_name == ref.strip())).first()
    if person is None:
        raise NotFoundError(
            tr(
                "Personne inconnue pour « {field} » : {ref}",
                "Unknown person for '{field}': {ref}",
                field=field,
                ref=ref,
            ),
            tr(
                "Voyez « garant people list » ou ajoutez-la avec « garant people add ».",
                "See 'garant people list' or add them with 'garant people add'.",
            ),
        )
    return person


def person_named(session: Session, ref: str) -> Person | None:
    """The person ``ref`` names, or ``None`` (an OS account name, an empty actor)."""
    if not ref.strip():
        return None
    try:
        return find_person(session, ref)
    except NotFoundError:
        return None


def find_tool(session: Session, ref: str, field: str = "tool") -> AITool:
    """The AI tool whose id, key or name is ``ref``."""
    tool = _by_id_or_key(session, AITool, ref)
    if tool is None:
        tool = session.exec(select(AITool).where(AITool.name == ref.strip())).first()
    if tool is None:
        raise NotFoundError(
            tr(
                "Outil d'IA inconnu pour « {field} » : {ref}",
                "Unknown AI tool for '{field}': {ref}",
                field=field,
                ref=ref,
            ),
            tr(
                "Voyez « garant tools list » ou déclarez-le avec « garant tools add ».",
                "See 'garant tools list' or register it with 'garant tools add'.",
            ),
        )
    return tool


def find_use(session: Session, ref: str, field: str = "use") -> AIUse:
    """The registered use whose id or key is ``ref``."""
    use = _by_id_or_key(session, AIUse, ref)
    if use is None:
        raise NotFoundError(
            tr(
                "Usage inconnu pour « {field} » : {ref}",
                "Unknown use for '{field}': {ref}",
                field=field,
                ref=ref,
            ),
            tr(
                "Voyez « garant uses list » ou déclarez-le avec « garant uses add ».",
                "See 'garant uses list' or register it with 'garant uses add'.",
            ),
        )
    return use

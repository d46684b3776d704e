"""People of the organisation and the roles they hold (référent IA, DPO, …)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from garant.domain.enums import RoleName
from garant.domain.inputs import PersonInput, RoleInput
from garant.domain.models import Person, RoleAssignment
from garant.errors import ConflictError, InputError
from garant.governance.lookup import find_person, slugify, stamp_created
from garant.governance.organisations import main_organisation
from garant.i18n import tr

__all__ = [
    "RoleView",
    "active_roles",
    "add_person",
    "assign_role",
    "list_people",
    "list_roles",
    "people_with_role",
]


def add_person(session: Session, data: PersonInput, actor: str) -> Person:
    """Register a person; the key defaults to a slug of the name and must be unique."""
    key = slugify(data.key or data.full_name)
    if session.exec(select(Person).where(Person.key == key)).first() is not None:
        raise ConflictError(
            tr(
                "Une personne a déjà la clé « {key} ».",
                "A person already has key '{key}'.",
                key=key,
            ),
            tr(
                "Donnez une autre clé avec --key (ex. {key}-2).",
                "Give another key with --key (e.g. {key}-2).",
                key=key,
            ),
        )
    if data.email and session.exec(select(Person).where(Person.email == data.email)).first():
        raise ConflictError(
            tr(
                "L'adresse {email} est déjà enregistrée.",
                "E-mail {email} is already registered.",
                email=data.email,
            ),
            tr("Voyez « garant people list ».", "See 'garant people list'."),
        )
    organisation = main_organisation(session)
    person = Person(
        key=key,
        full_name=data.full_name,
        email=data.email,
        job_title=data.job_title,
        organisation_id=organisation.id if organisation else None,
    )
    session.add(stamp_created(person, actor))
    session.flush()
    return person


def list_people(session: Session) -> list[Person]:
    return list(session.exec(select(Person).order_by(Person.full_name)))


def assign_role(session: Session, data: RoleInput, actor: str) -> RoleAssignment:
    """Give a person a role from ``start_date`` (until ``end_date`` if set)."""
    person = find_person(session, data.person)
    if data.end_date is not None and data.end_date < data.start_date:
        raise InputError(
            tr(
                "« end_date » ({end}) précède « start_date » ({start}).",
                "'end_date' ({end}) is before 'start_date' ({start}).",
                end=data.end_date,
                start=data.start_date,
            ),
            tr("Corrigez les dates.", "Fix the dates."),
        )
    assignment = RoleAssignment(
        person_id=person.id or 0,
        role=data.role.value,
        start_date=data.start_date,
        end_date=data.end_date,
        scope=data.scope,
    )
    session.add(stamp_created(assignment, actor))
    session.flush()
    return assignment


@dataclass(frozen=True)
class RoleView:
    assignment: RoleAssignment
    person: Person

    @property
    def active(self) -> bool:
        return _is_active(self.assignment, date.today())


def _is_active(assignment: RoleAssignment, on: date) -> bool:
    return assignment.start_date <= on and (
        assignment.end_date is None or on <= assignment.end_date
    )


def list_roles(session: Session, role: RoleName | None = None) -> list[RoleView]:
    statement = select(RoleAssignment, Person).where(RoleAssignment.person_id == Person.id)
    if role is not None:
        statement = statement.where(RoleAssignment.role == role.value)
    statement = statement.order_by(col(RoleAssignment.role), col(Person.full_name))
    return [RoleView(assignment, person) for assignment, person in session.exec(statement)]


def active_roles(session: Session, person: Person, on: date | None = None) -> set[str]:
    """The roles ``person`` holds on ``on`` (today by default)."""
    day = on or date.today()
    rows = session.exec(select(RoleAssignment).where(RoleAssignment.person_id == person.id))
    return {row.role for row in rows if _is_active(row, day)}


def people_with_role(session: Session, role: RoleName, on: date | None = None) -> list[Person]:
    day = on or date.today()
    return [view.person for view in list_roles(session, role) if _is_active(view.assignment, day)]

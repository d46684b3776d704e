"""AI-literacy training log (AI Act Art. 4: deployers ensure staff AI literacy)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from garant.domain.inputs import TrainingInput
from garant.domain.models import Person, TrainingRecord
from garant.governance.lookup import find_person, stamp_created

__all__ = ["TrainingView", "list_training", "log_training"]


@dataclass(frozen=True)
class TrainingView:
    record: TrainingRecord
    person: Person


def log_training(session: Session, data: TrainingInput, actor: str) -> TrainingRecord:
    person = find_person(session, data.person)
    record = TrainingRecord(
        person_id=person.id or 0,
        module=data.module,
        completed_on=data.completed_on,
        hours=data.hours,
        provider=data.provider,
    )
    session.add(stamp_created(record, actor))
    session.flush()
    return record


def list_training(session: Session, person: str | None = None) -> list[TrainingView]:
    statement = select(TrainingRecord, Person).where(TrainingRecord.person_id == Person.id)
    if person is not None:
        statement = statement.where(TrainingRecord.person_id == find_person(session, person).id)
    statement = statement.order_by(col(TrainingRecord.completed_on).desc())
    return [TrainingView(record, who) for record, who in session.exec(statement)]

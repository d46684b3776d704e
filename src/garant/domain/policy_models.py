"""Database tables of the policy lifecycle, acknowledgements and use assessments (SQLModel).

* :class:`PolicyVersion` — one approved version of the workspace policy: who approved it, when
  it was published or superseded, and a snapshot of the file with its SHA-256 (so that
  ``garant policy diff 2 3`` works from the store, whatever the file has become since).
* :class:`PolicyAcknowledgement` — a person confirms having read the internal guide or the
  external charter of a policy version (AI Act Art. 4 evidence).
* :class:`UseAssessment` — the profile answers of a use's checklist and its latest result.
* :class:`ChecklistAnswer` — the answer to one checklist item for one use, with its evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field

from garant.domain.models import Tracked

__all__ = ["ChecklistAnswer", "PolicyAcknowledgement", "PolicyVersion", "UseAssessment"]


class PolicyVersion(Tracked, table=True):
    """One version of the workspace policy once approved (draft versions live in the file)."""

    __tablename__ = "policy_version"
    __table_args__ = (UniqueConstraint("policy_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    policy_id: str = Field(max_length=120, index=True)
    version: int
    status: str = Field(max_length=20)
    """approved, published or superseded."""
    title: str = Field(default="", max_length=300)
    sha256: str = Field(max_length=64)
    """SHA-256 of the file text as last recorded (at approval, then at publication)."""
    text: str = Field(sa_column=Column(Text, nullable=False))
    """Snapshot of the policy file at that moment."""
    approved_by_id: int | None = Field(default=None, foreign_key="person.id")
    approved_by_name: str = Field(default="", max_length=300)
    approved_role: str = Field(default="", max_length=40)
    approved_on: date | None = None
    published_on: date | None = None
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    superseded_on: date | None = None


class PolicyAcknowledgement(Tracked, table=True):
    """A person confirmed having read a document of a policy version."""

    __tablename__ = "policy_acknowledgement"
    __table_args__ = (UniqueConstraint("person_id", "policy_id", "version", "document"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    policy_id: str = Field(max_length=120)
    version: int
    document: str = Field(max_length=20)
    """internal (the agents' guide) or external (the public charter)."""
    acknowledged_on: date


class UseAssessment(Tracked, table=True):
    """The checklist of one registered use: profile answers and the latest assessment."""

    __tablename__ = "use_assessment"

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="aiuse.id", unique=True, index=True)
    profile_answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    """Replies to the profile questions (registry facts are read from the use itself)."""
    last_result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    """``assessment_to_dict`` of the latest ``garant checklist status``."""
    assessed_on: date | None = None


class ChecklistAnswer(Tracked, table=True):
    """The state of one checklist item for one use, with the evidence kept."""

    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("use_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="aiuse.id", index=True)
    item_id: str = Field(max_length=120)
    status: str = Field(max_length=20)
    note: str = Field(default="", max_length=4000)
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    """``Evidence`` models as JSON (text, or file path with its SHA-256)."""
    answered_by: str = Field(default="", max_length=200)
    answered_on: date | None = None

"""Database tables of the registry (SQLModel).

Input models (what a user supplies) live in :mod:`garant.domain.inputs`; these are the stored
rows. Every row records who created and last changed it and when. Vocabulary fields hold the
values of :mod:`garant.domain.enums` as plain strings so that SQLite and PostgreSQL store them
the same way and migrations stay simple.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "AITool",
    "AIUse",
    "AIUseTool",
    "ArbitrationRequest",
    "AuditRun",
    "LedgerEntry",
    "Organisation",
    "Person",
    "RoleAssignment",
    "TrainingRecord",
    "utc_now",
]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Tracked(SQLModel):
    """Columns every stored row carries: timestamps (UTC) and authors."""

    created_at: datetime = Field(default_factory=utc_now, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now, nullable=False)
    created_by: str = Field(default="", max_length=200)
    updated_by: str = Field(default="", max_length=200)


class Organisation(Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)
    kind: str = Field(max_length=32)
    address: str = Field(default="", max_length=500)
    contact_email: str = Field(default="", max_length=300)
    dpo_contact: str = Field(default="", max_length=300)


class Person(Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True, index=True)
    full_name: str = Field(max_length=300)
    email: str = Field(default="", max_length=300)
    job_title: str = Field(default="", max_length=300)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")


class RoleAssignment(Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=40)
    start_date: date
    end_date: date | None = None
    scope: str = Field(default="", max_length=300)


class AITool(Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True, index=True)
    name: str = Field(max_length=300, unique=True)
    vendor: str = Field(default="", max_length=300)
    model_family: str = Field(default="", max_length=200)
    model_version: str = Field(default="", max_length=200)
    access_mode: str = Field(max_length=20)
    hosting_region: str = Field(default="", max_length=100)
    data_leaves_eu: bool = False
    retention_terms: str = Field(default="", max_length=1000)
    training_on_inputs: bool | None = None
    dpa_reference: str = Field(default="", max_length=300)
    status: str = Field(default="under_review", max_length=20)
    model_alias: str = Field(default="", max_length=120)
    notes: str = Field(default="", max_length=4000)


class AIUse(Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True, index=True)
    title: str = Field(max_length=300)
    purpose: str = Field(max_length=4000)
    stage: str = Field(max_length=20)
    data_categories: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    legal_basis: str | None = Field(default=None, max_length=40)
    responsible_id: int | None = Field(default=None, foreign_key="person.id")
    oversight_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="draft", max_length=20)
    # GDPR Art. 30 record fields
    data_subjects: str = Field(default="", max_length=1000)
    data_description: str = Field(default="", max_length=2000)
    recipients: str = Field(default="", max_length=1000)
    retention: str = Field(default="", max_length=1000)
    security_measures: str = Field(default="", max_length=2000)
    transfer_safeguards: str = Field(default="", max_length=1000)
    # Filled by the checklists
    ai_act_risk_class: str | None = Field(default=None, max_length=20)
    dpia_required: bool | None = None
    disclosure_required: bool | None = None


class AIUseTool(SQLModel, table=True):
    """Which tools a registered use relies on."""

    __tablename__ = "aiuse_tool"
    __table_args__ = (UniqueConstraint("use_id", "tool_id"),)

    id: int | None = Field(default=None, primary_key=True)
    use_id: int = Field(foreign_key="aiuse.id", index=True)
    tool_id: int = Field(foreign_key="aitool.id", index=True)


class TrainingRecord(Tracked, table=True):
    """AI literacy evidence (AI Act Art. 4)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    module: str = Field(max_length=300)
    completed_on: date
    hours: float
    provider: str = Field(default="", max_length=300)


class ArbitrationRequest(Tracked, table=True):
    """A question escalated by an agent to resource persons or the AI referent."""

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=4000)
    asked_by_id: int = Field(foreign_key="person.id")
    assigned_to_id: int | None = Field(default=None, foreign_key="person.id")
    use_id: int | None = Field(default=None, foreign_key="aiuse.id")
    tool_id: int | None = Field(default=None, foreign_key="aitool.id")
    status: str = Field(default="open", max_length=20)
    decision: str = Field(default="", max_length=4000)
    rationale: str = Field(default="", max_length=4000)
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = None


class AuditRun(SQLModel, table=True):
    """One audited analysis: who ran what, on which use and tool, how it ended."""

    __tablename__ = "audit_run"

    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=40)
    use_id: int | None = Field(default=None, foreign_key="aiuse.id")
    use_key: str = Field(default="", max_length=120)
    tool_key: str = Field(default="", max_length=120)
    operator_key: str = Field(default="", max_length=120)
    status: str = Field(default="started", max_length=20, index=True)
    started_at: datetime = Field(default_factory=utc_now)
    ended_at: datetime | None = None
    model_alias: str = Field(default="", max_length=120)
    model: str = Field(default="", max_length=300)
    provider: str = Field(default="", max_length=300)
    offline: bool = True
    pseudonymised: bool = False
    policy_version: str = Field(default="", max_length=120)
    garant_version: str = Field(default="", max_length=40)
    mlflow_run_id: str = Field(default="", max_length=64)
    ai_involvement: str = Field(default="none", max_length=20)
    error: str = Field(default="", max_length=4000)
    refusal_rule: str = Field(default="", max_length=120)
    refusal_reason: str = Field(default="", max_length=4000)
    review_state: str = Field(default="pending", max_length=20)
    reviewed_by: str = Field(default="", max_length=120)
    reviewed_at: datetime | None = None
    review_comment: str = Field(default="", max_length=4000)
    input_hashes: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    output_hashes: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    summary: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON))


class LedgerEntry(SQLModel, table=True):
    """One event of the append-only, hash-chained ledger."""

    __tablename__ = "ledger_entry"

    seq: int = Field(primary_key=True)
    run_id: str = Field(default="", max_length=40, index=True)
    event: str = Field(max_length=40)
    payload: str = Field(default="{}")
    """Canonical JSON (sorted keys) of the event's facts."""
    recorded_at: str = Field(max_length=40)
    """ISO-8601 UTC timestamp, stored as text so that hashing never depends on a driver."""
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64, unique=True)

"""What needs the AI referent's attention in a workspace, read from the store in a few queries.

This feeds the TUI's dashboard (and can feed any other client): obligations due from the
checklists, outputs awaiting human review, recent runs and refusals, AI users without a training
record, open arbitration requests, the policy's status, and the ledger head.

It is the first thing the TUI shows, so it stays light: one aggregated query per block, read
through SQLAlchemy Core clauses naming only the columns shown (below, checked against the table
models by tests/tui/test_overview.py) rather than the SQLModel classes, whose construction costs
about a tenth of a second; nothing of the governance or audit packages, and no MLflow, litellm,
Presidio or spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, and_, case, column, func, select, table
from sqlalchemy.sql.expression import TableClause
from sqlmodel import Session
from sqlmodel.sql.sqltypes import UTCDateTime

from garant.workspace import Workspace

__all__ = [
    "LedgerStatus",
    "Obligation",
    "OpenArbitration",
    "Overview",
    "PolicyStatus",
    "RunLine",
    "workspace_overview",
]


@dataclass(frozen=True)
class Obligation:
    """An open checklist item of a use (or a use whose checklist was never started)."""

    use_key: str
    use_title: str
    item_id: str
    due: date | None
    in_force: bool


@dataclass(frozen=True)
class RunLine:
    id: str
    kind: str
    use_key: str
    status: str
    review_state: str
    started_at: datetime
    operator_key: str
    refusal_rule: str


@dataclass(frozen=True)
class PolicyStatus:
    policy_id: str
    version: int | None
    status: str
    """draft, approved, published, or "none" when no version is recorded yet."""
    people_without_acknowledgement: int


@dataclass(frozen=True)
class LedgerStatus:
    entries: int
    head_seq: int | None
    head_hash: str
    anchor_seq: int | None
    """What the anchor file beside the store says; differing from head_seq means verify now."""


@dataclass(frozen=True)
class OpenArbitration:
    id: int
    question: str


@dataclass
class Overview:
    obligations: list[Obligation] = field(default_factory=list)
    awaiting_review: list[RunLine] = field(default_factory=list)
    awaiting_review_count: int = 0
    recent_runs: list[RunLine] = field(default_factory=list)
    refused_count: int = 0
    runs_count: int = 0
    untrained_operators: list[str] = field(default_factory=list)
    open_arbitrations: list[OpenArbitration] = field(default_factory=list)
    policy: PolicyStatus | None = None
    ledger: LedgerStatus | None = None
    uses_count: int = 0


AUDIT_RUN = table(
    "audit_run",
    column("id"),
    column("kind"),
    column("use_key"),
    column("status"),
    column("review_state"),
    column("started_at", UTCDateTime()),
    column("operator_key"),
    column("refusal_rule"),
)
AIUSE = table("aiuse", column("id"), column("key"), column("title"), column("status"))
USE_ASSESSMENT = table("use_assessment", column("use_id"), column("last_result", JSON()))
PERSON = table("person", column("id"), column("key"))
TRAINING_RECORD = table("trainingrecord", column("person_id"))
ARBITRATION = table("arbitrationrequest", column("id"), column("question"), column("status"))
POLICY_VERSION = table(
    "policy_version", column("id"), column("policy_id"), column("version"), column("status")
)
ACKNOWLEDGEMENT = table(
    "policy_acknowledgement", column("person_id"), column("policy_id"), column("version")
)
LEDGER = table("ledger_entry", column("seq"), column("entry_hash"))
TABLES: tuple[TableClause, ...] = (
    AUDIT_RUN,
    AIUSE,
    USE_ASSESSMENT,
    PERSON,
    TRAINING_RECORD,
    ARBITRATION,
    POLICY_VERSION,
    ACKNOWLEDGEMENT,
    LEDGER,
)
"""The columns the overview reads, by table (the models in garant.domain define them)."""

_RUN = AUDIT_RUN.c


def _run_lines(connection: Connection, *conditions: Any, limit: int) -> list[RunLine]:
    query = select(
        _RUN.id,
        _RUN.kind,
        _RUN.use_key,
        _RUN.status,
        _RUN.review_state,
        _RUN.started_at,
        _RUN.operator_key,
        _RUN.refusal_rule,
    )
    query = query.where(*conditions).order_by(_RUN.started_at.desc()).limit(limit)
    return [RunLine(*row) for row in connection.execute(query)]


def _obligations(connection: Connection, today: date, limit: int) -> list[Obligation]:
    found: list[Obligation] = []
    rows = connection.execute(
        select(AIUSE.c.key, AIUSE.c.title, USE_ASSESSMENT.c.last_result)
        .select_from(AIUSE.outerjoin(USE_ASSESSMENT, USE_ASSESSMENT.c.use_id == AIUSE.c.id))
        .where(AIUSE.c.status != "retired")
        .order_by(AIUSE.c.key)
    )
    for key, title, last_result in rows:
        if not last_result:
            found.append(Obligation(key, title, "", None, True))
            continue
        for item in last_result.get("items", []):
            if item.get("satisfied"):
                continue
            applies = item.get("applies_from")
            found.append(
                Obligation(
                    key,
                    title,
                    str(item.get("id", "")),
                    date.fromisoformat(applies) if applies else None,
                    bool(item.get("in_force", True)),
                )
            )
    found.sort(key=lambda o: (o.due or today, o.use_key, o.item_id))
    return found[:limit]


def _untrained_operators(connection: Connection) -> list[str]:
    """Operators of audited runs who have no training record (AI Act Art. 4)."""
    trained = select(PERSON.c.key).select_from(
        PERSON.join(TRAINING_RECORD, TRAINING_RECORD.c.person_id == PERSON.c.id)
    )
    query = (
        select(_RUN.operator_key)
        .where(_RUN.operator_key != "", _RUN.operator_key.not_in(trained))
        .distinct()
        .order_by(_RUN.operator_key)
    )
    return list(connection.execute(query).scalars())


def _policy(connection: Connection) -> PolicyStatus | None:
    versions = POLICY_VERSION.c
    latest = connection.execute(
        select(versions.policy_id, versions.version, versions.status)
        .order_by(versions.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    policy_id, version, status = latest
    return PolicyStatus(policy_id, version, status, _not_acknowledged(connection, policy_id))


def _not_acknowledged(connection: Connection, policy_id: str) -> int:
    """How many registered people have not confirmed reading the version in force (either
    document), as ``governance.lifecycle.acknowledgement_report`` counts them; 0 while no
    version is in force (the published one, else the latest approved one)."""
    versions = POLICY_VERSION.c
    in_force = None
    for status in ("published", "approved"):
        in_force = connection.execute(
            select(func.max(versions.version)).where(
                versions.policy_id == policy_id, versions.status == status
            )
        ).scalar()
        if in_force is not None:
            break
    if in_force is None:
        return 0
    readers = select(ACKNOWLEDGEMENT.c.person_id).where(
        ACKNOWLEDGEMENT.c.policy_id == policy_id, ACKNOWLEDGEMENT.c.version == in_force
    )
    query = select(func.count()).select_from(PERSON).where(PERSON.c.id.not_in(readers))
    return int(connection.execute(query).scalar_one())


def _read_anchor(path: Path) -> int | None:
    """The sequence number the anchor file (``ledger.head``) names, if there is one."""
    import json

    if not path.is_file():
        return None
    return int(json.loads(path.read_text(encoding="utf-8"))["seq"])


def _ledger(connection: Connection, workspace: Workspace) -> LedgerStatus:
    count, head_seq = connection.execute(select(func.count(), func.max(LEDGER.c.seq))).one()
    head_hash = ""
    if head_seq is not None:
        head_hash = connection.execute(
            select(LEDGER.c.entry_hash).where(LEDGER.c.seq == head_seq)
        ).scalar_one()
    return LedgerStatus(
        entries=int(count),
        head_seq=head_seq,
        head_hash=head_hash,
        anchor_seq=_read_anchor(workspace.ledger_anchor),
    )


def workspace_overview(
    session: Session, workspace: Workspace, today: date | None = None, limit: int = 8
) -> Overview:
    """Everything the dashboard shows, in one read-only pass over the store."""
    day = today or date.today()
    connection = session.connection()
    overview = Overview()
    overview.obligations = _obligations(connection, day, limit)
    awaiting = (_RUN.status == "finished", _RUN.review_state == "pending")
    overview.awaiting_review = _run_lines(connection, *awaiting, limit=limit)
    overview.recent_runs = _run_lines(connection, limit=limit)
    counts = connection.execute(
        select(
            func.count(),
            func.count(case((_RUN.status == "refused", 1))),
            func.count(case((and_(*awaiting), 1))),
        ).select_from(AUDIT_RUN)
    ).one()
    overview.runs_count, overview.refused_count, overview.awaiting_review_count = map(int, counts)
    overview.uses_count = int(
        connection.execute(select(func.count()).select_from(AIUSE)).scalar_one()
    )
    overview.untrained_operators = _untrained_operators(connection)
    overview.open_arbitrations = [
        OpenArbitration(*row)
        for row in connection.execute(
            select(ARBITRATION.c.id, ARBITRATION.c.question)
            .where(ARBITRATION.c.status == "open")
            .order_by(ARBITRATION.c.id)
        )
    ]
    overview.policy = _policy(connection)
    overview.ledger = _ledger(connection, workspace)
    return overview

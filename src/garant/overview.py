"""What needs the AI referent's attention in a workspace, read from the store in a few queries.

This feeds the TUI's dashboard (and can feed any other client): obligations due from the
checklists, outputs awaiting human review, recent runs and refusals, AI users without a training
record, open arbitration requests, the policy's status, and the ledger head. It imports nothing
heavy (no MLflow, litellm, Presidio or spaCy) so that the first screen opens fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from garant.domain.models import (
    AIUse,
    ArbitrationRequest,
    AuditRun,
    LedgerEntry,
    Person,
    TrainingRecord,
)
from garant.domain.policy_models import PolicyVersion, UseAssessment
from garant.workspace import Workspace

__all__ = [
    "LedgerStatus",
    "Obligation",
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


@dataclass
class Overview:
    obligations: list[Obligation] = field(default_factory=list)
    awaiting_review: list[RunLine] = field(default_factory=list)
    awaiting_review_count: int = 0
    recent_runs: list[RunLine] = field(default_factory=list)
    refused_count: int = 0
    runs_count: int = 0
    untrained_operators: list[str] = field(default_factory=list)
    open_arbitrations: list[ArbitrationRequest] = field(default_factory=list)
    policy: PolicyStatus | None = None
    ledger: LedgerStatus | None = None
    uses_count: int = 0


def _line(run: AuditRun) -> RunLine:
    return RunLine(
        id=run.id,
        kind=run.kind,
        use_key=run.use_key,
        status=run.status,
        review_state=run.review_state,
        started_at=run.started_at,
        operator_key=run.operator_key,
        refusal_rule=run.refusal_rule,
    )


def _obligations(session: Session, today: date, limit: int) -> list[Obligation]:
    found: list[Obligation] = []
    assessed = {row.use_id: row for row in session.exec(select(UseAssessment))}
    uses = session.exec(select(AIUse).where(col(AIUse.status) != "retired").order_by(AIUse.key))
    for use in uses:
        row = assessed.get(use.id or 0)
        if row is None or not row.last_result:
            found.append(Obligation(use.key, use.title, "", None, True))
            continue
        for item in row.last_result.get("items", []):
            if item.get("satisfied"):
                continue
            applies = item.get("applies_from")
            found.append(
                Obligation(
                    use.key,
                    use.title,
                    str(item.get("id", "")),
                    date.fromisoformat(applies) if applies else None,
                    bool(item.get("in_force", True)),
                )
            )
    found.sort(key=lambda o: (o.due or today, o.use_key, o.item_id))
    return found[:limit]


def _untrained_operators(session: Session) -> list[str]:
    """Operators of audited runs who have no training record (AI Act Art. 4)."""
    operators = set(
        session.exec(select(AuditRun.operator_key).where(AuditRun.operator_key != "").distinct())
    )
    if not operators:
        return []
    trained = set(
        session.exec(
            select(Person.key).join(TrainingRecord, col(TrainingRecord.person_id) == col(Person.id))
        )
    )
    return sorted(operators - trained)


def _policy(session: Session) -> PolicyStatus | None:
    latest = session.exec(
        select(PolicyVersion).order_by(col(PolicyVersion.id).desc()).limit(1)
    ).first()
    if latest is None:
        return None
    from garant.governance.lifecycle import acknowledgement_report

    try:
        missing = sum(
            1 for row in acknowledgement_report(session, latest.policy_id) if not row.read_current
        )
    except Exception:  # no current version yet: everybody has something to read later
        missing = 0
    return PolicyStatus(latest.policy_id, latest.version, latest.status, missing)


def _ledger(session: Session, workspace: Workspace) -> LedgerStatus:
    from garant.audit.ledger import read_head

    last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc()).limit(1)).first()
    count = session.exec(select(func.count()).select_from(LedgerEntry)).one()
    anchor = read_head(workspace.ledger_anchor)
    return LedgerStatus(
        entries=int(count),
        head_seq=last.seq if last else None,
        head_hash=last.entry_hash if last else "",
        anchor_seq=anchor.seq if anchor else None,
    )


def workspace_overview(
    session: Session, workspace: Workspace, today: date | None = None, limit: int = 8
) -> Overview:
    """Everything the dashboard shows, in one read-only pass over the store."""
    day = today or date.today()
    overview = Overview()
    overview.obligations = _obligations(session, day, limit)
    pending = (
        select(AuditRun)
        .where(AuditRun.status == "finished", AuditRun.review_state == "pending")
        .order_by(col(AuditRun.started_at).desc())
    )
    overview.awaiting_review = [_line(run) for run in session.exec(pending.limit(limit))]
    overview.awaiting_review_count = int(
        session.exec(
            select(func.count())
            .select_from(AuditRun)
            .where(AuditRun.status == "finished", AuditRun.review_state == "pending")
        ).one()
    )
    recent = select(AuditRun).order_by(col(AuditRun.started_at).desc()).limit(limit)
    overview.recent_runs = [_line(run) for run in session.exec(recent)]
    overview.refused_count = int(
        session.exec(
            select(func.count()).select_from(AuditRun).where(AuditRun.status == "refused")
        ).one()
    )
    overview.runs_count = int(session.exec(select(func.count()).select_from(AuditRun)).one())
    overview.uses_count = int(session.exec(select(func.count()).select_from(AIUse)).one())
    overview.untrained_operators = _untrained_operators(session)
    overview.open_arbitrations = list(
        session.exec(
            select(ArbitrationRequest)
            .where(ArbitrationRequest.status == "open")
            .order_by(col(ArbitrationRequest.id))
        )
    )
    overview.policy = _policy(session)
    overview.ledger = _ledger(session, workspace)
    return overview

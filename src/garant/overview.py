"""What needs the AI referent's attention in a workspace, read from the store in a few queries.

This feeds the TUI's dashboard (and can feed any other client): obligations due from the
checklists, outputs awaiting human review, recent runs and refusals, AI users without a training
record, open arbitration requests, the policy's status, and the ledger head.

It is the first thing the TUI shows, so it stays light: one aggregated query per block, in plain
SQL naming only the columns shown (``COLUMNS``, checked against the table models by
tests/tui/test_overview.py), that SQLite and PostgreSQL both accept. :func:`read_overview` runs
them on the default SQLite store through the standard ``sqlite3`` module, read-only, so the first
screen imports neither SQLAlchemy nor SQLModel; any other store (PostgreSQL), or a SQLite file
that cannot be opened that way, is read through the workspace's SQLAlchemy engine.
:func:`workspace_overview` reads inside a caller's session. Nothing of the governance or audit
packages, and no MLflow, litellm, Presidio or spaCy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from garant.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

__all__ = [
    "LedgerStatus",
    "Obligation",
    "OpenArbitration",
    "Overview",
    "PolicyStatus",
    "RunLine",
    "read_overview",
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


COLUMNS: dict[str, tuple[str, ...]] = {
    "audit_run": (
        "id",
        "kind",
        "use_key",
        "status",
        "review_state",
        "started_at",
        "operator_key",
        "refusal_rule",
    ),
    "aiuse": ("id", "key", "title", "status"),
    "use_assessment": ("use_id", "last_result"),
    "person": ("id", "key"),
    "trainingrecord": ("person_id",),
    "arbitrationrequest": ("id", "question", "status"),
    "policy_version": ("id", "policy_id", "version", "status"),
    "policy_acknowledgement": ("person_id", "policy_id", "version"),
    "ledger_entry": ("seq", "entry_hash"),
}
"""The columns the queries below read, by table (the models in garant.domain define them)."""

CONVERTED = {("audit_run", "started_at"): "utc", ("use_assessment", "last_result"): "json"}
"""Columns converted on the way out as the models do (UTC times, JSON); the others are read as
the driver gives them (strings and integers)."""

Query = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]
"""Runs one SQL statement (``:name`` parameters) and returns its rows."""

_RUN_LINE = (
    "SELECT id, kind, use_key, status, review_state, started_at, operator_key, refusal_rule "
    "FROM audit_run {where} ORDER BY started_at DESC LIMIT :limit"
)
_AWAITING = "status = 'finished' AND review_state = 'pending'"


def _utc(value: Any) -> datetime:
    """A stored time as the models' ``UTCDateTime`` returns it: aware, in UTC (SQLite keeps
    the text of the UTC time without offset; PostgreSQL gives an aware datetime)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _json(value: Any) -> Any:
    """A JSON column as the models' ``JSON`` type returns it (SQLite keeps text)."""
    return json.loads(value) if isinstance(value, str) else value


def _run_lines(query: Query, where: str, limit: int) -> list[RunLine]:
    rows = query(_RUN_LINE.format(where=f"WHERE {where}" if where else ""), {"limit": limit})
    return [RunLine(r[0], r[1], r[2], r[3], r[4], _utc(r[5]), r[6], r[7]) for r in rows]


def _obligations(query: Query, today: date, limit: int) -> list[Obligation]:
    found: list[Obligation] = []
    rows = query(
        "SELECT aiuse.key, aiuse.title, use_assessment.last_result FROM aiuse "
        "LEFT OUTER JOIN use_assessment ON use_assessment.use_id = aiuse.id "
        "WHERE aiuse.status != 'retired' ORDER BY aiuse.key",
        {},
    )
    for key, title, stored in rows:
        last_result = _json(stored)
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


def _untrained_operators(query: Query) -> list[str]:
    """Operators of audited runs who have no training record (AI Act Art. 4)."""
    rows = query(
        "SELECT DISTINCT operator_key FROM audit_run "
        "WHERE operator_key != '' AND operator_key NOT IN ("
        "SELECT person.key FROM person "
        "JOIN trainingrecord ON trainingrecord.person_id = person.id) "
        "ORDER BY operator_key",
        {},
    )
    return [row[0] for row in rows]


def _policy(query: Query) -> PolicyStatus | None:
    latest = query(
        "SELECT policy_id, version, status FROM policy_version ORDER BY id DESC LIMIT 1", {}
    )
    if not latest:
        return None
    policy_id, version, status = latest[0]
    return PolicyStatus(policy_id, version, status, _not_acknowledged(query, policy_id))


def _not_acknowledged(query: Query, policy_id: str) -> int:
    """How many registered people have not confirmed reading the version in force (either
    document), as ``governance.lifecycle.acknowledgement_report`` counts them; 0 while no
    version is in force (the published one, else the latest approved one)."""
    in_force = None
    for status in ("published", "approved"):
        in_force = query(
            "SELECT max(version) FROM policy_version "
            "WHERE policy_id = :policy AND status = :status",
            {"policy": policy_id, "status": status},
        )[0][0]
        if in_force is not None:
            break
    if in_force is None:
        return 0
    rows = query(
        "SELECT count(*) FROM person WHERE id NOT IN ("
        "SELECT person_id FROM policy_acknowledgement "
        "WHERE policy_id = :policy AND version = :version)",
        {"policy": policy_id, "version": in_force},
    )
    return int(rows[0][0])


def _read_anchor(path: Path) -> int | None:
    """The sequence number the anchor file (``ledger.head``) names, if there is one."""
    if not path.is_file():
        return None
    return int(json.loads(path.read_text(encoding="utf-8"))["seq"])


def _ledger(query: Query, workspace: Workspace) -> LedgerStatus:
    count, head_seq = query("SELECT count(*), max(seq) FROM ledger_entry", {})[0]
    head_hash = ""
    if head_seq is not None:
        head_hash = query(
            "SELECT entry_hash FROM ledger_entry WHERE seq = :seq", {"seq": head_seq}
        )[0][0]
    return LedgerStatus(
        entries=int(count),
        head_seq=head_seq,
        head_hash=head_hash,
        anchor_seq=_read_anchor(workspace.ledger_anchor),
    )


def _overview(query: Query, workspace: Workspace, today: date | None, limit: int) -> Overview:
    day = today or date.today()
    overview = Overview()
    overview.obligations = _obligations(query, day, limit)
    overview.awaiting_review = _run_lines(query, _AWAITING, limit)
    overview.recent_runs = _run_lines(query, "", limit)
    counts = query(
        "SELECT count(*), count(CASE WHEN status = 'refused' THEN 1 END), "
        f"count(CASE WHEN {_AWAITING} THEN 1 END) FROM audit_run",
        {},
    )[0]
    overview.runs_count, overview.refused_count, overview.awaiting_review_count = map(int, counts)
    overview.uses_count = int(query("SELECT count(*) FROM aiuse", {})[0][0])
    overview.untrained_operators = _untrained_operators(query)
    overview.open_arbitrations = [
        OpenArbitration(*row)
        for row in query(
            "SELECT id, question FROM arbitrationrequest WHERE status = 'open' ORDER BY id", {}
        )
    ]
    overview.policy = _policy(query)
    overview.ledger = _ledger(query, workspace)
    return overview


def _through(connection: Connection) -> Query:
    from sqlalchemy import text

    def query(sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        return [tuple(row) for row in connection.execute(text(sql), params)]

    return query


def workspace_overview(
    session: Session, workspace: Workspace, today: date | None = None, limit: int = 8
) -> Overview:
    """Everything the dashboard shows, in one read-only pass inside the caller's session."""
    return _overview(_through(session.connection()), workspace, today, limit)


def read_overview(workspace: Workspace, today: date | None = None, limit: int = 8) -> Overview:
    """``workspace_overview`` in its own read-only pass: on a SQLite store through ``sqlite3``
    (mode ``ro``: nothing can be written), else through the workspace's SQLAlchemy engine."""
    database = workspace.sqlite_file
    if database is not None and database.is_file():
        store = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return _overview(
                lambda sql, params: store.execute(sql, params).fetchall(),
                workspace,
                today,
                limit,
            )
        except sqlite3.OperationalError:
            pass  # e.g. a read-only medium (the engine opens it as immutable) or an old schema
        finally:
            store.close()
    with workspace.engine.connect() as connection:
        return _overview(_through(connection), workspace, today, limit)

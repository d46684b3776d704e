"""The overview service behind the dashboard: light queries that agree with the services."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.types import JSON, Integer, String
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from garant.domain.models import AuditRun
from garant.governance.arbitration import open_arbitration
from garant.governance.lifecycle import acknowledge, acknowledgement_report, approve_policy
from garant.overview import COLUMNS, CONVERTED, read_overview, workspace_overview
from garant.store.engine import unit_of_work
from garant.workspace import Workspace


def test_overview_reads_columns_that_the_store_models_define_with_the_same_types() -> None:
    import garant.domain.policy_models  # noqa: F401  (registers the policy tables)

    models = SQLModel.metadata.tables
    converted = {"utc": UTCDateTime, "json": JSON}
    for table, columns in COLUMNS.items():
        assert table in models, table
        for name in columns:
            defined = models[table].columns[name]
            if (table, name) in CONVERTED:  # converted on the way out exactly as the model does
                assert type(defined.type) is converted[CONVERTED[table, name]], (table, name)
            else:  # read as the driver gives it: plain values only
                stored = getattr(defined.type, "impl", defined.type)
                assert isinstance(stored, String | Integer), (table, name)


def test_sqlite3_reading_gives_the_same_overview_as_the_sqlalchemy_engine(
    workspace: Workspace,
) -> None:
    """The first screen reads the SQLite store through ``sqlite3`` (no SQLAlchemy import);
    PostgreSQL and the services read through the engine: both must show the same thing."""
    start = datetime(2026, 11, 1, 9, 30, 15, 123456, tzinfo=UTC)
    approve_policy(workspace, by="claire-martin")
    with unit_of_work(workspace.engine) as session:
        open_arbitration(session, "Peut-on utiliser DeepL ?", "agathe-agent", "t")
        session.add_all(
            AuditRun(
                id=f"same-{i:02d}",
                kind="synthesis",
                operator_key="agathe-agent",
                status=("finished", "refused", "running")[i % 3],
                refusal_rule="RGPD-9" if i % 3 == 1 else "",
                started_at=start - timedelta(minutes=7 * i),
            )
            for i in range(12)
        )
    assert workspace.sqlite_file is not None
    through_sqlite3 = read_overview(workspace)
    with unit_of_work(workspace.engine) as session:
        through_engine = workspace_overview(session, workspace)
    assert through_sqlite3 == through_engine
    assert through_sqlite3.recent_runs[0].started_at == max(
        run.started_at for run in through_engine.recent_runs
    )
    assert through_sqlite3.refused_count == 4 and through_sqlite3.open_arbitrations
    assert through_sqlite3.policy is not None and through_sqlite3.ledger is not None
    assert through_sqlite3.awaiting_review[0].started_at.tzinfo is UTC


def test_overview_counts_unread_policy_like_the_acknowledgement_report(
    workspace: Workspace,
) -> None:
    with unit_of_work(workspace.engine) as session:
        assert workspace_overview(session, workspace).policy is None  # no version recorded yet
    approve_policy(workspace, by="claire-martin")
    with unit_of_work(workspace.engine) as session:
        approved = workspace_overview(session, workspace).policy
        assert approved is not None and approved.people_without_acknowledgement == 2
        policy_id = approved.policy_id
        acknowledge(session, "claire-martin", policy_id, actor="t")
    with unit_of_work(workspace.engine) as session:
        shown = workspace_overview(session, workspace)
        report = acknowledgement_report(session, policy_id)
    assert shown.policy is not None and shown.policy.status == "approved"
    unread = [row.person_key for row in report if not row.read_current]
    assert unread == ["agathe-agent"]
    assert shown.policy.people_without_acknowledgement == len(unread) == 1


def test_overview_imports_neither_the_table_models_nor_the_governance_services() -> None:
    code = (
        "import sys; import garant.overview; "
        "print([m for m in ('garant.domain.models', 'garant.governance', 'garant.audit') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_overview_reads_a_store_through_the_engine_on_every_backend(
    workspace: Workspace, store_engine: Engine
) -> None:
    """The same plain SQL through SQLAlchemy: SQLite, and PostgreSQL when configured (there
    ``read_overview`` takes this path); times come back aware and in UTC."""
    start = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    with unit_of_work(store_engine) as session:
        session.add_all(
            AuditRun(
                id=f"pg-{i}",
                kind="synthesis",
                operator_key="nobody-trained",
                status=("finished", "refused")[i % 2],
                refusal_rule="RGPD-9" if i % 2 else "",
                started_at=start - timedelta(hours=i),
            )
            for i in range(5)
        )
    on_store = Workspace(root=workspace.root, settings=workspace.settings, _engine=store_engine)
    with unit_of_work(store_engine) as session:
        shown = workspace_overview(session, on_store)
    assert (shown.runs_count, shown.refused_count, shown.awaiting_review_count) == (5, 2, 3)
    assert [run.id for run in shown.recent_runs] == [f"pg-{i}" for i in range(5)]
    assert shown.recent_runs[0].started_at == start
    assert shown.untrained_operators == ["nobody-trained"]
    assert shown.policy is None and shown.obligations == []

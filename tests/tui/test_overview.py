"""The overview service behind the dashboard: light queries that agree with the services."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy.types import Integer, NullType, String

from garant.domain.models import SQLModel
from garant.governance.lifecycle import acknowledge, acknowledgement_report, approve_policy
from garant.overview import TABLES, workspace_overview
from garant.store.engine import unit_of_work
from garant.workspace import Workspace


def test_overview_reads_columns_that_the_store_models_define_with_the_same_types() -> None:
    import garant.domain.policy_models  # noqa: F401  (registers the policy tables)

    models = SQLModel.metadata.tables
    for clause in TABLES:
        assert clause.name in models, clause.name
        for read in clause.columns:
            defined = models[clause.name].columns[read.name]
            if isinstance(read.type, NullType):  # read as the driver gives it: plain values only
                stored = getattr(defined.type, "impl", defined.type)
                assert isinstance(stored, String | Integer), (clause.name, read.name)
            else:  # converted on the way out (JSON, UTC times): exactly as the model does
                assert type(read.type) is type(defined.type), (clause.name, read.name)


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

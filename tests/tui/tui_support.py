"""A small workspace for the TUI tests: people with roles, tools, a use, one finished run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
from garant.domain.models import AuditRun
from garant.governance.people import add_person, assign_role
from garant.governance.tools import add_tool
from garant.governance.uses import add_use
from garant.store.engine import unit_of_work
from garant.workspace import Workspace, open_workspace

RUN_ID = "run-0001-finished"


def seed(workspace: Workspace, runs: int = 1) -> None:
    """Claire is the AI referent (may approve the policy and review), Agathe an agent."""
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin", email="claire@ville.fr"), "t")
        add_person(session, PersonInput(full_name="Agathe Agent"), "t")
        for person, role in (("claire-martin", "referent_ia"), ("agathe-agent", "agent")):
            assign_role(session, RoleInput(person=person, role=role, start_date="2025-01-01"), "t")
        add_tool(
            session,
            ToolInput(name="Albert", access_mode="api", vendor="DINUM", hosting_region="FR"),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Synthèse",
                purpose="Regrouper les contributions",
                stage="analysis",
                tools=["albert"],
                key="synthese",
            ),
            "t",
        )
        start = datetime(2026, 11, 1, tzinfo=UTC)
        for index in range(runs):
            session.add(
                AuditRun(
                    id=RUN_ID if index == 0 else f"run-{index:05d}",
                    kind="synthesis",
                    use_key="synthese",
                    tool_key="albert",
                    operator_key="agathe-agent",
                    status="finished",
                    started_at=start - timedelta(minutes=index),
                )
            )


@pytest.fixture
def workspace(workspace_root: Path) -> Iterator[Workspace]:
    opened = open_workspace(workspace_root)
    seed(opened)
    yield opened
    opened.close()

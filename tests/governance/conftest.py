"""A small registry (people, roles, tools, uses) and a policy text approved through garant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from garant.domain.inputs import PersonInput, RoleInput, ToolInput, TrainingInput, UseInput
from garant.governance.people import add_person, assign_role
from garant.governance.tools import add_tool
from garant.governance.training import log_training
from garant.governance.uses import add_use
from garant.workspace import Workspace, open_workspace


def populate_registry(session: Session) -> None:
    """Claire is the AI referent, Paul a resource person, Agathe an agent (may not approve)."""
    add_person(session, PersonInput(full_name="Claire Martin", email="claire@ville.fr"), "t")
    add_person(session, PersonInput(full_name="Paul Ressource", email="paul@ville.fr"), "t")
    add_person(session, PersonInput(full_name="Agathe Agent"), "t")
    add_person(session, PersonInput(full_name="Denis DPO", email="dpo@ville.fr"), "t")
    for person, role in (
        ("claire-martin", "referent_ia"),
        ("paul-ressource", "personne_ressource"),
        ("agathe-agent", "agent"),
        ("denis-dpo", "dpo"),
    ):
        assign_role(session, RoleInput(person=person, role=role, start_date="2025-01-01"), "t")
    add_tool(
        session,
        ToolInput(
            name="Albert",
            access_mode="api",
            vendor="DINUM",
            hosting_region="FR",
            status="approved",
            key="albert",
        ),
        "t",
    )
    add_tool(
        session,
        ToolInput(
            name="OpenAI API",
            access_mode="api",
            vendor="OpenAI",
            hosting_region="US",
            data_leaves_eu=True,
            status="approved",
            key="openai-api",
        ),
        "t",
    )
    add_tool(
        session,
        ToolInput(
            name="ChatGPT grand public",
            access_mode="web_app",
            hosting_region="US",
            status="approved",
            key="chatgpt-web",
        ),
        "t",
    )
    add_use(
        session,
        UseInput(
            title="Assistant des habitants",
            purpose="Répondre aux questions des habitants",
            stage="collection",
            tools=["albert"],
            data_categories=["personal"],
            status="approved",
            key="assistant",
            oversight="paul-ressource",
        ),
        "t",
    )
    add_use(
        session,
        UseInput(
            title="Synthèse hors UE",
            purpose="Synthétiser les contributions",
            stage="analysis",
            tools=["openai-api"],
            data_categories=["public_contributions", "personal"],
            status="draft",
            key="synthese-us",
        ),
        "t",
    )
    log_training(
        session,
        TrainingInput(
            person="agathe-agent",
            module="Bases de l'IA générative",
            completed_on="2026-10-01",
            hours=3,
            provider="CNFPT",
        ),
        "t",
    )


@pytest.fixture
def populated(workspace_root: Path) -> Iterator[Workspace]:
    """A workspace (with the draft starter policy adopted at init) and the registry above."""
    from garant.store.engine import unit_of_work

    workspace = open_workspace(workspace_root)
    with unit_of_work(workspace.engine) as session:
        populate_registry(session)
    yield workspace
    workspace.close()


@pytest.fixture
def filled_engine(store_engine: Engine) -> Engine:
    """A migrated store (SQLite, and PostgreSQL when configured) holding the registry above."""
    from garant.store.engine import unit_of_work

    with unit_of_work(store_engine) as session:
        populate_registry(session)
    return store_engine

"""A workspace with a registry ready for audited runs: people, roles, tools, uses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from workspace_support import record_policy_approval

from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
from garant.governance.people import add_person, assign_role
from garant.governance.tools import add_tool
from garant.governance.uses import add_use
from garant.settings import ModelAlias
from garant.store.engine import unit_of_work
from garant.workspace import Workspace, open_workspace

TEST_POLICY = Path(__file__).with_name("politique-test.yaml")

FAKE_ALIASES = {
    "hors-ligne": ModelAlias(
        model="offline/extractive-fr",
        provider_label="garant hors ligne",
        hosted=False,
        hosting_region="local",
    ),
    "eu-api": ModelAlias(
        model="mistral/mistral-small-latest",
        provider_label="Mistral AI (UE)",
        api_key_env="MISTRAL_API_KEY",
        hosting_region="EU",
    ),
    "us-api": ModelAlias(
        model="openai/gpt-4o-mini",
        provider_label="OpenAI (US)",
        api_key_env="OPENAI_API_KEY",
        hosting_region="US",
    ),
}


def populate(workspace: Workspace) -> None:
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin"), "t")
        add_person(session, PersonInput(full_name="Paul Lecteur"), "t")
        add_person(session, PersonInput(full_name="Sans Rôle"), "t")
        assign_role(
            session,
            RoleInput(person="claire-martin", role="referent_ia", start_date="2025-01-01"),
            "t",
        )
        assign_role(
            session,
            RoleInput(person="paul-lecteur", role="relecteur_conformite", start_date="2025-01-01"),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="garant hors ligne",
                access_mode="local",
                hosting_region="local",
                status="approved",
                model_alias="hors-ligne",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="Mistral API",
                access_mode="api",
                hosting_region="EU",
                status="approved",
                model_alias="eu-api",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="OpenAI API",
                access_mode="api",
                hosting_region="US",
                data_leaves_eu=True,
                status="approved",
                model_alias="us-api",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="Outil en examen",
                access_mode="api",
                hosting_region="EU",
                status="under_review",
                model_alias="eu-api",
                key="examen",
            ),
            "t",
        )
        add_tool(
            session,
            ToolInput(
                name="Outil interdit",
                access_mode="web_app",
                hosting_region="US",
                status="forbidden",
                key="interdit",
            ),
            "t",
        )
        every_tool = ["garant-hors-ligne", "mistral-api", "openai-api", "examen", "interdit"]
        add_use(
            session,
            UseInput(
                title="Synthèse",
                purpose="Regrouper les contributions",
                stage="analysis",
                tools=every_tool,
                data_categories=["public_contributions", "personal"],
                status="approved",
                key="synthese",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Affiches",
                purpose="Brouillons d'affiches",
                stage="preparation",
                tools=every_tool,
                data_categories=["none"],
                status="approved",
                key="affiches",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Santé",
                purpose="Contributions sur la santé",
                stage="analysis",
                tools=every_tool,
                data_categories=["special"],
                status="approved",
                key="sante",
            ),
            "t",
        )
        add_use(
            session,
            UseInput(
                title="Brouillon",
                purpose="Pas encore approuvé",
                stage="analysis",
                tools=["garant-hors-ligne"],
                status="draft",
                key="brouillon",
            ),
            "t",
        )


@pytest.fixture
def audit_workspace(workspace_root: Path) -> Iterator[Workspace]:
    workspace = open_workspace(workspace_root)
    workspace.settings.models = dict(FAKE_ALIASES)
    shutil.copy(TEST_POLICY, workspace.policies_dir / "politique.yaml")
    record_policy_approval(workspace)
    populate(workspace)
    yield workspace
    workspace.close()

"""Registry services: one transaction per action, clear errors, nothing half-written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from garant.domain.enums import DataCategory, RoleName, ToolStatus
from garant.domain.inputs import (
    PersonInput,
    RoleInput,
    ToolInput,
    TrainingInput,
    UseInput,
    validated,
)
from garant.domain.models import AITool, AIUse, AIUseTool
from garant.errors import ConflictError, InputError, NotFoundError
from garant.governance.arbitration import decide_arbitration, open_arbitration
from garant.governance.people import active_roles, add_person, assign_role, list_roles
from garant.governance.tools import add_tool, list_tools, set_tool_status
from garant.governance.training import list_training, log_training
from garant.governance.uses import add_use, get_use
from garant.store.engine import unit_of_work


def _seed(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin", email="Claire@Ville.fr"), "t")
        add_tool(
            session,
            ToolInput(
                name="Le Chat Pro", access_mode="api", vendor="Mistral AI", status="approved"
            ),
            "t",
        )


def test_person_tool_and_use_are_linked(store_engine: Engine) -> None:
    _seed(store_engine)
    with unit_of_work(store_engine) as session:
        add_use(
            session,
            UseInput(
                title="Synthèse des contributions",
                purpose="Regrouper les contributions par thème",
                stage="analysis",
                tools=["le-chat-pro"],
                data_categories=[DataCategory.PUBLIC_CONTRIBUTIONS, DataCategory.PERSONAL],
                responsible="claire@ville.fr",
            ),
            "alice",
        )
    with unit_of_work(store_engine) as session:
        view = get_use(session, "synthese-des-contributions")
        assert [tool.key for tool in view.tools] == ["le-chat-pro"]
        assert view.responsible is not None and view.responsible.full_name == "Claire Martin"
        assert view.handles_personal_data
        assert view.use.created_by == "alice"
        assert view.use.created_at.tzinfo is not None


def test_duplicate_tool_is_refused_and_database_unchanged(store_engine: Engine) -> None:
    _seed(store_engine)
    with pytest.raises(ConflictError) as error, unit_of_work(store_engine) as session:
        add_tool(session, ToolInput(name="Autre", access_mode="local"), "t")
        add_tool(session, ToolInput(name="Le Chat Pro", access_mode="api"), "t")
    assert "Le Chat Pro" in error.value.message
    assert "set-status" in error.value.hint
    with unit_of_work(store_engine) as session:
        assert [tool.name for tool in list_tools(session)] == ["Le Chat Pro"]


def test_use_with_unknown_tool_leaves_no_row(store_engine: Engine) -> None:
    _seed(store_engine)
    with pytest.raises(NotFoundError, match="outil-fantome"), unit_of_work(store_engine) as session:
        add_use(
            session,
            UseInput(title="X", purpose="Y", stage="analysis", tools=["outil-fantome"]),
            "t",
        )
    with unit_of_work(store_engine) as session:
        assert session.exec(select(AIUse)).all() == []
        assert session.exec(select(AIUseTool)).all() == []


def test_unknown_person_names_the_field() -> None:
    with pytest.raises(InputError) as error:
        validated(RoleInput, {"person": "x", "role": "dpo", "start_date": "31/02/2026"})
    assert "start_date" in error.value.message
    assert "JJ/MM/AAAA" in error.value.hint


def test_french_dates_are_accepted() -> None:
    role = validated(RoleInput, {"person": "x", "role": "dpo", "start_date": "23/11/2026"})
    assert role.start_date == date(2026, 11, 23)


def test_role_dates_decide_whether_it_is_active(store_engine: Engine) -> None:
    _seed(store_engine)
    with unit_of_work(store_engine) as session:
        assign_role(
            session,
            RoleInput(
                person="claire-martin",
                role=RoleName.DPO,
                start_date=date(2025, 1, 1),
                end_date=date(2025, 12, 31),
            ),
            "t",
        )
        assign_role(
            session,
            RoleInput(
                person="claire-martin", role=RoleName.REFERENT_IA, start_date=date(2026, 1, 1)
            ),
            "t",
        )
    with unit_of_work(store_engine) as session:
        person = list_roles(session)[0].person
        assert active_roles(session, person, on=date(2026, 6, 1)) == {"referent_ia"}
        assert active_roles(session, person, on=date(2025, 6, 1)) == {"dpo"}


def test_role_ending_before_it_starts_is_refused(store_engine: Engine) -> None:
    _seed(store_engine)
    with pytest.raises(InputError, match="end_date"), unit_of_work(store_engine) as session:
        assign_role(
            session,
            RoleInput(
                person="claire-martin",
                role="dpo",
                start_date=date(2026, 2, 1),
                end_date=date(2026, 1, 1),
            ),
            "t",
        )


def test_tool_status_change_records_author_and_note(store_engine: Engine) -> None:
    _seed(store_engine)
    with unit_of_work(store_engine) as session:
        set_tool_status(
            session, "Le Chat Pro", ToolStatus.FORBIDDEN, "dpo-user", "Transfert hors UE"
        )
    with unit_of_work(store_engine) as session:
        tool = session.exec(select(AITool)).one()
        assert (tool.status, tool.updated_by) == ("forbidden", "dpo-user")
        assert "Transfert hors UE" in tool.notes
        assert tool.updated_at >= tool.created_at


def test_training_and_arbitration_are_recorded(store_engine: Engine) -> None:
    _seed(store_engine)
    with unit_of_work(store_engine) as session:
        log_training(
            session,
            validated(
                TrainingInput,
                {
                    "person": "claire-martin",
                    "module": "IA générative",
                    "completed_on": "2026-10-02",
                    "hours": 3.5,
                },
            ),
            "t",
        )
        add_person(session, PersonInput(full_name="Paul Ressource"), "t")
        assign_role(
            session,
            RoleInput(person="paul-ressource", role="personne_ressource", start_date="2025-01-01"),
            "t",
        )
        request = open_arbitration(
            session,
            "Puis-je coller des courriels d'habitants dans un chatbot ?",
            "claire-martin",
            "t",
        )
    with unit_of_work(store_engine) as session:
        decided = decide_arbitration(
            session,
            request.id or 0,
            "Non, sauf outil approuvé et pseudonymisation.",
            "RGPD",
            "paul-ressource",
            "t",
        )
        assert decided.status == "decided" and decided.decided_at is not None
        assert list_training(session)[0].record.hours == 3.5
    with pytest.raises(ConflictError), unit_of_work(store_engine) as session:
        decide_arbitration(session, request.id or 0, "Oui", "", "paul-ressource", "t")

"""Editing the registry after creation: fields checked as at creation, author and time recorded,
tool and use changes in the ledger, roles ended and entries retired without deletion."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from workspace_support import run_cli

from garant.domain.enums import RoleName, ToolStatus
from garant.domain.models import AITool, AIUse, LedgerEntry, Person, RoleAssignment
from garant.errors import ConflictError, InputError, NotFoundError
from garant.governance.registry_edits import (
    active_assignment,
    change_tool_status,
    edit_person,
    edit_tool,
    edit_use,
    end_role,
    registry_history,
    retire_tool,
    retire_use,
)
from garant.governance.uses import get_use
from garant.store.engine import unit_of_work


def test_tool_edit_changes_fields_records_author_and_ledger_event(filled_engine: Engine) -> None:
    with unit_of_work(filled_engine) as session:
        edit = edit_tool(
            session, "albert", {"vendor": "Etalab", "hosting_region": "EU"}, "claire-martin"
        )
        assert session.info["garant_actor"] == "claire-martin"
    assert edit.changes == {"vendor": ("DINUM", "Etalab"), "hosting_region": ("FR", "EU")}
    with unit_of_work(filled_engine) as session:
        tool = session.exec(select(AITool).where(AITool.key == "albert")).one()
        assert (tool.vendor, tool.hosting_region, tool.updated_by) == (
            "Etalab",
            "EU",
            "claire-martin",
        )
        event = session.exec(select(LedgerEntry).where(LedgerEntry.event == "registry_edit")).one()
        payload = json.loads(event.payload)
        assert payload["by"] == "claire-martin"
        assert payload["changes"]["vendor"] == ["DINUM", "Etalab"]
        assert [h.by for h in registry_history(session, "tool", "albert")] == ["claire-martin"]


def test_tool_edit_refuses_bad_value_naming_the_field_and_writes_nothing(
    filled_engine: Engine,
) -> None:
    before = _ledger_size(filled_engine)
    with pytest.raises(InputError) as caught, unit_of_work(filled_engine) as session:
        edit_tool(session, "albert", {"access_mode": "telepathy"}, "claire")
    assert "access_mode" in caught.value.message and "web_app" in caught.value.hint
    with unit_of_work(filled_engine) as session:
        assert session.exec(select(AITool).where(AITool.key == "albert")).one().access_mode == "api"
    assert _ledger_size(filled_engine) == before


def test_tool_edit_refuses_status_and_a_name_already_taken(filled_engine: Engine) -> None:
    with pytest.raises(InputError, match="status"), unit_of_work(filled_engine) as session:
        edit_tool(session, "albert", {"status": "approved"}, "claire")
    with pytest.raises(ConflictError), unit_of_work(filled_engine) as session:
        edit_tool(session, "albert", {"name": "OpenAI API"}, "claire")


def test_edit_with_same_values_records_nothing(filled_engine: Engine) -> None:
    before = _ledger_size(filled_engine)
    with unit_of_work(filled_engine) as session:
        edit = edit_tool(session, "albert", {"vendor": "DINUM"}, "claire")
    assert not edit.changed
    assert _ledger_size(filled_engine) == before


def _ledger_size(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return len(session.exec(select(LedgerEntry)).all())


def test_use_edit_replaces_tools_and_people_by_key(filled_engine: Engine) -> None:
    with unit_of_work(filled_engine) as session:
        edit = edit_use(
            session,
            "assistant",
            {"tools": ["albert", "openai-api"], "responsible": "claire-martin", "oversight": None},
            "denis-dpo",
        )
    assert edit.changes["tools"] == (["albert"], ["albert", "openai-api"])
    assert edit.changes["oversight"] == ("paul-ressource", None)
    with unit_of_work(filled_engine) as session:
        view = get_use(session, "assistant")
        assert sorted(t.key for t in view.tools) == ["albert", "openai-api"]
        assert view.responsible is not None and view.responsible.key == "claire-martin"
        assert view.oversight is None and view.use.updated_by == "denis-dpo"


def test_use_edit_refuses_unknown_tool(filled_engine: Engine) -> None:
    with pytest.raises(NotFoundError), unit_of_work(filled_engine) as session:
        edit_use(session, "assistant", {"tools": ["nope"]}, "claire")


def test_person_edit_checks_email_and_keeps_author(filled_engine: Engine) -> None:
    with pytest.raises(InputError, match="email"), unit_of_work(filled_engine) as session:
        edit_person(session, "paul-ressource", {"email": "pas-une-adresse"}, "claire")
    with pytest.raises(ConflictError), unit_of_work(filled_engine) as session:
        edit_person(session, "paul-ressource", {"email": "claire@ville.fr"}, "claire")
    with unit_of_work(filled_engine) as session:
        edit_person(session, "paul-ressource", {"job_title": "Chargé de concertation"}, "claire")
    with unit_of_work(filled_engine) as session:
        paul = session.exec(select(Person).where(Person.key == "paul-ressource")).one()
        assert (paul.job_title, paul.updated_by) == ("Chargé de concertation", "claire")


def test_ending_a_role_keeps_the_assignment_and_removes_the_role(filled_engine: Engine) -> None:
    today = date.today()
    with unit_of_work(filled_engine) as session:
        assignment = active_assignment(session, "paul-ressource", RoleName.PERSONNE_RESSOURCE)
        end_role(session, assignment.id or 0, "claire", today - timedelta(days=1))
    with unit_of_work(filled_engine) as session:
        rows = session.exec(select(RoleAssignment)).all()
        assert len(rows) == 4
        with pytest.raises(NotFoundError):
            active_assignment(session, "paul-ressource", RoleName.PERSONNE_RESSOURCE)
        ended = session.get(RoleAssignment, assignment.id)
        assert ended is not None and ended.updated_by == "claire"
        with pytest.raises(ConflictError):
            end_role(session, assignment.id or 0, "claire", today)


def test_ending_a_role_before_it_started_is_refused(filled_engine: Engine) -> None:
    with pytest.raises(InputError), unit_of_work(filled_engine) as session:
        assignment = active_assignment(session, "claire-martin", RoleName.REFERENT_IA)
        end_role(session, assignment.id or 0, "claire", date(2000, 1, 1))


def test_retiring_keeps_rows_and_status_history(filled_engine: Engine) -> None:
    with pytest.raises(InputError, match="motif"), unit_of_work(filled_engine) as session:
        retire_tool(session, "chatgpt-web", "  ", "claire")
    with unit_of_work(filled_engine) as session:
        change_tool_status(
            session, "chatgpt-web", ToolStatus.FORBIDDEN, "données hors UE", "claire"
        )
    with unit_of_work(filled_engine) as session:
        retire_tool(session, "chatgpt-web", "remplacé par Albert", "denis")
        retire_use(session, "synthese-us", "abandonné", "denis")
    with unit_of_work(filled_engine) as session:
        tool = session.exec(select(AITool).where(AITool.key == "chatgpt-web")).one()
        use = session.exec(select(AIUse).where(AIUse.key == "synthese-us")).one()
        assert (tool.status, use.status) == ("retired", "retired")
        assert "remplacé par Albert" in tool.notes
        history = registry_history(session, "tool", "chatgpt-web")
        assert [(h.changes["status"], h.reason) for h in history] == [
            (["approved", "forbidden"], "données hors UE"),
            (["forbidden", "retired"], "remplacé par Albert"),
        ]


def test_cli_edits_and_retires_through_the_services(workspace_root: Path) -> None:
    run_cli(
        workspace_root,
        "people add 'Claire Martin' --email claire@ville.fr",
        "roles assign claire-martin referent_ia --from 2025-01-01 --by claire-martin",
        "tools add 'Le Chat' --access web_app --by claire-martin",
        "uses add 'Synthèse' --purpose 'Regrouper' --stage analysis --tool le-chat --by claire-martin",
        "tools edit le-chat --set vendor=Mistral --set training_on_inputs=false --by claire-martin",
        "uses edit synthese --set data_categories=public_contributions,personal --by claire-martin",
        "people edit claire-martin --set job_title=Référente --by claire-martin",
        "roles end claire-martin referent_ia --by claire-martin",
        "tools retire le-chat --reason 'fin du marché' --by claire-martin",
        "uses retire synthese --reason 'fin du marché' --by claire-martin",
    )
    from garant.workspace import open_workspace

    workspace = open_workspace(workspace_root)
    with unit_of_work(workspace.engine) as session:
        tool = session.exec(select(AITool).where(AITool.key == "le-chat")).one()
        assert (tool.vendor, tool.training_on_inputs, tool.status) == ("Mistral", False, "retired")
        use = session.exec(select(AIUse).where(AIUse.key == "synthese")).one()
        assert use.data_categories == ["public_contributions", "personal"]
        assert use.status == "retired"
        assert len(registry_history(session, "use", "synthese")) == 2
    workspace.close()

"""Registre in the TUI: tools created, edited and retired land in the store with their author."""

from __future__ import annotations

import json

from sqlmodel import select
from textual.widgets import Input, Select, Static

from garant.domain.models import AITool, LedgerEntry
from garant.store.engine import unit_of_work
from garant.tui.app import make_app
from garant.tui.screens.registry import RegistryScreen
from garant.tui.widgets.forms import FormScreen
from garant.workspace import Workspace


def _tool(workspace: Workspace, key: str) -> AITool | None:
    with unit_of_work(workspace.engine) as session:
        return session.exec(select(AITool).where(AITool.key == key)).first()


async def test_tool_created_in_the_form_is_stored_with_its_author(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, RegistryScreen)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-name", Input).value = "ChatGPT grand public"
        form.query_one("#field-hosting_region", Input).value = "US"
        form.query_one("#field-access_mode", Select).value = "web_app"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RegistryScreen)
    tool = _tool(workspace, "chatgpt-grand-public")
    assert tool is not None
    assert (tool.hosting_region, tool.access_mode, tool.created_by) == (
        "US",
        "web_app",
        "claire-martin",
    )


async def test_bad_value_is_refused_inline_with_the_domain_message_and_nothing_saved(
    workspace: Workspace,
) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-name", Input).value = "x"
        await pilot.pause()
        form.query_one("#field-name", Input).value = ""
        await pilot.pause()
        error = str(form.query_one("#form-error", Static).render())
        assert "name" in error and "⚠" in error
        assert "⚠" in str(form.query_one("#label-name", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
    with unit_of_work(workspace.engine) as session:
        assert len(session.exec(select(AITool)).all()) == 1


async def test_unsaved_form_is_kept_as_a_draft_and_restored(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("n")
        app.screen.query_one("#field-name", Input).value = "Outil à moitié saisi"
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("n")
        assert app.screen.query_one("#field-name", Input).value == "Outil à moitié saisi"
    assert _tool(workspace, "outil-a-moitie-saisi") is None


async def test_tool_edited_in_the_tui_records_fields_author_and_ledger_event(
    workspace: Workspace,
) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-vendor", Input).value == "DINUM"
        form.query_one("#field-vendor", Input).value = "Etalab"
        await pilot.press("ctrl+s")
        await pilot.pause()
        detail = str(app.screen.query_one("#registry-detail-text", Static).render())
        assert "DINUM → Etalab" in detail
    tool = _tool(workspace, "albert")
    assert tool is not None and (tool.vendor, tool.updated_by) == ("Etalab", "claire-martin")
    with unit_of_work(workspace.engine) as session:
        event = session.exec(select(LedgerEntry).where(LedgerEntry.event == "registry_edit")).one()
    assert json.loads(event.payload)["changes"] == {"vendor": ["DINUM", "Etalab"]}


async def test_retiring_a_tool_asks_for_a_reason_and_a_confirmation(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("x")
        app.screen.query_one("#field-reason", Input).value = "fin du marché"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # the confirmation says no: nothing changes
        await pilot.pause()
        tool = _tool(workspace, "albert")
        assert tool is not None and tool.status == "under_review"
        await pilot.press("x")
        app.screen.query_one("#field-reason", Input).value = "fin du marché"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
    tool = _tool(workspace, "albert")
    assert tool is not None and tool.status == "retired" and "fin du marché" in tool.notes

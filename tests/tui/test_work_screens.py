"""Contrôles, Formations and Documents in the TUI: answers, logs and documents reach the store,
the ledger and the exports folder."""

from __future__ import annotations

import hashlib

from sqlmodel import select
from textual.widgets import DataTable, Input, Select

from garant.domain.models import LedgerEntry, TrainingRecord
from garant.domain.policy_models import ChecklistAnswer
from garant.governance.assessments import start_checklist
from garant.store.engine import unit_of_work
from garant.tui.app import make_app
from garant.tui.screens.checklists import ChecklistsScreen
from garant.workspace import Workspace

PROFILE = {"interacts_with_public": True}


async def test_checklist_item_answered_in_the_tui_is_stored_with_its_note(
    workspace: Workspace,
) -> None:
    with unit_of_work(workspace.engine) as session:
        start_checklist(session, "synthese", PROFILE, "t")
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, ChecklistsScreen)
        screen.query_one("#checklist-use", Select).value = "synthese"
        await pilot.pause()
        table = screen.query_one("#checklist-items", DataTable)
        assert table.row_count > 0
        item_id = str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value)
        table.focus()
        await pilot.press("a")
        form = app.screen
        form.query_one("#field-status", Select).value = "done"
        form.query_one("#field-note", Input).value = "vu en comité le 3/12"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with unit_of_work(workspace.engine) as session:
        answer = session.exec(select(ChecklistAnswer)).one()
        events = session.exec(select(LedgerEntry).where(LedgerEntry.event == "checklist_answer"))
        assert len(list(events)) == 1
    assert (answer.item_id, answer.status, answer.note) == (item_id, "done", "vu en comité le 3/12")


async def test_training_logged_in_the_tui_closes_the_training_gap(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert "agathe-agent" in str(app.screen.query_one("#training-gaps").render())
        await pilot.press("n")
        form = app.screen
        form.query_one("#field-person", Input).value = "agathe-agent"
        form.query_one("#field-module", Input).value = "Bases de l'IA"
        form.query_one("#field-hours", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✓" in str(app.screen.query_one("#training-gaps").render())
    with unit_of_work(workspace.engine) as session:
        assert session.exec(select(TrainingRecord)).one().created_by == "claire-martin"


async def test_charter_rendered_in_a_worker_shows_its_path_and_hash(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#documents-table", DataTable)
        assert table.row_count == 1
        _, path, digest = table.get_row_at(0)
    written = workspace.root / "exports" / path.split("/exports/")[-1]
    assert written.is_file() and written.suffix == ".md"
    assert hashlib.sha256(written.read_bytes()).hexdigest() == digest
    with unit_of_work(workspace.engine) as session:
        exports = session.exec(select(LedgerEntry).where(LedgerEntry.event == "export")).all()
    assert len(exports) == 1 and digest in exports[0].payload

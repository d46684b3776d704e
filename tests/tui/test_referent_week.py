"""A referent's week driven by keyboard only (key presses and the palette), asserting on the
store and the ledger after each step: what the closing note of issue 11 asks to see."""

from __future__ import annotations

import hashlib
import json

from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import DataTable

from garant.domain.models import AITool, ArbitrationRequest, AuditRun, LedgerEntry
from garant.domain.policy_models import ChecklistAnswer, PolicyVersion
from garant.store.engine import unit_of_work
from garant.tui.app import GarantApp, make_app
from garant.workspace import Workspace

SIZE = (120, 40)


async def _type(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def _keys(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def _choose(pilot: Pilot[None], downs: int) -> None:
    """On a focused choice: open it, go down ``downs`` options (the first is blank), take it."""
    await _keys(pilot, "enter")
    await _keys(pilot, *(["down"] * downs), "enter")


def _events(session: Session, event: str) -> list[LedgerEntry]:
    return list(session.exec(select(LedgerEntry).where(LedgerEntry.event == event)))


def _row_events(session: Session, table: str) -> list[tuple[str, str, list[str]]]:
    """(event, who, changed fields) of the store's own ledger events on ``table``."""
    found = []
    for entry in session.exec(select(LedgerEntry).where(col(LedgerEntry.event).startswith("row_"))):
        payload = json.loads(entry.payload)
        if payload["table"] == table:
            found.append((entry.event, payload["by"], payload.get("changed") or []))
    return found


def _notices(app: GarantApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_a_referents_week_by_keyboard_reaches_the_store_and_the_ledger(
    workspace: Workspace,
) -> None:
    # Monday, Agathe (agent): asks whether ChatGPT may be used, then tries to approve the
    # policy — refused without the role, and nothing changes.
    agathe = make_app(workspace, actor="agathe-agent")
    async with agathe.run_test(size=SIZE) as pilot:
        await _keys(pilot, "f7", "n")
        await _type(pilot, "Peut-on utiliser ChatGPT pour resumer les avis ?")
        await _keys(pilot, "ctrl+s")
        await _keys(pilot, "f3", "a")
        await _keys(pilot, "o")
        assert "Agathe Agent ne peut pas approuver" in _notices(agathe)
    with unit_of_work(workspace.engine) as session:
        (request,) = session.exec(select(ArbitrationRequest))
        assert (request.status, request.created_by) == ("open", "agathe-agent")
        assert session.exec(select(PolicyVersion)).all() == []
        assert _events(session, "policy_approved") == []

    claire = make_app(workspace, actor="claire-martin")
    async with claire.run_test(size=SIZE) as pilot:
        # 1. Register the shadow-AI tool found in use (through the palette).
        await _keys(pilot, "ctrl+p")
        await _type(pilot, "ajouter un outil")
        await _keys(pilot, "enter")
        await _type(pilot, "ChatGPT")
        await _keys(pilot, "tab")
        await _type(pilot, "OpenAI")
        await _keys(pilot, "tab", "tab", "tab")  # → model family → version → access mode
        await _keys(pilot, "tab")  # web_app, as proposed → hosting
        await _type(pilot, "US")
        await _keys(pilot, "tab", "space")  # the data leaves the EU
        await _keys(pilot, "tab", "tab", "tab", "tab", "tab")  # … → notes
        await _type(pilot, "IA fantome vue au service urbanisme")
        await _keys(pilot, "ctrl+s")
        with unit_of_work(workspace.engine) as session:
            tool = session.exec(select(AITool).where(AITool.key == "chatgpt")).one()
            assert (tool.access_mode, tool.hosting_region, tool.data_leaves_eu) == (
                "web_app",
                "US",
                True,
            )
            assert (tool.status, tool.created_by) == ("under_review", "claire-martin")
            assert "fantome" in tool.notes
            assert ("row_insert", "claire-martin", []) in _row_events(session, "aitool")

        # 2. Decide Agathe's request, with the rationale the next agent will find.
        await _keys(pilot, "f7", "d")
        await _type(pilot, "Non pour des donnees personnelles")
        await _keys(pilot, "tab")
        await _type(pilot, "Hebergement hors UE sans contrat")
        await _keys(pilot, "ctrl+s")
        with unit_of_work(workspace.engine) as session:
            decided = session.exec(select(ArbitrationRequest)).one()
            assert decided.status == "decided"
            assert decided.rationale == "Hebergement hors UE sans contrat"
            (_, by, changed), *_ = reversed(_row_events(session, "arbitrationrequest"))
            assert by == "claire-martin" and {"status", "decision", "rationale"} <= set(changed)

        # 3. Answer the first item of the synthesis use's checklist.
        await _keys(pilot, "f4")
        await _choose(pilot, 1)  # the use « synthese »
        await _keys(pilot, "p")
        await _keys(pilot, "space", "tab", "tab")  # an AI system; not generative; its role:
        await _choose(pilot, 1)  # deployer
        await _keys(pilot, "tab", "space", "tab", "space")  # public body, meets the public
        await _keys(pilot, "ctrl+s")
        await _keys(pilot, "tab")  # to the items
        table = claire.screen.query_one("#checklist-items", DataTable)
        assert table.row_count > 0
        item_id = str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value)
        await _keys(pilot, "a")
        await _choose(pilot, 1)  # first answer state
        await _keys(pilot, "tab")
        await _type(pilot, "vu en comite le 3 decembre")
        await _keys(pilot, "ctrl+s")
        with unit_of_work(workspace.engine) as session:
            answer = session.exec(select(ChecklistAnswer)).one()
            assert (answer.item_id, answer.note) == (item_id, "vu en comite le 3 decembre")
            assert len(_events(session, "checklist_answer")) == 1

        # 4. Approve the policy (Claire holds the role), after the confirmation.
        await _keys(pilot, "f3", "a")
        await _keys(pilot, "o")
        with unit_of_work(workspace.engine) as session:
            (version,) = session.exec(select(PolicyVersion))
            assert (version.status, version.approved_by_name) == ("approved", "Claire Martin")
            assert len(_events(session, "policy_approved")) == 1

        # 5. Review the run awaiting review: approve with a comment, confirmed.
        await _keys(pilot, "f8", "r")
        await _choose(pilot, 1)  # approve
        await _keys(pilot, "tab")
        await _type(pilot, "relu et conforme")
        await _keys(pilot, "ctrl+s")
        await _keys(pilot, "o")
        with unit_of_work(workspace.engine) as session:
            run = session.exec(select(AuditRun)).one()
            assert (run.review_state, run.reviewed_by) == ("approved", "claire-martin")
            (_, by, changed), *_ = reversed(_row_events(session, "audit_run"))
            assert by == "claire-martin" and "review_state" in changed

        # 6. Render the charter: written in exports/, its SHA-256 shown beside its path.
        await _keys(pilot, "f10", "c")
        await claire.workers.wait_for_complete()
        await pilot.pause()
        _, path, digest = claire.screen.query_one("#documents-table", DataTable).get_row_at(0)
        written = workspace.root / "exports" / path.split("/exports/")[-1]
        assert written.is_file()
        assert hashlib.sha256(written.read_bytes()).hexdigest().startswith(str(digest).strip("…"))

        # Friday: the dashboard has nothing left to review.
        await _keys(pilot, "f1")
        prompts = [str(o.prompt) for o in claire.screen.query_one("#dashboard").options]
        assert "Sorties à relire (0)" in prompts


async def test_after_a_review_the_reviewed_run_stays_selected_with_its_state_in_words(
    workspace: Workspace,
) -> None:
    from tui_support import RUN_ID

    from garant.tui.widgets.runs import PagedRunsTable

    with unit_of_work(workspace.engine) as session:
        session.add(AuditRun(id="run-0000-newer", kind="ask", status="finished"))
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await _keys(pilot, "f8", "down", "r")  # the second run: the seeded synthesis
        await _choose(pilot, 1)
        await _keys(pilot, "ctrl+s", "o")
        await pilot.pause()
        table = app.screen.query_one(PagedRunsTable)
        assert str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value) == RUN_ID
        assert "Relecture enregistrée : approuvée" in _notices(app)
        assert table.get_row(RUN_ID)[1:3] == ["TERMINÉE", "APPROUVÉE"]  # status words come first

"""Politique, Exécutions, Arbitrages, Personnes in the TUI: each action lands in store and ledger,
and a refusal changes nothing."""

from __future__ import annotations

import json

from sqlmodel import select
from textual.widgets import Input, Select
from tui_support import RUN_ID

from garant.domain.models import ArbitrationRequest, AuditRun, LedgerEntry, RoleAssignment
from garant.domain.policy_models import PolicyVersion
from garant.governance.arbitration import open_arbitration
from garant.store.engine import unit_of_work
from garant.tui.app import make_app
from garant.tui.screens.confirm import ConfirmScreen
from garant.tui.widgets.forms import FormScreen
from garant.workspace import Workspace


def _events(workspace: Workspace, event: str) -> list[LedgerEntry]:
    with unit_of_work(workspace.engine) as session:
        return list(session.exec(select(LedgerEntry).where(LedgerEntry.event == event)))


async def test_policy_approval_by_the_referent_is_recorded_in_store_and_ledger(
    workspace: Workspace,
) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await pilot.pause()
    with unit_of_work(workspace.engine) as session:
        version = session.exec(select(PolicyVersion)).one()
    assert (version.status, version.approved_by_name) == ("approved", "Claire Martin")
    assert len(_events(workspace, "policy_approved")) == 1
    assert "status: approved" in (workspace.policies_dir / "politique.yaml").read_text()


async def test_policy_approval_refused_without_the_role_changes_nothing(
    workspace: Workspace,
) -> None:
    before = (workspace.policies_dir / "politique.yaml").read_text()
    app = make_app(workspace, actor="agathe-agent")
    notices: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **_: notices.append(str(message))  # type: ignore[method-assign]
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("a", "o")
        await pilot.pause()
    assert any("approve_policy" in notice or "habilit" in notice for notice in notices), notices
    with unit_of_work(workspace.engine) as session:
        assert session.exec(select(PolicyVersion)).first() is None
    assert _events(workspace, "policy_approved") == []
    assert (workspace.policies_dir / "politique.yaml").read_text() == before


async def test_review_in_the_runs_screen_changes_the_run_state_and_the_ledger(
    workspace: Workspace,
) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("r")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-decision", Select).value = "reject"
        form.query_one("#field-comment", Input).value = "thème 3 mal résumé"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await pilot.pause()
    with unit_of_work(workspace.engine) as session:
        run = session.get(AuditRun, RUN_ID)
    assert run is not None
    assert (run.review_state, run.reviewed_by, run.review_comment) == (
        "rejected",
        "claire-martin",
        "thème 3 mal résumé",
    )
    assert json.loads(_events(workspace, "review")[0].payload)["decision"] == "rejected"


async def test_operator_cannot_review_their_own_run_and_nothing_changes(
    workspace: Workspace,
) -> None:
    app = make_app(workspace, actor="agathe-agent")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("r")
        app.screen.query_one("#field-decision", Select).value = "approve"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
    with unit_of_work(workspace.engine) as session:
        run = session.get(AuditRun, RUN_ID)
    assert run is not None and run.review_state == "pending"
    assert _events(workspace, "review") == []


async def test_arbitration_decided_with_rationale_is_stored_and_found_by_search(
    workspace: Workspace,
) -> None:
    with unit_of_work(workspace.engine) as session:
        open_arbitration(session, "Peut-on traduire avec DeepL ?", "agathe-agent", "t")
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("d")
        form = app.screen
        form.query_one("#field-decision", Input).value = "Non, sauf textes publics"
        form.query_one("#field-rationale", Input).value = "hébergement hors UE"
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#arbitration-query", Input).value = "deepl"
        await pilot.pause()
        assert screen.query_one("#arbitration-table").row_count == 1
        screen.query_one("#arbitration-query", Input).value = "tableur"
        await pilot.pause()
        assert screen.query_one("#arbitration-table").row_count == 0
    with unit_of_work(workspace.engine) as session:
        request = session.exec(select(ArbitrationRequest)).one()
    assert (request.status, request.decision, request.rationale) == (
        "decided",
        "Non, sauf textes publics",
        "hébergement hors UE",
    )


async def test_ending_a_role_keeps_the_assignment_with_an_end_date(workspace: Workspace) -> None:
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#roles-table").focus()
        await pilot.press("x", "o")
        await pilot.pause()
    with unit_of_work(workspace.engine) as session:
        ended = [r for r in session.exec(select(RoleAssignment)) if r.end_date is not None]
    assert len(ended) == 1 and ended[0].updated_by == "claire-martin"

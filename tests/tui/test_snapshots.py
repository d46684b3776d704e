"""SVG snapshots of a few screens at 80×24 (pytest-textual-snapshot)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

import garant.tui.screens.dashboard as dashboard
from garant.audit.ledger import read_head
from garant.overview import Overview
from garant.tui.app import make_app
from garant.workspace import Workspace


def test_dashboard_fits_80x24_and_marks_items_with_words_not_only_colour(
    workspace: Workspace, snap_compare: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard at 80×24 lists the run awaiting review and the untrained operator."""
    real = dashboard.read_overview

    def fixed_head(workspace: Workspace) -> Overview:
        # The ledger head hash covers times, host and OS account: the picture shows a fixed one,
        # after checking that the dashboard is given the real head.
        shown = real(workspace)
        assert shown.ledger is not None
        head = read_head(workspace.ledger_anchor)
        assert head is not None and shown.ledger.head_hash == head.entry_hash
        ledger: Any = dataclasses.replace(shown.ledger, head_hash="0123456789ab" * 4)
        return dataclasses.replace(shown, ledger=ledger)

    monkeypatch.setattr(dashboard, "read_overview", fixed_head)
    app = make_app(workspace, actor="claire-martin")
    assert snap_compare(app, terminal_size=(80, 24))  # type: ignore[operator]


def test_tool_form_shows_the_domain_error_beside_the_field(
    workspace: Workspace, snap_compare: object
) -> None:
    """An emptied tool name is flagged with ⚠ on its label (the domain message is under the form)."""

    async def empty_name(pilot: Pilot[None]) -> None:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture time-dependent
        name = pilot.app.screen.query_one("#field-name", Input)
        name.value = "x"
        await pilot.pause()
        name.value = ""
        await pilot.pause()

    app = make_app(workspace, actor="claire-martin")
    assert snap_compare(app, terminal_size=(80, 24), run_before=empty_name)  # type: ignore[operator]


def test_policy_approval_asks_for_confirmation_naming_the_actor(
    workspace: Workspace, snap_compare: object
) -> None:
    """Approving the policy first asks « Approuver la politique en tant que claire-martin ? »."""
    app = make_app(workspace, actor="claire-martin")
    assert snap_compare(app, terminal_size=(80, 24), press=["f3", "_", "a"])  # type: ignore[operator]

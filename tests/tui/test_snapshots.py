"""SVG snapshots of a few screens at 80×24 (pytest-textual-snapshot)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from garant.tui.app import make_app
from garant.workspace import Workspace


def test_dashboard_fits_80x24_and_marks_items_with_words_not_only_colour(
    workspace: Workspace, snap_compare: object
) -> None:
    """The dashboard at 80×24 lists the run awaiting review and the untrained operator."""
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

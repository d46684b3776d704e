"""The app shell: dashboard first and light, items open their screen, keymap, palette, language,
runs paged from the store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import OptionList

from garant.domain.models import AuditRun
from garant.governance.arbitration import open_arbitration
from garant.store.engine import unit_of_work
from garant.tui.app import make_app
from garant.tui.commands import palette_entries
from garant.tui.screens.arbitrations import ArbitrationsScreen
from garant.tui.screens.dashboard import DashboardScreen
from garant.tui.screens.registry import RegistryScreen
from garant.tui.screens.runs import RunsScreen
from garant.tui.widgets.runs.paged_table import PAGE_SIZE, PagedRunsTable
from garant.workspace import Workspace

FIRST_SCREEN = """
import asyncio, json, sys, time
start = time.perf_counter()
from garant.workspace import open_workspace
from garant.tui.app import make_app
app = make_app(open_workspace(__import__("pathlib").Path(sys.argv[1])))
shown = {}
async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        labels = [str(w.render()) for w in app.screen.query("Label")]
        options = [str(o.prompt) for ol in app.screen.query("OptionList") for o in ol.options]
        shown["text"] = " ".join(labels + options)
        shown["seconds"] = time.perf_counter() - start
asyncio.run(main())
heavy = [m for m in ("mlflow", "litellm", "presidio_analyzer", "presidio_anonymizer", "spacy") if m in sys.modules]
print(json.dumps({"heavy": heavy, **shown}))
"""


def test_first_screen_shows_store_data_without_importing_heavy_stacks(
    workspace: Workspace,
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(workspace.root)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
    assert "Sorties à relire (1)" in result["text"]
    assert "agathe-agent a utilisé l'IA sans formation enregistrée" in result["text"]


async def test_dashboard_item_opens_the_screen_that_resolves_it(workspace: Workspace) -> None:
    with unit_of_work(workspace.engine) as session:
        request = open_arbitration(session, "Peut-on utiliser DeepL ?", "agathe-agent", "t")
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        lists = list(app.screen.query(OptionList))
        arbitration_list = next(
            ol for ol in lists if "DeepL" in str(ol.get_option_at_index(0).prompt)
        )
        arbitration_list.focus()
        arbitration_list.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArbitrationsScreen)
        table = app.screen.query_one("#arbitration-table")
        assert str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value) == str(
            request.id
        )


async def test_keymap_from_settings_remaps_a_binding_by_its_id(workspace: Workspace) -> None:
    app = make_app(workspace, keymap={"open-registry": "ctrl+g"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, RegistryScreen)


def test_keymap_is_read_from_garant_toml(workspace_root: Path) -> None:
    from garant.workspace import open_workspace

    config = workspace_root / "garant.toml"
    text = config.read_text()
    assert "[tui.keymap]" in text  # a new workspace lists the table to fill
    config.write_text(text.replace("[tui.keymap]\n", '[tui.keymap]\nopen-runs = "ctrl+e"\n'))
    assert open_workspace(workspace_root).settings.tui.keymap == {"open-runs": "ctrl+e"}


async def test_palette_offers_every_action_titled_area_then_verb(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [title for title, _, _ in palette_entries(app)]
        assert "Registre : ajouter un outil" in titles
        assert all(" : " in title for title in titles)
        await app.run_screen_action("registry", "new_tool")
        await pilot.pause()
        assert app.screen.query_one("#form-title") is not None


async def test_english_setting_shows_english_titles_and_bindings(workspace: Workspace) -> None:
    app = make_app(workspace, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(str(w.render()) for w in app.screen.query("Label"))
        assert "Outputs awaiting review (1)" in text
        await pilot.press("f2")
        descriptions = {b.description for _, b in app.screen._bindings}
        assert "New tool" in descriptions


async def test_ten_thousand_runs_are_paged_from_the_store(workspace: Workspace) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with unit_of_work(workspace.engine) as session:
        session.add_all(
            AuditRun(
                id=f"bulk-{i:05d}",
                kind="ask",
                status="finished",
                started_at=start - timedelta(seconds=i),
            )
            for i in range(10_000)
        )
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        table = app.screen.query_one(PagedRunsTable)
        assert table.row_count == PAGE_SIZE
        table.focus()
        table.move_cursor(row=table.row_count - 1)  # the user reached the end of the page
        await pilot.pause()
        assert PAGE_SIZE < table.row_count <= 3 * PAGE_SIZE

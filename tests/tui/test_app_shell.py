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
import asyncio, json, sys
import garant.tui.app as tui_app

NOT_FOR_THE_FIRST_SCREEN = (
    "mlflow", "litellm", "presidio_analyzer", "presidio_anonymizer", "spacy",
    "typer", "click", "garant.cli.main", "garant.domain.models", "garant.governance",
    "sqlalchemy", "sqlmodel", "garant.store",
)

def run_in_a_test_terminal(app):
    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            shown = " ".join(str(o.prompt) for o in app.screen.query_one("OptionList").options)
            loaded = [m for m in NOT_FOR_THE_FIRST_SCREEN if m in sys.modules]
        print(json.dumps({"loaded": loaded, "text": shown}))
    asyncio.run(main())

tui_app.GarantApp.run = run_in_a_test_terminal
sys.argv = ["garant", "-w", sys.argv[1]]
from garant.cli.entry import run
run()
"""


def test_garant_alone_shows_store_data_without_the_cli_stack_or_heavy_libraries(
    workspace: Workspace,
) -> None:
    """`garant -w WS` through the console script's entry: the dashboard with its data, and
    neither Typer/Click, SQLAlchemy/SQLModel (the SQLite store is read through ``sqlite3``), the
    table models, the governance services nor MLflow, litellm, Presidio or spaCy loaded for
    it."""
    out = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(workspace.root)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["loaded"] == []
    assert "Sorties à relire (1)" in result["text"]
    assert "agathe-agent a utilisé l'IA sans formation enregistrée" in result["text"]


async def test_dashboard_item_opens_the_screen_that_resolves_it(workspace: Workspace) -> None:
    with unit_of_work(workspace.engine) as session:
        request = open_arbitration(session, "Peut-on utiliser DeepL ?", "agathe-agent", "t")
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        attention = app.screen.query_one(OptionList)
        prompts = [str(option.prompt) for option in attention.options]
        attention.focus()
        attention.highlighted = next(i for i, p in enumerate(prompts) if "DeepL" in p)
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
        text = " ".join(str(o.prompt) for o in app.screen.query_one(OptionList).options)
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


async def test_plain_setting_gives_words_ascii_borders_and_no_animation(
    workspace_root: Path,
) -> None:
    from garant.workspace import open_workspace

    config = workspace_root / "garant.toml"
    text = config.read_text()
    assert "plain = false" in text  # a new workspace lists the setting
    config.write_text(text.replace("plain = false", "plain = true"))
    workspace = open_workspace(workspace_root)
    assert workspace.settings.tui.plain
    from tui_support import seed

    seed(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.plain and app.animation_level == "none" and app.has_class("-plain")
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert (
            "  - run-0001-finished · synthesis · synthese · 01/11/2026 01:00"
        )  # Europe/Paris in prompts
        assert "  OK : aucune demande ouverte" in prompts  # a word, not only a ✓ or a colour
        assert app.screen.query_one(OptionList).styles.border_top[0] == "ascii"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one(".detail").styles.border_left[0] == "ascii"
    workspace.close()

"""Analyses in the TUI: a synthesis, a sortition and a transcription launched from the keyboard
run through the audited services, show their progress, and open the run they recorded."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, Select
from textual.worker import WorkerCancelled
from workspace_support import SHARED_DATA, adopt_test_policy, require_shared, run_cli

from garant.domain.models import AuditRun, LedgerEntry
from garant.store.engine import unit_of_work
from garant.tui.app import make_app
from garant.tui.screens.analyses import AnalysesScreen
from garant.tui.screens.runs import RunsScreen
from garant.workspace import open_workspace

DECIDIM = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy"
SORTITION = SHARED_DATA / "sortition" / "households_150_22"
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Jeanne Morel>Bonjour, je suis Jeanne Morel, joignable au 06 12 34 56 78.

00:00:04.500 --> 00:00:08.000
<v Marc Petit>Je demande une piste cyclable rue de la Gare.
"""


@pytest.fixture
def analyses_root(workspace_root: Path) -> Path:
    """Claire (référente IA) with an approved use for each analysis."""
    adopt_test_policy(workspace_root)
    run_cli(
        workspace_root,
        'people add "Claire Martin"',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --key hors-ligne --access local --region local '
        "--status approved --alias hors-ligne --by claire-martin",
        'tools add "Tirage garant" --key tirage --access local --region local --status approved '
        "--by claire-martin",
        'tools add "Whisper local" --key whisper-local --access local --region local '
        "--status approved --by claire-martin",
    )
    for key, tool, stage in (
        ("synthese", "hors-ligne", "analysis"),
        ("panel", "tirage", "design"),
        ("transcription", "whisper-local", "animation"),
    ):
        run_cli(
            workspace_root,
            f'uses add "Usage {key}" --key {key} --purpose "Essai" --stage {stage} --tool {tool} '
            "--data personal --status approved --by claire-martin "
            '--override "essai automatisé : pas de liste de contrôle"',
        )
    return workspace_root


def _runs(root: Path, kind: str) -> list[AuditRun]:
    workspace = open_workspace(root)
    try:
        with unit_of_work(workspace.engine) as session:
            return list(session.exec(select(AuditRun).where(AuditRun.kind == kind)))
    finally:
        workspace.close()


def _ledger_events(root: Path, run_id: str) -> list[str]:
    workspace = open_workspace(root)
    try:
        with unit_of_work(workspace.engine) as session:
            rows = session.exec(select(LedgerEntry).where(LedgerEntry.run_id == run_id))
            return [row.event for row in rows]
    finally:
        workspace.close()


async def _launch(root: Path, kind: str, fields: dict[str, str]) -> tuple[str, str]:
    """Open F9, choose the kind through the palette's action, fill the form, Ctrl+R; return the
    status line and the run selected on the screen that opened."""
    workspace = open_workspace(root)
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.run_screen_action("analyses", f"show_kind('{kind}')")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        for selector, value in fields.items():
            widget = screen.query_one(selector)
            if isinstance(widget, Select):
                widget.value = value
            else:
                assert isinstance(widget, Input)
                widget.value = value
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        status = str(screen.query_one("#analyses-status").render())
        assert isinstance(app.screen, RunsScreen), status
        selected = app.screen._selected() or ""
    workspace.close()
    return status, selected


async def test_synthesis_launched_in_the_tui_is_an_audited_run_that_opens(
    analyses_root: Path,
) -> None:
    require_shared(DECIDIM)
    run_cli(
        analyses_root,
        f"synthesis ingest gdn {DECIDIM / 'propositions-libres.csv'} --format decidim "
        "--pseudonymisation patterns",
    )
    status, selected = await _launch(
        analyses_root, "synthesis", {"#synthesis-corpus": "gdn", "#synthesis-use": "synthese"}
    )
    (run,) = _runs(analyses_root, "synthesis")
    assert (run.status, run.operator_key, run.use_key) == ("finished", "claire-martin", "synthese")
    assert selected == run.id and f"Exécution {run.id}" in status and "thèmes" in status
    assert (analyses_root / "runs" / run.id / "synthese.md").is_file()
    assert "run_finished" in _ledger_events(analyses_root, run.id)


async def test_sortition_launched_in_the_tui_publishes_the_lottery_before_the_draw(
    analyses_root: Path,
) -> None:
    require_shared(SORTITION)
    status, selected = await _launch(
        analyses_root,
        "sortition",
        {
            "#sortition-pool": str(SORTITION / "people.csv"),
            "#sortition-quotas": str(SORTITION / "features.csv"),
            "#sortition-k": "22",
            "#sortition-use": "panel",
            "#sortition-algorithm": "maximin",
            "#sortition-households": "primary_address1,primary_zip",
            "#sortition-panels": "200",
        },
    )
    (run,) = _runs(analyses_root, "sortition")
    assert (run.status, run.operator_key, run.use_key) == ("finished", "claire-martin", "panel")
    assert selected == run.id and "Loterie publiée" in status
    assert (analyses_root / "runs" / run.id / "commitment.json").is_file()


async def test_transcript_imported_in_the_tui_is_traced_and_pseudonymised(
    analyses_root: Path, tmp_path: Path
) -> None:
    source = tmp_path / "reunion.vtt"
    source.write_text(VTT, encoding="utf-8")
    status, selected = await _launch(
        analyses_root,
        "transcription",
        {
            "#transcription-file": str(source),
            "#transcription-backend": "import",
            "#transcription-use": "transcription",
            "#transcription-pseudonymisation": "patterns",
        },
    )
    (run,) = _runs(analyses_root, "transcription")
    assert (run.status, run.operator_key) == ("finished", "claire-martin")
    assert selected == run.id and "2 segments" in status
    folder = analyses_root / "runs" / run.id
    safe = next(p for p in folder.iterdir() if "pseudonymis" in p.name and p.suffix == ".json")
    assert "06 12 34 56 78" not in safe.read_text(encoding="utf-8")


async def test_an_empty_field_is_refused_with_its_name_and_launches_nothing(
    analyses_root: Path,
) -> None:
    workspace = open_workspace(analyses_root)
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.run_screen_action("analyses", "show_kind('sortition')")
        await pilot.pause()
        app.screen.query_one("#sortition-k", Input).value = "vingt"
        app.screen.query_one("#sortition-pool", Input).value = "vivier.csv"
        app.screen.query_one("#sortition-quotas", Input).value = "quotas.csv"
        await pilot.press("ctrl+r")
        await pilot.pause()
        notices = [str(n.message) for n in app._notifications]
        assert any("Taille du panel : « vingt »" in n for n in notices), notices
        assert not list(app.workers)
    workspace.close()
    assert _runs(analyses_root, "sortition") == []


async def test_cancelling_a_sortition_stops_it_at_its_next_step_as_a_failed_run(
    analyses_root: Path,
) -> None:
    """Ctrl+X while the solver reports its progress: the next step raises, and the audited run
    is recorded as failed (never silently dropped)."""
    require_shared(SORTITION)
    workspace = open_workspace(analyses_root)
    app = make_app(workspace, actor="claire-martin")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.run_screen_action("analyses", "show_kind('sortition')")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        for selector, value in {
            "#sortition-pool": str(SORTITION / "people.csv"),
            "#sortition-quotas": str(SORTITION / "features.csv"),
            "#sortition-k": "22",
            "#sortition-use": "panel",
        }.items():
            screen.query_one(selector, Input).value = value
        shown = screen._status
        steps: list[str] = []

        def status(text: str) -> None:  # the user presses Ctrl+X at the first solver step
            shown(text)
            steps.append(text)
            if text.startswith("Résolution (") and not any("Annulation" in t for t in steps):
                screen.action_cancel()
                steps.append("Annulation")

        screen._status = status  # type: ignore[method-assign]
        await pilot.press("ctrl+r")
        with suppress(WorkerCancelled):  # raised or not, depending on when the thread ends
            await app.workers.wait_for_complete()
        for _ in range(300):  # the solver's thread reaches its next step, then the run closes
            runs = _runs(analyses_root, "sortition")
            if runs and runs[0].status != "started":
                break
            await pilot.pause(0.2)
        assert isinstance(app.screen, AnalysesScreen), steps  # nothing to open
        assert "Annulation demandée" in str(screen.query_one("#analyses-status").render())
    workspace.close()
    (run,) = _runs(analyses_root, "sortition")
    assert run.status == "failed" and "annulée" in run.error

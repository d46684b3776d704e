"""Analyses: launch a synthesis through the same audited service as the CLI, in a worker.

The worker runs in a thread (MLflow, the model and the report take seconds); the screen shows
progress and stays usable. Cancelling stops waiting for the result: a run already started
finishes and stays recorded in the ledger, as every audited run must.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, LoadingIndicator, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from garant.errors import GarantError
from garant.i18n import tr
from garant.tui.messages import Navigate
from garant.tui.screens.base import GarantScreen

__all__ = ["AnalysesScreen"]


class AnalysesScreen(GarantScreen):
    AUTO_FOCUS = "#analyses-corpus"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "launch", "Lancer", id="analyses-launch"),
        Binding("ctrl+x", "cancel", "Annuler", id="analyses-cancel"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        with Vertical(id="analyses-form"):
            yield Label(
                tr("Synthèse des contributions — corpus", "Synthesis of contributions — corpus")
            )
            yield Select([], prompt="corpus", id="analyses-corpus")
            yield Label(tr("Usage déclaré et approuvé (clé)", "Registered, approved use (key)"))
            yield Input(id="analyses-use")
            yield Label(
                tr(
                    "Alias de modèle (vide : méthode hors ligne)",
                    "Model alias (empty: offline method)",
                )
            )
            yield Input(id="analyses-model")
            yield Static(
                tr(
                    "Tirage au sort et transcription : « garant sortition … », « garant transcribe … » "
                    "(mêmes services audités).",
                    "Sortition and transcription: 'garant sortition …', 'garant transcribe …' "
                    "(same audited services).",
                ),
                classes="muted",
            )
        yield LoadingIndicator(id="analyses-progress")
        yield Static("", id="analyses-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Analyses", "Analyses")
        self.query_one("#analyses-progress").display = False

    def reload(self) -> None:
        folder = self.workspace.private_dir / "corpus"
        names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        self.query_one("#analyses-corpus", Select).set_options([(n, n) for n in names])

    def action_launch(self) -> None:
        corpus = self.query_one("#analyses-corpus", Select).value
        use = self.query_one("#analyses-use", Input).value.strip()
        model = self.query_one("#analyses-model", Input).value.strip() or None
        if corpus is Select.NULL:
            self.notify(
                tr(
                    "Choisissez un corpus (« garant synthesis ingest » en crée un).",
                    "Choose a corpus ('garant synthesis ingest' creates one).",
                )
            )
            return
        self.query_one("#analyses-progress").display = True
        self.query_one("#analyses-status", Static).update(
            tr("⏳ Synthèse en cours… (Ctrl+X : annuler)", "⏳ Synthesis running… (Ctrl+X: cancel)")
        )
        self._synthesise(str(corpus), use, model)

    @work(thread=True, exclusive=True, group="analysis")
    def _synthesise(self, corpus: str, use: str, model: str | None) -> Any:
        from garant.analyses.synthesis.audited import synthesise

        outcome = synthesise(
            self.workspace, corpus, use=use, operator=self.actor, model_alias=model
        )
        if get_current_worker().is_cancelled:
            return None
        return outcome

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "analysis":
            return
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.query_one("#analyses-progress").display = False
        status = self.query_one("#analyses-status", Static)
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, GarantError):
                self.garant.show_error(error)
                status.update(f"✗ {error.message}")
            else:
                status.update(f"✗ {error}")
        elif event.state == WorkerState.SUCCESS and event.worker.result is not None:
            outcome = event.worker.result
            status.update(
                tr(
                    "✓ Exécution {id} : {n} thèmes — rapport {f}",
                    "✓ Run {id}: {n} themes — report {f}",
                    id=outcome.run_id,
                    n=len(outcome.result.themes),
                    f=outcome.folder,
                )
            )
            self.post_message(Navigate("runs", outcome.run_id))

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "analysis")
        self.query_one("#analyses-status", Static).update(
            tr(
                "Annulé : une exécution déjà lancée se termine et reste tracée.",
                "Cancelled: a run already started finishes and stays recorded.",
            )
        )

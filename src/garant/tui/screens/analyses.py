"""Analyses: launch a synthesis, a sortition (the lottery published before the draw) or a
transcription through the same audited services as the CLI, in a worker, then open the run.

Each analysis runs in a thread (MLflow, the solver, the model, the report take seconds); the
screen tells its progress in words and stays usable. Ctrl+X cancels: a sortition or a
transcription stops at its next progress step and is recorded as a failed run (its ledger says
« annulée »); a synthesis has no progress step, so cancelling stops waiting for it and the run,
already started, finishes and stays recorded, as every audited run must.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, LoadingIndicator, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from garant.errors import GarantError, InputError
from garant.i18n import tr
from garant.tui.messages import Navigate
from garant.tui.screens.base import GarantScreen

__all__ = ["AnalysesScreen", "AnalysisCancelled", "Launched"]

KINDS = ("synthesis", "sortition", "transcription")
ALGORITHMS = ("leximin", "maximin", "nash", "legacy")
"""As garant.analyses.sortition.model.ALGORITHMS (not imported here: it loads numpy)."""
BACKENDS = ("import", "local", "api")


class AnalysisCancelled(GarantError):
    """Raised inside an analysis at its next progress step once the user cancelled it; the
    audited run records it as a failed run."""


@dataclass(frozen=True)
class Launched:
    """What a finished analysis tells the screen: the run to open and one line to show."""

    run_id: str
    summary: str


Report = Callable[[str], None]
Job = Callable[[Report], Launched]


class AnalysesScreen(GarantScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "launch", "Lancer", id="analyses-launch"),
        Binding("ctrl+x", "cancel", "Annuler", id="analyses-cancel"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        with TabbedContent(id="analyses-kind", initial="synthesis"):
            with TabPane(tr("Synthèse", "Synthesis"), id="synthesis"), VerticalScroll():
                yield from _field(tr("Corpus", "Corpus"), Select([], id="synthesis-corpus"))
                yield from _use_field("synthesis")
                yield from _field(
                    tr(
                        "Alias de modèle (vide : méthode hors ligne)",
                        "Model alias (empty: offline)",
                    ),
                    Input(id="synthesis-model"),
                )
            with TabPane(tr("Tirage au sort", "Sortition"), id="sortition"), VerticalScroll():
                yield from _field(
                    tr("Vivier (nom enregistré ou fichier CSV)", "Pool (registered name or CSV)"),
                    Input(id="sortition-pool"),
                )
                yield from _field(
                    tr("Quotas (fichier CSV)", "Quotas (CSV file)"), Input(id="sortition-quotas")
                )
                yield from _field(tr("Taille du panel", "Panel size"), Input(id="sortition-k"))
                yield from _use_field("sortition")
                yield from _field(
                    tr("Algorithme", "Algorithm"),
                    Select(
                        [(a, a) for a in ALGORITHMS],
                        value="leximin",
                        allow_blank=False,
                        id="sortition-algorithm",
                    ),
                )
                yield from _field(
                    tr(
                        "Colonnes d'adresse (une personne par foyer), séparées par des virgules",
                        "Address columns (one person per household), comma-separated",
                    ),
                    Input(id="sortition-households"),
                )
                yield from _field(
                    tr("Panels de la loterie publiée", "Panels in the published lottery"),
                    Input("1000", id="sortition-panels"),
                )
            with (
                TabPane(tr("Transcription", "Transcription"), id="transcription"),
                VerticalScroll(),
            ):
                yield from _field(
                    tr(
                        "Fichier (audio, ou transcription VTT/SRT/TXT à importer)",
                        "File (audio, or a VTT/SRT/TXT transcript to import)",
                    ),
                    Input(id="transcription-file"),
                )
                yield from _field(
                    tr("Méthode", "Backend"),
                    Select(
                        [
                            (tr("importer une transcription", "import a transcript"), "import"),
                            (tr("locale (faster-whisper)", "local (faster-whisper)"), "local"),
                            (tr("API (alias de modèle)", "API (model alias)"), "api"),
                        ],
                        value="import",
                        allow_blank=False,
                        id="transcription-backend",
                    ),
                )
                yield from _use_field("transcription")
                yield from _field(
                    tr("Modèle (local : nom ; API : alias)", "Model (local: name; API: alias)"),
                    Input(id="transcription-model"),
                )
                yield from _field(
                    tr("Langue parlée", "Spoken language"), Input(id="transcription-language")
                )
                yield from _field(
                    tr("Pseudonymisation", "Pseudonymisation"),
                    Select(
                        [
                            (tr("complète (noms, modèle spaCy)", "full (names, spaCy)"), "full"),
                            (tr("motifs seulement", "patterns only"), "patterns"),
                        ],
                        value="full",
                        allow_blank=False,
                        id="transcription-pseudonymisation",
                    ),
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
        self.query_one("#synthesis-corpus", Select).set_options([(n, n) for n in names])

    def action_show_kind(self, kind: str) -> None:
        """Show the form of ``kind`` (synthesis, sortition or transcription)."""
        if kind in KINDS:
            self.query_one(TabbedContent).active = kind

    def action_launch(self) -> None:
        kind = self.query_one(TabbedContent).active
        try:
            job = {
                "synthesis": self._synthesis_job,
                "sortition": self._sortition_job,
                "transcription": self._transcription_job,
            }[kind]()
        except GarantError as error:
            self.garant.show_error(error)
            return
        self.query_one("#analyses-progress").display = True
        self._status(tr("En cours… (Ctrl+X : annuler)", "Running… (Ctrl+X: cancel)"))
        self._run(job)

    def action_cancel(self) -> None:
        if not any(w.group == "analysis" and w.is_running for w in self.workers):
            return
        self.workers.cancel_group(self, "analysis")
        self.query_one("#analyses-progress").display = False
        self._status(
            tr(
                "Annulation demandée : l'analyse s'arrête à sa prochaine étape et reste tracée "
                "(exécution en échec, ou terminée si elle n'a pas d'étape).",
                "Cancel requested: the analysis stops at its next step and stays recorded "
                "(a failed run, or a finished one when it has no step).",
            )
        )

    # -- the three jobs: read the form, return what the worker will call -------------------

    def _synthesis_job(self) -> Job:
        corpus = self.query_one("#synthesis-corpus", Select).value
        if corpus is Select.NULL:
            raise InputError(
                tr("Corpus : aucun corpus choisi.", "Corpus: none chosen."),
                tr(
                    "« garant synthesis ingest NOM FICHIER » en crée un.",
                    "'garant synthesis ingest NAME FILE' creates one.",
                ),
            )
        use = self._use("synthesis")
        model = _text(self, "#synthesis-model") or None
        workspace, actor = self.workspace, self.actor

        def job(report: Report) -> Launched:
            from garant.analyses.synthesis.audited import synthesise

            report(tr("Synthèse en cours…", "Synthesis running…"))
            outcome = synthesise(workspace, str(corpus), use=use, operator=actor, model_alias=model)
            return Launched(
                outcome.run_id,
                tr(
                    "Exécution {id} : {n} thèmes — rapport {f}",
                    "Run {id}: {n} themes — report {f}",
                    id=outcome.run_id,
                    n=len(outcome.result.themes),
                    f=outcome.folder,
                ),
            )

        return job

    def _sortition_job(self) -> Job:
        pool = _path(self, "#sortition-pool", tr("Vivier", "Pool"))
        quotas = _path(self, "#sortition-quotas", tr("Quotas", "Quotas"))
        k = _positive(self, "#sortition-k", tr("Taille du panel", "Panel size"))
        panels = _positive(self, "#sortition-panels", tr("Panels", "Panels"))
        use = self._use("sortition")
        algorithm = str(self.query_one("#sortition-algorithm", Select).value)
        households = [
            c.strip() for c in _text(self, "#sortition-households").split(",") if c.strip()
        ]
        workspace, actor = self.workspace, self.actor

        def job(report: Report) -> Launched:
            from garant.analyses.sortition.audited import publish_lottery
            from garant.analyses.sortition.model import SolveProgress
            from garant.analyses.sortition.pools import resolve_pool

            def progress(step: SolveProgress) -> None:
                report(
                    tr(
                        "Résolution ({p}, étape {i}) : {f}/{t} groupes fixés",
                        "Solving ({p}, step {i}): {f}/{t} groups settled",
                        p=step.phase,
                        i=step.iteration,
                        f=step.fixed,
                        t=step.total,
                    )
                )

            report(tr("Résolution…", "Solving…"))
            outcome = publish_lottery(
                workspace,
                resolve_pool(workspace, pool),
                quotas,
                k,
                use=use,
                operator=actor,
                algorithm=algorithm,  # type: ignore[arg-type]
                household_columns=households,
                m=panels,
                progress=progress,
            )
            return Launched(
                outcome.run_id,
                tr(
                    "Loterie publiée : exécution {id} — publiez {f} avant le tirage "
                    "(« garant sortition draw {id} --seed … »).",
                    "Lottery published: run {id} — publish {f} before the draw "
                    "('garant sortition draw {id} --seed …').",
                    id=outcome.run_id,
                    f=outcome.folder / "commitment.json",
                ),
            )

        return job

    def _transcription_job(self) -> Job:
        source = _path(self, "#transcription-file", tr("Fichier", "File"))
        backend = str(self.query_one("#transcription-backend", Select).value)
        mode = str(self.query_one("#transcription-pseudonymisation", Select).value)
        use = self._use("transcription")
        model = _text(self, "#transcription-model") or None
        language = _text(self, "#transcription-language") or None
        workspace, actor = self.workspace, self.actor

        def job(report: Report) -> Launched:
            from garant.analyses.transcription.audited import run_transcription
            from garant.analyses.transcription.backends import Progress

            def progress(step: Progress) -> None:
                report(
                    tr(
                        "Transcription : {d:.0f} s sur {t:.0f} s",
                        "Transcription: {d:.0f} s of {t:.0f} s",
                        d=step.done_s,
                        t=step.total_s,
                    )
                )

            report(tr("Transcription en cours…", "Transcription running…"))
            outcome = run_transcription(
                workspace,
                source,
                use=use,
                operator=actor,
                backend=backend,  # type: ignore[arg-type]
                model=model,
                language=language,
                pseudonymisation_mode=mode,
                on_progress=progress,
            )
            return Launched(
                outcome.run_id,
                tr(
                    "Exécution {id} : {n} segments, pseudonymisés dans {f}",
                    "Run {id}: {n} segments, pseudonymised in {f}",
                    id=outcome.run_id,
                    n=len(outcome.pseudonymised.segments),
                    f=outcome.folder,
                ),
            )

        return job

    def _use(self, kind: str) -> str:
        use = _text(self, f"#{kind}-use")
        if not use:
            raise InputError(
                tr("Usage : champ vide.", "Use: empty field."),
                tr(
                    "Indiquez la clé d'un usage déclaré et approuvé (registre, F2).",
                    "Give the key of a registered, approved use (registry, F2).",
                ),
            )
        return use

    # -- the worker -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="analysis")
    def _run(self, job: Job) -> Launched | None:
        worker = get_current_worker()

        def report(text: str) -> None:
            if worker.is_cancelled:
                raise AnalysisCancelled(
                    tr("Analyse annulée par l'utilisateur.", "Analysis cancelled by the user.")
                )
            self.app.call_from_thread(self._status, text)

        launched = job(report)
        return None if worker.is_cancelled else launched

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "analysis":
            return
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.query_one("#analyses-progress").display = False
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, GarantError):
                self.garant.show_error(error)
                self._status(tr("ÉCHEC : {m}", "FAILED: {m}", m=error.message))
            else:
                self._status(tr("ÉCHEC : {m}", "FAILED: {m}", m=error))
        elif event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Launched):
            launched = event.worker.result
            self._status(tr("Fait — {s}", "Done — {s}", s=launched.summary))
            self.post_message(Navigate("runs", launched.run_id))

    def _status(self, text: str) -> None:
        self.query_one("#analyses-status", Static).update(text)


def _field(label: str, widget: Input | Select[Any]) -> ComposeResult:
    yield Label(label)
    yield widget


def _use_field(kind: str) -> ComposeResult:
    yield from _field(
        tr("Usage déclaré et approuvé (clé)", "Registered, approved use (key)"),
        Input(id=f"{kind}-use"),
    )


def _text(screen: GarantScreen, selector: str) -> str:
    return screen.query_one(selector, Input).value.strip()


def _path(screen: GarantScreen, selector: str, name: str) -> Path:
    text = _text(screen, selector)
    if not text:
        raise InputError(
            tr("{n} : champ vide.", "{n}: empty field.", n=name),
            tr("Indiquez un chemin de fichier.", "Give a file path."),
        )
    return Path(text).expanduser()


def _positive(screen: GarantScreen, selector: str, name: str) -> int:
    text = _text(screen, selector)
    if not text.isdigit() or int(text) < 1:
        raise InputError(
            tr(
                "{n} : « {v} » n'est pas un nombre entier positif.",
                "{n}: '{v}' is not a positive whole number.",
                n=name,
                v=text,
            ),
            tr("Saisissez par exemple 22.", "Enter for example 22."),
        )
    return int(text)

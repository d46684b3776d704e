"""Documents: render the charters, the Art. 30 record, the audit report, the transparency page;
each shows where it was written and its SHA-256."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, LoadingIndicator, Select, Static
from textual.worker import Worker, WorkerState

from garant.errors import GarantError
from garant.i18n import tr
from garant.tui.screens.base import GarantScreen

__all__ = ["DocumentsScreen"]

FORMATS = ("md", "html", "pdf", "docx")


class DocumentsScreen(GarantScreen):
    AUTO_FOCUS = "#documents-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "charter", "Charte", id="documents-charter"),
        Binding("i", "internal", "Guide interne", id="documents-internal", show=False),
        Binding("a", "art30", "Registre art. 30", id="documents-art30"),
        Binding("r", "report", "Rapport d'audit", id="documents-report"),
        Binding("t", "transparency", "Page de transparence", id="documents-transparency"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        with Horizontal(classes="filters"):
            yield Label(tr("Format :", "Format:"))
            yield Select(
                [(f.upper(), f) for f in FORMATS],
                value="md",
                allow_blank=False,
                id="documents-format",
            )
        yield LoadingIndicator(id="documents-progress")
        yield Static("", id="documents-status")
        yield DataTable(id="documents-table", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Documents", "Documents")
        self.query_one("#documents-progress").display = False
        self.query_one("#documents-table", DataTable).add_columns(
            tr("Document", "Document"), tr("Fichier", "File"), "SHA-256"
        )

    @property
    def format(self) -> str:
        return str(self.query_one("#documents-format", Select).value)

    def _start(self, what: str) -> None:
        self.query_one("#documents-progress").display = True
        self.query_one("#documents-status", Static).update(
            tr("⏳ Production : {w}…", "⏳ Rendering: {w}…", w=what)
        )

    def action_charter(self) -> None:
        self._start(tr("charte publique", "public charter"))
        self._produce("charter", "external", self.format)

    def action_internal(self) -> None:
        self._start(tr("guide interne", "internal guide"))
        self._produce("charter", "internal", self.format)

    def action_art30(self) -> None:
        self._start(tr("registre art. 30", "Art. 30 record"))
        self._produce("art30", "", "md")

    def action_report(self) -> None:
        chosen = self.format if self.format in ("md", "html", "pdf") else "md"
        self._start(tr("rapport d'audit", "audit report"))
        self._produce("report", "", chosen)

    def action_transparency(self) -> None:
        self._start(tr("page de transparence", "transparency page"))
        self._produce("transparency", "", "html")

    @work(thread=True, exclusive=True, group="documents")
    def _produce(self, what: str, kind: str, fmt: str) -> tuple[str, Path, str]:
        from garant.util.files import sha256_file

        if what == "charter":
            from garant.governance.charter_data import render_workspace_charter

            rendered = render_workspace_charter(self.workspace, kind, fmt)
            return f"charte {kind} ({fmt})", rendered.path, rendered.sha256
        if what == "report":
            from garant.audit.periodic_report import (
                build_period_report,
                default_period,
                export_period_report,
            )

            first, last = default_period()
            report = build_period_report(self.workspace, first, last, check_mlflow=False)
            export = export_period_report(self.workspace, report, fmt)
            return tr("rapport d'audit", "audit report"), export.path, export.sha256
        if what == "transparency":
            from garant.governance.publication import publish_register

            files = publish_register(self.workspace, None)
            return (
                tr("page de transparence", "transparency page"),
                files.html,
                sha256_file(files.html),
            )
        from garant.governance.registry_export import build_export, render_table
        from garant.store.engine import unit_of_work
        from garant.util.files import atomic_write_text

        with unit_of_work(self.workspace.engine) as session:
            text = render_table(build_export(session, "art30"), "md")
        target = self.workspace.exports_dir / "registre-art30.md"
        atomic_write_text(target, text)
        return tr("registre art. 30", "Art. 30 record"), target, sha256_file(target)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "documents" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.query_one("#documents-progress").display = False
        status = self.query_one("#documents-status", Static)
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, GarantError):
                self.garant.show_error(error)
                status.update(f"✗ {error.message}")
            else:
                status.update(f"✗ {error}")
            return
        result: Any = event.worker.result
        name, path, digest = result
        status.update(tr("✓ {n} écrit : {p}", "✓ {n} written: {p}", n=name, p=path))
        self.query_one("#documents-table", DataTable).add_row(name, str(path), digest)

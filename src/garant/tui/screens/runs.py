"""Exécutions: audited runs paged from the store, their detail, review, ledger verification."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from sqlmodel import Session
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Select, Static

from garant.audit.runs import ReviewDecision
from garant.domain.models import AuditRun
from garant.errors import GarantError
from garant.i18n import format_datetime, state_word, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.screens.confirm import ConfirmScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen
from garant.tui.widgets.runs import PagedRunsTable

__all__ = ["RunsScreen"]

STATUSES = ("finished", "refused", "failed", "started")


def _review_words(state: str) -> str:
    words = {
        "approved": tr("approuvée", "approved"),
        "rejected": tr("rejetée", "rejected"),
        "pending": tr("en attente d'une seconde relecture", "waiting for a second review"),
    }
    return words.get(state, state)


class RunsScreen(GarantScreen):
    AUTO_FOCUS = "#runs-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Relire", id="runs-review"),
        Binding("v", "verify", "Vérifier le registre", id="runs-verify"),
        Binding("c", "cancel", "Annuler", id="runs-cancel", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield Select(
            [(s.upper(), s) for s in STATUSES], prompt=tr("statut", "status"), id="runs-status"
        )
        with Horizontal():
            yield PagedRunsTable(self._fetch, id="runs-table")
            with VerticalScroll(classes="detail"):
                yield Static(id="run-detail")
        yield Static("", id="runs-progress")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Exécutions", "Runs")

    def _fetch(self, offset: int, limit: int) -> list[AuditRun]:
        from garant.audit.runs import list_runs

        chosen = self.query_one("#runs-status", Select).value
        status = None if chosen is Select.NULL else str(chosen)
        return self.in_session(lambda s: list_runs(s, status, limit=limit, offset=offset)) or []

    def reload(self) -> None:
        self.query_one(PagedRunsTable).restart()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.reload()

    def focus_ref(self, ref: str) -> None:
        table = self.query_one(PagedRunsTable)
        if ref and ref in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(ref))
            table.focus()

    def _selected(self) -> str | None:
        table = self.query_one(PagedRunsTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(key.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(str(event.row_key.value))

    def _show(self, run_id: str) -> None:
        from garant.audit.runs import disclosure_labels, get_run, run_events

        def read(session: Session) -> str:
            run = get_run(session, run_id)
            lines = [
                f"[b]{run.id}[/b] — {run.kind} · {state_word(run.status).upper()}",
                f"{tr('Usage', 'Use')} : {run.use_key or '—'} · {tr('Outil', 'Tool')} : {run.tool_key or '—'}",
                f"{tr('Opérateur', 'Operator')} : {run.operator_key or '—'} · {format_datetime(run.started_at)}",
                f"{tr('Modèle', 'Model')} : {run.model or '—'} ({run.provider or '—'}) · "
                + (tr("hors ligne", "offline") if run.offline else tr("hébergé", "hosted")),
                f"{tr('Pseudonymisé', 'Pseudonymised')} : {tr('oui', 'yes') if run.pseudonymised else tr('non', 'no')}",
                f"{tr('Politique', 'Policy')} : {run.policy_version or '—'}",
                f"{tr('Relecture', 'Review')} : {state_word(run.review_state).upper()} {run.reviewed_by} {run.review_comment}".rstrip(),
            ]
            if run.refusal_rule:
                lines.append(
                    f"{tr('Refus', 'Refusal')} : {run.refusal_rule} — {run.refusal_reason}"
                )
            if run.error:
                lines.append(f"{tr('Erreur', 'Error')} : {run.error}")
            lines.append(f"[b]{tr('Entrées (SHA-256)', 'Inputs (SHA-256)')}[/b]")
            lines += [f"  {name} {digest[:16]}…" for name, digest in run.input_hashes.items()]
            lines.append(f"[b]{tr('Sorties (SHA-256)', 'Outputs (SHA-256)')}[/b]")
            lines += [f"  {name} {digest[:16]}…" for name, digest in run.output_hashes.items()]
            for name, summary_value in run.summary.items():
                lines.append(f"{name} : {json.dumps(summary_value, ensure_ascii=False)[:120]}")
            for output, disclosure in disclosure_labels(session, run).items():
                lines.append(f"{tr('Mention', 'Label')} {output} : {disclosure.to_text()}")
            lines.append(f"[b]{tr('Registre de preuve', 'Ledger')}[/b]")
            lines += [
                f"  n° {e.seq} {e.event} {e.recorded_at[:19]}" for e in run_events(session, run.id)
            ]
            return "\n".join(lines)

        text = self.in_session(read)
        if text is not None:
            self.query_one("#run-detail", Static).update(text)

    def action_review(self) -> None:
        from garant.audit.runs import record_review

        run_id = self._selected()
        if run_id is None:
            return
        fields = [
            FieldSpec(
                "decision",
                tr("Décision", "Decision"),
                "choice",
                ((tr("approuver", "approve"), "approve"), (tr("rejeter", "reject"), "reject")),
            ),
            FieldSpec("comment", tr("Commentaire", "Comment")),
        ]

        def confirm(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            decision: ReviewDecision = (
                "approve" if values.get("decision") == "approve" else "reject"
            )
            if values.get("decision") not in ("approve", "reject"):
                self.garant.show_error(
                    GarantError(
                        tr("Choisissez approuver ou rejeter.", "Choose approve or reject."),
                        tr("Rien n'a été enregistré.", "Nothing was recorded."),
                    )
                )
                return
            comment = values.get("comment") or ""

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    return
                done = self.attempt(
                    lambda: record_review(self.workspace, run_id, self.actor, decision, comment)
                )
                if done is not None:
                    self.garant.show_done(
                        tr(
                            "Relecture enregistrée : {s}",
                            "Review recorded: {s}",
                            s=_review_words(done.review_state),
                        )
                    )
                self.reload()
                self.call_after_refresh(self.focus_ref, run_id)

            verb = tr("Approuver", "Approve") if decision == "approve" else tr("Rejeter", "Reject")
            self.app.push_screen(
                ConfirmScreen(
                    tr("{d} l'exécution {id} ?", "{d} run {id}?", d=verb, id=run_id),
                    tr(
                        "La relecture est enregistrée au registre de preuve.",
                        "The review is recorded in the ledger.",
                    ),
                ),
                confirmed,
            )

        self.app.push_screen(
            FormScreen(
                f"review:{run_id}",
                tr("Exécutions : relire {id}", "Runs: review {id}", id=run_id[:16]),
                fields,
                {},
                lambda _: "",
            ),
            confirm,
        )

    def action_verify(self) -> None:
        self.query_one("#runs-progress", Static).update(
            tr(
                "⏳ Vérification du registre de preuve… (c : annuler)",
                "⏳ Verifying the ledger… (c: cancel)",
            )
        )
        self._verify()

    @work(thread=True, exclusive=True, group="verify")
    def _verify(self) -> None:
        from garant.audit.verify import verify_workspace
        from garant.errors import GarantError

        try:
            report = verify_workspace(self.workspace, check_mlflow=False)
        except GarantError as error:
            self.app.call_from_thread(self.garant.show_error, error)
            return
        text = (
            tr(
                "✓ Registre de preuve intact : {e} événements, {o} sorties vérifiées.",
                "✓ Ledger intact: {e} events, {o} outputs checked.",
                e=report.entries,
                o=report.outputs_checked,
            )
            if report.ok
            else tr(
                "✗ Registre de preuve : {n} problème(s) — voir « garant audit verify ».",
                "✗ Ledger: {n} problem(s) — see 'garant audit verify'.",
                n=len(report.chain) + len(report.outputs),
            )
        )
        self.app.call_from_thread(self.query_one("#runs-progress", Static).update, text)

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "verify")
        self.query_one("#runs-progress", Static).update(tr("Annulé.", "Cancelled."))

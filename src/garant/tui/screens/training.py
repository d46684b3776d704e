"""Formations (AI Act Art. 4): the training log, and who has none."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from garant.domain.inputs import TrainingInput, validated
from garant.i18n import format_date, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["TrainingScreen"]


class TrainingScreen(GarantScreen):
    AUTO_FOCUS = "#training-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_training", "Nouvelle formation", id="training-new"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield Static(id="training-gaps")
        yield DataTable(id="training-table", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Formations", "Training")
        self.query_one("#training-table", DataTable).add_columns(
            tr("Personne", "Person"),
            tr("Module", "Module"),
            tr("Le", "On"),
            tr("Heures", "Hours"),
            tr("Organisme", "Provider"),
        )

    def reload(self) -> None:
        from garant.governance.training import list_training
        from garant.overview import workspace_overview

        def read(session: Session) -> tuple[list[Any], list[str]]:
            rows = [
                (
                    v.person.full_name,
                    v.record.module,
                    format_date(v.record.completed_on),
                    f"{v.record.hours:g}",
                    v.record.provider or "—",
                )
                for v in list_training(session)
            ]
            return rows, workspace_overview(session, self.workspace).untrained_operators

        found = self.in_session(read)
        if found is None:
            return
        rows, gaps = found
        self.query_one("#training-gaps", Static).update(
            tr(
                "⚠ Utilisateurs de l'IA sans formation enregistrée : {p}",
                "⚠ AI users with no training record: {p}",
                p=", ".join(gaps),
            )
            if gaps
            else tr(
                "✓ Chaque utilisateur de l'IA a une formation enregistrée.",
                "✓ Every AI user has a training record.",
            )
        )
        table = self.query_one("#training-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def focus_ref(self, ref: str) -> None:
        self.action_new_training(ref)

    def action_new_training(self, person: str = "") -> None:
        from garant.governance.training import log_training

        fields = [
            FieldSpec("person", tr("Personne *", "Person *")),
            FieldSpec("module", tr("Module *", "Module *")),
            FieldSpec("completed_on", tr("Date (JJ/MM/AAAA) *", "Date (YYYY-MM-DD) *")),
            FieldSpec("hours", tr("Heures *", "Hours *")),
            FieldSpec("provider", tr("Organisme", "Provider")),
        ]

        def submit(values: dict[str, Any]) -> str:
            data = validated(TrainingInput, values)
            with self.transaction() as session:
                log_training(session, data, self.actor)
            return tr("Formation enregistrée.", "Training logged.")

        self.app.push_screen(
            FormScreen(
                "training:new",
                tr("Formations : enregistrer une formation", "Training: log a training"),
                fields,
                {"person": person, "completed_on": date.today().strftime("%d/%m/%Y")},
                submit,
                lambda v: validated(TrainingInput, v),
            ),
            lambda _: self.reload(),
        )

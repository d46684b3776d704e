"""Contrôles AI Act / RGPD: a use's profile, its checklist item by item, notes and evidence."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Select, Static

from garant.i18n import format_date, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["ChecklistsScreen"]

ANSWER_STATUSES = ("todo", "in_progress", "done", "not_applicable")


def _answer_label(status: str) -> str:
    return {
        "todo": tr("à faire", "to do"),
        "in_progress": tr("en cours", "in progress"),
        "done": tr("fait", "done"),
        "not_applicable": tr("sans objet", "not applicable"),
    }[status]


class ChecklistsScreen(GarantScreen):
    AUTO_FOCUS = "#checklist-use"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "profile", "Profil", id="checklist-profile"),
        Binding("e", "assess", "Évaluer", id="checklist-assess"),
        Binding("a", "answer", "Répondre", id="checklist-answer"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield Select([], prompt=tr("usage", "use"), id="checklist-use")
        with Horizontal():
            yield DataTable(id="checklist-items", cursor_type="row")
            with VerticalScroll(classes="detail"):
                yield Static(id="checklist-detail")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Contrôles AI Act / RGPD", "AI Act / GDPR checks")
        self.query_one("#checklist-items", DataTable).add_columns(
            tr("Point", "Item"),
            tr("État", "State"),
            tr("Applicable dès", "Applies from"),
            tr("Titre", "Title"),
        )

    def reload(self) -> None:
        from garant.governance.uses import list_uses

        uses = self.in_session(
            lambda s: [(f"{v.use.key} — {v.use.title}", v.use.key) for v in list_uses(s)]
        )
        select = self.query_one("#checklist-use", Select)
        current = select.value
        select.set_options(uses or [])
        if current is not Select.NULL and any(key == current for _, key in uses or []):
            select.value = current

    def focus_ref(self, ref: str) -> None:
        self.query_one("#checklist-use", Select).value = ref

    @property
    def use_key(self) -> str | None:
        value = self.query_one("#checklist-use", Select).value
        return None if value is Select.NULL else str(value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "checklist-use" and self.use_key:
            self._assess(record=False)

    def action_assess(self) -> None:
        """Assess the use and record the result in the registry and the ledger."""
        self._assess(record=True)

    def _assess(self, record: bool) -> None:
        """Show the use's checklist; ``record`` writes the result back (as ``checklist status``)."""
        from datetime import date

        from garant.governance.assessments import assess_use, stored_answers, use_profile
        from garant.governance.checklists import assess, render_assessment
        from garant.governance.lookup import find_use

        key = self.use_key
        if key is None:
            self.notify(tr("Choisissez d'abord un usage.", "Choose a use first."))
            return

        def read(session: Session) -> tuple[str, list[Any]]:
            if record:
                assessment = assess_use(session, key, actor=self.actor)
            else:
                use = find_use(session, key)
                assessment = assess(
                    use_profile(session, key), stored_answers(session, use), date.today()
                )
            rows = [
                (
                    state.item.id,
                    ("✓ " if state.satisfied else "✗ ") + state.status.value,
                    format_date(state.applies_from)
                    if state.applies_from
                    else tr("en vigueur", "in force"),
                    str(state.item.title),
                )
                for state in assessment.items
            ]
            return render_assessment(assessment), rows

        found = self.in_session(read)
        if found is None:
            return
        if record:
            self.anchor_ledger()
        text, rows = found
        self.query_one("#checklist-detail", Static).update(text)
        table = self.query_one("#checklist-items", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row, key=row[0])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from garant.governance.checklists import load_catalogue

        if event.row_key.value is None:
            return
        item = load_catalogue().item(str(event.row_key.value))
        self.query_one("#checklist-detail", Static).update(
            f"[b]{item.id}[/b] {item.title}\n\n{item.question}\n\n{tr('Références', 'References')} : {item.references}"
            + (f"\n\n{item.guidance}" if item.guidance else "")
            + (
                "\n\n"
                + tr("Preuves attendues : ", "Evidence expected: ")
                + ", ".join(e.id for e in item.evidence)
                if item.evidence
                else ""
            )
        )

    def action_answer(self) -> None:
        from garant.governance.assessments import answer_item

        key = self.use_key
        table = self.query_one("#checklist-items", DataTable)
        if key is None or table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        item_id = str(row_key.value)
        fields = [
            FieldSpec(
                "status",
                tr("État", "State"),
                "choice",
                tuple((f"{_answer_label(s)} ({s})", s) for s in ANSWER_STATUSES),
            ),
            FieldSpec(
                "note", tr("Note (justification si sans objet)", "Note (why, if not applicable)")
            ),
            FieldSpec("evidence_text", tr("Preuve (texte)", "Evidence (text)")),
            FieldSpec(
                "evidence_id", tr("Preuve attendue fournie (id)", "Expected evidence provided (id)")
            ),
        ]

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                answer_item(
                    session,
                    key,
                    item_id,
                    values.get("status") or "",
                    note=values.get("note", ""),
                    evidence_text=values.get("evidence_text", ""),
                    evidence_id=values.get("evidence_id", ""),
                    actor=self.actor,
                )
            self.anchor_ledger()
            return tr("{i} enregistré.", "{i} recorded.", i=item_id)

        self.app.push_screen(
            FormScreen(
                f"answer:{key}:{item_id}",
                tr("Contrôles : {u} · {i}", "Checks: {u} · {i}", u=key, i=item_id),
                fields,
                {},
                submit,
            ),
            lambda saved: self._assess(record=False) if saved else None,
        )

    def action_profile(self) -> None:
        from garant.governance.assessments import (
            check_profile_answers,
            parse_profile_reply,
            start_checklist,
        )
        from garant.governance.checklists import PROFILE_QUESTIONS

        key = self.use_key
        if key is None:
            self.notify(tr("Choisissez d'abord un usage.", "Choose a use first."))
            return
        fields = [
            FieldSpec(q.field, q.question, "bool")
            if q.kind == "bool"
            else FieldSpec(q.field, q.question, "choice", tuple((c, c) for c in q.choices))
            if q.kind == "choice"
            else FieldSpec(
                q.field, q.question + (f" ({', '.join(q.choices)})" if q.choices else "")
            )
            for q in PROFILE_QUESTIONS
        ]

        def parsed(values: dict[str, Any]) -> dict[str, Any]:
            answers: dict[str, Any] = {}
            for question in PROFILE_QUESTIONS:
                raw = values.get(question.field)
                answers[question.field] = (
                    raw
                    if question.kind == "bool"
                    else parse_profile_reply(question, str(raw or ""))
                )
            return answers

        def check(values: dict[str, Any]) -> None:
            check_profile_answers(parsed(values), tr("profil", "profile"))

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                start_checklist(session, key, parsed(values), self.actor)
            self.anchor_ledger()
            return tr("Profil enregistré pour {u}.", "Profile recorded for {u}.", u=key)

        self.app.push_screen(
            FormScreen(
                f"profile:{key}",
                tr("Contrôles : profil de {u}", "Checks: profile of {u}", u=key),
                fields,
                {},
                submit,
                check,
            ),
            lambda saved: self._assess(record=False) if saved else None,
        )

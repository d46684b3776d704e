"""Arbitrages: open a request, decide it with a rationale, search past decisions."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from garant.domain.models import ArbitrationRequest
from garant.i18n import format_datetime, state_word, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["ArbitrationsScreen"]


class ArbitrationsScreen(GarantScreen):
    AUTO_FOCUS = "#arbitration-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_request", "Nouvelle demande", id="arbitration-new"),
        Binding("d", "decide", "Décider", id="arbitration-decide"),
        Binding("slash", "search", "Chercher", id="arbitration-search"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        yield Input(
            placeholder=tr(
                "chercher dans les questions et décisions…", "search questions and decisions…"
            ),
            id="arbitration-query",
        )
        with Horizontal():
            yield DataTable(id="arbitration-table", cursor_type="row")
            with VerticalScroll(classes="detail"):
                yield Static(id="arbitration-detail")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Arbitrages", "Arbitrations")
        self.query_one("#arbitration-table", DataTable).add_columns(
            "n°", tr("Statut", "Status"), "Question", tr("Décision", "Decision")
        )

    def reload(self) -> None:
        from garant.governance.arbitration import list_arbitrations

        words = self.query_one("#arbitration-query", Input).value.lower().split()

        def matches(request: ArbitrationRequest) -> bool:
            text = f"{request.question} {request.decision} {request.rationale}".lower()
            return all(word in text for word in words)

        rows = self.in_session(
            lambda s: [
                (str(r.id), state_word(r.status).upper(), r.question[:50], r.decision[:40] or "—")
                for r in list_arbitrations(s)
                if matches(r)
            ]
        )
        table = self.query_one("#arbitration-table", DataTable)
        table.clear()
        for row in rows or []:
            table.add_row(*row, key=row[0])

    def on_input_changed(self, _: Input.Changed) -> None:
        self.reload()

    def focus_ref(self, ref: str) -> None:
        table = self.query_one("#arbitration-table", DataTable)
        if ref in {str(k.value) for k in table.rows}:
            table.move_cursor(row=table.get_row_index(ref))
            table.focus()

    def _selected(self) -> int | None:
        table = self.query_one("#arbitration-table", DataTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(key.value))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from garant.domain.models import Person
        from garant.governance.arbitration import get_arbitration

        if event.row_key.value is None:
            return

        def read(session: Session) -> str:
            r = get_arbitration(session, int(str(event.row_key.value)))
            asker = session.get(Person, r.asked_by_id)
            decider = session.get(Person, r.decided_by_id) if r.decided_by_id else None
            lines = [
                f"[b]n° {r.id}[/b] — {state_word(r.status).upper()}",
                f"{tr('Question', 'Question')} : {r.question}",
                f"{tr('Posée par', 'Asked by')} : {asker.full_name if asker else '—'} ({format_datetime(r.created_at)})",
            ]
            if r.decision:
                lines += [
                    f"{tr('Décision', 'Decision')} : {r.decision}",
                    f"{tr('Motifs', 'Rationale')} : {r.rationale or '—'}",
                    f"{tr('Par', 'By')} : {decider.full_name if decider else '—'} ({format_datetime(r.decided_at) if r.decided_at else '—'})",
                ]
            return "\n".join(lines)

        text = self.in_session(read)
        if text is not None:
            self.query_one("#arbitration-detail", Static).update(text)

    def action_search(self) -> None:
        self.query_one("#arbitration-query", Input).focus()

    def action_new_request(self) -> None:
        from garant.governance.arbitration import open_arbitration

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                request = open_arbitration(
                    session,
                    values.get("question", ""),
                    values.get("asked_by") or self.actor,
                    self.actor,
                    values.get("assigned_to") or None,
                    values.get("use") or None,
                    values.get("tool") or None,
                )
            return tr("Demande n° {id} ouverte.", "Request #{id} opened.", id=request.id)

        fields = [
            FieldSpec("question", "Question *"),
            FieldSpec(
                "asked_by", tr("Posée par (personne)", "Asked by (person)"), placeholder=self.actor
            ),
            FieldSpec("assigned_to", tr("Confiée à (personne)", "Assigned to (person)")),
            FieldSpec("use", tr("Usage concerné (clé)", "Use concerned (key)")),
            FieldSpec("tool", tr("Outil concerné (clé)", "Tool concerned (key)")),
        ]
        self.app.push_screen(
            FormScreen(
                "arbitration:new",
                tr("Arbitrages : ouvrir une demande", "Arbitrations: open a request"),
                fields,
                {},
                submit,
            ),
            lambda _: self.reload(),
        )

    def action_decide(self) -> None:
        from garant.governance.arbitration import decide_arbitration

        request_id = self._selected()
        if request_id is None:
            return

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                decide_arbitration(
                    session,
                    request_id,
                    values.get("decision") or "",
                    values.get("rationale", ""),
                    self.actor,
                    self.actor,
                )
            return tr("Demande n° {id} décidée.", "Request #{id} decided.", id=request_id)

        fields = [
            FieldSpec("decision", tr("Décision *", "Decision *")),
            FieldSpec("rationale", tr("Motifs", "Rationale")),
        ]
        self.app.push_screen(
            FormScreen(
                f"arbitration:{request_id}",
                tr("Arbitrages : décider n° {id}", "Arbitrations: decide #{id}", id=request_id),
                fields,
                {},
                submit,
            ),
            lambda _: self.reload(),
        )

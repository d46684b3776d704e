"""Personnes et rôles: people, their roles (assign, end) and edits of their fields."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable

from garant.domain.enums import RoleName, label
from garant.domain.inputs import PersonInput, RoleInput, validated
from garant.i18n import format_date, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.screens.confirm import ConfirmScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["PeopleScreen"]


def _person_fields() -> list[FieldSpec]:
    return [
        FieldSpec("full_name", tr("Nom complet *", "Full name *")),
        FieldSpec("email", "E-mail"),
        FieldSpec("job_title", tr("Fonction", "Job title")),
    ]


class PeopleScreen(GarantScreen):
    AUTO_FOCUS = "#people-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_person", "Nouvelle personne", id="people-new"),
        Binding("e", "edit_person", "Modifier", id="people-edit"),
        Binding("g", "assign_role", "Attribuer un rôle", id="people-assign"),
        Binding("x", "end_role", "Fin du rôle", id="people-end-role"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        with Horizontal():
            yield DataTable(id="people-table", cursor_type="row")
            yield DataTable(id="roles-table", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Personnes et rôles", "People and roles")
        self.query_one("#people-table", DataTable).add_columns(
            tr("Clé", "Key"), tr("Nom", "Name"), "E-mail", tr("Fonction", "Title")
        )
        self.query_one("#roles-table", DataTable).add_columns(
            tr("Rôle", "Role"),
            tr("Personne", "Person"),
            tr("Du", "From"),
            tr("Au", "Until"),
            tr("Actif", "Active"),
        )

    def reload(self) -> None:
        from garant.governance.people import list_people, list_roles

        def read(session: Session) -> tuple[list[Any], list[Any]]:
            people = [
                (p.key, p.full_name, p.email or "—", p.job_title or "—")
                for p in list_people(session)
            ]
            roles = [
                (
                    str(v.assignment.id),
                    label(v.assignment.role),
                    v.person.full_name,
                    format_date(v.assignment.start_date),
                    format_date(v.assignment.end_date),
                    tr("oui", "yes") if v.active else tr("non", "no"),
                )
                for v in list_roles(session)
            ]
            return people, roles

        found = self.in_session(read)
        if found is None:
            return
        people_table = self.query_one("#people-table", DataTable)
        people_table.clear()
        for row in found[0]:
            people_table.add_row(*row, key=row[0])
        roles_table = self.query_one("#roles-table", DataTable)
        roles_table.clear()
        for row in found[1]:
            roles_table.add_row(*row[1:], key=row[0])

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(key.value)

    def action_new_person(self) -> None:
        from garant.governance.people import add_person

        def submit(values: dict[str, Any]) -> str:
            data = validated(PersonInput, values)
            with self.transaction() as session:
                person = add_person(session, data, self.actor)
            return tr(
                "Personne ajoutée : {n} (clé {k})",
                "Person added: {n} (key {k})",
                n=person.full_name,
                k=person.key,
            )

        self.app.push_screen(
            FormScreen(
                "person:new",
                tr("Personnes : ajouter une personne", "People: add a person"),
                _person_fields(),
                {},
                submit,
                lambda v: validated(PersonInput, v),
            ),
            lambda _: self.reload(),
        )

    def action_edit_person(self) -> None:
        from garant.governance.lookup import find_person
        from garant.governance.registry_edits import PERSON_FIELDS, edit_person

        key = self._selected("#people-table")
        if key is None:
            return
        initial = self.in_session(
            lambda s: {f: getattr(find_person(s, key), f) for f in PERSON_FIELDS}
        )

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                edit = edit_person(session, key, values, self.actor)
            return tr(
                "{k} : {n} champ(s) modifié(s).",
                "{k}: {n} field(s) changed.",
                k=key,
                n=len(edit.changes),
            )

        self.app.push_screen(
            FormScreen(
                f"person:{key}",
                tr("Personnes : modifier {k}", "People: edit {k}", k=key),
                _person_fields(),
                initial or {},
                submit,
                lambda v: validated(PersonInput, v),
            ),
            lambda _: self.reload(),
        )

    def action_assign_role(self) -> None:
        from datetime import date

        from garant.governance.people import assign_role

        person = self._selected("#people-table") or ""
        fields = [
            FieldSpec("person", tr("Personne *", "Person *")),
            FieldSpec(
                "role",
                tr("Rôle *", "Role *"),
                "choice",
                tuple((label(r.value), r.value) for r in RoleName),
            ),
            FieldSpec("start_date", tr("Du (JJ/MM/AAAA)", "From (YYYY-MM-DD)")),
            FieldSpec("end_date", tr("Au (facultatif)", "Until (optional)")),
            FieldSpec("scope", tr("Périmètre", "Scope")),
        ]

        def data(values: dict[str, Any]) -> RoleInput:
            cleaned = {**values, "end_date": values.get("end_date") or None}
            return validated(RoleInput, cleaned)

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                assign_role(session, data(values), self.actor)
            return tr("Rôle attribué.", "Role assigned.")

        self.app.push_screen(
            FormScreen(
                "role:new",
                tr("Personnes : attribuer un rôle", "People: assign a role"),
                fields,
                {"person": person, "start_date": date.today().strftime("%d/%m/%Y")},
                submit,
                data,
            ),
            lambda _: self.reload(),
        )

    def action_end_role(self) -> None:
        from garant.governance.registry_edits import end_role

        assignment = self._selected("#roles-table")
        if assignment is None:
            return

        def confirmed(yes: bool | None) -> None:
            if (
                yes
                and self.in_session(lambda s: end_role(s, int(assignment), self.actor)) is not None
            ):
                self.garant.show_done(tr("Rôle terminé aujourd'hui.", "Role ended today."))
            self.reload()

        self.app.push_screen(
            ConfirmScreen(
                tr("Mettre fin à ce rôle aujourd'hui ?", "End this role today?"),
                tr("L'attribution reste dans l'historique.", "The assignment stays on record."),
            ),
            confirmed,
        )

"""Registre: tools and uses — filter, create, edit, change status with a reason, retire, history."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane

from garant.domain.enums import AccessMode, ToolStatus, UseStatus, label
from garant.domain.inputs import ToolInput, validated
from garant.i18n import format_datetime, tr
from garant.tui.screens.base import GarantScreen
from garant.tui.screens.confirm import ConfirmScreen
from garant.tui.widgets.forms import FieldSpec, FormScreen

__all__ = ["RegistryScreen", "tool_fields"]


def tool_fields() -> list[FieldSpec]:
    yes_no = ((tr("oui", "yes"), "true"), (tr("non", "no"), "false"))
    return [
        FieldSpec("name", tr("Nom *", "Name *")),
        FieldSpec("vendor", tr("Fournisseur", "Vendor")),
        FieldSpec("model_family", tr("Famille de modèle", "Model family")),
        FieldSpec("model_version", tr("Version du modèle", "Model version")),
        FieldSpec(
            "access_mode",
            tr("Mode d'accès *", "Access mode *"),
            "choice",
            tuple((label(m.value), m.value) for m in AccessMode),
        ),
        FieldSpec("hosting_region", tr("Hébergement (FR, EU, US…)", "Hosting (FR, EU, US…)")),
        FieldSpec("data_leaves_eu", tr("Les données quittent l'UE", "Data leaves the EU"), "bool"),
        FieldSpec("retention_terms", tr("Conservation des données", "Data retention")),
        FieldSpec(
            "training_on_inputs",
            tr("Entraînement sur les données saisies", "Training on inputs"),
            "choice",
            yes_no,
        ),
        FieldSpec("dpa_reference", tr("Contrat / DPA", "Contract / DPA")),
        FieldSpec("model_alias", tr("Alias de modèle (garant.toml)", "Model alias (garant.toml)")),
        FieldSpec("notes", "Notes"),
    ]


def _tool_input(values: dict[str, Any]) -> ToolInput:
    """The domain's own check of a tool form (errors name the field and the fix)."""
    return validated(
        ToolInput, {k: v for k, v in values.items() if v is not None or k == "training_on_inputs"}
    )


class RegistryScreen(GarantScreen):
    AUTO_FOCUS = "#tools-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_tool", "Nouvel outil", id="registry-new-tool"),
        Binding("e", "edit_tool", "Modifier", id="registry-edit"),
        Binding("s", "change_status", "Statut", id="registry-status"),
        Binding("x", "retire", "Retirer", id="registry-retire"),
        Binding("u", "show_uses", "Outils/usages", id="registry-switch"),
        Binding("slash", "filter", "Filtrer", id="registry-filter"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_frame()
        with Horizontal(id="registry-filters", classes="filters"):
            yield Input(
                placeholder=tr(
                    "filtrer (nom, hébergement, catégorie…)", "filter (name, hosting, category…)"
                ),
                id="registry-query",
            )
            yield Select(
                [(label(s.value), s.value) for s in ToolStatus]
                + [
                    (label(s.value), s.value)
                    for s in UseStatus
                    if s.value not in {t.value for t in ToolStatus}
                ],
                prompt=tr("statut", "status"),
                id="registry-status-filter",
            )
        with Horizontal(id="registry-body"):
            with TabbedContent(id="registry-tabs"):
                with TabPane(tr("Outils", "Tools"), id="tab-tools"):
                    yield DataTable(id="tools-table", cursor_type="row", zebra_stripes=True)
                with TabPane(tr("Usages", "Uses"), id="tab-uses"):
                    yield DataTable(id="uses-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="registry-detail", classes="detail"):
                yield Static(id="registry-detail-text")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = tr("Registre", "Registry")
        tools = self.query_one("#tools-table", DataTable)
        tools.add_columns(
            tr("Clé", "Key"),
            tr("Nom", "Name"),
            tr("Accès", "Access"),
            tr("Hébergement", "Hosting"),
            tr("Statut", "Status"),
        )
        uses = self.query_one("#uses-table", DataTable)
        uses.add_columns(
            tr("Clé", "Key"),
            tr("Titre", "Title"),
            tr("Étape", "Stage"),
            tr("Données", "Data"),
            tr("Statut", "Status"),
        )

    # --- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        from garant.governance.tools import list_tools
        from garant.governance.uses import list_uses

        query = self.query_one("#registry-query", Input).value.strip().lower()
        chosen = self.query_one("#registry-status-filter", Select).value
        status = None if chosen is Select.NULL else str(chosen)

        def keep(status_value: str, *texts: str) -> bool:
            if status and status_value != status:
                return False
            return not query or any(query in text.lower() for text in texts)

        def read(session: Session) -> tuple[list[Any], list[Any]]:
            tools = [
                (
                    t.key,
                    t.name,
                    label(t.access_mode),
                    t.hosting_region or "—",
                    label(t.status).upper(),
                )
                for t in list_tools(session)
                if keep(t.status, t.key, t.name, t.access_mode, t.hosting_region, t.vendor)
            ]
            uses = [
                (
                    v.use.key,
                    v.use.title,
                    label(v.use.stage),
                    ", ".join(v.use.data_categories),
                    label(v.use.status).upper(),
                )
                for v in list_uses(session)
                if keep(v.use.status, v.use.key, v.use.title, *v.use.data_categories)
            ]
            return tools, uses

        found = self.in_session(read)
        if found is None:
            return
        for table_id, rows in zip(("#tools-table", "#uses-table"), found, strict=True):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for row in rows:
                table.add_row(*row, key=row[0])
        chosen_row = self.selected()
        if chosen_row is not None:
            self._show_detail(*chosen_row)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "registry-query":
            self.reload()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "registry-status-filter":
            self.reload()

    def action_filter(self) -> None:
        self.query_one("#registry-query", Input).focus()

    def _on_uses(self) -> bool:
        return self.query_one("#registry-tabs", TabbedContent).active == "tab-uses"

    def selected(self) -> tuple[str, str] | None:
        """('tool' | 'use', key) of the highlighted row."""
        table_id, kind = ("#uses-table", "use") if self._on_uses() else ("#tools-table", "tool")
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return kind, str(row_key.value)

    def focus_ref(self, ref: str) -> None:
        for table_id in ("#tools-table", "#uses-table"):
            table = self.query_one(table_id, DataTable)
            if ref in {str(k.value) for k in table.rows}:
                table.move_cursor(row=table.get_row_index(ref))
                table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is None:
            return
        kind = "use" if event.data_table.id == "uses-table" else "tool"
        if (kind == "use") == self._on_uses():
            self._show_detail(kind, str(event.row_key.value))

    def _show_detail(self, kind: str, key: str) -> None:
        from garant.governance.lookup import find_tool
        from garant.governance.registry_edits import registry_history
        from garant.governance.uses import get_use

        def read(session: Session) -> str:
            if kind == "tool":
                tool = find_tool(session, key)
                lines = [
                    f"[b]{tool.name}[/b] ({tool.key})",
                    f"{tr('Statut', 'Status')} : {label(tool.status).upper()}",
                    f"{tr('Fournisseur', 'Vendor')} : {tool.vendor or '—'}",
                    f"{tr('Modèle', 'Model')} : {tool.model_family} {tool.model_version}".rstrip(),
                    f"{tr('Hébergement', 'Hosting')} : {tool.hosting_region or '—'}"
                    + (tr(" (hors UE)", " (leaves EU)") if tool.data_leaves_eu else ""),
                    f"{tr('Modifié', 'Updated')} : {format_datetime(tool.updated_at)} ({tool.updated_by})",
                ]
            else:
                view = get_use(session, key)
                lines = [
                    f"[b]{view.use.title}[/b] ({view.use.key})",
                    f"{tr('Statut', 'Status')} : {label(view.use.status).upper()}",
                    f"{tr('Finalité', 'Purpose')} : {view.use.purpose}",
                    f"{tr('Outils', 'Tools')} : {', '.join(t.key for t in view.tools) or '—'}",
                    f"{tr('Responsable', 'Responsible')} : {view.responsible.full_name if view.responsible else '—'}",
                    f"{tr('Modifié', 'Updated')} : {format_datetime(view.use.updated_at)} ({view.use.updated_by})",
                ]
            history = registry_history(session, "tool" if kind == "tool" else "use", key)
            if history:
                lines.append("")
                lines.append(f"[b]{tr('Historique', 'History')}[/b]")
                for entry in history:
                    changes = "; ".join(
                        f"{name}: {before} → {after}"
                        for name, (before, after) in entry.changes.items()
                    )
                    lines.append(
                        f"{entry.recorded_at[:16]} {entry.by} — {changes}"
                        + (f" ({entry.reason})" if entry.reason else "")
                    )
            return "\n".join(lines)

        text = self.in_session(read)
        if text is not None:
            self.query_one("#registry-detail-text", Static).update(text)

    # --- actions -------------------------------------------------------------------------

    def action_show_uses(self) -> None:
        tabs = self.query_one("#registry-tabs", TabbedContent)
        tabs.active = "tab-tools" if self._on_uses() else "tab-uses"

    def action_new_tool(self) -> None:
        from garant.governance.tools import add_tool

        created: list[str] = []

        def submit(values: dict[str, Any]) -> str:
            data = _tool_input(values)
            with self.transaction() as session:
                tool = add_tool(session, data, self.actor)
            created.append(tool.key)
            return tr(
                "Outil déclaré : {n} (clé {k})",
                "Tool registered: {n} (key {k})",
                n=tool.name,
                k=tool.key,
            )

        self.app.push_screen(
            FormScreen(
                "tool:new",
                tr("Registre : ajouter un outil", "Registry: add a tool"),
                tool_fields(),
                {"access_mode": "web_app"},
                submit,
                _tool_input,
            ),
            lambda _: self._reload_on(created),
        )

    def _reload_on(self, keys: list[str]) -> None:
        """Read the store again and select what was just created (its detail shows)."""
        self.reload()
        if keys:
            self.call_after_refresh(self.focus_ref, keys[-1])

    def action_edit_tool(self) -> None:
        from garant.governance.lookup import find_tool
        from garant.governance.registry_edits import TOOL_FIELDS, edit_tool

        chosen = self.selected()
        if chosen is None or chosen[0] != "tool":
            self.notify(tr("Choisissez d'abord un outil.", "Select a tool first."))
            return
        key = chosen[1]
        initial = self.in_session(lambda s: {f: getattr(find_tool(s, key), f) for f in TOOL_FIELDS})
        if initial is None:
            return
        initial["training_on_inputs"] = (
            None
            if initial["training_on_inputs"] is None
            else str(initial["training_on_inputs"]).lower()
        )

        def submit(values: dict[str, Any]) -> str:
            with self.transaction() as session:
                edit = edit_tool(session, key, values, self.actor)
            return tr(
                "{k} : {n} champ(s) modifié(s).",
                "{k}: {n} field(s) changed.",
                k=key,
                n=len(edit.changes),
            )

        self.app.push_screen(
            FormScreen(
                f"tool:{key}",
                tr("Registre : modifier {k}", "Registry: edit {k}", k=key),
                tool_fields(),
                initial,
                submit,
                _tool_input,
            ),
            lambda _: self.reload(),
        )

    def action_change_status(self) -> None:
        from garant.governance.registry_edits import change_tool_status, change_use_status

        chosen = self.selected()
        if chosen is None:
            return
        kind, key = chosen
        vocabulary = ToolStatus if kind == "tool" else UseStatus
        fields = [
            FieldSpec(
                "status",
                tr("Nouveau statut", "New status"),
                "choice",
                tuple((label(s.value), s.value) for s in vocabulary),
            ),
            FieldSpec("reason", tr("Motif (obligatoire)", "Reason (required)")),
        ]

        def submit(values: dict[str, Any]) -> str:
            from garant.domain.inputs import parse_choice

            status = parse_choice(vocabulary, values.get("status") or "", "status")
            with self.transaction() as session:
                if kind == "tool":
                    change_tool_status(session, key, status, values.get("reason", ""), self.actor)  # type: ignore[arg-type]
                else:
                    change_use_status(session, key, status, values.get("reason", ""), self.actor)  # type: ignore[arg-type]
            return tr("Statut de {k} : {s}", "Status of {k}: {s}", k=key, s=label(status.value))

        self.app.push_screen(
            FormScreen(
                f"status:{kind}:{key}",
                tr("Registre : changer le statut de {k}", "Registry: change status of {k}", k=key),
                fields,
                {},
                submit,
            ),
            lambda _: self.reload(),
        )

    def action_retire(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        kind, key = chosen
        fields = [
            FieldSpec(
                "reason", tr("Motif du retrait (obligatoire)", "Reason for retiring (required)")
            )
        ]

        def confirm(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.app.push_screen(
                ConfirmScreen(
                    tr("Retirer {k} ?", "Retire {k}?", k=key),
                    tr(
                        "Le statut passe à « retiré » ; l'entrée et son historique sont conservés.",
                        "Status becomes 'retired'; the entry and its history are kept.",
                    ),
                ),
                lambda yes: self._retire(kind, key, values.get("reason") or "") if yes else None,
            )

        self.app.push_screen(
            FormScreen(
                f"retire:{kind}:{key}",
                tr("Registre : retirer {k}", "Registry: retire {k}", k=key),
                fields,
                {},
                lambda _: "",
            ),
            confirm,
        )

    def _retire(self, kind: str, key: str, reason: str) -> None:
        from garant.governance.registry_edits import retire_tool, retire_use

        retire = retire_tool if kind == "tool" else retire_use
        if self.in_session(lambda s: retire(s, key, reason, self.actor)) is not None:
            self.garant.show_done(tr("{k} retiré.", "{k} retired.", k=key))
        self.reload()

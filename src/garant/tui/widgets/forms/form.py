"""A modal form: fields, inline validation by the domain, drafts kept when the user leaves."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from garant.errors import GarantError
from garant.i18n import tr
from garant.tui.keymap import translate_bindings

if TYPE_CHECKING:
    from garant.tui.app import GarantApp

__all__ = ["FieldSpec", "FormScreen"]

_FIELD_IN_MESSAGE = re.compile(r"[«'] ?([a-z_]+)(?:\.[0-9a-z_]+)? ?[»']")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its service name, its label, and how it is typed."""

    name: str
    label: str
    kind: Literal["text", "choice", "bool"] = "text"
    choices: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs for a choice."""
    placeholder: str = ""


def field_named_in(message: str) -> str | None:
    """The field a domain error message names (« access_mode » / 'access_mode'), if any."""
    found = _FIELD_IN_MESSAGE.search(message)
    return found.group(1) if found else None


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """Edits ``fields``; ``check`` validates on each change, ``submit`` saves (both may raise
    GarantError, shown under the form and beside the field it names)."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: round $accent;
        background: $surface; padding: 0 1; }
    FormScreen .field-label { margin-top: 1; }
    FormScreen .field-label.-invalid { text-style: bold reverse; }
    FormScreen #form-error { margin-top: 1; text-style: bold; }
    FormScreen .buttons { height: auto; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Enregistrer", id="form-save"),
        Binding("escape", "leave", "Fermer", id="form-close"),
    ]

    def __init__(
        self,
        form_id: str,
        title: str,
        fields: list[FieldSpec],
        initial: Mapping[str, Any],
        submit: Callable[[dict[str, Any]], str],
        check: Callable[[dict[str, Any]], object] | None = None,
    ) -> None:
        super().__init__()
        self.form_id = form_id
        self.form_title = title
        self.fields = fields
        self.initial = dict(initial)
        self.submit = submit
        self.check = check
        self.restored = False
        self.ready = False
        translate_bindings(self)
        """Validation starts once the form is shown (not on the initial values)."""

    @property
    def garant(self) -> GarantApp:
        from garant.tui.app import GarantApp

        assert isinstance(self.app, GarantApp)
        return self.app

    def compose(self) -> ComposeResult:
        draft = self.garant.drafts.get(self.form_id)
        values = {**self.initial, **(draft or {})}
        self.restored = draft is not None
        with VerticalScroll():
            yield Static(f"[b]{self.form_title}[/b]", id="form-title")
            for spec in self.fields:
                yield Label(spec.label, classes="field-label", id=f"label-{spec.name}")
                yield self._widget(spec, values.get(spec.name))
            yield Static("", id="form-error")
            with Horizontal(classes="buttons"):
                yield Button(
                    tr("Enregistrer (Ctrl+S)", "Save (Ctrl+S)"), id="save", variant="primary"
                )
                yield Button(tr("Fermer (Échap)", "Close (Esc)"), id="close")
        yield Footer()

    def on_mount(self) -> None:
        first = self.query(".field").first()
        first.focus()
        self.call_after_refresh(self._start_checking)
        if self.restored:
            self.notify(
                tr("Brouillon restauré.", "Draft restored."), title=self.form_title, timeout=4
            )

    def _start_checking(self) -> None:
        self.ready = True
        if self.restored:
            self._validate()

    def _widget(self, spec: FieldSpec, value: Any) -> Input | Select[str] | Checkbox:
        if spec.kind == "bool":
            return Checkbox(spec.label, bool(value), id=f"field-{spec.name}", classes="field")
        if spec.kind == "choice":
            current = "" if value is None else str(value)
            known = {v for _, v in spec.choices}
            return Select(
                list(spec.choices),
                value=current if current in known else Select.NULL,
                prompt=tr("choisir…", "choose…"),
                id=f"field-{spec.name}",
                classes="field",
                allow_blank=True,
            )
        text = (
            ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        )
        return Input(text, placeholder=spec.placeholder, id=f"field-{spec.name}", classes="field")

    def values(self) -> dict[str, Any]:
        """The form's current values, typed as the services expect them."""
        result: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Checkbox):
                result[spec.name] = widget.value
            elif isinstance(widget, Select):
                chosen = widget.value
                result[spec.name] = None if chosen in (Select.NULL, "") else chosen
            elif isinstance(widget, Input):
                result[spec.name] = widget.value
        return result

    def _show(self, error: GarantError | None) -> None:
        for label in self.query(".field-label"):
            label.remove_class("-invalid")
            spec_name = (label.id or "").removeprefix("label-")
            spec = next((s for s in self.fields if s.name == spec_name), None)
            if spec is not None:
                label.update(spec.label)  # type: ignore[attr-defined]
        message = self.query_one("#form-error", Static)
        if error is None:
            message.update("")
            return
        message.update(f"⚠ {error.message}" + (f"\n→ {error.hint}" if error.hint else ""))
        named = field_named_in(error.message)
        if named and self.query(f"#label-{named}"):
            label = self.query_one(f"#label-{named}", Label)
            label.add_class("-invalid")
            spec = next(s for s in self.fields if s.name == named)
            label.update(f"⚠ {spec.label}")

    def _validate(self) -> bool:
        if self.check is None or not self.ready:
            return True
        try:
            self.check(self.values())
        except GarantError as error:
            self._show(error)
            return False
        self._show(None)
        return True

    def on_input_changed(self, _: Input.Changed) -> None:
        self._validate()

    def on_select_changed(self, _: Select.Changed) -> None:
        self._validate()

    def on_checkbox_changed(self, _: Checkbox.Changed) -> None:
        self._validate()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_leave()

    def action_save(self) -> None:
        values = self.values()
        try:
            done = self.submit(values)
        except GarantError as error:
            self._show(error)
            return
        self.garant.drafts.pop(self.form_id, None)
        if done:
            self.garant.show_done(done)
        self.dismiss(values)

    def action_leave(self) -> None:
        """Leave without saving: what was typed is kept as a draft for next time."""
        values = self.values()
        unchanged = all(
            _same(values.get(spec.name), self.initial.get(spec.name)) for spec in self.fields
        )
        if unchanged:
            self.garant.drafts.pop(self.form_id, None)
        else:
            self.garant.drafts[self.form_id] = values
            self.notify(tr("Brouillon conservé.", "Draft kept."), title=self.form_title)
        self.dismiss(None)


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return "" if value is None else value

    return bool(norm(a) == norm(b))

"""Confirmation before an irreversible action (approve, publish, reject, retire)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from garant.i18n import tr
from garant.tui.keymap import translate_bindings

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Asks « Confirmer ? » with the consequence spelled out; Escape answers no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Annuler", id="confirm-cancel"),
        Binding("y,o", "answer(True)", "Confirmer", id="confirm-yes", show=False),
    ]

    def __init__(self, question: str, consequence: str = "") -> None:
        super().__init__()
        self.question = question
        self.consequence = consequence
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Label(self.question, id="confirm-question")
            if self.consequence:
                yield Label(self.consequence, id="confirm-consequence")
            with Horizontal(classes="buttons"):
                yield Button(tr("Confirmer (o)", "Confirm (y)"), id="yes", variant="warning")
                yield Button(tr("Annuler (Échap)", "Cancel (Esc)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

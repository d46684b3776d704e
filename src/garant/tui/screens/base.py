"""What every garant screen shares: the workspace, one transaction per action, refusals shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from garant.errors import GarantError
from garant.tui.keymap import translate_bindings
from garant.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from garant.tui.app import GarantApp

__all__ = ["GarantScreen"]

Result = TypeVar("Result")


class GarantScreen(Screen[None]):
    """A top-level screen (one mode of the app) with the header and the footer of bindings."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def garant(self) -> GarantApp:
        from garant.tui.app import GarantApp

        assert isinstance(self.app, GarantApp)
        return self.app

    @property
    def workspace(self) -> Workspace:
        return self.garant.workspace

    @property
    def actor(self) -> str:
        return self.garant.actor

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work for one user action (the caller's service call commits with it)."""
        from garant.store.engine import unit_of_work

        with unit_of_work(self.workspace.engine) as session:
            yield session

    def attempt(self, action: Callable[[], Result]) -> Result | None:
        """Run a service call; a GarantError is shown (message and fix) and None returned."""
        try:
            return action()
        except GarantError as error:
            self.garant.show_error(error)
            return None

    def in_session(self, action: Callable[[Session], Result]) -> Result | None:
        """``attempt`` inside one transaction: a refusal rolls everything back."""

        def run() -> Result:
            with self.transaction() as session:
                return action(session)

        return self.attempt(run)

    def anchor_ledger(self) -> None:
        """After a commit that appended ledger events: move the anchor beside the store."""
        from garant.audit.ledger import write_head

        write_head(self.workspace.engine, self.workspace.ledger_anchor)

    def compose_frame(self) -> ComposeResult:
        yield Header()

    def compose_footer(self) -> ComposeResult:
        yield Footer()

    def reload(self) -> None:
        """Read the store again (called when the screen is shown and after each change)."""

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        """Below 90 columns the detail pane goes under the list (see app.tcss)."""
        self.set_class(event.size.width < 90, "-narrow")

    def _noop(self, *_: Any) -> None:
        return None

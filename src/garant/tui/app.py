"""The Textual app: wiring only (modes, bindings, palette, keymap). Screens live in ``screens/``."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, ClassVar, cast

from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen

from garant.errors import GarantError
from garant.i18n import set_language, tr
from garant.tui.commands import GarantCommands
from garant.tui.keymap import app_bindings, translate_bindings
from garant.tui.messages import Navigate, Refused
from garant.workspace import Workspace

__all__ = ["GarantApp", "make_app"]


SCREENS: dict[str, tuple[str, str]] = {
    "dashboard": ("dashboard", "DashboardScreen"),
    "registry": ("registry", "RegistryScreen"),
    "policy": ("policy", "PolicyScreen"),
    "checklists": ("checklists", "ChecklistsScreen"),
    "people": ("people", "PeopleScreen"),
    "training": ("training", "TrainingScreen"),
    "arbitrations": ("arbitrations", "ArbitrationsScreen"),
    "runs": ("runs", "RunsScreen"),
    "analyses": ("analyses", "AnalysesScreen"),
    "documents": ("documents", "DocumentsScreen"),
}
"""Mode → (module in garant.tui.screens, class): each screen is imported when first shown."""


def _factory(module: str, name: str) -> Callable[[], Screen[Any]]:
    def build() -> Screen[Any]:
        screen_class = getattr(import_module(f"garant.tui.screens.{module}"), name)
        return cast("Screen[Any]", screen_class())

    return build


class GarantApp(App[None]):
    """The AI referent's workplace on one workspace."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {GarantCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    DEFAULT_MODE = "dashboard"
    """The first screen is built straight into its mode (no blank default screen before it)."""
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()  # type: ignore[assignment]

    def __init__(
        self,
        workspace: Workspace,
        *,
        actor: str | None = None,
        keymap: dict[str, str] | None = None,
        plain: bool = False,
    ) -> None:
        self.workspace = workspace
        self.plain = plain
        """Plain mode (screen readers, simple terminals): the terminal's own colours, ASCII
        borders, no animation, progress told in words; states are always words, never only a
        colour."""
        self.actor = actor or workspace.actor
        """Who acts: recorded as author of every change made here."""
        self.drafts: dict[str, dict[str, Any]] = {}
        """Unsaved forms by form id, restored when the form opens again."""
        super().__init__()
        self.mode_names = tuple(SCREENS)
        for mode, (module, name) in SCREENS.items():
            self.add_mode(mode, _factory(module, name))
        self._user_keymap = dict(keymap or {})
        translate_bindings(self)
        self.title = f"garant — {workspace.settings.organisation_name}"
        self.sub_title = tr("agissant : {a}", "acting: {a}", a=self.actor)
        if plain:
            self.animation_level = "none"
            self.theme = "ansi-dark"
            self.add_class("-plain")

    def on_mount(self) -> None:
        if self._user_keymap:
            self.set_keymap(self._user_keymap)

    async def action_open(self, mode: str) -> None:
        """Show the screen of ``mode`` (its state, drafts included, is kept)."""
        if mode in self.mode_names:
            await self.switch_mode(mode)

    async def run_screen_action(self, mode: str, action: str) -> None:
        """Open ``mode`` and run one of its actions (used by the command palette)."""
        await self.switch_mode(mode)
        await self.run_action(action, self.screen)

    async def on_navigate(self, message: Navigate) -> None:
        await self.switch_mode(message.mode)
        focus = getattr(self.screen, "focus_ref", None)
        if message.ref and callable(focus):
            focus(message.ref)

    def on_refused(self, message: Refused) -> None:
        self.show_error(GarantError(message.message, message.hint))

    def show_error(self, error: GarantError) -> None:
        """A refusal or a bad input: the domain's message and its fix, never only a colour."""
        text = error.message + (f"\n→ {error.hint}" if error.hint else "")
        self.notify(text, title=tr("Refusé", "Refused"), severity="error", timeout=10)

    def show_done(self, text: str) -> None:
        self.notify(text, title=tr("Fait", "Done"), timeout=5)


def make_app(
    workspace: Workspace,
    *,
    actor: str | None = None,
    language: str | None = None,
    keymap: dict[str, str] | None = None,
    plain: bool | None = None,
) -> GarantApp:
    """Build the TUI on ``workspace`` — the one factory the CLI and the tests use.

    ``language`` defaults to the workspace setting; ``keymap`` (binding id → keys) to
    ``[tui.keymap]`` of garant.toml; ``plain`` to ``[tui] plain``.
    """
    chosen = language or workspace.settings.language
    set_language("en" if chosen == "en" else "fr")
    return GarantApp(
        workspace,
        actor=actor,
        keymap=keymap if keymap is not None else workspace.settings.tui.keymap,
        plain=plain or workspace.settings.tui.plain,
    )

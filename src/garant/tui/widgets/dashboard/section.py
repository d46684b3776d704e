"""One dashboard section: a heading with a count and items that each open a screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from garant.tui.messages import Navigate

__all__ = ["Section"]


class Section(Vertical):
    """Items are (text, mode, ref); choosing one posts :class:`Navigate` to resolve it."""

    DEFAULT_CSS = """
    Section { height: auto; margin-bottom: 1; }
    Section > Label { text-style: bold; }
    Section > OptionList { height: auto; max-height: 8; border: none; padding: 0; }
    """

    def __init__(self, title: str, items: list[tuple[str, str, str]], empty: str, **kw: str):
        super().__init__(**kw)  # type: ignore[arg-type]
        self.title = title
        self.items = items
        self.empty = empty

    def compose(self) -> ComposeResult:
        yield Label(self.title)
        if not self.items:
            yield Label(f"  ✓ {self.empty}", classes="empty")
            return
        yield OptionList(
            *[
                Option(f"▸ {text}", id=f"{mode}|{ref}|{i}")
                for i, (text, mode, ref) in enumerate(self.items)
            ]
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        mode, ref, _ = (event.option.id or "||").split("|", 2)
        self.post_message(Navigate(mode, ref))

"""What needs attention, in one keyboard list: a heading per block, then its items; choosing an
item posts :class:`Navigate` to the screen that resolves it.

One list (not a widget per block) keeps the dashboard to one tab stop and one layout pass, which
is most of its time to first screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from garant.tui.messages import Navigate

__all__ = ["AttentionList", "Block", "Item"]


@dataclass(frozen=True)
class Item:
    text: str
    mode: str
    """The screen that resolves it."""
    ref: str = ""
    """What to select there (a run id, a use key…)."""


@dataclass(frozen=True)
class Block:
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    """Said (with ✓) when there is no item; nothing is said when empty is blank."""


class AttentionList(OptionList):
    DEFAULT_CSS = """
    AttentionList { height: 1fr; border: none; padding: 0 1; }
    AttentionList > .option-list--option-disabled { color: $text; }
    """

    def __init__(self, *, plain: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plain = plain
        self._targets: dict[str, Item] = {}

    def show(self, blocks: list[Block]) -> None:
        """Replace the content, keeping the highlighted item when it is still there."""
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        marker, done = ("-", "OK :") if self.plain else ("▸", "✓")
        options: list[Option] = []
        self._targets = {}
        for number, block in enumerate(blocks):
            options.append(Option(Text(block.title, style="bold"), disabled=True))
            for index, item in enumerate(block.items):
                key = f"{number}.{index}"
                self._targets[key] = item
                options.append(Option(f"  {marker} {item.text}", id=key))
            if not block.items and block.empty:
                options.append(Option(f"  {done} {block.empty}", disabled=True))
        self.set_options(options)
        ids = [option.id for option in options]
        if kept in ids:
            self.highlighted = ids.index(kept)

    def target(self, option_id: str | None) -> Item | None:
        return self._targets.get(option_id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.target(event.option.id)
        if item is not None:
            self.post_message(Navigate(item.mode, item.ref))

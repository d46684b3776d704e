"""Dashboard widgets."""

from garant.tui.widgets.dashboard.attention_list import AttentionList, Block, Item

__all__ = ["AttentionList", "Block", "Item"]

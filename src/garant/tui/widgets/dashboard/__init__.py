"""Dashboard widgets."""

from garant.tui.widgets.dashboard.section import Section

__all__ = ["Section"]

"""Runs widgets."""

from garant.tui.widgets.runs.paged_table import PagedRunsTable

__all__ = ["PagedRunsTable"]

"""A runs table that pages from the store: it holds only the pages the user scrolled to."""

from __future__ import annotations

from collections.abc import Callable

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from garant.domain.models import AuditRun
from garant.i18n import format_datetime, state_word

__all__ = ["PAGE_SIZE", "PagedRunsTable"]

PAGE_SIZE = 200


class PagedRunsTable(DataTable[str]):
    """Loads ``PAGE_SIZE`` runs at a time; the next page when the cursor nears the end.

    DataTable renders only the visible lines, so scrolling stays smooth however many pages are
    loaded; reading pages lazily keeps the first paint and memory small on 10,000 runs.
    """

    def __init__(self, fetch: Callable[[int, int], list[AuditRun]], **kwargs: str) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.fetch = fetch
        self.loaded = 0
        self.exhausted = False
        self._loading = False

    def on_mount(self) -> None:
        self.add_columns("id", "statut", "relecture", "type", "usage", "début", "opérateur")

    def restart(self) -> None:
        self.clear()
        self.loaded = 0
        self.exhausted = False
        self.load_page()

    def load_page(self) -> None:
        if self.exhausted or self._loading:
            return
        self._loading = True
        try:
            self._append(self.fetch(self.loaded, PAGE_SIZE))
        finally:
            self._loading = False

    def _append(self, runs: list[AuditRun]) -> None:
        for run in runs:
            self.add_row(
                run.id[:16],
                state_word(run.status).upper(),
                state_word(run.review_state).upper(),
                run.kind,
                run.use_key or "—",
                format_datetime(run.started_at),
                run.operator_key or "—",
                key=run.id,
            )
        self.loaded += len(runs)
        self.exhausted = len(runs) < PAGE_SIZE

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.loaded and new.row >= self.loaded - 20:
            self.load_page()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.loaded and new >= self.max_scroll_y - self.size.height:
            self.load_page()

"""Fixtures of the TUI tests (the seed lives in tui_support)."""

from __future__ import annotations

from tui_support import workspace

__all__ = ["workspace"]

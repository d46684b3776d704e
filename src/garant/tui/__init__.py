"""garant's terminal interface (Textual): the AI referent's workplace over the service layer.

Only this package imports Textual. ``make_app`` (in :mod:`garant.tui.app`) builds the app for the
CLI and for the tests.
"""

from __future__ import annotations

__all__: list[str] = []

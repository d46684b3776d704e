"""One error hierarchy for every expected failure.

Each error carries a user-facing ``message`` (what went wrong, naming the file, line or field)
and a ``hint`` (what to do). The CLI prints both on one or two lines to stderr and exits with
code 2; no traceback is shown for these.
"""

from __future__ import annotations

__all__ = [
    "ConflictError",
    "GarantError",
    "InputError",
    "IntegrityError",
    "NotFoundError",
    "PolicyRefusal",
    "WorkspaceError",
]


class GarantError(Exception):
    """An expected failure with a message for the user and a hint on how to fix it."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class InputError(GarantError):
    """Bad input: a malformed file, an invalid value, a missing field."""


class NotFoundError(GarantError):
    """A referenced object (person, tool, use, run…) does not exist."""


class ConflictError(GarantError):
    """The action would create a duplicate or contradict the current state."""


class WorkspaceError(GarantError):
    """No workspace found, or the workspace is not usable."""


class PolicyRefusal(GarantError):
    """The workspace policy refuses the requested action; ``rule`` names the rule."""

    def __init__(self, message: str, hint: str = "", rule: str = "") -> None:
        super().__init__(message, hint)
        self.rule = rule


class IntegrityError(GarantError):
    """Recorded evidence (ledger, hashes) does not verify."""

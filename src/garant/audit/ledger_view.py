"""Rows as the ledger says they are: what reports show instead of the database's word.

``audit verify`` replays the ledger's row events and names every field a database row holds
that the ledger does not explain. A report built on that verification shows, for each row it
uses, the values the ledger recorded (a review written by SQL ``UPDATE`` disappears, the
ledger's « en attente » comes back) and carries the findings about the row so that the
document marks them in red. Rows with no ledger origin are refused, and rows adopted at the
migration baseline are labelled as such::

    view = LedgerView(verification)
    fact = view.row(run)          # None when the row has no origin in the ledger
    fact.value.review_state, fact.flags, fact.adopted
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Column, Table

from garant.audit.row_check import RowProblem, key_text
from garant.store.evidence import canonical_value

if TYPE_CHECKING:
    from garant.audit.verify import VerificationReport

__all__ = ["LedgerView", "VerifiedRow"]

RowT = TypeVar("RowT")


@dataclass(frozen=True)
class VerifiedRow(Generic[RowT]):
    """A row with the ledger's values, and what the ledger says about the database's copy."""

    value: RowT
    """A detached copy holding the ledger's values (never added to a session)."""
    flags: tuple[str, ...]
    """Findings about this row (a field changed outside garant…), to show in red."""
    adopted: bool
    """The row comes from the migration baseline (« état adopté à la migration »)."""


class LedgerView:
    """Reads rows through one verification (built once per command)."""

    def __init__(self, verification: VerificationReport) -> None:
        self.verification = verification
        self._problems: dict[tuple[str, str], list[RowProblem]] = defaultdict(list)
        for problem in verification.rows:
            self._problems[(problem.table, problem.key)].append(problem)

    def flagged_keys(self, table: str) -> list[str]:
        """Keys of ``table``'s rows with at least one finding."""
        return [key for (name, key) in self._problems if name == table]

    def row(self, obj: RowT) -> VerifiedRow[RowT] | None:
        """``obj`` with the ledger's values, or None if the ledger never recorded it."""
        table: Table = obj.__table__  # type: ignore[attr-defined]
        key = key_text(
            {
                column.name: canonical_value(getattr(obj, column.name))
                for column in table.primary_key
            }
        )
        problems = self._problems.get((table.name, key), [])
        if any(problem.kind == "unrecorded" for problem in problems):
            return None
        copy = type(obj)(**{column.name: getattr(obj, column.name) for column in table.columns})
        for problem in problems:
            if problem.kind == "changed" and problem.field in table.columns:
                column = table.columns[problem.field]
                if problem.recorded is not None and str(problem.recorded).startswith("sha256:"):
                    continue  # a field recorded as its hash only: the value cannot be restored
                setattr(copy, problem.field, _python(column, problem.recorded))
        return VerifiedRow(
            value=copy,
            flags=tuple(problem.message for problem in problems),
            adopted=self.verification.adopted_at_migration_row(table.name, key),
        )

    def rows(self, objects: list[RowT]) -> list[VerifiedRow[RowT]]:
        """The rows the ledger recorded, with its values; rows it never recorded are left out
        (they are named among the verification's findings)."""
        verified = (self.row(obj) for obj in objects)
        return [row for row in verified if row is not None]


def _python(column: Column[Any], value: Any) -> Any:
    """A canonical (JSON) value read back as the column's Python type."""
    if value is None:
        return None
    python_type: type | None = None
    for kind in (column.type, getattr(column.type, "impl", None)):
        try:
            python_type = kind.python_type if kind is not None else None
        except NotImplementedError:
            continue
        break
    if python_type is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if python_type is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value

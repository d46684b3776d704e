"""Replay the ledger's row events and compare the result with the database, row by row.

The store writes one ledger event per change to a protected table with the row's full values
(:mod:`garant.store.evidence`). Replaying those events gives what every row must hold now; any
difference is a change made behind garant's back (an SQL ``UPDATE``, ``INSERT`` or ``DELETE``),
reported by table, key and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Table, inspect, select

from garant.audit.ledger import ROW_EVENTS
from garant.domain.models import LedgerEntry
from garant.i18n import tr
from garant.store.evidence import canonical_row, protected_tables

__all__ = ["ReplayedState", "RowProblem", "check_rows", "key_text", "replay_rows"]

RowProblemKind = Literal["changed", "unrecorded", "deleted", "unrecorded_field"]


@dataclass(frozen=True)
class RowProblem:
    """A database row (or one of its fields) that the ledger does not explain."""

    kind: RowProblemKind
    table: str
    key: str
    field: str
    message: str
    recorded: Any = None
    found: Any = None


@dataclass
class ReplayedState:
    """What the ledger says every protected row holds: values (None once deleted), origin."""

    rows: dict[str, dict[str, dict[str, Any] | None]] = field(default_factory=dict)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(table, key) -> event`` that first recorded the row: ``row_insert`` or ``baseline``."""
    last_seq: dict[tuple[str, str], int] = field(default_factory=dict)

    def values(self, table: str, key: str) -> dict[str, Any] | None:
        return self.rows.get(table, {}).get(key)


def key_text(key: dict[str, Any]) -> str:
    """``id=5`` (or ``a=1,b=x`` for a composite key): how findings name a row."""
    return ",".join(f"{name}={key[name]}" for name in sorted(key))


def replay_rows(entries: Iterable[LedgerEntry], untrusted: set[int]) -> ReplayedState:
    """Apply every trusted row event in order."""
    state = ReplayedState()
    for entry in entries:
        if entry.event not in ROW_EVENTS or entry.seq in untrusted:
            continue
        try:
            payload = json.loads(entry.payload)
            table, key = str(payload["table"]), key_text(payload["key"])
        except (ValueError, KeyError, TypeError):
            continue
        rows = state.rows.setdefault(table, {})
        if entry.event == "row_delete":
            rows[key] = None
        else:
            rows[key] = dict(payload.get("values") or {})
            state.origin.setdefault((table, key), entry.event)
            if entry.event == "row_insert" and state.origin[(table, key)] != "baseline":
                state.origin[(table, key)] = "row_insert"
        state.last_seq[(table, key)] = entry.seq
    return state


def check_rows(
    connection: Connection, state: ReplayedState, tables: Sequence[Table] | None = None
) -> tuple[list[RowProblem], int]:
    """Compare every protected table with the replayed ledger; returns problems and rows read."""
    problems: list[RowProblem] = []
    checked = 0
    inspector = inspect(connection)
    for table in tables if tables is not None else protected_tables():
        if not inspector.has_table(table.name):
            continue
        pk = [column.name for column in table.primary_key.columns]
        recorded = state.rows.get(table.name, {})
        seen: set[str] = set()
        for row in connection.execute(select(table)).mappings():
            values = canonical_row(table, row)
            key = key_text({name: values[name] for name in pk})
            seen.add(key)
            checked += 1
            problems.extend(_compare(table.name, key, recorded.get(key), key in recorded, values))
        for key, last in recorded.items():
            if last is not None and key not in seen:
                problems.append(
                    RowProblem(
                        "deleted",
                        table.name,
                        key,
                        "",
                        tr(
                            "{t} [{k}] : ligne supprimée de la base sans événement au registre.",
                            "{t} [{k}]: row deleted from the database without a ledger event.",
                            t=table.name,
                            k=key,
                        ),
                    )
                )
    return problems, checked


def _compare(
    table: str, key: str, recorded: dict[str, Any] | None, known: bool, values: dict[str, Any]
) -> list[RowProblem]:
    if recorded is None:
        return [
            RowProblem(
                "unrecorded",
                table,
                key,
                "",
                tr(
                    "{t} [{k}] : ligne sans origine au registre (insérée hors de garant)."
                    if not known
                    else "{t} [{k}] : ligne supprimée selon le registre, mais présente en base.",
                    "{t} [{k}]: row with no origin in the ledger (inserted outside garant)."
                    if not known
                    else "{t} [{k}]: row deleted according to the ledger, yet present.",
                    t=table,
                    k=key,
                ),
            )
        ]
    problems = []
    for name, found in values.items():
        if name not in recorded:
            problems.append(
                RowProblem(
                    "unrecorded_field",
                    table,
                    key,
                    name,
                    tr(
                        "{t} [{k}] champ {f} : valeur jamais consignée au registre ({v}).",
                        "{t} [{k}] field {f}: value never recorded in the ledger ({v}).",
                        t=table,
                        k=key,
                        f=name,
                        v=_short(found),
                    ),
                    None,
                    found,
                )
            )
        elif recorded[name] != found:
            problems.append(
                RowProblem(
                    "changed",
                    table,
                    key,
                    name,
                    tr(
                        "{t} [{k}] champ {f} modifié hors de garant : le registre dit {r}, "
                        "la base dit {v}.",
                        "{t} [{k}] field {f} changed outside garant: the ledger says {r}, "
                        "the database says {v}.",
                        t=table,
                        k=key,
                        f=name,
                        r=_short(recorded[name]),
                        v=_short(found),
                    ),
                    recorded[name],
                    found,
                )
            )
    return problems


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "…"

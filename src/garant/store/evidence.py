"""Every change to a protected table becomes a ledger event, written by the store itself.

A flush hook on the Session class (so every ``unit_of_work``, and any other session, is covered)
appends one chained ledger entry per inserted, updated or deleted row of a protected table. The
entry holds the row's key and the canonical values of *all* its fields after the change (read
back from the database, so they are exactly what ``garant audit verify`` will read later), the
named person who acted, the operating-system account and the host. ``audit verify`` replays
these events and compares the result with the database: an SQL ``UPDATE`` made behind garant's
back is then a named finding (table, key, field).

The named person comes from ``session.info["garant_actor"]`` (set by services that take ``by``),
else the row's ``updated_by``/``created_by`` (for runs: the reviewer or the operator), else the
workspace's actor bound to the engine. After each commit that appended entries, the anchor file
(``ledger.head``) bound to the engine is moved to the last entry.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import socket
import weakref
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction

__all__ = [
    "ACTOR_KEY",
    "HASHED_FIELDS",
    "PROTECTED_TABLES",
    "RowEvent",
    "anchor_moved",
    "bind_workspace",
    "canonical_row",
    "canonical_value",
    "is_protected",
    "note_appended",
    "os_identity",
    "protected_tables",
    "record_baseline",
    "record_rows",
    "row_key",
    "set_actor",
]

ACTOR_KEY = "garant_actor"
LAST_KEY = "garant_ledger_last"
ANCHOR_KEY = "garant_anchor_needed"
PROTECTED_TABLES: frozenset[str] = frozenset(
    {
        "organisation",
        "person",
        "roleassignment",
        "aitool",
        "aiuse",
        "aiuse_tool",
        "trainingrecord",
        "arbitrationrequest",
        "audit_run",
        "policy_version",
        "policy_acknowledgement",
        "use_assessment",
        "checklist_answer",
        "inquiry_dossier",
        "inquiry_observation",
        "inquiry_run",
    }
)
"""Tables whose every row must be explained by the ledger. A table declared elsewhere can join
with ``__table_args__ = {"info": {"garant_protected": True}}``."""

HASHED_FIELDS: dict[str, frozenset[str]] = {"audit_run": frozenset({"error"})}
"""Fields recorded as their SHA-256 only: error messages may name people, and the ledger
cannot be erased."""

RowEvent = str  # "row_insert" | "row_update" | "row_delete" | "baseline"


@dataclass(frozen=True)
class _Binding:
    anchor: Path | None
    actor: str


_BINDINGS: weakref.WeakKeyDictionary[Engine, _Binding] = weakref.WeakKeyDictionary()


def bind_workspace(engine: Engine, anchor: Path | None, actor: str) -> None:
    """Tell the hook which anchor file to move and which actor to fall back on for ``engine``."""
    _BINDINGS[engine] = _Binding(anchor, actor)


def set_actor(session: OrmSession, person: str) -> None:
    """Name the person who acts in this session (a registry key); recorded on every event."""
    session.info[ACTOR_KEY] = person


@cache
def os_identity() -> tuple[str, str]:
    """The operating-system account and the host name of this process."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "inconnu"
    return user, socket.gethostname()


def is_protected(table: Table) -> bool:
    return table.name in PROTECTED_TABLES or bool(table.info.get("garant_protected"))


def protected_tables() -> list[Table]:
    """Every protected table known to the models' metadata, in a stable order."""
    from sqlmodel import SQLModel

    import garant.domain.models
    import garant.domain.policy_models
    import garant.inquiry.models  # noqa: F401

    return [table for table in SQLModel.metadata.sorted_tables if is_protected(table)]


def canonical_value(value: Any) -> Any:
    """A JSON value that is the same whether it was read from the ORM, the DB or the ledger."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]
    return str(value)


def _hashed(value: Any) -> str:
    text = json.dumps(canonical_value(value), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_row(table: Table, row: Any) -> dict[str, Any]:
    """The canonical values of every column of ``row`` (a mapping read from ``table``)."""
    hashed = HASHED_FIELDS.get(table.name, frozenset())
    values = {}
    for column in table.columns:
        if column.name not in row:
            continue  # a column the database does not have yet (baseline during a migration)
        value = row[column.name]
        values[column.name] = _hashed(value) if column.name in hashed else canonical_value(value)
    return values


def row_key(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    return {column.name: values[column.name] for column in table.primary_key.columns}


def _actor(session: OrmSession, table: Table, values: dict[str, Any], changed: list[str]) -> str:
    named = session.info.get(ACTOR_KEY)
    if named:
        return str(named)
    if table.name == "audit_run":
        if "reviewed_by" in changed and values.get("reviewed_by"):
            return str(values["reviewed_by"])
        if values.get("operator_key"):
            return str(values["operator_key"])
    for name in ("updated_by", "created_by", "answered_by"):
        if values.get(name):
            return str(values[name])
    bind = session.bind
    binding = _BINDINGS.get(bind) if isinstance(bind, Engine) else None
    return binding.actor if binding else os_identity()[0]


def _read_back(connection: Connection, table: Table, keys: list[tuple[Any, ...]]) -> list[Any]:
    """The rows of ``table`` with these primary keys, as the database now holds them."""
    columns = list(table.primary_key.columns)
    rows: list[Any] = []
    if len(columns) == 1:
        column = columns[0]
        for start in range(0, len(keys), 500):
            chunk = [key[0] for key in keys[start : start + 500]]
            rows.extend(connection.execute(select(table).where(column.in_(chunk))).mappings().all())
        return rows
    for key in keys:
        condition = [column == value for column, value in zip(columns, key, strict=True)]
        found = connection.execute(select(table).where(*condition)).mappings().first()
        if found is not None:
            rows.append(found)
    return rows


def record_rows(
    connection: Connection,
    event_name: RowEvent,
    table: Table,
    rows: list[dict[str, Any]],
    by: str,
    *,
    tail: tuple[int, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[int, str] | None:
    """Append one ledger entry per canonical row (e.g. a baseline); returns the new tail."""
    current = tail
    for values in rows:
        current = _append(
            connection, event_name, table, row_key(table, values), values, by, None, current, extra
        )
    return current


def _append(
    connection: Connection,
    event_name: str,
    table: Table,
    key: dict[str, Any],
    values: dict[str, Any] | None,
    by: str,
    changed: list[str] | None,
    tail: tuple[int, str] | None,
    extra: dict[str, Any] | None = None,
) -> tuple[int, str]:
    from garant.store.chain import append_entry, ledger_tail

    user, host = os_identity()
    payload: dict[str, Any] = {
        "table": table.name,
        "key": key,
        "by": by,
        "os_user": user,
        "host": host,
    }
    if values is not None:
        payload["values"] = values
    if changed is not None:
        payload["changed"] = changed
    if extra:
        payload.update(extra)
    entry = append_entry(
        connection, event_name, payload, tail=tail if tail is not None else ledger_tail(connection)
    )
    return entry.seq, entry.entry_hash


def _after_flush(session: OrmSession, _context: UOWTransaction) -> None:
    inserted: dict[Table, list[Any]] = defaultdict(list)
    updated: dict[Table, list[Any]] = defaultdict(list)
    deleted: dict[Table, list[Any]] = defaultdict(list)
    for bucket, objects in ((inserted, session.new), (updated, session.dirty)):
        for obj in objects:
            table = _table_of(obj)
            if table is None:
                continue
            if bucket is updated and not session.is_modified(obj, include_collections=False):
                continue
            bucket[table].append(obj)
    for obj in session.deleted:
        table = _table_of(obj)
        if table is not None:
            deleted[table].append(obj)
    if not (inserted or updated or deleted):
        return
    connection = session.connection()
    tail: tuple[int, str] | None = session.info.get(LAST_KEY)
    for event_name, bucket in (("row_insert", inserted), ("row_update", updated)):
        for table, pending in bucket.items():
            changed_of = {
                _canonical_key(_identity(obj)): (
                    _changed_fields(obj) if event_name == "row_update" else None
                )
                for obj in pending
            }
            keys = [_identity(obj) for obj in pending]
            pk = [column.name for column in table.primary_key.columns]
            for row in _read_back(connection, table, keys):
                values = canonical_row(table, row)
                changed = changed_of.get(tuple(values[name] for name in pk))
                by = _actor(session, table, values, changed or [])
                tail = _append(
                    connection, event_name, table, row_key(table, values), values, by, changed, tail
                )
    for table, gone in deleted.items():
        pk = [column.name for column in table.primary_key.columns]
        for obj in gone:
            key = dict(zip(pk, _canonical_key(_identity(obj)), strict=True))
            by = _actor(session, table, {}, [])
            tail = _append(connection, "row_delete", table, key, None, by, None, tail)
    if tail is not None:
        session.info[LAST_KEY] = tail
        session.info[ANCHOR_KEY] = True


def _canonical_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(canonical_value(value) for value in key)


def _table_of(obj: Any) -> Table | None:
    try:
        table = inspect(obj).mapper.local_table
    except Exception:
        return None
    return table if isinstance(table, Table) and is_protected(table) else None


def _identity(obj: Any) -> tuple[Any, ...]:
    state = inspect(obj)
    if state.identity is not None:
        return tuple(state.identity)
    return tuple(getattr(obj, column.key) for column in state.mapper.primary_key)


def _changed_fields(obj: Any) -> list[str]:
    state = inspect(obj)
    return sorted(
        attribute.key
        for attribute in state.attrs
        if attribute.history.has_changes() and attribute.key in state.mapper.columns
    )


def _after_commit(session: OrmSession) -> None:
    last = session.info.pop(LAST_KEY, None)
    needed = session.info.pop(ANCHOR_KEY, False)
    if last is None or not needed or session.bind is None:
        return
    bind = session.get_bind()
    if isinstance(bind, Engine):
        anchor_moved(bind, last)


def anchor_moved(engine: Engine, last: tuple[int, str]) -> None:
    """Move the anchor bound to ``engine`` forward to ``last`` (never backwards)."""
    from garant.store.chain import read_anchor, write_anchor

    binding = _BINDINGS.get(engine)
    if binding is None or binding.anchor is None:
        return
    current = read_anchor(binding.anchor)
    if current is None or current[0] < last[0]:
        write_anchor(binding.anchor, last[0], last[1])


def _forget(session: OrmSession, *_args: Any) -> None:
    session.info.pop(LAST_KEY, None)
    session.info.pop(ANCHOR_KEY, None)


def note_appended(session: OrmSession, seq: int, entry_hash: str, *, anchor: bool = True) -> None:
    """Remember the last entry this transaction appended; the anchor moves to it on commit
    unless every entry was a run's intermediate event (``anchor=False``): an audited run moves
    the anchor itself when it starts and ends, which spares a file write per model call."""
    session.info[LAST_KEY] = (seq, entry_hash)
    if anchor:
        session.info[ANCHOR_KEY] = True


def install() -> None:
    """Register the hooks on the Session class used by garant (idempotent)."""
    from sqlmodel import Session

    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _forget)
        event.listen(Session, "after_soft_rollback", _forget)


def record_baseline(connection: Connection, reason: str, tables: list[str] | None = None) -> int:
    """Record every current row of the protected tables as a ``baseline`` event.

    Used by migrations: rows that existed before garant recorded row events (or columns a
    migration adds) are adopted as they are, labelled « state adopted at migration » so that
    reports never present them as a recorded action. Only the columns present in the database
    are read. Returns the number of rows recorded.
    """
    inspector = inspect(connection)
    user, _host = os_identity()
    tail: tuple[int, str] | None = None
    count = 0
    for table in protected_tables():
        if (tables is not None and table.name not in tables) or not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        columns = [column for column in table.columns if column.name in present]
        order = [column for column in table.primary_key.columns]
        for row in connection.execute(select(*columns).order_by(*order)).mappings():
            values = canonical_row(table, row)
            tail = _append(
                connection,
                "baseline",
                table,
                row_key(table, values),
                values,
                f"migration ({user})",
                None,
                tail,
                {"reason": reason},
            )
            count += 1
    return count

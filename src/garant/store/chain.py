"""Appending to the hash-chained ledger at the connection level.

The ledger's chain rules (what is hashed, the genesis hash) live here, below the ORM, so that
the store's own flush hook (:mod:`garant.store.evidence`), the migrations and the audit layer
(:mod:`garant.audit.ledger`) all append entries the same way, inside the caller's transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from garant.domain.models import LedgerEntry
from garant.util.files import sha256_bytes

__all__ = [
    "GENESIS_HASH",
    "append_entry",
    "canonical_json",
    "compute_entry_hash",
    "ledger_tail",
    "read_anchor",
    "write_anchor",
]

GENESIS_HASH = "0" * 64
LEDGER_TABLE = LedgerEntry.__table__  # type: ignore[attr-defined]
# Built once: SQLAlchemy then compiles each from its cache, with the values as parameters
# (a statement built with ``.values(...)`` per entry cost ~1 ms of CPU to key and compile).
_TAIL = (
    select(LEDGER_TABLE.c.seq, LEDGER_TABLE.c.entry_hash)
    .order_by(LEDGER_TABLE.c.seq.desc())
    .limit(1)
)
_INSERT = insert(LEDGER_TABLE)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def compute_entry_hash(
    seq: int, run_id: str, event: str, payload: str, recorded_at: str, prev_hash: str
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "run_id": run_id,
            "event": event,
            "payload": payload,
            "recorded_at": recorded_at,
            "prev_hash": prev_hash,
        }
    )
    return sha256_bytes(body.encode("utf-8"))


def ledger_tail(connection: Connection) -> tuple[int, str]:
    """Sequence number and hash of the last entry (0 and the genesis hash when empty)."""
    row = connection.execute(_TAIL).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def append_entry(
    connection: Connection,
    event: str,
    payload: dict[str, Any],
    run_id: str = "",
    *,
    tail: tuple[int, str] | None = None,
) -> LedgerEntry:
    """Insert one chained entry after ``tail`` (read from the table when not given)."""
    last_seq, prev_hash = tail if tail is not None else ledger_tail(connection)
    seq = last_seq + 1
    recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
    payload_text = canonical_json(payload)
    entry = LedgerEntry(
        seq=seq,
        run_id=run_id,
        event=event,
        payload=payload_text,
        recorded_at=recorded_at,
        prev_hash=prev_hash,
        entry_hash=compute_entry_hash(seq, run_id, event, payload_text, recorded_at, prev_hash),
    )
    connection.execute(
        _INSERT,
        {
            "seq": seq,
            "run_id": run_id,
            "event": event,
            "payload": payload_text,
            "recorded_at": recorded_at,
            "prev_hash": prev_hash,
            "entry_hash": entry.entry_hash,
        },
    )
    return entry


def write_anchor(path: Path, seq: int, entry_hash: str) -> None:
    """Write the ledger anchor (``ledger.head``): the last committed entry's number and hash."""
    from garant.util.files import atomic_write_text

    atomic_write_text(path, canonical_json({"seq": seq, "entry_hash": entry_hash}), durable=False)


def read_anchor(path: Path) -> tuple[int, str] | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return int(data["seq"]), str(data["entry_hash"])

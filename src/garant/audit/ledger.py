"""The hash-chained ledger: one entry per run event, each holding the previous entry's hash.

An entry's hash is the SHA-256 of the canonical JSON of its fields (seq, run id, event,
payload, time, previous hash). Changing, removing or reordering any entry breaks either its own
hash or the link the next entry holds. The hash of the latest entry is also written to an anchor
file in the workspace after each commit, so that removing entries at the end is detected too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from garant.domain.models import LedgerEntry
from garant.i18n import tr
from garant.store.chain import (
    GENESIS_HASH,
    append_entry,
    canonical_json,
    compute_entry_hash,
    read_anchor,
    write_anchor,
)
from garant.store.evidence import note_appended

__all__ = [
    "GENESIS_HASH",
    "ROW_EVENTS",
    "ChainProblem",
    "LedgerHead",
    "append_event",
    "canonical_json",
    "compute_entry_hash",
    "read_head",
    "verify_chain",
    "write_head",
]

LedgerEvent = Literal[
    "run_started",
    "gate_decision",
    "run_refused",
    "model_call_intent",
    "model_call",
    "transcription_call",
    "input",
    "output",
    "run_finished",
    "run_failed",
    "run_interrupted",
    "mlflow_mirrored",
    "review",
    "reidentification",
    "reidentification_refused",
    "action_refused",
    "action_signed",
    "export",
    "policy_approved",
    "policy_published",
    "acknowledgement",
    "checklist_profile",
    "checklist_answer",
    "checklist_assessment",
    "key_registered",
    "checkpoint",
    "row_insert",
    "row_update",
    "row_delete",
    "baseline",
    "decision_refused",
    "approval_override",
    "dossier_created",
    "observations_added",
    "run_attached",
    "annex_exported",
    "registry_edit",
]
ROW_EVENTS = frozenset({"row_insert", "row_update", "row_delete", "baseline"})
"""Events written by the store for every change to a protected table (see garant.store.evidence)."""


def _last_entry(session: Session) -> LedgerEntry | None:
    return session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc()).limit(1)).first()


def append_event(
    session: Session,
    event: LedgerEvent,
    payload: dict[str, Any],
    run_id: str = "",
    *,
    anchor: bool | None = None,
) -> LedgerEntry:
    """Add an entry to the ledger inside the caller's transaction.

    Pending row changes are flushed first, so their own events (written by the store's hook)
    come before this one; the anchor moves to this entry when the transaction commits, except
    for a run's own events, which the run anchors when it starts and ends (``anchor=True``
    forces the move, for an event about a run written outside it).
    """
    session.flush()
    entry = append_entry(session.connection(), event, payload, run_id)
    note_appended(
        session, entry.seq, entry.entry_hash, anchor=not run_id if anchor is None else anchor
    )
    return entry


@dataclass(frozen=True)
class LedgerHead:
    seq: int
    entry_hash: str


def write_head(engine: Engine, anchor: Path, last: LedgerEntry | None = None) -> LedgerHead | None:
    """Record the latest committed entry in the anchor file (call after each commit).

    Pass ``last`` when the caller just committed it, to save a query. The anchor never moves
    backwards (another process may have committed later entries in between).
    """
    if last is None:
        with Session(engine) as session:
            last = _last_entry(session)
    if last is None:
        return None
    current = read_anchor(anchor)
    if current is not None and current[0] > last.seq:
        return LedgerHead(*current)
    write_anchor(anchor, last.seq, last.entry_hash)
    return LedgerHead(last.seq, last.entry_hash)


def read_head(anchor: Path) -> LedgerHead | None:
    found = read_anchor(anchor)
    return LedgerHead(*found) if found else None


ProblemKind = Literal["modified", "deleted", "reordered", "anchor", "appended"]


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the ledger, naming the entry (by its sequence number)."""

    kind: ProblemKind
    seq: int
    message: str


def verify_chain(
    entries: Sequence[LedgerEntry], head: LedgerHead | None, *, anchor_required: bool = True
) -> list[ChainProblem]:
    """Recompute the chain and list every entry that was modified, deleted or reordered, and
    any disagreement with the anchor (missing, or entries appended after it)."""
    problems: list[ChainProblem] = []
    ordered = sorted(entries, key=lambda entry: entry.seq)
    known_hashes = {entry.entry_hash for entry in ordered}
    expected_seq, expected_prev = 1, GENESIS_HASH
    for entry in ordered:
        problems.extend(_check_entry(entry, expected_seq, expected_prev, known_hashes))
        expected_seq, expected_prev = entry.seq + 1, entry.entry_hash
    problems.extend(_check_head(ordered, head, anchor_required))
    return problems


def _check_entry(
    entry: LedgerEntry, expected_seq: int, expected_prev: str, known_hashes: set[str]
) -> list[ChainProblem]:
    problems = []
    recomputed = compute_entry_hash(
        entry.seq, entry.run_id, entry.event, entry.payload, entry.recorded_at, entry.prev_hash
    )
    if recomputed != entry.entry_hash:
        problems.append(
            ChainProblem(
                "modified",
                entry.seq,
                tr(
                    "Entrée n° {seq} ({event}) modifiée : son contenu ne correspond plus à son empreinte.",
                    "Entry #{seq} ({event}) modified: its content no longer matches its hash.",
                    seq=entry.seq,
                    event=entry.event,
                ),
            )
        )
    if entry.seq != expected_seq:
        missing = ", ".join(str(n) for n in range(expected_seq, entry.seq)) or str(entry.seq)
        problems.append(
            ChainProblem(
                "deleted",
                expected_seq,
                tr(
                    "Entrée(s) n° {missing} supprimée(s) : la numérotation saute avant l'entrée n° {seq}.",
                    "Entry(ies) #{missing} deleted: numbering jumps before entry #{seq}.",
                    missing=missing,
                    seq=entry.seq,
                ),
            )
        )
    elif entry.prev_hash != expected_prev:
        kind: ProblemKind = "reordered" if entry.prev_hash in known_hashes else "modified"
        problems.append(
            ChainProblem(
                kind,
                entry.seq,
                tr(
                    "Entrée n° {seq} : le lien vers l'entrée précédente est rompu "
                    "(entrée précédente modifiée, supprimée ou déplacée).",
                    "Entry #{seq}: the link to the previous entry is broken "
                    "(previous entry modified, deleted or moved).",
                    seq=entry.seq,
                )
                if kind == "modified"
                else tr(
                    "Entrée n° {seq} déplacée : elle suit une autre entrée que celle qu'elle cite.",
                    "Entry #{seq} reordered: it follows another entry than the one it cites.",
                    seq=entry.seq,
                ),
            )
        )
    return problems


def _check_head(
    ordered: Sequence[LedgerEntry], head: LedgerHead | None, anchor_required: bool
) -> list[ChainProblem]:
    last = ordered[-1] if ordered else None
    if head is None:
        if last is None or not anchor_required:
            return []
        return [
            ChainProblem(
                "anchor",
                last.seq,
                tr(
                    "Ancre du registre (ledger.head) absente alors que le registre compte "
                    "{n} entrées : la fin du registre ne peut plus être vérifiée.",
                    "Ledger anchor (ledger.head) missing although the ledger holds {n} entries: "
                    "its end can no longer be verified.",
                    n=last.seq,
                ),
            )
        ]
    if last is None or last.seq < head.seq:
        after = last.seq if last else 0
        return [
            ChainProblem(
                "deleted",
                after + 1,
                tr(
                    "Entrée(s) n° {first} à {last} supprimée(s) en fin de registre "
                    "(l'ancre indique {last} entrées).",
                    "Entry(ies) #{first} to #{last} deleted at the end of the ledger "
                    "(the anchor records {last} entries).",
                    first=after + 1,
                    last=head.seq,
                ),
            )
        ]
    if last.seq > head.seq:
        return [
            ChainProblem(
                "appended",
                head.seq + 1,
                tr(
                    "Entrée(s) n° {first} à {last} ajoutée(s) après l'ancre (qui s'arrête à "
                    "l'entrée n° {head}) : écrites hors de garant.",
                    "Entry(ies) #{first} to #{last} appended after the anchor (which stops at "
                    "entry #{head}): written outside garant.",
                    first=head.seq + 1,
                    last=last.seq,
                    head=head.seq,
                ),
            )
        ]
    anchored = next((entry for entry in ordered if entry.seq == head.seq), None)
    if anchored is not None and anchored.entry_hash != head.entry_hash:
        return [
            ChainProblem(
                "anchor",
                head.seq,
                tr(
                    "Entrée n° {seq} : son empreinte diffère de celle de l'ancre.",
                    "Entry #{seq}: its hash differs from the anchor's.",
                    seq=head.seq,
                ),
            )
        ]
    return []

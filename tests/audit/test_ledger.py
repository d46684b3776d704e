"""The ledger detects every single tampering: a changed field, a removed or a moved entry."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from garant.audit.ledger import (
    GENESIS_HASH,
    LedgerHead,
    compute_entry_hash,
    read_head,
    verify_chain,
    write_head,
)
from garant.audit.mlflow_mirror import flush_mirror
from garant.audit.run import audited_run, ledger_anchor
from garant.audit.verify import verify_workspace
from garant.domain.models import LedgerEntry
from garant.workspace import Workspace


def _chain(length: int) -> list[LedgerEntry]:
    entries: list[LedgerEntry] = []
    previous = GENESIS_HASH
    for seq in range(1, length + 1):
        payload = json.dumps({"n": seq}, sort_keys=True)
        recorded = f"2026-11-23T10:{seq // 60:02d}:{seq % 60:02d}+00:00"
        digest = compute_entry_hash(seq, f"run-{seq % 3}", "output", payload, recorded, previous)
        entries.append(
            LedgerEntry(
                seq=seq,
                run_id=f"run-{seq % 3}",
                event="output",
                payload=payload,
                recorded_at=recorded,
                prev_hash=previous,
                entry_hash=digest,
            )
        )
        previous = digest
    return entries


def _copy(entry: LedgerEntry, **changes: object) -> LedgerEntry:
    data = entry.model_dump()
    data.update(changes)
    return LedgerEntry(**data)


def _head(entries: list[LedgerEntry]) -> LedgerHead:
    return LedgerHead(entries[-1].seq, entries[-1].entry_hash)


def test_intact_chain_verifies() -> None:
    entries = _chain(12)
    assert verify_chain(entries, _head(entries)) == []


FIELDS = ["run_id", "event", "payload", "recorded_at", "prev_hash", "entry_hash"]


@settings(max_examples=150, deadline=None)
@given(length=st.integers(1, 20), data=st.data())
def test_any_modified_field_is_detected_at_that_entry(length: int, data: st.DataObject) -> None:
    entries = _chain(length)
    head = _head(entries)
    index = data.draw(st.integers(0, length - 1))
    field = data.draw(st.sampled_from(FIELDS))
    original = getattr(entries[index], field)
    new_value = data.draw(st.text(min_size=1, max_size=20).filter(lambda v: v != original))
    entries[index] = _copy(entries[index], **{field: new_value})
    problems = verify_chain(entries, head)
    assert problems, "tampering went unnoticed"
    assert entries[index].seq in {p.seq for p in problems}


@settings(max_examples=150, deadline=None)
@given(length=st.integers(1, 20), data=st.data())
def test_any_deleted_entry_is_detected_and_named(length: int, data: st.DataObject) -> None:
    entries = _chain(length)
    head = _head(entries)
    index = data.draw(st.integers(0, length - 1))
    removed = entries.pop(index)
    problems = verify_chain(entries, head)
    assert any(p.kind == "deleted" and p.seq == removed.seq for p in problems)


@settings(max_examples=150, deadline=None)
@given(length=st.integers(2, 20), data=st.data())
def test_any_swap_of_two_entries_is_detected(length: int, data: st.DataObject) -> None:
    entries = _chain(length)
    head = _head(entries)
    first, second = sorted(
        data.draw(st.lists(st.integers(0, length - 1), min_size=2, max_size=2, unique=True))
    )
    a, b = entries[first], entries[second]
    # Renumber each entry into the other's place, as an attacker reordering rows would.
    entries[first], entries[second] = _copy(b, seq=a.seq), _copy(a, seq=b.seq)
    problems = verify_chain(entries, head)
    assert {a.seq, b.seq} & {p.seq for p in problems}


@settings(max_examples=100, deadline=None)
@given(length=st.integers(2, 20), data=st.data())
def test_recomputed_forgery_is_caught_by_the_next_link_or_the_anchor(
    length: int, data: st.DataObject
) -> None:
    """Even an attacker who recomputes the changed entry's hash breaks the chain after it."""
    entries = _chain(length)
    head = _head(entries)
    index = data.draw(st.integers(0, length - 1))
    forged = _copy(entries[index], payload='{"n":-1}')
    forged.entry_hash = compute_entry_hash(
        forged.seq,
        forged.run_id,
        forged.event,
        forged.payload,
        forged.recorded_at,
        forged.prev_hash,
    )
    entries[index] = forged
    problems = verify_chain(entries, head)
    assert problems
    assert {p.seq for p in problems} & {forged.seq, forged.seq + 1}


def test_truncated_end_is_caught_by_the_anchor() -> None:
    entries = _chain(5)
    head = _head(entries)
    problems = verify_chain(entries[:3], head)
    assert [(p.kind, p.seq) for p in problems] == [("deleted", 4)]
    assert "4 à 5" in problems[0].message


def test_database_tampering_is_reported_by_verify(audit_workspace: Workspace) -> None:
    for _ in range(2):
        with audited_run(
            audit_workspace,
            use="affiches",
            kind="ask",
            operator="claire-martin",
            model_alias="hors-ligne",
        ) as run:
            run.add_output("sortie.md", "contenu")
    assert len(verify_workspace(audit_workspace).mlflow_pending) == 2  # not sent to MLflow yet
    flush_mirror(audit_workspace)
    report = verify_workspace(audit_workspace)
    assert report.ok and report.outputs_checked == 2 and report.mlflow_checked == 2
    with audit_workspace.engine.begin() as connection:
        connection.execute(text("UPDATE ledger_entry SET payload = '{}' WHERE seq = 3"))
    report = verify_workspace(audit_workspace)
    assert not report.ok
    assert [(p.kind, p.seq) for p in report.chain] == [("modified", 3)]


def test_modified_output_file_is_reported(audit_workspace: Workspace) -> None:
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        record = run.add_output("sortie.md", "contenu")
    record.path.write_text("contenu falsifié", encoding="utf-8")
    report = verify_workspace(audit_workspace)
    assert [(p.run_id, p.output) for p in report.outputs] == [(run.id, "sortie.md")]
    assert "modifié" in report.outputs[0].message


def test_anchor_follows_each_commit(audit_workspace: Workspace, tmp_path: Path) -> None:
    before = read_head(ledger_anchor(audit_workspace))
    assert before is not None  # the registry rows of the fixture are ledger events already
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ):
        pass
    head = read_head(ledger_anchor(audit_workspace))
    # gate decision, run row inserted, run started, run row updated, run finished
    assert head is not None and head.seq == before.seq + 5
    assert write_head(audit_workspace.engine, tmp_path / "copy.head") == head
    assert dataclasses.asdict(head)["entry_hash"] != GENESIS_HASH

"""Property tests: any single-field change, inserted or deleted row of any protected table, and
any rewritten chain after a checkpoint is detected and named; untouched workspaces verify clean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from garant.audit.checkpoint import check_checkpoint, create_checkpoint
from garant.audit.ledger import compute_entry_hash
from garant.audit.row_check import ReplayedState, check_rows, key_text, replay_rows
from garant.audit.run import audited_run
from garant.audit.verify import verify_workspace
from garant.domain.inputs import TrainingInput
from garant.domain.models import ArbitrationRequest, LedgerEntry
from garant.domain.policy_models import (
    ChecklistAnswer,
    PolicyAcknowledgement,
    PolicyVersion,
    UseAssessment,
)
from garant.governance.training import log_training
from garant.inquiry.models import InquiryDossier, InquiryObservation, InquiryRun
from garant.signing.keys import create_person_key, load_person_key
from garant.store.engine import unit_of_work
from garant.store.evidence import canonical_row, protected_tables
from garant.workspace import Workspace

PASS = "phrase secrète 42"
SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def every_table(audit_workspace: Workspace) -> Iterator[Workspace]:
    """A workspace with at least one row in every protected table."""
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        run.add_output("sortie.md", "contenu")
    with unit_of_work(audit_workspace.engine) as session:
        log_training(
            session,
            TrainingInput(
                person="claire-martin", module="IA", completed_on="2025-02-01", hours=3.5
            ),
            "t",
        )
        session.add(ArbitrationRequest(question="Peut-on ?", asked_by_id=1, use_id=1))
        session.add(
            PolicyVersion(policy_id="p", version=1, status="approved", sha256="a" * 64, text="x")
        )
        session.add(
            PolicyAcknowledgement(
                person_id=1,
                policy_id="p",
                version=1,
                document="internal",
                acknowledged_on=date(2025, 3, 1),
            )
        )
        session.add(UseAssessment(use_id=1, profile_answers={"generative": True}))
        session.add(
            ChecklistAnswer(use_id=1, item_id="dpia", status="done", evidence=[{"text": "ok"}])
        )
        dossier = InquiryDossier(
            key="enquete-pont",
            title="Pont",
            reference="AP-1",
            authority="Préfecture",
            opens_on=date(2026, 3, 1),
            closes_on=date(2026, 4, 1),
        )
        session.add(dossier)
        session.flush()
        assert dossier.id is not None
        session.add(
            InquiryObservation(
                dossier_id=dossier.id,
                number=1,
                channel="courriel",
                source_ref="obs.csv#1",
                text_sha256="b" * 64,
            )
        )
        session.add(InquiryRun(dossier_id=dossier.id, run_id=run.id, role="synthesis"))
    yield audit_workspace


def _state(workspace: Workspace) -> ReplayedState:
    with unit_of_work(workspace.engine) as session:
        entries = list(session.exec(col(LedgerEntry.seq).__clause_element__().table.select()))  # type: ignore[attr-defined]
    return replay_rows([LedgerEntry(**dict(row._mapping)) for row in entries], set())


def _rows(workspace: Workspace) -> list[tuple[Table, dict[str, Any]]]:
    found = []
    with workspace.engine.connect() as connection:
        for table in protected_tables():
            found.extend((table, dict(row)) for row in connection.execute(select(table)).mappings())
    return found


def _changed(value: Any, column: Any, data: st.DataObject, others: list[Any]) -> Any:
    if column.foreign_keys:
        candidates = [other for other in others if other != value]
        if column.nullable:
            candidates.append(None)
        assume(candidates)
        return data.draw(st.sampled_from(candidates))
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + data.draw(st.integers(1, 10_000))
    if isinstance(value, float):
        return value + data.draw(st.floats(0.25, 1000, allow_nan=False))
    if isinstance(value, str):
        return value + data.draw(st.text(min_size=1, max_size=4))
    if isinstance(value, datetime):
        return value + timedelta(seconds=data.draw(st.integers(1, 10**7)))
    if isinstance(value, date):
        return value + timedelta(days=data.draw(st.integers(1, 3000)))
    if isinstance(value, dict):
        return {**value, "forged": data.draw(st.integers())}
    if isinstance(value, list):
        return [*value, {"forged": data.draw(st.integers())}]
    try:
        python = getattr(column.type, "impl", column.type).python_type  # UTCDateTime → DateTime
    except NotImplementedError:  # sqlmodel's AutoString
        python = str
    samples: dict[type, Any] = {
        int: 1,
        float: 1.5,
        str: "forgé",
        bool: True,
        datetime: datetime(2026, 1, 1, tzinfo=UTC),
        date: date(2026, 1, 1),
        dict: {"forged": 1},
        list: [1],
    }
    return samples.get(python, "forgé")


def test_untouched_workspace_with_every_table_verifies_clean(every_table: Workspace) -> None:
    report = verify_workspace(every_table, check_mlflow=False)
    assert report.ok, [p.message for p in report.rows]
    tables = {table.name for table, _ in _rows(every_table)}
    assert tables == {table.name for table in protected_tables()}


def test_any_single_field_change_to_any_protected_table_is_named(every_table: Workspace) -> None:
    state = _state(every_table)
    rows = _rows(every_table)

    @SETTINGS
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        table, row = data.draw(st.sampled_from(rows))
        pk = [column.name for column in table.primary_key.columns]
        column = data.draw(st.sampled_from([c for c in table.columns if c.name not in pk]))
        others: list[Any] = []
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).column
            with every_table.engine.connect() as connection:
                others = list(connection.execute(select(target)).scalars())
        new = _changed(row[column.name], column, data, others)
        key = key_text({name: canonical_row(table, row)[name] for name in pk})
        with every_table.engine.connect() as connection:
            transaction = connection.begin()
            try:
                where = [table.c[name] == row[name] for name in pk]
                connection.execute(update(table).where(*where).values({column.name: new}))
            except IntegrityError:
                transaction.rollback()
                assume(False)
            after = canonical_row(
                table, connection.execute(select(table).where(*where)).mappings().one()
            )
            assume(after[column.name] != canonical_row(table, row)[column.name])
            problems, _ = check_rows(connection, state)
            transaction.rollback()
        assert [(p.table, p.key, p.field, p.kind) for p in problems] == [
            (table.name, key, column.name, "changed")
        ]

    check()


def test_any_inserted_or_deleted_row_is_named(every_table: Workspace) -> None:
    state = _state(every_table)
    rows = _rows(every_table)

    @SETTINGS
    @given(data=st.data(), remove=st.booleans())
    def check(data: st.DataObject, remove: bool) -> None:
        table, row = data.draw(st.sampled_from(rows))
        pk = [column.name for column in table.primary_key.columns]
        with every_table.engine.connect() as connection:
            transaction = connection.begin()
            try:
                if remove:
                    where = [table.c[name] == row[name] for name in pk]
                    connection.execute(delete(table).where(*where))
                    values = row
                else:
                    values = dict(row)
                    for column in table.columns:
                        if column.primary_key:
                            values[column.name] = (
                                f"{row[column.name]}-copie"
                                if isinstance(row[column.name], str)
                                else 10_000 + row[column.name]
                            )
                        elif isinstance(values[column.name], str) and column.name in (
                            "key",
                            "name",
                            "item_id",
                        ):
                            values[column.name] += "-copie"
                    connection.execute(insert(table).values(values))
            except IntegrityError:
                transaction.rollback()
                assume(False)
            problems, _ = check_rows(connection, state)
            transaction.rollback()
        key = key_text({name: canonical_row(table, values)[name] for name in pk})
        expected = "deleted" if remove else "unrecorded"
        assert [(p.table, p.key, p.kind) for p in problems] == [(table.name, key, expected)]

    check()


def test_any_rewritten_chain_after_a_checkpoint_is_named(every_table: Workspace) -> None:
    create_person_key(every_table, "claire-martin", PASS, common_name="Claire Martin")
    point = create_checkpoint(
        every_table, "claire-martin", load_person_key(every_table, "claire-martin", PASS)
    )
    assert point.path is not None
    with unit_of_work(every_table.engine) as session:
        original = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))).scalars())  # type: ignore[call-overload]
    assert check_checkpoint(every_table, point.path, original).ok

    @SETTINGS
    @given(index=st.integers(0, point.seq - 1), forged=st.text(min_size=1, max_size=8))
    def check(index: int, forged: str) -> None:
        entries = [LedgerEntry(**entry.model_dump()) for entry in original]
        entries[index].payload = json.dumps({"forged": forged})
        previous = entries[index - 1].entry_hash if index else "0" * 64
        for entry in entries[index:]:
            entry.prev_hash = previous
            entry.entry_hash = compute_entry_hash(
                entry.seq, entry.run_id, entry.event, entry.payload, entry.recorded_at, previous
            )
            previous = entry.entry_hash
        result = check_checkpoint(every_table, point.path, entries)  # type: ignore[arg-type]
        assert not result.ok
        assert f"n° {point.seq}" in result.problems[0]

    check()

"""Migration 0004 adopts the rows of an existing workspace as a labelled baseline."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, col, select

from garant.audit.ledger import read_head
from garant.audit.row_check import check_rows, replay_rows
from garant.domain.models import LedgerEntry
from garant.store.engine import create_store_engine, current_revision, migrate
from garant.store.evidence import bind_workspace


def _old_workspace_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = create_store_engine(f"sqlite:///{tmp_path / 'old.db'}")
    bind_workspace(engine, tmp_path / "ledger.head", "test")
    migrate(engine, "0003_policy")
    stamp = "'2025-01-01 00:00:00.000000'"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (created_at, updated_at, created_by, updated_by, key, "
                f"full_name, email, job_title) VALUES ({stamp}, {stamp}, 'a', 'a', 'claire', "
                "'Claire', '', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO audit_run (id, kind, use_key, tool_key, operator_key, status, "
                "started_at, model_alias, model, provider, offline, pseudonymised, "
                "policy_version, garant_version, mlflow_run_id, ai_involvement, error, "
                "refusal_rule, refusal_reason, review_state, reviewed_by, review_comment, "
                "input_hashes, output_hashes, summary) VALUES ('r1', 'ask', 'u', 't', 'claire', "
                f"'finished', {stamp}, 'a', 'm', 'p', 1, 0, 'v1', '0.1', '', 'generated', "
                "'Boom: Claire', '', '', 'pending', '', '', '{}', '{\"o.md\": \"ab\"}', '{}')"
            )
        )
    return engine


def test_upgrade_records_existing_rows_as_a_baseline_and_verifies_clean(tmp_path: Path) -> None:
    engine = _old_workspace_engine(tmp_path)
    migrate(engine)
    assert current_revision(engine) == _head_revision()
    with Session(engine) as session:
        entries = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))
        state = replay_rows(entries, set())
        problems, checked = check_rows(session.connection(), state)
    baseline = [json.loads(e.payload) for e in entries if e.event == "baseline"]
    assert {(b["table"], json.dumps(b["key"])) for b in baseline} == {
        ("person", '{"id": 1}'),
        ("audit_run", '{"id": "r1"}'),
    }
    assert all("adopted at migration" in b["reason"] for b in baseline)
    run = next(b for b in baseline if b["table"] == "audit_run")
    assert run["values"]["error"].startswith("sha256:")  # error messages may name people
    assert "Claire" not in json.dumps(run["values"]["error"])
    assert state.origin[("audit_run", "id=r1")] == "baseline"
    assert problems == [] and checked == 2
    head = read_head(tmp_path / "ledger.head")
    assert head is not None and head.seq == entries[-1].seq


def test_rows_changed_after_the_baseline_are_still_named(tmp_path: Path) -> None:
    engine = _old_workspace_engine(tmp_path)
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_run SET review_state='approved'"))
    with Session(engine) as session:
        entries = list(session.exec(select(LedgerEntry)))
        problems, _ = check_rows(session.connection(), replay_rows(entries, set()))
    assert [(p.table, p.key, p.field) for p in problems] == [("audit_run", "id=r1", "review_state")]


def test_upgrade_of_an_empty_store_records_nothing(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'new.db'}")
    migrate(engine)
    with Session(engine) as session:
        assert list(session.exec(select(LedgerEntry))) == []


def test_audit_migrate_adopts_an_old_workspace_and_verify_labels_it(workspace_root: Path) -> None:
    """A workspace from before 0004 (no row events) verifies clean once migrated."""
    from alembic import command
    from typer.testing import CliRunner

    from garant.audit.verify import verify_workspace
    from garant.cli.main import app
    from garant.store.engine import _alembic_config
    from garant.workspace import open_workspace

    workspace = open_workspace(workspace_root)
    command.downgrade(_alembic_config(workspace.engine), "0003_policy")
    with workspace.engine.begin() as connection:
        connection.execute(text("DELETE FROM ledger_entry"))
    (workspace_root / "ledger.head").unlink()
    before = verify_workspace(workspace, check_mlflow=False)
    assert {p.kind for p in before.rows} == {"unrecorded"}  # organisation, policy rows…
    workspace.close()
    result = CliRunner().invoke(app, ["-w", str(workspace_root), "audit", "migrate"])
    assert result.exit_code == 0, result.stderr
    assert "0003_policy → " in result.stderr
    workspace = open_workspace(workspace_root)
    after = verify_workspace(workspace, check_mlflow=False)
    assert after.ok, [p.message for p in after.rows + after.chain]  # type: ignore[operator]
    assert after.adopted_at_migration_row("organisation", "id=1")
    workspace.close()
    shown = CliRunner().invoke(app, ["-w", str(workspace_root), "audit", "verify", "--skip-mlflow"])
    assert "adoptées à la migration" in shown.stdout


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from garant.store.engine import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head

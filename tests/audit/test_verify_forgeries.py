"""Every forgery an insider with write access to the database could try is detected and named.

Each test starts from a fresh workspace with six audited runs (one reviewed), then tampers with
the database, the files or the ledger the way issue 10 describes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from garant.audit.checkpoint import create_checkpoint, latest_checkpoint
from garant.audit.ledger import compute_entry_hash, read_head, write_head
from garant.audit.policy_bridge import workspace_policy
from garant.audit.run import audited_run, ledger_anchor
from garant.audit.runs import review_run
from garant.audit.verify import verify_workspace
from garant.domain.models import AuditRun, LedgerEntry
from garant.signing.keys import create_person_key, load_person_key
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

PASS = "phrase secrète 42"


@pytest.fixture
def six_runs(audit_workspace: Workspace) -> Iterator[tuple[Workspace, list[str]]]:
    ids = []
    for n in range(6):
        with audited_run(
            audit_workspace,
            use="affiches",
            kind="ask",
            operator="claire-martin",
            model_alias="hors-ligne",
        ) as run:
            run.add_output("sortie.md", f"contenu {n}")
            ids.append(run.id)
    with unit_of_work(audit_workspace.engine) as session:
        review_run(
            session, ids[0], "paul-lecteur", "approve", "ok", workspace_policy(audit_workspace)
        )
    yield audit_workspace, ids


def _sql(workspace: Workspace, statement: str, **params: object) -> None:
    with workspace.engine.begin() as connection:
        connection.execute(text(statement), params)


def _fields(report: object, table: str) -> set[tuple[str, str]]:
    return {(p.key, p.field) for p in report.rows if p.table == table}  # type: ignore[attr-defined]


def test_untouched_workspace_verifies_clean(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, _ids = six_runs
    report = verify_workspace(workspace, check_mlflow=False)
    assert report.ok, [p.message for p in report.rows + report.chain] + report.outputs  # type: ignore[operator]
    assert report.rows_checked >= 6 + 3 + 5 + 4  # runs, people, tools, uses at least
    assert report.manifests_checked == 6
    assert not report.adopted_at_migration


def test_sql_update_of_run_operator_model_and_flags_is_named(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, ids = six_runs
    _sql(
        workspace,
        "UPDATE audit_run SET operator_key='paul-lecteur', model='mistral-large', offline=0, "
        "pseudonymised=1 WHERE id=:id",
        id=ids[2],
    )
    report = verify_workspace(workspace, check_mlflow=False)
    assert not report.ok
    key = f"id={ids[2]}"
    assert _fields(report, "audit_run") == {
        (key, "operator_key"),
        (key, "model"),
        (key, "offline"),
        (key, "pseudonymised"),
    }
    operator = next(p for p in report.rows if p.field == "operator_key")
    assert operator.recorded == "claire-martin" and operator.found == "paul-lecteur"
    assert "operator_key" in operator.message and "paul-lecteur" in operator.message


def test_forged_review_written_in_sql_is_named(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, ids = six_runs
    _sql(
        workspace,
        "UPDATE audit_run SET review_state='approved', reviewed_by='paul-lecteur', "
        "reviewed_at='2026-11-30 10:00:00.000000' WHERE id=:id",
        id=ids[3],
    )
    report = verify_workspace(workspace, check_mlflow=False)
    assert not report.ok
    assert {field for _, field in _fields(report, "audit_run")} == {
        "review_state",
        "reviewed_by",
        "reviewed_at",
    }


def test_genuine_review_records_reviewer_os_account_and_host(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, ids = six_runs
    with unit_of_work(workspace.engine) as session:
        updates = [
            json.loads(e.payload)
            for e in session.exec(select(LedgerEntry).where(LedgerEntry.event == "row_update"))
        ]
    review = next(u for u in updates if "review_state" in u["changed"])
    assert review["key"] == {"id": ids[0]}
    assert review["values"]["review_state"] == "approved"
    assert review["by"] == "paul-lecteur"
    assert review["os_user"] and review["host"]


def test_registry_rows_changed_inserted_or_deleted_in_sql_are_named(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, _ = six_runs
    _sql(workspace, "UPDATE aitool SET status='approved' WHERE key='interdit'")
    _sql(
        workspace,
        "INSERT INTO trainingrecord (created_at, updated_at, created_by, updated_by, person_id, "
        "module, completed_on, hours, provider) VALUES ('2026-01-01 00:00:00', "
        "'2026-01-01 00:00:00', 'x', 'x', 1, 'Formation fictive', '2026-01-01', 7, '')",
    )
    _sql(workspace, "DELETE FROM roleassignment WHERE id = (SELECT MAX(id) FROM roleassignment)")
    report = verify_workspace(workspace, check_mlflow=False)
    kinds = {(p.table, p.kind, p.field) for p in report.rows}
    assert ("aitool", "changed", "status") in kinds
    assert ("trainingrecord", "unrecorded", "") in kinds
    assert ("roleassignment", "deleted", "") in kinds


def test_forged_entry_appended_after_the_anchor_is_named(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, ids = six_runs
    with unit_of_work(workspace.engine) as session:
        last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())).first()
    assert last is not None
    seq, payload, at = last.seq + 1, '{"by":"paul-lecteur"}', "2026-12-01T00:00:00+00:00"
    digest = compute_entry_hash(seq, ids[1], "review", payload, at, last.entry_hash)
    _sql(
        workspace,
        "INSERT INTO ledger_entry (seq, run_id, event, payload, recorded_at, prev_hash, "
        "entry_hash) VALUES (:s, :r, 'review', :p, :a, :prev, :h)",
        s=seq,
        r=ids[1],
        p=payload,
        a=at,
        prev=last.entry_hash,
        h=digest,
    )
    report = verify_workspace(workspace, check_mlflow=False)
    assert [(p.kind, p.seq) for p in report.chain] == [("appended", seq)]


def test_last_run_deleted_with_its_anchor_is_named(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, ids = six_runs
    with unit_of_work(workspace.engine) as session:
        first = session.exec(
            select(LedgerEntry).where(LedgerEntry.run_id == ids[-1]).order_by(col(LedgerEntry.seq))
        ).first()
    assert first is not None
    _sql(workspace, "DELETE FROM ledger_entry WHERE seq >= :s", s=first.seq - 1)
    ledger_anchor(workspace).unlink()
    report = verify_workspace(workspace, check_mlflow=False)
    assert not report.ok
    assert "anchor" in {p.kind for p in report.chain}
    assert "ledger.head" in " ".join(p.message for p in report.chain)


def test_output_changed_on_a_run_marked_failed_is_named(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, ids = six_runs
    path = workspace.runs_dir / ids[4] / "sortie.md"
    path.write_bytes(path.read_bytes().replace(b"c", b"k", 1))
    _sql(workspace, "UPDATE audit_run SET status='failed' WHERE id=:id", id=ids[4])
    report = verify_workspace(workspace, check_mlflow=False)
    assert (f"id={ids[4]}", "status") in _fields(report, "audit_run")
    assert (ids[4], "sortie.md") in {(p.run_id, p.output) for p in report.outputs}


def test_edited_run_manifest_is_named(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, ids = six_runs
    path = workspace.runs_dir / ids[5] / "run.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for label in manifest["disclosures"].values():
        label["ai_involvement"] = "assisted" if label["ai_involvement"] != "assisted" else "none"
        label["review_state"] = "approved"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    report = verify_workspace(workspace, check_mlflow=False)
    [problem] = [p for p in report.outputs if p.output == "run.json"]
    assert problem.run_id == ids[5]
    assert "ai_involvement" in problem.message and "review_state" in problem.message


def _rewrite_chain(workspace: Workspace, from_seq: int) -> None:
    """What a thorough forger does: change an entry, recompute every hash and the anchor."""
    with unit_of_work(workspace.engine) as session:
        entries = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))
        previous = next((e.entry_hash for e in entries if e.seq == from_seq - 1), "0" * 64)
        for entry in entries:
            if entry.seq < from_seq:
                continue
            if entry.seq == from_seq:
                entry.payload = entry.payload.replace("claire-martin", "paul-lecteur")
            entry.prev_hash = previous
            entry.entry_hash = compute_entry_hash(
                entry.seq, entry.run_id, entry.event, entry.payload, entry.recorded_at, previous
            )
            previous = entry.entry_hash
            session.add(entry)
    write_head(workspace.engine, ledger_anchor(workspace).with_name("x"))
    ledger_anchor(workspace).unlink()
    write_head(workspace.engine, ledger_anchor(workspace))


def test_full_rewrite_with_recomputed_anchor_fails_against_a_checkpoint(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    workspace, _ids = six_runs
    create_person_key(workspace, "claire-martin", PASS, common_name="Claire Martin")
    point = create_checkpoint(
        workspace, "claire-martin", load_person_key(workspace, "claire-martin", PASS)
    )
    assert point.path is not None and latest_checkpoint(workspace) == point
    clean = verify_workspace(workspace, check_mlflow=False, checkpoint=point.path)
    assert clean.ok and clean.checkpoint is not None and clean.checkpoint.ok
    _rewrite_chain(workspace, from_seq=2)
    # without the checkpoint, a perfect rewrite of the chain itself is invisible
    assert not verify_workspace(workspace, check_mlflow=False).chain
    report = verify_workspace(workspace, check_mlflow=False, checkpoint=point.path)
    assert not report.ok
    assert report.checkpoint is not None
    assert f"n° {point.seq}" in report.checkpoint.problems[0]
    assert "réécrit" in report.checkpoint.problems[0]


def test_tampered_checkpoint_file_is_refused(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, _ = six_runs
    create_person_key(workspace, "claire-martin", PASS, common_name="Claire Martin")
    point = create_checkpoint(
        workspace, "claire-martin", load_person_key(workspace, "claire-martin", PASS)
    )
    assert point.path is not None
    data = json.loads(point.path.read_text(encoding="utf-8"))
    data["seq"] = data["seq"] - 1
    forged = point.path.with_name("forged.json")
    forged.write_text(json.dumps(data), encoding="utf-8")
    report = verify_workspace(workspace, check_mlflow=False, checkpoint=forged)
    assert report.checkpoint is not None and not report.checkpoint.ok
    assert "Signature" in report.checkpoint.problems[0]


def test_checkpoint_is_refused_on_a_tampered_ledger(six_runs: tuple[Workspace, list[str]]) -> None:
    from garant.errors import IntegrityError

    workspace, _ = six_runs
    create_person_key(workspace, "claire-martin", PASS, common_name="Claire Martin")
    _sql(workspace, "UPDATE ledger_entry SET payload='{}' WHERE seq=2")
    with pytest.raises(IntegrityError, match="Point de contrôle refusé"):
        create_checkpoint(
            workspace, "claire-martin", load_person_key(workspace, "claire-martin", PASS)
        )


runner = CliRunner()


def test_refused_reidentification_is_a_ledger_event(six_runs: tuple[Workspace, list[str]]) -> None:
    from garant.cli.main import app

    workspace, ids = six_runs
    result = runner.invoke(
        app,
        ["-w", str(workspace.root), "runs", "reidentify", ids[0], "sortie.md", "--by", "sans-role"],
    )
    assert result.exit_code == 2
    with unit_of_work(workspace.engine) as session:
        refused = list(
            session.exec(select(LedgerEntry).where(LedgerEntry.event == "reidentification_refused"))
        )
    [entry] = refused
    payload = json.loads(entry.payload)
    assert payload["by"] == "sans-role" and payload["rule"] == "roles.reidentify"
    assert entry.run_id == ids[0]
    assert verify_workspace(workspace, check_mlflow=False).ok


def test_cli_verify_names_the_forged_field_and_exits_1(
    six_runs: tuple[Workspace, list[str]],
) -> None:
    from garant.cli.main import app

    workspace, ids = six_runs
    _sql(workspace, "UPDATE audit_run SET offline=0 WHERE id=:id", id=ids[1])
    result = runner.invoke(app, ["-w", str(workspace.root), "audit", "verify", "--skip-mlflow"])
    assert result.exit_code == 1
    assert f"audit_run [id={ids[1]}] champ offline" in result.stdout
    assert "ALTÉRATION DÉTECTÉE" in result.stdout


def test_anchor_is_written_by_every_registry_commit(six_runs: tuple[Workspace, list[str]]) -> None:
    workspace, _ = six_runs
    with unit_of_work(workspace.engine) as session:
        run = session.exec(select(AuditRun)).first()
        assert run is not None
        run.review_comment = "relu à nouveau"
        session.add(run)
    head = read_head(ledger_anchor(workspace))
    with unit_of_work(workspace.engine) as session:
        last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())).first()
    assert head is not None and last is not None and head.seq == last.seq
    assert last.event == "row_update"


def test_a_run_in_progress_is_not_taken_for_a_forgery(audit_workspace: Workspace) -> None:
    """A run's own events are anchored when it ends; until then they are not a finding."""
    with audited_run(
        audit_workspace,
        use="affiches",
        kind="ask",
        operator="claire-martin",
        model_alias="hors-ligne",
    ) as run:
        run.add_output("sortie.md", "contenu")
        during = verify_workspace(audit_workspace, check_mlflow=False)
        assert during.ok, [p.message for p in during.chain]
        head = read_head(ledger_anchor(audit_workspace))
        with unit_of_work(audit_workspace.engine) as session:
            last = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq).desc())).first()
        assert head is not None and last is not None and last.seq > head.seq  # not yet anchored
    assert verify_workspace(audit_workspace, check_mlflow=False).ok

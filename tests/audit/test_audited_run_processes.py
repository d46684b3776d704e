"""Audited runs with real processes: parallel first use, ``kill -9``, the background mirror to
MLflow, read-only copies and moved workspaces."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select
from workspace_support import adopt_test_policy, run_cli

from garant.audit.mlflow_mirror import flush_mirror, mirror_backlog
from garant.audit.verify import verify_workspace
from garant.domain.models import AuditRun, LedgerEntry
from garant.errors import NotFoundError
from garant.store.engine import unit_of_work
from garant.workspace import open_workspace

PROMPT = "Le parc ferme trop tôt. Il manque des bancs près du tram."


def _registry(root: Path) -> None:
    adopt_test_policy(root)
    run_cli(
        root,
        'people add "Claire Martin"',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --access local --region local --status approved '
        "--alias hors-ligne --by claire-martin",
        'uses add Essai --purpose "Tester un modèle" --stage preparation --tool garant-hors-ligne '
        "--data none --status approved --by claire-martin --override Essai",
    )


def _environment(mode: str) -> dict[str, str]:
    source = Path(__file__).resolve().parents[2] / "src"
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(source), os.environ.get("PYTHONPATH", "")]),
        "GARANT_MLFLOW_MIRROR": mode,
    }


def _garant(root: Path, *args: str, mode: str = "deferred") -> subprocess.CompletedProcess[str]:
    code = "import sys; from garant.cli.main import run; sys.argv[0] = 'garant'; sys.exit(run())"
    return subprocess.run(
        [sys.executable, "-c", code, "-w", str(root), *args],
        capture_output=True,
        text=True,
        env=_environment(mode),
        timeout=300,
    )


def _runs(root: Path) -> list[AuditRun]:
    workspace = open_workspace(root)
    try:
        with unit_of_work(workspace.engine) as session:
            return list(session.exec(select(AuditRun)))
    finally:
        workspace.close()


def _events(root: Path, run_id: str) -> list[str]:
    workspace = open_workspace(root)
    try:
        with unit_of_work(workspace.engine) as session:
            rows = session.exec(
                select(LedgerEntry).where(LedgerEntry.run_id == run_id).order_by(LedgerEntry.seq)
            )
            return [row.event for row in rows]
    finally:
        workspace.close()


ASKS = """
import sys
from garant.audit.ask import run_ask
from garant.audit.mlflow_mirror import flush_mirror
from garant.workspace import open_workspace

workspace = open_workspace(__import__("pathlib").Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    run_ask(workspace, use="essai", prompt=sys.argv[3], operator="claire-martin")
flush_mirror(workspace)  # four processes race to create the MLflow store
workspace.close()
"""


def test_parallel_first_use_records_every_run_and_mlflow_receives_each_once(
    workspace_root: Path,
) -> None:
    """4 processes × 10 asks on a workspace whose MLflow store does not exist yet; then the
    four send the queue to MLflow at once (the store is created once, under the mirror lock)."""
    _registry(workspace_root)
    shutil.rmtree(workspace_root / "mlflow")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ASKS, str(workspace_root), "10", PROMPT],
            env=_environment("deferred"),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=600)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], errors
    runs = _runs(workspace_root)
    assert len(runs) == 40 and {run.status for run in runs} == {"finished"}
    workspace = open_workspace(workspace_root)
    flush_mirror(workspace)  # whatever a process left while another held the lock
    report = verify_workspace(workspace)
    workspace.close()
    assert report.ok, (report.chain, report.outputs)
    assert report.mlflow_pending == [] and report.mlflow_checked == 40
    mlflow_ids = {run.mlflow_run_id for run in _runs(workspace_root)}
    assert len(mlflow_ids) == 40 and "" not in mlflow_ids


KILLED = """
import sys, time
from pathlib import Path
from garant.audit.run import audited_run
from garant.llm.types import ChatMessage
from garant.workspace import open_workspace


class SlowGateway:
    def complete(self, alias, messages, **parameters):
        print("SENDING", flush=True)
        time.sleep(600)

    def transcribe(self, alias, audio, language=None, **parameters):
        raise NotImplementedError


workspace = open_workspace(Path(sys.argv[1]))
with audited_run(
    workspace, use="essai", kind="synthesis", operator="claire-martin",
    model_alias="hors-ligne", gateway=SlowGateway(),
) as run:
    run.add_output("partiel.md", "# Synthèse\\n\\ndébut")
    print("RUN", run.id, flush=True)
    run.complete([ChatMessage("user", "Résume : le parc ferme trop tôt.")])
"""


def test_killed_run_is_closed_as_interrupted_with_its_call_on_record(
    workspace_root: Path,
) -> None:
    _registry(workspace_root)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(workspace_root)],
        env=_environment("deferred"),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    run_id = process.stdout.readline().split()[1]
    assert process.stdout.readline().strip() == "SENDING"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    partial = workspace_root / "runs" / run_id / "partiel.md"
    assert partial.is_file()
    # What left the machine is on the record although the answer never came back.
    assert _events(workspace_root, run_id)[-1] == "model_call_intent"

    verified = _garant(workspace_root, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert run_id in verified.stdout and "interrompue" in verified.stdout
    (run,) = _runs(workspace_root)
    assert run.status == "interrupted" and run.output_hashes == {}
    assert _events(workspace_root, run_id)[-1] == "run_interrupted"
    assert not partial.exists()
    assert (workspace_root / "runs" / run_id / "INTERRUPTED.json").is_file()
    from garant.documents.integrity import verify_document

    with pytest.raises(NotFoundError):
        verify_document(partial)  # nothing left that could be called conforming
    workspace = open_workspace(workspace_root)
    assert flush_mirror(workspace).sent == [run_id]
    from garant.audit.run import tracker_for

    mlflow_run = tracker_for(workspace).client().get_run(_runs(workspace_root)[0].mlflow_run_id)
    workspace.close()
    assert mlflow_run.info.status == "KILLED"
    assert mlflow_run.data.tags["garant.status"] == "interrupted"


def test_background_mirror_sends_a_cli_run_to_mlflow(workspace_root: Path) -> None:
    _registry(workspace_root)
    asked = _garant(
        workspace_root, "ask", "essai", PROMPT, "--by", "claire-martin", "--json", mode="background"
    )
    assert asked.returncode == 0, asked.stderr
    run_id = json.loads(asked.stdout)["run_id"]
    workspace = open_workspace(workspace_root)
    deadline = time.monotonic() + 120
    while mirror_backlog(workspace) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert mirror_backlog(workspace) == []
    report = verify_workspace(workspace)
    workspace.close()
    assert report.ok and report.mlflow_checked == 1
    assert _events(workspace_root, run_id)[-1] == "mlflow_mirrored"


def _read_only_command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run garant on ``root`` made read-only: a read-only bind mount as root (root ignores
    permissions), the permissions themselves otherwise."""
    if os.geteuid() != 0:
        return _garant(root, *args)
    code = "import sys; from garant.cli.main import run; sys.argv[0] = 'garant'; sys.exit(run())"
    command = " ".join(
        [
            f"mount --bind {root} {root} && mount -o remount,bind,ro {root} &&",
            f"exec {sys.executable} -c {_quote(code)} -w {root}",
            *(_quote(arg) for arg in args),
        ]
    )
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", command],
        capture_output=True,
        text=True,
        env=_environment("deferred"),
        timeout=300,
    )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _can_mount_read_only(folder: Path) -> bool:
    if os.geteuid() != 0:
        return True
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
            f"! touch {folder}/.probe",
        ],
        capture_output=True,
    )
    return probe.returncode == 0


def test_read_only_copy_is_read_and_verified_without_writing(
    workspace_root: Path, tmp_path: Path
) -> None:
    _registry(workspace_root)
    asked = _garant(workspace_root, "ask", "essai", PROMPT, "--by", "claire-martin", "--json")
    assert asked.returncode == 0, asked.stderr
    run_id = json.loads(asked.stdout)["run_id"]
    copy = tmp_path / "archive"
    shutil.copytree(workspace_root, copy)
    if not _can_mount_read_only(copy):
        pytest.skip("no read-only bind mount here (root without unshare)")
    before = {p: p.stat().st_mtime_ns for p in copy.rglob("*")}
    for path in copy.rglob("*"):
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        verified = _read_only_command(copy, "audit", "verify")
        listed = _read_only_command(copy, "runs", "list", "--json")
        shown = _read_only_command(copy, "runs", "show", run_id)
        tools = _read_only_command(copy, "tools", "list", "--json")
    finally:
        for path in [copy, *copy.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    for result in (verified, listed, shown, tools):
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "aucune altération" in verified.stdout and "1 exécution(s) pas encore" in verified.stdout
    assert [run["id"] for run in json.loads(listed.stdout)] == [run_id]
    assert run_id in shown.stdout and "garant-hors-ligne" in tools.stdout
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*")} == before


def test_moved_workspace_verifies_clean_and_never_touches_the_original(
    workspace_root: Path, tmp_path: Path
) -> None:
    _registry(workspace_root)
    asked = _garant(workspace_root, "ask", "essai", PROMPT, "--by", "claire-martin", "--json")
    assert asked.returncode == 0, asked.stderr
    workspace = open_workspace(workspace_root)
    flush_mirror(workspace)
    workspace.close()
    moved = tmp_path / "ailleurs" / "ws"
    shutil.copytree(workspace_root, moved)
    original_artifacts = workspace_root / "mlflow" / "artifacts"
    shutil.move(original_artifacts, tmp_path / "hidden")  # the original's files are gone
    again = _garant(moved, "ask", "essai", PROMPT, "--by", "claire-martin", "--json")
    assert again.returncode == 0, again.stderr
    relocated = open_workspace(moved)
    flush_mirror(relocated)
    report = verify_workspace(relocated)
    relocated.close()
    assert report.ok, report.outputs
    assert report.mlflow_checked == 2
    assert not original_artifacts.exists()  # nothing written to the original's folder

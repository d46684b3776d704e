"""``garant audit verify`` on a workspace with 10,000 audited runs.

The store is built quickly but through the same code path as real runs: run rows are inserted
then finished through the ORM (the store's flush hook writes their row events), each run gets an
``output`` and a ``run_finished`` ledger event via ``append_event``, an output file and a
``run.json`` manifest. Then the whole command is timed cold, in a fresh process:
``garant audit verify --skip-mlflow`` (the MLflow comparison is per artifact and not part of the
goal). Baseline: the same workspace's chain check alone (``verify_chain``), in process.
Goal (issue 10): ≤ 30 s for 10,000 runs. Then ``garant audit report --format md`` on the same
workspace, which runs that verification once (never twice) and reads the period through it.

    .venv/bin/python benchmarks/audit_verify.py [--runs 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlmodel import col, select

from garant.audit.disclosure import DisclosureLabel
from garant.audit.ledger import append_event, read_head, verify_chain
from garant.audit.run import ledger_anchor
from garant.domain.models import AuditRun, LedgerEntry
from garant.governance.setup import init_workspace
from garant.store.engine import unit_of_work
from garant.store.evidence import set_actor
from garant.util.files import sha256_bytes
from garant.workspace import Workspace

CHUNK = 500


def build(workspace: Workspace, count: int) -> None:
    now = datetime.now(UTC)
    for start in range(0, count, CHUNK):
        ids = [f"bench-{n:06d}" for n in range(start, min(count, start + CHUNK))]
        with unit_of_work(workspace.engine) as session:
            set_actor(session, "claire-martin")
            rows = [
                AuditRun(
                    id=run_id,
                    kind="bench",
                    use_key="banc",
                    tool_key="hors-ligne",
                    operator_key="claire-martin",
                    model="offline/extractive-fr",
                    provider="garant hors ligne",
                    ai_involvement="generated",
                )
                for run_id in ids
            ]
            session.add_all(rows)
            session.flush()
            for row in rows:
                text = f"Réponse de l'exécution {row.id}.".encode()
                digest = sha256_bytes(text)
                folder = workspace.runs_dir / row.id
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "reponse.md").write_bytes(text)
                append_event(session, "output", {"name": "reponse.md", "sha256": digest}, row.id)
                row.status, row.ended_at = "finished", now
                row.output_hashes = {"reponse.md": digest}
                label = DisclosureLabel(
                    ai_involvement="generated",
                    model=row.model,
                    provider=row.provider,
                    produced_on=now.date(),
                    run_id=row.id,
                    output_sha256=digest,
                    review_state="pending",
                    offline=True,
                )
                manifest = {
                    "run_id": row.id,
                    "status": "finished",
                    "outputs": row.output_hashes,
                    "inputs": {},
                    "disclosures": {"reponse.md": label.as_dict()},
                }
                (folder / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
            session.flush()
            for row in rows:
                append_event(session, "run_finished", {"outputs": row.output_hashes}, row.id)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    count = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        workspace = init_workspace(root, "Banc d'essai", "collectivite")
        started = time.perf_counter()
        build(workspace, count)
        built = time.perf_counter() - started
        with unit_of_work(workspace.engine) as session:
            entries = list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))
        started = time.perf_counter()
        assert not verify_chain(entries, read_head(ledger_anchor(workspace)))
        chain_only = time.perf_counter() - started
        workspace.close()
        environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        whole, cpu, result = _timed(root, environment, "audit", "verify", "--skip-mlflow")
        report_wall, report_cpu, report = _timed(
            root, environment, "audit", "report", "--format", "md", "--skip-mlflow"
        )
    print(f"store built: {count} runs, {len(entries)} ledger entries in {built:.1f} s")
    print(result.stdout.strip().splitlines()[0] if result.stdout else result.stderr[-500:])
    print(f"chain check alone (in process)    {chain_only:7.2f} s   (baseline)")
    print(
        f"garant audit verify (cold, CLI)   {whole:7.2f} s   ratio {whole / chain_only:5.1f}×"
        f"   goal ≤ 30 s   exit {result.returncode}"
    )
    print(
        f"  of which CPU time of the command  {cpu:7.2f} s   (wall minus CPU = waiting for a "
        f"busy machine: load average {os.getloadavg()[0]:.1f})"
    )
    # The report runs the same verification once and reads the period's rows through it:
    # its cost over « verify » is the gathering and the rendering, not a second verification.
    print(
        f"garant audit report --format md   {report_wall:7.2f} s   CPU {report_cpu:6.2f} s   "
        f"ratio to verify (CPU) {report_cpu / cpu if cpu else 0:4.1f}×   exit {report.returncode}"
    )


def _timed(
    root: Path, environment: dict[str, str], *command: str
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of one cold CLI command in a fresh process."""
    started = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-c", "from garant.cli.main import run; run()", "-w", str(root), *command],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime), result


if __name__ == "__main__":
    main()

"""Overhead of the audit trail on the offline provider, in one process.

Baseline: 200 bare gateway calls (``Gateway.complete`` on the offline provider).
Measured: (a) 200 calls inside ONE audited run (per-call overhead: span queued for MLflow,
              ledger entries before and after the call);
          (b) 200 whole audited runs of one call each (per-run overhead: gate, ledger, output,
              manifest, MLflow queue);
          (c) sending the queued runs to MLflow afterwards (the mirror, docs/adr-0010: off the
              user's path, in a background process by default), per run.
Prints medians, the overhead per call/run and the ratio to the bare call.
Goals (issue 3): ≤ 5 ms median overhead per model call inside a run; ≤ 50 ms per whole run.

    .venv/bin/python benchmarks/audit_overhead.py [--calls 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from garant.audit.mlflow_mirror import flush_mirror
from garant.audit.run import audited_run, tracker_for
from garant.domain.inputs import PersonInput, RoleInput, ToolInput, UseInput
from garant.governance.lifecycle import approve_policy
from garant.governance.people import add_person, assign_role
from garant.governance.setup import init_workspace
from garant.governance.tools import add_tool
from garant.governance.uses import add_use
from garant.llm import ChatMessage, Gateway
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

PROMPT = [
    ChatMessage(
        "user",
        "Le parc doit rester ouvert le soir. Les habitants veulent plus de bancs. "
        "La piste cyclable de l'avenue est dangereuse au carrefour. Le marché du samedi est apprécié.",
    )
]


def _workspace(root: Path) -> Workspace:
    workspace = init_workspace(
        root, "Banc d'essai", "collectivite", contact="ia@banc.fr — Mission participation citoyenne"
    )
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin"), "bench")
        assign_role(
            session,
            RoleInput(person="claire-martin", role="referent_ia", start_date="2025-01-01"),
            "bench",
        )
        add_tool(
            session,
            ToolInput(
                key="hors-ligne",
                name="garant hors ligne",
                access_mode="local",
                status="approved",
                model_alias="hors-ligne",
                hosting_region="local",
            ),
            "bench",
        )
        add_use(
            session,
            UseInput(
                title="Banc",
                purpose="mesure",
                stage="analysis",
                tools=["hors-ligne"],
                data_categories=["none"],
                status="approved",
                key="banc",
            ),
            "bench",
        )
    approve_policy(workspace, by="claire-martin")  # the collectivite starter pack, approved
    tracker_for(workspace).experiment_id()  # MLflow store creation: a one-time cost
    return workspace


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bare_calls(gateway: Gateway, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        gateway.complete("hors-ligne", PROMPT)
        samples.append(time.perf_counter() - start)
    return samples


def calls_in_one_run(
    workspace: Workspace, gateway: Gateway, count: int, cpu: list[float] | None = None
) -> list[float]:
    """Wall time of each call; its CPU time (this process) is appended to ``cpu``."""
    samples = []
    with audited_run(
        workspace,
        use="banc",
        kind="bench",
        operator="claire-martin",
        model_alias="hors-ligne",
        gateway=gateway,
    ) as run:
        for _ in range(count):
            start, start_cpu = time.perf_counter(), time.process_time()
            run.complete(PROMPT)
            samples.append(time.perf_counter() - start)
            if cpu is not None:
                cpu.append(time.process_time() - start_cpu)
    return samples


def whole_runs(workspace: Workspace, gateway: Gateway, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        with audited_run(
            workspace,
            use="banc",
            kind="bench",
            operator="claire-martin",
            model_alias="hors-ligne",
            gateway=gateway,
        ) as run:
            answer = run.complete(PROMPT)
            run.add_output("reponse.md", answer.text)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    count = parser.parse_args().calls
    os.environ["GARANT_MLFLOW_MIRROR"] = "deferred"  # (c) is measured on its own
    with tempfile.TemporaryDirectory() as folder:
        workspace = _workspace(Path(folder) / "ws")
        gateway = Gateway.from_settings(workspace.settings)
        whole_runs(workspace, gateway, 3)  # warm-up: imports of mlflow etc.
        bare = _median_ms(bare_calls(gateway, count))
        cpu: list[float] = []
        in_run = _median_ms(calls_in_one_run(workspace, gateway, count, cpu))
        in_run_cpu = _median_ms(cpu)
        runs = _median_ms(whole_runs(workspace, gateway, count))
        start = time.perf_counter()
        sent = len(flush_mirror(workspace).sent)
        mirror = (time.perf_counter() - start) * 1000 / max(sent, 1)
        workspace.close()
    print(f"bare gateway call (offline)      median {bare:8.3f} ms   (baseline)")
    print(
        f"call inside an audited run       median {in_run:8.3f} ms   overhead {in_run - bare:7.3f} ms"
        f"   ratio {in_run / bare:7.1f}×   goal ≤ 5 ms"
    )
    print(
        f"  the same, CPU time of this process median {in_run_cpu:8.3f} ms   "
        "(steadier than wall on a loaded machine)"
    )
    print(
        f"whole audited run (1 call)       median {runs:8.3f} ms   overhead {runs - bare:7.3f} ms"
        f"   ratio {runs / bare:7.1f}×   goal ≤ 50 ms"
    )
    print(
        f"MLflow mirror, per run sent      mean   {mirror:8.3f} ms   ({sent} runs, off the user's path)"
    )


if __name__ == "__main__":
    main()

"""Audited runs sent to a real MLflow tracking server (``make test`` starts one, see
scripts/with-mlflow.sh): two processes log at once; runs, spans and artifacts are read back over
HTTP; ``audit verify`` checks the outputs against the server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from workspace_support import adopt_test_policy, run_cli

from garant.audit.mlflow_mirror import flush_mirror
from garant.audit.verify import verify_workspace
from garant.workspace import open_workspace

RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
SERVER = os.environ.get("GARANT_TEST_MLFLOW_URI", "")

pytestmark = [
    pytest.mark.mlflow_server,
    pytest.mark.skipif(not SERVER, reason="GARANT_TEST_MLFLOW_URI non défini (make test le fixe)"),
]

ASK = """
import sys
from pathlib import Path
from garant.audit.ask import run_ask
from garant.workspace import open_workspace

workspace = open_workspace(Path(sys.argv[1]))
for index in range(3):
    result = run_ask(workspace, use="essai", prompt=f"Question {index} : le parc ferme trop tôt.",
                     operator="claire-martin")
    print(result.run_id, flush=True)
workspace.close()
"""


def _wait_for_server(timeout_s: float = 300) -> float:
    """scripts/with-mlflow.sh starts the server without waiting: wait for /health here."""
    import time
    import urllib.request

    start = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(f"{SERVER}/health", timeout=2)
            return time.monotonic() - start
        except OSError:
            if time.monotonic() - start > timeout_s:
                log = Path(os.environ.get("GARANT_TEST_MLFLOW_LOG", "/nonexistent"))
                tail = log.read_text()[-2000:] if log.is_file() else ""
                pytest.fail(f"MLflow server not ready after {timeout_s} s:\n{tail}")
            time.sleep(0.5)


def test_two_processes_log_to_the_server_and_everything_reads_back_over_http(
    workspace_root: Path,
) -> None:
    import mlflow
    from mlflow import MlflowClient

    _wait_for_server()

    adopt_test_policy(workspace_root)
    run_cli(
        workspace_root,
        'people add "Claire Martin"',
        "roles assign claire-martin referent_ia --from 01/01/2025 --by claire-martin",
        'tools add "garant hors ligne" --access local --region local --status approved '
        "--alias hors-ligne --by claire-martin",
        'uses add Essai --purpose "Tester" --stage preparation --tool garant-hors-ligne '
        "--data none --status approved --by claire-martin --override Essai",
    )
    experiment = f"garant-test-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[2] / "src"), os.environ.get("PYTHONPATH", "")]
        ),
        "GARANT_MLFLOW_TRACKING_URI": SERVER,
        "GARANT_MLFLOW_EXPERIMENT": experiment,
        "GARANT_MLFLOW_MIRROR": "inline",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ASK, str(workspace_root)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in outputs]
    run_ids = [line for out, _ in outputs for line in out.split() if RUN_ID.fullmatch(line)]
    assert len(run_ids) == 6

    workspace = open_workspace(
        workspace_root, mlflow_tracking_uri=SERVER, mlflow_experiment=experiment
    )
    flush_mirror(workspace)
    report = verify_workspace(workspace)  # outputs downloaded from the server and hashed
    assert report.ok, report.outputs
    assert report.mlflow_pending == [] and report.mlflow_checked == 6

    client = MlflowClient(tracking_uri=SERVER)
    found = client.get_experiment_by_name(experiment)
    assert found is not None
    runs = client.search_runs([found.experiment_id], max_results=50)
    assert sorted(r.data.tags["garant.run_id"] for r in runs) == sorted(run_ids)
    for mlflow_run in runs:
        assert mlflow_run.info.status == "FINISHED"
        assert mlflow_run.data.params["model_alias"] == "hors-ligne"
        assert mlflow_run.data.metrics["model_calls"] == 1
        names = {a.path for a in client.list_artifacts(mlflow_run.info.run_id, "outputs")}
        assert names == {"outputs/reponse.md"}
        manifest = json.loads(
            Path(client.download_artifacts(mlflow_run.info.run_id, "run.json")).read_text()
        )
        assert manifest["run_id"] == mlflow_run.data.tags["garant.run_id"]
    mlflow.set_tracking_uri(SERVER)
    traces = mlflow.search_traces(locations=[found.experiment_id], return_type="list")
    assert len(traces) == 6
    for trace in traces:
        names = [span.name for span in trace.data.spans]
        assert "ask:hors-ligne" in names and any(n.startswith("ask-") for n in names)
        assert trace.info.request_metadata.get("mlflow.sourceRun") in {r.info.run_id for r in runs}
    workspace.close()

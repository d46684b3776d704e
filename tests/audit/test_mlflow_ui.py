"""``garant mlflow ui`` serves the workspace's MLflow store on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_mlflow_ui_answers_on_loopback_with_the_workspace_experiment(workspace_root: Path) -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from garant.cli.main import run; run()",
        "-w",
        str(workspace_root),
        "mlflow",
        "ui",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        body = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=garant"
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert '"name": "garant"' in body or '"name":"garant"' in body
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

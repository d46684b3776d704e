"""Time to first screen of the TUI, under a pseudo-terminal, on 1,000 runs and 200 uses.

Baseline: ``garant --help`` (the lightest whole command: start Python, import the CLI, print).
Measured: ``garant -w WS`` until the dashboard shows its data (« Sorties à relire (N) » with its
count reaches the terminal), then Ctrl+Q. Both run the console script's target declared in
pyproject.toml (``garant.cli.entry:run``) the way the installed script does. Whole commands, warm (file cache): one untimed run first,
then the median of ``--repeat`` runs. Goal (issue 11): ≤ 1 s warm.

    .venv/bin/python benchmarks/tui_start.py [--repeat 5] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
READY = re.compile(rb"relire \(\d")
"""The dashboard's review heading with its count: the first screen *with data* is on screen."""


def _garant() -> list[str]:
    """The ``garant`` console script as pyproject.toml declares it (whether or not the installed
    script was regenerated since): ``python -c 'from MODULE import FUNC; FUNC()'``."""
    declared = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, function = declared["project"]["scripts"]["garant"].partition(":")
    code = f"import sys; sys.argv[0] = 'garant'; from {module} import {function}; {function}()"
    return [sys.executable, "-c", code]


def build_workspace(root: Path, runs: int = 1000, uses: int = 200) -> Path:
    """A workspace with ``uses`` registered uses and ``runs`` finished runs awaiting review."""
    from garant.domain.inputs import PersonInput, ToolInput, UseInput
    from garant.domain.models import AuditRun
    from garant.governance.people import add_person
    from garant.governance.setup import init_workspace
    from garant.governance.tools import add_tool
    from garant.governance.uses import add_use
    from garant.store.engine import unit_of_work

    workspace = init_workspace(root, "Banc d'essai", "collectivite")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with unit_of_work(workspace.engine) as session:
        add_person(session, PersonInput(full_name="Claire Martin"), "bench")
        add_tool(session, ToolInput(name="Albert", access_mode="api", status="approved"), "bench")
        for index in range(uses):
            add_use(
                session,
                UseInput(
                    title=f"Usage {index}",
                    purpose="banc d'essai",
                    stage="analysis",
                    tools=["albert"],
                ),
                "bench",
            )
        session.add_all(
            AuditRun(
                id=f"bench-{i:05d}",
                kind="synthesis",
                use_key=f"usage-{i % uses}",
                operator_key="claire-martin",
                status="finished",
                started_at=start - timedelta(minutes=i),
            )
            for i in range(runs)
        )
    workspace.close()
    return root


def _under_pty(
    command: list[str], ready: re.Pattern[bytes] | None, timeout: float = 60.0
) -> tuple[float, float]:
    """Seconds from spawn until ``ready`` is on screen (or the process exits when None), and
    the CPU seconds the whole process used (a figure that a loaded machine does not inflate)."""
    controller, terminal = pty.openpty()
    os.set_blocking(controller, False)
    env = {**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm-256color"}
    began = time.perf_counter()
    process = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    seen = b""
    elapsed = None
    usage = None
    try:
        while time.perf_counter() - began < timeout:
            readable, _, _ = select.select([controller], [], [], 0.01)
            if readable:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:
                    chunk = b""
                seen += ANSI.sub(b"", chunk)
                if ready is not None and ready.search(seen):
                    elapsed = time.perf_counter() - began
                    os.write(controller, b"\x11")  # Ctrl+Q
                    break
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                elapsed = time.perf_counter() - began
                break
        if process.returncode is None:
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if process.returncode is None:
            process.kill()
        os.close(controller)
    if elapsed is None or usage is None:
        raise SystemExit(f"no first screen within {timeout} s: {seen[-400:]!r}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workspace", type=Path, help="an existing workspace instead of a new one")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    with tempfile.TemporaryDirectory() as folder:
        root = args.workspace or build_workspace(Path(folder) / "ws")
        garant = _garant()
        tui = [*garant, "-w", str(root)]
        help_ = [*garant, "--help"]
        _under_pty(tui, READY)
        _under_pty(help_, None)
        tui_times = [_under_pty(tui, READY) for _ in range(args.repeat)]
        help_times = [_under_pty(help_, None) for _ in range(args.repeat)]
    first = statistics.median(t for t, _ in tui_times)
    baseline = statistics.median(t for t, _ in help_times)
    first_cpu = statistics.median(c for _, c in tui_times)
    baseline_cpu = statistics.median(c for _, c in help_times)
    print(f"workspace: {root}   load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"garant --help (baseline)   median {baseline * 1000:7.0f} ms wall, "
        f"{baseline_cpu * 1000:6.0f} ms CPU over {args.repeat}"
    )
    print(
        f"TUI first screen with data median {first * 1000:7.0f} ms wall, "
        f"{first_cpu * 1000:6.0f} ms CPU over {args.repeat} (CPU includes the quit)"
    )
    print(
        f"ratio TUI / --help: {first / baseline:.2f}× wall, {first_cpu / baseline_cpu:.2f}× CPU; "
        f"goal ≤ 1 s warm: " + ("met" if first <= 1.0 else "NOT met on this machine now")
    )


if __name__ == "__main__":
    main()

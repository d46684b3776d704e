"""Benchmark: sortition at real scale (issue 14.3), garant against sortition-algorithms.

Two seeded pools generated here, skewed against the quotas as real volunteer pools are (older,
more educated, more executives and home-owners volunteer; the quotas follow the population):

- ``scale_400``: 400 volunteers, 5 criteria, households (≈ 20 % share an address), k = 40;
  goal: garant LEXIMIN ≤ 30 s;
- ``scale_2000``: 2,000 volunteers, 6 criteria, households, k = 100; goals: garant maximin
  ≤ 60 s, garant LEXIMIN finishes (optimal, or stopped with a certified gap) within 600 s.

Each solve runs in a fresh subprocess (files already parsed, solve time only, wall and CPU
seconds of that process); the reference is ``sortition-algorithms`` 0.12.15 maximin on HiGHS
(its leximin needs Gurobi, so LEXIMIN has no peer on HiGHS), measured in the same run on the same
files. A peer stopped at its timeout gives a lower bound on the ratio ("> r×"). The load average
is printed before and after: on a shared machine the ratio and the CPU seconds are the more
stable figures. The last lines are a one-screen summary (goal, wall, CPU, optimal or certified
gap, peer, ratio, verdict). Run from the repository root::

    .venv/bin/python benchmarks/sortition_scale.py            # both pools, both algorithms
    .venv/bin/python benchmarks/sortition_scale.py --quick    # 400 LEXIMIN + 2,000 maximin

``sortition-algorithms`` is a benchmark-only dependency (``pip install -e '.[benchmark]'``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sortition import Case, _fmt, _sa  # type: ignore[import-not-found]

INSTANCES = (
    # name, n, k, criteria, seed, goal for (algorithm -> seconds)
    (
        "scale_400",
        400,
        40,
        ("sexe", "tranche_age", "commune", "diplome", "csp"),
        1,
        {"leximin": 30.0},
    ),
    (
        "scale_2000",
        2000,
        100,
        ("sexe", "tranche_age", "commune", "diplome", "csp", "logement"),
        2,
        {"maximin": 60.0, "leximin": 600.0},
    ),
)


def _case(folder: Path, name: str, n: int, k: int, criteria: tuple[str, ...], seed: int) -> Case:
    from garant.analyses.sortition import write_demo

    pool, quotas = write_demo(folder / name, n=n, k=k, seed=seed, criteria=criteria)
    return Case(name, pool, quotas, k, "id", ("adresse", "code_postal"))


def _garant(case: Case, algorithm: str, limit: float | None) -> dict[str, Any]:
    import highspy  # noqa: F401  (imported before timing, as for the reference)
    import scipy.optimize  # noqa: F401

    from garant.analyses.sortition import build_instance, load_pool, load_quotas, solve
    from garant.analyses.sortition.report import fairness

    instance = build_instance(
        load_pool(case.pool, id_column=case.id_column),
        load_quotas(case.quotas),
        case.k,
        household_columns=case.address,
    )
    start, cpu = time.perf_counter(), time.process_time()
    result = solve(instance, algorithm, time_limit_s=limit)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    figures = fairness(result.probabilities)
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "min": figures.minimum,
        "gini": figures.gini,
        "optimal": result.optimal,
        "gap": result.gap,
    }


def _worker(queue: Any, kind: str, case: Case, algorithm: str, limit: float | None) -> None:
    try:
        with open(os.devnull, "w") as devnull:
            saved = os.dup(1)
            os.dup2(devnull.fileno(), 1)
            try:
                result = _sa(case, algorithm) if kind == "sa" else _garant(case, algorithm, limit)
            finally:
                os.dup2(saved, 1)
        queue.put(result)
    except Exception as exc:  # report, do not crash the benchmark
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def _run(
    kind: str, case: Case, algorithm: str, timeout: float, limit: float | None
) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_worker, args=(queue, kind, case, algorithm, limit))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return {"error": f"> {timeout:.0f} s (stopped)"}
    return queue.get() if not queue.empty() else {"error": f"exit {process.exitcode}"}


QUICK = {("scale_400", "leximin"), ("scale_2000", "maximin")}


def _state(result: dict[str, Any]) -> str:
    if "error" in result:
        return str(result["error"])[:24]
    return "optimal" if result["optimal"] else f"gap {result['gap']:.3f}"


def _ratio(mine: dict[str, Any], theirs: dict[str, Any] | None, timeout: float) -> str:
    if theirs is None or "error" in mine:
        return "—"
    if "error" in theirs:
        return f"> {timeout / mine['seconds']:.1f}×" if "stopped" in theirs["error"] else "—"
    return f"{theirs['seconds'] / mine['seconds']:.1f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=900.0, help="wall seconds per solve")
    parser.add_argument(
        "--peer-timeout", type=float, default=None, help="wall seconds for the peer (--timeout)"
    )
    parser.add_argument("--only", default="", help="run only instances whose name has this")
    parser.add_argument("--quick", action="store_true", help="400 LEXIMIN and 2,000 maximin only")
    parser.add_argument("--no-reference", action="store_true", help="skip sortition-algorithms")
    args = parser.parse_args()
    peer_timeout = args.peer_timeout or args.timeout
    from importlib.metadata import PackageNotFoundError, version

    try:
        sa_version = "" if args.no_reference else version("sortition-algorithms")
    except PackageNotFoundError:
        sa_version = ""
    print(
        f"garant vs sortition-algorithms {sa_version or '(not run)'}; highspy "
        f"{version('highspy')}; {os.cpu_count()} CPU(s); load average before "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}",
        flush=True,
    )
    summary: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, n, k, criteria, seed, goals in INSTANCES:
            if args.only and args.only not in name:
                continue
            case = _case(Path(folder), name, n, k, criteria, seed)
            for algorithm in ("maximin", "leximin"):
                if args.quick and (name, algorithm) not in QUICK:
                    continue
                goal = goals.get(algorithm)
                limit = goal if algorithm == "leximin" and goal and goal >= 600 else None
                mine = _run("garant", case, algorithm, args.timeout, limit)
                seconds, low, gini = _fmt(mine)
                cpu = f"{mine['cpu']:.1f}" if "cpu" in mine else "—"
                verdict = "—"
                if goal is not None and "error" not in mine:
                    met = mine["seconds"] <= goal + 1
                    verdict = f"≤ {goal:.0f} s {'met' if met else 'MISSED'}"
                # garant's line first: the peer may take many minutes more.
                print(
                    f"{name:10} {algorithm:8} garant {seconds:>9} s (CPU {cpu} s) min {low:>9} "
                    f"Gini {gini:>8} {_state(mine)}",
                    flush=True,
                )
                theirs = (
                    _run("sa", case, algorithm, peer_timeout, None)
                    if sa_version and algorithm == "maximin"
                    else None
                )
                peer = "no peer on HiGHS" if algorithm == "leximin" else "not run"
                if theirs is not None:
                    ts, tlow, _ = _fmt(theirs)
                    if "error" in theirs:
                        line = f"sortition-algorithms {theirs['error']}"
                        peer = str(theirs["error"])[:18]
                    else:
                        line = f"sortition-algorithms {ts} s (CPU {theirs['cpu']:.1f} s) min {tlow}"
                        peer = f"{ts} s"
                    print(f"{name:10} {algorithm:8} {line}", flush=True)
                summary.append(
                    f"{name:10} {algorithm:8} {verdict:>16} {seconds:>9} {cpu:>8} "
                    f"{_state(mine):>14} {peer:>18} {_ratio(mine, theirs, peer_timeout):>7}"
                )
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"load average after {load}")
    print()
    print(
        f"{'instance':10} {'algo':8} {'goal (wall)':>16} {'wall s':>9} {'CPU s':>8} "
        f"{'state':>14} {'peer (SA) wall':>18} {'ratio':>7}"
    )
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()

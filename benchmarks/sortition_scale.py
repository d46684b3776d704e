"""Benchmark: sortition at real scale (issue 14.3), garant against sortition-algorithms.

Two seeded pools generated here, skewed against the quotas as real volunteer pools are (older,
more educated, more executives and home-owners volunteer; the quotas follow the population):

- ``scale_400``: 400 volunteers, 5 criteria, households (≈ 20 % share an address), k = 40;
  goal: garant LEXIMIN ≤ 30 s;
- ``scale_2000``: 2,000 volunteers, 6 criteria, households, k = 100; goals: garant maximin
  ≤ 60 s, garant LEXIMIN finishes (optimal, or stopped with a certified gap) within 600 s.

Each solve runs in a fresh subprocess (files already parsed, solve time only); the reference is
``sortition-algorithms`` 0.12.15 maximin on HiGHS (its leximin needs Gurobi), measured in the
same run. The load average is printed before and after: on a shared machine the ratio is the
more stable figure. Run from the repository root::

    .venv/bin/python benchmarks/sortition_scale.py [--only scale_400] [--timeout 600]

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
    start = time.perf_counter()
    result = solve(instance, algorithm, time_limit_s=limit)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    figures = fairness(result.probabilities)
    return {
        "seconds": seconds,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=900.0, help="wall seconds per solve")
    parser.add_argument("--only", default="", help="run only instances whose name has this")
    parser.add_argument("--no-reference", action="store_true", help="skip sortition-algorithms")
    args = parser.parse_args()
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
    with tempfile.TemporaryDirectory() as folder:
        for name, n, k, criteria, seed, goals in INSTANCES:
            if args.only and args.only not in name:
                continue
            case = _case(Path(folder), name, n, k, criteria, seed)
            for algorithm in ("maximin", "leximin"):
                goal = goals.get(algorithm)
                limit = goal if algorithm == "leximin" and goal and goal >= 600 else None
                mine = _run("garant", case, algorithm, args.timeout, limit)
                theirs = (
                    _run("sa", case, algorithm, args.timeout, None)
                    if sa_version and algorithm == "maximin"
                    else None
                )
                seconds, low, gini = _fmt(mine)
                state = ""
                if "error" not in mine:
                    state = "optimal" if mine["optimal"] else f"gap {mine['gap']:.2e}"
                verdict = ""
                if goal is not None and "error" not in mine:
                    verdict = "goal met" if mine["seconds"] <= goal + 1 else "GOAL MISSED"
                    verdict = f"(goal ≤ {goal:.0f} s: {verdict})"
                line = (
                    f"{name:10} {algorithm:8} garant {seconds:>9} s min {low:>9} Gini {gini:>8} "
                    f"{state:12} {verdict}"
                )
                if theirs is not None:
                    ts, tlow, _ = _fmt(theirs)
                    ratio = (
                        f"{theirs['seconds'] / mine['seconds']:.1f}×"
                        if "error" not in theirs and "error" not in mine
                        else "—"
                    )
                    line += f" | sortition-algorithms {ts} s min {tlow} | ratio {ratio}"
                print(line, flush=True)
    print(f"load average after {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Benchmark: the sortition swap search (``SwapSearch.improve``) against its previous version.

Baseline: ``sortition/pricing.py`` as of a named commit (default ``14ed821``, the last one
before the bit-set search of ADR 0021's 05/12/2026 section), read with ``git show`` and loaded
next to the current module. Both searches get the same calls on the two pools of
``benchmarks/sortition_scale.py`` (400 volunteers / 5 criteria / k = 40 and 2,000 / 6 criteria /
k = 100, households), OpenBLAS on one thread as in the solver. The calls are either

- ``--calls solve`` (default, about two minutes): every call the solver makes in a real
  LEXIMIN solve of the 400-person pool and a maximin solve of the 2,000-person pool, recorded
  with their arguments (the real dual weights), then replayed; or
- ``--calls synthetic`` (seconds): from a compliant panel, for each of ``--rounds`` seeded
  dual-like weight vectors (half of them 0, the rest rounded so that ties happen), at most 20
  swaps (the pricing rounds) then swaps to a local optimum (the initial panels), each result
  the next start.

Every result must be the same composition (exit status 1 otherwise). Prints, per pool, the
calls, the swaps made, each version's best of ``--repeat`` timings, the ratio new / old and
the load average (the machine is shared: run it alone). Run from the repository root::

    .venv/bin/python benchmarks/sortition_swaps.py [--calls solve|synthetic] [--baseline COMMIT]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import patch

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from garant.analyses.sortition import (  # noqa: E402
    Algorithm,
    Instance,
    build_instance,
    load_pool,
    load_quotas,
    write_demo,
)
from garant.analyses.sortition.pricing import SwapSearch  # noqa: E402
from garant.analyses.sortition.problem import PanelModel, Problem, reduce_instance  # noqa: E402

Call = tuple[Any, Any, "int | None"]  # counts, weights, max_swaps

POOLS: tuple[tuple[str, int, int, tuple[str, ...], int, Algorithm], ...] = (
    ("scale_400", 400, 40, ("sexe", "tranche_age", "commune", "diplome", "csp"), 1, "leximin"),
    (
        "scale_2000",
        2000,
        100,
        ("sexe", "tranche_age", "commune", "diplome", "csp", "logement"),
        2,
        "maximin",
    ),
)


def _baseline(commit: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{commit}:src/garant/analyses/sortition/pricing.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    name = "garant.analyses.sortition._pricing_baseline"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "garant.analyses.sortition"
    exec(compile(source, f"{commit}:pricing.py", "exec"), module.__dict__)
    return module


def _instance(folder: Path, n: int, k: int, criteria: tuple[str, ...], seed: int) -> Instance:
    pool, quotas = write_demo(folder, n=n, k=k, seed=seed, criteria=criteria)
    return build_instance(
        load_pool(pool, id_column="id"),
        load_quotas(quotas),
        k,
        household_columns=("adresse", "code_postal"),
    )


def _solver_calls(instance: Instance, algorithm: Algorithm) -> tuple[Problem, list[Call]]:
    """The problem and every ``improve`` call of a real solve (the solver builds one search)."""
    from garant.analyses.sortition import algorithms, solve

    recorded: list[tuple[Problem, Call]] = []

    class Recording(SwapSearch):
        def improve(self, counts: Any, weights: Any, *, max_swaps: int | None = None) -> Any:
            recorded.append((self.problem, (np.array(counts), np.array(weights), max_swaps)))
            return super().improve(counts, weights, max_swaps=max_swaps)

    with patch.object(algorithms, "SwapSearch", Recording):
        solve(instance, algorithm)
    problems = {id(problem): problem for problem, _ in recorded}
    assert len(problems) == 1, "one search per solve"
    return recorded[0][0], [call for _, call in recorded]


def _synthetic_calls(problem: Problem, rounds: int) -> list[Call]:
    """(start, weights, max_swaps) of each call, the next start being the reference's result."""
    start, _, _ = PanelModel(problem).solve(np.zeros(problem.n_groups))
    assert start is not None
    rng = np.random.default_rng(0)
    search = SwapSearch(problem)
    calls: list[Call] = []
    for _ in range(rounds):
        weights = np.round(rng.exponential(1.0, problem.n_groups), 2)
        weights[rng.random(problem.n_groups) < 0.5] = 0.0
        for max_swaps in (20, None):
            calls.append((start, weights, max_swaps))
            start = search.improve(start, weights, max_swaps=max_swaps)
    return calls


def _run(search: Any, calls: list[Call], repeat: int) -> tuple[float, list[Any]]:
    from threadpoolctl import threadpool_limits

    best = float("inf")
    results: list[Any] = []
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(repeat):
            begin = time.perf_counter()
            results = [search.improve(s, w, max_swaps=m) for s, w, m in calls]
            best = min(best, time.perf_counter() - begin)
    return best, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="14ed821", help="commit of the previous search")
    parser.add_argument("--calls", choices=("solve", "synthetic"), default="solve")
    parser.add_argument("--rounds", type=int, default=40, help="synthetic weight vectors")
    parser.add_argument("--repeat", type=int, default=1, help="timings kept: the best")
    args = parser.parse_args()
    old = _baseline(args.baseline)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, n, k, criteria, seed, algorithm in POOLS:
            instance = _instance(Path(tmp) / name, n, k, criteria, seed)
            if args.calls == "solve":
                problem, calls = _solver_calls(instance, algorithm)
                name = f"{name} {algorithm} solve"
            else:
                problem = reduce_instance(instance)
                calls = _synthetic_calls(problem, args.rounds)
            old_s, old_results = _run(old.SwapSearch(problem), calls, args.repeat)
            new_s, new_results = _run(SwapSearch(problem), calls, args.repeat)
            equal = all(np.array_equal(a, b) for a, b in zip(old_results, new_results, strict=True))
            same &= equal
            swaps = sum(
                int(np.abs(r - c[0]).sum()) // 2 for r, c in zip(new_results, calls, strict=True)
            )
            print(
                f"{name}: {problem.n_groups} groups, {len(calls)} calls, {swaps} swaps (net); "
                f"old {old_s:.3f} s, new {new_s:.3f} s, new/old {new_s / old_s:.3f} "
                f"({old_s / new_s:.1f}x faster); same results: {'yes' if equal else 'NO'}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

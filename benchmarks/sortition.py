"""Benchmark: garant's sortition against sortition-algorithms on the same instances.

Run from the repository root::

    .venv/bin/python benchmarks/sortition.py            # shared instances + generated pools
    .venv/bin/python benchmarks/sortition.py --quick    # without the 2,000-person pool

``sortition-algorithms`` is only needed here (``pip install sortition-algorithms``); it is not
a dependency of garant. Its leximin needs Gurobi, so only its maximin and Nash are compared.
Times cover the solve only (files already parsed), each run in a fresh subprocess with a time
limit; the garant leximin on the 2,000-person pool is also run without grouping interchangeable
people to show what the grouping brings. Printed per instance and algorithm: seconds, minimum
probability, Gini coefficient, and the time ratio (sortition-algorithms / garant).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "sortition"


@dataclass(frozen=True)
class Case:
    name: str
    pool: Path
    quotas: Path
    k: int
    id_column: str
    address: tuple[str, ...]


def _cases(folder: Path, quick: bool) -> list[Case]:
    from garant.analyses.sortition import write_demo

    cases = []
    if DATA.is_dir():
        cases += [
            Case(
                "households_150_22",
                DATA / "households_150_22" / "people.csv",
                DATA / "households_150_22" / "features.csv",
                22,
                "nationbuilder_id",
                ("primary_address1", "primary_zip"),
            ),
            Case(
                "monitoring_100_30",
                DATA / "monitoring_100_30" / "respondents.csv",
                DATA / "monitoring_100_30" / "categories.csv",
                30,
                "unique_id",
                (),
            ),
            Case(
                "newdemocracy_29_11",
                DATA / "newdemocracy_small_29" / "example-people-simple-with-households.csv",
                DATA / "newdemocracy_small_29" / "example-categories-simple.csv",
                11,
                "id",
                ("primary_address1", "primary_zip"),
            ),
        ]
    pool, quotas = write_demo(folder / "fr300", n=300, k=30, seed=7)
    cases.append(Case("fr_300_30_5crit_foyers", pool, quotas, 30, "id", ("adresse", "code_postal")))
    if not quick:
        pool, quotas = write_demo(
            folder / "fr2000",
            n=2000,
            k=200,
            seed=11,
            criteria=("sexe", "tranche_age"),
            household_share=0.0,
        )
        cases.append(Case("fr_2000_200_2crit", pool, quotas, 200, "id", ()))
    return cases


def _gini(values: list[float]) -> float:
    values = sorted(values)
    n, total = len(values), sum(values)
    return sum((2 * i - n + 1) * p for i, p in enumerate(values)) / (n * total)


def _garant(case: Case, algorithm: str, aggregate: bool) -> dict[str, Any]:
    import highspy  # noqa: F401  (imported before timing, as sortition-algorithms does)
    import scipy.optimize  # noqa: F401

    from garant.analyses.sortition import build_instance, load_pool, load_quotas, solve

    instance = build_instance(
        load_pool(case.pool, id_column=case.id_column),
        load_quotas(case.quotas),
        case.k,
        household_columns=case.address,
    )
    start = time.perf_counter()
    result = solve(instance, algorithm, aggregate=aggregate)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    probs = list(result.probabilities.values())
    return {"seconds": seconds, "min": min(probs), "gini": _gini(probs), "optimal": result.optimal}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _sa(case: Case, algorithm: str) -> dict[str, Any]:
    import logging

    logging.disable(logging.CRITICAL)
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
    from sortition_algorithms.committee_generation.nash import find_distribution_nash
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people
    from sortition_algorithms.settings import Settings

    head, body = _read(case.quotas)
    features, _, _ = read_in_features(head, body, case.k)
    settings = Settings(
        id_column=case.id_column,
        columns_to_keep=[],
        check_same_address=bool(case.address),
        check_same_address_columns=list(case.address),
        random_number_seed=1,
    )
    people_head, people_body = _read(case.pool)
    people, _ = read_in_people(people_head, people_body, features, settings)
    finder: Callable[..., Any] = {
        "maximin": find_distribution_maximin,
        "nash": find_distribution_nash,
    }[algorithm]
    start, cpu = time.perf_counter(), time.process_time()
    committees, weights, _ = finder(features, people, case.k, list(case.address))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    probs = dict.fromkeys(people, 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            probs[person] += weight
    values = list(probs.values())
    return {
        "seconds": seconds,
        "cpu": cpu,
        "min": min(values),
        "gini": _gini(values),
        "optimal": True,
    }


def _worker(queue: Any, kind: str, case: Case, algorithm: str, aggregate: bool) -> None:
    try:
        with open(os.devnull, "w") as devnull:
            saved = os.dup(1)
            os.dup2(devnull.fileno(), 1)
            try:
                result = (
                    _sa(case, algorithm) if kind == "sa" else _garant(case, algorithm, aggregate)
                )
            finally:
                os.dup2(saved, 1)
        queue.put(result)
    except Exception as exc:  # report, do not crash the benchmark
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def _run(
    kind: str, case: Case, algorithm: str, timeout: float, aggregate: bool = True
) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_worker, args=(queue, kind, case, algorithm, aggregate))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return {"error": f"> {timeout:.0f} s (stopped)"}
    return queue.get() if not queue.empty() else {"error": f"exit {process.exitcode}"}


def _fmt(result: dict[str, Any] | None) -> tuple[str, str, str]:
    if result is None:
        return ("—", "—", "—")
    if "error" in result:
        return (result["error"][:22], "—", "—")
    return (f"{result['seconds']:.2f}", f"{result['min']:.6f}", f"{100 * result['gini']:.2f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 2,000-person pool")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per solve")
    parser.add_argument("--only", default="", help="run only instances whose name contains this")
    args = parser.parse_args()
    try:
        from importlib.metadata import version

        import sortition_algorithms  # noqa: F401

        sa_version = version("sortition-algorithms")
    except ImportError:
        sa_version = ""
    from importlib.metadata import version as _version

    import highspy  # noqa: F401

    print(
        f"garant vs sortition-algorithms {sa_version or '(not installed)'}; "
        f"highspy {_version('highspy')}; {os.cpu_count()} CPU(s); Python {sys.version.split()[0]}"
    )
    header = (
        f"{'instance':26} {'algorithm':9} | {'garant s':>9} {'min p':>9} {'Gini':>8} | "
        f"{'SA s':>22} {'min p':>9} {'Gini':>8} | {'ratio':>6} {'Δmin':>9}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for case in _cases(Path(folder), args.quick):
            if args.only and args.only not in case.name:
                continue
            for algorithm in ("maximin", "nash", "leximin"):
                mine = _run("garant", case, algorithm, args.timeout)
                theirs = (
                    _run("sa", case, algorithm, args.timeout)
                    if sa_version and algorithm != "leximin"
                    else None
                )
                ratio = delta = "—"
                if theirs and "error" not in theirs and "error" not in mine:
                    ratio = f"{theirs['seconds'] / mine['seconds']:.1f}×"
                    delta = f"{mine['min'] - theirs['min']:+.1e}"
                elif theirs and "error" in theirs and "error" not in mine:
                    ratio = f"> {args.timeout / mine['seconds']:.0f}×"
                a, b, c = _fmt(mine)
                d, e, f = _fmt(theirs)
                print(
                    f"{case.name:26} {algorithm:9} | {a:>9} {b:>9} {c:>8} | {d:>22} {e:>9} "
                    f"{f:>8} | {ratio:>6} {delta:>9}",
                    flush=True,
                )
            if case.name.startswith("fr_2000"):
                plain = _run("garant", case, "leximin", args.timeout, aggregate=False)
                a, b, c = _fmt(plain)
                print(
                    f"{case.name:26} {'leximin*':9} | {a:>9} {b:>9} {c:>8} |"
                    f"  (* without grouping interchangeable people)",
                    flush=True,
                )


if __name__ == "__main__":
    main()

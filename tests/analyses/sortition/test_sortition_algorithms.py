"""Selection algorithms on the shared instances: quotas, households, fairness guarantees."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sortition_support import demo_instance

from garant.analyses.sortition import (
    InfeasibleQuotasError,
    Instance,
    Quota,
    Relaxation,
    SolveProgress,
    SortitionResult,
    build_instance,
    fairness,
    load_pool,
    load_quotas,
    prepare_lottery,
    solve,
)
from garant.analyses.sortition.problem import reduce_instance

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "sortition"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data/sortition is absent")
ADDRESS = ["primary_address1", "primary_zip"]


def _households() -> Instance:
    folder = DATA / "households_150_22"
    return build_instance(
        load_pool(folder / "people.csv"),
        load_quotas(folder / "features.csv"),
        22,
        household_columns=ADDRESS,
    )


def _newdemocracy() -> Instance:
    folder = DATA / "newdemocracy_small_29"
    return build_instance(
        load_pool(folder / "example-people-simple-with-households.csv"),
        load_quotas(folder / "example-categories-simple.csv"),
        11,
        household_columns=ADDRESS,
    )


def _monitoring() -> Instance:
    folder = DATA / "monitoring_100_30"
    return build_instance(
        load_pool(folder / "respondents.csv", id_column="unique_id"),
        load_quotas(folder / "categories.csv"),
        30,
    )


@pytest.fixture(scope="module")
def households_results() -> dict[str, SortitionResult]:
    instance = _households()
    results = {alg: solve(instance, alg) for alg in ("leximin", "maximin", "nash")}  # type: ignore[misc]
    results["legacy"] = solve(instance, "legacy", legacy_draws=40, seed=3)
    return results


def _counts_ok(instance: Instance, result: SortitionResult) -> None:
    problem = reduce_instance(instance)
    assert problem.group_ids() == result.groups
    for composition in result.compositions:
        assert problem.violations(composition) == []


def _panel_ok(instance: Instance, members: tuple[str, ...]) -> None:
    index = {pid: i for i, pid in enumerate(instance.ids)}
    assert len(members) == instance.k == len(set(members))
    for quota in instance.quotas.quotas:
        count = sum(instance.features[index[m]][quota.criterion] == quota.value for m in members)
        assert quota.min <= count <= quota.max, quota.label
    homes = Counter(instance.household[index[m]] for m in members)
    homes.pop(None, None)
    assert max(homes.values(), default=0) <= 1


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "nash", "legacy"])
def test_every_panel_of_the_distribution_meets_quotas_and_households(
    households_results: dict[str, SortitionResult], algorithm: str
) -> None:
    instance = _households()
    result = households_results[algorithm]
    _counts_ok(instance, result)
    assert abs(sum(result.weights) - 1) < 1e-9
    lottery = prepare_lottery(result, 200)
    for panel in lottery.panels:
        _panel_ok(instance, panel)


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "nash", "legacy"])
def test_probabilities_sum_to_panel_size(
    households_results: dict[str, SortitionResult], algorithm: str
) -> None:
    assert sum(households_results[algorithm].probabilities.values()) == pytest.approx(22, abs=1e-6)


def test_households_share_an_address_in_the_fixture_and_never_both_sit() -> None:
    instance = _newdemocracy()
    shared = [
        pid
        for pid, h in zip(instance.ids, instance.household, strict=True)
        if instance.household.count(h) > 1
    ]
    assert shared == ["13", "14", "15"]
    result = solve(instance, "leximin")
    lottery = prepare_lottery(result, 300)
    for panel in lottery.panels:
        assert len(set(panel) & set(shared)) <= 1
    assert sum(result.probabilities[p] for p in shared) <= 1 + 1e-6


def test_leximin_keeps_maximin_minimum_and_is_lexicographically_better(
    households_results: dict[str, SortitionResult],
) -> None:
    leximin = sorted(households_results["leximin"].probabilities.values())
    maximin = sorted(households_results["maximin"].probabilities.values())
    assert leximin[0] == pytest.approx(maximin[0], abs=1e-6)
    assert leximin[0] == pytest.approx(1 / 11, abs=1e-6)  # known optimum for this fixture
    for a, b in zip(leximin, maximin, strict=True):
        if abs(a - b) > 1e-6:
            assert a > b
            break
    assert fairness(leximin).gini < fairness(maximin).gini


def test_nash_has_the_highest_geometric_mean(
    households_results: dict[str, SortitionResult],
) -> None:
    nash = fairness(households_results["nash"].probabilities).geometric_mean
    for other in ("leximin", "maximin", "legacy"):
        assert nash >= fairness(households_results[other].probabilities).geometric_mean - 1e-3


def test_monitoring_maximin_matches_published_minimum_and_is_certified() -> None:
    result = solve(_monitoring(), "maximin")
    assert min(result.probabilities.values()) == pytest.approx(0.2967, abs=1e-4)
    assert result.optimal and result.gap < 1e-6


def test_grouping_interchangeable_people_gives_the_exact_leximin() -> None:
    instance = _monitoring()
    grouped = solve(instance, "leximin")
    single = solve(instance, "leximin", aggregate=False)
    assert len(grouped.groups) < len(single.groups) == 100
    for pid, p in single.probabilities.items():
        assert grouped.probabilities[pid] == pytest.approx(p, abs=1e-5)


def _can_sit(instance: Instance, person: int) -> bool:
    """Independent check with scipy's MILP on one binary per person."""
    from scipy.optimize import LinearConstraint, milp

    n = len(instance.ids)
    rows, low, high = [np.ones(n)], [instance.k], [instance.k]
    for quota in instance.quotas.quotas:
        rows.append(np.array([f[quota.criterion] == quota.value for f in instance.features], float))
        low.append(quota.min)
        high.append(quota.max)
    for home in {h for h in instance.household if h is not None}:
        rows.append(np.array([h == home for h in instance.household], float))
        low.append(0)
        high.append(1)
    lower = np.zeros(n)
    lower[person] = 1
    from scipy.optimize import Bounds

    res = milp(
        np.zeros(n),
        constraints=LinearConstraint(np.array(rows), low, high),
        integrality=np.ones(n),
        bounds=Bounds(lower, np.ones(n)),
    )
    return res.status == 0


def test_29_person_instance_gives_zero_exactly_to_people_no_panel_can_include() -> None:
    instance = _newdemocracy()
    result = solve(instance, "leximin")
    zero = {pid for pid, p in result.probabilities.items() if p < 1e-9}
    impossible = {pid for i, pid in enumerate(instance.ids) if not _can_sit(instance, i)}
    assert zero == impossible
    assert zero  # the instance is known to force some zeros
    assert min(p for p in result.probabilities.values() if p > 1e-9) > 0.01


def test_infeasible_instance_explains_conflict_and_relaxation_becomes_feasible(
    tmp_path: Path,
) -> None:
    folder = DATA / "infeasible_200_20"
    pool, quotas = load_pool(folder / "people.csv"), load_quotas(folder / "features.csv")
    with pytest.raises(InfeasibleQuotasError) as info:
        solve(build_instance(pool, quotas, 20), "maximin")
    diagnosis = info.value.infeasibility
    assert len(diagnosis.conflicts) >= 2
    assert "en conflit" in info.value.message and info.value.hint
    assert diagnosis.relaxations and diagnosis.total_change > 0
    relaxed = tmp_path / "relaxed.csv"
    relaxed.write_text(_quotas_csv(quotas.quotas, diagnosis.relaxations), encoding="utf-8")
    result = solve(build_instance(pool, load_quotas(relaxed), 20), "maximin")
    assert sum(result.probabilities.values()) == pytest.approx(20)
    # minimal: taking back one place of any change makes the quotas infeasible again
    for i, change in enumerate(diagnosis.relaxations):
        if change.new_min < change.quota.min:
            tighter = replace(change, new_min=change.new_min + 1)
        else:
            tighter = replace(change, new_max=change.new_max - 1)
        changes = [*diagnosis.relaxations[:i], tighter, *diagnosis.relaxations[i + 1 :]]
        relaxed.write_text(_quotas_csv(quotas.quotas, changes), encoding="utf-8")
        with pytest.raises(InfeasibleQuotasError):
            solve(build_instance(pool, load_quotas(relaxed), 20), "maximin")


def _quotas_csv(quotas: tuple[Quota, ...], changes: Sequence[Relaxation]) -> str:
    changed = {(r.quota.criterion, r.quota.value): r for r in changes}
    lines = ["feature,value,min,max"]
    for q in quotas:
        r = changed.get((q.criterion, q.value))
        lines.append(
            f"{q.criterion},{q.value},{r.new_min if r else q.min},{r.new_max if r else q.max}"
        )
    return "\n".join(lines) + "\n"


def test_already_selected_count_towards_quotas_and_block_their_household() -> None:
    base = _newdemocracy()
    instance = build_instance(
        base.pool,
        base.quotas,
        11,
        household_columns=ADDRESS,
        already_selected=["13"],
        excluded=["0"],
    )
    result = solve(instance, "maximin")
    assert "13" not in result.probabilities and "0" not in result.probabilities
    assert "14" not in result.probabilities and "15" not in result.probabilities
    assert sum(result.probabilities.values()) == pytest.approx(10)
    lottery = prepare_lottery(result, 50)
    for panel in lottery.panels:
        _panel_ok(base, tuple(sorted((*panel, "13"))))


def test_time_limit_returns_a_valid_distribution_with_its_gap() -> None:
    instance = _households()
    events: list[SolveProgress] = []
    result = solve(instance, "leximin", time_limit_s=0.0, progress=events.append)
    assert not result.optimal and result.gap >= 0 and any("temps" in n for n in result.notes)
    _counts_ok(instance, result)
    assert sum(result.probabilities.values()) == pytest.approx(22, abs=1e-6)
    assert events and events[-1].upper >= events[-1].lower


def test_progress_reports_increasing_iterations() -> None:
    events: list[SolveProgress] = []
    solve(_monitoring(), "leximin", progress=events.append)
    assert [e.iteration for e in events] == list(range(1, len(events) + 1))
    assert events[-1].fixed <= events[-1].total


@pytest.mark.parametrize("algorithm", ["maximin", "leximin"])
def test_a_tiny_time_limit_is_kept_and_the_gap_covers_the_distance_to_the_optimum(
    tmp_path: Path, algorithm: str
) -> None:

    instance = demo_instance(tmp_path, n=400, k=40, seed=1)
    best = min(solve(instance, "maximin").probabilities.values())
    for limit in (0.05, 0.3):
        start = time.perf_counter()
        stopped = solve(instance, algorithm, time_limit_s=limit)  # type: ignore[arg-type]
        # Each HiGHS solve gets the time left: only Python work between two checks overruns.
        assert time.perf_counter() - start <= limit + 0.25
        assert not stopped.optimal and any("temps" in note for note in stopped.notes)
        _counts_ok(instance, stopped)
        assert sum(stopped.probabilities.values()) == pytest.approx(40, abs=1e-6)
        reached = min(stopped.probabilities.values())
        assert reached <= best + 1e-7
        assert best - reached <= stopped.gap + 1e-7


@pytest.mark.parametrize("seed", [1, 4])
def test_stages_ended_by_a_capacity_row_give_the_same_leximin_as_pricing_alone(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from garant.analyses.sortition import algorithms

    instance = demo_instance(tmp_path, n=120, k=15, seed=seed)
    fast = {alg: solve(instance, alg) for alg in ("leximin", "maximin")}  # type: ignore[misc]
    monkeypatch.setattr(algorithms, "ROW_BOUNDS", False)
    slow = {alg: solve(instance, alg) for alg in ("leximin", "maximin")}  # type: ignore[misc]
    for alg in ("leximin", "maximin"):
        assert fast[alg].optimal and slow[alg].optimal
        _counts_ok(instance, fast[alg])
    assert min(fast["maximin"].probabilities.values()) == pytest.approx(
        min(slow["maximin"].probabilities.values()), abs=1e-6
    )
    # LEXIMIN's probabilities are unique: the same for every person, whichever way it ends.
    for person, probability in slow["leximin"].probabilities.items():
        assert fast["leximin"].probabilities[person] == pytest.approx(probability, abs=1e-6)


@pytest.mark.parametrize("seed", [3, 8])
def test_fixing_by_priced_simplex_duals_gives_the_same_leximin_as_central_duals(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from garant.analyses.sortition import algorithms

    instance = demo_instance(tmp_path, n=120, k=15, seed=seed)
    simplex = solve(instance, "leximin")
    monkeypatch.setattr(algorithms, "SIMPLEX_FIXING", False)
    central = solve(instance, "leximin")
    assert simplex.optimal and central.optimal
    _counts_ok(instance, simplex)
    # LEXIMIN's probabilities are unique: whichever optimal duals justify each fixing, every
    # person ends with the same probability.
    for person, probability in central.probabilities.items():
        assert simplex.probabilities[person] == pytest.approx(probability, abs=1e-6)


@pytest.mark.parametrize("seed", [3, 8])
def test_exact_pricing_every_other_round_gives_the_same_leximin_as_after_ten_swap_rounds(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from garant.analyses.sortition import algorithms

    instance = demo_instance(tmp_path, n=120, k=15, seed=seed, household_share=0.3)
    often = solve(instance, "leximin")
    monkeypatch.setattr(algorithms, "LATER_STREAK", algorithms.HEURISTIC_STREAK)
    rarely = solve(instance, "leximin")
    assert often.optimal and rarely.optimal
    _counts_ok(instance, often)
    for person, probability in rarely.probabilities.items():
        assert often.probabilities[person] == pytest.approx(probability, abs=1e-6)


def test_fixing_a_group_without_a_positive_priced_dual_changes_the_leximin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: a wrong shortcut (fix every unfixed group) is caught."""
    from garant.analyses.sortition import algorithms

    instance = demo_instance(tmp_path, n=120, k=15, seed=3)
    right = solve(instance, "leximin")
    monkeypatch.setattr(algorithms, "FIX_THRESHOLD", -1.0)  # every unfixed group "positive"
    wrong = solve(instance, "leximin")
    assert (
        max(abs(wrong.probabilities[person] - p) for person, p in right.probabilities.items())
        > 1e-3
    )

"""Pricing components of column generation: the swap search and the cut-off MIP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sortition_support import demo_instance

from garant.analyses.sortition import solve
from garant.analyses.sortition.pricing import SwapSearch
from garant.analyses.sortition.problem import IntArray, PanelModel, Problem, reduce_instance


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    folder = tmp_path_factory.mktemp("pool")
    instance = demo_instance(folder, n=160, k=16, seed=5, household_share=0.35)
    reduced = reduce_instance(instance)
    assert reduced.households, "the fixture must have shared addresses"
    return reduced


def _start(problem: Problem) -> IntArray:
    counts, _, _ = PanelModel(problem).solve(np.zeros(problem.n_groups))
    assert counts is not None
    return counts


def test_swap_search_returns_only_quota_feasible_panels_with_households_respected(
    problem: Problem,
) -> None:
    search = SwapSearch(problem)
    start = _start(problem)
    rng = np.random.default_rng(0)
    moved = 0
    for _ in range(25):
        weights = rng.exponential(1.0, problem.n_groups)
        # Favour housemates so that the search is tempted to seat two of a household.
        for household in problem.households:
            weights[list(household)] += 5.0
        panel = search.improve(start, weights)
        assert problem.violations(panel) == []
        assert all(sum(panel[g] for g in household) <= 1 for household in problem.households)
        assert float(panel @ weights) >= float(start @ weights)
        moved += int(np.abs(panel - start).sum())
        start = panel
    assert moved > 0, "the search never found an improving swap"


def test_swap_search_never_beats_the_exact_optimum_and_stops_at_max_swaps(
    problem: Problem,
) -> None:
    search = SwapSearch(problem)
    model = PanelModel(problem)
    start = _start(problem)
    weights = np.random.default_rng(1).uniform(0.0, 1.0, problem.n_groups)
    _, optimum, bound = model.solve(weights)
    panel = search.improve(start, weights)
    assert float(panel @ weights) <= bound + 1e-9
    assert float(panel @ weights) >= 0.8 * optimum  # a local optimum, not a random panel
    one = search.improve(start, weights, max_swaps=1)
    assert int(np.abs(one - start).sum()) <= 2


def test_cut_off_pricing_certifies_that_no_panel_beats_the_threshold(problem: Problem) -> None:
    model = PanelModel(problem)
    weights = np.random.default_rng(2).uniform(0.0, 1.0, problem.n_groups)
    best, optimum, _ = model.solve(weights)
    assert best is not None
    counts, bound, complete = model.price(weights, optimum + 1e-3, _start(problem))
    assert counts is None and complete and bound == pytest.approx(optimum + 1e-3)
    counts, bound, complete = model.price(weights, optimum - 1e-3)
    assert counts is not None and complete
    assert float(counts @ weights) == pytest.approx(optimum, abs=1e-6)
    assert problem.violations(counts) == []
    # The cut-off is reset: a plain solve still finds the optimum.
    _, again, _ = model.solve(weights)
    assert again == pytest.approx(optimum, abs=1e-6)


def test_time_limited_maximin_reports_a_gap_that_covers_the_true_distance(
    tmp_path: Path,
) -> None:
    instance = demo_instance(tmp_path, n=300, k=30, seed=9)
    full = solve(instance, "maximin")
    assert full.optimal
    stopped = solve(instance, "maximin", time_limit_s=0.3)
    best = min(full.probabilities.values())
    reached = min(stopped.probabilities.values())
    assert reached <= best + 1e-7
    assert best - reached <= stopped.gap + 1e-7

"""Pricing components of column generation: the swap search and the cut-off MIP."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sortition_support import demo_instance

from garant.analyses.sortition import solve
from garant.analyses.sortition.pricing import GAIN_TOLERANCE, SHORTLIST, SwapSearch
from garant.analyses.sortition.problem import (
    FloatArray,
    IntArray,
    PanelModel,
    Problem,
    reduce_instance,
)


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
        assert problem.violations(panel.tolist()) == []
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
    assert problem.violations(counts.tolist()) == []
    # The cut-off is reset: a plain solve still finds the optimum.
    _, again, _ = model.solve(weights)
    assert again == pytest.approx(optimum, abs=1e-6)


def test_pricing_hands_back_the_other_improving_panels_it_met(problem: Problem) -> None:
    model = PanelModel(problem)
    rng = np.random.default_rng(3)
    start = _start(problem)
    met = 0
    for _ in range(10):
        weights = rng.uniform(0.0, 1.0, problem.n_groups)
        threshold = float(start @ weights)
        others: list[IntArray] = []
        counts, _, _ = model.price(weights, threshold, start, others)
        assert counts is not None
        keys = {counts.tobytes()}
        for panel in others:
            assert problem.violations(panel.tolist()) == []
            assert all(sum(panel[g] for g in h) <= 1 for h in problem.households)
            assert threshold < float(panel @ weights) <= float(counts @ weights) + 1e-9
            assert panel.tobytes() not in keys, "each panel once, the best one not repeated"
            keys.add(panel.tobytes())
        met += len(others)
    assert met > 0, "HiGHS met no other improving panel in ten searches"
    # Without the list, HiGHS stops saving solutions.
    assert model.highs.getOptionValue("mip_improving_solution_save")[1] is False


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


def _reference_swap(
    problem: Problem, counts: IntArray, weights: FloatArray, shortlist: int | None
) -> tuple[int, int] | None:
    """The specified swap, found by trying every leaver × newcomer pair and its rules."""
    n = problem.n_groups
    members = [g for g in range(n) if counts[g] > 0]
    candidates = [g for g in range(n) if counts[g] < problem.sizes[g]]
    if not members or not candidates:
        return None
    lightest = min(float(weights[m]) for m in members)
    candidates = [c for c in candidates if weights[c] > lightest + GAIN_TOLERANCE]
    if not candidates:
        return None
    if shortlist is not None:
        if len(candidates) <= shortlist:
            return None
        # The shortlist's order (and which of equal weights get in) is numpy's argpartition's.
        order = np.argpartition(-weights[np.array(candidates)], shortlist)[:shortlist]
        candidates = [candidates[int(i)] for i in order]
    heaviest = max(float(weights[c]) for c in candidates)
    members = [m for m in members if weights[m] < heaviest - GAIN_TOLERANCE]
    totals = [sum(int(counts[g]) for g in row.groups) for row in problem.rows]
    row_sets = [set(row.groups) for row in problem.rows]
    best: tuple[float, int, int] | None = None
    for m in members:
        for c in candidates:
            if c == m:
                continue
            quotas_kept = all(
                row.low <= totals[r] - (m in row_sets[r]) + (c in row_sets[r]) <= row.high
                for r, row in enumerate(problem.rows)
            )
            after = counts.copy()
            after[m] -= 1
            after[c] += 1
            households_kept = all(sum(int(after[g]) for g in h) <= 1 for h in problem.households)
            gain = float(weights[c] - weights[m])
            if quotas_kept and households_kept and (best is None or gain > best[0]):
                best = (gain, m, c)
    if best is None or not best[0] > GAIN_TOLERANCE:
        return None
    return best[1], best[2]


def _reference_improve(
    problem: Problem, counts: IntArray, weights: FloatArray, max_swaps: int | None
) -> IntArray:
    counts = counts.copy()
    swaps = 0
    while max_swaps is None or swaps < max_swaps:
        move = _reference_swap(problem, counts, weights, SHORTLIST)
        if move is None:
            move = _reference_swap(problem, counts, weights, None)
        if move is None:
            break
        counts[move[0]] -= 1
        counts[move[1]] += 1
        swaps += 1
    return counts


def _tightened(
    problem: Problem, counts: IntArray, rng: np.random.Generator, copies: int
) -> Problem:
    """The same groups with quotas squeezed around ``counts`` (many rows at a bound), each
    row ``copies`` times with its own bounds."""
    rows = []
    for row in problem.rows * copies:
        total = sum(int(counts[g]) for g in row.groups)
        low = max(0, total - int(rng.integers(0, 2)))
        rows.append(replace(row, low=low, high=total + int(rng.integers(0, 2))))
    return replace(problem, rows=tuple(rows))


SIX_CRITERIA = ("sexe", "tranche_age", "commune", "diplome", "csp", "logement")


@pytest.mark.parametrize(
    ("seed", "criteria", "copies", "words", "households_apart"),
    [
        (11, None, 1, 1, False),  # 26 rows and the household codes in one word
        (12, SIX_CRITERIA, 1, 2, True),  # 30 rows: the household codes get their own word
        (13, None, 2, 2, False),  # 52 rows over two words, the codes in the second
    ],
)
def test_swap_search_makes_the_same_swaps_as_trying_every_pair(
    tmp_path: Path,
    seed: int,
    criteria: tuple[str, ...] | None,
    copies: int,
    words: int,
    households_apart: bool,
) -> None:
    rng = np.random.default_rng(seed)
    options = {} if criteria is None else {"criteria": criteria}
    instance = demo_instance(tmp_path, n=110, k=10, seed=seed, household_share=0.4, **options)
    loose = reduce_instance(instance)
    assert loose.households and loose.n_groups > SHORTLIST + 20
    start = _start(loose)
    problem = _tightened(loose, start, rng, copies)
    search = SwapSearch(problem)
    assert (search.n_words, search.layout.apart) == (words, households_apart)
    compared = moved = 0
    for trial in range(8):
        # Few distinct weights: many equal gains, so the tie-breaking is compared too.
        weights = rng.integers(0, 6, problem.n_groups) / 5.0
        if trial % 2:
            weights = weights + rng.uniform(0.0, 1e-3, problem.n_groups)
        if trial == 7:
            weights[rng.choice(problem.n_groups, 3, replace=False)] = [np.inf, -np.inf, np.inf]
        for max_swaps in (1, 3, None):
            expected = _reference_improve(problem, start, weights, max_swaps)
            found = search.improve(start, weights, max_swaps=max_swaps)
            assert found.tolist() == expected.tolist(), (trial, max_swaps)
            assert problem.violations(found.tolist()) == []
            compared += 1
        moved += int(np.abs(expected - start).sum())
        start = expected
    assert compared == 24 and moved > 0

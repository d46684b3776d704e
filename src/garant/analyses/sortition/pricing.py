"""Heuristic pricing: improve a quota-compliant panel by swapping one member at a time.

Column generation needs, at each iteration, *some* panel whose members' dual weights exceed
the current threshold; only the last iteration of a stage needs the *best* panel, to prove that
none exists. A best-improvement local search over one-for-one swaps that keep every quota and
the household rule finds improving panels in milliseconds, so the HiGHS MIP only runs when the
search is stuck (ADR 0021). Every panel it returns meets the quotas and the household rule by
construction: a swap is made only when the quota rows it empties stay above their minimum, the
rows it fills stay below their maximum, and the newcomer's household has nobody else on the
panel.
"""

from __future__ import annotations

import numpy as np

from .problem import FloatArray, IntArray, Problem

__all__ = ["SwapSearch"]

GAIN_TOLERANCE = 1e-12
SHORTLIST = 48  # newcomers tried first, by weight; all of them only if none of these fits


class SwapSearch:
    """Best-improvement local search over one-for-one swaps between quota-compliant panels."""

    def __init__(self, problem: Problem) -> None:
        n = problem.n_groups
        self.problem = problem
        self.sizes = problem.sizes.astype(np.int64)
        self.membership = np.zeros((len(problem.rows), n), dtype=np.float64)
        for r, row in enumerate(problem.rows):
            self.membership[r, list(row.groups)] = 1.0
        self.rows_of = np.ascontiguousarray(self.membership.T)
        self.low = np.array([row.low for row in problem.rows], dtype=np.float64)
        self.high = np.array([row.high for row in problem.rows], dtype=np.float64)
        self.household = np.full(n, -1, dtype=np.int64)
        for h, members in enumerate(problem.households):
            self.household[list(members)] = h
        self.n_households = len(problem.households)

    def improve(
        self, counts: IntArray, weights: FloatArray, *, max_swaps: int | None = None
    ) -> IntArray:
        """A composition reached from ``counts`` by swaps that each raise ``weights · counts``.

        ``counts`` must meet the quotas and the household rule; so does the result. Stops at a
        local optimum (no single swap improves) or after ``max_swaps`` swaps.
        """
        counts = np.array(counts, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float64)
        totals, occupied = self._state(counts)
        swaps = 0
        while max_swaps is None or swaps < max_swaps:
            move = self._best_swap(counts, weights, totals, occupied, SHORTLIST)
            if move is None:
                move = self._best_swap(counts, weights, totals, occupied, None)
            if move is None:
                break
            out, into = move
            counts[out] -= 1
            counts[into] += 1
            totals += self.membership[:, into] - self.membership[:, out]
            if self.household[out] >= 0:
                occupied[self.household[out]] -= 1
            if self.household[into] >= 0:
                occupied[self.household[into]] += 1
            swaps += 1
        return counts

    def _state(self, counts: IntArray) -> tuple[FloatArray, FloatArray]:
        totals = self.membership @ counts
        in_household = self.household >= 0
        occupied = np.bincount(
            self.household[in_household],
            weights=counts[in_household].astype(np.float64),
            minlength=self.n_households,
        ).astype(np.float64)
        return totals, occupied

    def _best_swap(
        self,
        counts: IntArray,
        weights: FloatArray,
        totals: FloatArray,
        occupied: FloatArray,
        shortlist: int | None,
    ) -> tuple[int, int] | None:
        pairs = self._gains(counts, weights, totals, occupied, shortlist)
        if pairs is None:
            return None
        members, candidates, gain = pairs
        best = int(np.argmax(gain))
        row, column = divmod(best, len(candidates))
        if not gain[row, column] > GAIN_TOLERANCE:
            return None
        return int(members[row]), int(candidates[column])

    def _gains(
        self,
        counts: IntArray,
        weights: FloatArray,
        totals: FloatArray,
        occupied: FloatArray,
        shortlist: int | None,
    ) -> tuple[IntArray, IntArray, FloatArray] | None:
        """Leavers, newcomers and the gain of each swap (``-inf`` where a rule would break).

        With ``shortlist``, only the heaviest newcomers are considered (much cheaper on large
        pools); ``None`` then means "look at all of them" when there are few.
        """
        members = np.flatnonzero(counts > 0)
        candidates = np.flatnonzero(counts < self.sizes)
        if len(members) == 0 or len(candidates) == 0:
            return None
        # Only pairs whose newcomer weighs more than the leaver can improve.
        candidates = candidates[weights[candidates] > weights[members].min() + GAIN_TOLERANCE]
        if len(candidates) == 0:
            return None
        if shortlist is not None:
            if len(candidates) <= shortlist:
                return None  # the full search is as cheap
            heaviest = np.argpartition(-weights[candidates], shortlist)[:shortlist]
            candidates = candidates[heaviest]
        members = members[weights[members] < weights[candidates].max() - GAIN_TOLERANCE]
        if len(members) == 0:
            return None
        gain = weights[candidates][None, :] - weights[members][:, None]
        # A row at its minimum may lose the leaver only if the newcomer is in it too; a row at
        # its maximum may gain the newcomer only if the leaver was in it too.
        at_min = np.flatnonzero(totals <= self.low + 0.5)
        at_max = np.flatnonzero(totals >= self.high - 0.5)
        rows_of = self.rows_of
        broken = rows_of[np.ix_(members, at_min)] @ (1.0 - rows_of[np.ix_(candidates, at_min)].T)
        broken += (1.0 - rows_of[np.ix_(members, at_max)]) @ rows_of[np.ix_(candidates, at_max)].T
        feasible = broken < 0.5
        feasible &= members[:, None] != candidates[None, :]
        house = self.household[candidates]
        if self.n_households == 0:
            return members, candidates, np.where(feasible, gain, -np.inf)
        taken = (house >= 0) & (occupied[np.maximum(house, 0)] > 0)
        if taken.any():
            # The newcomer's housemate on the panel must be the one leaving.
            feasible &= ~taken[None, :] | (self.household[members][:, None] == house[None, :])
        return members, candidates, np.where(feasible, gain, -np.inf)

"""Heuristic pricing: improve a quota-compliant panel by swapping one member at a time.

Column generation needs, at each iteration, *some* panel whose members' dual weights exceed
the current threshold; only the last iteration of a stage needs the *best* panel, to prove that
none exists. A best-improvement local search over one-for-one swaps that keep every quota and
the household rule finds improving panels in milliseconds, so the HiGHS MIP only runs when the
search is stuck (ADR 0021). Every panel it returns meets the quotas and the household rule by
construction: a swap is made only when the quota rows it empties stay above their minimum, the
rows it fills stay below their maximum, and the newcomer's household has nobody else on the
panel.

Both rules are checked for every leaver × newcomer pair with one AND per 64-bit word (ADR
0021, 05/12/2026). Each quota row has two bits: its "min" bit is set for a leaver in the row
when the row is at its minimum and for a newcomer *outside* the row; its "max" bit is set for
a newcomer in the row and for a leaver *outside* the row when the row is at its maximum. Each
household gets a code, written twice (``code``, ``~code``) for a leaver and crosswise
(``~code``, ``code``) for a newcomer whose household already has someone seated: the AND is
not zero exactly when the two codes differ. So a swap breaks a rule exactly when the leaver's
and the newcomer's words share a bit. Which rows are at a bound and which households are
occupied is updated after each swap for the two groups swapped only.
"""

from __future__ import annotations

import numpy as np

from .problem import FloatArray, IntArray, Problem

__all__ = ["SwapSearch"]

GAIN_TOLERANCE = 1e-12
SHORTLIST = 48  # newcomers tried first, by weight; all of them only if none of these fits

_WORD_BITS = 64

BoolArray = np.ndarray[tuple[int, ...], np.dtype[np.bool_]]
WordArray = np.ndarray[tuple[int, ...], np.dtype[np.uint64]]


class _Layout:
    """Where each quota row's two bits and the household codes sit in the 64-bit words."""

    def __init__(self, n_rows: int, n_households: int) -> None:
        self.code_bits = n_households.bit_length()  # codes 1..n; 0 outside any household
        self.n_words = 0
        free = 0
        self.rows: list[tuple[int, int, int]] = []  # (word, min bit, max bit)
        for _ in range(n_rows):
            if free < 2:
                self.n_words, free = self.n_words + 1, _WORD_BITS
            at = _WORD_BITS - free
            self.rows.append((self.n_words - 1, 1 << at, 1 << (at + 1)))
            free -= 2
        # Households share the last row word when they fit; otherwise they get their own
        # word, checked only for the newcomers whose household is occupied.
        self.apart = bool(n_households and n_rows and free < 2 * self.code_bits)
        if n_households and free < 2 * self.code_bits:
            self.n_words, free = self.n_words + 1, _WORD_BITS
        self.household_word = max(self.n_words - 1, 0)
        self.household_shift = _WORD_BITS - free
        self.n_words = max(self.n_words, 1)

    def household_fields(self, code: int) -> tuple[int, int]:
        """The household field of a leaver and of a newcomer whose household is occupied."""
        ones = (1 << self.code_bits) - 1
        low, high = code, ~code & ones
        shift = self.household_shift
        return (low | high << self.code_bits) << shift, (high | low << self.code_bits) << shift


class SwapSearch:
    """Best-improvement local search over one-for-one swaps between quota-compliant panels."""

    def __init__(self, problem: Problem) -> None:
        n = problem.n_groups
        self.problem = problem
        self.sizes = problem.sizes.astype(np.int64)
        n_rows = len(problem.rows)
        self.membership = np.zeros((n_rows, n), dtype=np.int64)
        for r, row in enumerate(problem.rows):
            self.membership[r, list(row.groups)] = 1
        self.low = [int(row.low) for row in problem.rows]
        self.high = [int(row.high) for row in problem.rows]
        rows_of: list[list[int]] = [[] for _ in range(n)]
        for r, row in enumerate(problem.rows):
            for g in row.groups:
                rows_of[g].append(r)
        self.row_sets = [frozenset(rows) for rows in rows_of]
        self.n_households = len(problem.households)
        self.scratch = _Scratch()
        layout = _Layout(n_rows, self.n_households)
        self.layout = layout
        self.n_words = layout.n_words
        in_rows = [[0] * n for _ in range(self.n_words)]
        outside = [0] * self.n_words  # every row's min bit
        for r, (word, min_bit, max_bit) in enumerate(layout.rows):
            outside[word] |= min_bit
            for g in problem.rows[r].groups:
                in_rows[word][g] |= min_bit | max_bit
        leaving = [list(words) for words in in_rows]
        entering = [[w ^ outside[word] for w in words] for word, words in enumerate(in_rows)]
        occupied_entering = [list(words) for words in entering]
        self.household_bits = [0] * self.n_words  # always checked
        self.household = np.full(n, -1, dtype=np.int64)
        if self.n_households:
            word = layout.household_word
            self.household_bits[word] = ((1 << 2 * layout.code_bits) - 1) << (
                layout.household_shift
            )
            for g in range(n):
                leaving[word][g] |= layout.household_fields(0)[0]
            for h, members in enumerate(problem.households):
                own, seated = layout.household_fields(h + 1)
                for g in members:
                    self.household[g] = h
                    leaving[word][g] = in_rows[word][g] | own
                    occupied_entering[word][g] |= seated
        self.leaving: list[WordArray] = [np.array(w, dtype=np.uint64) for w in leaving]
        self.entering: list[WordArray] = [np.array(w, dtype=np.uint64) for w in entering]
        self.occupied_entering: list[WordArray] = [
            np.array(w, dtype=np.uint64) for w in occupied_entering
        ]
        self.household_of: list[int] = self.household.tolist()
        self.in_household = self.household >= 0
        self.housemates = [np.array(members, dtype=np.int64) for members in problem.households]

    def improve(
        self, counts: IntArray, weights: FloatArray, *, max_swaps: int | None = None
    ) -> IntArray:
        """A composition reached from ``counts`` by swaps that each raise ``weights · counts``.

        ``counts`` must meet the quotas and the household rule; so does the result. Stops at a
        local optimum (no single swap improves) or after ``max_swaps`` swaps. Of the best
        swaps, the one with the lowest-numbered leaver is made, then the newcomer first among
        the shortlist (in ``numpy.argpartition`` order) or, past it, the lowest-numbered one.
        """
        counts = np.array(counts, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float64)
        # With an infinite weight, a blocked swap's infinite gain times 0 would be NaN.
        finite = bool(np.isfinite(weights).all())
        totals: list[int] = (self.membership @ counts).tolist()
        low, high, rows = self.low, self.high, self.layout.rows
        at_min = [0] * self.n_words  # min bits of the rows at their minimum
        at_max = [0] * self.n_words  # max bits of the rows at their maximum
        for r, (word, min_bit, max_bit) in enumerate(rows):
            if totals[r] <= low[r]:
                at_min[word] |= min_bit
            if totals[r] >= high[r]:
                at_max[word] |= max_bit
        entering = [words.copy() for words in self.entering]
        occupied: list[int] = []
        if self.n_households:
            seated = np.bincount(
                self.household[self.in_household],
                weights=counts[self.in_household],
                minlength=self.n_households,
            )
            occupied = seated.astype(np.int64).tolist()
            word = self.layout.household_word
            taken = self.in_household.copy()
            taken[self.in_household] = seated[self.household[self.in_household]] > 0
            entering[word][taken] = self.occupied_entering[word][taken]
        swaps = 0
        while max_swaps is None or swaps < max_swaps:
            move = self._best_swap(counts, weights, at_min, at_max, entering, finite)
            if move is None:
                break
            out, into = move
            counts[out] -= 1
            counts[into] += 1
            # Rows holding both groups keep their total.
            changed = self.row_sets[out] ^ self.row_sets[into]
            for r in changed:
                totals[r] += 1 if r in self.row_sets[into] else -1
                word, min_bit, max_bit = rows[r]
                if totals[r] <= low[r]:
                    at_min[word] |= min_bit
                else:
                    at_min[word] &= ~min_bit
                if totals[r] >= high[r]:
                    at_max[word] |= max_bit
                else:
                    at_max[word] &= ~max_bit
            h = self.household_of[out]
            if h >= 0:
                occupied[h] -= 1
                if occupied[h] == 0:
                    self._seat(entering, h, self.entering)
            h = self.household_of[into]
            if h >= 0:
                occupied[h] += 1
                if occupied[h] == 1:
                    self._seat(entering, h, self.occupied_entering)
            swaps += 1
        return counts

    def _seat(self, entering: list[WordArray], h: int, source: list[WordArray]) -> None:
        word = self.layout.household_word
        mates = self.housemates[h]
        entering[word][mates] = source[word][mates]

    def _best_swap(
        self,
        counts: IntArray,
        weights: FloatArray,
        at_min: list[int],
        at_max: list[int],
        entering: list[WordArray],
        finite: bool,
    ) -> tuple[int, int] | None:
        members = (counts > 0).nonzero()[0]
        candidates = (counts < self.sizes).nonzero()[0]
        if len(members) == 0 or len(candidates) == 0:
            return None
        member_weights = weights[members]
        candidate_weights = weights[candidates]
        # Only pairs whose newcomer weighs more than the leaver can improve.
        keep = candidate_weights > member_weights.min() + GAIN_TOLERANCE
        candidates = candidates[keep]
        if len(candidates) == 0:
            return None
        candidate_weights = candidate_weights[keep]
        # The shortlist holds the heaviest newcomer, so both passes keep the same leavers.
        keep = member_weights < candidate_weights.max() - GAIN_TOLERANCE
        members = members[keep]
        if len(members) == 0:
            return None
        member_weights = member_weights[keep]
        words: list[tuple[WordArray, WordArray]] = []
        apart: tuple[WordArray, WordArray] | None = None
        for word in range(self.n_words):
            if self.layout.apart and word == self.layout.household_word:
                apart = (self.leaving[word][members][:, None], entering[word])
                continue
            checked = at_min[word] | at_max[word] | self.household_bits[word]
            if checked:
                flipped = self.leaving[word][members] ^ np.uint64(at_max[word])
                words.append(((flipped & np.uint64(checked))[:, None], entering[word]))
        pairs = _Pairs(members, member_weights[:, None], words, apart, finite, self.scratch)
        if len(candidates) > SHORTLIST:
            heaviest = (-candidate_weights).argpartition(SHORTLIST)[:SHORTLIST]
            move = pairs.best(candidates[heaviest], candidate_weights[heaviest])
            if move is not None:
                return move
        return pairs.best(candidates, candidate_weights)


class _Scratch:
    """Matrices reused from one swap step to the next: fresh ones of a megabyte cost more in
    page faults than the arithmetic done in them (2,000-person pool: 5x)."""

    def __init__(self) -> None:
        self.size = 0
        self.gains: FloatArray = np.empty(0, dtype=np.float64)
        self.words: WordArray = np.empty(0, dtype=np.uint64)
        self.allowed: BoolArray = np.empty(0, dtype=np.bool_)

    def matrices(self, rows: int, columns: int) -> tuple[FloatArray, WordArray, BoolArray]:
        size = rows * columns
        if size > self.size:
            self.size = max(size, 2 * self.size)
            self.gains = np.empty(self.size, dtype=np.float64)
            self.words = np.empty(self.size, dtype=np.uint64)
            self.allowed = np.empty(self.size, dtype=np.bool_)
        shape = (rows, columns)
        return (
            self.gains[:size].reshape(shape),
            self.words[:size].reshape(shape),
            self.allowed[:size].reshape(shape),
        )


class _Pairs:
    """The leavers of one swap step, against which newcomers are tried."""

    def __init__(
        self,
        members: IntArray,
        column: FloatArray,
        words: list[tuple[WordArray, WordArray]],
        apart: tuple[WordArray, WordArray] | None,
        finite: bool,
        scratch: _Scratch,
    ) -> None:
        self.scratch = scratch
        self.members = members
        self.column = column
        self.words = words
        self.apart = apart  # the household word, when not among ``words``
        self.finite = finite

    def best(self, candidates: IntArray, weights: FloatArray) -> tuple[int, int] | None:
        """The first best improving swap, leavers by row and newcomers by column."""
        gain, broken, allowed_ = self.scratch.matrices(len(self.members), len(candidates))
        np.subtract(weights, self.column, out=gain)
        allowed: BoolArray | None = None
        if self.words:
            leaving, entering = self.words[0]
            np.bitwise_and(leaving, entering[candidates], out=broken)
            for leaving, entering in self.words[1:]:
                broken |= leaving & entering[candidates]
            allowed = np.equal(broken, 0, out=allowed_)
        if self.apart is not None:
            # Newcomers with an empty household word (nobody of theirs seated) clash with none.
            leaving, entering = self.apart
            seated = entering[candidates]
            columns = seated.nonzero()[0]
            if len(columns):
                if allowed is None:
                    allowed = np.ones(gain.shape, dtype=np.bool_)
                allowed[:, columns] &= (leaving & seated[columns]) == 0
        # A group swapped for itself gains 0 (its weight is finite: the filters of
        # ``_best_swap`` drop infinite leavers and newcomers that would make it NaN).
        if self.finite:
            # Blocked swaps gain 0: never above the tolerance, so never chosen.
            if allowed is not None:
                gain *= allowed
        elif allowed is not None:
            gain = np.where(allowed, gain, -np.inf)
        best = int(gain.argmax())
        if not gain.item(best) > GAIN_TOLERANCE:
            return None
        row, column = divmod(best, len(candidates))
        return int(self.members[row]), int(candidates[column])

"""Selection algorithms: LEXIMIN, maximin, Nash welfare (column generation on HiGHS) and legacy.

LEXIMIN follows Flanigan, Gölz, Gupta, Hennig and Procaccia (Nature 596, 2021): a sequence of
stages, each maximising the smallest probability among the people not yet fixed; the stage LP
is solved by column generation over quota-compliant panels (restricted master LP solved by
HiGHS primal simplex, kept warm). Pricing (ADR 0021) tries a swap search first
(:mod:`.pricing`: a few one-for-one swaps from the best known panels, milliseconds); after
``HEURISTIC_STREAK`` such rounds (``LATER_STREAK`` from stage 2 on, where the exact round
also adds the swap search's panels and the MIP's other improving solutions), or when it finds
nothing, a HiGHS MIP prices exactly, at a
point between the master's duals and the best-bound duals so far (Wentges smoothing; on a
mispricing the point moves back to the master's duals), and a stage ends only when the MIP,
with a cut-off at the threshold, proves that no panel improves. Those priced simplex duals are
then optimal over every panel, so the groups with a positive dual cannot get more than the
stage value in any optimal distribution and are fixed at it (ADR 0021, session 4b). Only when
they fix nobody is the master re-solved (on a copy) with HiGHS's interior-point method
*without crossover*, whose (nearly) strictly complementary duals are priced in turn. A stage also ends, without pricing, when the master reaches a capacity row's
bound (a quota maximum, a household or the whole panel shared by the unfixed groups of the
row): those groups are then pinned at the stage value and fixed (ADR 0021, session 4).
Maximin is the first stage alone. Every exact pricing gives a certified upper bound on the
stage value; a time stop adds the bound of the pricing LP relaxation, and every HiGHS solve
gets only the time left.

Nash welfare maximises the sum of the logarithms of the probabilities, by fully corrective
Frank–Wolfe: pricing with weights 1/p_i finds the best new panel, the weights over the panels
found so far are re-optimised by the EM (multiplicative) update, and the Frank–Wolfe gap
certifies the distance to the optimum. Legacy is the greedy draw the Sortition Foundation used
before 2020, repeated to estimate its probabilities (for comparison only).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from garant.i18n import tr

from .feasibility import InfeasibleQuotasError, diagnose, explain
from .model import Algorithm, Instance, ProgressCallback, SolveProgress, SortitionResult
from .pricing import SwapSearch
from .problem import (
    FloatArray,
    IntArray,
    PanelModel,
    Problem,
    limit_lp_time,
    new_highs,
    reduce_instance,
)

__all__ = ["solve"]

EPS = 1e-7
FIX_THRESHOLD = 1e-6
# A fixed group keeps its value to within this (per member): HiGHS meets constraints to 1e-7,
# so a tighter floor can make the next stage's master infeasible by rounding alone.
FIX_SLACK = 1e-7
FINISH_RESERVE = 0.01  # part of a time limit kept for the last solves and the answer ...
FINISH_RESERVE_MAX = 2.0  # ... at most this many seconds
NASH_TOLERANCE = 1e-5  # Frank-Wolfe gap, relative to the number of people, at which Nash stops
INITIAL_DIVISOR = 4  # multiplicative-weights rounds: n / 4, at most INITIAL_ROUNDS
INITIAL_ROUNDS = 30
COVER_STARTS = 3  # other known panels the swap search starts from to bring a group in
SMOOTHING = 0.5  # Wentges dual smoothing: weight of the best-bound duals in exact pricing
HEURISTIC_STREAK = 10  # swap-search rounds in a row before an exact (MIP) pricing round ...
# ... from the second LEXIMIN stage on, where the swap search's panels alone improve the master
# little per round: there every other round is exact, and adds the swap search's panels too
# (ADR 0021, 2026-12-05: 400-person LEXIMIN on three pools, 243 s of CPU -> 127 s).
LATER_STREAK = 1
SEARCH_SWAPS = 20  # at most this many swaps from each start
SEARCH_STARTS = 3  # best known panels the swap search starts from at each pricing round
# ... from the second LEXIMIN stage on. Every master solve refactorises its basis (each column
# seats k people, so the LU is dense: about 40 ms on the 400-person pool whatever the number of
# pivots), so there fewer rounds with more columns each win; in the first stage (maximin) of
# the 2,000-person pool the wider search cost more than it saved (ADR 0021, session 4b).
LATER_STARTS = 24
SIMPLEX_STRATEGY = 4  # primal simplex: adding a column keeps the basis primal feasible
ROW_BOUNDS = True  # end a stage when a capacity row pins it (False: pricing and central duals only)
# Fix the groups with a positive dual in the priced simplex solution, without the interior-point
# solve (which runs only when that solution fixes nobody). False: central duals always.
SIMPLEX_FIXING = True


@dataclass
class _Clock:
    start: float
    limit: float | None
    progress: ProgressCallback | None
    iteration: int = 0

    def expired(self) -> bool:
        return self.limit is not None and time.perf_counter() - self.start > self.limit

    def left(self) -> float | None:
        """Seconds left before the limit (``None`` without one, never below zero)."""
        if self.limit is None:
            return None
        return max(0.0, self.limit - (time.perf_counter() - self.start))

    def report(
        self, phase: str, stage: int, fixed: int, total: int, low: float, high: float
    ) -> None:
        self.iteration += 1
        if self.progress is not None:
            self.progress(
                SolveProgress(
                    phase,
                    self.iteration,
                    stage,
                    fixed,
                    total,
                    low,
                    high,
                    time.perf_counter() - self.start,
                )
            )


@dataclass
class _Columns:
    """The compositions generated so far (deduplicated), also kept as rows of a matrix."""

    items: list[IntArray] = field(default_factory=list)
    seen: set[bytes] = field(default_factory=set)
    _rows: IntArray | None = None

    def add(self, counts: IntArray) -> bool:
        key = counts.tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        self.items.append(counts)
        if self._rows is None:
            self._rows = np.zeros((64, len(counts)), dtype=np.int64)
        elif len(self.items) > len(self._rows):
            self._rows = np.vstack([self._rows, np.zeros_like(self._rows)])
        self._rows[len(self.items) - 1] = counts
        return True

    def matrix(self) -> IntArray:
        """One row per composition, in the order they were added."""
        if self._rows is None:
            return np.zeros((0, 0), dtype=np.int64)
        return self._rows[: len(self.items)]


class _Master:
    """Restricted master LP: maximise z, each unfixed group's probability >= z."""

    def __init__(self, problem: Problem) -> None:
        import highspy

        self.problem = problem
        n = problem.n_groups
        self.sizes = problem.sizes.astype(np.float64)
        lp = highspy.HighsLp()
        lp.num_col_ = 1
        lp.num_row_ = n + 1
        lp.col_cost_ = np.array([1.0])
        lp.col_lower_ = np.array([0.0])
        lp.col_upper_ = np.array([1.0])
        lp.row_lower_ = np.concatenate([[1.0], np.zeros(n)])
        lp.row_upper_ = np.concatenate([[1.0], np.full(n, highspy.kHighsInf)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array([0, n], dtype=np.int32)
        lp.a_matrix_.index_ = np.arange(1, n + 1, dtype=np.int32)
        lp.a_matrix_.value_ = -self.sizes
        lp.sense_ = highspy.ObjSense.kMaximize
        self.highs = new_highs()
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("simplex_strategy", SIMPLEX_STRATEGY)
        self.highs.passModel(lp)
        self.fixed: dict[int, float] = {}
        self.status: object = None  # HiGHS's model status after the last solve
        self.n_columns = 0
        self._inf = highspy.kHighsInf
        # Capacity rows: every quota row (at most ``high`` seats), every household (one
        # seat) and the whole pool (``k`` seats); see ``row_bounds``.
        rows = [list(row.groups) for row in problem.rows] + [list(h) for h in problem.households]
        self.capacity_rows = np.zeros((len(rows) + 1, n))
        for r, members in enumerate(rows):
            self.capacity_rows[r, members] = 1.0
        self.capacity_rows[-1, :] = 1.0
        self.capacities = np.array(
            [float(row.high) for row in problem.rows]
            + [1.0] * len(problem.households)
            + [float(problem.k)]
        )

    def add(self, counts: IntArray) -> None:
        nz = np.flatnonzero(counts)
        index = np.concatenate([[0], nz + 1]).astype(np.int32)
        values = np.concatenate([[1.0], counts[nz].astype(np.float64)])
        self.highs.addCol(0.0, 0.0, self._inf, len(index), index, values)
        self.n_columns += 1

    def fix(self, group: int, probability: float) -> None:
        self.fixed[group] = probability
        self.highs.changeCoeff(group + 1, 0, 0.0)
        floor = probability * self.sizes[group] - FIX_SLACK * max(1.0, self.sizes[group])
        self.highs.changeRowBounds(
            group + 1, max(floor, 0.0) if probability > 0 else -self._inf, self._inf
        )

    def solve(
        self, *, interior: bool = False, time_limit: float | None = None
    ) -> tuple[float, FloatArray, FloatArray] | None:
        """Solve; return z, the weights of the columns and the normalised dual weights y.

        ``None`` when ``time_limit`` (seconds) stopped HiGHS before the optimum: the caller
        keeps the previous solution, which is still a valid distribution.
        """
        import highspy

        if time_limit is not None and time_limit <= 0:
            return None
        if interior:
            # On a copy, so that the simplex keeps its basis for the next columns.
            highs = new_highs()
            highs.setOptionValue("solver", "ipm")
            highs.setOptionValue("run_crossover", "off")
            highs.passModel(self.highs.getLp())
        else:
            highs = self.highs
        limit_lp_time(highs, time_limit)
        highs.run()
        self.status = highs.getModelStatus()
        if self.status != highspy.HighsModelStatus.kOptimal:
            return None
        solution = highs.getSolution()
        values = np.array(solution.col_value)
        z = float(values[0])
        weights = np.clip(values[1:], 0.0, None)
        y = np.clip(-np.array(solution.row_dual)[1:], 0.0, None)
        unfixed = np.ones(self.problem.n_groups, dtype=bool)
        unfixed[list(self.fixed)] = False
        total = float(np.dot(self.sizes[unfixed], y[unfixed]))
        if total > 0:
            y = y / total
        return z, weights, y

    def fixed_term(self, y: FloatArray) -> float:
        return float(sum(self.sizes[g] * p * y[g] for g, p in self.fixed.items()))

    def row_bounds(self) -> FloatArray:
        """Upper bounds on the stage value that need no solve, one per capacity row.

        Every panel seats ``k`` people, at most ``high`` from each quota row and at most one
        from each household; the fixed groups are guaranteed their value. So the unfixed
        groups of a row share at most its capacity minus what its fixed groups are
        guaranteed, and the smallest of their probabilities is at most the average. A row
        without unfixed groups bounds nothing (``inf``). When the master reaches a row's
        bound, every unfixed group of that row has exactly the stage value in every optimal
        distribution (none can be above it without another being below).
        """
        unfixed = np.ones(self.problem.n_groups, dtype=bool)
        unfixed[list(self.fixed)] = False
        guaranteed = np.zeros(self.problem.n_groups)
        for g, p in self.fixed.items():
            guaranteed[g] = max(0.0, p * self.sizes[g] - FIX_SLACK * max(1.0, self.sizes[g]))
        shared = self.capacity_rows @ np.where(unfixed, self.sizes, 0.0)
        left = self.capacities - self.capacity_rows @ guaranteed
        with np.errstate(divide="ignore", invalid="ignore"):
            bounds = np.where(shared > 0, np.maximum(left, 0.0) / shared, np.inf)
        return np.asarray(bounds, dtype=np.float64)

    def forced(self, z: float, bounds: FloatArray) -> list[int]:
        """Unfixed groups of the rows whose bound ``z`` reaches: their probability is ``z``."""
        tight = np.flatnonzero(bounds <= z + EPS)
        if len(tight) == 0:
            return []
        members = self.capacity_rows[tight].max(axis=0) > 0
        return [int(g) for g in np.flatnonzero(members) if int(g) not in self.fixed]


def _initial_columns(
    problem: Problem,
    model: PanelModel,
    search: SwapSearch,
    columns: _Columns,
    first: IntArray,
    rng: np.random.Generator,
    clock: _Clock,
) -> set[int]:
    """Diverse panels by multiplicative weights, then one covering each group if possible.

    The panels come from the swap search (milliseconds each) started from the previous one;
    the MIP only runs for a group that no swap brings in, and proves it impossible when even
    the MIP leaves it out. Returns the groups that no quota-compliant panel can include
    (probability 0 for them).
    """
    n = problem.n_groups
    sizes = problem.sizes.astype(np.float64)
    weights = np.ones(n)
    columns.add(first)
    current = first
    rounds = min(max(n // INITIAL_DIVISOR, 5), INITIAL_ROUNDS)
    for _ in range(rounds):
        current = search.improve(current, weights * rng.uniform(0.5, 1.0, n))
        columns.add(current)
        weights *= 1.0 - 0.2 * current / sizes
        weights *= n / weights.sum()
        if clock.expired():
            break
    covered = columns.matrix().max(axis=0) > 0
    impossible: set[int] = set()
    small = 0.5 / (problem.k + 1)
    for g in range(n):
        if covered[g]:
            continue
        if clock.expired():  # the groups left uncovered get probability 0 in the answer
            break
        target = np.where(covered, 0.0, small)
        target[g] = 1.0
        counts = search.improve(current, target)
        if counts[g] == 0:
            for j in rng.choice(len(columns.items), min(COVER_STARTS, len(columns.items))):
                counts = search.improve(columns.items[int(j)], target)
                if counts[g] > 0:
                    break
        if counts[g] == 0:
            found, _, _ = model.solve(target)
            if found is None:  # the time limit stopped HiGHS before any answer
                break
            counts = found
        if counts[g] == 0:
            impossible.add(g)
            continue
        columns.add(counts)
        covered |= counts > 0
    return impossible


def _probabilities(problem: Problem, columns: list[IntArray], weights: FloatArray) -> FloatArray:
    if not columns:
        return np.zeros(problem.n_groups)
    matrix = np.array(columns, dtype=np.float64)
    return (weights @ matrix) / problem.sizes


def _improving(
    search: SwapSearch, columns: _Columns, y: FloatArray, threshold: float, n_starts: int
) -> tuple[list[IntArray], IntArray]:
    """Panels worth more than ``threshold`` found by swaps from the best panels known.

    Returns them (new ones only) and the best panel reached, to seed the MIP when none is.
    """
    values = columns.matrix() @ y
    starts = np.argsort(-values)[:n_starts]
    found: list[IntArray] = []
    best, best_value = columns.items[int(starts[0])], float(columns.items[int(starts[0])] @ y)
    keys: set[bytes] = set()
    for j in starts:
        counts = search.improve(columns.items[int(j)], y, max_swaps=SEARCH_SWAPS)
        value = float(counts @ y)
        if value > best_value:
            best, best_value = counts, value
        key = counts.tobytes()
        if value > threshold and key not in columns.seen and key not in keys:
            keys.add(key)
            found.append(counts)
    return found, best


def _leximin(
    problem: Problem,
    model: PanelModel,
    search: SwapSearch,
    columns: _Columns,
    impossible: set[int],
    clock: _Clock,
    *,
    first_stage_only: bool,
) -> tuple[FloatArray, bool, float, list[str]]:
    """LEXIMIN stages (maximin: the first alone) by column generation.

    Each iteration prices with the swap search first; the MIP runs only when the search finds
    no improving panel, and it is that MIP (with a cut-off at the threshold) which proves the
    stage optimal. LEXIMIN prices the central (interior-point) duals before fixing anyone.

    The time limit is a limit: every HiGHS solve gets the time left; a master LP that it
    stops keeps the previous master solution (a valid distribution), and the certified gap is
    the best bound proven so far (the unfixed groups' average when nothing better was proven).
    """
    import highspy

    timely = (None, highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit)
    master = _Master(problem)
    for column in columns.items:
        master.add(column)
    for g in impossible:
        master.fix(g, 0.0)
    n = problem.n_groups
    stage = 0
    notes: list[str] = []
    weights, z, y = _fallback(problem, columns, master)
    optimal, gap = True, 0.0
    upper = 1.0
    relaxed: PanelModel | None = None
    while len(master.fixed) < n:
        stage += 1
        bounds = master.row_bounds()
        if not ROW_BOUNDS:
            bounds[:-1] = np.inf  # the whole pool's average only
        upper = float(bounds.min())
        forced: list[int] = []  # groups a capacity row pins at the stage value
        central = False
        center: FloatArray | None = None
        smoothing = SMOOTHING
        streak = 0  # pricing rounds answered by the swap search in a row
        stopped = False
        while True:
            solved = master.solve(time_limit=clock.left())
            if solved is None:
                stopped = True
                break
            z, weights, y = solved
            if z >= float(bounds.min()) - EPS:
                # Certified without pricing: a capacity row allows no more (``row_bounds``).
                upper = min(upper, float(bounds.min()))
                forced = master.forced(z, bounds)
                clock.report("stage", stage, len(master.fixed), n, z, upper)
                break
            if central:
                centred = master.solve(interior=True, time_limit=clock.left())
                if centred is None:
                    stopped = True
                    break
                y = centred[2]
            fixed_term = master.fixed_term(y)
            threshold = z + fixed_term + EPS
            values = columns.matrix() @ y
            found: list[IntArray] = []
            best = columns.items[int(np.argmax(values))]
            n_starts = SEARCH_STARTS if stage == 1 else LATER_STARTS
            searched = SEARCH_STARTS > 0 and streak < (
                HEURISTIC_STREAK if stage == 1 else LATER_STREAK
            )
            if searched:
                found, best = _improving(search, columns, y, threshold, n_starts)
            streak = streak + 1 if found else 0
            complete = True
            if not found and smoothing > 0 and center is not None and not central:
                # Wentges smoothing: price a point between the best-bound duals and these.
                guide = smoothing * center + (1 - smoothing) * y
                counts, _, bound = model.solve(guide)
                if counts is None:
                    complete = False
                else:
                    guide_bound = bound - master.fixed_term(guide)
                    if guide_bound < upper:
                        upper, center = guide_bound, guide
                    if float(counts @ y) > threshold and counts.tobytes() not in columns.seen:
                        found = [counts]
                        smoothing = SMOOTHING
                    else:  # mispricing: move towards the master's duals
                        smoothing = smoothing / 2 if smoothing > 0.1 else 0.0
                        clock.report("stage", stage, len(master.fixed), n, z, upper)
                        if clock.expired():
                            stopped = True
                            break
                        continue
            elif not found:
                others: list[IntArray] = []
                counts, bound, complete = model.price(y, threshold, best, others)
                if bound - fixed_term < upper:
                    upper, center = bound - fixed_term, y
                if counts is not None:
                    found = [counts, *others]
                smoothing = SMOOTHING
            if found and not searched and stage > 1 and SEARCH_STARTS > 0:
                # An exact round of a later stage: the swap search's panels join the MIP's.
                found += _improving(search, columns, y, threshold, n_starts)[0]
            clock.report("stage", stage, len(master.fixed), n, z, upper)
            added = [counts for counts in found if columns.add(counts)]
            for counts in added:
                master.add(counts)
            if not complete or clock.expired():
                stopped = True
                break
            if not added:  # certified: no panel beats the threshold
                if first_stage_only or central:
                    break
                if SIMPLEX_FIXING and _fixes_someone(master, y):
                    # These duals were just priced: they are optimal for every panel, so a
                    # group with a positive dual has the stage value in every optimum.
                    break
                central = True  # converged on the simplex duals: now the central ones
                continue
            central = False
        if stopped:
            # ``z`` and ``weights`` are the last master solution; ``y`` its duals.
            left = clock.left()
            if left is not None and left > 0:
                relaxed = relaxed or PanelModel(problem, integer=False)
                bound = relaxed.relaxation_bound(y, time_limit=left)
                upper = min(upper, bound - master.fixed_term(y))
            optimal, gap = False, max(0.0, upper - z)
            if master.status in timely or clock.expired():
                notes.append(_time_note(stage, gap))
            else:  # HiGHS failed on the master (numerical trouble): say so, keep the answer
                notes.append(
                    tr(
                        "Arrêt à l'étape {stage} (le solveur n'a pas résolu le problème maître : "
                        "{status}) : écart certifié {gap:.2e}",
                        "Stopped at stage {stage} (the solver failed on the master problem: "
                        "{status}): certified gap {gap:.2e}",
                        stage=stage,
                        status=str(master.status),
                        gap=gap,
                    )
                )
            clock.report("stage", stage, len(master.fixed), n, z, max(upper, z))
            break
        if first_stage_only:
            gap = max(0.0, upper - z)
            break
        if forced:
            for g in forced:
                master.fix(g, max(z, 0.0))
            continue
        unfixed = [g for g in range(n) if g not in master.fixed]
        newly = [g for g in unfixed if y[g] * problem.sizes[g] > FIX_THRESHOLD]
        if not newly:
            newly = [max(unfixed, key=lambda g: y[g])]
        for g in newly:
            master.fix(g, max(z, 0.0))
        # The last master solution already gives every newly fixed group its value, so it
        # stays the answer when everyone is fixed.
    return weights, optimal, gap, notes


def _fixes_someone(master: _Master, y: FloatArray) -> bool:
    """Whether some unfixed group has a positive dual weight in ``y`` (see ``FIX_THRESHOLD``)."""
    unfixed = np.ones(master.problem.n_groups, dtype=bool)
    unfixed[list(master.fixed)] = False
    return bool((y[unfixed] * master.sizes[unfixed] > FIX_THRESHOLD).any())


def _fallback(
    problem: Problem, columns: _Columns, master: _Master
) -> tuple[FloatArray, float, FloatArray]:
    """The uniform mix of the initial panels: the answer if no master LP finishes in time."""
    count = len(columns.items)
    weights = np.full(count, 1.0 / count)
    probabilities = _probabilities(problem, columns.items, weights)
    unfixed = np.ones(problem.n_groups, dtype=bool)
    unfixed[list(master.fixed)] = False
    z = float(probabilities[unfixed].min()) if unfixed.any() else 1.0
    y = np.where(unfixed, 1.0, 0.0) / max(1.0, float(master.sizes[unfixed].sum()))
    return weights, z, y


def _time_note(stage: int, gap: float) -> str:
    return tr(
        "Limite de temps atteinte à l'étape {stage} : écart certifié {gap:.2e}",
        "Time limit reached at stage {stage}: certified gap {gap:.2e}",
        stage=stage,
        gap=gap,
    )


def _nash(
    problem: Problem, model: PanelModel, columns: _Columns, impossible: set[int], clock: _Clock
) -> tuple[FloatArray, bool, float, list[str]]:
    sizes = problem.sizes.astype(np.float64)
    active = np.ones(problem.n_groups, dtype=bool)
    active[list(impossible)] = False
    total = float(sizes[active].sum())
    weights = np.full(len(columns.items), 1.0 / len(columns.items))
    notes: list[str] = []
    gap = float("inf")
    while True:
        matrix = np.array(columns.items, dtype=np.float64)[:, active]
        for _ in range(2000):
            probs = (weights @ matrix) / sizes[active]
            gradient = matrix @ (1.0 / probs)
            if gradient[weights > 1e-12].max() <= total * (1 + 1e-7):
                break
            weights = weights * gradient / total
            weights /= weights.sum()
        probs = (weights @ matrix) / sizes[active]
        prices = np.zeros(problem.n_groups)
        prices[active] = 1.0 / probs
        counts, _, bound = model.solve(prices)
        if counts is None:
            notes.append(
                tr(
                    "Limite de temps atteinte : écart de bien-être certifié {gap:.2e}",
                    "Time limit reached: certified welfare gap {gap:.2e}",
                    gap=gap,
                )
            )
            return weights, False, gap, notes
        gap = max(0.0, bound - total)
        objective = float(np.dot(sizes[active], np.log(probs)))
        clock.report("nash", 1, 0, problem.n_groups, objective, objective + gap)
        if gap <= NASH_TOLERANCE * total or not columns.add(counts):
            return weights, True, gap, notes
        if clock.expired():
            notes.append(
                tr(
                    "Limite de temps atteinte : écart de bien-être certifié {gap:.2e}",
                    "Time limit reached: certified welfare gap {gap:.2e}",
                    gap=gap,
                )
            )
            return weights, False, gap, notes
        # Frank-Wolfe line search towards the new panel, then EM again on all panels.
        new = counts[active].astype(np.float64) / sizes[active]
        low, high = 0.0, 1.0
        for _ in range(50):
            step = (low + high) / 2
            mixed = (1 - step) * probs + step * new
            derivative = float(np.dot(sizes[active], (new - probs) / mixed))
            low, high = (step, high) if derivative > 0 else (low, step)
        step = max(low, 1e-6)
        weights = np.concatenate([weights * (1 - step), [step]])


def _legacy(
    problem: Problem,
    rng: np.random.Generator,
    draws: int,
    clock: _Clock,
) -> tuple[_Columns, FloatArray, list[str]]:
    """The greedy draw: fill the most urgent minimum first, at random within it."""
    instance = problem.instance
    group_of: dict[int, int] = {}
    people: list[int] = []
    for g, members in enumerate(problem.groups):
        for i in members:
            group_of[i] = g
            people.append(i)
    rows_of = {
        i: [r for r, row in enumerate(problem.rows) if group_of[i] in row.groups] for i in people
    }
    members_of = [[i for i in people if group_of[i] in row.groups] for row in problem.rows]
    housemates: dict[int, list[int]] = {}
    for household in problem.households:
        persons = [problem.groups[g][0] for g in household]
        for i in persons:
            housemates[i] = [j for j in persons if j != i]
    columns = _Columns()
    counts_of: dict[bytes, int] = {}
    failures = 0
    done = 0
    while done < draws:
        panel = _legacy_once(problem, rng, people, rows_of, members_of, housemates)
        if panel is None:
            failures += 1
            if failures > 100 * draws:
                break
            continue
        counts = np.zeros(problem.n_groups, dtype=np.int64)
        for i in panel:
            counts[group_of[i]] += 1
        columns.add(counts)
        counts_of[counts.tobytes()] = counts_of.get(counts.tobytes(), 0) + 1
        done += 1
        if clock.expired():
            break
        if done % 50 == 0:
            clock.report("legacy", 1, done, draws, 0.0, 0.0)
    weights = (
        np.array([counts_of[c.tobytes()] / done for c in columns.items]) if done else np.zeros(0)
    )
    notes = [
        tr(
            "Probabilités estimées sur {n} tirages ({f} échecs recommencés)",
            "Probabilities estimated from {n} draws ({f} failed attempts retried)",
            n=done,
            f=failures,
        )
    ]
    del instance
    return columns, weights, notes


def _legacy_once(
    problem: Problem,
    rng: np.random.Generator,
    people: list[int],
    rows_of: dict[int, list[int]],
    members_of: list[list[int]],
    housemates: dict[int, list[int]],
) -> list[int] | None:
    remaining = set(people)
    filled = [0] * len(problem.rows)
    panel: list[int] = []
    while len(panel) < problem.k:
        if not remaining:
            return None
        best, best_ratio = None, 0.0
        for r, row in enumerate(problem.rows):
            need = row.low - filled[r]
            if need <= 0:
                continue
            available = sum(1 for i in members_of[r] if i in remaining)
            if available < need:
                return None
            ratio = need / available
            if ratio > best_ratio:
                best, best_ratio = r, ratio
        pool = (
            sorted(remaining) if best is None else [i for i in members_of[best] if i in remaining]
        )
        person = pool[int(rng.integers(len(pool)))]
        panel.append(person)
        remaining.discard(person)
        for mate in housemates.get(person, []):
            remaining.discard(mate)
        for r in rows_of[person]:
            filled[r] += 1
            if filled[r] >= problem.rows[r].high:
                remaining.difference_update(members_of[r])
    if any(not row.low <= filled[r] <= row.high for r, row in enumerate(problem.rows)):
        return None
    return panel


def solve(
    instance: Instance,
    algorithm: Algorithm = "leximin",
    *,
    time_limit_s: float | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
    legacy_draws: int = 1000,
    aggregate: bool = True,
) -> SortitionResult:
    """Compute the selection distribution for ``instance``.

    ``time_limit_s`` stops column generation and returns the best distribution found so far
    (every panel still meets the quotas) with ``optimal=False`` and its certified ``gap``.
    ``progress`` is called after each iteration. ``seed`` only drives tie-breaking in the
    initial panels (and the legacy draws); the published lottery makes the final draw
    verifiable whatever the solver does. Raises :class:`InfeasibleQuotasError` with an
    explanation and the smallest relaxation when no panel meets the quotas.
    """
    from threadpoolctl import threadpool_limits

    # The swap search multiplies small matrices: OpenBLAS's threads only spin (and, on a loaded
    # machine, triple its CPU time), so BLAS runs on one thread while solving.
    with threadpool_limits(limits=1, user_api="blas"):
        return _solve(
            instance,
            algorithm,
            time_limit_s=time_limit_s,
            progress=progress,
            seed=seed,
            legacy_draws=legacy_draws,
            aggregate=aggregate,
        )


def _solve(
    instance: Instance,
    algorithm: Algorithm,
    *,
    time_limit_s: float | None,
    progress: ProgressCallback | None,
    seed: int,
    legacy_draws: int,
    aggregate: bool,
) -> SortitionResult:
    if time_limit_s is not None:
        # The solvers stop a little before the limit: the last solves overrun their own limit
        # by milliseconds and the answer still has to be assembled (600.2 s for 600 s before).
        time_limit_s = max(
            0.0, time_limit_s - min(FINISH_RESERVE_MAX, FINISH_RESERVE * time_limit_s)
        )
    clock = _Clock(time.perf_counter(), time_limit_s, progress)
    problem = reduce_instance(instance, aggregate=aggregate)
    model = PanelModel(problem)
    first, _, _ = model.solve(np.zeros(problem.n_groups))
    if first is None:
        infeasibility = diagnose(problem)
        raise InfeasibleQuotasError(
            explain(infeasibility),
            tr(
                "Appliquez la relaxation proposée au fichier de quotas, puis relancez.",
                "Apply the proposed relaxation to the quotas file, then run again.",
            ),
            infeasibility,
        )
    if time_limit_s is not None:
        model.deadline = clock.start + time_limit_s
    rng = np.random.default_rng(seed)
    notes: list[str] = []
    if algorithm == "legacy":
        columns, weights, notes = _legacy(problem, rng, legacy_draws, clock)
        optimal, gap = False, float("nan")
    else:
        columns = _Columns()
        search = SwapSearch(problem)
        impossible = _initial_columns(problem, model, search, columns, first, rng, clock)
        if impossible:
            notes.append(
                tr(
                    "{n} personne(s) ne peuvent figurer dans aucun panel respectant les quotas "
                    "(probabilité 0)",
                    "{n} person(s) cannot be on any panel meeting the quotas (probability 0)",
                    n=int(sum(problem.sizes[g] for g in impossible)),
                )
            )
        if algorithm in ("leximin", "maximin"):
            weights, optimal, gap, more = _leximin(
                problem,
                model,
                search,
                columns,
                impossible,
                clock,
                first_stage_only=algorithm == "maximin",
            )
        elif algorithm == "nash":
            weights, optimal, gap, more = _nash(problem, model, columns, impossible, clock)
        else:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        notes += more
    weights = np.clip(weights, 0.0, None)
    weights = weights / weights.sum()
    keep = [j for j, w in enumerate(weights) if w > 1e-10]
    kept_columns = [columns.items[j] for j in keep]
    kept_weights = weights[keep] / weights[keep].sum()
    group_probs = _probabilities(problem, kept_columns, kept_weights)
    probabilities = {
        instance.ids[i]: float(min(1.0, max(0.0, group_probs[g])))
        for g, members in enumerate(problem.groups)
        for i in members
    }
    return SortitionResult(
        algorithm=algorithm,
        k=instance.k,
        groups=problem.group_ids(),
        compositions=tuple(tuple(int(c) for c in counts) for counts in kept_columns),
        weights=tuple(float(w) for w in kept_weights),
        probabilities=probabilities,
        already_selected=instance.already_selected,
        optimal=optimal,
        gap=float(gap),
        seconds=time.perf_counter() - clock.start,
        iterations=clock.iteration,
        notes=tuple(notes),
        input_hashes={"pool_sha256": instance.pool.sha256, "quotas_sha256": instance.quotas.sha256},
        parameters={**instance.parameters(), "algorithm": algorithm, "seed": seed},
    )

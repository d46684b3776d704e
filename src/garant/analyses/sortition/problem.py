"""The selection problem as the solvers see it: groups of interchangeable people and HiGHS models.

People with identical criteria values who share no household with another eligible person are
*interchangeable*: swapping them maps every quota-compliant panel to another one. Because the
LEXIMIN (and Nash) optimum is unique and therefore symmetric, they get the same probability,
so the solvers work on *groups* and on panel *compositions* (how many people of each group)
instead of individual panels. This is exact, not an approximation; people in a multi-person
household form groups of one so that the household rule stays a plain linear constraint.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from garant.errors import InputError
from garant.i18n import tr

from .model import Instance, Quota

__all__ = ["PanelModel", "Problem", "limit_lp_time", "new_highs", "reduce_instance"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_banner_hidden = False
MIP_REL_GAP = 1e-6
MIP_ABS_GAP = 1e-9


def new_highs() -> Any:
    """A silent ``highspy.Highs`` (HiGHS prints a banner on stdout the first time: hidden)."""
    global _banner_hidden
    import highspy

    if _banner_hidden:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_hidden = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    return highs


def limit_lp_time(highs: Any, seconds: float | None) -> None:
    """Let the next LP solve of ``highs`` run at most ``seconds`` (``None``: no limit).

    HiGHS 1.x compares an LP's ``time_limit`` with the object's *cumulative* run time
    (ERGO-Code/HiGHS#1331, #1477; the MIP solver counts from its own start), so the limit
    handed over is the run time so far plus ``seconds``.
    """
    import highspy

    if seconds is None:
        highs.setOptionValue("time_limit", highspy.kHighsInf)
    else:
        highs.setOptionValue("time_limit", float(highs.getRunTime()) + seconds)


@dataclass(frozen=True)
class QuotaRow:
    quota: Quota
    groups: tuple[int, ...]
    low: int
    high: int


@dataclass(frozen=True)
class Problem:
    """Groups, adjusted quotas and household rows for the people still to be selected."""

    instance: Instance
    k: int
    groups: tuple[tuple[int, ...], ...]
    sizes: IntArray
    rows: tuple[QuotaRow, ...]
    households: tuple[tuple[int, ...], ...]

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    def group_ids(self) -> tuple[tuple[str, ...], ...]:
        ids = self.instance.ids
        return tuple(tuple(ids[i] for i in members) for members in self.groups)

    def violations(self, counts: Sequence[int]) -> list[str]:
        """Quota or household rules broken by a composition (empty when compliant)."""
        problems = []
        if int(sum(counts)) != self.k:
            problems.append(f"size {sum(counts)} != {self.k}")
        for row in self.rows:
            total = sum(int(counts[g]) for g in row.groups)
            if not row.low <= total <= row.high:
                problems.append(f"{row.quota.label}: {total} not in [{row.low}, {row.high}]")
        for household in self.households:
            if sum(int(counts[g]) for g in household) > 1:
                problems.append("household")
        for g, count in enumerate(counts):
            if not 0 <= count <= self.sizes[g]:
                problems.append(f"group {g}: {count}")
        return problems


def reduce_instance(instance: Instance, *, aggregate: bool = True) -> Problem:
    """Remove excluded and already-selected people (and their housemates), group the others."""
    index = {person_id: i for i, person_id in enumerate(instance.ids)}
    removed = {index[p] for p in instance.excluded} | {index[p] for p in instance.already_selected}
    taken_households = {
        instance.household[index[p]]
        for p in instance.already_selected
        if instance.household[index[p]] is not None
    }
    eligible = [
        i
        for i in range(len(instance.ids))
        if i not in removed
        and (instance.household[i] is None or instance.household[i] not in taken_households)
    ]
    by_household: dict[str, list[int]] = defaultdict(list)
    for i in eligible:
        key = instance.household[i]
        if key is not None:
            by_household[key].append(i)
    shared = {i for members in by_household.values() if len(members) > 1 for i in members}
    criteria = instance.quotas.criteria
    groups: list[list[int]] = []
    key_to_group: dict[tuple[str, ...], int] = {}
    for i in eligible:
        if aggregate and i not in shared:
            feature_key = tuple(instance.features[i][c] for c in criteria)
            if feature_key in key_to_group:
                groups[key_to_group[feature_key]].append(i)
                continue
            key_to_group[feature_key] = len(groups)
        groups.append([i])
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    selected_counts: dict[tuple[str, str], int] = defaultdict(int)
    for person_id in instance.already_selected:
        for criterion, value in instance.features[index[person_id]].items():
            selected_counts[(criterion, value)] += 1
    rows: list[QuotaRow] = []
    for quota in instance.quotas.quotas:
        already = selected_counts[(quota.criterion, quota.value)]
        if already > quota.max:
            raise InputError(
                tr(
                    "{file}, ligne {line} : {n} personnes déjà sélectionnées ont « {label} », "
                    "au-delà du maximum {max}",
                    "{file}, line {line}: {n} people already selected have '{label}', above the "
                    "maximum {max}",
                    file=instance.quotas.label,
                    line=quota.line,
                    n=already,
                    label=quota.label,
                    max=quota.max,
                ),
                tr(
                    "Relevez ce maximum ou revoyez la liste des personnes déjà sélectionnées.",
                    "Raise this maximum or review the already-selected list.",
                ),
            )
        members = sorted(
            {group_of[i] for i in eligible if instance.features[i][quota.criterion] == quota.value}
        )
        rows.append(
            QuotaRow(quota, tuple(members), max(0, quota.min - already), quota.max - already)
        )
    households = tuple(
        tuple(sorted(group_of[i] for i in members))
        for members in by_household.values()
        if len(members) > 1
    )
    return Problem(
        instance=instance,
        k=instance.k - len(instance.already_selected),
        groups=tuple(tuple(members) for members in groups),
        sizes=np.array([len(members) for members in groups], dtype=np.int64),
        rows=tuple(rows),
        households=households,
    )


class PanelModel:
    """A HiGHS MIP over compositions: maximise a weight per member, quotas as constraints.

    Built once and re-solved with new objective coefficients (column-generation pricing).
    ``row_bounds`` may be overridden (used by the infeasibility diagnosis).
    """

    def __init__(self, problem: Problem, *, integer: bool = True) -> None:
        import highspy

        self.problem = problem
        n = problem.n_groups
        entries: list[list[tuple[int, float]]] = [[(0, 1.0)] for _ in range(n)]
        lower = [float(problem.k)]
        upper = [float(problem.k)]
        for r, row in enumerate(problem.rows, start=1):
            for g in row.groups:
                entries[g].append((r, 1.0))
            lower.append(float(row.low))
            upper.append(float(row.high))
        offset = 1 + len(problem.rows)
        for h, household in enumerate(problem.households):
            for g in household:
                entries[g].append((offset + h, 1.0))
            lower.append(-highspy.kHighsInf)
            upper.append(1.0)
        self.n_rows = len(lower)
        self.base_lower = np.array(lower)
        self.base_upper = np.array(upper)
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = self.n_rows
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = problem.sizes.astype(np.float64)
        lp.row_lower_ = self.base_lower.copy()
        lp.row_upper_ = self.base_upper.copy()
        starts = [0]
        index: list[int] = []
        values: list[float] = []
        for column in entries:
            for r, v in column:
                index.append(r)
                values.append(v)
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=np.float64)
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        lp.sense_ = highspy.ObjSense.kMaximize
        self.highs = new_highs()
        self.highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        self.highs.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        self.highs.setOptionValue("threads", 1)
        # These MIPs are small and their LP relaxation is strong: primal heuristics cost more
        # than they save (about 2x faster column generation on the shared instances).
        self.highs.setOptionValue("mip_heuristic_effort", 0.0)
        self.highs.passModel(lp)
        self._cols = np.arange(n, dtype=np.int32)
        self.deadline: float | None = None
        """``time.perf_counter()`` value after which a solve stops with its best answer."""

    def solve(
        self, weights: FloatArray, threshold: float | None = None
    ) -> tuple[IntArray | None, float, float]:
        """Best composition for ``weights`` (per member), its value and a proven upper bound.

        The MIP stops at a small relative gap; when ``threshold`` is given and the answer is
        inconclusive (value below it, bound above it), it is solved again to optimality.
        """
        weights = np.asarray(weights, dtype=float)
        self.highs.changeColsCost(len(self._cols), self._cols, weights)
        counts, value, bound = self._run(weights)
        if counts is not None and threshold is not None and value <= threshold < bound:
            self.highs.setOptionValue("mip_rel_gap", 0.0)
            self.highs.setOptionValue("mip_abs_gap", 0.0)
            counts, value, bound = self._run(weights)
            self.highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
            self.highs.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        return counts, value, bound

    def price(
        self,
        weights: FloatArray,
        threshold: float,
        incumbent: IntArray | None = None,
        others: list[IntArray] | None = None,
    ) -> tuple[IntArray | None, float, bool]:
        """The best composition worth more than ``threshold`` for ``weights``, if any.

        Returns ``(counts, bound, complete)``: ``counts`` is ``None`` when no composition is
        worth more than ``threshold``; ``bound`` is a proven upper bound on the best value
        (``threshold`` itself when the cut-off pruned everything); ``complete`` is false when
        the deadline stopped HiGHS before it could tell. ``incumbent`` (a compliant
        composition) is handed to HiGHS as a starting solution. Solutions worth no more than
        ``threshold`` are cut off, so proving that none beats it is usually quick. With
        ``others``, the other compositions worth more than ``threshold`` that the search met
        on its way (HiGHS's improving solutions) are appended to that list: they are valid
        columns too, found for nothing.
        """
        import highspy

        weights = np.asarray(weights, dtype=float)
        self.highs.changeColsCost(len(self._cols), self._cols, weights)
        # HiGHS minimises internally: for this maximisation the cut-off is -threshold.
        self.highs.setOptionValue("objective_bound", -float(threshold))
        if incumbent is not None:
            self.highs.setSolution(
                len(self._cols), self._cols, np.asarray(incumbent, dtype=np.float64)
            )
        if others is not None:
            self.highs.setOptionValue("mip_improving_solution_save", True)
        try:
            counts, value, bound = self._run(weights)
            status = self.highs.getModelStatus()
            if others is not None and counts is not None:
                others += self._improving_solutions(weights, threshold, counts)
        finally:
            self.highs.setOptionValue("objective_bound", highspy.kHighsInf)
            self.highs.setOptionValue("mip_improving_solution_save", False)
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, float(threshold), True
        complete = status == highspy.HighsModelStatus.kOptimal
        if counts is None:
            return None, float("inf"), complete
        if not complete:  # deadline: HiGHS's dual bound still holds
            bound = float(self.highs.getInfo().mip_dual_bound)
            bound = max(bound, value) if np.isfinite(bound) else float("inf")
        if value <= threshold:
            return None, max(float(threshold), bound), complete
        return counts, bound, complete

    def _improving_solutions(
        self, weights: FloatArray, threshold: float, best: IntArray
    ) -> list[IntArray]:
        """The solutions HiGHS saved during the last run worth more than ``threshold``, but
        ``best``, each once."""
        seen = {best.tobytes()}
        found: list[IntArray] = []
        for solution in self.highs.getSavedMipSolutions():
            counts = np.rint(np.array(solution.col_value)).astype(np.int64)
            if float(counts @ weights) > threshold and counts.tobytes() not in seen:
                seen.add(counts.tobytes())
                found.append(counts)
        return found

    def _run(self, weights: FloatArray) -> tuple[IntArray | None, float, float]:
        import time

        import highspy

        if self.deadline is not None:
            left = max(0.01, self.deadline - time.perf_counter())
            self.highs.setOptionValue("time_limit", left)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, float("-inf"), float("-inf")
        solution = self.highs.getSolution()
        if not solution.value_valid:
            return None, float("-inf"), float("-inf")
        counts = np.rint(np.array(solution.col_value)).astype(np.int64)
        value = float(np.dot(counts, weights))
        bound = float(self.highs.getInfo().mip_dual_bound)
        if not np.isfinite(bound):
            bound = value
        return counts, value, max(bound, value)

    def relaxation_bound(self, weights: FloatArray, *, time_limit: float | None = None) -> float:
        """An upper bound on the best composition's value: the LP relaxation's optimum.

        Meant for a model built with ``integer=False``; ``inf`` (no bound) when ``time_limit``
        seconds were not enough.
        """
        import highspy

        weights = np.asarray(weights, dtype=float)
        self.highs.changeColsCost(len(self._cols), self._cols, weights)
        limit_lp_time(self.highs, time_limit)
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return float("inf")
        return float(self.highs.getInfo().objective_function_value)

    def set_row_bounds(self, lower: FloatArray, upper: FloatArray) -> None:
        rows = np.arange(self.n_rows, dtype=np.int32)
        self.highs.changeRowsBounds(self.n_rows, rows, lower, upper)

    def feasible(self) -> bool:
        counts, _, _ = self.solve(np.zeros(self.problem.n_groups))
        return counts is not None

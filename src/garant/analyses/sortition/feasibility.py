"""Why quotas cannot be met, and the smallest relaxation that fixes them.

Three layers, from the most readable to the most precise:

1. simple counts (a criterion's minimums add up to more than the panel, fewer volunteers than a
   minimum, not enough distinct households);
2. an *irreducible* conflicting set of quota bounds, found by a deletion filter (drop each
   bound in turn and keep it dropped if the rest is still infeasible), so every bound listed is
   needed for the conflict;
3. an integer program minimising the total number of places by which minimums are lowered and
   maximums raised (bounded by ``min_flex``/``max_flex`` when the quotas file gives them).
"""

from __future__ import annotations

import numpy as np

from garant.errors import InputError
from garant.i18n import tr

from .model import Conflict, Infeasibility, Relaxation
from .problem import PanelModel, Problem

__all__ = ["InfeasibleQuotasError", "diagnose", "explain"]


class InfeasibleQuotasError(InputError):
    """No panel meets the quotas; ``infeasibility`` says why and how to relax them."""

    def __init__(self, message: str, hint: str, infeasibility: Infeasibility) -> None:
        super().__init__(message, hint)
        self.infeasibility = infeasibility


def _count_reasons(problem: Problem) -> list[str]:
    reasons: list[str] = []
    by_criterion: dict[str, list[int]] = {}
    for r, row in enumerate(problem.rows):
        by_criterion.setdefault(row.quota.criterion, []).append(r)
        available = int(sum(problem.sizes[g] for g in row.groups))
        if available < row.low:
            reasons.append(
                tr(
                    "« {label} » : minimum {low} mais seulement {n} volontaires disponibles",
                    "'{label}': minimum {low} but only {n} volunteers available",
                    label=row.quota.label,
                    low=row.low,
                    n=available,
                )
            )
    for criterion, indices in by_criterion.items():
        low = sum(problem.rows[r].low for r in indices)
        high = sum(problem.rows[r].high for r in indices)
        if low > problem.k:
            reasons.append(
                tr(
                    "« {crit} » : la somme des minimums ({low}) dépasse les {k} places à pourvoir",
                    "'{crit}': the minimums add up to {low}, more than the {k} seats to fill",
                    crit=criterion,
                    low=low,
                    k=problem.k,
                )
            )
        if high < problem.k:
            reasons.append(
                tr(
                    "« {crit} » : la somme des maximums ({high}) est inférieure aux {k} places",
                    "'{crit}': the maximums add up to {high}, fewer than the {k} seats",
                    crit=criterion,
                    high=high,
                    k=problem.k,
                )
            )
    in_households = {g for household in problem.households for g in household}
    units = int(sum(problem.sizes[g] for g in range(problem.n_groups) if g not in in_households))
    units += len(problem.households)
    if units < problem.k:
        reasons.append(
            tr(
                "seulement {n} foyers distincts pour {k} places (une personne par foyer)",
                "only {n} distinct households for {k} seats (one person per household)",
                n=units,
                k=problem.k,
            )
        )
    return reasons


def _conflicts(problem: Problem) -> list[Conflict]:
    model = PanelModel(problem)
    lower, upper = model.base_lower.copy(), model.base_upper.copy()
    free_lower, free_upper = lower.copy(), upper.copy()
    bounds: list[tuple[int, str]] = []
    for r, row in enumerate(problem.rows, start=1):
        if row.low > 0:
            bounds.append((r, "min"))
            free_lower[r] = 0.0
        if row.high < problem.k:
            bounds.append((r, "max"))
            free_upper[r] = float(problem.k)
    model.set_row_bounds(free_lower, free_upper)
    if not model.feasible():
        return []
    kept = set(bounds)
    for bound in bounds:
        trial = kept - {bound}
        trial_lower, trial_upper = free_lower.copy(), free_upper.copy()
        for r, side in trial:
            if side == "min":
                trial_lower[r] = lower[r]
            else:
                trial_upper[r] = upper[r]
        model.set_row_bounds(trial_lower, trial_upper)
        if not model.feasible():
            kept = trial
    return [
        Conflict(problem.rows[r - 1].quota, "min" if side == "min" else "max")
        for r, side in bounds
        if (r, side) in kept
    ]


def _relax(problem: Problem, *, use_flex: bool) -> list[Relaxation] | None:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n, q = problem.n_groups, len(problem.rows)
    size = n + 2 * q  # group counts, then lowering of each minimum, then raising of each maximum
    n_rows = 1 + 2 * q + len(problem.households)
    matrix = lil_matrix((n_rows, size))
    lower = np.full(n_rows, -np.inf)
    upper = np.full(n_rows, np.inf)
    matrix[0, :n] = 1.0
    lower[0] = upper[0] = problem.k
    var_upper = np.concatenate([problem.sizes.astype(float), np.full(2 * q, float(problem.k))])
    for r, row in enumerate(problem.rows):
        for g in row.groups:
            matrix[1 + 2 * r, g] = 1.0
            matrix[2 + 2 * r, g] = 1.0
        matrix[1 + 2 * r, n + r] = 1.0  # count + lowering >= min
        lower[1 + 2 * r] = row.low
        matrix[2 + 2 * r, n + q + r] = -1.0  # count - raising <= max
        upper[2 + 2 * r] = row.high
        quota = row.quota
        var_upper[n + r] = row.low
        if use_flex and quota.min_flex is not None and quota.min_flex <= quota.min:
            var_upper[n + r] = min(row.low, quota.min - quota.min_flex)
        if use_flex and quota.max_flex is not None and quota.max_flex >= quota.max:
            var_upper[n + q + r] = quota.max_flex - quota.max
    for h, household in enumerate(problem.households):
        for g in household:
            matrix[1 + 2 * q + h, g] = 1.0
        upper[1 + 2 * q + h] = 1.0
    cost = np.concatenate([np.zeros(n), np.ones(2 * q)])
    result = milp(
        cost,
        constraints=LinearConstraint(matrix.tocsr(), lower, upper),
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), var_upper),
        options={"time_limit": 60.0},
    )
    if result.x is None:
        return None
    x = np.rint(result.x).astype(int)
    changes = []
    for r, row in enumerate(problem.rows):
        down, up = int(x[n + r]), int(x[n + q + r])
        if down or up:
            changes.append(Relaxation(row.quota, row.quota.min - down, row.quota.max + up))
    return changes


def diagnose(problem: Problem) -> Infeasibility:
    """Explain an infeasible problem: count checks, irreducible conflict, smallest relaxation."""
    reasons = _count_reasons(problem)
    conflicts = _conflicts(problem)
    relaxations = _relax(problem, use_flex=True)
    if relaxations is None:
        relaxations = _relax(problem, use_flex=False)
        if relaxations is not None:
            reasons.append(
                tr(
                    "les marges min_flex/max_flex ne suffisent pas : la relaxation proposée les dépasse",
                    "the min_flex/max_flex margins are not enough: the proposed relaxation exceeds "
                    "them",
                )
            )
    changes = relaxations or []
    total = sum((c.quota.min - c.new_min) + (c.new_max - c.quota.max) for c in changes)
    return Infeasibility(tuple(reasons), tuple(conflicts), tuple(changes), total)


def explain(infeasibility: Infeasibility) -> str:
    """A French (or English) multi-line explanation for the user."""
    lines = [tr("Les quotas ne peuvent pas être tous respectés.", "The quotas cannot all be met.")]
    lines += [f"- {reason}" for reason in infeasibility.reasons]
    if infeasibility.conflicts:
        lines.append(
            tr("Quotas en conflit (ensemble minimal) :", "Conflicting quotas (minimal set):")
        )
        for conflict in infeasibility.conflicts:
            q = conflict.quota
            bound = f"≥ {q.min}" if conflict.bound == "min" else f"≤ {q.max}"
            lines.append(
                tr(
                    "- « {label} » {bound} (ligne {line})",
                    "- '{label}' {bound} (line {line})",
                    label=q.label,
                    bound=bound,
                    line=q.line,
                )
            )
    if infeasibility.relaxations:
        lines.append(
            tr(
                "Plus petite relaxation ({n} place(s) au total) :",
                "Smallest relaxation ({n} seat(s) in total):",
                n=infeasibility.total_change,
            )
        )
        for change in infeasibility.relaxations:
            q = change.quota
            lines.append(
                tr(
                    "- « {label} » : min {a} → {b}, max {c} → {d}",
                    "- '{label}': min {a} → {b}, max {c} → {d}",
                    label=q.label,
                    a=q.min,
                    b=change.new_min,
                    c=q.max,
                    d=change.new_max,
                )
            )
    else:
        lines.append(
            tr(
                "Aucune relaxation des quotas ne suffit (taille du vivier ou foyers).",
                "No quota relaxation is enough (pool size or households).",
            )
        )
    return "\n".join(lines)

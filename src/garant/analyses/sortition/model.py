"""Data types of the sortition service: inputs, solver results, lottery, draw, verification.

Everything here is plain frozen dataclasses so that results can be serialised to JSON, compared
in tests and passed to the CLI without pulling in the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "Check",
    "Conflict",
    "Infeasibility",
    "Instance",
    "Lottery",
    "Panel",
    "Pool",
    "PoolRow",
    "ProgressCallback",
    "Quota",
    "QuotaSet",
    "Redraw",
    "Relaxation",
    "SolveProgress",
    "SortitionResult",
    "VerificationResult",
]

Algorithm = Literal["leximin", "maximin", "nash", "legacy"]
ALGORITHMS: tuple[Algorithm, ...] = ("leximin", "maximin", "nash", "legacy")


@dataclass(frozen=True)
class PoolRow:
    """One volunteer as read from the pool file (all columns kept as text)."""

    id: str
    line: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class Pool:
    """The volunteers' file: its rows, columns and the SHA-256 of its bytes."""

    path: Path | None
    columns: tuple[str, ...]
    id_column: str | None
    rows: tuple[PoolRow, ...]
    sha256: str
    encoding: str = "utf-8"
    encoding_guessed: bool = False

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else "<pool>"


@dataclass(frozen=True)
class Quota:
    """Minimum and maximum number of panel members having ``value`` for ``criterion``."""

    criterion: str
    value: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.criterion} = {self.value}"


@dataclass(frozen=True)
class QuotaSet:
    """The quotas file: quotas in file order and the SHA-256 of its bytes."""

    path: Path | None
    quotas: tuple[Quota, ...]
    sha256: str
    encoding: str = "utf-8"
    encoding_guessed: bool = False

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else "<quotas>"

    @property
    def criteria(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for quota in self.quotas:
            seen.setdefault(quota.criterion, None)
        return tuple(seen)


@dataclass(frozen=True)
class Instance:
    """A validated selection problem.

    ``k`` is the size of the *final* panel, already-selected people included; quotas also apply
    to the final panel. ``features[i]`` gives, for person ``ids[i]``, the quota value (as spelt in
    the quotas file) of each criterion. ``household[i]`` is a normalised address key or ``None``.
    """

    pool: Pool
    quotas: QuotaSet
    k: int
    ids: tuple[str, ...]
    features: tuple[Mapping[str, str], ...]
    household: tuple[str | None, ...]
    household_columns: tuple[str, ...] = ()
    already_selected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def parameters(self) -> dict[str, object]:
        """The parameters that, with the two input files, define the problem (for hashing)."""
        return {
            "k": self.k,
            "id_column": self.pool.id_column,
            "criteria": list(self.quotas.criteria),
            "household_columns": list(self.household_columns),
            "already_selected": sorted(self.already_selected),
            "excluded": sorted(self.excluded),
        }


@dataclass(frozen=True)
class SolveProgress:
    """What a progress callback receives during a solve (no UI code here: the CLI draws it).

    ``phase`` is ``stage`` (leximin/maximin), ``nash`` or ``legacy``. For a stage, ``lower`` is
    the minimum probability reached among unfixed people and ``upper`` its certified upper bound;
    ``fixed``/``total`` count the groups of interchangeable people whose probability is settled.
    For Nash they bound Σ log p; for legacy ``fixed`` counts the draws made out of ``total``.
    """

    phase: str
    iteration: int
    stage: int
    fixed: int
    total: int
    lower: float
    upper: float
    elapsed_s: float


ProgressCallback = Callable[[SolveProgress], None]


@dataclass(frozen=True)
class SortitionResult:
    """A probability distribution over quota-compliant panels and what it gives each person.

    The distribution is stored compactly: ``groups`` are sets of interchangeable volunteers
    (same criteria values, no shared household), a panel is a *composition* giving how many
    members each group supplies (chosen uniformly within the group), and ``weights[j]`` is the
    probability of ``compositions[j]``. This is an exact distribution over concrete panels.
    Already-selected people are on every panel and are not in ``probabilities``.
    ``gap`` is the certified distance between the minimum probability of the stage being solved
    and the best achievable one (0 when solved to optimality; for Nash, the welfare gap).
    """

    algorithm: Algorithm
    k: int
    groups: tuple[tuple[str, ...], ...]
    compositions: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]
    probabilities: Mapping[str, float]
    already_selected: tuple[str, ...]
    optimal: bool
    gap: float
    seconds: float
    iterations: int
    notes: tuple[str, ...] = ()
    input_hashes: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, object] = field(default_factory=dict)

    def panel_members(self, composition: tuple[int, ...]) -> list[tuple[str, int]]:
        """``(group's first id, count)`` pairs of a composition, for display."""
        return [(self.groups[g][0], c) for g, c in enumerate(composition) if c]


@dataclass(frozen=True)
class Lottery:
    """``m`` equally likely panels (the uniform lottery), published before the seed is known.

    ``groups``, ``compositions`` and ``weights`` are the distribution the panels were rounded
    from (published with them, so that anyone can redo the deterministic rounding);
    ``parameters`` are the published parameters (panel size, criteria, household rule, ids
    already selected or excluded); ``input_hashes`` the SHA-256 of the raw pool, the quotas
    file and the published verification file.
    """

    m: int
    panels: tuple[tuple[str, ...], ...]
    already_selected: tuple[str, ...]
    algorithm: Algorithm
    input_hashes: Mapping[str, str]
    parameters: Mapping[str, object]
    max_deviation: float
    sha256: str
    groups: tuple[tuple[str, ...], ...] = ()
    compositions: tuple[tuple[int, ...], ...] = ()
    weights: tuple[float, ...] = ()


@dataclass(frozen=True)
class Redraw:
    """Why a published lottery is drawn again, and the draw it replaces (recomputable)."""

    seed_key: str
    index: int
    md5_hex: str
    reason: str


@dataclass(frozen=True)
class Panel:
    """The panel drawn from a lottery with a public seed (RFC 3797 procedure)."""

    index: int
    ids: tuple[str, ...]
    already_selected: tuple[str, ...]
    seed_key: str
    md5_hex: str
    lottery_sha256: str
    replaces: Redraw | None = None

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted((*self.already_selected, *self.ids)))


@dataclass(frozen=True)
class Check:
    """One verification step: what was checked (``file``, ``field``), the outcome, in words.

    ``skipped`` marks a check that could not be made with the files given (e.g. the raw
    pool's hash without the raw pool): it neither passes nor fails the verification.
    """

    name: str
    ok: bool
    detail: str
    file: str = ""
    field: str = ""
    skipped: bool = False


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of :func:`verify`: ``ok`` only if every check passed."""

    ok: bool
    checks: tuple[Check, ...]
    panel: Panel | None
    malformed: bool = False


@dataclass(frozen=True)
class Conflict:
    """A quota bound taking part in an irreducible conflict (``bound`` is ``min`` or ``max``)."""

    quota: Quota
    bound: Literal["min", "max"]


@dataclass(frozen=True)
class Relaxation:
    """A quota change in the smallest relaxation making the quotas feasible."""

    quota: Quota
    new_min: int
    new_max: int


@dataclass(frozen=True)
class Infeasibility:
    """Why no panel meets the quotas, and the smallest total change that fixes it."""

    reasons: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    relaxations: tuple[Relaxation, ...]
    total_change: int

"""The uniform lottery: ``m`` equally likely panels rounded deterministically from a distribution.

:func:`prepare_lottery` turns the optimal distribution over panels into ``m`` equally likely
concrete panels (Flanigan, Kehne and Procaccia, "Fair Sortition Made Transparent", NeurIPS 2021).
The rounding is a pure function of the published distribution — no solver, no clock, no random
numbers — so anyone can redo it from ``lottery.json`` and get the same panels byte for byte:

1. each composition ``j`` of weight ``w_j`` gets ``⌊m·w_j⌋`` copies, computed in exact integer
   arithmetic on ``T_j = round(w_j · m · 2^20)``;
2. the ``r`` copies left are given one at a time, each to the composition (not yet rounded up)
   that keeps the largest gap between a group's expected and actual appearances smallest
   (ties: the first composition in the published order); largest remainders are computed too,
   and the better of the two is kept (ties: the greedy one);
3. within a group of interchangeable people, the seats the copies give the group are handed
   out in turn, in the published order of the group's members.

The lottery document (``lottery.json``, canonical JSON) and the commitment (``commitment.json``)
are published before the seed exists; :mod:`.rfc3797` draws one panel with the public seed and
:mod:`.verify` rechecks every published field.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from garant.errors import InputError
from garant.i18n import tr

from .model import Lottery, SortitionResult

__all__ = [
    "COMMITMENT_FORMAT",
    "DRAW_PROCEDURE",
    "LOTTERY_FORMAT",
    "ROUNDING",
    "canonical_json",
    "commitment",
    "expand_panels",
    "lottery_to_dict",
    "max_deviation",
    "parameters_sha256",
    "prepare_lottery",
    "round_copies",
    "write_atomic",
]

LOTTERY_FORMAT = "garant.sortition.lottery/2"
COMMITMENT_FORMAT = "garant.sortition.commitment/2"
ROUNDING = "garant: floors of m*w (exact, 2^-20), then greedy min-max deviation, ties first"
DRAW_PROCEDURE = "RFC 3797: panel = 1 + (MD5(0x0000 || key || 0x0000) mod m)"
MAX_LOTTERY = 65535  # RFC 3797 reference code limit on the pool size
SCALE = 1 << 20


def canonical_json(data: object) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file so that readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode() if isinstance(data, str) else data
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _worst(current: npt.NDArray[np.int64], goal: npt.NDArray[np.int64], sizes: Any) -> float:
    return float(np.max(np.abs(current - goal) / sizes)) if len(sizes) else 0.0


def round_copies(
    weights: Sequence[float],
    compositions: Sequence[Sequence[int]],
    sizes: Sequence[int],
    m: int,
) -> list[int]:
    """Copies of each composition (sum ``m``): deterministic rounding, see the module doc.

    Only exact integer arithmetic and correctly rounded IEEE divisions are compared, so the
    result does not depend on the machine, its load or the numerical library's vector paths.
    """
    count = len(weights)
    if count == 0:
        return []
    comps = np.array(compositions, dtype=np.int64).reshape(count, -1)
    n_groups = comps.shape[1]
    group_sizes = np.maximum(np.array(sizes, dtype=np.float64), 1.0)
    scaled = np.array([round(float(w) * m * SCALE) for w in weights], dtype=np.int64)
    floors = scaled // SCALE
    rest = m - int(floors.sum())
    if rest < 0 or rest > count:
        raise InputError(
            tr(
                "Distribution invalide : les poids font {s} et non 1",
                "Invalid distribution: the weights add up to {s}, not 1",
                s=float(sum(weights)),
            ),
            tr("Relancez le calcul du tirage.", "Run the sortition again."),
        )
    goal = scaled @ comps  # expected appearances of each group, times SCALE
    base = (floors * SCALE) @ comps
    # greedy: one extra copy at a time
    used = np.zeros(count, dtype=bool)
    current = base.copy()
    chosen: list[int] = []
    for _ in range(rest):
        deviation = np.abs(current[None, :] + SCALE * comps - goal[None, :]) / group_sizes[None, :]
        worst = deviation.max(axis=1) if n_groups else np.zeros(count)
        worst[used] = np.inf
        j = int(np.argmin(worst))
        used[j] = True
        chosen.append(j)
        current = current + SCALE * comps[j]
    greedy = floors.copy()
    greedy[chosen] += 1
    remainder_order = sorted(range(count), key=lambda j: (-(int(scaled[j]) % SCALE), j))
    largest = floors.copy()
    largest[remainder_order[:rest]] += 1
    if _worst(largest @ comps * SCALE, goal, group_sizes) < _worst(
        greedy @ comps * SCALE, goal, group_sizes
    ):
        return [int(c) for c in largest]
    return [int(c) for c in greedy]


def expand_panels(
    groups: Sequence[Sequence[str]],
    compositions: Sequence[Sequence[int]],
    copies: Sequence[int],
) -> list[tuple[str, ...]]:
    """The concrete panels: seats of each group handed out in turn, in the group's order."""
    pointer = [0] * len(groups)
    panels: list[tuple[str, ...]] = []
    for composition, repeat in zip(compositions, copies, strict=True):
        for _ in range(int(repeat)):
            members: list[str] = []
            for g, count in enumerate(composition):
                group = groups[g]
                for _ in range(int(count)):
                    members.append(group[pointer[g] % len(group)])
                    pointer[g] += 1
            panels.append(tuple(sorted(members)))
    return panels


def max_deviation(
    panels: Sequence[Sequence[str]],
    groups: Sequence[Sequence[str]],
    compositions: Sequence[Sequence[int]],
    weights: Sequence[float],
) -> float:
    """Largest gap between a person's share of the panels and their exact probability."""
    m = len(panels)
    if m == 0:
        return 0.0
    appearances: dict[str, int] = {}
    for panel in panels:
        for person in panel:
            appearances[person] = appearances.get(person, 0) + 1
    worst = 0.0
    for g, members in enumerate(groups):
        expected = sum(w * c[g] for w, c in zip(weights, compositions, strict=True))
        probability = expected / len(members)
        for person in members:
            worst = max(worst, abs(appearances.get(person, 0) / m - probability))
    return round(worst, 12)


def published_parameters(result: SortitionResult) -> dict[str, Any]:
    """The parameters a citizen can check against the published files (no column names)."""
    params = result.parameters
    return {
        "k": result.k,
        "criteria": list(params.get("criteria", [])),  # type: ignore[call-overload]
        "households": bool(params.get("household_columns")),
        "already_selected": sorted(result.already_selected),
        "excluded": sorted(params.get("excluded", [])),  # type: ignore[call-overload]
    }


def parameters_sha256(parameters: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(dict(parameters))).hexdigest()


def prepare_lottery(
    result: SortitionResult, m: int = 1000, *, verification_sha256: str = ""
) -> Lottery:
    """Round ``result`` to ``m`` equally likely concrete panels and hash the published list."""
    if not 1 <= m <= MAX_LOTTERY:
        raise InputError(
            tr("Taille de loterie invalide : {m}", "Invalid lottery size: {m}", m=m),
            tr(
                "Choisissez m entre 1 et 65535 (1000 par défaut).",
                "Choose m between 1 and 65535 (default 1000).",
            ),
        )
    sizes = [len(group) for group in result.groups]
    copies = round_copies(result.weights, result.compositions, sizes, m)
    panels = expand_panels(result.groups, result.compositions, copies)
    hashes = {
        "pool_sha256": str(result.input_hashes.get("pool_sha256", "")),
        "quotas_sha256": str(result.input_hashes.get("quotas_sha256", "")),
        "verification_sha256": verification_sha256,
    }
    lottery = Lottery(
        m=m,
        panels=tuple(panels),
        already_selected=tuple(sorted(result.already_selected)),
        algorithm=result.algorithm,
        input_hashes=hashes,
        parameters=published_parameters(result),
        max_deviation=max_deviation(panels, result.groups, result.compositions, result.weights),
        sha256="",
        groups=tuple(result.groups),
        compositions=tuple(result.compositions),
        weights=tuple(result.weights),
    )
    digest = hashlib.sha256(canonical_json(lottery_to_dict(lottery))).hexdigest()
    return Lottery(**{**lottery.__dict__, "sha256": digest})


def lottery_to_dict(lottery: Lottery) -> dict[str, Any]:
    """The published lottery document (its canonical JSON hashes to ``lottery.sha256``)."""
    return {
        "format": LOTTERY_FORMAT,
        "algorithm": lottery.algorithm,
        "m": lottery.m,
        "input_hashes": dict(lottery.input_hashes),
        "parameters": dict(lottery.parameters),
        "distribution": {
            "groups": [list(group) for group in lottery.groups],
            "compositions": [
                [[g, c] for g, c in enumerate(comp) if c] for comp in lottery.compositions
            ],
            "weights": list(lottery.weights),
        },
        "rounding": ROUNDING,
        "panels": [list(panel) for panel in lottery.panels],
        "draw_procedure": DRAW_PROCEDURE,
    }


def commitment(lottery: Lottery) -> dict[str, Any]:
    """What to publish before the seed is known: the lottery's and the inputs' hashes."""
    return {
        "format": COMMITMENT_FORMAT,
        "lottery_sha256": lottery.sha256,
        "m": lottery.m,
        "algorithm": lottery.algorithm,
        **dict(lottery.input_hashes),
        "parameters_sha256": parameters_sha256(lottery.parameters),
        "max_deviation": lottery.max_deviation,
    }

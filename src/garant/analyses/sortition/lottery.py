"""The verifiable draw: a uniform lottery of ``m`` panels, a public seed, RFC 3797, verification.

1. :func:`prepare_lottery` rounds the distribution to ``m`` equally likely panels (integer
   program minimising the largest deviation from each person's probability, as in Flanigan,
   Kehne and Procaccia, "Fair Sortition Made Transparent", NeurIPS 2021). Every panel is taken
   from the distribution, so every panel meets the quotas exactly. The list and the SHA-256 of
   the input files are published (``lottery.json``, ``commitment.json``) *before* the seed exists.
2. A public seed is chosen afterwards (lottery numbers, a random beacon value, dice under a
   bailiff's eye). :func:`draw` applies RFC 3797 (Eastlake, "Publicly Verifiable Nominations
   Committee (NomCom) Random Selection", 2004) to pick one of the ``m`` panels.
3. :func:`verify` recomputes everything from the published files, the input files and the seed.

RFC 3797 as implemented here: each seed *source* is a list of integers; a source's values are
sorted in increasing numeric order and each is written in decimal without leading zeros and
followed by a period; each source ends with a slash; the sources are concatenated in the order
given (e.g. ``9319./2.5.8.10.12./9.18.26.34.41.45./``). For the j-th selection (j = 0, 1, …) the
MD5 digest of ``j`` as two bytes (big-endian), the key string, and ``j`` again as two bytes is
read as a 128-bit big-endian unsigned integer; its remainder modulo the number of items not yet
selected gives the position (from 0) of the next item among them, the items being numbered
1…``m`` in the published order. Here one item (a panel) is selected, so the panel drawn is
``1 + (MD5(0x0000 ‖ key ‖ 0x0000) mod m)``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from garant.errors import InputError
from garant.i18n import tr

from .model import Algorithm, Check, Lottery, Panel, SortitionResult, VerificationResult

__all__ = [
    "LOTTERY_FORMAT",
    "canonical_json",
    "commitment",
    "draw",
    "lottery_from_dict",
    "lottery_to_dict",
    "parse_seed",
    "prepare_lottery",
    "rfc3797_key",
    "rfc3797_select",
    "write_atomic",
]

LOTTERY_FORMAT = "garant.sortition.lottery/1"
MAX_LOTTERY = 65535  # RFC 3797 reference code limit on the pool size


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


def _round_counts(
    weights: npt.NDArray[np.float64],
    compositions: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.float64],
    m: int,
    time_limit_s: float,
) -> npt.NDArray[np.int64]:
    """Integer copies per composition (sum ``m``) minimising the worst probability deviation."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    target = m * weights
    floors = np.floor(target)
    rest = round(float(m - floors.sum()))
    fallback = floors.copy()
    fallback[np.argsort(-(target - floors))[:rest]] += 1
    fractional = np.flatnonzero(target - floors > 1e-12)
    if rest == 0 or len(fractional) == 0:
        return np.asarray(fallback, dtype=np.int64)

    def _worst(copies: npt.NDArray[np.float64]) -> float:
        return float(np.max(np.abs((copies @ compositions) / sizes - goal)))

    # variables: one 0/1 "round up" per fractional composition, then the deviation d
    count = len(fractional)
    base = (floors @ compositions) / sizes  # expected appearances per member from the floors
    goal = (target @ compositions) / sizes
    share = compositions[fractional] / sizes  # (count, groups)
    rows_low = np.hstack([share.T, np.ones((share.shape[1], 1))])
    rows_high = np.hstack([share.T, -np.ones((share.shape[1], 1))])
    sum_row = np.concatenate([np.ones(count), [0.0]])[None, :]
    constraints = [
        LinearConstraint(rows_low, goal - base, np.inf),
        LinearConstraint(rows_high, -np.inf, goal - base),
        LinearConstraint(sum_row, rest, rest),
    ]
    cost = np.concatenate([np.zeros(count), [1.0]])
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.concatenate([np.ones(count), [0.0]]),
        bounds=Bounds(np.zeros(count + 1), np.concatenate([np.ones(count), [np.inf]])),
        options={"time_limit": time_limit_s, "mip_rel_gap": 0.05},
    )
    if result.x is None:
        return np.asarray(fallback, dtype=np.int64)
    rounded = floors.copy()
    rounded[fractional] += np.rint(result.x[:count])
    if int(rounded.sum()) != m or _worst(rounded) > _worst(fallback):
        return np.asarray(fallback, dtype=np.int64)
    return np.asarray(rounded, dtype=np.int64)


def prepare_lottery(
    result: SortitionResult, m: int = 1000, *, rounding_time_s: float = 2.0
) -> Lottery:
    """Round ``result`` to ``m`` equally likely concrete panels and hash the list.

    Within a group of interchangeable people, the places a composition gives the group are
    handed out in turn (in pool order) across the ``m`` panels, so each member appears
    ⌊c/n⌋ or ⌈c/n⌉ times; the largest gap between a person's share of the ``m`` panels and their
    exact probability is reported as ``max_deviation``. The rounding integer program stops
    after ``rounding_time_s`` with its best solution (never worse than largest remainders).
    """
    if not 1 <= m <= MAX_LOTTERY:
        raise InputError(
            tr("Taille de loterie invalide : {m}", "Invalid lottery size: {m}", m=m),
            tr(
                "Choisissez m entre 1 et 65535 (1000 par défaut).",
                "Choose m between 1 and 65535 (default 1000).",
            ),
        )
    compositions = np.array(result.compositions, dtype=np.float64)
    sizes = np.array([len(g) for g in result.groups], dtype=np.float64)
    copies = _round_counts(np.array(result.weights), compositions, sizes, m, rounding_time_s)
    pointer = [0] * len(result.groups)
    panels: list[tuple[str, ...]] = []
    for j, repeat in enumerate(copies):
        for _ in range(int(repeat)):
            members: list[str] = []
            for g, count in enumerate(result.compositions[j]):
                group = result.groups[g]
                for _ in range(count):
                    members.append(group[pointer[g] % len(group)])
                    pointer[g] += 1
            panels.append(tuple(sorted(members)))
    appearances: dict[str, int] = {}
    for panel in panels:
        for person in panel:
            appearances[person] = appearances.get(person, 0) + 1
    deviation = max(
        (abs(appearances.get(pid, 0) / m - p) for pid, p in result.probabilities.items()),
        default=0.0,
    )
    document = _document(
        result.algorithm, m, panels, result.already_selected, result.input_hashes, result.parameters
    )
    return Lottery(
        m=m,
        panels=tuple(panels),
        already_selected=tuple(result.already_selected),
        algorithm=result.algorithm,
        input_hashes=dict(result.input_hashes),
        parameters=dict(result.parameters),
        max_deviation=float(deviation),
        sha256=hashlib.sha256(canonical_json(document)).hexdigest(),
    )


def _document(
    algorithm: str,
    m: int,
    panels: Sequence[Sequence[str]],
    already_selected: Sequence[str],
    input_hashes: Mapping[str, str],
    parameters: Mapping[str, object],
) -> dict[str, Any]:
    return {
        "format": LOTTERY_FORMAT,
        "algorithm": algorithm,
        "m": m,
        "input_hashes": dict(input_hashes),
        "parameters": dict(parameters),
        "already_selected": sorted(already_selected),
        "panels": [list(panel) for panel in panels],
        "draw_procedure": "RFC 3797: panel = 1 + (MD5(0x0000 || key || 0x0000) mod m)",
    }


def lottery_to_dict(lottery: Lottery) -> dict[str, Any]:
    """The published lottery document (its canonical JSON hashes to ``lottery.sha256``)."""
    return _document(
        lottery.algorithm,
        lottery.m,
        lottery.panels,
        lottery.already_selected,
        lottery.input_hashes,
        lottery.parameters,
    )


def lottery_from_dict(data: Mapping[str, Any], *, source: str = "lottery.json") -> Lottery:
    """Rebuild a lottery from its published document, recomputing its hash."""
    try:
        if data["format"] != LOTTERY_FORMAT:
            raise KeyError("format")
        panels = tuple(tuple(str(p) for p in panel) for panel in data["panels"])
        m = int(data["m"])
        if len(panels) != m:
            raise KeyError("panels")
        return Lottery(
            m=m,
            panels=panels,
            already_selected=tuple(data["already_selected"]),
            algorithm=cast(Algorithm, data["algorithm"]),
            input_hashes=dict(data["input_hashes"]),
            parameters=dict(data["parameters"]),
            max_deviation=float("nan"),
            sha256=hashlib.sha256(canonical_json(dict(data))).hexdigest(),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            tr(
                "{file} : document de loterie invalide (champ {field})",
                "{file}: invalid lottery document (field {field})",
                file=source,
                field=exc,
            ),
            tr(
                "Utilisez le fichier lottery.json publié par garant.",
                "Use the lottery.json file published by garant.",
            ),
        ) from exc


def commitment(lottery: Lottery) -> dict[str, Any]:
    """What to publish before the seed is known: the lottery's and the inputs' hashes."""
    return {
        "lottery_sha256": lottery.sha256,
        "m": lottery.m,
        "algorithm": lottery.algorithm,
        **dict(lottery.input_hashes),
        "parameters_sha256": hashlib.sha256(canonical_json(dict(lottery.parameters))).hexdigest(),
        "max_deviation": None if math.isnan(lottery.max_deviation) else lottery.max_deviation,
    }


def parse_seed(seed: str | Sequence[Sequence[int]]) -> list[list[int]]:
    """Seed sources: ``"9319 / 2 5 12 8 10 / 9 18 26 34 41 45"`` or a list of integer lists.

    Sources are separated by ``/``, ``;`` or new lines; numbers by spaces or commas. A long
    hexadecimal beacon value can be given as ``0x…`` and is read as one integer.
    """
    if not isinstance(seed, str):
        sources = [[int(v) for v in source] for source in seed]
    else:
        sources = []
        for chunk in re.split(r"[/;\n]", seed):
            tokens = [t for t in re.split(r"[\s,]+", chunk.strip()) if t]
            if not tokens:
                continue
            values = []
            for token in tokens:
                try:
                    values.append(int(token, 16) if token.lower().startswith("0x") else int(token))
                except ValueError:
                    raise InputError(
                        tr(
                            "Graine invalide : « {token} » n'est pas un entier",
                            "Invalid seed: '{token}' is not an integer",
                            token=token,
                        ),
                        tr(
                            "Donnez des nombres entiers, sources séparées par « / ».",
                            "Give whole numbers, sources separated by '/'.",
                        ),
                    ) from None
            sources.append(values)
    if not sources or any(v < 0 for source in sources for v in source):
        raise InputError(
            tr("Graine vide ou négative", "Empty or negative seed"),
            tr(
                "Donnez au moins un nombre entier positif (ex. : tirage du Loto).",
                "Give at least one non-negative integer (e.g. lottery numbers).",
            ),
        )
    return sources


def rfc3797_key(sources: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 key string: each source's values sorted, ``value.`` each, ``/`` per source."""
    return "".join("".join(f"{value}." for value in sorted(source)) + "/" for source in sources)


def rfc3797_select(key: str, pool: int, count: int) -> list[tuple[int, str]]:
    """Select ``count`` items numbered 1…``pool``: ``(item, MD5 hex)`` per selection (RFC 3797)."""
    if not 0 < pool <= MAX_LOTTERY or not 0 <= count <= pool:
        raise ValueError("RFC 3797 handles 1..65535 items")
    remaining = list(range(1, pool + 1))
    chosen: list[tuple[int, str]] = []
    raw = key.encode("ascii")
    for index in range(count):
        prefix = index.to_bytes(2, "big")
        digest = hashlib.md5(prefix + raw + prefix, usedforsecurity=False).digest()
        position = int.from_bytes(digest, "big") % len(remaining)
        chosen.append((remaining.pop(position), digest.hex().upper()))
    return chosen


def draw(lottery: Lottery, seed: str | Sequence[Sequence[int]]) -> Panel:
    """Pick the panel of ``lottery`` designated by the public ``seed`` (RFC 3797)."""
    key = rfc3797_key(parse_seed(seed))
    [(index, md5_hex)] = rfc3797_select(key, lottery.m, 1)
    return Panel(
        index=index,
        ids=lottery.panels[index - 1],
        already_selected=tuple(sorted(lottery.already_selected)),
        seed_key=key,
        md5_hex=md5_hex,
        lottery_sha256=lottery.sha256,
    )


def panel_to_dict(panel: Panel) -> dict[str, Any]:
    return {
        "index": panel.index,
        "ids": list(panel.ids),
        "already_selected": list(panel.already_selected),
        "seed_key": panel.seed_key,
        "md5": panel.md5_hex,
        "lottery_sha256": panel.lottery_sha256,
    }


def panel_from_dict(data: Mapping[str, Any]) -> Panel:
    return Panel(
        index=int(data["index"]),
        ids=tuple(data["ids"]),
        already_selected=tuple(data["already_selected"]),
        seed_key=str(data["seed_key"]),
        md5_hex=str(data["md5"]),
        lottery_sha256=str(data["lottery_sha256"]),
    )


def _verify_checks(
    lottery: Lottery,
    claimed: Panel | None,
    seed: str | Sequence[Sequence[int]],
) -> tuple[list[Check], Panel]:
    panel = draw(lottery, seed)
    checks: list[Check] = []
    if claimed is not None:
        checks.append(
            Check(
                "seed",
                claimed.seed_key == panel.seed_key,
                tr(
                    "clé RFC 3797 publiée {a}, recalculée {b}",
                    "published RFC 3797 key {a}, recomputed {b}",
                    a=claimed.seed_key,
                    b=panel.seed_key,
                ),
            )
        )
        checks.append(
            Check(
                "lottery",
                claimed.lottery_sha256 == lottery.sha256,
                tr(
                    "empreinte de la loterie au tirage {a}, recalculée {b}",
                    "lottery hash at the draw {a}, recomputed {b}",
                    a=claimed.lottery_sha256[:16],
                    b=lottery.sha256[:16],
                ),
            )
        )
        checks.append(
            Check(
                "panel",
                claimed.index == panel.index and claimed.ids == panel.ids,
                tr(
                    "panel publié n° {a}, recalculé n° {b}",
                    "published panel #{a}, recomputed #{b}",
                    a=claimed.index,
                    b=panel.index,
                ),
            )
        )
    return checks, panel


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify(
    published: Path | str,
    *,
    pool: Path | str,
    quotas: Path | str,
    seed: str | Sequence[Sequence[int]],
) -> VerificationResult:
    """Recompute the draw from a published directory, the input files and the seed.

    ``published`` holds ``lottery.json`` and, when present, ``commitment.json`` and
    ``draw.json``. Checks: the lottery matches the commitment; the pool and quotas files are the
    ones hashed before the draw; every panel of the lottery meets the quotas on that pool; the
    seed gives the published panel.
    """
    from .inputs import build_instance, load_pool, load_quotas
    from .problem import reduce_instance

    folder = Path(published)
    lottery_path = folder / "lottery.json" if folder.is_dir() else folder
    folder = lottery_path.parent
    try:
        data = json.loads(lottery_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            tr(
                "Loterie publiée illisible : {file}",
                "Cannot read published lottery: {file}",
                file=lottery_path,
            ),
            tr(
                "Indiquez le dossier du tirage (avec lottery.json).",
                "Give the draw folder (with lottery.json).",
            ),
        ) from exc
    lottery = lottery_from_dict(data, source=str(lottery_path))
    checks: list[Check] = []
    commitment_path = folder / "commitment.json"
    if commitment_path.exists():
        promised = json.loads(commitment_path.read_text(encoding="utf-8"))
        checks.append(
            Check(
                "commitment",
                promised.get("lottery_sha256") == lottery.sha256,
                tr(
                    "empreinte publiée {a}, recalculée {b}",
                    "published hash {a}, recomputed {b}",
                    a=str(promised.get("lottery_sha256"))[:16],
                    b=lottery.sha256[:16],
                ),
            )
        )
    pool_path, quotas_path = Path(pool), Path(quotas)
    for name, path, key in (
        ("pool", pool_path, "pool_sha256"),
        ("quotas", quotas_path, "quotas_sha256"),
    ):
        actual = _digest(path)
        expected = lottery.input_hashes.get(key, "")
        checks.append(
            Check(
                name,
                actual == expected,
                tr(
                    "{file} : SHA-256 {a}, attendu {b}",
                    "{file}: SHA-256 {a}, expected {b}",
                    file=path.name,
                    a=actual[:16],
                    b=expected[:16],
                ),
            )
        )
    params = lottery.parameters
    try:
        instance = build_instance(
            load_pool(pool_path, id_column=cast(str | None, params.get("id_column"))),
            load_quotas(quotas_path),
            int(cast(int, params["k"])),
            household_columns=cast(list[str], params.get("household_columns", [])),
            already_selected=cast(list[str], params.get("already_selected", [])),
            excluded=cast(list[str], params.get("excluded", [])),
        )
        problem = reduce_instance(instance, aggregate=False)
        position = {problem.instance.ids[members[0]]: g for g, members in enumerate(problem.groups)}
        broken = 0
        for listed in lottery.panels:
            counts = [0] * problem.n_groups
            for person in listed:
                if person not in position:
                    broken += 1
                    break
                counts[position[person]] += 1
            else:
                broken += bool(problem.violations(counts))
        checks.append(
            Check(
                "panels",
                broken == 0,
                tr(
                    "{n} panel(s) sur {m} hors quotas",
                    "{n} of {m} panel(s) break the quotas",
                    n=broken,
                    m=lottery.m,
                ),
            )
        )
    except InputError as exc:
        checks.append(Check("panels", False, exc.message))
    claimed = None
    draw_path = folder / "draw.json"
    if draw_path.exists():
        claimed = panel_from_dict(json.loads(draw_path.read_text(encoding="utf-8")))
    more, panel = _verify_checks(lottery, claimed, seed)
    checks += more
    return VerificationResult(ok=all(c.ok for c in checks), checks=tuple(checks), panel=panel)

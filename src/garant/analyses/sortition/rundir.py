"""Files of a sortition run directory (ids only, no personal data), written atomically.

``result.json`` (distribution, probabilities and solver log: local), ``lottery.json``,
``commitment.json``, ``verification.csv`` and ``quotas.csv`` (published before the seed is
known), ``draw.json`` (after the draw), ``report.md`` and ``probabilities.png``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from garant.errors import ConflictError, InputError
from garant.i18n import tr

from .lottery import canonical_json, commitment, lottery_to_dict, write_atomic
from .model import Algorithm, Lottery, Panel, SortitionResult
from .published import (
    COMMITMENT_FILE,
    DRAW_FILE,
    LOTTERY_FILE,
    lottery_from_dict,
    panel_from_dict,
    read_published_json,
)
from .rfc3797 import panel_to_dict

__all__ = [
    "RESULT_FORMAT",
    "load_draw",
    "load_lottery",
    "load_result",
    "result_from_dict",
    "result_to_dict",
    "save_draw",
    "save_lottery",
    "save_result",
]

RESULT_FORMAT = "garant.sortition.result/1"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def result_to_dict(result: SortitionResult) -> dict[str, Any]:
    """JSON-able form of a result (compositions stored sparsely as ``[group, count]`` pairs)."""
    return {
        "format": RESULT_FORMAT,
        "algorithm": result.algorithm,
        "k": result.k,
        "optimal": result.optimal,
        "gap": _finite(result.gap),
        "seconds": result.seconds,
        "iterations": result.iterations,
        "notes": list(result.notes),
        "input_hashes": dict(result.input_hashes),
        "parameters": dict(result.parameters),
        "already_selected": list(result.already_selected),
        "groups": [list(group) for group in result.groups],
        "compositions": [[[g, c] for g, c in enumerate(comp) if c] for comp in result.compositions],
        "weights": list(result.weights),
        "probabilities": dict(result.probabilities),
    }


def result_from_dict(data: Mapping[str, Any]) -> SortitionResult:
    n = len(data["groups"])
    compositions = []
    for sparse in data["compositions"]:
        dense = [0] * n
        for g, c in sparse:
            dense[int(g)] = int(c)
        compositions.append(tuple(dense))
    gap = data.get("gap")
    return SortitionResult(
        algorithm=cast(Algorithm, data["algorithm"]),
        k=int(data["k"]),
        groups=tuple(tuple(group) for group in data["groups"]),
        compositions=tuple(compositions),
        weights=tuple(float(w) for w in data["weights"]),
        probabilities={str(k): float(v) for k, v in data["probabilities"].items()},
        already_selected=tuple(data["already_selected"]),
        optimal=bool(data["optimal"]),
        gap=float("nan") if gap is None else float(gap),
        seconds=float(data["seconds"]),
        iterations=int(data["iterations"]),
        notes=tuple(data["notes"]),
        input_hashes=dict(data["input_hashes"]),
        parameters=dict(data["parameters"]),
    )


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            tr(
                "Fichier de tirage illisible : {file}",
                "Cannot read sortition file: {file}",
                file=path,
            ),
            tr("Vérifiez le dossier du tirage.", "Check the sortition run folder."),
        ) from exc


def save_result(result: SortitionResult, run_dir: Path) -> Path:
    path = Path(run_dir) / "result.json"
    write_atomic(path, _json(result_to_dict(result)))
    return path


def load_result(run_dir: Path) -> SortitionResult:
    data = _read(Path(run_dir) / "result.json")
    try:
        return result_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            tr(
                "{file} : résultat invalide ({error})",
                "{file}: invalid result ({error})",
                file=Path(run_dir) / "result.json",
                error=exc,
            ),
            tr("Relancez le calcul du tirage.", "Run the sortition again."),
        ) from exc


def save_lottery(lottery: Lottery, run_dir: Path) -> tuple[Path, Path]:
    """Write ``lottery.json`` (canonical bytes, so its SHA-256 is ``lottery.sha256``) and
    ``commitment.json``; returns both paths."""
    folder = Path(run_dir)
    lottery_path = folder / LOTTERY_FILE
    commitment_path = folder / COMMITMENT_FILE
    write_atomic(lottery_path, canonical_json(lottery_to_dict(lottery)))
    write_atomic(commitment_path, _json(commitment(lottery)))
    return lottery_path, commitment_path


def load_lottery(run_dir: Path) -> Lottery:
    """Read a published lottery (and its rounding deviation from ``commitment.json``)."""
    path = Path(run_dir)
    path = path / LOTTERY_FILE if path.is_dir() else path
    data, raw = read_published_json(path)
    lottery = lottery_from_dict(data, raw, file=path.name)
    promised = path.parent / COMMITMENT_FILE
    if promised.exists():
        deviation = read_published_json(promised)[0].get("max_deviation")
        if isinstance(deviation, int | float):
            lottery = replace(lottery, max_deviation=float(deviation))
    return lottery


def save_draw(panel: Panel, run_dir: Path) -> Path:
    """Write ``draw.json``; a folder keeps its first draw (same seed: harmless, else refused)."""
    path = Path(run_dir) / DRAW_FILE
    if path.exists():
        previous = load_draw(Path(run_dir))
        if previous != panel:
            raise ConflictError(
                tr(
                    "Un tirage a déjà été fait dans {dir} (panel n° {n}, clé {k})",
                    "A draw was already made in {dir} (panel #{n}, key {k})",
                    dir=run_dir,
                    n=previous.index,
                    k=previous.seed_key,
                ),
                tr(
                    "Un tirage public ne se refait pas ; un nouveau tirage motivé passe par "
                    "« garant sortition redraw ».",
                    "A public draw is not redone; a reasoned redraw goes through "
                    "'garant sortition redraw'.",
                ),
            )
    write_atomic(path, _json(panel_to_dict(panel)))
    return path


def load_draw(run_dir: Path) -> Panel:
    return panel_from_dict(read_published_json(Path(run_dir) / DRAW_FILE)[0])

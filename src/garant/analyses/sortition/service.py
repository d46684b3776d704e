"""Two calls for the CLI: compute and publish a lottery (:func:`run_sortition`), then draw it
with the public seed (:func:`draw_run`). Verification is :func:`~.lottery.verify`.

A run directory holds ``inputs.json`` (local paths of the input files, parameters and the
household salt: stays in the workspace), ``result.json`` (local), the published files
(``commitment.json``, ``lottery.json``, ``verification.csv``, ``quotas.csv`` and, after the
draw, ``draw.json``), ``probabilities.png`` and ``report.md``. Only ids appear in these files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garant.errors import IntegrityError
from garant.i18n import tr

from .algorithms import solve
from .inputs import build_instance, load_pool, load_quotas
from .lottery import prepare_lottery, write_atomic
from .model import Algorithm, Instance, Lottery, Panel, ProgressCallback, Redraw, SortitionResult
from .published import QUOTAS_FILE, VERIFICATION_FILE, verification_csv
from .report import build_report, write_probability_plot
from .rfc3797 import draw
from .rundir import load_lottery, load_result, save_draw, save_lottery, save_result

__all__ = [
    "RunOutcome",
    "draw_run",
    "load_instance",
    "load_run_instance",
    "run_sortition",
    "run_time_limit",
]


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`run_sortition` computed and where it wrote it."""

    run_dir: Path
    instance: Instance
    result: SortitionResult
    lottery: Lottery
    report_path: Path


def household_salt(pool_bytes: bytes) -> bytes:
    """The salt of the published household keys: secret to whoever lacks the raw pool (it is
    keyed by the whole file, not by its published SHA-256) and the same for the same pool, so
    that the same inputs always publish the same files."""
    return hmac.new(pool_bytes, b"garant.sortition.household-salt/1", hashlib.sha256).digest()


def load_instance(
    pool_path: Path | str,
    quotas_path: Path | str,
    k: int,
    *,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    already_selected: Sequence[str] = (),
    excluded: Sequence[str] = (),
) -> Instance:
    """Read and check both input files and the options (before any run is opened)."""
    return build_instance(
        load_pool(pool_path, id_column=id_column),
        load_quotas(quotas_path),
        k,
        household_columns=household_columns,
        already_selected=already_selected,
        excluded=excluded,
    )


def run_sortition(
    pool_path: Path | str,
    quotas_path: Path | str,
    k: int,
    run_dir: Path | str,
    *,
    instance: Instance | None = None,
    algorithm: Algorithm = "leximin",
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    already_selected: Sequence[str] = (),
    excluded: Sequence[str] = (),
    m: int = 1000,
    time_limit_s: float | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
    disclosure_markdown: str = "",
) -> RunOutcome:
    """Load (unless ``instance`` is given), solve, round to an ``m``-panel lottery and write
    everything to ``run_dir``, the published files included."""
    folder = Path(run_dir)
    if instance is None:
        instance = load_instance(
            pool_path,
            quotas_path,
            k,
            id_column=id_column,
            household_columns=household_columns,
            already_selected=already_selected,
            excluded=excluded,
        )
    result = solve(instance, algorithm, time_limit_s=time_limit_s, progress=progress, seed=seed)
    salt = household_salt(Path(pool_path).read_bytes())
    verification = verification_csv(instance, salt)
    write_atomic(folder / VERIFICATION_FILE, verification)
    write_atomic(folder / QUOTAS_FILE, Path(quotas_path).read_bytes())
    lottery = prepare_lottery(
        result, m, verification_sha256=hashlib.sha256(verification).hexdigest()
    )
    inputs = {
        "pool": str(Path(pool_path).resolve()),
        "quotas": str(Path(quotas_path).resolve()),
        "parameters": dict(result.parameters),
        "household_salt": salt.hex(),
        "time_limit_s": time_limit_s,
    }
    write_atomic(folder / "inputs.json", json.dumps(inputs, ensure_ascii=False, indent=2) + "\n")
    save_result(result, folder)
    save_lottery(lottery, folder)
    report_path = _write_report(
        folder, instance, result, lottery, None, disclosure_markdown, time_limit_s
    )
    return RunOutcome(folder, instance, result, lottery, report_path)


def _write_report(
    folder: Path,
    instance: Instance,
    result: SortitionResult,
    lottery: Lottery,
    panel: Panel | None,
    disclosure_markdown: str,
    time_limit_s: float | None = None,
) -> Path:
    write_probability_plot(result, folder / "probabilities.png")
    report = build_report(
        instance,
        result,
        disclosure_markdown=disclosure_markdown,
        lottery=lottery,
        panel=panel,
        plot_file="probabilities.png",
        time_limit_s=time_limit_s,
    )
    write_atomic(folder / "report.md", report.markdown)
    write_atomic(
        folder / "report.json", json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"
    )
    return folder / "report.md"


def run_time_limit(run_dir: Path | str) -> float | None:
    """The time limit the lottery was computed under (``None``: none), from ``inputs.json``."""
    path = Path(run_dir) / "inputs.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("time_limit_s")
    except (OSError, ValueError):
        return None
    return float(value) if isinstance(value, int | float) else None


def load_run_instance(run_dir: Path | str) -> Instance:
    """Rebuild the instance of a run from ``inputs.json``, refusing changed input files."""
    folder = Path(run_dir)
    inputs: dict[str, Any] = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    params = inputs["parameters"]
    lottery = load_lottery(folder)
    for key, name in (("pool", "pool_sha256"), ("quotas", "quotas_sha256")):
        actual = hashlib.sha256(Path(inputs[key]).read_bytes()).hexdigest()
        if actual != lottery.input_hashes.get(name):
            raise IntegrityError(
                tr(
                    "{file} a changé depuis la publication de la loterie",
                    "{file} changed since the lottery was published",
                    file=inputs[key],
                ),
                tr(
                    "Restaurez le fichier publié ; un tirage ne se fait que sur les entrées "
                    "annoncées.",
                    "Restore the published file; a draw only uses the announced inputs.",
                ),
            )
    return build_instance(
        load_pool(inputs["pool"], id_column=params.get("id_column")),
        load_quotas(inputs["quotas"]),
        int(params["k"]),
        household_columns=params.get("household_columns", []),
        already_selected=params.get("already_selected", []),
        excluded=params.get("excluded", []),
    )


def draw_run(
    run_dir: Path | str,
    seed: str | Sequence[Sequence[int]],
    *,
    disclosure_markdown: str = "",
    replaces: Redraw | None = None,
) -> Panel:
    """Draw the published lottery of ``run_dir`` with ``seed``; write ``draw.json`` and the
    final report. Drawing again with the same seed is harmless; with another seed it is refused
    (a reasoned redraw is another act, in another folder: ``replaces`` names the first draw)."""
    folder = Path(run_dir)
    instance = load_run_instance(folder)
    lottery = load_lottery(folder)
    panel = draw(lottery, seed, replaces=replaces)
    save_draw(panel, folder)
    _write_report(
        folder,
        instance,
        load_result(folder),
        lottery,
        panel,
        disclosure_markdown,
        run_time_limit(folder),
    )
    return panel

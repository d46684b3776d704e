"""Sortition as audited runs: the lottery (computed and published before the draw), then the
draw with the public seed, each an audited run with its inputs' hashes and outputs traced.

No model is called: the disclosure label says no AI was involved and names the method.
Volunteers' files stay in the workspace; only their hashes are logged.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from garant.analyses.sortition.model import Algorithm, Panel, ProgressCallback, SortitionResult
from garant.analyses.sortition.report import build_report
from garant.analyses.sortition.rundir import load_lottery, load_result
from garant.analyses.sortition.service import draw_run, load_run_instance, run_sortition
from garant.audit.reports import render_run_report
from garant.audit.run import AuditedRun, audited_run
from garant.workspace import Workspace

__all__ = ["DrawOutcome", "LotteryOutcome", "draw_lottery", "publish_lottery"]

PUBLISHED = ("inputs.json", "result.json", "lottery.json", "commitment.json")


@dataclass(frozen=True)
class LotteryOutcome:
    run_id: str
    folder: Path
    result: SortitionResult


@dataclass(frozen=True)
class DrawOutcome:
    run_id: str
    folder: Path
    panel: Panel


def _method(result: SortitionResult) -> str:
    return f"{result.algorithm.upper()} (garant, solveur HiGHS)"


def publish_lottery(
    workspace: Workspace,
    pool: Path,
    quotas: Path,
    k: int,
    *,
    use: str,
    operator: str,
    algorithm: Algorithm = "leximin",
    household_columns: Sequence[str] = (),
    already_selected: Sequence[str] = (),
    excluded: Sequence[str] = (),
    m: int = 1000,
    time_limit_s: float | None = None,
    progress: ProgressCallback | None = None,
) -> LotteryOutcome:
    """Solve, round to ``m`` equally likely panels and publish the commitment (before the draw)."""
    parameters = {"k": k, "algorithm": algorithm, "m": m, "households": ",".join(household_columns)}
    with audited_run(
        workspace,
        use=use,
        kind="sortition",
        operator=operator,
        ai_involvement="none",
        pseudonymisation_mode="patterns",  # tables and JSON, no free text: no NER model needed
        parameters=parameters,
    ) as run:
        run.add_input("vivier.csv", pool, log_copy=False)
        run.add_input("quotas.csv", quotas)
        outcome = run_sortition(
            pool,
            quotas,
            k,
            run.outputs_dir,
            algorithm=algorithm,
            household_columns=household_columns,
            already_selected=already_selected,
            excluded=excluded,
            m=m,
            time_limit_s=time_limit_s,
            progress=progress,
        )
        run.summary["method"] = _method(outcome.result)
        _record_files(
            run,
            ("inputs.json", "result.json", "lottery.json", "commitment.json", "probabilities.png"),
        )
        run.log_metrics(min_probability=min(outcome.result.probabilities.values(), default=0.0))
        _report(run, "lottery.json", None)
    return LotteryOutcome(run.id, run.outputs_dir, outcome.result)


def draw_lottery(
    workspace: Workspace, lottery_run: str, seed: str, *, use: str, operator: str
) -> DrawOutcome:
    """Draw the published lottery of ``lottery_run`` with the public ``seed`` (a new run)."""
    source = workspace.runs_dir / lottery_run
    with audited_run(
        workspace,
        use=use,
        kind="sortition-draw",
        operator=operator,
        ai_involvement="none",
        pseudonymisation_mode="patterns",  # tables and JSON, no free text: no NER model needed
        parameters={"lottery_run": lottery_run, "seed": seed},
    ) as run:
        run.outputs_dir.mkdir(parents=True, exist_ok=True)
        for name in PUBLISHED:
            shutil.copy2(source / name, run.outputs_dir / name)
            run.add_input(name, run.outputs_dir / name, log_copy=name not in LOCAL_ONLY)
        panel = draw_run(run.outputs_dir, seed)
        run.summary["method"] = _method(load_result(run.outputs_dir)) + " — tirage RFC 3797"
        _record_files(run, ("draw.json",))
        _report(run, "draw.json", panel)
    return DrawOutcome(run.id, run.outputs_dir, panel)


# inputs.json holds the local paths of the input files (they may name a user): hash only.
LOCAL_ONLY = frozenset({"inputs.json"})


def _record_files(run: AuditedRun, names: Sequence[str]) -> None:
    for name in names:
        path = run.outputs_dir / name
        if path.is_file():
            run.add_output(name, path, contains_personal_data=name in LOCAL_ONLY)


def _report(run: AuditedRun, anchor_output: str, panel: Panel | None) -> None:
    """Report with the disclosure label of the published lottery (or the draw)."""
    folder = run.outputs_dir
    label = run.disclosure(anchor_output)
    instance = load_run_instance(folder)
    report = build_report(
        instance,
        load_result(folder),
        disclosure_markdown=label.to_markdown(),
        lottery=load_lottery(folder),
        panel=panel,
        plot_file="probabilities.png",
    )
    plot = folder / "probabilities.png"
    if not plot.is_file():
        from garant.analyses.sortition.report import write_probability_plot

        write_probability_plot(load_result(folder), plot)
    run.add_output("rapport.md", report.markdown)
    run.add_output("rapport.json", json.dumps(report.data, ensure_ascii=False, indent=2) + "\n")
    render_run_report(
        run, report.markdown, "rapport", title="Tirage au sort", label=label, images=[plot]
    )

"""Sortition as audited runs: the lottery (computed and published before the draw), then the
draw with the public seed, each an audited run with its inputs' hashes and outputs traced.

A published lottery is drawn once: a second draw of the same lottery (same SHA-256, whichever
run published it) is refused with the first draw's reference. A reasoned redraw (a declined
invitation, a draw made on the wrong lottery…) is a separate act, ``sortition-redraw``, that
names the draw it replaces, says why, and is written into its ``draw.json``.

No model is called: the disclosure label says no AI was involved and names the method.
Volunteers' files stay in the workspace; only their hashes are logged. Inputs are read and
checked before any run is opened, so a bad or missing file leaves no failed run behind.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from garant.analyses.sortition.inputs import encoding_notes
from garant.analyses.sortition.model import (
    Algorithm,
    Panel,
    ProgressCallback,
    Redraw,
    SortitionResult,
)
from garant.analyses.sortition.published import (
    COMMITMENT_FILE,
    LOTTERY_FILE,
    QUOTAS_FILE,
    VERIFICATION_FILE,
)
from garant.analyses.sortition.report import build_report
from garant.analyses.sortition.rfc3797 import draw_key, parse_seed, rfc3797_key
from garant.analyses.sortition.rundir import load_draw, load_lottery, load_result
from garant.analyses.sortition.service import (
    draw_run,
    load_instance,
    load_run_instance,
    run_sortition,
    run_time_limit,
)
from garant.audit.disclosure import DisclosureLabel
from garant.audit.run import AuditedRun, audited_run
from garant.errors import ConflictError, InputError, NotFoundError
from garant.i18n import tr
from garant.workspace import Workspace

__all__ = [
    "DRAW_KINDS",
    "DrawOutcome",
    "LotteryOutcome",
    "PriorDraw",
    "draw_lottery",
    "prior_draws",
    "publish_lottery",
    "redraw_lottery",
]

PUBLISHED = (
    "inputs.json",
    "result.json",
    LOTTERY_FILE,
    COMMITMENT_FILE,
    VERIFICATION_FILE,
    QUOTAS_FILE,
)
DRAW_KINDS = ("sortition-draw", "sortition-redraw")
# inputs.json holds the local paths of the input files and the household salt: hash only.
# verification.csv holds criteria values per id: published by the organiser, not sent to MLflow.
LOCAL_ONLY = frozenset({"inputs.json", VERIFICATION_FILE})


@dataclass(frozen=True)
class LotteryOutcome:
    run_id: str
    folder: Path
    result: SortitionResult
    encoding_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawOutcome:
    run_id: str
    folder: Path
    panel: Panel


@dataclass(frozen=True)
class PriorDraw:
    """A draw already made of a lottery (from the ledger)."""

    run_id: str
    kind: str
    seed_key: str
    status: str


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
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    already_selected: Sequence[str] = (),
    excluded: Sequence[str] = (),
    m: int = 1000,
    time_limit_s: float | None = None,
    progress: ProgressCallback | None = None,
) -> LotteryOutcome:
    """Solve, round to ``m`` equally likely panels and publish the commitment (before the draw)."""
    instance = load_instance(
        pool,
        quotas,
        k,
        id_column=id_column,
        household_columns=household_columns,
        already_selected=already_selected,
        excluded=excluded,
    )
    notes = encoding_notes(instance.pool, instance.quotas)
    parameters = {
        "k": k,
        "algorithm": algorithm,
        "m": m,
        "households": ",".join(household_columns),
        "id_column": instance.pool.id_column or "",
        "time_limit_s": time_limit_s,
    }
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
            instance=instance,
            algorithm=algorithm,
            m=m,
            time_limit_s=time_limit_s,
            progress=progress,
        )
        run.summary["method"] = _method(outcome.result)
        _record_files(
            run,
            (
                "inputs.json",
                "result.json",
                LOTTERY_FILE,
                COMMITMENT_FILE,
                VERIFICATION_FILE,
                QUOTAS_FILE,
                "probabilities.png",
            ),
        )
        run.log_metrics(min_probability=min(outcome.result.probabilities.values(), default=0.0))
        _report(run, LOTTERY_FILE, None)
    return LotteryOutcome(run.id, run.outputs_dir, outcome.result, notes)


def prior_draws(workspace: Workspace, lottery_sha256: str) -> list[PriorDraw]:
    """Draws (and redraws) of the lottery with this SHA-256 already started in the workspace."""
    from sqlmodel import col, select

    from garant.domain.models import AuditRun, LedgerEntry
    from garant.store.engine import unit_of_work

    found = []
    with unit_of_work(workspace.engine) as session:
        entries = session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.event == "run_started")
            .where(col(LedgerEntry.payload).contains(lottery_sha256))
            .order_by(col(LedgerEntry.seq))
        )
        for entry in entries:
            payload = json.loads(entry.payload)
            params = payload.get("parameters", {})
            if payload.get("kind") in DRAW_KINDS and params.get("lottery_sha256") == lottery_sha256:
                row = session.get(AuditRun, entry.run_id)
                found.append(
                    PriorDraw(
                        entry.run_id,
                        str(payload["kind"]),
                        str(params.get("seed_key", "")),
                        row.status if row is not None else "?",
                    )
                )
    return found


def _lottery_folder(workspace: Workspace, lottery_run: str) -> Path:
    source = workspace.runs_dir / lottery_run
    if not (source / LOTTERY_FILE).is_file():
        raise NotFoundError(
            tr(
                "L'exécution {id} n'a pas publié de loterie",
                "Run {id} did not publish a lottery",
                id=lottery_run,
            ),
            tr(
                "Donnez l'identifiant d'une exécution « garant sortition run ».",
                "Give the id of a 'garant sortition run' run.",
            ),
        )
    return source


def draw_lottery(
    workspace: Workspace, lottery_run: str, seed: str, *, use: str, operator: str
) -> DrawOutcome:
    """Draw the published lottery of ``lottery_run`` with the public ``seed`` (a new run).

    Refused when this lottery was already drawn: the message names the first draw.
    """
    source = _lottery_folder(workspace, lottery_run)
    lottery = load_lottery(source)
    key = rfc3797_key(parse_seed(seed))
    earlier = prior_draws(workspace, lottery.sha256)
    if earlier:
        first = earlier[0]
        raise ConflictError(
            tr(
                "Cette loterie a déjà été tirée : exécution {run} (clé {key}, état {status}). "
                "Un second tirage est refusé.",
                "This lottery was already drawn: run {run} (key {key}, status {status}). A "
                "second draw is refused.",
                run=first.run_id,
                key=first.seed_key,
                status=first.status,
            ),
            tr(
                "Si un nouveau tirage est justifié (désistement, erreur de procédure), faites un "
                "acte distinct et motivé : garant sortition redraw {lot} --replaces {run} "
                '--reason "…" --seed "…"',
                "If a new draw is justified (withdrawal, procedural error), make a separate, "
                'reasoned act: garant sortition redraw {lot} --replaces {run} --reason "…" '
                '--seed "…"',
                lot=lottery_run,
                run=first.run_id,
            ),
        )
    return _draw(workspace, lottery_run, source, seed, key, lottery.sha256, use, operator, None)


def redraw_lottery(
    workspace: Workspace,
    lottery_run: str,
    seed: str,
    *,
    replaces: str,
    reason: str,
    use: str,
    operator: str,
) -> DrawOutcome:
    """A recorded, reasoned new draw of a lottery that names the draw it replaces.

    ``replaces`` must be the latest draw of this lottery; the new seed must differ from every
    seed already used; ``reason`` is written into the published ``draw.json``.
    """
    source = _lottery_folder(workspace, lottery_run)
    lottery = load_lottery(source)
    key = rfc3797_key(parse_seed(seed))
    if not reason.strip():
        raise InputError(
            tr("Motif du nouveau tirage vide", "Empty reason for the redraw"),
            tr(
                'Dites pourquoi le tirage est refait (--reason "désistement de …").',
                'Say why the draw is redone (--reason "withdrawal of …").',
            ),
        )
    earlier = prior_draws(workspace, lottery.sha256)
    if not earlier:
        raise ConflictError(
            tr("Cette loterie n'a pas encore été tirée", "This lottery was not drawn yet"),
            tr("Faites le tirage avec « garant sortition draw ».", "Use 'garant sortition draw'."),
        )
    latest = earlier[-1]
    if not latest.run_id.startswith(replaces) or not replaces:
        raise ConflictError(
            tr(
                "--replaces {given} ne désigne pas le dernier tirage de cette loterie ({run})",
                "--replaces {given} is not the latest draw of this lottery ({run})",
                given=replaces,
                run=latest.run_id,
            ),
            tr(
                "Nommez le tirage remplacé : --replaces {run}",
                "Name it: --replaces {run}",
                run=latest.run_id,
            ),
        )
    if key in {d.seed_key for d in earlier}:
        raise ConflictError(
            tr(
                "La graine {key} a déjà servi pour cette loterie",
                "Seed {key} was already used for this lottery",
                key=key,
            ),
            tr("Un nouveau tirage demande une nouvelle graine publique.", "Use a new public seed."),
        )
    try:
        previous = load_draw(workspace.runs_dir / latest.run_id)
    except InputError:
        previous = draw_key(lottery, latest.seed_key)
    replaced = Redraw(previous.seed_key, previous.index, previous.md5_hex, reason.strip())
    return _draw(
        workspace,
        lottery_run,
        source,
        seed,
        key,
        lottery.sha256,
        use,
        operator,
        (latest.run_id, replaced),
    )


def _draw(
    workspace: Workspace,
    lottery_run: str,
    source: Path,
    seed: str,
    key: str,
    lottery_sha256: str,
    use: str,
    operator: str,
    replaced: tuple[str, Redraw] | None,
) -> DrawOutcome:
    load_run_instance(source)  # refuses changed inputs before a run is opened
    parameters: dict[str, object] = {
        "lottery_run": lottery_run,
        "lottery_sha256": lottery_sha256,
        "seed": seed,
        "seed_key": key,
    }
    if replaced is not None:
        parameters |= {"replaces_run": replaced[0], "reason": replaced[1].reason}
    with audited_run(
        workspace,
        use=use,
        kind="sortition-redraw" if replaced else "sortition-draw",
        operator=operator,
        ai_involvement="none",
        pseudonymisation_mode="patterns",  # tables and JSON, no free text: no NER model needed
        parameters=parameters,
    ) as run:
        run.outputs_dir.mkdir(parents=True, exist_ok=True)
        for name in PUBLISHED:
            shutil.copy2(source / name, run.outputs_dir / name)
            run.add_input(name, run.outputs_dir / name, log_copy=name not in LOCAL_ONLY)
        panel = draw_run(run.outputs_dir, seed, replaces=replaced[1] if replaced else None)
        run.summary["method"] = _method(load_result(run.outputs_dir)) + " — tirage RFC 3797"
        _record_files(run, ("draw.json",))
        _report(run, "draw.json", panel)
    return DrawOutcome(run.id, run.outputs_dir, panel)


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
        run_id=run.id,
        time_limit_s=run_time_limit(folder),
    )
    plot = folder / "probabilities.png"
    if not plot.is_file():
        from garant.analyses.sortition.report import write_probability_plot

        write_probability_plot(load_result(folder), plot)
    run.add_output("rapport.md", report.markdown)
    run.add_output("rapport.json", json.dumps(report.data, ensure_ascii=False, indent=2) + "\n")
    _render(run, report.markdown, " ".join(report.data["summary"]), label, plot)


def _render(
    run: AuditedRun, markdown: str, summary: str, label: DisclosureLabel, plot: Path
) -> None:
    """HTML and PDF of the report; page 1 (the subtitle) answers "why fair, how to check"."""
    from datetime import UTC, datetime

    from garant.audit.gate import policy_label
    from garant.documents import Document, DocumentImage, DocumentMetadata, render

    heading, _, body = markdown.partition("\n")
    document = Document(
        title=heading.lstrip("# ").strip() or "Tirage au sort",
        subtitle=summary,
        organisation=run.workspace.settings.organisation_name,
        language=run.workspace.settings.language,
        metadata=DocumentMetadata(
            generated_at=datetime.now(UTC),
            policy_version=policy_label(run.decision),
            run_ids=(run.id,),
        ),
        body=body,
        disclosure=" ".join(label.sentences()),
        images=(DocumentImage(name=plot.name, path=plot),),
    )
    for fmt in ("html", "pdf"):
        rendered = render(document, fmt, run.outputs_dir / f"rapport.{fmt}")
        run.add_output(rendered.path.name, rendered.path)

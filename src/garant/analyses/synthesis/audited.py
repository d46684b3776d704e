"""Synthesis in a workspace: corpora kept locally, analyses as audited runs.

A corpus lives in ``<workspace>/private/corpus/<name>/`` (original and pseudonymised texts,
and the corpus's pseudonym mapping, stable across ingests). Analyses work on the pseudonymised
text; with a model, every call goes through the audited run (policy, trace, ledger).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from garant.analyses.synthesis.corpus import (
    Corpus,
    Pseudonymiser,
    create_corpus,
    load_corpus,
)
from garant.analyses.synthesis.evaluate import Evaluation, evaluate
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.report import build_report, write_report
from garant.analyses.synthesis.service import (
    ingest_decidim,
    ingest_folder,
    ingest_jsonl,
    ingest_table,
    ingest_transcript,
    load_result,
    run_llm,
    run_offline,
    save_result,
)
from garant.audit.reports import render_run_report
from garant.audit.run import AuditedRun, RunGateway, audited_run
from garant.errors import InputError, NotFoundError, PolicyRefusal
from garant.i18n import tr
from garant.settings import OFFLINE_MODEL_ALIAS
from garant.workspace import Workspace

__all__ = [
    "RESULT_FILE",
    "IngestOutcome",
    "SourceFormat",
    "SynthesisOutcome",
    "corpus_dir",
    "evaluate_run",
    "ingest",
    "synthesise",
]

RESULT_FILE = "resultat.json"
SourceFormat = Literal["decidim", "table", "jsonl", "folder", "transcript"]


def corpus_dir(workspace: Workspace, name: str) -> Path:
    return workspace.private_dir / "corpus" / name


KEPT_OFFICE_HOLDERS = "keep_public_office_holders"
"""Marks, in a corpus source's pseudonymiser label, that public office holders stayed readable."""


def _office_holders_kept(workspace: Workspace) -> bool:
    """The approved policy's ``pseudonymisation.keep_public_office_holders``; ``False`` (mask)
    when no policy is in force in the workspace (none adopted, or only a draft)."""
    from garant.audit.policy_bridge import workspace_policy_in_force, workspace_policy_path
    from garant.governance.policy import PolicyStatus

    if not workspace_policy_path(workspace).is_file():
        return False
    policy = workspace_policy_in_force(workspace).governing()
    in_force = policy.status in {PolicyStatus.APPROVED, PolicyStatus.PUBLISHED}
    return in_force and policy.pseudonymisation.keep_public_office_holders


def _pseudonymiser(
    folder: Path, mode: str, *, keep_office_holders: bool
) -> tuple[Pseudonymiser, Any]:
    from garant.privacy import Pseudonymiser as PresidioPseudonymiser
    from garant.privacy import PseudonymMapping

    mapping_file = folder / "pseudonymes.json"
    mapping = PseudonymMapping.load(mapping_file) if mapping_file.is_file() else PseudonymMapping()
    engine = PresidioPseudonymiser(mode, keep_public_figures=keep_office_holders)  # type: ignore[arg-type]

    def pseudonymise(texts: list[str]) -> list[str]:
        return [result.text for result in engine.pseudonymise_many(texts, mapping)]

    return pseudonymise, mapping


@dataclass(frozen=True)
class IngestOutcome:
    """What an ingest added, and the readers' warnings (skipped rows, encoding fallback…)."""

    added: int
    warnings: list[str]


def ingest(
    workspace: Workspace,
    name: str,
    source: Path,
    fmt: SourceFormat,
    *,
    pseudonymisation: str = "full",
    columns: dict[str, str] | None = None,
    transcript_run: str | None = None,
) -> IngestOutcome:
    """Add ``source`` to the corpus ``name`` (created on first use).

    ``columns`` maps ``text``, ``id``, ``author``, ``date``, ``stance`` and ``question`` to the
    column (table) or field (JSON lines) holding them.
    """
    keep = _office_holders_kept(workspace)  # read first: a policy error creates nothing
    folder = corpus_dir(workspace, name)
    created = not (folder / "manifest.json").is_file()
    if created:
        folder.parent.mkdir(parents=True, exist_ok=True)
        create_corpus(folder)
    try:
        pseudonymise, mapping = _pseudonymiser(folder, pseudonymisation, keep_office_holders=keep)
        # garant's engines (docs/adr-0020); the policy setting that applied (docs/adr-0011)
        label = f"garant-fr ({pseudonymisation}{'; ' + KEPT_OFFICE_HOLDERS if keep else ''})"
        try:
            records = _ingest(
                workspace, folder, source, fmt, columns or {}, transcript_run, pseudonymise, label
            )
        finally:
            # Tags already written to the corpus must keep their meaning for the next ingest.
            mapping.save(folder / "pseudonymes.json")
    except BaseException:
        if created:  # a refused first source leaves no empty corpus behind
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return IngestOutcome(
        added=sum(record.count for record in records),
        warnings=[warning for record in records for warning in record.warnings],
    )


def _ingest(
    workspace: Workspace,
    folder: Path,
    source: Path,
    fmt: SourceFormat,
    columns: dict[str, str],
    transcript_run: str | None,
    pseudonymise: Pseudonymiser,
    label: str,
) -> list[Any]:
    common: dict[str, Any] = {"pseudonymise": pseudonymise, "pseudonymiser_name": label}
    if fmt == "decidim":
        return list(ingest_decidim(folder, [source] if source.is_file() else source, **common))
    if fmt == "table":
        if "text" not in columns:
            raise InputError(
                tr(
                    "« --text-column » est obligatoire pour un tableau.",
                    "'--text-column' is required for a table.",
                ),
                tr(
                    "Nommez la colonne qui contient le texte des contributions.",
                    "Name the column holding the text.",
                ),
            )
        return [
            ingest_table(
                folder,
                source,
                text_column=columns["text"],
                id_column=columns.get("id"),
                author_column=columns.get("author"),
                date_column=columns.get("date"),
                stance_column=columns.get("stance"),
                question_column=columns.get("question"),
                **common,
            )
        ]
    if fmt == "jsonl":
        fields: dict[str, Any] = {
            f"{key}_field": columns[key]
            for key in ("text", "id", "author", "date", "stance", "question")
            if key in columns
        }
        return [ingest_jsonl(folder, source, **fields, **common)]
    if fmt == "folder":
        return [ingest_folder(folder, source, **common)]
    return [_ingest_transcript_run(workspace, folder, transcript_run, common)]


def _ingest_transcript_run(
    workspace: Workspace, folder: Path, run_id: str | None, common: dict[str, Any]
) -> Any:
    from garant.analyses.transcription.audited import TRANSCRIPT_FILE
    from garant.analyses.transcription.model import load_transcript
    from garant.analyses.transcription.turns import to_turns

    if not run_id:
        raise InputError(
            tr(
                "Indiquez l'exécution de transcription (--from-run).",
                "Name the transcription run (--from-run).",
            ),
            tr(
                "Voyez « garant runs list --status finished ».",
                "See 'garant runs list --status finished'.",
            ),
        )
    path = workspace.runs_dir / run_id / TRANSCRIPT_FILE
    if not path.is_file():
        raise NotFoundError(
            tr(
                "Pas de transcription dans l'exécution {id}.",
                "No transcript in run {id}.",
                id=run_id,
            ),
            tr("Voyez « garant runs list ».", "See 'garant runs list'."),
        )
    transcript = load_transcript(path)
    return ingest_transcript(folder, to_turns(transcript), name=f"transcription-{run_id}", **common)


@dataclass(frozen=True)
class SynthesisOutcome:
    run_id: str
    folder: Path
    result: SynthesisResult


def synthesise(
    workspace: Workspace,
    name: str,
    *,
    use: str,
    operator: str,
    model_alias: str | None = None,
    seed: int = 0,
    n_themes: int | None = None,
    formats: Sequence[str] = ("html", "pdf"),
) -> SynthesisOutcome:
    """Run the offline synthesis (or the LLM one with ``model_alias``) as an audited run."""
    folder = corpus_dir(workspace, name)
    corpus = load_corpus(folder)
    # Without a model, the offline method runs under the offline alias: the gate checks that
    # the use registers garant's offline tool like any other.
    alias = model_alias or OFFLINE_MODEL_ALIAS
    config = workspace.settings.models.get(alias)
    offline = config is None or config.model.startswith("offline/")
    pseudonymisers = sorted({source.pseudonymiser for source in corpus.manifest.sources})
    with audited_run(
        workspace,
        use=use,
        kind="synthesis",
        operator=operator,
        model_alias=alias,
        ai_involvement="assisted" if offline else "generated",
        parameters={
            "corpus": name,
            "corpus_sha256": corpus.sha256,
            "corpus_pseudonymisation": " | ".join(pseudonymisers),
            "seed": seed,
            "n_themes": n_themes or "auto",
        },
    ) as run:
        _check_corpus_pseudonymisation(run, name, pseudonymisers)
        run.add_input(
            "corpus.jsonl", "\n".join(c.text for c in corpus.contributions), log_copy=False
        )
        if offline:
            result = run_offline(corpus, seed=seed, n_themes=n_themes)
        else:
            result = run_llm(corpus, RunGateway(run), alias=alias)
        run.summary["method"] = result.method_description
        run.log_params(**{f"method.{k}": v for k, v in result.parameters.items()})
        _write_outputs(run, result, corpus, formats)
    return SynthesisOutcome(run.id, run.outputs_dir, result)


def _check_corpus_pseudonymisation(run: AuditedRun, name: str, labels: Sequence[str]) -> None:
    """Refuse a corpus that kept public office holders' names readable when the policy in force
    no longer does: its texts would show names the policy now masks."""
    if run.keep_public_office_holders or not any(KEPT_OFFICE_HOLDERS in label for label in labels):
        return
    raise PolicyRefusal(
        tr(
            "Règle pseudonymisation.keep_public_office_holders : le corpus « {name} » a été "
            "importé en laissant lisibles les noms des responsables publics, ce que la politique "
            "en vigueur ne permet plus.",
            "Rule pseudonymisation.keep_public_office_holders: corpus '{name}' was ingested "
            "with public office holders' names left readable, which the policy in force no "
            "longer allows.",
            name=name,
        ),
        tr(
            "Importez à nouveau les sources dans un nouveau corpus (garant synthesis ingest), "
            "qui appliquera la politique en vigueur.",
            "Ingest the sources again into a new corpus (garant synthesis ingest), which will "
            "apply the policy in force.",
        ),
        rule="pseudonymisation.keep_public_office_holders",
    )


def _write_outputs(
    run: AuditedRun, result: SynthesisResult, corpus: Any, formats: Sequence[str]
) -> None:
    save_result(result, run.outputs_dir / RESULT_FILE)
    run.add_output(RESULT_FILE, run.outputs_dir / RESULT_FILE)
    label = run.disclosure(RESULT_FILE)
    report = build_report(result, corpus, disclosure_markdown=label.to_markdown())
    written = write_report(report, run.outputs_dir, stem="synthese")
    for path in written:
        run.add_output(path.name, path)
    images = [path for path in written if path.suffix == ".png"]
    render_run_report(
        run,
        report.markdown,
        "synthese",
        title="Synthèse des contributions",
        label=label,
        images=images,
        formats=formats,
    )


def evaluate_run(workspace: Workspace, run_id: str, gold: Path) -> Evaluation:
    """Compare the assignments of a synthesis run with human labels."""
    result = load_result(workspace.runs_dir / run_id / RESULT_FILE)
    questions: dict[str, str | None] | None = None
    corpus = _corpus_of(workspace, result.corpus_sha256)
    if corpus is not None:
        questions = {item.id: item.question for item in corpus.contributions}
    return evaluate(result, gold, questions=questions)


def _corpus_of(workspace: Workspace, sha256: str) -> Corpus | None:
    """The workspace corpus whose contributions file has this hash (the run's input), if any."""
    from garant.analyses.synthesis.corpus import CorpusManifest

    root = workspace.private_dir / "corpus"
    for manifest in sorted(root.glob("*/manifest.json")) if root.is_dir() else []:
        try:
            found = CorpusManifest.model_validate_json(manifest.read_bytes())
        except ValueError:
            continue
        if found.contributions_sha256 == sha256:
            return load_corpus(manifest.parent)
    return None

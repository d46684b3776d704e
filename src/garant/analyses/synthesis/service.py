"""Service functions a CLI command or the TUI calls in a few lines.

::

    record = ingest_table(corpus_dir, Path("avis.csv"), text_column="texte", author_column="nom")
    result = run_offline(corpus_dir, seed=0)
    save_result(result, corpus_dir / "runs" / "offline.json")
    report = build_report(result, load_corpus(corpus_dir), disclosure_markdown=label)
    write_report(report, out_dir)
    evaluation = evaluate(result, Path("gold.csv"))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.llm.types import ModelGateway

from .campaigns import CampaignParameters, describe_campaigns, span_hours
from .corpus import (
    Corpus,
    Pseudonymiser,
    SourceRecord,
    add_batch,
    atomic_write_text,
    load_corpus,
)
from .duplicates import DuplicateParameters, detect_duplicates
from .ingest import read_decidim, read_folder, read_jsonl, read_table, read_transcript
from .model import SynthesisResult
from .offline import Embedder, OfflineParameters
from .questions import themes_by_question

__all__ = [
    "ingest_decidim",
    "ingest_folder",
    "ingest_jsonl",
    "ingest_table",
    "ingest_transcript",
    "load_result",
    "run_llm",
    "run_offline",
    "save_result",
]


def ingest_table(
    corpus_dir: Path,
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    author_column: str | None = None,
    date_column: str | None = None,
    stance_column: str | None = None,
    extra_columns: Sequence[str] = (),
    title_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
    prefix: str | None = None,
    question_column: str | None = None,
) -> SourceRecord:
    """Ingest a CSV/XLSX table into the corpus at ``corpus_dir`` (created if absent)."""
    batch = read_table(
        path,
        text_column=text_column,
        id_column=id_column,
        author_column=author_column,
        date_column=date_column,
        stance_column=stance_column,
        extra_columns=extra_columns,
        title_column=title_column,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        question_column=question_column,
    )
    return add_batch(
        corpus_dir,
        batch,
        pseudonymise=pseudonymise,
        pseudonymiser_name=pseudonymiser_name,
        prefix=prefix,
    )


def ingest_decidim(
    corpus_dir: Path,
    paths: Sequence[Path] | Path,
    *,
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
) -> list[SourceRecord]:
    """Ingest Decidim exports (a folder or files): proposals, comments, participant debates."""
    return [
        add_batch(
            corpus_dir,
            batch,
            pseudonymise=pseudonymise,
            pseudonymiser_name=pseudonymiser_name,
        )
        for batch in read_decidim(paths)
    ]


def ingest_jsonl(
    corpus_dir: Path,
    path: Path,
    *,
    text_field: str = "text",
    id_field: str | None = "id",
    author_field: str | None = "author",
    date_field: str | None = "date",
    stance_field: str | None = "stance",
    extra_fields: Sequence[str] = (),
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
    prefix: str | None = None,
    question_field: str | None = "question",
) -> SourceRecord:
    """Ingest a JSON-lines file (one object per line) into the corpus at ``corpus_dir``."""
    batch = read_jsonl(
        path,
        text_field=text_field,
        id_field=id_field,
        author_field=author_field,
        date_field=date_field,
        stance_field=stance_field,
        extra_fields=extra_fields,
        question_field=question_field,
    )
    return add_batch(
        corpus_dir,
        batch,
        pseudonymise=pseudonymise,
        pseudonymiser_name=pseudonymiser_name,
        prefix=prefix,
    )


def ingest_folder(
    corpus_dir: Path,
    path: Path,
    *,
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
    prefix: str | None = None,
) -> SourceRecord:
    """Ingest a folder of ``.txt`` and ``.eml`` files."""
    return add_batch(
        corpus_dir,
        read_folder(path),
        pseudonymise=pseudonymise,
        pseudonymiser_name=pseudonymiser_name,
        prefix=prefix,
    )


def ingest_transcript(
    corpus_dir: Path,
    turns: Sequence[Any] | Path,
    *,
    name: str | None = None,
    meeting_date: str | None = None,
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
) -> SourceRecord:
    """Ingest a transcript: one contribution per speaker turn."""
    return add_batch(
        corpus_dir,
        read_transcript(turns, name=name, meeting_date=meeting_date),
        pseudonymise=pseudonymise,
        pseudonymiser_name=pseudonymiser_name,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _open(corpus: Corpus | Path) -> Corpus:
    return corpus if isinstance(corpus, Corpus) else load_corpus(corpus)


def _empty_corpus_error(corpus: Corpus) -> InputError:
    return InputError(
        tr("Le corpus {path} est vide.", "Corpus {path} is empty.", path=corpus.path),
        tr("Ingérez d'abord une source.", "Ingest a source first."),
    )


def run_offline(
    corpus: Corpus | Path,
    *,
    seed: int = 0,
    n_themes: int | None = None,
    parameters: OfflineParameters | None = None,
    duplicate_parameters: DuplicateParameters | None = None,
    embedder: Embedder | None = None,
    embedder_name: str = "",
) -> SynthesisResult:
    """Offline synthesis: duplicates and floods, then TF-IDF/LSA/k-means themes (no model).

    ``embedder`` (optional extra, e.g. ``sentence_transformer_embedder(folder)``) adds local
    sentence embeddings to the vectors; ``embedder_name`` is recorded in the parameters.
    """
    loaded = _open(corpus)
    if not loaded.contributions:
        raise _empty_corpus_error(loaded)
    if parameters is None:
        parameters = OfflineParameters(seed=seed, n_themes=n_themes)
    floods = detect_duplicates(loaded.contributions, duplicate_parameters)
    themes, assignments, singular, details = themes_by_question(
        loaded.contributions, floods, parameters, embedder
    )
    recorded: dict[str, str | int | float | bool | None] = {
        key: value
        for key, value in details["parameters"].items()
        if value is None or isinstance(value, str | int | float | bool)
    }
    recorded["k"] = details.get("k")
    recorded["questions"] = details.get("questions")
    recorded["residual_after_main"] = details.get("residual_after_main")
    recorded["char_ngram_range"] = details.get("char_ngram_range")
    recorded["embedder"] = (embedder_name or "fourni") if embedder is not None else None
    warnings = [warning for source in loaded.manifest.sources for warning in source.warnings]
    if not all(source.pseudonymised for source in loaded.manifest.sources):
        warnings.append(
            tr(
                "Certaines sources n'ont pas été pseudonymisées : le rapport peut contenir "
                "des données personnelles.",
                "Some sources were not pseudonymised: the report may contain personal data.",
            )
        )
    by_id = {item.id: item for item in loaded.contributions}
    campaign_parameters = CampaignParameters(
        similarity=parameters.campaign_similarity, min_texts=parameters.campaign_min_texts
    )
    campaigns = describe_campaigns(
        details.get("campaigns", []),
        by_id,
        assignments,
        campaign_parameters,
        corpus_span_hours=span_hours([item.date for item in loaded.contributions if item.date]),
    )
    return SynthesisResult(
        campaigns=campaigns,
        method="offline",
        method_description=tr(
            "Méthode hors ligne, sans modèle génératif : vecteurs TF-IDF de mots et de "
            "n-grammes de caractères, réduction LSA, regroupement k-means (graine {seed}), "
            "seconde passe pour les petits groupes minoritaires ; termes distinctifs et "
            "extraits verbatim des contributions les plus centrales.",
            "Offline method, no generative model: word and character n-gram TF-IDF, LSA, "
            "k-means clustering (seed {seed}), a second pass for small minority groups; "
            "distinctive terms and verbatim excerpts of the most central contributions.",
            seed=parameters.seed,
        ),
        parameters=recorded,
        corpus_sha256=loaded.sha256,
        created_at=_now(),
        themes=themes,
        assignments=assignments,
        singular=singular,
        floods=floods,
        warnings=warnings,
    )


def run_llm(
    corpus: Corpus | Path,
    gateway: ModelGateway,
    *,
    alias: str,
    batch_size: int = 25,
    max_retries: int = 2,
    duplicate_parameters: DuplicateParameters | None = None,
) -> SynthesisResult:
    """Synthesis with a model reached through ``gateway`` (themes, assignment, summaries)."""
    from .llm import LlmParameters, llm_synthesis

    loaded = _open(corpus)
    if not loaded.contributions:
        raise _empty_corpus_error(loaded)
    floods = detect_duplicates(loaded.contributions, duplicate_parameters)
    return llm_synthesis(
        loaded,
        floods,
        gateway,
        LlmParameters(alias=alias, batch_size=batch_size, max_retries=max_retries),
        created_at=_now(),
    )


def save_result(result: SynthesisResult, path: Path) -> None:
    """Write a run result as JSON, atomically."""
    atomic_write_text(path, result.model_dump_json(indent=1))


def load_result(path: Path) -> SynthesisResult:
    """Read a run result written by ``save_result``."""
    if not path.is_file():
        raise NotFoundError(
            tr("Résultat introuvable : {path}.", "Result not found: {path}.", path=path),
            tr("Lancez d'abord l'analyse.", "Run the analysis first."),
        )
    try:
        return SynthesisResult.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise InputError(
            tr(
                "{path} n'est pas un résultat de synthèse valide ({error}).",
                "{path} is not a valid synthesis result ({error}).",
                path=path,
                error=error.errors()[0]["msg"],
            ),
            tr("Relancez l'analyse.", "Run the analysis again."),
        ) from error

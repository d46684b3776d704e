"""Observations into a dossier: read and pseudonymise a source (the synthesis corpus readers),
then number every contribution the dossier does not hold yet.

The dossier's texts live in the corpus ``<workspace>/private/corpus/dossier-<key>/`` (original
and pseudonymised text, never sent anywhere); the store keeps the number, channel, date, author
pseudonym and the hash of the pseudonymised text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from garant.inquiry.dossiers import (
    AddedObservations,
    add_observations,
    anchor_ledger,
    attach_run,
    check_channel,
    get_dossier,
)
from garant.inquiry.models import ObservationInput
from garant.store.engine import unit_of_work
from garant.workspace import Workspace

__all__ = ["SourceFormat", "corpus_name", "ingest_observations", "synthesise_dossier"]

SourceFormat = str
"""decidim, table, jsonl, folder or transcript (see garant.analyses.synthesis.audited)."""


def corpus_name(dossier_key: str) -> str:
    return f"dossier-{dossier_key}"


def _date_of(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def ingest_observations(
    workspace: Workspace,
    dossier_key: str,
    source: Path,
    fmt: SourceFormat,
    channel: str,
    *,
    actor: str,
    pseudonymisation: str = "full",
    columns: dict[str, str] | None = None,
    transcript_run: str | None = None,
) -> AddedObservations:
    """Read ``source`` into the dossier; new observations get the next numbers."""
    from garant.analyses.synthesis import load_corpus
    from garant.analyses.synthesis.audited import corpus_dir, ingest

    code = check_channel(channel)
    with unit_of_work(workspace.engine) as session:
        key = get_dossier(session, dossier_key).key
    name = corpus_name(key)
    ingest(
        workspace,
        name,
        source,
        fmt,  # type: ignore[arg-type]
        pseudonymisation=pseudonymisation,
        columns=columns,
        transcript_run=transcript_run,
    )
    corpus = load_corpus(corpus_dir(workspace, name))
    items = [
        ObservationInput(
            source_ref=contribution.id,
            channel=code,
            received_on=_date_of(contribution.date),
            author=contribution.author or "",
            text=contribution.text_pseudonymised,
        )
        for contribution in corpus.contributions
    ]
    with unit_of_work(workspace.engine) as session:
        dossier = get_dossier(session, key)
        added = add_observations(session, dossier, items, actor)
        if transcript_run:
            attach_run(session, dossier, transcript_run, "transcription", actor)
    anchor_ledger(workspace)
    return added


def synthesise_dossier(
    workspace: Workspace,
    dossier_key: str,
    *,
    use: str,
    operator: str,
    actor: str,
    model_alias: str | None = None,
    seed: int = 0,
) -> str:
    """Group the dossier's observations by theme in an audited synthesis run; attach the run."""
    from garant.analyses.synthesis.audited import synthesise

    with unit_of_work(workspace.engine) as session:
        key = get_dossier(session, dossier_key).key
    outcome = synthesise(
        workspace,
        corpus_name(key),
        use=use,
        operator=operator,
        model_alias=model_alias,
        seed=seed,
        formats=("html",),
    )
    with unit_of_work(workspace.engine) as session:
        attach_run(session, get_dossier(session, key), outcome.run_id, "synthesis", actor)
    anchor_ledger(workspace)
    return outcome.run_id

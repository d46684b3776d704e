"""What the annex on AI use says, gathered from the store, the runs and the ledger.

:func:`collect_annex` returns the annex context (one entry per AI use: purpose and stage, tool,
model and provider, prompt templates, input and output hashes, pseudonymisation, human review,
disclosure label; the coverage statement; any sortition method) and the manifest listing every
file and ledger entry it relies on. Rendering lives in :mod:`garant.documents.annex_pdf` and the
``annexe.md.j2`` template.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from garant import __version__
from garant.audit.runs import disclosure_labels
from garant.domain.models import AITool, AIUse, AuditRun, LedgerEntry, Person
from garant.errors import IntegrityError
from garant.i18n import format_date, format_datetime_with_zone, tr
from garant.inquiry.dossiers import attached_runs, observations_digest, observations_of
from garant.inquiry.manifest import (
    Manifest,
    ManifestDossier,
    ManifestFile,
    ManifestLedgerEntry,
    ManifestSigner,
)
from garant.inquiry.models import CHANNELS, InquiryDossier, InquiryObservation
from garant.inquiry.pv import build_pv
from garant.util.files import atomic_write_bytes, sha256_file
from garant.workspace import Workspace

if TYPE_CHECKING:
    from garant.audit.verify import VerificationReport

__all__ = [
    "AnnexContext",
    "AnnexUse",
    "collect_annex",
    "dossier_folder",
    "observations_register",
]

STAGES = {
    "preparation": "préparation",
    "design": "conception",
    "animation": "animation",
    "collection": "recueil",
    "analysis": "analyse",
    "reporting": "restitution",
}
REVIEW_STATES = {"approved": "approuvée", "rejected": "rejetée", "pending": "en attente"}
ROLES = {
    "transcription": "transcription d'une réunion publique",
    "synthesis": "regroupement des observations par thème",
    "sortition": "tirage au sort",
}


@dataclass(frozen=True)
class AnnexUse:
    """One AI use in the inquiry (one audited run)."""

    run_id: str
    role: str
    use_title: str
    purpose: str
    stage: str
    tool: str
    model: str
    provider: str
    versions: str
    prompts: tuple[str, ...]
    inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]
    pseudonymisation: str
    reviewer: str
    reviewed_on: str
    review_state: str
    disclosure: str
    started: str
    flags: tuple[str, ...] = ()
    """Findings of the verification about this run's row: the facts shown are the ledger's."""


@dataclass
class AnnexContext:
    """Everything the annex template shows (dates already formatted in French)."""

    organisation: str
    dossier: ManifestDossier
    commissaire: str
    opens_on: str
    closes_on: str
    total: int
    by_channel: list[tuple[str, int]]
    themed: int
    theme_count: int
    singular: int
    ungrouped: int
    duplicated: int
    duplicate_groups: int
    uses: list[AnnexUse]
    sortition: list[str]
    signer_name: str
    certificate_sha256: str
    manifest_sha256: str = ""
    files: list[ManifestFile] = field(default_factory=list)
    ledger: list[ManifestLedgerEntry] = field(default_factory=list)
    generated_at: str = ""
    verification: str = ""
    """« Vérification du registre : intègre — N entrées, M lignes rejouées, le … »."""
    verified: bool = True
    checkpoint: str = ""
    """The latest signed checkpoint the ledger records."""


def dossier_folder(workspace: Workspace, dossier: InquiryDossier) -> Path:
    return workspace.exports_dir / "enquetes" / dossier.key


def observations_register(observations: list[InquiryObservation]) -> bytes:
    """The public register of numbers: n°, channel, date, author pseudonym, text hash (CSV)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["numero", "canal", "date", "auteur", "sha256_texte"])
    for o in observations:
        writer.writerow(
            [
                o.number,
                CHANNELS.get(o.channel, o.channel),
                o.received_on.isoformat() if o.received_on else "",
                o.author,
                o.text_sha256,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _person_name(session: Session, key: str) -> str:
    if not key:
        return ""
    person = session.exec(select(Person).where(Person.key == key)).first()
    return person.full_name if person else key


def _prompts(workspace: Workspace, run: AuditRun, events: list[LedgerEntry]) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for entry in events:
        if entry.event != "model_call":
            continue
        payload = json.loads(entry.payload)
        name = payload.get("prompt_name") or payload.get("prompt")
        if name:
            version = payload.get("prompt_version", "")
            digest = str(payload.get("prompt_sha256", ""))[:12]
            found[str(name)] = f"{name} v{version} (sha256 {digest}…)".replace(" v ", " ")
    result_file = workspace.runs_dir / run.id / "resultat.json"
    if run.kind == "synthesis" and result_file.is_file():
        data = json.loads(result_file.read_text(encoding="utf-8"))
        for call in data.get("llm_calls", []):
            found[call["prompt_name"]] = (
                f"{call['prompt_name']} v{call['prompt_version']} "
                f"(sha256 {call['prompt_sha256'][:12]}…)"
            )
    return tuple(sorted(found.values()))


def _pseudonymisation(workspace: Workspace, run: AuditRun, events: list[LedgerEntry]) -> str:
    gate = next((e for e in events if e.event == "gate_decision"), None)
    required = bool(json.loads(gate.payload).get("pseudonymise")) if gate else run.pseudonymised
    if run.kind == "synthesis":
        return tr(
            "textes pseudonymisés à l'entrée dans le dossier (noms, coordonnées remplacés par "
            "des étiquettes ; auteurs par un pseudonyme salé) ; l'analyse ne lit que ces textes",
            "texts pseudonymised on entry (names, contacts replaced by tags; authors by a salted "
            "pseudonym); the analysis reads only those texts",
        )
    if run.pseudonymised or required:
        return tr(
            "pseudonymisation appliquée avant tout traitement (noms et coordonnées remplacés par des "
            "étiquettes, règles de la politique)",
            "pseudonymised before any processing (names and contacts replaced by tags, policy rules)",
        )
    return tr("aucune (données non personnelles)", "none (no personal data)")


def _use_of(
    session: Session, workspace: Workspace, run: AuditRun, role: str, events: list[LedgerEntry]
) -> AnnexUse:
    use = session.get(AIUse, run.use_id) if run.use_id else None
    tool = session.exec(select(AITool).where(AITool.key == run.tool_key)).first()
    tool_text = run.tool_key or "—"
    if tool is not None:
        tool_text = tool.name + (f" ({tool.vendor})" if tool.vendor else "")
        if tool.model_version:
            tool_text += f", version {tool.model_version}"
    if run.summary.get("imported"):  # a transcript garant did not produce: no tool ran
        tool_text = tr(
            "aucun : transcription importée, non produite par garant",
            "none: imported transcript, not produced by garant",
        )
    labels = disclosure_labels(session, run)
    main = next(iter(labels.values()), None)
    versions = f"garant {run.garant_version or '—'}"
    if run.policy_version:
        versions += f" ; politique {run.policy_version}"
    return AnnexUse(
        run_id=run.id,
        role=ROLES.get(role, role),
        use_title=use.title if use else run.use_key,
        purpose=use.purpose if use else "",
        stage=STAGES.get(use.stage, use.stage) if use else "",
        tool=tool_text,
        model=run.model or "—",
        provider=run.provider or "—",
        versions=versions,
        prompts=_prompts(workspace, run, events)
        or (
            tr(
                "aucun gabarit de requête : méthode sans modèle génératif",
                "no prompt template: no generative model",
            ),
        ),
        inputs=tuple(sorted(run.input_hashes.items())),
        outputs=tuple(sorted(run.output_hashes.items())),
        pseudonymisation=_pseudonymisation(workspace, run, events),
        reviewer=_person_name(session, run.reviewed_by),
        reviewed_on=format_date(run.reviewed_at.date()) if run.reviewed_at else "",
        review_state=REVIEW_STATES.get(run.review_state, run.review_state),
        disclosure=" ".join(main.sentences()) if main else "",
        started=format_date(run.started_at.date()),
    )


def _run_files(workspace: Workspace, run: AuditRun) -> list[ManifestFile]:
    files = []
    for name, recorded in sorted(run.output_hashes.items()):
        path = workspace.runs_dir / run.id / name
        if not path.is_file():
            continue
        actual = sha256_file(path)
        if actual != recorded:
            raise IntegrityError(
                tr(
                    "{p} ne correspond plus à l'empreinte enregistrée par l'exécution {id}.",
                    "{p} no longer matches the hash recorded by run {id}.",
                    p=path,
                    id=run.id,
                ),
                tr(
                    "Vérifiez le registre (garant audit verify) avant de produire l'annexe.",
                    "Check the ledger (garant audit verify) before exporting the annex.",
                ),
            )
        files.append(
            ManifestFile(
                path=path.relative_to(workspace.root).as_posix(),
                sha256=actual,
                bytes=path.stat().st_size,
                role="run-output",
                run_id=run.id,
            )
        )
    return files


def _ledger_entries(
    session: Session, dossier_key: str, run_ids: set[str], certificate_sha256: str
) -> list[ManifestLedgerEntry]:
    """Entries of the dossier, of its runs, and the registration of the signer's key."""
    marker = f'"dossier":{json.dumps(dossier_key, ensure_ascii=False)}'
    entries = []
    for entry in session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))):
        if entry.event == "annex_exported":
            continue
        key_entry = entry.event == "key_registered" and bool(certificate_sha256)
        if (
            entry.run_id in run_ids
            or marker in entry.payload
            or (key_entry and certificate_sha256 in entry.payload)
        ):
            entries.append(
                ManifestLedgerEntry(
                    seq=entry.seq,
                    event=entry.event,
                    run_id=entry.run_id,
                    recorded_at=entry.recorded_at,
                    entry_hash=entry.entry_hash,
                )
            )
    return entries


def collect_annex(
    session: Session,
    workspace: Workspace,
    dossier: InquiryDossier,
    signer: ManifestSigner | None,
    *,
    now: datetime | None = None,
    verification: VerificationReport | None = None,
) -> tuple[AnnexContext, Manifest]:
    """Gather the annex context and its manifest; writes the public observation register.

    With ``verification`` (``audit verify``'s, run once before), each run is shown as the
    ledger recorded it, with the findings about its row; a run the ledger never recorded is
    refused; the annex states the verification and the latest checkpoint."""
    from garant.audit.ledger_view import LedgerView

    view = LedgerView(verification) if verification is not None else None
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    observations = observations_of(session, dossier)
    pv = build_pv(session, workspace, dossier)
    links = attached_runs(session, dossier)
    uses: list[AnnexUse] = []
    sortition: list[str] = []
    files: list[ManifestFile] = []
    for link, run in links:
        events = list(
            session.exec(
                select(LedgerEntry)
                .where(LedgerEntry.run_id == run.id)
                .order_by(col(LedgerEntry.seq))
            )
        )
        if link.role == "sortition":
            method = run.summary.get("method", run.kind) if isinstance(run.summary, dict) else ""
            sortition.append(f"{run.id} : {method}")
        flags: tuple[str, ...] = ()
        if view is not None:
            verified = view.row(run)
            if verified is None:
                raise IntegrityError(
                    tr(
                        "Annexe refusée : l'exécution {id} n'a aucune origine au registre "
                        "(insérée hors de garant).",
                        "Annex refused: run {id} has no origin in the ledger (inserted outside "
                        "garant).",
                        id=run.id,
                    ),
                    tr(
                        "Lancez « garant audit verify » et faites analyser l'altération.",
                        "Run 'garant audit verify' and have the tampering examined.",
                    ),
                )
            run, flags = verified.value, verified.flags
        use_facts = _use_of(session, workspace, run, link.role, events)
        uses.append(replace(use_facts, flags=flags) if flags else use_facts)
        files.extend(_run_files(workspace, run))
    folder = dossier_folder(workspace, dossier)
    register = folder / "observations.csv"
    atomic_write_bytes(register, observations_register(observations))
    files.append(
        ManifestFile(
            path=register.relative_to(workspace.root).as_posix(),
            sha256=sha256_file(register),
            bytes=register.stat().st_size,
            role="observations",
        )
    )
    for pv_file in sorted(folder.glob("proces-verbal.*")):
        if pv_file.suffix in (".md", ".docx", ".pdf"):
            files.append(
                ManifestFile(
                    path=pv_file.relative_to(workspace.root).as_posix(),
                    sha256=sha256_file(pv_file),
                    bytes=pv_file.stat().st_size,
                    role="proces-verbal",
                )
            )
    run_ids = {run.id for _, run in links}
    manifest_dossier = ManifestDossier(
        key=dossier.key,
        title=dossier.title,
        reference=dossier.reference,
        authority=dossier.authority,
        opens_on=dossier.opens_on.isoformat(),
        closes_on=dossier.closes_on.isoformat(),
    )
    counts = Counter(o.channel for o in observations)
    manifest = Manifest(
        generated_at=generated.isoformat(timespec="seconds"),
        garant_version=__version__,
        organisation=workspace.settings.organisation_name,
        dossier=manifest_dossier,
        observations={"total": len(observations), **{c: counts[c] for c in CHANNELS if counts[c]}},
        observations_sha256=observations_digest(observations),
        runs=sorted(run_ids),
        files=files,
        ledger=_ledger_entries(
            session, dossier.key, run_ids, signer.certificate_sha256 if signer else ""
        ),
        signer=signer,
    )
    duplicated = sorted({n for group in pv.duplicates for n in group.numbers})
    context = AnnexContext(
        organisation=workspace.settings.organisation_name,
        dossier=manifest_dossier,
        commissaire=_person_name(session, dossier.commissaire)
        or tr("le commissaire enquêteur", "the commissaire enquêteur"),
        opens_on=format_date(dossier.opens_on),
        closes_on=format_date(dossier.closes_on),
        total=len(observations),
        by_channel=pv.by_channel,
        themed=len({n for theme in pv.themes for n in theme.numbers}),
        theme_count=len(pv.themes),
        singular=len(pv.singular),
        ungrouped=len(pv.ungrouped) if pv.run else len(observations),
        duplicated=len(duplicated),
        duplicate_groups=len(pv.duplicates),
        uses=uses,
        sortition=sortition,
        signer_name=signer.common_name if signer else "",
        certificate_sha256=signer.certificate_sha256 if signer else "",
        files=files,
        ledger=list(manifest.ledger),
        generated_at=format_datetime_with_zone(generated),
    )
    if verification is not None:
        from garant.audit.attestation import attest

        attestation = attest(verification)
        context.verification = attestation.statement()
        context.verified = attestation.ok
        context.checkpoint = attestation.checkpoint_statement()
    return context, manifest

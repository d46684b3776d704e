"""Export the annex: manifest, document (PDF signed, or Markdown/HTML), ledger entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from garant.audit.ledger import append_event
from garant.documents import Document, DocumentMetadata, build_document, render
from garant.errors import InputError
from garant.i18n import tr
from garant.inquiry.annex import AnnexContext, collect_annex, dossier_folder
from garant.inquiry.dossiers import anchor_ledger, get_dossier
from garant.inquiry.manifest import MANIFEST_NAME, ManifestSigner, manifest_bytes
from garant.store.engine import unit_of_work
from garant.util.files import atomic_write_bytes, sha256_bytes
from garant.workspace import Workspace

__all__ = ["AnnexExport", "annex_document", "export_annex"]

ANNEX_FORMATS = ("pdf", "html", "md")


@dataclass(frozen=True)
class AnnexExport:
    path: Path
    manifest_path: Path
    manifest_sha256: str
    annex_sha256: str
    certificate_sha256: str
    ledger_seq: int


def annex_document(context: AnnexContext, generated_at: datetime) -> Document:
    """The annex as a garant document (body from ``annexe.md.j2``)."""
    extra: list[tuple[str, str]] = [
        ("Enquête", context.dossier.title),
        ("Référence", context.dossier.reference),
        ("Empreinte SHA-256 du manifeste", context.manifest_sha256),
    ]
    if context.certificate_sha256:
        extra.append(("Empreinte SHA-256 du certificat", context.certificate_sha256))
    extra.append(("Vérification de l'annexe", "garant annex verify annexe.pdf"))
    if context.verification:
        extra.append(("Vérification du registre", context.verification))
        extra.append(("Point de contrôle", context.checkpoint))
    return build_document(
        "annexe.md.j2",
        {"a": context},
        title="Annexe : usage de l'intelligence artificielle pendant l'enquête",
        subtitle=context.dossier.title,
        organisation=context.organisation,
        alert=""
        if context.verified
        else "ALTÉRATION DÉTECTÉE — le registre d'audit ne se vérifie pas ; les faits montrés "
        "sont ceux du registre, les écarts sont signalés (section 6).",
        metadata=DocumentMetadata(
            generated_at=generated_at,
            run_ids=tuple(use.run_id for use in context.uses),
            extra=tuple(extra),
        ),
        packages=["garant.inquiry"],
    )


def export_annex(
    workspace: Workspace,
    dossier_key: str,
    fmt: str,
    *,
    actor: str,
    signer: Any | None = None,
    signer_person: str = "",
    out: Path | None = None,
    now: datetime | None = None,
) -> AnnexExport:
    """Write the annex (and its manifest beside it) and record the export in the ledger.

    A PDF is signed with ``signer`` (a pyHanko signer); Markdown and HTML are not signed.
    """
    from garant.documents.annex_signing import certificate_sha256, signer_common_name

    if fmt not in ANNEX_FORMATS:
        raise InputError(
            tr("Format d'annexe inconnu : {f}", "Unknown annex format: {f}", f=fmt),
            "pdf | html | md",
        )
    if fmt == "pdf" and signer is None:
        raise InputError(
            tr("Une annexe PDF doit être signée.", "A PDF annex must be signed."),
            tr(
                "Indiquez --signer PERSONNE (clé de « garant keys create ») ou --pkcs12 FICHIER.",
                "Give --signer PERSON (key from 'garant keys create') or --pkcs12 FILE.",
            ),
        )
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    manifest_signer = (
        ManifestSigner(
            person=signer_person,
            common_name=signer_common_name(signer),
            certificate_sha256=certificate_sha256(signer),
        )
        if signer is not None
        else None
    )
    from garant.audit.verify import verify_workspace

    verification = verify_workspace(workspace, check_mlflow=False)
    with unit_of_work(workspace.engine) as session:
        dossier = get_dossier(session, dossier_key)
        context, manifest = collect_annex(
            session, workspace, dossier, manifest_signer, now=generated, verification=verification
        )
    data = manifest_bytes(manifest)
    digest = sha256_bytes(data)
    context.manifest_sha256 = digest
    folder = dossier_folder(workspace, dossier)
    target = out or folder / f"annexe.{fmt}"
    # The PDF carries its manifest; Markdown and HTML get theirs beside them, one per format.
    manifest_path = target.with_name(
        MANIFEST_NAME if fmt == "pdf" else f"{target.stem}-{fmt}-manifeste.json"
    )
    document = annex_document(context, generated)
    if fmt == "pdf":
        from garant.documents.annex_pdf import annex_pdf_bytes
        from garant.documents.annex_signing import sign_pdf_bytes

        pdf = annex_pdf_bytes(document, data, digest, MANIFEST_NAME)
        pdf = sign_pdf_bytes(
            pdf,
            signer,
            name=context.signer_name or signer_person,
            reason="Annexe au rapport d'enquête publique : usage de l'IA",
        )
        atomic_write_bytes(target, pdf)
        annex_hash = sha256_bytes(pdf)
    else:
        annex_hash = render(document, fmt, target).sha256
    atomic_write_bytes(manifest_path, data)
    with unit_of_work(workspace.engine) as session:
        entry = append_event(
            session,
            "annex_exported",
            {
                "dossier": dossier.key,
                "format": fmt,
                "file": target.name,
                "annex_sha256": annex_hash,
                "manifest_sha256": digest,
                "certificate_sha256": manifest_signer.certificate_sha256 if manifest_signer else "",
                "signer": signer_person,
                "by": actor,
            },
        )
        seq = entry.seq
    anchor_ledger(workspace)
    return AnnexExport(
        path=target,
        manifest_path=manifest_path,
        manifest_sha256=digest,
        annex_sha256=annex_hash,
        certificate_sha256=manifest_signer.certificate_sha256 if manifest_signer else "",
        ledger_seq=seq,
    )

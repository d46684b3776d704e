"""Verify an annex with nothing but the PDF (and, optionally, the files and the workspace).

Each check gives a verdict in plain French naming the item: the signature, the certificate,
the manifest and the hash printed on each page, each listed file (``files_dir``), each ledger
entry (``workspace``). Unusable input (not a PDF) raises :class:`InputError` (exit 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from garant.errors import InputError
from garant.i18n import tr
from garant.inquiry.manifest import MANIFEST_NAME, Manifest, parse_manifest
from garant.util.files import sha256_bytes, sha256_file
from garant.workspace import Workspace

__all__ = ["Verdict", "verify_annex"]


@dataclass(frozen=True)
class Verdict:
    item: str
    ok: bool
    message: str


def _read_pdf(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(
            tr("Fichier introuvable : {p}", "File not found: {p}", p=path),
            tr("Donnez le chemin de l'annexe PDF.", "Give the path of the PDF annex."),
        )
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise InputError(
            tr("{p} n'est pas un fichier PDF.", "{p} is not a PDF file.", p=path),
            tr(
                "Vérifiez le fichier : une annexe garant est un PDF signé.",
                "Check the file: a garant annex is a signed PDF.",
            ),
        )
    return data


def _signature_verdicts(data: bytes, manifest: Manifest | None) -> list[Verdict]:
    from garant.documents.annex_signing import check_signature

    check = check_signature(data)
    item = tr("signature", "signature")
    if not check.present:
        return [
            Verdict(item, False, tr("aucune signature dans le PDF.", "no signature in the PDF."))
        ]
    if check.problem:
        return [
            Verdict(
                item,
                False,
                tr("signature illisible ({p}).", "unreadable signature ({p}).", p=check.problem),
            )
        ]
    verdicts = []
    if check.intact and check.valid:
        verdicts.append(
            Verdict(
                item,
                True,
                tr(
                    "signature valide de « {s} » ({t}).",
                    "valid signature by '{s}' ({t}).",
                    s=check.signer,
                    t=check.signed_at or "heure non indiquée",
                ),
            )
        )
    else:
        verdicts.append(
            Verdict(
                item,
                False,
                tr(
                    "signature invalide : le contenu signé a été modifié ou la signature ne "
                    "correspond pas à la clé du certificat.",
                    "invalid signature: the signed content changed or does not match the key.",
                ),
            )
        )
    doc_item = tr("document", "document")
    if check.whole_file:
        verdicts.append(
            Verdict(doc_item, True, tr("inchangé depuis la signature.", "unchanged since signing."))
        )
    else:
        verdicts.append(
            Verdict(
                doc_item,
                False,
                tr(
                    "des octets ont été ajoutés ou modifiés après la signature.",
                    "bytes were added or changed after signing.",
                ),
            )
        )
    cert_item = tr("certificat", "certificate")
    expected = manifest.signer.certificate_sha256 if manifest and manifest.signer else ""
    if expected and expected == check.certificate_sha256:
        verdicts.append(
            Verdict(
                cert_item,
                True,
                tr(
                    "empreinte {c} conforme à celle du manifeste.",
                    "fingerprint {c} matches the manifest.",
                    c=check.certificate_sha256,
                ),
            )
        )
    else:
        verdicts.append(
            Verdict(
                cert_item,
                False,
                tr(
                    "la signature vient d'une autre clé : certificat {c}, le manifeste annonce {e}.",
                    "signed with another key: certificate {c}, the manifest names {e}.",
                    c=check.certificate_sha256,
                    e=expected or "—",
                ),
            )
        )
    return verdicts


def _manifest_verdicts(data: bytes) -> tuple[Manifest | None, list[Verdict]]:
    from garant.documents.annex_pdf import embedded_manifest, printed_hashes

    item = tr("manifeste", "manifest")
    try:
        raw = embedded_manifest(data, MANIFEST_NAME)
        pages = printed_hashes(data)
    except Exception as error:
        return None, [
            Verdict(item, False, tr("PDF illisible ({e}).", "unreadable PDF ({e}).", e=error))
        ]
    if raw is None:
        return None, [
            Verdict(
                item,
                False,
                tr(
                    "aucun manifeste joint au PDF ({n}).",
                    "no manifest attached ({n}).",
                    n=MANIFEST_NAME,
                ),
            )
        ]
    digest = sha256_bytes(raw)
    try:
        manifest: Manifest | None = parse_manifest(raw, MANIFEST_NAME)
    except InputError as error:
        manifest = None
        problem = error.message
    else:
        problem = ""
    wrong = [str(number) for number, found in enumerate(pages, start=1) if digest not in found]
    verdicts = []
    if wrong:
        verdicts.append(
            Verdict(
                item,
                False,
                tr(
                    "l'empreinte du manifeste joint ({d}) diffère de celle imprimée page(s) {p}.",
                    "the attached manifest's hash ({d}) differs from the one printed on page(s) {p}.",
                    d=digest,
                    p=", ".join(wrong[:20]) + ("…" if len(wrong) > 20 else ""),
                ),
            )
        )
    else:
        verdicts.append(
            Verdict(
                item,
                True,
                tr(
                    "empreinte {d} identique à celle imprimée sur les {n} pages.",
                    "hash {d} identical to the one printed on all {n} pages.",
                    d=digest,
                    n=len(pages),
                ),
            )
        )
    if problem:
        verdicts.append(Verdict(item, False, problem))
    return manifest, verdicts


def _file_verdicts(manifest: Manifest, folder: Path) -> list[Verdict]:
    verdicts = []
    for listed in manifest.files:
        path = folder / listed.path
        if not path.is_file():
            path = folder / Path(listed.path).name
        item = tr("pièce {p}", "file {p}", p=listed.path)
        if not path.is_file():
            verdicts.append(
                Verdict(item, False, tr("absente de {f}.", "missing from {f}.", f=folder))
            )
            continue
        actual = sha256_file(path)
        if actual == listed.sha256:
            verdicts.append(Verdict(item, True, tr("empreinte conforme.", "hash matches.")))
        else:
            verdicts.append(
                Verdict(
                    item,
                    False,
                    tr(
                        "modifiée : empreinte {a}, le manifeste annonce {e}.",
                        "changed: hash {a}, the manifest lists {e}.",
                        a=actual,
                        e=listed.sha256,
                    ),
                )
            )
    return verdicts


def _ledger_verdicts(
    manifest: Manifest, manifest_sha256: str, workspace: Workspace
) -> list[Verdict]:
    from sqlmodel import Session, select

    from garant.audit.ledger import compute_entry_hash
    from garant.domain.models import LedgerEntry

    verdicts = []
    with Session(workspace.engine) as session:
        for listed in manifest.ledger:
            item = tr("registre n° {s}", "ledger #{s}", s=listed.seq)
            entry = session.get(LedgerEntry, listed.seq)
            if entry is None:
                verdicts.append(
                    Verdict(item, False, tr("entrée absente du registre.", "entry missing."))
                )
                continue
            recomputed = compute_entry_hash(
                entry.seq,
                entry.run_id,
                entry.event,
                entry.payload,
                entry.recorded_at,
                entry.prev_hash,
            )
            if recomputed != entry.entry_hash or entry.entry_hash != listed.entry_hash:
                verdicts.append(
                    Verdict(
                        item,
                        False,
                        tr(
                            "entrée « {e} » modifiée : son contenu ne correspond plus à "
                            "l'empreinte {h} du manifeste.",
                            "entry '{e}' modified: its content no longer matches hash {h}.",
                            e=listed.event,
                            h=listed.entry_hash,
                        ),
                    )
                )
            else:
                verdicts.append(
                    Verdict(item, True, tr("« {e} » conforme.", "'{e}' matches.", e=listed.event))
                )
        exported = [
            json.loads(entry.payload)
            for entry in session.exec(
                select(LedgerEntry).where(LedgerEntry.event == "annex_exported")
            )
        ]
    item = tr("export de l'annexe", "annex export")
    match = [p for p in exported if p.get("manifest_sha256") == manifest_sha256]
    cert = manifest.signer.certificate_sha256 if manifest.signer else ""
    if match and match[-1].get("certificate_sha256", "") == cert:
        verdicts.append(
            Verdict(
                item,
                True,
                tr(
                    "le registre enregistre cette annexe et ce certificat.",
                    "the ledger records this annex and this certificate.",
                ),
            )
        )
    else:
        verdicts.append(
            Verdict(
                item,
                False,
                tr(
                    "aucune entrée du registre n'enregistre l'export de ce manifeste avec ce certificat.",
                    "no ledger entry records exporting this manifest with this certificate.",
                ),
            )
        )
    return verdicts


def verify_annex(
    pdf: Path, *, files_dir: Path | None = None, workspace: Workspace | None = None
) -> list[Verdict]:
    """Every check of the annex, in order; the annex is sound when every verdict is ok."""
    data = _read_pdf(pdf)
    if files_dir is not None and not files_dir.is_dir():
        raise InputError(
            tr("Dossier introuvable : {p}", "Folder not found: {p}", p=files_dir),
            tr("--files doit désigner le dossier des pièces.", "--files must name the folder."),
        )
    manifest, verdicts = _manifest_verdicts(data)
    verdicts = _signature_verdicts(data, manifest) + verdicts
    if manifest is not None:
        from garant.documents.annex_pdf import embedded_manifest

        digest = sha256_bytes(embedded_manifest(data, MANIFEST_NAME) or b"")
        if files_dir is not None:
            verdicts += _file_verdicts(manifest, files_dir)
        if workspace is not None:
            verdicts += _ledger_verdicts(manifest, digest, workspace)
    return verdicts

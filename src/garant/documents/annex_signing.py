"""PAdES signature of the annex with pyHanko, and its validation.

Offline, the signature is PAdES B-B (no timestamp authority can be reached); the ledger entry
written at export carries the time evidence. A self-signed certificate proves that the same key
signed the annex and is recorded in the ledger, not who holds it; an RGS/eIDAS certificate
brought as a PKCS#12 file proves identity.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garant.errors import InputError
from garant.i18n import tr

__all__ = [
    "SignatureCheck",
    "certificate_sha256",
    "check_signature",
    "load_signer",
    "sign_pdf_bytes",
    "signer_common_name",
]


def load_signer(pkcs12_data: bytes, passphrase: str, origin: Path) -> Any:
    """A pyHanko signer from PKCS#12 bytes; a wrong passphrase or file is an InputError."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12_data, other_certs=[], passphrase=passphrase.encode("utf-8")
        )
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise InputError(
            tr(
                "{p} : fichier PKCS#12 illisible ou phrase secrète incorrecte.",
                "{p}: unreadable PKCS#12 file or wrong passphrase.",
                p=origin,
            ),
            tr(
                "Saisissez la phrase secrète du certificat (ou --passphrase-env VARIABLE).",
                "Type the certificate's passphrase (or --passphrase-env VARIABLE).",
            ),
        )
    return signer


def certificate_sha256(signer: Any) -> str:
    """SHA-256 of the DER-encoded signing certificate (its fingerprint)."""
    return hashlib.sha256(signer.signing_cert.dump()).hexdigest()


def signer_common_name(signer: Any) -> str:
    subject = signer.signing_cert.subject.native
    return str(subject.get("common_name", "")) if isinstance(subject, dict) else ""


def sign_pdf_bytes(
    data: bytes, signer: Any, *, name: str, reason: str, location: str = ""
) -> bytes:
    """Sign ``data`` (PAdES B-B, invisible signature, SHA-256)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    metadata = signers.PdfSignatureMetadata(
        field_name="SignatureAnnexe",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=name,
    )
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return bytes(out.getbuffer())


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature says about the annex."""

    present: bool
    intact: bool = False
    """The signed bytes hash to the value the signature covers."""
    valid: bool = False
    """The signature verifies against the certificate's public key."""
    whole_file: bool = False
    """Nothing was added after the signature (no later revision)."""
    certificate_sha256: str = ""
    signer: str = ""
    signed_at: str = ""
    problem: str = ""


def check_signature(data: bytes) -> SignatureCheck:
    """Validate the annex's signature (its own certificate as trust root: self-signed allowed)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:
        return SignatureCheck(present=False, problem=f"{type(error).__name__}: {error}")
    if not signatures:
        return SignatureCheck(present=False)
    embedded = signatures[-1]
    cert = embedded.signer_cert
    try:
        context = ValidationContext(trust_roots=[cert], allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except Exception as error:
        return SignatureCheck(
            present=True,
            certificate_sha256=hashlib.sha256(cert.dump()).hexdigest(),
            problem=f"{type(error).__name__}: {error}",
        )
    signed_at = embedded.self_reported_timestamp
    return SignatureCheck(
        present=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        certificate_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        signer=str(cert.subject.native.get("common_name", "")),
        signed_at=signed_at.isoformat(timespec="seconds") if signed_at else "",
    )

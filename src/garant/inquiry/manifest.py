"""The annex manifest: every file and ledger entry an annex relies on, with their SHA-256.

Schema ``garant-annex-manifest/1`` (documented in docs/annex-manifest.md). The manifest is
serialised as canonical JSON (sorted keys, no spaces, UTF-8): its SHA-256 is computed on exactly
those bytes, printed on every page of the annex and embedded in the PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from garant.errors import InputError
from garant.i18n import tr
from garant.util.files import sha256_bytes

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA",
    "Manifest",
    "ManifestDossier",
    "ManifestFile",
    "ManifestLedgerEntry",
    "ManifestSigner",
    "manifest_bytes",
    "manifest_sha256",
    "parse_manifest",
]

MANIFEST_SCHEMA = "garant-annex-manifest/1"
MANIFEST_NAME = "annexe-manifeste.json"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ManifestDossier(_Frozen):
    key: str
    title: str
    reference: str
    authority: str
    opens_on: str
    """ISO 8601 date."""
    closes_on: str


class ManifestFile(_Frozen):
    path: str
    """Path relative to the workspace root, with ``/`` separators (e.g. ``runs/<id>/resultat.json``)."""
    sha256: str
    bytes: int
    role: str
    """What the file is: run-output, run-input, proces-verbal, observations."""
    run_id: str = ""


class ManifestLedgerEntry(_Frozen):
    seq: int
    event: str
    run_id: str
    recorded_at: str
    entry_hash: str
    """The entry's own hash (SHA-256 of its canonical fields, see garant.audit.ledger)."""


class ManifestSigner(_Frozen):
    person: str
    common_name: str
    certificate_sha256: str
    """SHA-256 of the DER-encoded signing certificate."""


class Manifest(_Frozen):
    schema_: str = Field(default=MANIFEST_SCHEMA, alias="schema")
    generated_at: str
    garant_version: str
    organisation: str
    dossier: ManifestDossier
    observations: dict[str, int]
    """Counts: total, then one per channel code."""
    observations_sha256: str
    """SHA-256 of the canonical list of observations (as recorded in the ledger)."""
    runs: list[str]
    files: list[ManifestFile]
    ledger: list[ManifestLedgerEntry]
    signer: ManifestSigner | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def manifest_bytes(manifest: Manifest) -> bytes:
    """Canonical JSON bytes: what is hashed, embedded and written beside the annex."""
    data = manifest.model_dump(mode="json", by_alias=True)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def manifest_sha256(manifest: Manifest) -> str:
    return sha256_bytes(manifest_bytes(manifest))


def parse_manifest(data: bytes, origin: Path | str) -> Manifest:
    """Read manifest bytes; a wrong schema or shape is an :class:`InputError`."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            tr(
                "{o} : manifeste illisible ({e}).",
                "{o}: unreadable manifest ({e}).",
                o=origin,
                e=error,
            ),
            tr("Le manifeste doit être du JSON UTF-8.", "The manifest must be UTF-8 JSON."),
        ) from None
    if not isinstance(raw, dict) or raw.get("schema") != MANIFEST_SCHEMA:
        raise InputError(
            tr(
                "{o} : schéma de manifeste inconnu ({s}).",
                "{o}: unknown manifest schema ({s}).",
                o=origin,
                s=raw.get("schema") if isinstance(raw, dict) else type(raw).__name__,
            ),
            tr(
                "Cette version de garant lit le schéma {s}.",
                "This garant version reads schema {s}.",
                s=MANIFEST_SCHEMA,
            ),
        )
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(
            tr(
                "{o} : champ « {f} » du manifeste invalide : {m}",
                "{o}: invalid manifest field '{f}': {m}",
                o=origin,
                f=".".join(str(p) for p in first["loc"]),
                m=first["msg"],
            ),
            tr(
                "Le manifeste a été altéré ou produit par un autre outil.",
                "The manifest was altered.",
            ),
        ) from None

"""The annex PDF: metadata, the manifest as an associated file, the hash printed on each page."""

from __future__ import annotations

import json

from inquiry_support import Inquiry
from pypdf import PdfReader

from garant.documents.annex_pdf import embedded_manifest, printed_hashes
from garant.inquiry.manifest import MANIFEST_NAME, MANIFEST_SCHEMA
from garant.util.files import sha256_bytes, sha256_file


def test_manifest_is_attached_as_an_associated_data_file(inquiry: Inquiry) -> None:
    reader = PdfReader(inquiry.annex)
    associated = reader.trailer["/Root"]["/AF"]
    spec = associated[0].get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/F"] == MANIFEST_NAME
    data = embedded_manifest(inquiry.annex.read_bytes(), MANIFEST_NAME)
    assert data == inquiry.manifest.read_bytes()
    manifest = json.loads(data or b"{}")
    assert manifest["schema"] == MANIFEST_SCHEMA
    assert manifest["observations"] == {"total": 40, "registre_dematerialise": 30, "courriel": 10}


def test_every_page_prints_the_manifest_hash_and_metadata_names_the_annex(
    inquiry: Inquiry,
) -> None:
    digest = sha256_file(inquiry.manifest)
    pages = printed_hashes(inquiry.annex.read_bytes())
    assert len(pages) >= 4 and all(digest in page for page in pages)
    info = PdfReader(inquiry.annex).metadata
    assert info is not None
    assert info.title == "Annexe : usage de l'intelligence artificielle pendant l'enquête"
    assert info["/GarantManifestSHA256"] == digest


def test_manifest_lists_the_signer_certificate_recorded_in_the_ledger(inquiry: Inquiry) -> None:
    import sqlite3

    manifest = json.loads(inquiry.manifest.read_text(encoding="utf-8"))
    fingerprint = manifest["signer"]["certificate_sha256"]
    connection = sqlite3.connect(inquiry.root / "garant.db")
    payloads = [
        json.loads(row[0])
        for row in connection.execute(
            "SELECT payload FROM ledger_entry WHERE event = 'annex_exported'"
        )
    ]
    connection.close()
    assert payloads[-1]["certificate_sha256"] == fingerprint
    assert payloads[-1]["manifest_sha256"] == sha256_bytes(inquiry.manifest.read_bytes())
    assert payloads[-1]["annex_sha256"] == sha256_file(inquiry.annex)
    assert "key_registered" in {entry["event"] for entry in manifest["ledger"]}

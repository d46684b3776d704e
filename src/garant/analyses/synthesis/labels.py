"""Theme labels a reader can put in a procès-verbal: short noun phrases drawn from the texts.

A label is a noun phrase of 2–6 words found *as written* in several of the theme's
contributions (« taxe d'habitation », « transports en commun en zone rurale », « pouvoir
d'achat »), never a bag of keywords:

1. **Candidates.** Runs of words that can be nouns or adjectives (``word_classes.py``: the
   French model's lemma lists, no tagger), with link words inside (« de », « d' », « du »,
   « des », « en », « à », « au », « aux », « sur », each optionally followed by « la », « le »,
   « les », « l' »; or one of these articles alone: « bus le soir »), 2–6 words, holding a noun, never starting or ending with a link word, a
   stop word, a generic verb or filler (``GENERIC_WORDS``); a verb (« supprimer la taxe »)
   or an adverb breaks the run; a past participle may follow a noun (« contrats aidés ») but
   not start a phrase. Single nouns are candidates too. A phrase made only of broad nouns
   (``GENERIC_NOUNS``: « pays », « politique », « millions d'euros ») is never a label.
2. **Lemma key.** Words are compared folded (case, accents), crudely singularised
   (« impôts » = « impôt ») and, for adjectives, made masculine (« services publics » =
   « service publique »), link words by kind (« du », « des », « d' » = « de »; articles
   dropped), so a phrase and its plural are one candidate.
3. **Choice.** A candidate must be used by enough members (``min_share`` of the theme, at
   least two) and more often than in the rest of the question (positive log lift); its score
   is its share of members times that lift, times one plus the share of members using the
   phrase's most used specific noun (what the theme is about), a little more for a phrase of
   two or three content words so « projet de contournement routier » beats « abandon immédiat » when
   both are in every member). A multi-word phrase that qualifies always beats
   a single word: a single noun (« géothermie ») is the label only when no phrase is shared by
   enough members. A longer phrase holding the best one and used by most of its users is
   preferred (« produits de première nécessité » over « première nécessité »). A label already
   given to a larger theme of the same question is not given again.
4. **Spelling.** The label is shown in its most frequent spelling among the members, in
   lower case unless written as an acronym (« SNCF »).

Everything is deterministic (ties broken alphabetically), no model and no tagger: it runs in
milliseconds per theme, after the word lists are read once (~0.3 s, cached; ``word_classes``).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .text import FRENCH_STOP_WORDS, strip_accents
from .word_classes import ADJ, ADV, NOUN, VERB, french_word_classes

__all__ = [
    "GENERIC_NOUNS",
    "GENERIC_WORDS",
    "LabelCandidate",
    "choose_label",
    "choose_labels",
    "content_keys",
    "distinct_terms",
    "is_nominal",
    "label_is_grounded",
    "label_words",
    "lemma_key",
    "phrase_document_frequency",
    "phrase_key",
    "phrase_keys",
    "rank_phrases",
    "theme_label",
]

_WORD = re.compile(r"<[^>]*>|[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ0-9]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿœŒæÆ0-9]+)*['’]?")
_PREPOSITIONS = {
    "de": "de",
    "d'": "de",
    "du": "de",
    "des": "de",
    "en": "en",
    "à": "a",
    "au": "a",
    "aux": "a",
    "sur": "sur",
}
"""Link words allowed *inside* a label, by the kind they stand for in the lemma key."""
_ARTICLES = frozenset(["la", "le", "les", "l'"])
"""Allowed inside a label right after a link word (« impôt sur la fortune »)."""
_MAX_WORDS = 6
_INFINITIVE_NOUNS = frozenset(
    ["pouvoir", "devoir", "savoir", "conseiller", "dîner", "déjeuner", "souvenir", "sourire"]
)
"""Infinitives that are also everyday nouns (« pouvoir d'achat », « conseiller municipal »)."""

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
        "doit",
        "doivent",
        "devons",
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
        "existe",
        "existent",
        "manque",
        "manquent",
        "coûte",
        "coûtent",
        "représente",
        "représentent",
        "utilise",
        "utilisent",
        "arrive",
        "reste",
        "restent",
        "concerne",
        "concernent",
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
        "contre",
        "surtout",
        "parmi",
        "malgré",
        "pendant",
        "envers",
        "outre",
        "ensuite",
        "enfin",
        "même",
        "également",
        "dès",
        "puis",
        "voire",
        "ailleurs",
        "davantage",
        "celle-ci",
        "celui-ci",
        "ceux-ci",
        "celles-ci",
        "celui-là",
        "celle-là",
        "ceux-là",
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
            "devoir",
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
            "compte",
            "moyen",
            "moyens",
            "type",
            "mise",
            "prise",
            "lieu",
            "cause",
            "faveur",
            "résultat",
            "grand",
            "grande",
            "grands",
            "grandes",
            "petit",
            "petite",
            "petits",
            "petites",
            "nouveau",
            "nouvelle",
            "nouveaux",
            "nouvelles",
            "bon",
            "bonne",
            "juste",
            "général",
            "public",
            "publique",
            "national",
            "nationale",
            "local",
            "locale",
        ]
    )
)
"""Nouns (and adjectives) too broad to name a theme alone (« pays », « politique »,
« décision », « millions d'euros », « grandes », « compte » of « prendre en compte »): they may stand in a label beside a specific word (« décision publique »), never
make the whole label. Stored folded; compared by lemma key."""


@functools.lru_cache(maxsize=100_000)
def lemma_key(word: str) -> str:
    """Folded, crudely singular and masculine form of a word: « Impôts » → « impot »,
    « réseaux » → « reseau », « publiques » → « public » (an adjective's feminine is folded
    only when the word is no noun itself: « commune » stays)."""
    folded = strip_accents(word.casefold()).replace("’", "'").rstrip("'")
    if len(folded) > 4 and folded.endswith("aux") and not folded.endswith("eaux"):
        return folded[:-3] + "al"
    if len(folded) > 3 and folded[-1] in "sx" and not folded.endswith("ss"):
        folded = folded[:-1]
    return _masculine(folded)


_FEMININE = (
    ("ique", "ic"),
    ("ale", "al"),
    ("elle", "el"),
    ("ive", "if"),
    ("euse", "eux"),
    ("enne", "en"),
    ("ere", "er"),
    ("e", ""),
)


def _masculine(folded: str) -> str:
    if not folded.endswith("e") or len(folded) < 5:
        return folded
    adjectives, nouns = _folded_classes()
    if folded in nouns:
        return folded
    for ending, replacement in _FEMININE:
        if folded.endswith(ending):
            masculine = folded[: -len(ending)] + replacement
            if masculine in adjectives:
                return masculine
    return folded


@functools.cache
def _folded_classes() -> tuple[frozenset[str], frozenset[str]]:
    """Accent-folded adjective and noun lemmas of the French model (empty without it)."""
    lemmas = french_word_classes().lemmas
    adjectives = frozenset(strip_accents(word) for word, flags in lemmas.items() if flags & ADJ)
    nouns = frozenset(strip_accents(word) for word, flags in lemmas.items() if flags & NOUN)
    return adjectives, nouns


def _fold(word: str) -> str:
    return strip_accents(word.casefold()).replace("’", "'").rstrip("'")


def _is_content(word: str) -> bool:
    if word.startswith("<"):
        return False  # a pseudonymisation placeholder
    folded = _fold(word)
    if "'" in folded:
        folded = folded.split("'", 1)[1]
    return len(folded) >= 3 and not folded.isdigit() and folded not in _STOP


_HEAD = 1
"""Role of a word that can head a noun phrase (a noun, or a word of no known class)."""
_MODIFIER = 2
"""Role of an adjective or past participle: inside or at the end of a phrase."""
_PARTICIPLE = 3
"""Role of a past participle (« aidés »): may follow a noun, never start a phrase."""


@functools.lru_cache(maxsize=200_000)
def _role(word: str) -> int:
    """0 when ``word`` cannot be part of a noun phrase label, else its role."""
    lower = word.casefold().replace("’", "'")
    if lower in _INFINITIVE_NOUNS:
        return _HEAD
    if not _is_content(word):
        return 0
    classes = french_word_classes().of(word)
    if classes & ADV and not classes & (NOUN | ADJ):
        return 0  # « vraiment », « ensuite »
    plural = lower.endswith(("s", "x"))
    direct = french_word_classes().lemmas.get(lower, 0)
    if (
        not plural
        and lower.endswith(("er", "ir", "re", "oir"))
        and (direct & VERB or not classes & NOUN)
    ):
        return 0  # an infinitive: « supprimer », « réduire », « payer »; not « centre »
    if lower.endswith(("é", "ée", "és", "ées")) and classes & (VERB | ADJ):
        singular = lower.rstrip("s")
        if not french_word_classes().lemmas.get(singular, 0) & NOUN:
            return _PARTICIPLE  # « tirés » (au sort), « aidés »; not « député », « société »
    if classes & NOUN:
        return _HEAD
    if classes & VERB and not classes & ADJ:
        return 0
    return _MODIFIER


_BREAK = "\x00"
"""Stands between two words that punctuation separates: no phrase spans it."""
_JOINING = re.compile(r"[\s\"«»“”]*")


def _tokens(text: str, *, breaks: bool = False) -> list[str]:
    """Words of ``text``; with ``breaks``, ``_BREAK`` wherever punctuation stands between two
    words (« départements, régions » is no phrase)."""
    tokens: list[str] = []
    previous = 0
    for match in _WORD.finditer(text):
        if breaks and tokens and not _JOINING.fullmatch(text, previous, match.start()):
            tokens.append(_BREAK)
        previous = match.end()
        token = match.group(0)
        # « d'habitation » → « d' » + « habitation »; « aujourd'hui » stays whole.
        head, sep, tail = token.replace("’", "'").partition("'")
        if sep and tail and strip_accents(head.casefold()) in {"d", "l", "qu", "n", "s", "j", "c"}:
            tokens.extend([head + "'", tail])
        else:
            tokens.append(token)
    return tokens


def _link(token: str) -> str:
    return token.casefold().replace("’", "'")


@functools.lru_cache(maxsize=50_000)
def _candidates(text: str) -> dict[str, str]:
    """Lemma key → surface form of every candidate phrase of ``text`` (each once)."""
    tokens = _tokens(text, breaks=True)
    roles = [0 if token == _BREAK else _role(token) for token in tokens]
    found: dict[str, str] = {}
    for start, token in enumerate(tokens):
        if roles[start] not in (_HEAD, _MODIFIER):
            continue
        key = [lemma_key(token)]
        surface = [token]
        heads = roles[start] == _HEAD
        if heads:
            found.setdefault(key[0], token)
        end = start + 1
        while end < len(tokens) and len(surface) < _MAX_WORDS:
            word = tokens[end]
            if roles[end]:
                key.append(lemma_key(word))
                surface.append(word)
                heads = heads or roles[end] == _HEAD
                if heads:
                    found.setdefault(" ".join(key), _join(surface))
                end += 1
                continue
            kind = _PREPOSITIONS.get(_link(word))
            if kind is None and (_link(word) not in _ARTICLES or key[-1] in _generic_keys()):
                break  # « mettre en place le RIC » gives no « place le RIC »
            if end + 1 >= len(tokens):
                break
            link = [word]
            following = end + 1
            if kind is not None and _link(tokens[following]) in _ARTICLES:
                link.append(tokens[following])
                following += 1
            if following >= len(tokens) or not roles[following]:
                break
            if roles[following] == _PARTICIPLE or len(surface) + len(link) >= _MAX_WORDS:
                break
            if kind is not None:
                key.append(kind)  # an article alone (« bus le soir ») leaves no trace in the key
            surface.extend(link)
            end = following
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

    @property
    def words(self) -> int:
        """Content words of the phrase (link words not counted)."""
        return sum(1 for word in self.key.split() if word not in _LINK_KINDS)


_LINK_KINDS = frozenset(_PREPOSITIONS.values())


def _display(surface: str) -> str:
    """Lower case, except acronyms (« TVA », not « ARGENT » shouted)."""
    classes = french_word_classes()
    return " ".join(
        word
        if word.isupper() and len(word) > 1 and word.casefold() not in classes.lemmas
        else word.lower()
        for word in surface.split()
    ).replace("’", "'")


def _cased(surface: str, member_texts: Sequence[str]) -> str:
    """Give back their capital to the words the members capitalise inside sentences
    (« pôle emploi » → « Pôle emploi », « l'état » → « l'État », not « Vote blanc »)."""
    words = surface.split()
    wanted = {strip_accents(word.casefold()).replace("'", " ").split()[-1] for word in words}
    upper: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = {}
    for text in member_texts:
        for match in _WORD.finditer(text):
            token = match.group(0).replace("’", "'").split("'")[-1]
            key = strip_accents(token.casefold())
            if key not in wanted or not token:
                continue
            before = text[max(0, match.start() - 3) : match.start()].strip()
            if not before or before[-1] in ".!?:\n":
                continue  # a sentence's first word says nothing about its case
            seen[key] += 1
            if token[0].isupper():
                upper[key] += 1
                spelled.setdefault(key, Counter())[token] += 1
    shown = []
    for word in words:
        head, sep, tail = word.rpartition("'")
        key = strip_accents(tail.casefold())
        if seen[key] and upper[key] > seen[key] / 2 and not tail.isupper():
            tail = spelled[key].most_common(1)[0][0]
        shown.append(head + sep + tail)
    return " ".join(shown)


def rank_phrases(
    member_texts: Sequence[str], document_frequency: Counter[str], documents: int
) -> list[LabelCandidate]:
    """Candidate phrases of a theme used by at least two members (one for a theme of one)
    and more often than in the rest of the corpus, best first: share of members × log lift,
    × 1.25 per content word beyond the first (up to three), × (1 + the share of members using
    the phrase's most used specific noun: « service public » in a theme where « services »
    is everywhere beats a phrase of rarer words)."""
    per_member = [_candidates(text) for text in member_texts]
    counts: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    for found in per_member:
        counts.update(found.keys())
        for key, surface in found.items():
            written.setdefault(key, Counter())[surface] += 1
    size = len(member_texts)
    needed = 1 if size == 1 else 2
    generic = _generic_keys()

    def spelling(key: str) -> str:
        shown: Counter[str] = Counter()
        for surface, times in written[key].items():
            shown[_display(surface)] += times
        return sorted(shown.items(), key=lambda item: (-item[1], item[0]))[0][0]

    nouns = {
        key
        for key, count in counts.items()
        if count >= needed and " " not in key and _is_noun_label(spelling(key))
    }
    ranked: list[LabelCandidate] = []
    for key, count in counts.items():
        if count < needed:
            continue
        if all(word in _LINK_KINDS or word in generic for word in key.split()):
            continue
        share = count / size
        elsewhere = max(0, document_frequency.get(key, count) - count)
        rest = max(1, documents - size)
        lift = math.log((share + 0.01) / (elsewhere / rest + 0.01))
        if lift <= 0:
            continue
        surface = spelling(key)
        content = [word for word in key.split() if word not in _LINK_KINDS]
        bonus = 1.0 + 0.25 * min(len(content) - 1, 2)  # « taxe d'habitation » > « habitation »
        # What the theme is about: the share of members using the phrase's most used word.
        coverage = max(
            (counts[word] for word in content if word in nouns and word not in generic),
            default=0,
        )
        about = 1.0 + coverage / size
        ranked.append(LabelCandidate(key, surface, count, share * lift * bonus * about))
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


def choose_label(
    member_texts: Sequence[str],
    document_frequency: Counter[str],
    documents: int,
    *,
    taken: Iterable[str] = (),
    min_share: float = 0.1,
    phrase_ratio: float = 0.3,
) -> LabelCandidate | None:
    """The label of a theme (see the module's docstring), or None when no phrase or noun is
    shared by two members.

    ``taken``: lemma keys a label may not have (labels of larger themes of the same question,
    the question's own words). A phrase is used by « enough » members when at least
    ``min_share`` of them and ``phrase_ratio`` × the users of the most used single noun use it
    (and two): then it beats any single noun.
    """
    ranked = rank_phrases(member_texts, document_frequency, documents)
    chosen = _pick(ranked, len(member_texts), set(taken), min_share, phrase_ratio)
    if chosen is None:
        return None
    return replace(chosen, surface=_cased(chosen.surface, member_texts))


def _pick(
    ranked: Sequence[LabelCandidate],
    size: int,
    used: set[str],
    min_share: float = 0.1,
    phrase_ratio: float = 0.3,
) -> LabelCandidate | None:
    """``choose_label`` on a theme's ranked candidates (spelling not yet cased)."""
    free = [candidate for candidate in ranked if candidate.key not in used]
    if not free:
        return None
    nouns = [c for c in free if c.words == 1 and _is_noun_label(c.surface)]
    enough = (
        1
        if size == 1
        else max(
            2,
            math.ceil(min_share * size),
            math.ceil(phrase_ratio * max((c.members for c in nouns), default=0)),
        )
    )
    phrases = [c for c in free if c.words >= 2 and c.members >= enough]
    common = [c for c in nouns if c.members >= enough]
    if phrases:
        return _longest_holding(phrases[0], free)
    if common:
        return common[0]
    # Nothing used by enough members: the best candidate used by two (a phrase first).
    return next((c for c in free if c.words >= 2), nouns[0] if nouns else None)


_ADJECTIVE_ENDINGS = ("ale", "ales", "elle", "elles", "enne", "ennes", "ive", "ives", "aux")


def _is_noun_label(word: str) -> bool:
    """A single word that can stand as a label: a noun, not an adjective such as « sociale »."""
    if _role(word) != _HEAD:
        return False
    classes = french_word_classes().of(word)
    return not (classes & ADJ and word.casefold().endswith(_ADJECTIVE_ENDINGS))


def _longest_holding(best: LabelCandidate, candidates: Sequence[LabelCandidate]) -> LabelCandidate:
    """A longer phrase containing ``best`` that most of its users share, else ``best``."""
    chosen = best
    for candidate in candidates:
        if (
            len(candidate.key) > len(chosen.key)
            and f" {chosen.key} " in f" {candidate.key} "
            and candidate.members >= 0.75 * chosen.members
            and candidate.words <= 4
        ):
            chosen = candidate
    return chosen


def theme_label(
    member_texts: Sequence[str],
    document_frequency: Counter[str],
    documents: int,
    taken: Iterable[str] = (),
) -> str:
    """The label of a theme, or ``""`` when no phrase is shared by two members."""
    chosen = choose_label(member_texts, document_frequency, documents, taken=taken)
    return chosen.surface if chosen is not None else ""


def choose_labels(
    themes: Sequence[Sequence[str]],
    document_frequency: Counter[str],
    documents: int,
    *,
    taken: Iterable[str] = (),
) -> list[LabelCandidate | None]:
    """Labels of the themes of one question (each theme's member texts), all different.

    Each theme takes its best label (``choose_label``); when two want the same phrase, the
    theme where it scores higher keeps it (the larger on a tie) and the other chooses again
    without it, until no two themes share a label. ``taken``: keys no theme may use (the
    question's own words).
    """
    forbidden: list[set[str]] = [set(taken) for _ in themes]
    ranked = [rank_phrases(texts, document_frequency, documents) for texts in themes]
    chosen: list[LabelCandidate | None] = [None for _ in themes]
    pending = list(range(len(themes)))
    while pending:
        for index in pending:
            chosen[index] = _pick(ranked[index], len(themes[index]), forbidden[index])
        pending = []
        holders: dict[str, int] = {}
        order = sorted(range(len(themes)), key=lambda i: (-len(themes[i]), i))
        for index in order:
            candidate = chosen[index]
            if candidate is None:
                continue
            rival = holders.get(candidate.key)
            if rival is None:
                holders[candidate.key] = index
                continue
            held = chosen[rival]
            assert held is not None
            loser = index if candidate.score <= held.score else rival
            if loser == rival:
                holders[candidate.key] = index
            forbidden[loser].add(candidate.key)
            pending.append(loser)
        pending = sorted(set(pending))
    return [
        None if found is None else replace(found, surface=_cased(found.surface, texts))
        for found, texts in zip(chosen, themes, strict=True)
    ]


def phrase_keys(text: str) -> frozenset[str]:
    """Lemma keys of the candidate phrases (and nouns) of ``text``: a sentence that holds a
    label's key says the label's phrase, whatever its plural or articles."""
    return frozenset(_candidates(text))


def phrase_key(phrase: str) -> str | None:
    """The lemma key of a whole label phrase (« Taxes d'habitation » → « taxe de habitation »),
    or None when it is no candidate phrase (a fallback « terme · terme » label)."""
    found = _candidates(phrase)
    longest = max(found, key=lambda key: (len(key.split()), key), default=None)
    if longest is None or _display(found[longest]).casefold() != _display(phrase).casefold():
        return None
    return longest


def is_nominal(term: str) -> bool:
    """True when every word of ``term`` may stand in a noun phrase and one is a noun
    (« évidemment · assises » and « financer » are not; « qualité air » is)."""
    roles = [_role(word) for word in _tokens(term)]
    return bool(roles) and all(roles) and _HEAD in roles


def content_keys(text: str) -> frozenset[str]:
    """Lemma keys of the content words of ``text``."""
    return frozenset(lemma_key(token) for token in _tokens(text) if _role(token))


def label_words(key: str) -> frozenset[str]:
    """The specific words of a label's lemma key: no link word, no broad noun
    (« pouvoir de achat » → « achat »)."""
    generic = _generic_keys()
    words = [word for word in key.split() if word not in _LINK_KINDS]
    specific = frozenset(word for word in words if word not in generic)
    return specific or frozenset(words)


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

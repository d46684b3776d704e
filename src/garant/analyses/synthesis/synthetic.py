"""Synthetic French consultations with planted traps, for tests, benchmarks and demos.

A generated corpus holds ordinary contributions on a handful of topics plus what a synthesis
must not miss or be fooled by: a *minority view* (a few people raising a rare concern in their
own words), a *campaign* (the same text from many authors, plus near variants of it), and one
author *repeating* the same text. The ``planted`` ids say where each trap is, so a test can
check the synthesis found it. Nothing here is real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = ["TOPICS", "SyntheticCorpus", "make_corpus"]

TOPICS: dict[str, list[str]] = {
    "transports": [
        "bus",
        "tramway",
        "pistes cyclables",
        "vélo",
        "covoiturage",
        "horaires",
        "trains",
        "navettes",
        "stationnement",
        "gare",
        "voitures",
        "embouteillages",
        "transports en commun",
    ],
    "logement": [
        "logements sociaux",
        "loyers",
        "rénovation",
        "HLM",
        "propriétaires",
        "locataires",
        "isolation",
        "quartier",
        "immeubles",
        "accession",
        "expulsions",
        "logement vacant",
    ],
    "environnement": [
        "arbres",
        "parcs",
        "pollution",
        "espaces verts",
        "biodiversité",
        "pesticides",
        "climat",
        "îlots de fraîcheur",
        "déchets",
        "compost",
        "jardins partagés",
        "qualité de l'air",
    ],
    "santé": [
        "médecins",
        "hôpital",
        "urgences",
        "pharmacie",
        "déserts médicaux",
        "infirmières",
        "centre de santé",
        "rendez-vous",
        "soins",
        "maison médicale",
        "généralistes",
    ],
    "école": [
        "écoles",
        "cantine",
        "enseignants",
        "classes",
        "périscolaire",
        "collège",
        "élèves",
        "rythmes scolaires",
        "restauration scolaire",
        "cours de récréation",
        "parents",
    ],
    "fiscalité": [
        "impôts",
        "taxe foncière",
        "TVA",
        "niches fiscales",
        "budget",
        "dépenses publiques",
        "contribuables",
        "dette",
        "taxe d'habitation",
        "fraude fiscale",
        "services publics",
    ],
}

_OPENERS = [
    "Je pense que",
    "À mon avis,",
    "Il faudrait que",
    "Nous demandons que",
    "Selon moi,",
    "Il est urgent que",
    "Je propose que",
    "Franchement,",
    "Pour notre famille,",
    "Bref,",
]
_LINKS = ["et", "mais aussi", "ainsi que", "sans oublier", "avec", "plus", "et surtout"]
_VERBS = [
    "la ville améliore",
    "on développe",
    "la métropole finance",
    "les élus regardent",
    "on repense",
    "la commune soutienne",
    "on protège",
    "on arrête de négliger",
]
_ENDINGS = [
    "C'est essentiel.",
    "Merci.",
    "Voilà mon avis.",
    "Il y a urgence.",
    "Cordialement.",
    "Je compte sur vous.",
    "",
    "",
    "",
]

MINORITY_TEXTS = [
    "Les infrasons des éoliennes empêchent les riverains de dormir la nuit, personne ne mesure ce bruit nocturne.",
    "Depuis l'installation des éoliennes près du hameau, le bruit nocturne et les infrasons perturbent notre sommeil.",
    "Mesurez enfin les infrasons des éoliennes : les riverains souffrent d'insomnie à cause du bruit la nuit.",
    "Nos nuits sont gâchées par le bruit des éoliennes, ces infrasons inquiètent tous les riverains du hameau.",
]

CAMPAIGN_TEXT = (
    "Non au projet de contournement routier ! Ce projet coûteux détruira les terres agricoles "
    "et la forêt communale, nous demandons son abandon immédiat et une vraie concertation."
)
_CAMPAIGN_SWAPS = [
    ("coûteux", "ruineux"),
    ("immédiat", "sans délai"),
    ("forêt communale", "forêt du village"),
    ("terres agricoles", "champs"),
    ("vraie", "véritable"),
    ("Non au", "Stop au"),
    ("nous demandons", "nous exigeons"),
    ("détruira", "va détruire"),
]

REPEATED_TEXT = (
    "Il faut absolument rouvrir la piscine municipale du quartier nord, fermée depuis trois ans "
    "sans explication."
)


@dataclass
class SyntheticCorpus:
    """Rows ready to write as CSV/JSON lines, and where the traps were planted."""

    rows: list[dict[str, str]]
    minority_ids: list[str] = field(default_factory=list)
    campaign_ids: list[str] = field(default_factory=list)
    campaign_variant_ids: list[str] = field(default_factory=list)
    repeated_ids: list[str] = field(default_factory=list)
    repeated_author: str = ""


def _ordinary(rng: random.Random, topic: str) -> str:
    words = TOPICS[topic]
    picked = rng.sample(words, k=min(len(words), rng.randint(3, 5)))
    sentence = f"{rng.choice(_OPENERS)} {rng.choice(_VERBS)} {picked[0]}"
    for word in picked[1:]:
        sentence += f" {rng.choice(_LINKS)} {word}"
    if rng.random() < 0.5:
        more = rng.sample(words, k=2)
        sentence += f". Pensez aussi à {more[0]} et {more[1]}"
    ending = rng.choice(_ENDINGS)
    return f"{sentence}. {ending}".strip()


def make_corpus(
    n: int = 300,
    *,
    seed: int = 0,
    campaign_copies: int = 30,
    campaign_variants: int = 6,
    repeated_copies: int = 5,
    minority: bool = True,
    sentences: tuple[int, int] = (1, 1),
) -> SyntheticCorpus:
    """``n`` contributions in total, traps included (ids ``c00001``…).

    Ordinary contributions have between ``sentences[0]`` and ``sentences[1]`` sentences on
    their topic.
    """
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 9, 0, 0)
    texts: list[tuple[str, str, str]] = []  # (kind, text, author)
    if minority:
        for number, text in enumerate(MINORITY_TEXTS):
            texts.append(("minority", text, f"riverain{number}"))
    for number in range(campaign_copies):
        texts.append(("campaign", CAMPAIGN_TEXT, f"militant{number}"))
    for number in range(campaign_variants):
        variant = CAMPAIGN_TEXT
        for old, new in rng.sample(_CAMPAIGN_SWAPS, k=2):
            variant = variant.replace(old, new)
        texts.append(("variant", variant, f"sympathisant{number}"))
    for _ in range(repeated_copies):
        texts.append(("repeated", REPEATED_TEXT, "habitant-nord"))
    topics = sorted(TOPICS)
    remaining = max(0, n - len(texts))
    authors = max(1, remaining // 2)
    for _ in range(remaining):
        topic = rng.choice(topics)
        count = rng.randint(*sentences)
        text = " ".join(_ordinary(rng, topic) for _ in range(count))
        texts.append(("ordinary:" + topic, text, f"personne{rng.randrange(authors)}"))
    rng.shuffle(texts)
    corpus = SyntheticCorpus(rows=[], repeated_author="habitant-nord")
    for index, (kind, text, author) in enumerate(texts, start=1):
        identifier = f"c{index:05d}"
        when = start + timedelta(minutes=7 * index + rng.randrange(5))
        corpus.rows.append(
            {
                "id": identifier,
                "auteur": author,
                "date": when.strftime("%d/%m/%Y %H:%M"),
                "texte": text,
                "sujet": kind.split(":", 1)[-1],
            }
        )
        if kind == "minority":
            corpus.minority_ids.append(identifier)
        elif kind == "campaign":
            corpus.campaign_ids.append(identifier)
        elif kind == "variant":
            corpus.campaign_variant_ids.append(identifier)
        elif kind == "repeated":
            corpus.repeated_ids.append(identifier)
    return corpus

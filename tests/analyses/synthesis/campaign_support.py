"""Forty rewordings of one local demand, for the paraphrase-campaign tests."""

from __future__ import annotations

import itertools

_OPENINGS = [
    "Nous demandons",
    "Il faut",
    "Je réclame",
    "Merci de prévoir",
    "Les habitants veulent",
]
_DEMANDS = [
    "le retour de la ligne de bus 12 jusqu'au hameau des Granges",
    "que la ligne de bus 12 desserve de nouveau le hameau des Granges",
    "rétablir la desserte du hameau des Granges par le bus 12",
    "remettre en service le bus 12 vers le hameau des Granges",
]
_ENDINGS = [
    ", les personnes âgées n'ont plus aucun moyen d'aller en ville.",
    " car sans ce bus les anciens du hameau sont isolés.",
]


def rewordings(count: int = 40) -> list[str]:
    """``count`` distinct rewordings of one opinion (the bus to the hamlet)."""
    texts = [
        f"{opening} {demand}{ending}"
        for opening, demand, ending in itertools.product(_OPENINGS, _DEMANDS, _ENDINGS)
    ]
    return texts[:count]

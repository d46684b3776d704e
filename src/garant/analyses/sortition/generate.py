"""Seeded generator of French-style volunteer pools and quotas (demo, tests, benchmark).

Population shares are rounded INSEE-like orders of magnitude; volunteers are biased the way
practitioners report (older, more educated, more executives volunteer), so that the quotas
matter. Households (couples, flatmates) share an address. All data is fictitious.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .lottery import write_atomic

__all__ = [
    "ALL_CRITERIA",
    "CRITERIA",
    "EXTRA_CRITERIA",
    "generate_pool",
    "generate_quotas",
    "write_demo",
]

# criterion -> (value, population share, volunteering bias)
CRITERIA: Mapping[str, tuple[tuple[str, float, float], ...]] = {
    "sexe": (("Femme", 0.52, 1.0), ("Homme", 0.48, 1.0)),
    "tranche_age": (
        ("16-24 ans", 0.13, 0.5),
        ("25-34 ans", 0.15, 0.8),
        ("35-49 ans", 0.24, 1.0),
        ("50-64 ans", 0.24, 1.3),
        ("65 ans et plus", 0.24, 1.5),
    ),
    "commune": (
        ("Centre-ville", 0.22, 1.3),
        ("Quartier Nord", 0.18, 0.9),
        ("Quartier Sud (QPV)", 0.14, 0.6),
        ("Rive droite", 0.16, 1.0),
        ("Première couronne", 0.18, 1.0),
        ("Communes rurales", 0.12, 1.1),
    ),
    "diplome": (
        ("Sans diplôme", 0.20, 0.5),
        ("CAP-BEP", 0.24, 0.8),
        ("Baccalauréat", 0.18, 1.0),
        ("Bac+2", 0.14, 1.2),
        ("Bac+3 et plus", 0.24, 1.6),
    ),
    "csp": (
        ("Agriculteurs exploitants", 0.01, 1.0),
        ("Artisans, commerçants", 0.04, 1.0),
        ("Cadres", 0.10, 1.8),
        ("Professions intermédiaires", 0.14, 1.3),
        ("Employés", 0.16, 0.9),
        ("Ouvriers", 0.12, 0.6),
        ("Retraités", 0.27, 1.3),
        ("Sans activité professionnelle", 0.16, 0.6),
    ),
}

# Further criteria a benchmark or a user may add (not in the default demo).
EXTRA_CRITERIA: Mapping[str, tuple[tuple[str, float, float], ...]] = {
    "logement": (
        ("Propriétaire", 0.58, 1.4),
        ("Locataire du parc privé", 0.25, 0.8),
        ("Locataire HLM", 0.15, 0.5),
        ("Logé gratuitement", 0.02, 0.6),
    ),
}
ALL_CRITERIA: Mapping[str, tuple[tuple[str, float, float], ...]] = {**CRITERIA, **EXTRA_CRITERIA}

_STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "place de la Mairie",
    "boulevard Gambetta",
    "rue Pasteur",
    "allée des Tilleuls",
    "chemin du Moulin",
)


def generate_pool(
    n: int,
    *,
    seed: int = 0,
    criteria: Sequence[str] = tuple(CRITERIA),
    household_share: float = 0.2,
) -> list[dict[str, str]]:
    """``n`` fictitious volunteers: ``id``, one column per criterion, ``adresse``, ``code_postal``.

    About ``household_share`` of them live with another volunteer (same address).
    """
    rng = np.random.default_rng(seed)
    rows: list[dict[str, str]] = []
    for i in range(n):
        row = {"id": f"V{i + 1:05d}"}
        for criterion in criteria:
            values = ALL_CRITERIA[criterion]
            weights = np.array([share * bias for _, share, bias in values])
            row[criterion] = values[int(rng.choice(len(values), p=weights / weights.sum()))][0]
        if rows and rng.random() < household_share:
            mate = rows[int(rng.integers(len(rows)))]
            row["adresse"], row["code_postal"] = mate["adresse"], mate["code_postal"]
        else:
            number = int(rng.integers(1, 300))
            street = _STREETS[int(rng.integers(len(_STREETS)))]
            row["adresse"] = f"{number} {street}, appt {int(rng.integers(1, 60))}"
            row["code_postal"] = f"{int(rng.choice([38000, 38100, 38400, 38600])):05d}"
        rows.append(row)
    return rows


def generate_quotas(
    k: int, *, criteria: Sequence[str] = tuple(CRITERIA), tolerance: float = 0.15
) -> list[dict[str, str | int]]:
    """Quotas ``feature,value,min,max`` around the population shares for a panel of ``k``."""
    quotas: list[dict[str, str | int]] = []
    for criterion in criteria:
        for value, share, _ in ALL_CRITERIA[criterion]:
            target = share * k
            slack = max(1.0, tolerance * target)
            quotas.append(
                {
                    "feature": criterion,
                    "value": value,
                    "min": max(0, math.floor(target - slack)),
                    "max": min(k, math.ceil(target + slack)),
                }
            )
    return quotas


def _csv(rows: Sequence[Mapping[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_demo(
    folder: Path | str,
    *,
    n: int = 300,
    k: int = 30,
    seed: int = 0,
    criteria: Sequence[str] = tuple(CRITERIA),
    household_share: float = 0.2,
) -> tuple[Path, Path]:
    """Write ``vivier.csv`` and ``quotas.csv`` into ``folder``; return their paths."""
    target = Path(folder)
    pool_path, quotas_path = target / "vivier.csv", target / "quotas.csv"
    write_atomic(
        pool_path,
        _csv(generate_pool(n, seed=seed, criteria=criteria, household_share=household_share)),
    )
    write_atomic(quotas_path, _csv(generate_quotas(k, criteria=criteria)))
    return pool_path, quotas_path

"""Building a public inquiry for tests through the CLI: dossier, observations from two channels
(with a campaign of identical texts), an audited offline synthesis, the PV, a signed annex."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workspace_support import adopt_test_policy, run_cli

PASSPHRASE = "phrase secrète de test"
THEMES = [
    "La piste cyclable de l'avenue est dangereuse au carrefour, il faut la protéger.",
    "Les pistes cyclables doivent être séparées des voitures pour la sécurité des vélos.",
    "Le parc doit rester ouvert le soir en été pour les familles du quartier.",
    "Ouvrir le parc plus tard le soir permettrait aux familles d'en profiter.",
    "Il manque des bancs et de l'ombre près de l'arrêt de tram.",
    "Installer des bancs à l'arrêt de tram pour les personnes âgées.",
]
CAMPAIGN = "Non au projet de parking souterrain : préservons la place du marché et ses arbres."


def write_observations(path: Path, start: int, count: int, *, campaign: int = 0) -> Path:
    """A CSV of ``count`` observations (ids from ``start``), ``campaign`` of them identical."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "texte", "auteur", "date"])
        for offset in range(count):
            number = start + offset
            if offset < campaign:
                text = CAMPAIGN
            else:
                text = f"{THEMES[number % len(THEMES)]} Observation {number}."
            writer.writerow(
                [f"obs-{number}", text, f"habitant-{number}", f"2026-11-{number % 28 + 1:02d}"]
            )
    return path


def add_command(source: Path, channel: str) -> str:
    return (
        f"dossier add plu {source} --format table --text-column texte --id-column id "
        f"--author-column auteur --date-column date --channel {channel} --pseudonymisation patterns"
    )


def _relocate_mlflow_artifacts(root: Path) -> None:
    """MLflow stores an absolute artifact location per experiment: point it at the copy."""
    import sqlite3

    connection = sqlite3.connect(root / "mlflow" / "mlflow.db")
    with connection:
        connection.execute(
            "UPDATE experiments SET artifact_location = ?",
            ((root / "mlflow" / "artifacts").resolve().as_uri(),),
        )
    connection.close()


@dataclass(frozen=True)
class Inquiry:
    root: Path
    annex: Path
    manifest: Path


def build_inquiry(root: Path, data: Path) -> None:
    adopt_test_policy(root)
    run_cli(
        root,
        'people add "Jeanne Morel" --email j.morel@example.fr',
        "roles assign jeanne-morel personne_ressource --from 01/01/2026 --by jeanne-morel",
        'tools add "garant hors ligne" --key hors-ligne --access local --region local '
        "--status approved --alias hors-ligne",
        'uses add "Regroupement des observations" --key regroupement '
        '--purpose "Regrouper les observations par thème" --stage analysis --tool hors-ligne '
        "--data public_contributions --data personal --status approved "
        '--override "Enquête de test : liste de contrôle non remplie"',
        'dossier create "PLU de Belleval" --ref "Arrêté 2026-117" --authority "Métropole de Belleval" '
        "--from 02/11/2026 --to 03/12/2026 --commissaire jeanne-morel --key plu",
        add_command(
            write_observations(data / "registre.csv", 1, 30, campaign=4), "registre_dematerialise"
        ),
        add_command(write_observations(data / "courriels.csv", 31, 10), "courriel"),
        "dossier synthesise plu --use regroupement --by jeanne-morel",
        "dossier pv plu --format md",
        "dossier pv plu --format docx",
    )

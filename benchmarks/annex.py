"""Time to export and to verify the signed annex of a public inquiry with 5,000 observations.

Whole commands, cold (one process each, as a commissaire runs them):
  baseline  ``garant dossier pv DOSSIER --format md`` (the draft PV of the same dossier);
  export    ``garant annex export DOSSIER --signer … `` (manifest, PDF, stamp, attachment, PAdES);
  verify    ``garant annex verify annexe.pdf`` in a fresh folder with only the PDF;
  verify+   ``garant annex verify annexe.pdf --files WS --workspace WS`` (every file and entry).
Setup (not timed): a workspace, 5,000 observations from a generated CSV on two channels with a
campaign of identical texts, the offline synthesis, the PV, a personal key.
Prints the median of ``--repeat`` runs, the ratio to the baseline, and the annex's page count.

    .venv/bin/python benchmarks/annex.py [--observations 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GARANT = [sys.executable, "-c", "from garant.cli.main import run; run()"]
THEMES = [
    "La piste cyclable de l'avenue est dangereuse au carrefour, il faut la protéger",
    "Le parc doit rester ouvert le soir en été pour les familles du quartier",
    "Il manque des bancs et de l'ombre près de l'arrêt de tram",
    "Le parking souterrain menace les arbres de la place du marché",
    "Les bus de nuit devraient circuler le week-end jusqu'à deux heures",
    "Le bruit des livraisons nocturnes empêche de dormir rue de la Gare",
]


def _env(workspace: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        GARANT_WORKSPACE=str(workspace),
        GARANT_ACTOR="bench",
        MLFLOW_DISABLE_TELEMETRY="true",
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="",
        BENCH_KEY="phrase secrète du banc d'essai",
    )
    return env


def garant(workspace: Path, *args: str, cwd: Path | None = None, check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [*GARANT, *args], env=_env(workspace), cwd=cwd, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if check and result.returncode != 0:
        raise SystemExit(f"garant {' '.join(args)} failed:\n{result.stderr}{result.stdout}")
    return elapsed


def _observations(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "texte", "auteur", "date"])
        for number in range(1, count + 1):
            text = (
                "Non au parking souterrain : préservons la place du marché et ses arbres."
                if number % 25 == 0
                else f"{THEMES[number % len(THEMES)]} (observation {number}, secteur {number % 17})."
            )
            writer.writerow(
                [f"o{number}", text, f"habitant-{number % 3000}", f"2026-11-{number % 28 + 1:02d}"]
            )


def setup(workspace: Path, count: int) -> None:
    subprocess.run(
        [*GARANT, "init", str(workspace), "--name", "Banc d'essai", "--kind", "collectivite"],
        env=_env(workspace),
        check=True,
        capture_output=True,
    )
    shutil.copy(
        ROOT / "tests" / "audit" / "politique-test.yaml", workspace / "policies" / "politique.yaml"
    )
    for command in (
        ["people", "add", "Jeanne Morel"],
        ["roles", "assign", "jeanne-morel", "personne_ressource", "--from", "01/01/2026"],
        [
            "tools",
            "add",
            "garant hors ligne",
            "--key",
            "hors-ligne",
            "--access",
            "local",
            "--region",
            "local",
            "--status",
            "approved",
            "--alias",
            "hors-ligne",
        ],
        [
            "uses",
            "add",
            "Regroupement",
            "--key",
            "regroupement",
            "--purpose",
            "Regrouper",
            "--stage",
            "analysis",
            "--tool",
            "hors-ligne",
            "--data",
            "public_contributions",
            "--status",
            "approved",
        ],
        [
            "dossier",
            "create",
            "Banc d'essai",
            "--ref",
            "A-1",
            "--authority",
            "Préfecture",
            "--from",
            "02/11/2026",
            "--to",
            "03/12/2026",
            "--commissaire",
            "jeanne-morel",
            "--key",
            "banc",
        ],
    ):
        garant(workspace, *command)
    half = count // 2
    for name, start, size, channel in (
        ("registre.csv", 1, half, "registre_dematerialise"),
        ("courriels.csv", half + 1, count - half, "courriel"),
    ):
        source = workspace / name
        _observations(source, start + size - 1)
        lines = source.read_text(encoding="utf-8").splitlines()
        source.write_text("\n".join([lines[0], *lines[start:]]) + "\n", encoding="utf-8")
        garant(
            workspace,
            "dossier",
            "add",
            "banc",
            str(source),
            "--format",
            "table",
            "--text-column",
            "texte",
            "--id-column",
            "id",
            "--author-column",
            "auteur",
            "--date-column",
            "date",
            "--channel",
            channel,
            "--pseudonymisation",
            "patterns",
        )
    garant(
        workspace, "dossier", "synthesise", "banc", "--use", "regroupement", "--by", "jeanne-morel"
    )
    garant(workspace, "dossier", "pv", "banc", "--format", "md")
    garant(workspace, "keys", "create", "jeanne-morel", "--passphrase-env", "BENCH_KEY")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--observations", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        started = time.perf_counter()
        setup(workspace, args.observations)
        print(
            f"setup ({args.observations} observations, synthesis, PV): {time.perf_counter() - started:.1f} s"
        )
        annex = workspace / "exports" / "enquetes" / "banc" / "annexe.pdf"
        fresh = Path(tmp) / "citoyen"
        fresh.mkdir()
        timings: dict[str, list[float]] = {
            "baseline": [],
            "export": [],
            "verify": [],
            "verify+": [],
        }
        for _ in range(args.repeat):
            timings["baseline"].append(garant(workspace, "dossier", "pv", "banc", "--format", "md"))
            timings["export"].append(
                garant(
                    workspace,
                    "annex",
                    "export",
                    "banc",
                    "--signer",
                    "jeanne-morel",
                    "--passphrase-env",
                    "BENCH_KEY",
                )
            )
            shutil.copy(annex, fresh / "annexe.pdf")
            lone = dict(_env(workspace))
            del lone["GARANT_WORKSPACE"]
            start = time.perf_counter()
            subprocess.run(
                [*GARANT, "annex", "verify", "annexe.pdf"],
                env=lone,
                cwd=fresh,
                check=True,
                capture_output=True,
            )
            timings["verify"].append(time.perf_counter() - start)
            timings["verify+"].append(
                garant(
                    workspace,
                    "annex",
                    "verify",
                    str(annex),
                    "--files",
                    str(workspace),
                    "--workspace",
                    str(workspace),
                )
            )
        pages = "?"
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(annex)], capture_output=True, text=True).stdout
            pages = next(
                (line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?"
            )
        base = statistics.median(timings["baseline"])
        print(f"annex: {pages} pages, {annex.stat().st_size // 1024} KiB")
        for name, values in timings.items():
            median = statistics.median(values)
            print(
                f"{name:9s} median {median:6.2f} s  ({median / base:4.2f}× baseline)  runs: "
                + ", ".join(f"{v:.2f}" for v in values)
            )


if __name__ == "__main__":
    main()

"""The ten largest themes of the shared Decidim export, and the paraphrase-campaign test.

    .venv/bin/python benchmarks/synthesis_top10.py [--seed 0] > evidence.md

Ingests the shared Decidim export as the demo does (``--pseudonymisation patterns``),
synthesises it offline and prints, as Markdown, the ten largest themes as a reader sees them
(question, label, contributions, one quote), then re-runs the generated campaign test of
``tests/analyses/synthesis/test_synthesis_campaigns.py`` (40 rewordings of one local demand
mixed into the 933 real answers) and prints its precision, recall and false-alarm rate.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECIDIM = ROOT / ".." / "shared" / "data" / "consultations" / "decidim_gdn_lille_nancy"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "tests" / "analyses" / "synthesis"))
    from campaign_support import rewordings

    from garant.analyses.synthesis import ingest_decidim, ingest_table, load_corpus, run_offline
    from garant.analyses.synthesis.audited import _pseudonymiser

    if not DECIDIM.is_dir():
        print(f"Données partagées absentes : {DECIDIM}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        pseudonymise, _mapping = _pseudonymiser(folder, "patterns")
        ingest_decidim(
            folder / "corpus",
            DECIDIM,
            pseudonymise=pseudonymise,
            pseudonymiser_name="garant-fr (patterns)",
        )
        corpus = load_corpus(folder / "corpus")
        result = run_offline(corpus, seed=arguments.seed)
        print(
            f"## Les 10 plus grands thèmes ({len(corpus.contributions)} contributions, "
            f"{len(result.themes)} thèmes, graine {arguments.seed})\n"
        )
        largest = sorted(result.themes, key=lambda theme: -len(theme.contribution_ids))
        print("| # | question | thème | contributions | citation |")
        print("|---:|---|---|---:|---|")
        for rank, theme in enumerate(largest[:10], start=1):
            quote = " ".join(theme.quotes[0].quote.split()) if theme.quotes else ""
            question = (theme.question or "")[:60]
            print(
                f"| {rank} | {question} | {theme.label} | {len(theme.contribution_ids)} "
                f"({theme.distinct_authors} auteurs) | « {quote} » |"
            )

        rows = [
            {
                "id": f"r{n}",
                "auteur": item.author or f"x{n}",
                "texte": item.text,
                "q": item.question or "",
            }
            for n, item in enumerate(corpus.contributions)
        ]
        question = next(
            item.question
            for item in corpus.contributions
            if item.question and item.question.startswith("Quelles propositions concrètes")
        )
        rows += [
            {"id": f"p{n}", "auteur": f"p{n}", "texte": text, "q": question}
            for n, text in enumerate(rewordings(40))
        ]
        source = folder / "avis.csv"
        with source.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
        ingest_table(
            folder / "mixed",
            source,
            text_column="texte",
            id_column="id",
            author_column="auteur",
            question_column="q",
        )
        mixed = load_corpus(folder / "mixed")
        planted = {f"avis:p{n}" for n in range(40)}
        real = {item.id for item in mixed.contributions} - planted
        outcome = run_offline(mixed, seed=arguments.seed)
        flagged = {i for campaign in outcome.campaigns for i in campaign.contribution_ids}
        precision = len(flagged & planted) / len(flagged) if flagged else 0.0
        recall = len(flagged & planted) / len(planted)
        print("\n## Campagne générée (40 reformulations dans les réponses réelles)\n")
        print(
            f"- campagnes signalées : {len(outcome.campaigns)} ; contributions signalées : "
            f"{len(flagged)}"
        )
        print(f"- précision {precision:.3f}, rappel {recall:.3f}")
        print(
            f"- fausses alertes sur les réponses réelles : {len(flagged & real)} / {len(real)} "
            f"({len(flagged & real) / len(real):.3%})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

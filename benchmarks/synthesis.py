"""Throughput of ingest + duplicates + offline themes on generated corpora.

    .venv/bin/python benchmarks/synthesis.py                 # 10k and 100k, both corpus kinds
    .venv/bin/python benchmarks/synthesis.py --sizes 10000 --kinds synthetic

Goal (issue 6): 100,000 contributions in ≤ 5 minutes on 2 cores, peak memory ≤ 4 GB.
Each run happens in a fresh subprocess so its peak RSS is its own.

Corpus kinds:
* ``synthetic``: ``garant.analyses.synthesis.synthetic.make_corpus`` (6 topics, 1–4
  sentences, a campaign of n/100 copies plus n/100 near variants of it, a repeated text, a
  minority view). Small vocabulary.
* ``decidim-mix``: each text joins the first half of one real Decidim contribution to the
  second half of another (shared data), so lengths and vocabulary are those of a real French
  consultation; 1 % of rows are copies of one campaign text. The export has 933 texts, so
  each half reappears in about n/933 texts: at 20,000 texts nearly every text shares a
  verbatim half with ~40 others, and most are rightly « campagne probable » (tight blocks of
  10–90 texts; ADR 0022, session 4). It measures speed, not campaign detection.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 300.0
GOAL_RSS_MB = 4096.0
DECIDIM = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "consultations"
    / "decidim_gdn_lille_nancy"
)


def _write_synthetic(path: Path, n: int) -> None:
    from garant.analyses.synthesis.synthetic import make_corpus

    corpus = make_corpus(
        n,
        seed=0,
        campaign_copies=max(30, n // 100),
        campaign_variants=max(6, n // 100),
        sentences=(1, 4),
    )
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(corpus.rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(corpus.rows)


def _write_decidim_mix(path: Path, n: int) -> None:
    from garant.analyses.synthesis.ingest import read_decidim
    from garant.analyses.synthesis.synthetic import CAMPAIGN_TEXT

    texts = [row.text for batch in read_decidim(DECIDIM) for row in batch.rows]
    rng = random.Random(0)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["id", "auteur", "date", "texte"])
        for index in range(n):
            if index % 100 == 0:
                text = CAMPAIGN_TEXT
            else:
                first, second = rng.choice(texts).split(), rng.choice(texts).split()
                text = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :])
            writer.writerow(
                [
                    f"m{index}",
                    f"p{rng.randrange(n // 3 + 1)}",
                    f"2026-03-{1 + index % 28:02d}",
                    text,
                ]
            )


def _child(size: int, kind: str) -> None:
    """Run one measurement and print one JSON line."""
    from garant.analyses.synthesis.corpus import add_batch, load_corpus
    from garant.analyses.synthesis.duplicates import detect_duplicates
    from garant.analyses.synthesis.ingest import read_table
    from garant.analyses.synthesis.offline import OfflineParameters, offline_themes

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "avis.csv"
        (_write_synthetic if kind == "synthetic" else _write_decidim_mix)(source, size)
        chars = sum(1 for _ in source.read_text(encoding="utf-8"))
        cpu_started = time.process_time()
        started = time.perf_counter()
        batch = read_table(
            source, text_column="texte", id_column="id", author_column="auteur", date_column="date"
        )
        add_batch(Path(folder) / "corpus", batch)
        corpus = load_corpus(Path(folder) / "corpus")
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        floods = detect_duplicates(corpus.contributions)
        dedupe_s = time.perf_counter() - started
        started = time.perf_counter()
        themes, assignments, singular, details = offline_themes(
            corpus.contributions, floods, OfflineParameters(seed=0)
        )
        themes_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        json.dumps(
            {
                "size": size,
                "kind": kind,
                "mean_chars": round(chars / size),
                "ingest_s": round(ingest_s, 2),
                "dedupe_s": round(dedupe_s, 2),
                "themes_s": round(themes_s, 2),
                "total_s": round(ingest_s + dedupe_s + themes_s, 2),
                "cpu_s": round(cpu_s, 2),
                "load_1min": round(os.getloadavg()[0], 1),
                "peak_rss_mb": round(peak_mb),
                "themes": len(themes),
                "small_themes": sum(1 for theme in themes if theme.small),
                "singular": len(singular),
                "covered": sum(1 for a in assignments if a.theme_ids) + len(singular),
                "duplicate_groups": len(floods.groups),
                "distinct_positions": floods.distinct_positions,
                "k": details.get("k"),
                "campaigns": len(details.get("campaigns", [])),
                "campaign_members": sum(len(ids) for ids in details.get("campaigns", [])),
                "largest_campaign": max(map(len, details.get("campaigns", [])), default=0),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--kinds", nargs="+", default=["synthetic", "decidim-mix"])
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "KIND"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        _child(int(arguments.child[0]), arguments.child[1])
        return
    print(
        f"{'corpus':<12} {'n':>7} {'chars':>6} {'ingest':>7} {'dedupe':>7} {'themes':>7} "
        f"{'total':>7} {'cpu':>7} {'n/s':>7} {'RSS MB':>7} {'vs goal':>8} {'themes':>6} "
        f"{'cover':>6}"
    )
    for kind in arguments.kinds:
        if kind == "decidim-mix" and not DECIDIM.is_dir():
            print(f"{kind:<12} skipped: shared data not found at {DECIDIM}")
            continue
        for size in arguments.sizes:
            output = (
                subprocess.run(
                    [sys.executable, __file__, "--child", str(size), kind],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            row = json.loads(output)
            scaled = row["total_s"] * 100_000 / size
            print(
                f"{kind:<12} {size:>7} {row['mean_chars']:>6} {row['ingest_s']:>6.1f}s "
                f"{row['dedupe_s']:>6.1f}s {row['themes_s']:>6.1f}s {row['total_s']:>6.1f}s "
                f"{row['cpu_s']:>6.1f}s "
                f"{size / row['total_s']:>7.0f} {row['peak_rss_mb']:>7} "
                f"{scaled / GOAL_SECONDS:>7.2f}x {row['themes']:>6} "
                f"{100.0 * row['covered'] / size:>5.1f}%"
            )
            print(f"  details: {json.dumps(row)}")
    print(
        f"goal: 100k in ≤ {GOAL_SECONDS:.0f} s on 2 cores, peak RSS ≤ {GOAL_RSS_MB:.0f} MB; "
        "'vs goal' = wall time scaled linearly to 100k / goal (≤ 1.00 meets it); "
        "'cpu' = process CPU time (all threads): on a busy machine wall time is inflated, "
        "compare 'cpu' and the 1-minute load average in the details"
    )


if __name__ == "__main__":
    main()

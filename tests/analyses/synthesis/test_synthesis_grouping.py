"""Grouping: the consensus of k-means runs makes themes depend less on the seed."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from garant.analyses.synthesis import ingest_decidim, load_corpus
from garant.analyses.synthesis.duplicates import detect_duplicates
from garant.analyses.synthesis.model import Contribution
from garant.analyses.synthesis.offline import OfflineParameters, offline_themes


@pytest.fixture(scope="module")
def largest_question(
    tmp_path_factory: pytest.TempPathFactory, decidim_dir: Path
) -> list[Contribution]:
    target = tmp_path_factory.mktemp("decidim-grouping") / "corpus"
    ingest_decidim(target, decidim_dir)
    items = list(load_corpus(target).contributions)
    question, _count = Counter(item.question for item in items if item.question).most_common(1)[0]
    return [item for item in items if item.question == question]


def _seed_agreement(items: list[Contribution], runs: int) -> float:
    """Mean adjusted Rand index between the themes of seeds 0, 1, 2 and 3."""
    from sklearn.metrics import adjusted_rand_score

    floods = detect_duplicates(items)
    partitions = []
    for seed in range(4):
        _themes, assignments, _singular, details = offline_themes(
            items, floods, OfflineParameters(seed=seed, consensus_runs=runs)
        )
        assert details["grouping"] == f"consensus of {runs} k-means"
        partitions.append([(a.theme_ids or [a.contribution_id])[0] for a in assignments])
    pairs = list(itertools.combinations(partitions, 2))
    return float(sum(adjusted_rand_score(a, b) for a, b in pairs)) / len(pairs)


def test_a_hundred_consensus_runs_make_themes_depend_less_on_the_seed(
    largest_question: list[Contribution],
) -> None:
    few, many = _seed_agreement(largest_question, 20), _seed_agreement(largest_question, 100)
    print(f"seed agreement (mean ARI): 20 runs {few:.3f}, 100 runs {many:.3f}")
    assert many > few + 0.05

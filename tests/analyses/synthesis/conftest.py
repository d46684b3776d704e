"""Fixtures of the synthesis tests: the Decidim sample and offline runs shared per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthesis_support import DECIDIM, build_generated

from garant.analyses.synthesis import SynthesisResult, load_corpus, run_offline
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.synthetic import SyntheticCorpus


@pytest.fixture(scope="session")
def decidim_dir() -> Path:
    if not DECIDIM.is_dir():
        pytest.skip(f"données partagées absentes : {DECIDIM}")
    return DECIDIM


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Corpus, SyntheticCorpus, SynthesisResult]:
    """A 300-contribution corpus with planted traps and its offline synthesis (seed 0)."""
    corpus, planted = build_generated(tmp_path_factory.mktemp("generated"))
    return corpus, planted, run_offline(corpus, seed=0)


@pytest.fixture(scope="session")
def decidim_run(
    tmp_path_factory: pytest.TempPathFactory, decidim_dir: Path
) -> tuple[Corpus, SynthesisResult]:
    from garant.analyses.synthesis import ingest_decidim

    target = tmp_path_factory.mktemp("decidim") / "corpus"
    ingest_decidim(target, decidim_dir)
    corpus = load_corpus(target)
    return corpus, run_offline(corpus, seed=0)

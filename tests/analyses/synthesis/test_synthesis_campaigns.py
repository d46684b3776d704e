"""Paraphrase campaigns are flagged « campagne probable », counted, never dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from campaign_support import rewordings
from synthesis_support import write_csv

from garant.analyses.synthesis import ingest_table, load_corpus, run_offline
from garant.analyses.synthesis.campaigns import CampaignParameters, dense_blocks
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.report import build_report, coverage_table


@pytest.fixture(scope="module")
def planted_in_real(
    tmp_path_factory: pytest.TempPathFactory, decidim_run: tuple[Corpus, SynthesisResult]
) -> tuple[Corpus, SynthesisResult, set[str], set[str]]:
    real, _result = decidim_run
    question = next(
        item.question
        for item in real.contributions
        if item.question and item.question.startswith("Quelles propositions concrètes")
    )
    rows = [
        {
            "id": f"r{n}",
            "auteur": item.author or f"x{n}",
            "texte": item.text,
            "q": item.question or "",
        }
        for n, item in enumerate(real.contributions)
    ]
    rows += [
        {"id": f"p{n}", "auteur": f"p{n}", "texte": text, "q": question}
        for n, text in enumerate(rewordings(40))
    ]
    folder = tmp_path_factory.mktemp("campaign")
    source = write_csv(folder / "avis.csv", rows)
    ingest_table(
        folder / "corpus",
        source,
        text_column="texte",
        id_column="id",
        author_column="auteur",
        question_column="q",
    )
    corpus = load_corpus(folder / "corpus")
    planted = {f"avis:p{n}" for n in range(40)}
    real_ids = {item.id for item in corpus.contributions} - planted
    return corpus, run_offline(corpus, seed=0), planted, real_ids


def test_forty_rewordings_in_real_answers_are_one_likely_campaign(
    planted_in_real: tuple[Corpus, SynthesisResult, set[str], set[str]],
) -> None:
    corpus, result, planted, real_ids = planted_in_real
    flagged = {i for campaign in result.campaigns for i in campaign.contribution_ids}
    precision = len(flagged & planted) / len(flagged)
    recall = len(flagged & planted) / len(planted)
    false_alarm_rate = len(flagged & real_ids) / len(real_ids)
    # On the shared Decidim export (933 real answers): exactly the forty, no false alarm.
    assert (precision, recall, false_alarm_rate) == (1.0, 1.0, 0.0)
    campaign = next(c for c in result.campaigns if set(c.contribution_ids) & planted)
    assert campaign.distinct_texts == 40 and campaign.reasons
    # Nothing dropped: every planted text is still in a theme.
    placed = {a.contribution_id: a for a in result.assignments}
    assert all(placed[i].theme_ids for i in planted)
    assert coverage_table(result, corpus)["complete"]
    markdown = build_report(result, corpus, disclosure_markdown="x", chart=False).markdown
    assert f"Campagne probable {campaign.id}" in markdown
    assert "Campagnes probables (reformulations)" in markdown


def test_real_answers_alone_raise_no_campaign(decidim_run: tuple[Corpus, SynthesisResult]) -> None:
    _corpus, result = decidim_run
    assert result.campaigns == []


def test_a_natural_short_answer_shared_by_many_is_not_a_campaign(tmp_path: Path) -> None:
    answer = "Je ne suis pas prête à payer plus d'impôts"
    rows = [{"id": f"a{n}", "auteur": f"a{n}", "texte": answer} for n in range(8)]
    rows += [
        {"id": f"b{n}", "auteur": f"b{n}", "texte": f"Réduire les dépenses de l'État, piste {n}"}
        for n in range(12)
    ]
    source = write_csv(tmp_path / "avis.csv", rows)
    ingest_table(
        tmp_path / "corpus", source, text_column="texte", id_column="id", author_column="auteur"
    )
    result = run_offline(load_corpus(tmp_path / "corpus"), seed=0)
    assert not any(group.campaign for group in result.floods.groups)
    assert result.campaigns == []
    assert not any(
        "campagne" in r for reasons in result.floods.mass_produced_reasons.values() for r in reasons
    )


def _half_shared_chain() -> tuple[Any, list[tuple[int, int]]]:
    """144 texts, each made of one of 24 first halves and one of 24 second halves (8 words
    each): text (i, i + d) for d = 0…5, so every half is in 6 texts and every text shares a
    half with 10 others (cosine 0.5), and the close pairs chain through all 144 texts."""
    import numpy as np
    from scipy.sparse import csr_matrix

    pairs = [(first, (first + step) % 24) for first in range(24) for step in range(6)]
    rows, columns = [], []
    for row, (first, second) in enumerate(pairs):
        words = [8 * first + w for w in range(8)] + [192 + 8 * second + w for w in range(8)]
        rows += [row] * len(words)
        columns += words
    values = np.full(len(rows), 0.25)  # 16 words: unit rows
    return csr_matrix((values, (rows, columns)), shape=(len(pairs), 384)), pairs


def test_texts_chained_by_shared_halves_are_not_one_campaign() -> None:
    vectors, pairs = _half_shared_chain()
    blocks = dense_blocks(vectors, [list(range(len(pairs)))], CampaignParameters())
    # Before: the 144 texts formed one « campagne probable » (A shares a half with B, B the
    # other half with C, though A and C have no word in common).
    assert blocks and max(len(block) for block in blocks) <= 11
    for block in blocks:
        # Each block is the texts close to one text: one of them shares a half with all.
        assert any(
            all(
                pairs[other][0] == pairs[centre][0] or pairs[other][1] == pairs[centre][1]
                for other in block
            )
            for centre in block
        )
    assert len({row for block in blocks for row in block}) == sum(len(b) for b in blocks)


def test_a_tight_block_is_one_campaign_whatever_its_size() -> None:
    import numpy as np
    from scipy.sparse import csr_matrix

    # 30 texts sharing 12 of their 16 words (cosine 0.75 pairwise), in 200 unrelated texts.
    rows, columns = [], []
    for row in range(30):
        words = list(range(12)) + [100 + 4 * row + w for w in range(4)]
        rows += [row] * 16
        columns += words
    for row in range(30, 230):
        rows += [row] * 16
        columns += [1000 + 16 * row + w for w in range(16)]
    vectors = csr_matrix((np.full(len(rows), 0.25), (rows, columns)), shape=(230, 5000))
    blocks = dense_blocks(vectors, [list(range(230))], CampaignParameters())
    assert blocks == [list(range(30))]

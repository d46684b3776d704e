"""Evaluation against human labels: F1 per contribution and clustering agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garant.analyses.synthesis import SynthesisResult, evaluate, evaluation_markdown, read_gold
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.synthetic import SyntheticCorpus
from garant.errors import InputError


def _gold_from(result: SynthesisResult, rename: dict[str, str]) -> dict[str, list[str]]:
    return {a.contribution_id: [rename[t] for t in a.theme_ids] for a in result.assignments}


def test_labels_equal_to_the_result_score_one(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    _corpus, _planted, result = generated
    rename = {theme.id: f"humain-{theme.id}" for theme in result.themes}
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(_gold_from(result, rename)), encoding="utf-8")
    evaluation = evaluate(result, gold)
    assert evaluation.f1_samples == 1.0 and evaluation.adjusted_rand == 1.0
    assert evaluation.nmi == 1.0 and evaluation.f1_ci95 == (1.0, 1.0)
    assert evaluation.mapping == rename


def test_planted_topics_as_gold_give_a_high_but_imperfect_score(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    corpus, _planted, result = generated
    gold = tmp_path / "gold.csv"
    lines = ["id;labels"] + [
        f"{item.id.split(':', 1)[1]};{item.extra['sujet']}" for item in corpus.contributions
    ]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    evaluation = evaluate(result, gold)
    assert evaluation.evaluated == len(corpus.contributions)
    assert 0.7 <= evaluation.f1_samples < 1.0
    assert 0.5 <= evaluation.adjusted_rand <= 1.0 and 0.5 <= evaluation.nmi <= 1.0
    low, high = evaluation.f1_ci95
    assert low <= evaluation.f1_samples <= high
    assert "F1 multi-étiquettes" in evaluation_markdown(evaluation)


def test_shuffled_labels_score_low(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    import random

    corpus, _planted, result = generated
    labels = [item.extra["sujet"] for item in corpus.contributions]
    random.Random(0).shuffle(labels)
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            [
                {"id": item.id, "labels": [label]}
                for item, label in zip(corpus.contributions, labels, strict=True)
            ]
        ),
        encoding="utf-8",
    )
    evaluation = evaluate(result, gold)
    assert evaluation.adjusted_rand < 0.1 and evaluation.f1_samples < 0.5


def test_gold_file_errors_name_the_problem(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    _corpus, _planted, result = generated
    bad = tmp_path / "gold.csv"
    bad.write_text("ref,etiquette\n1,a\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_gold(bad)
    assert "labels" in error.value.message
    unknown = tmp_path / "autre.json"
    unknown.write_text(json.dumps({"zz:1": ["a"]}), encoding="utf-8")
    with pytest.raises(InputError):
        evaluate(result, unknown)


def test_multi_label_csv_uses_pipe_separator(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("id;labels\na;transport|santé\nb;\n", encoding="utf-8")
    assert read_gold(gold) == {"a": ["transport", "santé"], "b": []}


def test_evaluation_prints_trivial_baselines_beside_its_scores(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    corpus, _planted, result = generated
    gold = tmp_path / "gold.csv"
    lines = ["id;labels"] + [f"{item.id};{item.extra['sujet']}" for item in corpus.contributions]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions = {item.id: item.extra["sujet"] for item in corpus.contributions}
    evaluation = evaluate(result, gold, questions=questions)
    one = evaluation.baselines["un seul groupe"]
    assert one["adjusted_rand"] == 0.0 and one["nmi"] == 0.0
    # Grouping by a "question" equal to the human label is the perfect answer.
    assert evaluation.baselines["par question"]["f1_samples"] == 1.0
    text = evaluation_markdown(evaluation)
    assert "un seul groupe : F1" in text and "par question : F1 1.00" in text

"""Questions first: themes per question, report organised by question, columns for JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from synthesis_support import write_csv

from garant.analyses.synthesis import (
    ingest_jsonl,
    ingest_table,
    load_corpus,
    run_offline,
)
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.questions import split_themes
from garant.analyses.synthesis.report import build_report, coverage_table

_ENERGY = [
    "Géothermie",
    "Panneaux solaires sur les toits des écoles",
    "Des panneaux solaires sur les bâtiments publics",
    "Plus d'éoliennes en mer",
    "Éoliennes en mer au large de Dunkerque",
]
_TRANSPORT = [
    "Plus de bus le soir dans les villages",
    "Des bus plus fréquents le dimanche",
    "Un tramway jusqu'à la gare",
    "Prolonger le tramway vers la gare du nord",
    "Des pistes cyclables sécurisées",
    "Pistes cyclables séparées des voitures",
]


def _questions_corpus(tmp_path: Path) -> Corpus:
    rows = []
    for index in range(26):
        rows.append(
            {"id": f"g{index}", "auteur": f"a{index}", "q": "Énergie ?", "texte": "Géothermie"}
        )
    for index, text in enumerate(_ENERGY * 3):
        rows.append({"id": f"e{index}", "auteur": f"e{index}", "q": "Énergie ?", "texte": text})
    for index, text in enumerate(_TRANSPORT * 3):
        rows.append({"id": f"t{index}", "auteur": f"t{index}", "q": "Transports ?", "texte": text})
    source = write_csv(tmp_path / "avis.csv", rows)
    ingest_table(
        tmp_path / "corpus",
        source,
        text_column="texte",
        id_column="id",
        author_column="auteur",
        question_column="q",
    )
    return load_corpus(tmp_path / "corpus")


def test_question_column_is_read_and_themes_never_mix_questions(tmp_path: Path) -> None:
    corpus = _questions_corpus(tmp_path)
    assert {item.question for item in corpus.contributions} == {"Énergie ?", "Transports ?"}
    result = run_offline(corpus, seed=0)
    question_of = {item.id: item.question for item in corpus.contributions}
    assert result.themes
    for theme in result.themes:
        assert theme.question in {"Énergie ?", "Transports ?"}
        assert {question_of[i] for i in theme.contribution_ids} == {theme.question}
        assert theme.id.startswith("Q01-" if theme.question == "Énergie ?" else "Q02-")
    assert result.parameters["questions"] == 2
    assert coverage_table(result, corpus)["complete"]


def test_one_word_answers_shared_by_many_form_a_theme(tmp_path: Path) -> None:
    corpus = _questions_corpus(tmp_path)
    result = run_offline(corpus, seed=0)
    by_id = corpus.by_id()
    placed = {a.contribution_id: a for a in result.assignments}
    geothermie = [i for i, item in by_id.items() if item.text == "Géothermie"]
    assert len(geothermie) == 29
    assert all(placed[i].theme_ids for i in geothermie)
    themes = {t for i in geothermie for t in placed[i].theme_ids}
    assert len(themes) == 1


def test_report_is_organised_by_question_with_its_own_coverage(tmp_path: Path) -> None:
    corpus = _questions_corpus(tmp_path)
    result: SynthesisResult = run_offline(corpus, seed=0)
    markdown = build_report(result, corpus, disclosure_markdown="x", chart=False).markdown
    first = markdown.index("## Question 1 — Énergie ?")
    second = markdown.index("## Question 2 — Transports ?")
    assert first < second
    assert "41 réponses" in markdown[first:second]
    assert "18 réponses" in markdown[second:]
    energy_theme = next(t for t in result.themes if t.question == "Énergie ?")
    assert markdown.index(f"### {energy_theme.id} ") < second


def test_jsonl_fields_can_be_named_like_table_columns(tmp_path: Path) -> None:
    source = tmp_path / "avis.jsonl"
    lines = [
        {"ref": "r1", "body": "Des bus le soir", "who": "x", "topic": "Transports ?"},
        {"ref": "r2", "body": "Un tramway jusqu'à la gare", "who": "y", "topic": "Transports ?"},
    ]
    source.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    ingest_jsonl(
        tmp_path / "corpus",
        source,
        text_field="body",
        id_field="ref",
        author_field="who",
        question_field="topic",
    )
    corpus = load_corpus(tmp_path / "corpus")
    assert [item.id for item in corpus.contributions] == ["avis:r1", "avis:r2"]
    assert {item.question for item in corpus.contributions} == {"Transports ?"}
    assert corpus.contributions[1].text == "Un tramway jusqu'à la gare"


def test_requested_theme_count_is_shared_among_questions_by_size() -> None:
    assert split_themes(10, [80, 20]) == [8, 2]
    assert split_themes(3, [100, 1, 1]) == [1, 1, 1] or sum(split_themes(3, [100, 1, 1])) >= 3
    assert all(share >= 1 for share in split_themes(2, [50, 30, 20]))


def test_decidim_comments_carry_the_debate_question(
    decidim_run: tuple[Corpus, SynthesisResult],
) -> None:
    corpus, result = decidim_run
    questions = {item.question for item in corpus.contributions}
    assert "Faut-il reconnaître le vote blanc ?" in {q.strip() for q in questions if q}
    assert "Propositions libres" in questions
    assert all(theme.question for theme in result.themes)

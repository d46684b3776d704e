"""The report: sections, figures, coverage, only verified quotes, escaping, files, English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from synthesis_support import source_id, write_csv

from garant.analyses.synthesis import (
    SynthesisResult,
    build_report,
    ingest_table,
    load_corpus,
    load_result,
    run_offline,
    save_result,
    verify_quote,
    write_report,
)
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.model import QuoteCheck
from garant.analyses.synthesis.synthetic import SyntheticCorpus
from garant.errors import InputError
from garant.i18n import set_language

DISCLOSURE = "> **Contenu produit avec l'aide d'un outil d'IA** — relu par l'équipe projet."


def test_report_shows_figures_floods_minority_and_full_coverage(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, planted, result = generated
    report = build_report(result, corpus, disclosure_markdown=DISCLOSURE)
    text = report.markdown
    assert DISCLOSURE in text
    floods = result.floods
    assert f"| Contributions | {floods.total_contributions} |" in text
    assert (
        f"| Positions distinctes (doublons comptés une fois) | {floods.distinct_positions} |"
        in text
    )
    assert floods.distinct_positions < floods.total_contributions
    for heading in (
        "## Méthode",
        "## Thèmes par taille",
        "## Propos singuliers et signaux faibles",
        "## Doublons, campagnes et contributions en nombre",
        "## Table de couverture",
    ):
        assert heading in text
    assert "| **Couverture** | **100 %** |" in text
    assert report.data["coverage"]["complete"] is True
    assert (
        f"Contributions probablement produites en nombre : {len(floods.mass_produced_ids)}" in text
    )
    assert "campagne" in text
    minority_theme = next(
        theme
        for theme in result.themes
        if source_id(planted.minority_ids[0]) in theme.contribution_ids
    )
    assert f"### {minority_theme.id} — " in text and "(petit thème)" in text
    for assignment in result.assignments:
        assert f"| `{assignment.contribution_id}` |" in text  # annex lists every contribution


def test_every_displayed_quote_verifies(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    report = build_report(result, corpus, disclosure_markdown=DISCLOSURE)
    texts = {item.id: item.text_pseudonymised for item in corpus.contributions}
    displayed = re.findall(r"^> « (.*) » — `([^`]+)`", report.markdown, re.MULTILINE)
    assert len(displayed) == sum(len(theme.quotes) for theme in result.themes) > 0
    for quote, identifier in displayed:
        unescaped = (
            re.sub(r"\\(.)", r"\1", quote)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
        )
        assert verify_quote(identifier, unescaped, texts).verified


def test_a_tampered_quote_is_not_displayed_but_reported(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    theme = result.themes[0]
    forged = QuoteCheck(
        contribution_id=theme.contribution_ids[0],
        quote="Texte inventé de toutes pièces",
        verified=True,
    )
    tampered = result.model_copy(
        update={"themes": [theme.model_copy(update={"quotes": [forged]}), *result.themes[1:]]}
    )
    report = build_report(tampered, corpus, disclosure_markdown=DISCLOSURE)
    assert "Texte inventé de toutes pièces" not in report.markdown
    assert "## Citations écartées" in report.markdown
    assert report.data["rejected_quotes"][0]["quote"] == "Texte inventé de toutes pièces"


def test_markup_in_contributions_is_escaped(tmp_path: Path) -> None:
    rows = [
        {"texte": "<script>alert('x')</script> **gras** | tableau # titre"},
        {"texte": "Plus de bus et de tramway vers la gare le dimanche"},
        {"texte": "Plus de bus et de tramway vers la gare le samedi"},
    ]
    ingest_table(tmp_path / "corpus", write_csv(tmp_path / "avis.csv", rows), text_column="texte")
    corpus = load_corpus(tmp_path / "corpus")
    report = build_report(run_offline(corpus), corpus, disclosure_markdown=DISCLOSURE, chart=False)
    assert "<script>" not in report.markdown and "&lt;script&gt;" in report.markdown
    assert "\\*\\*gras\\*\\* \\| tableau \\# titre" in report.markdown


def test_result_from_another_corpus_version_is_refused(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    other = result.model_copy(update={"corpus_sha256": "0" * 64})
    with pytest.raises(InputError):
        build_report(other, corpus, disclosure_markdown=DISCLOSURE)


def test_report_files_and_result_round_trip(
    tmp_path: Path, generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]
) -> None:
    corpus, _planted, result = generated
    save_result(result, tmp_path / "runs" / "offline.json")
    assert load_result(tmp_path / "runs" / "offline.json") == result
    report = build_report(result, corpus, disclosure_markdown=DISCLOSURE)
    written = write_report(report, tmp_path / "out")
    assert sorted(path.name for path in written) == [
        "synthese.json",
        "synthese.md",
        "tailles-des-themes.png",
    ]
    assert (tmp_path / "out" / "tailles-des-themes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "out" / "synthese.json").read_text(encoding="utf-8"))
    assert data["disclosure_markdown"] == DISCLOSURE
    assert data["corpus"]["contributions"] == len(corpus.contributions)
    assert len(data["assignments"]) == len(corpus.contributions)
    assert "](tailles-des-themes.png)" in report.markdown


def test_report_in_english(generated: tuple[Corpus, SyntheticCorpus, SynthesisResult]) -> None:
    corpus, _planted, result = generated
    set_language("en")
    report = build_report(result, corpus, disclosure_markdown="> AI-assisted", chart=False)
    assert (
        "## Coverage table" in report.markdown and "| **Coverage** | **100 %** |" in report.markdown
    )
    assert "## Table de couverture" not in report.markdown


def test_decidim_report_is_complete(decidim_run: tuple[Corpus, SynthesisResult]) -> None:
    corpus, result = decidim_run
    report = build_report(result, corpus, disclosure_markdown=DISCLOSURE, chart=False)
    assert report.data["coverage"]["covered"] == 933
    assert "| **Couverture** | **100 %** |" in report.markdown
    assert "Position déclarée par les auteurs (source)" in report.markdown

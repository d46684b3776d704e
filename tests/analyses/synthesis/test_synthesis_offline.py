"""Duplicates, floods and offline themes on generated corpora and on the Decidim sample."""

from __future__ import annotations

from pathlib import Path

from synthesis_support import build_generated, source_id

from garant.analyses.synthesis import (
    DuplicateParameters,
    SynthesisResult,
    coverage_table,
    detect_duplicates,
    run_offline,
)
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.model import Contribution
from garant.analyses.synthesis.offline import estimate_stance
from garant.analyses.synthesis.synthetic import SyntheticCorpus


def _contribution(identifier: str, text: str, author: str | None) -> Contribution:
    return Contribution(
        id=identifier,
        source_file="t.csv",
        source_position="ligne 1",
        source_kind="csv",
        author=author,
        text=text,
        text_pseudonymised=text,
    )


def test_exact_and_near_duplicates_are_grouped_not_removed() -> None:
    base = "Il faut planter des arbres le long du boulevard pour faire de l'ombre en été"
    items = [
        _contribution("a", base, "x"),
        _contribution("b", base.upper() + " !", "y"),
        _contribution("c", base.replace("planter", "replanter"), "z"),
        _contribution(
            "d", "Rien à voir : la cantine est trop chère pour les familles nombreuses", "w"
        ),
    ]
    report = detect_duplicates(items)
    assert report.total_contributions == 4 and report.distinct_positions == 2
    assert [group.contribution_ids for group in report.groups] == [["a", "b", "c"]]
    assert report.groups[0].kind == "near" and report.groups[0].campaign


def test_short_answers_repeated_by_many_are_duplicates_but_not_a_campaign() -> None:
    items = [_contribution(str(n), "Oui !", f"p{n}") for n in range(5)]
    report = detect_duplicates(items)
    assert len(report.groups) == 1 and not report.groups[0].campaign
    assert report.mass_produced_ids == []


def test_planted_campaign_and_repetition_are_flagged(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    _corpus, planted, result = generated
    floods = result.floods
    campaign_ids = {source_id(native) for native in planted.campaign_ids}
    campaign = next(group for group in floods.groups if campaign_ids <= set(group.contribution_ids))
    assert campaign.campaign and campaign.distinct_authors >= 30
    variants = {source_id(native) for native in planted.campaign_variant_ids}
    assert len(variants & set(campaign.contribution_ids)) >= len(variants) // 2
    repeated = {source_id(native) for native in planted.repeated_ids}
    repetition = next(group for group in floods.groups if repeated == set(group.contribution_ids))
    assert repetition.same_author and not repetition.campaign
    flagged = set(floods.mass_produced_ids)
    assert campaign_ids | repeated <= flagged
    ordinary = {
        item.id
        for item in _corpus.contributions
        if item.extra["sujet"] not in {"campaign", "variant", "repeated"}
    }
    assert not (ordinary & flagged)
    prolific = {author.author: author for author in floods.prolific_authors}
    repeated_author = _corpus.by_id()[next(iter(repeated))].author
    assert repeated_author in prolific and prolific[repeated_author].duplicate_count == 5
    assert floods.distinct_positions == floods.total_contributions - sum(
        len(group.contribution_ids) - 1 for group in floods.groups
    )


def test_every_contribution_is_in_a_theme_or_singular(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    coverage = coverage_table(result, corpus)
    assert coverage["complete"] and coverage["coverage_percent"] == 100.0
    assert coverage["in_a_theme"] + coverage["singular"] == len(corpus.contributions)
    singular_ids = {entry.contribution_id for entry in result.singular}
    for assignment in result.assignments:
        assert bool(assignment.theme_ids) != (assignment.contribution_id in singular_ids)
        for theme_id in assignment.theme_ids:
            theme = next(theme for theme in result.themes if theme.id == theme_id)
            assert assignment.contribution_id in theme.contribution_ids


def test_planted_minority_view_gets_its_own_small_theme(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    _corpus, planted, result = generated
    minority = {source_id(native) for native in planted.minority_ids}
    assignments = {a.contribution_id: a for a in result.assignments}
    primaries = {assignments[identifier].theme_ids[0] for identifier in minority}
    assert len(primaries) == 1, "the four riverains must be grouped together"
    theme = next(theme for theme in result.themes if theme.id in primaries)
    assert set(theme.contribution_ids) == minority
    assert {"éoliennes", "infrasons"} <= set(theme.terms)


def test_themes_follow_planted_topics(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    topic = {item.id: item.extra["sujet"] for item in corpus.contributions}
    for theme in result.themes:
        primary = [
            a.contribution_id
            for a in result.assignments
            if a.theme_ids and a.theme_ids[0] == theme.id
        ]
        labels = [topic[identifier] for identifier in primary]
        majority = max(set(labels), key=labels.count)
        assert labels.count(majority) / len(labels) >= 0.8, (theme.label, labels)


def test_quotes_are_verbatim_and_from_the_theme(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    corpus, _planted, result = generated
    texts = {item.id: item.text_pseudonymised for item in corpus.contributions}
    assert all(theme.quotes for theme in result.themes)
    for theme in result.themes:
        for quote in theme.quotes:
            assert quote.verified and quote.contribution_id in theme.contribution_ids
            assert quote.start is not None and quote.end is not None
            assert texts[quote.contribution_id][quote.start : quote.end] == quote.quote


def test_offline_run_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    corpus, _planted = build_generated(tmp_path, n=150, seed=3)
    first = run_offline(corpus, seed=7)
    second = run_offline(corpus, seed=7)
    assert first.assignments == second.assignments
    assert [t.model_dump() for t in first.themes] == [t.model_dump() for t in second.themes]


def test_decidim_offline_run_covers_everything_and_keeps_declared_stances(
    decidim_run: tuple[Corpus, SynthesisResult],
) -> None:
    corpus, result = decidim_run
    coverage = coverage_table(result, corpus)
    assert coverage["complete"] and coverage["total"] == 933
    declared = sum(sum(theme.stance.declared.values()) for theme in result.themes)
    assert declared > 0
    contre = sum(theme.stance.declared.get("contre", 0) for theme in result.themes)
    assert contre > 0, "minority 'contre' comments must stay visible"
    reasons = {entry.reason for entry in result.singular}
    assert "trop court pour être classé" in reasons
    assert result.floods.groups and result.floods.distinct_positions < 933


def test_lexical_stance_estimate_reads_french_cues() -> None:
    assert estimate_stance("Je suis totalement contre ce projet, c'est inacceptable.") == "contre"
    assert estimate_stance("Très bonne idée, je suis favorable.") == "pour"
    assert estimate_stance("Le parc ferme à 19 heures.") == "neutre"


def test_duplicate_thresholds_are_recorded() -> None:
    report = detect_duplicates(
        [_contribution("a", "texte", None)], DuplicateParameters(prolific_min=9)
    )
    assert report.parameters["prolific_min"] == 9


def test_tiny_corpora_still_account_for_every_contribution(tmp_path: Path) -> None:
    from synthesis_support import write_csv

    from garant.analyses.synthesis import ingest_table, load_corpus

    for name, texts in {
        "un": ["Une seule observation sur le registre de l'enquête publique."],
        "courts": ["Oui", "Non", "Oui"],
    }.items():
        folder = tmp_path / name
        folder.mkdir()
        source = write_csv(folder / "avis.csv", [{"texte": text} for text in texts])
        ingest_table(folder / "corpus", source, text_column="texte")
        corpus = load_corpus(folder / "corpus")
        result = run_offline(corpus)
        assert coverage_table(result, corpus)["complete"]
        if name == "un":
            assert len(result.singular) == 1 and result.themes == []
        else:
            # « Oui » twice is a shared short answer: a theme; « Non » alone is a stop word.
            assert [len(theme.contribution_ids) for theme in result.themes] == [2]
            assert [entry.excerpt for entry in result.singular] == ["Non"]


def test_optional_embedder_is_used_and_recorded(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    import numpy as np

    corpus, _planted, _result = generated
    seen: list[int] = []

    def embed(texts: list[str]) -> object:
        seen.append(len(texts))
        # A toy embedding: does the text mention the planted campaign or not.
        return np.array([[1.0, 0.0] if "contournement" in t else [0.0, 1.0] for t in texts])

    result = run_offline(corpus, seed=0, embedder=embed, embedder_name="jouet")
    assert seen and seen[0] <= len(corpus.contributions)
    assert result.parameters["embedder"] == "jouet"
    assert coverage_table(result, corpus)["complete"]


def test_embedder_returning_a_wrong_shape_is_an_input_error(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    import numpy as np
    import pytest

    from garant.errors import InputError

    corpus, _planted, _result = generated
    with pytest.raises(InputError):
        run_offline(corpus, embedder=lambda texts: np.zeros((1, 3)))


def test_sentence_transformer_embedder_needs_a_local_folder(tmp_path: Path) -> None:
    import pytest

    from garant.analyses.synthesis import sentence_transformer_embedder
    from garant.errors import InputError

    with pytest.raises(InputError):
        sentence_transformer_embedder(tmp_path / "absent")


def test_a_flood_of_template_variants_forms_one_flagged_group() -> None:
    import random

    from garant.analyses.synthesis.synthetic import CAMPAIGN_TEXT

    rng = random.Random(0)
    swaps = [
        ("coûteux", "ruineux"),
        ("immédiat", "sans délai"),
        ("vraie", "véritable"),
        ("nous demandons", "nous exigeons"),
        ("détruira", "va détruire"),
    ]
    items = []
    for number in range(1500):
        text = CAMPAIGN_TEXT
        for old, new in rng.sample(swaps, k=2):
            text = text.replace(old, new)
        text += f" Signé {rng.choice(['Jean', 'Marie', 'Lucie'])}, {number}."
        items.append(_contribution(f"v{number}", text, f"a{number}"))
    items.append(
        _contribution("autre", "La cantine scolaire devrait proposer un menu bio chaque jour", "b")
    )
    report = detect_duplicates(items)
    assert len(report.groups) == 1 and len(report.groups[0].contribution_ids) == 1500
    assert report.groups[0].campaign and report.groups[0].kind == "near"
    assert len(report.mass_produced_ids) == 1500 and "autre" not in report.mass_produced_ids


def _word_salad(count: int, seed: int) -> list[Contribution]:
    import random

    vocabulary = [
        "impôt",
        "école",
        "route",
        "santé",
        "vélo",
        "retraite",
        "forêt",
        "pain",
        "usine",
        "commune",
        "budget",
        "train",
        "hôpital",
        "loyer",
        "eau",
        "énergie",
        "emploi",
        "sport",
        "musée",
        "police",
        "ferme",
        "climat",
        "village",
    ]
    rng = random.Random(seed)
    return [
        _contribution(f"s{n}", " ".join(rng.sample(vocabulary, 6)), f"a{n}") for n in range(count)
    ]


def test_answers_without_cluster_structure_are_grouped_by_a_consensus_of_runs() -> None:
    from garant.analyses.synthesis.offline import OfflineParameters, offline_themes

    items = _word_salad(80, seed=1)
    _themes, _assignments, _singular, details = offline_themes(
        items, detect_duplicates(items), OfflineParameters(seed=0)
    )
    assert details["k_rule"] == "sqrt" and details["grouping"] == "consensus of 20 k-means"
    _themes, _assignments, _singular, single = offline_themes(
        items, detect_duplicates(items), OfflineParameters(seed=0, consensus_runs=0)
    )
    assert single["grouping"] == "k-means"


def test_structured_planted_corpus_keeps_plain_k_means(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    from garant.analyses.synthesis.offline import offline_themes

    corpus, _planted, _result = generated
    items = list(corpus.contributions)
    _themes, _assignments, _singular, details = offline_themes(items, detect_duplicates(items))
    assert details["k_rule"] == "silhouette" and details["grouping"] == "k-means"

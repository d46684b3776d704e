"""Recall and precision on the labelled French set (built by the tests, >= 200 items)."""

from __future__ import annotations

from garant.privacy import DetectedEntity, EntityType, PseudonymisedText, Pseudonymiser
from garant.privacy.evaluation import (
    HANDWRITTEN_NAMES,
    GoldSpan,
    LabelledText,
    build_labelled_set,
    held_out_set,
    score,
)
from garant.privacy.recognizers import first_names


def test_labelled_set_has_200_items_covering_every_type(
    labelled_set: list[LabelledText],
) -> None:
    assert len(labelled_set) >= 200
    per_type = {t: sum(s.type is t for i in labelled_set for s in i.spans) for t in EntityType}
    assert min(per_type.values()) >= 25, per_type
    assert {item.kind for item in labelled_set} == {"faker", "handwritten", "negative"}
    for item in labelled_set:
        for span in item.spans:
            value = item.text[span.start : span.end]
            assert value == value.strip() and value


def test_labelled_set_is_the_same_for_the_same_seed() -> None:
    assert build_labelled_set(40, seed=7) == build_labelled_set(40, seed=7)
    assert build_labelled_set(40, seed=7) != build_labelled_set(40, seed=8)


def test_handwritten_names_are_in_no_first_name_list_garant_uses() -> None:
    for name in HANDWRITTEN_NAMES:
        first = name.split(" ")[0]
        assert first not in first_names()
        assert not any(part in first_names() for part in first.split("-")), name


def test_score_counts_partial_cover_as_miss_and_unmatched_detection_as_false_positive() -> None:
    item = LabelledText(
        "Kévin Nguyen, 06 12 34 56 78", (GoldSpan(EntityType.PERSONNE, 0, 12),
                                         GoldSpan(EntityType.TELEPHONE, 14, 28)), "handwritten"
    )  # fmt: skip
    predicted = [
        DetectedEntity(EntityType.PERSONNE, 0, 5, 0.8),
        DetectedEntity(EntityType.EMAIL, 14, 28, 1.0),
    ]
    scores = score([item], [predicted])
    assert scores[EntityType.PERSONNE].recall == 0.0
    assert scores[EntityType.PERSONNE].precision == 1.0
    assert scores[EntityType.TELEPHONE].recall == 0.0
    assert scores[EntityType.EMAIL].precision == 0.0


def test_full_mode_recall_and_precision_reach_095_for_every_type(
    full_pseudonymiser: Pseudonymiser, labelled_set: list[LabelledText]
) -> None:
    from garant.privacy.evaluation import evaluate

    scores = evaluate(full_pseudonymiser, labelled_set)
    for entity_type, entry in scores.items():
        assert entry.recall >= 0.95, (entity_type, entry.recall, entry.missed)
        assert entry.precision >= 0.95, (entity_type, entry.precision, entry.false_positives)
    # Measured with seed 20261123: 1.000 for every type (other seeds: PERSONNE 0.995-0.997).
    assert scores[EntityType.PERSONNE].recall >= 0.99


def test_full_mode_leaves_at_most_one_percent_of_gold_values_in_clear(
    labelled_set: list[LabelledText], full_results: list[PseudonymisedText]
) -> None:
    gold = leaked = 0
    for item, result in zip(labelled_set, full_results, strict=True):
        for value in result.raw_values:
            assert value not in result.text
        for value in item.values:
            gold += 1
            leaked += value in result.text
    assert leaked <= gold // 100, (leaked, gold)


def test_patterns_mode_finds_every_identifier_but_misses_unknown_names(
    patterns_pseudonymiser: Pseudonymiser, labelled_set: list[LabelledText]
) -> None:
    from garant.privacy.evaluation import evaluate

    scores = evaluate(patterns_pseudonymiser, labelled_set)
    for entity_type in (EntityType.EMAIL, EntityType.TELEPHONE, EntityType.NIR, EntityType.IBAN,
                        EntityType.ADRESSE):  # fmt: skip
        assert scores[entity_type].recall >= 0.95, entity_type
    # Known limit: names with no civility, signature or known first name need spaCy (0.82).
    assert 0.7 <= scores[EntityType.PERSONNE].recall < 0.95
    assert all(entry.precision >= 0.95 for entry in scores.values())


def test_held_out_texts_parse_into_gold_spans() -> None:
    items = held_out_set()
    assert len(items) == 40
    assert sum(len(item.spans) for item in items) == 51
    assert "[[" not in "".join(item.text for item in items)
    first = items[0]
    assert [first.text[s.start : s.end] for s in first.spans] == ["Rose-Marie Ndiaye"]


def test_full_mode_on_held_out_texts_reaches_095_recall_per_type(
    full_pseudonymiser: Pseudonymiser,
) -> None:
    from garant.privacy.evaluation import evaluate

    scores = evaluate(full_pseudonymiser, held_out_set())
    # Measured: PERSONNE 25/26 ("Mon fils Noah" is missed), every other type 1.000.
    for entity_type, entry in scores.items():
        assert entry.recall >= 0.95, (entity_type, entry.missed)
        assert entry.precision >= 0.95, (entity_type, entry.false_positives)

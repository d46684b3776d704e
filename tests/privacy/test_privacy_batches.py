"""Large batches: skipping spaCy where no word can be a name, and worker processes, change
nothing in what is found (issue 14.2)."""

from __future__ import annotations

import csv

from workspace_support import SHARED_DATA

from garant.privacy import Pseudonymiser
from garant.privacy.evaluation import LabelledText, held_out_set


def _texts(labelled_set: list[LabelledText]) -> list[str]:
    texts = [item.text for item in labelled_set] + [item.text for item in held_out_set()]
    path = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy" / "commentaires_debats.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle, delimiter=";")][:400]
    texts += ["Geothermie", "Concrètement, non.", "SAMU", "It's fine", "jean dupont est venu"]
    return texts


def test_skipping_spacy_where_no_word_can_be_a_name_finds_exactly_the_same(
    labelled_set: list[LabelledText], full_pseudonymiser: Pseudonymiser
) -> None:
    texts = _texts(labelled_set)
    every_text = Pseudonymiser("full", n_process=1)
    every_text.prefilter_from = 10**9
    filtered = Pseudonymiser("full", n_process=1)
    filtered.prefilter_from = 1
    assert filtered.detect_many(texts) == every_text.detect_many(texts)


def test_worker_processes_find_exactly_what_one_process_finds(
    labelled_set: list[LabelledText], patterns_pseudonymiser: Pseudonymiser
) -> None:
    texts = [item.text for item in labelled_set]
    parallel = Pseudonymiser("patterns", n_process=2)
    parallel.parallel_from = 1
    assert parallel._workers(len(texts)) == 2
    assert parallel.detect_many(texts) == Pseudonymiser("patterns", n_process=1).detect_many(texts)


def test_single_texts_skip_spacy_once_the_process_has_run_it_often_and_find_the_same(
    labelled_set: list[LabelledText], full_pseudonymiser: Pseudonymiser
) -> None:
    texts = _texts(labelled_set)[:200]
    every_text = Pseudonymiser("full", n_process=1)
    every_text.prefilter_after = 10**9
    filtered = Pseudonymiser("full", n_process=1)
    filtered.prefilter_after = 0  # as in a process that has already run spaCy on many texts
    assert [filtered.detect(text) for text in texts] == [every_text.detect(t) for t in texts]

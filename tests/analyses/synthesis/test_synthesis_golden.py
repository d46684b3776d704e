"""Golden file: labels and quotes of the offline synthesis of a small French corpus.

The generated corpus (300 contributions on eight planted topics, a minority view and a
campaign, seed 0) is synthesised offline; each theme's label, terms and quotes are compared
with ``golden/labels_quotes.json``. Regenerate after a deliberate change with
``UPDATE_GOLDEN=1`` and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.labels import phrase_key
from garant.analyses.synthesis.model import SynthesisResult
from garant.analyses.synthesis.passages import label_tier
from garant.analyses.synthesis.synthetic import SyntheticCorpus

GOLDEN = Path(__file__).parent / "golden" / "labels_quotes.json"


def test_labels_and_quotes_match_the_golden_file(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    _corpus, _planted, result = generated
    seen = [
        {
            "id": theme.id,
            "label": theme.label,
            "terms": theme.terms[:5],
            "quotes": [quote.quote for quote in theme.quotes],
        }
        for theme in result.themes
    ]
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(seen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert seen == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_every_quote_of_the_planted_corpus_comes_from_a_member_naming_its_label(
    generated: tuple[Corpus, SyntheticCorpus, SynthesisResult],
) -> None:
    """Quotes are about the label: the first holds the label's phrase, each quoted
    contribution names it or a specific word of it, and no sentence is quoted twice in a
    theme (a campaign's slogan once)."""
    corpus, _planted, result = generated
    texts = {item.id: item.text_pseudonymised for item in corpus.contributions}
    for theme in result.themes:
        key = phrase_key(theme.label)
        assert key is not None, theme.label
        assert len(theme.label.replace("'", " ").split()) >= 2, theme.label
        said = [" ".join(quote.quote.split()) for quote in theme.quotes]
        assert len(said) == len(set(said)), said
        for quote in theme.quotes:
            # The phrase itself, or a specific word of it (« le bruit des éoliennes » under
            # « bruit nocturne »).
            assert label_tier(texts[quote.contribution_id], key) >= 1, (theme.label, quote)
        assert label_tier(theme.quotes[0].quote, key) == 2, (theme.label, theme.quotes[0])

"""The offline provider: deterministic extractive summaries built from the prompt itself."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from garant.errors import InputError
from garant.i18n import set_language
from garant.llm import ChatMessage, Completion, Gateway
from garant.llm.offline import count_tokens, extractive_summary, split_sentences
from garant.settings import OFFLINE_MODEL_ALIAS, ModelAlias, default_model_aliases

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

CONTRIBUTIONS = """\
Les pistes cyclables du centre-ville sont dangereuses aux heures de pointe.
Il faudrait plus de bus le soir pour rejoindre la gare.
Je propose des pistes cyclables séparées de la circulation sur les grands boulevards.
Le marché du samedi devrait ouvrir plus tôt.
Des pistes cyclables continues et éclairées rendraient le vélo plus sûr pour les enfants.
Les bus de nuit manquent pour les travailleurs en horaires décalés.
"""


def _gateway() -> Gateway:
    return Gateway(default_model_aliases())


def _ask(text: str, **parameters: object) -> str:
    messages = [ChatMessage("system", "Résume ces contributions."), ChatMessage("user", text)]
    completion: Completion = _gateway().complete(OFFLINE_MODEL_ALIAS, messages, **parameters)
    return completion.text


def _bullets(answer: str) -> list[str]:
    return [line[2:] for line in answer.splitlines() if line.startswith("- ")]


def test_offline_completion_same_input_gives_same_output() -> None:
    first = _ask(CONTRIBUTIONS)
    second = Gateway(default_model_aliases()).complete(
        OFFLINE_MODEL_ALIAS,
        [ChatMessage("system", "Résume ces contributions."), ChatMessage("user", CONTRIBUTIONS)],
    )
    assert first == second.text


def test_offline_summary_sentences_are_verbatim_from_input_in_original_order() -> None:
    bullets = _bullets(_ask(CONTRIBUTIONS))
    source = CONTRIBUTIONS.splitlines()
    assert bullets, "the summary picked no sentence"
    positions = [source.index(b) for b in bullets]
    assert positions == sorted(positions)


def test_offline_summary_changes_with_input() -> None:
    other = "La bibliothèque municipale ferme trop tôt le mercredi. " * 1 + (
        "Les horaires de la bibliothèque municipale ne conviennent pas aux familles. "
        "Une ouverture de la bibliothèque le dimanche aiderait les familles."
    )
    assert _bullets(_ask(other)) != _bullets(_ask(CONTRIBUTIONS))
    assert all("bibliothèque" in b for b in _bullets(_ask(other)))


def test_offline_summary_prefers_the_most_shared_theme() -> None:
    picked = _bullets(_ask(CONTRIBUTIONS, max_sentences=1))
    assert len(picked) == 1
    assert "pistes cyclables" in picked[0]  # the theme three contributions share


def test_offline_summary_second_pick_covers_another_theme() -> None:
    picked = _bullets(_ask(CONTRIBUTIONS, max_sentences=2))
    assert sum("pistes cyclables" in p for p in picked) == 1
    assert sum("bus" in p for p in picked) == 1


def test_offline_summary_skips_repeated_contributions() -> None:
    repeated = "Nous voulons plus de bancs publics dans le parc municipal.\n" * 4
    text = repeated + "Les bancs du parc municipal sont souvent cassés et jamais réparés.\n"
    picked = _bullets(_ask(text, max_sentences=3))
    assert len(picked) == len(set(picked)) == 2


def test_offline_completion_is_labelled_offline_free_and_not_estimated() -> None:
    completion = _gateway().complete(OFFLINE_MODEL_ALIAS, [ChatMessage("user", CONTRIBUTIONS)])
    assert completion.offline is True
    assert "hors ligne" in completion.provider
    assert completion.text.startswith("Synthèse extractive hors ligne (aucun modèle génératif)")
    assert completion.cost_usd == 0.0
    assert completion.impact.energy_kwh is None and completion.impact.gwp_kgco2eq is None
    assert "hors ligne : non estimé" in completion.impact.source
    assert completion.model == "offline/extractive-fr"
    assert completion.parameters["engine"] == "extractive-fr"


def test_offline_provider_label_without_offline_word_gets_it_added() -> None:
    aliases = {"local": ModelAlias(model="offline/extractive-fr", provider_label="Démo")}
    completion = Gateway(aliases).complete("local", [ChatMessage("user", CONTRIBUTIONS)])
    assert completion.provider == "Démo (hors ligne)"


def test_offline_token_counts_use_the_simple_tokenizer() -> None:
    messages = [ChatMessage("system", "Résume."), ChatMessage("user", CONTRIBUTIONS)]
    completion = _gateway().complete(OFFLINE_MODEL_ALIAS, messages)
    assert completion.prompt_tokens == count_tokens("Résume.") + count_tokens(CONTRIBUTIONS)
    assert completion.completion_tokens == count_tokens(completion.text)
    assert count_tokens("L'eau, c'est la vie !") == 10  # L ' eau , c ' est la vie !


def test_offline_max_tokens_caps_the_extracted_sentences() -> None:
    capped = extractive_summary(CONTRIBUTIONS, max_sentences=4, max_tokens=20)
    assert sum(count_tokens(s) for s in capped.sentences) <= 21
    tiny = extractive_summary(CONTRIBUTIONS, max_sentences=1, max_tokens=5)
    assert tiny.sentences[0].endswith("…") and count_tokens(tiny.sentences[0]) <= 5


def test_offline_json_mode_returns_a_json_object() -> None:
    answer = _ask(CONTRIBUTIONS, response_format={"type": "json_object"}, max_sentences=2)
    payload = json.loads(answer)
    assert payload["avertissement"].startswith("Synthèse extractive hors ligne")
    assert len(payload["phrases"]) == 2
    assert all(p in CONTRIBUTIONS for p in payload["phrases"])


def test_offline_header_follows_the_language() -> None:
    set_language("en")
    assert _ask(CONTRIBUTIONS).startswith("Offline extractive summary (no generative model)")


def test_split_sentences_keeps_abbreviations_and_drops_list_markers() -> None:
    text = (
        "M. Dupont a pris la parole. Mme Martin, etc. ont répondu !\n- Un point : le bus.\n1. Suite"
    )
    assert split_sentences(text) == [
        "M. Dupont a pris la parole.",
        "Mme Martin, etc. ont répondu !",
        "Un point : le bus.",
        "Suite",
    ]
    assert split_sentences("J. Martin vote la mesure 5. Elle passe.") == [
        "J. Martin vote la mesure 5.",
        "Elle passe.",
    ]


def test_offline_unknown_engine_is_an_input_error_listing_engines() -> None:
    gateway = Gateway({"x": ModelAlias(model="offline/gpt-maison")})
    with pytest.raises(InputError) as caught:
        gateway.complete("x", [ChatMessage("user", "Bonjour.")])
    assert "offline/gpt-maison" in caught.value.message
    assert "offline/extractive-fr" in caught.value.hint


def test_offline_without_user_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Aucun texte"):
        _gateway().complete(OFFLINE_MODEL_ALIAS, [ChatMessage("system", "Résume.")])


@pytest.mark.parametrize("value", [0, -2, "3", True])
def test_offline_invalid_max_sentences_is_an_input_error(value: object) -> None:
    with pytest.raises(InputError, match="max_sentences"):
        _ask(CONTRIBUTIONS, max_sentences=value)


def test_offline_summary_of_real_decidim_proposals_quotes_them() -> None:
    source = SHARED_DATA / "consultations" / "decidim_gdn_lille_nancy" / "propositions-libres.csv"
    if not source.is_file():
        pytest.skip(f"données partagées absentes : {source}")
    import csv

    with source.open(encoding="utf-8", newline="") as handle:
        bodies = [row["body"] for row in csv.DictReader(handle, delimiter=";") if row["body"]]
    text = "\n".join(bodies)
    bullets = _bullets(_ask(text))
    assert len(bullets) == 5
    for sentence in bullets:
        assert re.sub(r"\s+", " ", sentence) in re.sub(r"\s+", " ", text)


def test_offline_call_never_imports_litellm() -> None:
    code = (
        "import sys\n"
        "from garant.llm import ChatMessage, Completion, Gateway\n"
        "from garant.settings import default_model_aliases\n"
        "g = Gateway(default_model_aliases())\n"
        "g.complete('hors-ligne', [ChatMessage('user', 'Une phrase. Une autre phrase.')])\n"
        "print(sorted(m for m in ('litellm', 'openai', 'ecologits') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"

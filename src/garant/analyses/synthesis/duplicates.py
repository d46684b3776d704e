"""Duplicates, campaigns, prolific authors and the "likely mass-produced" flag.

Nothing here removes or merges a contribution: groups are reported next to the corpus, and the
report shows both "N contributions" and "M distinct positions".

* **Exact duplicates**: same text after lower-casing, removing accents, punctuation and extra
  spaces (the key La Grande Annotation used on the Grand Débat).
* **Near duplicates**: MinHash LSH (datasketch) over word 2-shingles (bigrams) proposes candidate pairs
  with an estimated Jaccard similarity ≥ ``lsh_threshold``; each pair is confirmed with an
  edit-distance similarity (rapidfuzz ``fuzz.ratio``, 0–100) ≥ ``edit_threshold``. Groups are
  the connected components of confirmed pairs; a text confirmed as near duplicate of an earlier
  *seed* text leaves the index, so a flood of variants stays linear in cost. Texts shorter
  than ``min_tokens`` words ("Oui", "D'accord") only take part in exact grouping.
* **Campaign**: a group of texts of at least ``campaign_min_tokens`` words whose members come from at
  least ``campaign_min_authors`` distinct authors (copy-paste or form-letter campaign). Short
  answers ("Oui", "Tout à fait d'accord") repeated by many people are duplicates, not campaigns.
* **Prolific author**: an author with at least ``prolific_min`` contributions; the report also
  gives their largest burst (contributions within ``burst_window_minutes``).
* **Likely mass-produced** (a flag on contributions, never a verdict): any of
  (a) member of a campaign; (b) member of a near-duplicate group of size ≥ 3 whose texts are
  not all identical — variants of one template, the trace of spinning or generated text;
  (c) one author posting the same or nearly the same text ≥ 3 times. Detectors of AI-written
  text are unreliable, so the flag rests on behaviour (repetition, coordination), which is
  observable and explainable to the public. Bursts alone do not raise the flag: on the Decidim
  data, residents answering the Grand Débat questionnaire in one sitting post 10–20 distinct
  answers within an hour, which is ordinary participation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .model import Contribution, DuplicateGroup, FloodReport, ProlificAuthor
from .text import normalise_for_duplicates

__all__ = ["DuplicateParameters", "detect_duplicates"]


@dataclass(frozen=True)
class DuplicateParameters:
    """Thresholds of duplicate and flood detection (recorded in the result)."""

    lsh_threshold: float = 0.6
    num_perm: int = 64
    shingle_size: int = 2
    edit_threshold: float = 85.0
    max_checks_per_text: int = 200
    """Edit-distance checks per seed text (bounds the cost of a flood of variants)."""
    min_tokens: int = 6
    campaign_min_tokens: int = 12
    """A copied text is a campaign only from this many words: a short natural answer
    (« Je ne suis pas prête à payer plus d'impôts ») shared by many people is not one."""
    campaign_min_authors: int = 3
    prolific_min: int = 5
    template_min_size: int = 3
    repeat_min: int = 3
    burst_window_minutes: int = 60


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _near_pairs(keys: Sequence[str], parameters: DuplicateParameters) -> list[tuple[int, int]]:
    """Pairs of indexes into ``keys`` confirmed as near duplicates."""
    import zlib

    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz

    eligible: list[int] = []
    shingles: list[list[bytes]] = []
    size = parameters.shingle_size
    for index, key in enumerate(keys):
        tokens = key.split()
        if len(tokens) < parameters.min_tokens:
            continue
        eligible.append(index)
        grams = {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}
        shingles.append([gram.encode("utf-8") for gram in sorted(grams)])
    if len(eligible) < 2:
        return []
    # CRC-32 (C, deterministic) instead of datasketch's default SHA-1 per shingle: the hashing
    # was half of the stage's time on 100,000 texts, and MinHash only needs a well-spread
    # 32-bit hash.
    hashes = MinHash.bulk(shingles, num_perm=parameters.num_perm, seed=1, hashfunc=zlib.crc32)
    lsh = MinHashLSH(threshold=parameters.lsh_threshold, num_perm=parameters.num_perm)
    with lsh.insertion_session() as session:
        for position, minhash in enumerate(hashes):
            session.insert(position, minhash)
    # Every text queries the index once. A text confirmed as near duplicate leaves the index
    # (it still queries for its own neighbours, so chains of variants link up), candidates
    # already in the same group are skipped, and each query makes at most
    # ``max_checks_per_text`` edit-distance checks: a flood of 20,000 variants of one template
    # costs seconds instead of 20,000² comparisons.
    pairs: list[tuple[int, int]] = []
    union = _UnionFind(len(hashes))
    for position, minhash in enumerate(hashes):
        checks = 0
        for other in lsh.query(minhash):
            if other == position or union.find(other) == union.find(position):
                continue
            if checks >= parameters.max_checks_per_text:
                break
            checks += 1
            first, second = keys[eligible[position]], keys[eligible[other]]
            if fuzz.ratio(first, second, score_cutoff=parameters.edit_threshold):
                pairs.append((eligible[position], eligible[other]))
                union.union(position, other)
                lsh.remove(other)
    return pairs


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


def detect_duplicates(
    contributions: Sequence[Contribution], parameters: DuplicateParameters | None = None
) -> FloodReport:
    """Group duplicates and flag floods over the pseudonymised texts."""
    parameters = parameters or DuplicateParameters()
    total = len(contributions)
    keys = [normalise_for_duplicates(item.text_pseudonymised) for item in contributions]

    # One representative per exact key; near-duplicate search runs on representatives only,
    # so a flood of 10,000 identical copies costs one MinHash.
    representative: dict[str, int] = {}
    members: dict[int, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if not key:
            continue
        head = representative.setdefault(key, index)
        members[head].append(index)
    heads = sorted(members)
    union = _UnionFind(len(heads))
    for first, second in _near_pairs([keys[head] for head in heads], parameters):
        union.union(first, second)
    components: dict[int, list[int]] = defaultdict(list)
    for position, head in enumerate(heads):
        components[union.find(position)].append(head)

    groups: list[DuplicateGroup] = []
    group_members: list[list[int]] = []
    group_of: dict[int, int] = {}
    distinct_positions = total
    for component_heads in sorted(components.values(), key=lambda value: value[0]):
        indexes = sorted(index for head in component_heads for index in members[head])
        if len(indexes) < 2:
            continue
        distinct_positions -= len(indexes) - 1
        authors = [contributions[index].author for index in indexes]
        named = {author for author in authors if author}
        distinct_authors = len(named) + sum(1 for author in authors if not author)
        number = len(groups)
        groups.append(
            DuplicateGroup(
                id=f"D{number + 1}",
                kind="exact" if len(component_heads) == 1 else "near",
                contribution_ids=[contributions[index].id for index in indexes],
                distinct_authors=distinct_authors,
                campaign=distinct_authors >= parameters.campaign_min_authors
                and len(keys[indexes[0]].split()) >= parameters.campaign_min_tokens,
                same_author=len(named) == 1 and all(authors),
                example=contributions[indexes[0]].text_pseudonymised,
            )
        )
        group_members.append(indexes)
        for index in indexes:
            group_of[index] = number

    reasons: dict[int, list[str]] = defaultdict(list)
    for group, indexes in zip(groups, group_members, strict=True):
        if group.campaign:
            for index in indexes:
                reasons[index].append(f"campagne:{group.id}")
        if group.kind == "near" and len(indexes) >= parameters.template_min_size:
            for index in indexes:
                reasons[index].append(f"variantes:{group.id}")
        per_author = Counter(contributions[index].author for index in indexes)
        for index in indexes:
            author = contributions[index].author
            if author and per_author[author] >= parameters.repeat_min:
                reasons[index].append(f"repetition:{group.id}")

    by_author: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(contributions):
        if item.author:
            by_author[item.author].append(index)
    window = parameters.burst_window_minutes * 60.0

    def largest_burst(indexes: list[int]) -> int:
        stamps = sorted(
            stamp
            for index in indexes
            if (stamp := _timestamp(contributions[index].date)) is not None
        )
        best, start = 0, 0
        for end in range(len(stamps)):
            while stamps[end] - stamps[start] > window:
                start += 1
            best = max(best, end - start + 1)
        return best

    prolific = [
        ProlificAuthor(
            author=author,
            count=len(indexes),
            share=len(indexes) / total if total else 0.0,
            duplicate_count=sum(1 for index in indexes if index in group_of),
            largest_burst=largest_burst(indexes),
        )
        for author, indexes in by_author.items()
        if len(indexes) >= parameters.prolific_min
    ]
    prolific.sort(key=lambda entry: (-entry.count, entry.author))
    flagged = sorted(reasons)
    return FloodReport(
        total_contributions=total,
        distinct_positions=distinct_positions,
        distinct_authors=len(by_author),
        anonymous_contributions=sum(1 for item in contributions if not item.author),
        groups=groups,
        prolific_authors=prolific,
        mass_produced_ids=[contributions[index].id for index in flagged],
        mass_produced_reasons={
            contributions[index].id: sorted(set(reasons[index])) for index in flagged
        },
        parameters={
            key: value for key, value in vars(parameters).items() if isinstance(value, int | float)
        },
    )

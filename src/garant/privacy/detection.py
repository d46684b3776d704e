"""Is there personal data in these texts? A check that holds no personal data in its answer.

A use declared with data « none » must not switch detection off (issue 17.7): the run wrapper
calls :func:`detect_personal_data` on what it is about to send, and refuses or pseudonymises
(per policy) when something shows up. The findings count occurrences per type and name the
texts concerned by position: they may be logged and recorded in the ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from garant.privacy.types import EntityType, Mode

__all__ = ["PersonalDataFindings", "detect_personal_data"]


@dataclass(frozen=True)
class PersonalDataFindings:
    """What :func:`detect_personal_data` found, without any of the values."""

    counts: dict[EntityType, int]
    texts: tuple[int, ...]  # positions (0-based) of the texts holding personal data
    checked: int
    mode: Mode

    def __bool__(self) -> bool:
        return bool(self.texts)

    def summary(self) -> dict[str, object]:
        """A JSON-ready summary (for the ledger): counts per type, texts concerned."""
        return {
            "mode": self.mode,
            "checked": self.checked,
            "texts_with_personal_data": len(self.texts),
            "counts": {t.value: n for t, n in sorted(self.counts.items())},
        }


def detect_personal_data(
    texts: Sequence[str], *, mode: Mode = "full", keep_public_figures: bool = False
) -> PersonalDataFindings:
    """Detect personal data in ``texts`` with the recognisers of ``mode`` (patterns + NER in
    ``full``); reuses the process's analyser, so repeated checks cost only the analysis.
    ``keep_public_figures``: public office holders' names are not counted (the policy keeps
    them readable, see :class:`~garant.privacy.pseudonymiser.Pseudonymiser`)."""
    from garant.privacy.pseudonymiser import Pseudonymiser

    found = Pseudonymiser(mode, keep_public_figures=keep_public_figures).detect_many(list(texts))
    counts = Counter(entity.type for entities in found for entity in entities)
    return PersonalDataFindings(
        counts=dict(counts),
        texts=tuple(index for index, entities in enumerate(found) if entities),
        checked=len(found),
        mode=mode,
    )

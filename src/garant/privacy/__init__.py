"""Pseudonymisation of French text before it leaves the machine.

::

    from garant.privacy import Pseudonymiser, PseudonymMapping

    pseudonymiser = Pseudonymiser("full")          # or "patterns" for bulk work
    mapping = PseudonymMapping()
    result = pseudonymiser.pseudonymise("Mme Diallo, 06 12 34 56 78", mapping)
    result.text       # "Mme <PERSONNE_1>, <TELEPHONE_1>"  -> may be sent
    result.counts     # {EntityType.PERSONNE: 1, EntityType.TELEPHONE: 1} -> may be logged
    mapping.save(path)                              # local only, mode 0600
    mapping.reidentify(answer_from_model)
    detect_personal_data(texts)                     # counts only: for uses declared without

Importing this package is cheap: Presidio and spaCy load when the first text is analysed.
"""

from __future__ import annotations

from garant.privacy.detection import PersonalDataFindings, detect_personal_data
from garant.privacy.mapping import MappingEntry, PseudonymMapping, normalise_value
from garant.privacy.pseudonymiser import PseudonymisedText, Pseudonymiser
from garant.privacy.types import DetectedEntity, EntityType, Mode

__all__ = [
    "DetectedEntity",
    "EntityType",
    "MappingEntry",
    "Mode",
    "PersonalDataFindings",
    "PseudonymMapping",
    "PseudonymisedText",
    "Pseudonymiser",
    "detect_personal_data",
    "normalise_value",
]

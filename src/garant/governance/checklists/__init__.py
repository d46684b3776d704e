"""AI Act / GDPR / French-law checklists as data, and the assessment of a use against them.

Items live in YAML files shipped with the package (``data/``); :func:`assess` derives a use's
AI Act profile, whether a DPIA is needed and why, and its open obligations with their dates.
"""

from __future__ import annotations

from garant.governance.checklists.answers import Answer, AnswerStatus, Evidence, sha256_of_file
from garant.governance.checklists.conditions import (
    FIELD_TYPES,
    Condition,
    ConditionError,
    describe_condition,
    evaluate,
    parse_condition,
)
from garant.governance.checklists.engine import (
    DPIA_CRITERIA,
    TRANSPARENCY_DUTIES,
    AIActProfile,
    Assessment,
    DpiaAssessment,
    ItemState,
    Reason,
    assess,
    assessment_to_dict,
    classify_ai_act,
    dpia_assessment,
    profile_facts,
    render_assessment,
)
from garant.governance.checklists.items import (
    SECTIONS,
    Catalogue,
    ChecklistItem,
    EvidenceSpec,
    LegalDate,
    Reference,
    Text,
    load_catalogue,
    parse_items,
)
from garant.governance.checklists.profile import (
    ANNEX_III_AREAS,
    ART_5_PRACTICES,
    ART_6_3_CONDITIONS,
    PROFILE_QUESTIONS,
    ProfileQuestion,
    UseProfile,
    profile_from_mapping,
    profile_from_registry,
    profile_to_mapping,
)

__all__ = [
    "ANNEX_III_AREAS",
    "ART_5_PRACTICES",
    "ART_6_3_CONDITIONS",
    "DPIA_CRITERIA",
    "FIELD_TYPES",
    "PROFILE_QUESTIONS",
    "SECTIONS",
    "TRANSPARENCY_DUTIES",
    "AIActProfile",
    "Answer",
    "AnswerStatus",
    "Assessment",
    "Catalogue",
    "ChecklistItem",
    "Condition",
    "ConditionError",
    "DpiaAssessment",
    "Evidence",
    "EvidenceSpec",
    "ItemState",
    "LegalDate",
    "ProfileQuestion",
    "Reason",
    "Reference",
    "Text",
    "UseProfile",
    "assess",
    "assessment_to_dict",
    "classify_ai_act",
    "describe_condition",
    "dpia_assessment",
    "evaluate",
    "load_catalogue",
    "parse_condition",
    "parse_items",
    "profile_facts",
    "profile_from_mapping",
    "profile_from_registry",
    "profile_to_mapping",
    "render_assessment",
    "sha256_of_file",
]

"""Domain vocabulary and stored entities of garant's registry."""

from garant.domain.enums import (
    AccessMode,
    AIActRiskClass,
    ArbitrationStatus,
    DataCategory,
    LegalBasis,
    OrganisationKind,
    ParticipationStage,
    RoleName,
    ToolStatus,
    UseStatus,
    label,
)
from garant.domain.models import (
    AITool,
    AIUse,
    AIUseTool,
    ArbitrationRequest,
    Organisation,
    Person,
    RoleAssignment,
    TrainingRecord,
)
from garant.domain.policy_models import (
    ChecklistAnswer,
    PolicyAcknowledgement,
    PolicyVersion,
    UseAssessment,
)

__all__ = [
    "AIActRiskClass",
    "AITool",
    "AIUse",
    "AIUseTool",
    "AccessMode",
    "ArbitrationRequest",
    "ArbitrationStatus",
    "ChecklistAnswer",
    "DataCategory",
    "LegalBasis",
    "Organisation",
    "OrganisationKind",
    "ParticipationStage",
    "Person",
    "PolicyAcknowledgement",
    "PolicyVersion",
    "RoleAssignment",
    "RoleName",
    "ToolStatus",
    "TrainingRecord",
    "UseAssessment",
    "UseStatus",
    "label",
]

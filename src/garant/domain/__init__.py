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

__all__ = [
    "AIActRiskClass",
    "AITool",
    "AIUse",
    "AIUseTool",
    "AccessMode",
    "ArbitrationRequest",
    "ArbitrationStatus",
    "DataCategory",
    "LegalBasis",
    "Organisation",
    "OrganisationKind",
    "ParticipationStage",
    "Person",
    "RoleAssignment",
    "RoleName",
    "ToolStatus",
    "TrainingRecord",
    "UseStatus",
    "label",
]

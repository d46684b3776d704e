"""Public inquiries (enquêtes publiques): the dossier of numbered observations, the draft
procès-verbal de synthèse, and the signed annex on AI use that anyone can verify.

Domain code only: the CLI (``garant dossier``, ``garant annex``) calls these services.
"""

from garant.inquiry.dossiers import (
    AddedObservations,
    add_observations,
    anchor_ledger,
    attach_run,
    attached_runs,
    check_channel,
    create_dossier,
    get_dossier,
    list_dossiers,
    observations_of,
)
from garant.inquiry.models import (
    CHANNELS,
    DossierInput,
    InquiryDossier,
    InquiryObservation,
    InquiryRun,
    ObservationInput,
    channel_label,
)

__all__ = [
    "CHANNELS",
    "AddedObservations",
    "DossierInput",
    "InquiryDossier",
    "InquiryObservation",
    "InquiryRun",
    "ObservationInput",
    "add_observations",
    "anchor_ledger",
    "attach_run",
    "attached_runs",
    "channel_label",
    "check_channel",
    "create_dossier",
    "get_dossier",
    "list_dossiers",
    "observations_of",
]

"""Audited runs: the policy gate, MLflow trace, hash-chained ledger, review and disclosure."""

from garant.audit.disclosure import DisclosureLabel
from garant.audit.gate import GateDecision
from garant.audit.run import AuditedRun, OutputRecord, audited_run

__all__ = [
    "AuditedRun",
    "DisclosureLabel",
    "GateDecision",
    "OutputRecord",
    "audited_run",
]

"""One registry truth: a tool's standing is its registry status read together with the policy.

The registry says what a person decided (approved, under review, forbidden); the policy may
forbid the same tool (by key or by access mode) or not list it among the allowed ones. The
status shown everywhere — ``tools show``, ``tools list``, the charters — is the standing
computed here, with the policy's rule when the two disagree, following the gate's precedence
(a rule naming the tool wins over a rule on its whole access mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from garant.domain.enums import ToolStatus, label
from garant.domain.models import AITool
from garant.governance.policy.model import Policy, ToolRule
from garant.i18n import tr

__all__ = ["ToolStanding", "tool_standing"]


@dataclass(frozen=True)
class ToolStanding:
    registry_status: str
    status: str
    """What the tool may actually do: approved, under_review or forbidden."""
    rule: str = ""
    """The policy rule behind a stricter standing (``tools.forbidden [web_app]``…)."""
    reason: str = ""
    rule_text: str = ""
    """The rule as a reader says it (« tools.forbidden — accès : application web »)."""

    @property
    def described_rule(self) -> str:
        return self.rule_text or self.rule

    @property
    def contradicts_policy(self) -> bool:
        return self.status != self.registry_status

    @property
    def shown(self) -> str:
        """The status as every listing shows it (the registry's, and the policy's when stricter)."""
        if not self.contradicts_policy:
            return label(self.status)
        return tr(
            "{registry} au registre — {status} par la politique ({rule})",
            "{registry} in the registry — {status} by the policy ({rule})",
            registry=label(self.registry_status),
            status=label(self.status),
            rule=self.described_rule,
        )


def _matches(rule: ToolRule, tool: AITool) -> bool:
    if rule.key is not None:
        return rule.key == tool.key
    return rule.access_mode is not None and rule.access_mode.value == tool.access_mode


def tool_standing(policy: Policy, tool: AITool) -> ToolStanding:
    status = str(tool.status)
    if status == ToolStatus.FORBIDDEN:
        return ToolStanding(status, status, reason=tool.notes)
    by_key = [r for r in policy.tools.forbidden if r.key is not None and _matches(r, tool)]
    key_allowed = [r for r in policy.tools.allowed if r.key is not None and _matches(r, tool)]
    by_mode = [r for r in policy.tools.forbidden if r.key is None and _matches(r, tool)]
    forbidding = by_key[0] if by_key else (by_mode[0] if by_mode and not key_allowed else None)
    if forbidding is not None:
        return ToolStanding(
            status,
            ToolStatus.FORBIDDEN.value,
            rule=f"tools.forbidden [{forbidding.target}]",
            reason=forbidding.reason,
            rule_text=f"tools.forbidden — {forbidding.described}",
        )
    allowed = key_allowed or [r for r in policy.tools.allowed if _matches(r, tool)]
    if status == ToolStatus.APPROVED and not allowed and policy.tools.unlisted == "refuse":
        return ToolStanding(status, ToolStatus.UNDER_REVIEW.value, rule="tools.not_allowed")
    return ToolStanding(status, status, reason=allowed[0].reason if allowed else tool.notes)

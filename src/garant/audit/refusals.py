"""Refused attempts are evidence too: who tried a reserved action, when, and which rule refused.

A refusal raises inside the action's transaction, which is rolled back; the attempt is then
recorded in a transaction of its own, so that it survives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from garant.audit.ledger import append_event
from garant.errors import GarantError, PolicyRefusal
from garant.store.engine import unit_of_work
from garant.store.evidence import set_actor
from garant.workspace import Workspace

__all__ = ["ReservedAction", "record_refusal", "refusals_recorded"]

ReservedAction = Literal["approve", "publish", "review", "reidentify", "checkpoint"]


def record_refusal(
    workspace: Workspace,
    action: ReservedAction,
    by: str,
    error: GarantError,
    *,
    run_id: str = "",
    target: str = "",
) -> None:
    """Append ``reidentification_refused`` (re-identification) or ``action_refused``."""
    rule = error.rule if isinstance(error, PolicyRefusal) else type(error).__name__
    with unit_of_work(workspace.engine) as session:
        set_actor(session, by)
        append_event(
            session,
            "reidentification_refused" if action == "reidentify" else "action_refused",
            {"action": action, "by": by, "rule": rule, "target": target},
            run_id,
            anchor=True,
        )


@contextmanager
def refusals_recorded(
    workspace: Workspace,
    action: ReservedAction,
    by: str,
    *,
    run_id: str = "",
    target: str = "",
) -> Iterator[None]:
    """Record a policy refusal (or a refused personal key) of ``action`` then let it propagate."""
    try:
        yield
    except PolicyRefusal as error:
        record_refusal(workspace, action, by, error, run_id=run_id, target=target)
        raise

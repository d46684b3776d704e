"""ledger events for every protected row: baseline of the rows that already exist

Revision ID: 0004_ledger_events
Revises: 0003_policy
Create Date: 2026-12-04 15:15:00.000000

No table changes: from this revision on, the store writes one ledger event per change to a
protected table (see ``garant.store.evidence``). Rows that existed before are recorded once as
``baseline`` events, « state adopted at migration », so that ``garant audit verify`` can compare
every row with the ledger from now on, and reports label those facts as adopted, not as actions.
"""

from collections.abc import Sequence

from alembic import op

from garant.store.evidence import record_baseline

revision: str = "0004_ledger_events"
down_revision: str | None = "0003_policy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    record_baseline(op.get_bind(), reason="state adopted at migration 0004_ledger_events")


def downgrade() -> None:
    # Ledger entries are append-only evidence: a downgrade keeps them.
    pass

"""public inquiries: dossiers, numbered observations, attached runs

Revision ID: 0006_inquiry
Revises: 0004_ledger_events
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_inquiry"
down_revision: str | None = "0004_ledger_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tracked() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "inquiry_dossier",
        *_tracked(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("commissaire", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inquiry_dossier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inquiry_dossier_key"), ["key"], unique=True)

    op.create_table(
        "inquiry_observation",
        *_tracked(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("source_ref", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("excerpt", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["inquiry_dossier.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "number"),
        sa.UniqueConstraint("dossier_id", "source_ref"),
    )
    with op.batch_alter_table("inquiry_observation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inquiry_observation_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "inquiry_run",
        *_tracked(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("attached_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["inquiry_dossier.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "run_id"),
    )
    with op.batch_alter_table("inquiry_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inquiry_run_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inquiry_run_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inquiry_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_run_run_id"))
        batch_op.drop_index(batch_op.f("ix_inquiry_run_dossier_id"))
    op.drop_table("inquiry_run")
    with op.batch_alter_table("inquiry_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_observation_dossier_id"))
    op.drop_table("inquiry_observation")
    with op.batch_alter_table("inquiry_dossier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_dossier_key"))
    op.drop_table("inquiry_dossier")

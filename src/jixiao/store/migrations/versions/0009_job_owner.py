"""jobs: the process that runs a job (host, pid, a per-process boot id) and its heartbeat, so that a
job left 进行中 or 排队中 by a killed server process is recognised and failed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import jixiao.store.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("owner_pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("owner_boot", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("owner_boot")
        batch_op.drop_column("owner_pid")
        batch_op.drop_column("owner_host")

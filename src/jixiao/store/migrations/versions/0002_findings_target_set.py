"""findings.target_set_id: the target set a finding belongs to (editing replaces only its findings)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_set_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_findings_target_set_id"), ["target_set_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_findings_target_set_id_target_sets"), "target_sets",
                                    ["target_set_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_findings_target_set_id_target_sets"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_findings_target_set_id"))
        batch_op.drop_column("target_set_id")

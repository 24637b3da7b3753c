"""findings (document_id, severity, code, target_set_id) in place of (document_id, severity): the
总览's counts by code and severity, and of target sets with an error, read from the index alone
(an index-only scan, 10x narrower than the table) instead of every finding's row

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_doc_summary", ["document_id", "severity", "code", "target_set_id"],
                              unique=False)
        batch_op.drop_index("ix_findings_doc_severity")


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_doc_severity", ["document_id", "severity"], unique=False)
        batch_op.drop_index("ix_findings_doc_summary")

"""monitoring (绩效运行监控): rounds, 监控表 per target set and their entries, warning profiles a
bureau edits, 整改 tasks, 目标调整

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import jixiao.store.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("monitoring_rounds",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("org_id", sa.Integer(), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("as_of", sa.Date(), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("profile", sa.String(length=60), nullable=False),
    sa.Column("state", sa.String(length=12), nullable=False),
    sa.Column("created_by", sa.Integer(), nullable=True),
    sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_monitoring_rounds_created_by_users")),
    sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_monitoring_rounds_org_id_orgs")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_rounds")),
    sa.UniqueConstraint("org_id", "year", "as_of", name=op.f("uq_monitoring_rounds_org_id_year_as_of"))
    )
    with op.batch_alter_table("monitoring_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_rounds_org_id"), ["org_id"], unique=False)

    op.create_table("warning_profiles",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("org_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=60), nullable=False),
    sa.Column("base", sa.String(length=60), nullable=False),
    sa.Column("thresholds", jixiao.store.base.Json(), nullable=False),
    sa.Column("updated_by", sa.Integer(), nullable=True),
    sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column("row_version", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_warning_profiles_org_id_orgs")),
    sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_warning_profiles_updated_by_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_profiles")),
    sa.UniqueConstraint("org_id", "name", name=op.f("uq_warning_profiles_org_id_name"))
    )
    with op.batch_alter_table("warning_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_profiles_org_id"), ["org_id"], unique=False)

    op.create_table("monitoring_sheets",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("round_id", sa.Integer(), nullable=False),
    sa.Column("target_set_id", sa.Integer(), nullable=False),
    sa.Column("document_id", sa.Integer(), nullable=False),
    sa.Column("org_id", sa.Integer(), nullable=False),
    sa.Column("unit", sa.String(length=8), nullable=False),
    sa.Column("budget", jixiao.store.base.Money(), nullable=True),
    sa.Column("spent", jixiao.store.base.Money(), nullable=True),
    sa.Column("execution_reason", sa.Text(), nullable=True),
    sa.Column("execution_measure", sa.Text(), nullable=True),
    sa.Column("level", sa.String(length=8), nullable=True),
    sa.Column("warnings", jixiao.store.base.Json(), nullable=False),
    sa.Column("updated_by", sa.Integer(), nullable=True),
    sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column("row_version", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_monitoring_sheets_document_id_documents")),
    sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_monitoring_sheets_org_id_orgs")),
    sa.ForeignKeyConstraint(["round_id"], ["monitoring_rounds.id"], name=op.f("fk_monitoring_sheets_round_id_monitoring_rounds"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["target_set_id"], ["target_sets.id"], name=op.f("fk_monitoring_sheets_target_set_id_target_sets")),
    sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_monitoring_sheets_updated_by_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_sheets")),
    sa.UniqueConstraint("round_id", "target_set_id", name=op.f("uq_monitoring_sheets_round_id_target_set_id"))
    )
    with op.batch_alter_table("monitoring_sheets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_sheets_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_sheets_round_id"), ["round_id"], unique=False)
        batch_op.create_index("ix_monitoring_sheets_round_org", ["round_id", "org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_sheets_target_set_id"), ["target_set_id"], unique=False)

    op.create_table("monitoring_entries",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("sheet_id", sa.Integer(), nullable=False),
    sa.Column("indicator_id", sa.Integer(), nullable=False),
    sa.Column("to_date", sa.Text(), nullable=True),
    sa.Column("to_date_value", jixiao.store.base.Money(), nullable=True),
    sa.Column("expected", sa.Text(), nullable=True),
    sa.Column("expected_value", jixiao.store.base.Money(), nullable=True),
    sa.Column("will_meet", sa.String(length=8), nullable=True),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("measure", sa.Text(), nullable=True),
    sa.Column("source", sa.String(length=12), nullable=False),
    sa.Column("records", sa.Integer(), nullable=True),
    sa.Column("updated_by", sa.Integer(), nullable=True),
    sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"], name=op.f("fk_monitoring_entries_indicator_id_indicators")),
    sa.ForeignKeyConstraint(["sheet_id"], ["monitoring_sheets.id"], name=op.f("fk_monitoring_entries_sheet_id_monitoring_sheets"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_monitoring_entries_updated_by_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_entries")),
    sa.UniqueConstraint("sheet_id", "indicator_id", name=op.f("uq_monitoring_entries_sheet_id_indicator_id"))
    )
    with op.batch_alter_table("monitoring_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_entries_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_entries_sheet_id"), ["sheet_id"], unique=False)

    op.create_table("rectification_tasks",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("sheet_id", sa.Integer(), nullable=False),
    sa.Column("org_id", sa.Integer(), nullable=False),
    sa.Column("indicator_id", sa.Integer(), nullable=True),
    sa.Column("code", sa.String(length=60), nullable=False),
    sa.Column("level", sa.String(length=8), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("owner_id", sa.Integer(), nullable=True),
    sa.Column("owner", sa.String(length=80), nullable=False),
    sa.Column("deadline", sa.Date(), nullable=False),
    sa.Column("state", sa.String(length=12), nullable=False),
    sa.Column("measure", sa.Text(), nullable=True),
    sa.Column("opened_by", sa.Integer(), nullable=True),
    sa.Column("opened_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column("closed_by", sa.Integer(), nullable=True),
    sa.Column("closed_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_rectification_tasks_closed_by_users")),
    sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"], name=op.f("fk_rectification_tasks_indicator_id_indicators")),
    sa.ForeignKeyConstraint(["opened_by"], ["users.id"], name=op.f("fk_rectification_tasks_opened_by_users")),
    sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_rectification_tasks_org_id_orgs")),
    sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_rectification_tasks_owner_id_users")),
    sa.ForeignKeyConstraint(["sheet_id"], ["monitoring_sheets.id"], name=op.f("fk_rectification_tasks_sheet_id_monitoring_sheets"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_tasks"))
    )
    with op.batch_alter_table("rectification_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectification_tasks_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rectification_tasks_sheet_id"), ["sheet_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rectification_tasks_state"), ["state"], unique=False)

    op.create_table("target_adjustments",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("sheet_id", sa.Integer(), nullable=True),
    sa.Column("org_id", sa.Integer(), nullable=False),
    sa.Column("from_document_id", sa.Integer(), nullable=False),
    sa.Column("to_document_id", sa.Integer(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("created_by", sa.Integer(), nullable=True),
    sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_target_adjustments_created_by_users")),
    sa.ForeignKeyConstraint(["from_document_id"], ["documents.id"], name=op.f("fk_target_adjustments_from_document_id_documents")),
    sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_target_adjustments_org_id_orgs")),
    sa.ForeignKeyConstraint(["sheet_id"], ["monitoring_sheets.id"], name=op.f("fk_target_adjustments_sheet_id_monitoring_sheets"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["to_document_id"], ["documents.id"], name=op.f("fk_target_adjustments_to_document_id_documents")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_target_adjustments"))
    )
    with op.batch_alter_table("target_adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_adjustments_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_adjustments_sheet_id"), ["sheet_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_adjustments_to_document_id"), ["to_document_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("target_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_adjustments_to_document_id"))
        batch_op.drop_index(batch_op.f("ix_target_adjustments_sheet_id"))
        batch_op.drop_index(batch_op.f("ix_target_adjustments_org_id"))

    op.drop_table("target_adjustments")
    with op.batch_alter_table("rectification_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_tasks_state"))
        batch_op.drop_index(batch_op.f("ix_rectification_tasks_sheet_id"))
        batch_op.drop_index(batch_op.f("ix_rectification_tasks_org_id"))

    op.drop_table("rectification_tasks")
    with op.batch_alter_table("monitoring_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_entries_sheet_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_entries_indicator_id"))

    op.drop_table("monitoring_entries")
    with op.batch_alter_table("monitoring_sheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_sheets_target_set_id"))
        batch_op.drop_index("ix_monitoring_sheets_round_org")
        batch_op.drop_index(batch_op.f("ix_monitoring_sheets_round_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_sheets_document_id"))

    op.drop_table("monitoring_sheets")
    with op.batch_alter_table("warning_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_profiles_org_id"))

    op.drop_table("warning_profiles")
    with op.batch_alter_table("monitoring_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_rounds_org_id"))

    op.drop_table("monitoring_rounds")

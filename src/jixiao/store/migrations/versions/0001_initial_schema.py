"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import jixiao.store.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> None:
    op.create_table(
        "fiscal_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_fiscal_years")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_key_at", ["key", "at"], unique=False)

    op.create_table(
        "orgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["orgs.id"], name=op.f("fk_orgs_parent_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orgs")),
        sa.UniqueConstraint("code", name=op.f("uq_orgs_code")),
    )
    with op.batch_alter_table("orgs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orgs_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_orgs_path"), ["path"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_users_org_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("before", jixiao.store.base.Json(), nullable=True),
        sa.Column("after", jixiao.store.base.Json(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_audit_log_org_id_orgs")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("current", sa.String(length=400), nullable=True),
        sa.Column("params", jixiao.store.base.Json(), nullable=False),
        sa.Column("result", jixiao.store.base.Json(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_jobs_created_by_users")),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_jobs_org_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_table(
        "source_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_source_files_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_source_files")),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=True),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=True),
        sa.Column("parsed", jixiao.store.base.Json(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("n_error", sa.Integer(), nullable=False),
        sa.Column("n_warning", sa.Integer(), nullable=False),
        sa.Column("n_info", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_documents_created_by_users")),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_documents_org_id_orgs")),
        sa.ForeignKeyConstraint(
            ["source_sha256"], ["source_files.sha256"], name=op.f("fk_documents_source_sha256_source_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "org_id", "year", "series", "version", name=op.f("uq_documents_org_id_year_series_version")
        ),
        sa.UniqueConstraint(
            "org_id", "year", "source_sha256", name=op.f("uq_documents_org_id_year_source_sha256")
        ),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_list", ["year", "org_id", "kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_state"), ["state"], unique=False)

    op.create_table(
        "doc_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("org", sa.String(length=200), nullable=True),
        sa.Column("layout", sa.String(length=60), nullable=True),
        sa.Column("unit", sa.String(length=8), nullable=True),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_doc_tables_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doc_tables")),
    )
    with op.batch_alter_table("doc_tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doc_tables_document_id"), ["document_id"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=400), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status_by", sa.Integer(), nullable=True),
        sa.Column("status_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_findings_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["status_by"], ["users.id"], name=op.f("fk_findings_status_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_code"), ["code"], unique=False)
        batch_op.create_index("ix_findings_doc_severity", ["document_id", "severity"], unique=False)

    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_sections_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
    )
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sections_document_id"), ["document_id"], unique=False)

    op.create_table(
        "stated_amounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("value", jixiao.store.base.Money(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_stated_amounts_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stated_amounts")),
    )
    with op.batch_alter_table("stated_amounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stated_amounts_document_id"), ["document_id"], unique=False)

    op.create_table(
        "budget_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("total", jixiao.store.base.Money(), nullable=True),
        sa.Column("values", jixiao.store.base.Json(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=True),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["doc_tables.id"],
            name=op.f("fk_budget_rows_table_id_doc_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_rows")),
    )
    with op.batch_alter_table("budget_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_rows_table_id"), ["table_id"], unique=False)

    op.create_table(
        "target_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("project", sa.String(length=400), nullable=True),
        sa.Column("project_code", sa.String(length=80), nullable=True),
        sa.Column("amounts", jixiao.store.base.Json(), nullable=False),
        sa.Column("amounts_unit", sa.String(length=8), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("period_goal", sa.Text(), nullable=True),
        sa.Column("functions", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("period", sa.String(length=200), nullable=True),
        sa.Column("parent_fund", sa.String(length=400), nullable=True),
        sa.Column("extra", jixiao.store.base.Json(), nullable=False),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_target_sets_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["doc_tables.id"],
            name=op.f("fk_target_sets_table_id_doc_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_sets")),
    )
    with op.batch_alter_table("target_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_sets_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_sets_table_id"), ["table_id"], unique=False)

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(length=200), nullable=True),
        sa.Column("level2", sa.String(length=200), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=True),
        sa.Column("value", jixiao.store.base.Money(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("op_text", sa.String(length=40), nullable=True),
        sa.Column("unit_text", sa.String(length=40), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("scoring", sa.Text(), nullable=True),
        sa.Column("weight", jixiao.store.base.Money(), nullable=True),
        sa.Column("standard", sa.String(length=200), nullable=True),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("location", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_set_id"],
            ["target_sets.id"],
            name=op.f("fk_indicators_target_set_id_target_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_target_set_id"), ["target_set_id"], unique=False)

    op.create_table(
        "self_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("actuals", jixiao.store.base.Json(), nullable=False),
        sa.Column("scores", jixiao.store.base.Json(), nullable=False),
        sa.Column("total", jixiao.store.base.Money(), nullable=True),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_self_evaluations_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_self_evaluations_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_set_id"],
            ["target_sets.id"],
            name=op.f("fk_self_evaluations_target_set_id_target_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_evaluations")),
    )
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_evaluations_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_self_evaluations_target_set_id"), ["target_set_id"], unique=False
        )


# The audit log is append-only in the database itself: no role, no route and no script can
# change or remove an entry (an UPDATE or DELETE is refused by a trigger).
APPEND_ONLY = {
    "sqlite": [
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
           FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
        """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
           FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    ],
}


def upgrade() -> None:
    _tables()
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table("self_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_evaluations_target_set_id"))
        batch_op.drop_index(batch_op.f("ix_self_evaluations_document_id"))

    op.drop_table("self_evaluations")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_target_set_id"))

    op.drop_table("indicators")
    with op.batch_alter_table("target_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_sets_table_id"))
        batch_op.drop_index(batch_op.f("ix_target_sets_document_id"))

    op.drop_table("target_sets")
    with op.batch_alter_table("budget_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_rows_table_id"))

    op.drop_table("budget_rows")
    with op.batch_alter_table("stated_amounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stated_amounts_document_id"))

    op.drop_table("stated_amounts")
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sections_document_id"))

    op.drop_table("sections")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_doc_severity")
        batch_op.drop_index(batch_op.f("ix_findings_code"))

    op.drop_table("findings")
    with op.batch_alter_table("doc_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doc_tables_document_id"))

    op.drop_table("doc_tables")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_state"))
        batch_op.drop_index(batch_op.f("ix_documents_org_id"))
        batch_op.drop_index("ix_documents_list")

    op.drop_table("documents")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tokens_user_id"))

    op.drop_table("tokens")
    op.drop_table("source_files")
    op.drop_table("jobs")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_object")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("users")
    with op.batch_alter_table("orgs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orgs_path"))
        batch_op.drop_index(batch_op.f("ix_orgs_name"))

    op.drop_table("orgs")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_key_at")

    op.drop_table("login_attempts")
    op.drop_table("fiscal_years")

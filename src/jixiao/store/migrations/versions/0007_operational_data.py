"""operational data (业务数据): sources with their column mapping, imports, records in typed slots
(keyed and, on SQLite, ordered by source and day), metrics, indicator bindings, values typed by
hand over bound ones

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import jixiao.store.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('op_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('mapping', jixiao.store.base.Json(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_op_sources_created_by_users')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_op_sources_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_op_sources')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_op_sources_org_id_name'))
    )
    with op.batch_alter_table('op_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_sources_org_id'), ['org_id'], unique=False)

    op.create_table('op_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('mapping', jixiao.store.base.Json(), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('imported_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['users.id'], name=op.f('fk_op_imports_imported_by_users')),
    sa.ForeignKeyConstraint(['source_id'], ['op_sources.id'], name=op.f('fk_op_imports_source_id_op_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_op_imports')),
    sa.UniqueConstraint('source_id', 'sha256', name=op.f('uq_op_imports_source_id_sha256'))
    )
    with op.batch_alter_table('op_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_imports_source_id'), ['source_id'], unique=False)

    op.create_table('op_metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', jixiao.store.base.Json(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_op_metrics_created_by_users')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_op_metrics_org_id_orgs')),
    sa.ForeignKeyConstraint(['source_id'], ['op_sources.id'], name=op.f('fk_op_metrics_source_id_op_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_op_metrics')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_op_metrics_org_id_name'))
    )
    with op.batch_alter_table('op_metrics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_metrics_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_op_metrics_source_id'), ['source_id'], unique=False)

    op.create_table('op_records',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('t1', sa.String(length=200), nullable=True),
    sa.Column('t2', sa.String(length=200), nullable=True),
    sa.Column('t3', sa.String(length=200), nullable=True),
    sa.Column('t4', sa.String(length=200), nullable=True),
    sa.Column('n1', sa.BigInteger(), nullable=True),
    sa.Column('n2', sa.BigInteger(), nullable=True),
    sa.Column('b1', sa.Boolean(), nullable=True),
    sa.Column('b2', sa.Boolean(), nullable=True),
    sa.Column('b3', sa.Boolean(), nullable=True),
    sa.Column('d1', sa.Date(), nullable=True),
    sa.Column('d2', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['op_imports.id'], name=op.f('fk_op_records_import_id_op_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_op_records_org_id_orgs')),
    sa.ForeignKeyConstraint(['source_id'], ['op_sources.id'], name=op.f('fk_op_records_source_id_op_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'day', 'import_id', 'line', name=op.f('pk_op_records')),
    sqlite_with_rowid=False
    )
    op.create_table('op_bindings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('scope_org_id', sa.Integer(), nullable=False),
    sa.Column('bound_by', sa.Integer(), nullable=True),
    sa.Column('bound_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bound_by'], ['users.id'], name=op.f('fk_op_bindings_bound_by_users')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_op_bindings_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metric_id'], ['op_metrics.id'], name=op.f('fk_op_bindings_metric_id_op_metrics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scope_org_id'], ['orgs.id'], name=op.f('fk_op_bindings_scope_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_op_bindings')),
    sa.UniqueConstraint('indicator_id', name=op.f('uq_op_bindings_indicator_id'))
    )
    with op.batch_alter_table('op_bindings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_bindings_metric_id'), ['metric_id'], unique=False)

    op.create_table('op_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('value', jixiao.store.base.Money(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('computed', jixiao.store.base.Money(), nullable=True),
    sa.Column('records', sa.Integer(), nullable=True),
    sa.Column('typed_by', sa.Integer(), nullable=True),
    sa.Column('typed_at', jixiao.store.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_op_overrides_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['typed_by'], ['users.id'], name=op.f('fk_op_overrides_typed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_op_overrides')),
    sa.UniqueConstraint('indicator_id', 'date_from', 'date_to', name=op.f('uq_op_overrides_indicator_id_date_from_date_to'))
    )
    with op.batch_alter_table('op_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_overrides_indicator_id'), ['indicator_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('op_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_op_overrides_indicator_id'))

    op.drop_table('op_overrides')
    with op.batch_alter_table('op_bindings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_op_bindings_metric_id'))

    op.drop_table('op_bindings')
    op.drop_table('op_records')
    with op.batch_alter_table('op_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_op_metrics_source_id'))
        batch_op.drop_index(batch_op.f('ix_op_metrics_org_id'))

    op.drop_table('op_metrics')
    with op.batch_alter_table('op_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_op_imports_source_id'))

    op.drop_table('op_imports')
    with op.batch_alter_table('op_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_op_sources_org_id'))

    op.drop_table('op_sources')

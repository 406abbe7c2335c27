"""Completeness declarations, look-alike bodies, arrangement activity starts, and where to verify a status:
an accreditation body's public directory and an arrangement's signatory list

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Only new tables and nullable columns: an existing registry keeps every fact and simply declares nothing complete.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('completeness_declarations',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('importer', sa.String(length=16), nullable=True),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('includes_members', sa.Boolean(), nullable=False),
    sa.Column('arrangement_code', sa.String(length=64), nullable=True),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('accreditation_body_code', sa.String(length=64), nullable=True),
    sa.Column('sector_code', sa.String(length=64), nullable=True),
    sa.Column('party', sa.String(length=16), nullable=True),
    sa.Column('acceptance_list', sa.String(length=64), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completeness_declarations'))
    )
    with op.batch_alter_table('completeness_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completeness_declarations_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_completeness_declarations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_completeness_declarations_retired_version'), ['retired_version'], unique=False)

    op.create_table('arrangement_activity_starts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('arrangement_code', sa.String(length=64), nullable=False),
    sa.Column('activity', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['arrangement_code'], ['arrangements.code'], name=op.f('fk_arrangement_activity_starts_arrangement_code_arrangements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangement_activity_starts'))
    )
    with op.batch_alter_table('arrangement_activity_starts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrangement_activity_starts_arrangement_code'), ['arrangement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_arrangement_activity_starts_retired_version'), ['retired_version'], unique=False)

    op.create_table('lookalike_bodies',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('economy_code', sa.String(length=2), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['economy_code'], ['economies.code'], name=op.f('fk_lookalike_bodies_economy_code_economies')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_lookalike_bodies'))
    )
    with op.batch_alter_table('lookalike_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lookalike_bodies_economy_code'), ['economy_code'], unique=False)

    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_url', sa.String(length=500), nullable=True))

    with op.batch_alter_table('arrangements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory_list_url', sa.String(length=500), nullable=True))



def downgrade() -> None:
    # What only these tables hold (declarations, look-alikes, activity starts, the two URLs) is dropped with them.
    with op.batch_alter_table('arrangements', schema=None) as batch_op:
        batch_op.drop_column('signatory_list_url')

    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.drop_column('directory_url')

    with op.batch_alter_table('lookalike_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lookalike_bodies_economy_code'))

    op.drop_table('lookalike_bodies')
    with op.batch_alter_table('arrangement_activity_starts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrangement_activity_starts_retired_version'))
        batch_op.drop_index(batch_op.f('ix_arrangement_activity_starts_arrangement_code'))

    op.drop_table('arrangement_activity_starts')
    with op.batch_alter_table('completeness_declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completeness_declarations_retired_version'))
        batch_op.drop_index(batch_op.f('ix_completeness_declarations_kind'))
        batch_op.drop_index(batch_op.f('ix_completeness_declarations_code'))

    op.drop_table('completeness_declarations')

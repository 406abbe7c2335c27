"""Policy model v2 (issue 12): a policy's origins, its requirements after the first, calendar-month ages, border
checks and legal source; regulatory authorities' competences; importers' acceptance lists and their entries

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10

Storage shape. The existing policy columns stay the policy's *first* requirement (required_type, required_tests,
routes, max_age_days, lot_match, plus the new max_age_months), so every stored policy reads exactly as before and
a one-requirement policy needs nothing else. The requirements after the first are one JSON column,
``additional_requirements``, a list of objects in the registry document's requirement shape (type,
requiredTests, routes, maxAgeDays, maxAgeMonths, lotMatch), rather than a child table ``policy_requirements``:
a policy version is written and retired whole (an amendment retires the row and records a new one), its
requirements are always read with it and never queried on their own, and ``routes`` is already JSON on the same
row. A child table would add a join and a retire cascade for nothing a query needs. Border checks and the legal
source are at most one each per policy, so they are plain nullable columns.

Competences and acceptance-list entries are dated facts (retired, never deleted) in tables of their own, because
they have histories of their own and the engine and the API read them per CAB and per list. An entry's scope
items are JSON on the entry row: they are replaced with the entry and never searched on their own (an
accreditation's scope, which browsing filters by identifier, keeps its own table).

Only new tables and nullable or defaulted columns: an existing registry keeps every fact, its policies have no
origins and one requirement, and it holds no competence and no list.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('acceptance_lists',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=16), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_acceptance_lists'))
    )
    with op.batch_alter_table('acceptance_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_lists_owner'), ['owner'], unique=False)

    op.create_table('acceptance_list_entries',
    sa.Column('list_code', sa.String(length=64), nullable=False),
    sa.Column('cab_code', sa.String(length=64), nullable=False),
    sa.Column('activity', sa.String(length=40), nullable=True),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cab_code'], ['cabs.code'], name=op.f('fk_acceptance_list_entries_cab_code_cabs')),
    sa.ForeignKeyConstraint(['list_code'], ['acceptance_lists.code'], name=op.f('fk_acceptance_list_entries_list_code_acceptance_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_list_entries'))
    )
    with op.batch_alter_table('acceptance_list_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_list_entries_cab_code'), ['cab_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_acceptance_list_entries_list_code'), ['list_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_acceptance_list_entries_retired_version'), ['retired_version'], unique=False)

    op.create_table('competences',
    sa.Column('cab_code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cab_code'], ['cabs.code'], name=op.f('fk_competences_cab_code_cabs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competences'))
    )
    with op.batch_alter_table('competences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competences_cab_code'), ['cab_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_competences_retired_version'), ['retired_version'], unique=False)

    with op.batch_alter_table('import_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_age_months', sa.Integer(), nullable=True))
        # existing rows: no requirement after the first, no origins (the defaults say so; new rows set both)
        batch_op.add_column(sa.Column('additional_requirements', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('origins', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('border_checks_percent', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('border_checks_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('legal_instrument', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('legal_reference', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('legal_url', sa.String(length=500), nullable=True))


def downgrade() -> None:
    # What only these columns and tables hold (origins, later requirements, month ages, border checks, legal
    # sources, competences, acceptance lists) is dropped with them; a policy keeps its first requirement.
    with op.batch_alter_table('import_policies', schema=None) as batch_op:
        batch_op.drop_column('legal_url')
        batch_op.drop_column('legal_reference')
        batch_op.drop_column('legal_instrument')
        batch_op.drop_column('border_checks_note')
        batch_op.drop_column('border_checks_percent')
        batch_op.drop_column('origins')
        batch_op.drop_column('additional_requirements')
        batch_op.drop_column('max_age_months')

    with op.batch_alter_table('competences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competences_retired_version'))
        batch_op.drop_index(batch_op.f('ix_competences_cab_code'))

    op.drop_table('competences')
    with op.batch_alter_table('acceptance_list_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_list_entries_retired_version'))
        batch_op.drop_index(batch_op.f('ix_acceptance_list_entries_list_code'))
        batch_op.drop_index(batch_op.f('ix_acceptance_list_entries_cab_code'))

    op.drop_table('acceptance_list_entries')
    with op.batch_alter_table('acceptance_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_lists_owner'))

    op.drop_table('acceptance_lists')

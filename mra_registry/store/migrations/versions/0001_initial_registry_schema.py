"""initial registry schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25

The economies table is seeded from pycountry (ISO 3166-1); the registry starts at version 0.
"""
from alembic import op
import sqlalchemy as sa

from mra_registry.domain.economies import country_names


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('arrangements',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('superseded_by', sa.String(length=64), nullable=True),
    sa.Column('superseded_on', sa.Date(), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=True),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_arrangements'))
    )
    op.create_table('economies',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_economies'))
    )
    op.create_table('import_policies',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('importer', sa.String(length=16), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('required_type', sa.String(length=32), nullable=False),
    sa.Column('required_tests', sa.JSON(), nullable=False),
    sa.Column('routes', sa.JSON(), nullable=False),
    sa.Column('max_age_days', sa.Integer(), nullable=True),
    sa.Column('lot_match', sa.Boolean(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_policies'))
    )
    with op.batch_alter_table('import_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_policies_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_policies_importer'), ['importer'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_policies_retired_version'), ['retired_version'], unique=False)

    op.create_table('registry_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_state'))
    )
    op.create_table('registry_versions',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_registry_versions'))
    )
    op.create_table('unions',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_unions'))
    )
    op.create_table('accreditation_bodies',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('economy_code', sa.String(length=2), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['economy_code'], ['economies.code'], name=op.f('fk_accreditation_bodies_economy_code_economies')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_accreditation_bodies'))
    )
    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accreditation_bodies_economy_code'), ['economy_code'], unique=False)

    op.create_table('cabs',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('economy_code', sa.String(length=2), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['economy_code'], ['economies.code'], name=op.f('fk_cabs_economy_code_economies')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_cabs'))
    )
    with op.batch_alter_table('cabs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cabs_economy_code'), ['economy_code'], unique=False)

    op.create_table('change_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('entity_code', sa.String(length=200), nullable=False),
    sa.Column('facet', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['version'], ['registry_versions.version'], name=op.f('fk_change_records_version_registry_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_records'))
    )
    with op.batch_alter_table('change_records', schema=None) as batch_op:
        batch_op.create_index('ix_change_records_entity', ['entity_type', 'entity_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_records_version'), ['version'], unique=False)

    op.create_table('sectors',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('arrangement_code', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('attestation_types', sa.JSON(), nullable=False),
    sa.Column('termination', sa.JSON(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['arrangement_code'], ['arrangements.code'], name=op.f('fk_sectors_arrangement_code_arrangements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sectors'))
    )
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sectors_arrangement_code'), ['arrangement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_sectors_retired_version'), ['retired_version'], unique=False)

    op.create_table('union_memberships',
    sa.Column('union_code', sa.String(length=16), nullable=False),
    sa.Column('economy_code', sa.String(length=2), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['economy_code'], ['economies.code'], name=op.f('fk_union_memberships_economy_code_economies')),
    sa.ForeignKeyConstraint(['union_code'], ['unions.code'], name=op.f('fk_union_memberships_union_code_unions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_union_memberships'))
    )
    with op.batch_alter_table('union_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_union_memberships_economy_code'), ['economy_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_memberships_retired_version'), ['retired_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_memberships_union_code'), ['union_code'], unique=False)

    op.create_table('accreditations',
    sa.Column('cab_code', sa.String(length=64), nullable=False),
    sa.Column('accreditation_body_code', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('activity', sa.String(length=40), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('suspensions', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['accreditation_body_code'], ['accreditation_bodies.code'], name=op.f('fk_accreditations_accreditation_body_code_accreditation_bodies')),
    sa.ForeignKeyConstraint(['cab_code'], ['cabs.code'], name=op.f('fk_accreditations_cab_code_cabs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accreditations'))
    )
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accreditations_accreditation_body_code'), ['accreditation_body_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_accreditations_cab_code'), ['cab_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_accreditations_retired_version'), ['retired_version'], unique=False)

    op.create_table('designations',
    sa.Column('cab_code', sa.String(length=64), nullable=False),
    sa.Column('arrangement_code', sa.String(length=64), nullable=False),
    sa.Column('sector_code', sa.String(length=64), nullable=False),
    sa.Column('for_party', sa.String(length=16), nullable=False),
    sa.Column('attestation_types', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['arrangement_code'], ['arrangements.code'], name=op.f('fk_designations_arrangement_code_arrangements')),
    sa.ForeignKeyConstraint(['cab_code'], ['cabs.code'], name=op.f('fk_designations_cab_code_cabs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designations'))
    )
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designations_arrangement_code'), ['arrangement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_designations_cab_code'), ['cab_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_designations_retired_version'), ['retired_version'], unique=False)

    op.create_table('sector_operations',
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('party_a', sa.String(length=16), nullable=False),
    sa.Column('party_b', sa.String(length=16), nullable=False),
    sa.Column('attestation_type', sa.String(length=32), nullable=False),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_sector_operations_sector_id_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sector_operations'))
    )
    with op.batch_alter_table('sector_operations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sector_operations_retired_version'), ['retired_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_sector_operations_sector_id'), ['sector_id'], unique=False)

    op.create_table('signatory_statuses',
    sa.Column('accreditation_body_code', sa.String(length=64), nullable=False),
    sa.Column('arrangement_code', sa.String(length=64), nullable=False),
    sa.Column('activity', sa.String(length=40), nullable=True),
    sa.Column('standard', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reported_since', sa.String(length=16), nullable=True),
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('recorded_version', sa.Integer(), nullable=False),
    sa.Column('retired_version', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.String(length=16), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['accreditation_body_code'], ['accreditation_bodies.code'], name=op.f('fk_signatory_statuses_accreditation_body_code_accreditation_bodies')),
    sa.ForeignKeyConstraint(['arrangement_code'], ['arrangements.code'], name=op.f('fk_signatory_statuses_arrangement_code_arrangements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory_statuses'))
    )
    with op.batch_alter_table('signatory_statuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatory_statuses_accreditation_body_code'), ['accreditation_body_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_signatory_statuses_arrangement_code'), ['arrangement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_signatory_statuses_retired_version'), ['retired_version'], unique=False)

    op.create_table('scope_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('accreditation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=200), nullable=False),
    sa.Column('hs_prefixes', sa.JSON(), nullable=False),
    sa.Column('excluded_hs_prefixes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['accreditation_id'], ['accreditations.id'], name=op.f('fk_scope_items_accreditation_id_accreditations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scope_items'))
    )
    with op.batch_alter_table('scope_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_items_accreditation_id'), ['accreditation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_items_identifier'), ['identifier'], unique=False)

    economies = sa.table("economies", sa.column("code", sa.String), sa.column("name", sa.String))
    op.bulk_insert(economies, [{"code": code, "name": name} for code, name in sorted(country_names().items())])
    state = sa.table("registry_state", sa.column("id", sa.Integer), sa.column("version", sa.Integer))
    op.bulk_insert(state, [{"id": 1, "version": 0}])


def downgrade() -> None:
    with op.batch_alter_table('scope_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_items_identifier'))
        batch_op.drop_index(batch_op.f('ix_scope_items_accreditation_id'))

    op.drop_table('scope_items')
    with op.batch_alter_table('signatory_statuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatory_statuses_retired_version'))
        batch_op.drop_index(batch_op.f('ix_signatory_statuses_arrangement_code'))
        batch_op.drop_index(batch_op.f('ix_signatory_statuses_accreditation_body_code'))

    op.drop_table('signatory_statuses')
    with op.batch_alter_table('sector_operations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sector_operations_sector_id'))
        batch_op.drop_index(batch_op.f('ix_sector_operations_retired_version'))

    op.drop_table('sector_operations')
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designations_retired_version'))
        batch_op.drop_index(batch_op.f('ix_designations_cab_code'))
        batch_op.drop_index(batch_op.f('ix_designations_arrangement_code'))

    op.drop_table('designations')
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accreditations_retired_version'))
        batch_op.drop_index(batch_op.f('ix_accreditations_cab_code'))
        batch_op.drop_index(batch_op.f('ix_accreditations_accreditation_body_code'))

    op.drop_table('accreditations')
    with op.batch_alter_table('union_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_union_memberships_union_code'))
        batch_op.drop_index(batch_op.f('ix_union_memberships_retired_version'))
        batch_op.drop_index(batch_op.f('ix_union_memberships_economy_code'))

    op.drop_table('union_memberships')
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sectors_retired_version'))
        batch_op.drop_index(batch_op.f('ix_sectors_arrangement_code'))

    op.drop_table('sectors')
    with op.batch_alter_table('change_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_records_version'))
        batch_op.drop_index('ix_change_records_entity')

    op.drop_table('change_records')
    with op.batch_alter_table('cabs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cabs_economy_code'))

    op.drop_table('cabs')
    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accreditation_bodies_economy_code'))

    op.drop_table('accreditation_bodies')
    op.drop_table('unions')
    op.drop_table('registry_versions')
    op.drop_table('registry_state')
    with op.batch_alter_table('import_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_policies_retired_version'))
        batch_op.drop_index(batch_op.f('ix_import_policies_importer'))
        batch_op.drop_index(batch_op.f('ix_import_policies_code'))

    op.drop_table('import_policies')
    op.drop_table('economies')
    op.drop_table('arrangements')

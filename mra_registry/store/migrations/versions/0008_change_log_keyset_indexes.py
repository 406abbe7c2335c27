"""The change log's indexes follow the feed's order (issue 11: history reads stay fast at 100,000 change records)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

The change feed pages by position, the row value (version, id), never by OFFSET. Each read is one range on one
index when the index holds that order behind the read's filter:

- ``ix_change_records_position`` (version, id): the whole log, ``since:`` a version, a cursor anywhere in it, and
  time travel's read of the changes after a version; it replaces ``ix_change_records_version`` (version);
- ``ix_change_records_type_position`` (entity_type, version, id): the feed of one kind of entity;
- ``ix_change_records_entity_position`` (entity_code, entity_type, version, id): one entity's history (and a
  feed filtered by a code alone, by its prefix); it replaces ``ix_change_records_entity`` (entity_type,
  entity_code), whose reads it serves as well.

Indexes only: no row changes. On PostgreSQL the build holds writes to change_records while it runs (a second or
so per 100,000 records).
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change_records", schema=None) as batch_op:
        batch_op.create_index("ix_change_records_position", ["version", "id"], unique=False)
        batch_op.create_index("ix_change_records_type_position", ["entity_type", "version", "id"], unique=False)
        batch_op.create_index("ix_change_records_entity_position", ["entity_code", "entity_type", "version", "id"],
                              unique=False)
        batch_op.drop_index("ix_change_records_version")
        batch_op.drop_index("ix_change_records_entity")


def downgrade() -> None:
    with op.batch_alter_table("change_records", schema=None) as batch_op:
        batch_op.create_index("ix_change_records_entity", ["entity_type", "entity_code"], unique=False)
        batch_op.create_index("ix_change_records_version", ["version"], unique=False)
        batch_op.drop_index("ix_change_records_entity_position")
        batch_op.drop_index("ix_change_records_type_position")
        batch_op.drop_index("ix_change_records_position")

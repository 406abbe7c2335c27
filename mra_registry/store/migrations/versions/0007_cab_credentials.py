"""CAB credentials (issue 14): a CAB's identifier (the issuer its signed credentials name), its dated public
verification keys and the W3C Bitstring Status Lists it publishes, as the registry holds them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-15

Keys and status lists are dated facts (retired, never deleted) in tables of their own, read per CAB: a key's
history key is its key id (a rotation is a new key id; a revocation retires the row and records it with
``revoked_on``); a status list's is its URL and purpose, and each upload or fetch replaces the copy held, so the
registry can say which copy an old decision was made on. Only a nullable column and new tables: an existing
registry keeps every fact, and its CABs hold no identifier, key or list.
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _dated_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("recorded_version", sa.Integer(), nullable=False),
        sa.Column("retired_version", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.String(length=16), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("cabs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identifier", sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f("ix_cabs_identifier"), ["identifier"], unique=False)

    op.create_table(
        "cab_verification_keys",
        sa.Column("cab_code", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=500), nullable=False),
        sa.Column("jwk", sa.JSON(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        *_dated_columns(),
        sa.ForeignKeyConstraint(["cab_code"], ["cabs.code"], name=op.f("fk_cab_verification_keys_cab_code_cabs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cab_verification_keys")),
    )
    with op.batch_alter_table("cab_verification_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cab_verification_keys_cab_code"), ["cab_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cab_verification_keys_retired_version"), ["retired_version"],
                              unique=False)

    op.create_table(
        "cab_status_lists",
        sa.Column("cab_code", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("encoded_list", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        *_dated_columns(),
        sa.ForeignKeyConstraint(["cab_code"], ["cabs.code"], name=op.f("fk_cab_status_lists_cab_code_cabs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cab_status_lists")),
    )
    with op.batch_alter_table("cab_status_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cab_status_lists_cab_code"), ["cab_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cab_status_lists_retired_version"), ["retired_version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cab_status_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cab_status_lists_retired_version"))
        batch_op.drop_index(batch_op.f("ix_cab_status_lists_cab_code"))
    op.drop_table("cab_status_lists")
    with op.batch_alter_table("cab_verification_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cab_verification_keys_retired_version"))
        batch_op.drop_index(batch_op.f("ix_cab_verification_keys_cab_code"))
    op.drop_table("cab_verification_keys")
    with op.batch_alter_table("cabs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cabs_identifier"))
        batch_op.drop_column("identifier")

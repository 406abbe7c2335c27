"""Decision receipts (issue 14): every decision recorded through ``clearanceRecord``, kept so that it can be
shown again, re-decided at its registry version and checked against the signature the service gave

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14

One row per receipt, written once and never changed. ``input_json`` is the clearance input in its RFC 8785
canonical form (the bytes whose SHA-256 is ``input_sha256``), ``decision_json`` the decision as the API returned
it, ``jws`` the compact JWS the caller received (its payload holds both, the registry version, the time and the
receipt id, so the row can be verified on its own). ``token_id`` names the API token that asked (its public id,
never the secret). A receipt is not registry data: recording one does not bump the registry version.
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_receipts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("registry_version", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("input_json", sa.Text(), nullable=False),
        sa.Column("decision_json", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=128), nullable=False),
        sa.Column("jws", sa.Text(), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_receipts")),
    )
    op.create_index(op.f("ix_decision_receipts_input_sha256"), "decision_receipts", ["input_sha256"], unique=False)
    op.create_index(op.f("ix_decision_receipts_registry_version"), "decision_receipts", ["registry_version"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_decision_receipts_registry_version"), table_name="decision_receipts")
    op.drop_index(op.f("ix_decision_receipts_input_sha256"), table_name="decision_receipts")
    op.drop_table("decision_receipts")

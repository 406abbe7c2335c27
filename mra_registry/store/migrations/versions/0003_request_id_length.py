"""Request ids as long as the HTTP layer accepts (128 characters), so the change log keeps them whole

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_versions") as batch:
        batch.alter_column("request_id", existing_type=sa.String(length=64), type_=sa.String(length=128),
                           existing_nullable=True)


def downgrade() -> None:
    # Ids longer than 64 characters are cut, as the service did before this revision.
    op.execute("UPDATE registry_versions SET request_id = substr(request_id, 1, 64) WHERE length(request_id) > 64")
    with op.batch_alter_table("registry_versions") as batch:
        batch.alter_column("request_id", existing_type=sa.String(length=128), type_=sa.String(length=64),
                           existing_nullable=True)

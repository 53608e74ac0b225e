"""posts.preview_fingerprint: publishing sends exactly what was previewed

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(
            sa.Column(
                "preview_fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("preview_fingerprint")

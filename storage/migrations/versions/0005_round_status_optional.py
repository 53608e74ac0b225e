"""a round's status is optional: a development is never given one it was not given

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS = sqlmodel.sql.sqltypes.AutoString(length=16)


def upgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=STATUS, nullable=True)
    # Statements-only updates of a round were their own kind; they are round updates now.
    op.execute(sa.text("UPDATE posts SET kind = 'round_update' WHERE kind = 'statement'"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE rounds SET status = 'scheduled' WHERE status IS NULL"))
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=STATUS, nullable=False)

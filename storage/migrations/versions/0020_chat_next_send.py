"""chat next send: the earliest time, on the database's clock, a chat may be sent its next alert

Revision ID: 0020
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "chats", sa.Column("next_send_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )
    op.create_index("ix_chats_next_send_at", "chats", ["next_send_at"])


def downgrade() -> None:
    op.drop_index("ix_chats_next_send_at", table_name="chats")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("next_send_at")

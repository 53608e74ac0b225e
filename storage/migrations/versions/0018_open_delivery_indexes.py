"""open delivery indexes: the queue's probes read only open rows, whatever the table's age

Revision ID: 0018
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("state = 'pending'")
LEASED = sa.text("state = 'leased'")
OPEN = sa.text("state IN ('pending', 'leased')")


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_pending_due",
        "deliveries",
        ["next_attempt_at"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    op.create_index(
        "ix_deliveries_lease_expiry",
        "deliveries",
        ["lease_expires_at"],
        postgresql_where=LEASED,
        sqlite_where=LEASED,
    )
    op.create_index(
        "ix_deliveries_open_chat",
        "deliveries",
        ["chat_id", "id"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_open_chat", table_name="deliveries")
    op.drop_index("ix_deliveries_lease_expiry", table_name="deliveries")
    op.drop_index("ix_deliveries_pending_due", table_name="deliveries")

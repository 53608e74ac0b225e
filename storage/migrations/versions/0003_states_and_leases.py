"""every state a checked enumeration; deliveries get leases, retry windows and per-part progress

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECKS = {
    ("deliveries", "state"): ("pending", "leased", "sent", "failed", "skipped"),
    ("posts", "state"): ("draft", "published", "cancelled"),
    ("rounds", "status"): ("scheduled", "ongoing", "concluded", "collapsed", "postponed"),
    ("topic_parties", "role"): ("negotiating", "mediator", "host", "observer"),
    ("round_parties", "role"): ("negotiating", "mediator", "host", "observer"),
    ("delegation_members", "role"): ("head", "member", "spokesperson"),
    ("statements", "kind"): ("demand", "position", "claim", "announcement"),
    ("chats", "type"): ("private", "group", "supergroup", "channel"),
}


def upgrade() -> None:
    # A claim without a lease cannot be renewed or settled safely: it goes back to the queue.
    op.execute("UPDATE deliveries SET state = 'pending' WHERE state = 'sending'")
    with op.batch_alter_table("deliveries") as table:
        table.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))
        table.add_column(
            sa.Column("lease_expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        table.add_column(
            sa.Column("retrying_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        table.add_column(sa.Column("parts_sent", sa.JSON(), nullable=True))
        table.drop_column("claimed_at")
    for (name, column), values in CHECKS.items():
        listed = ", ".join(f"'{value}'" for value in values)
        with op.batch_alter_table(name) as table:
            table.create_check_constraint(f"ck_{name}_{column}", f"{column} IN ({listed})")


def downgrade() -> None:
    for name, column in CHECKS:
        with op.batch_alter_table(name) as table:
            table.drop_constraint(f"ck_{name}_{column}", type_="check")
    op.execute("UPDATE deliveries SET state = 'pending' WHERE state = 'leased'")
    with op.batch_alter_table("deliveries") as table:
        table.add_column(
            sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        table.drop_column("parts_sent")
        table.drop_column("retrying_since")
        table.drop_column("lease_expires_at")
        table.drop_column("lease_token")

"""reader settings, quiet hours and digests: chat_settings, topic_modes, digests, digest_entries;
a delivery carries a post or a digest; forum threads of subscriptions and deliveries

Revision ID: 0010
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODES = "mode IN ('instant', 'digest')"


def upgrade() -> None:
    op.create_table(
        "chat_settings",
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("digest_weekday", sa.Integer(), nullable=True),
        sa.Column("quiet_start", sa.Integer(), nullable=True),
        sa.Column("quiet_end", sa.Integer(), nullable=True),
        sa.Column("silent", sa.Boolean(), nullable=False),
        sa.CheckConstraint(MODES, name="ck_chat_settings_mode"),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("rendered", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "period"),
    )
    op.create_table(
        "topic_modes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.CheckConstraint(MODES, name="ck_topic_modes_mode"),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "topic_id"),
    )
    op.create_table(
        "digest_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"]),
        sa.ForeignKeyConstraint(["digest_id"], ["digests.id"]),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "post_id"),
    )
    with op.batch_alter_table("digest_entries") as table:
        table.create_index("ix_digest_entries_chat_id", ["chat_id"], unique=False)
        table.create_index("ix_digest_entries_digest_id", ["digest_id"], unique=False)
    with op.batch_alter_table("subscriptions") as table:
        table.add_column(sa.Column("message_thread_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("deliveries") as table:
        table.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        table.add_column(sa.Column("message_thread_id", sa.BigInteger(), nullable=True))
        table.alter_column("post_id", existing_type=sa.Integer(), nullable=True)
        table.create_unique_constraint("uq_deliveries_digest_id", ["digest_id"])
        table.create_foreign_key("fk_deliveries_digest_id", "digests", ["digest_id"], ["id"])


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE post_id IS NULL")
    with op.batch_alter_table("deliveries") as table:
        table.drop_constraint("fk_deliveries_digest_id", type_="foreignkey")
        table.drop_constraint("uq_deliveries_digest_id", type_="unique")
        table.alter_column("post_id", existing_type=sa.Integer(), nullable=False)
        table.drop_column("digest_id")
        table.drop_column("message_thread_id")
    with op.batch_alter_table("subscriptions") as table:
        table.drop_column("message_thread_id")
    op.drop_table("digest_entries")
    op.drop_table("topic_modes")
    op.drop_table("digests")
    op.drop_table("chat_settings")

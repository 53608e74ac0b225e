"""import and export, admins limited to topics, audit by topic: rounds.summary,
admin_topics, known_names, audit_log.topic_slug

Revision ID: 0013
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=True))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("topic_slug", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_audit_log_topic_slug"), ["topic_slug"], unique=False)
    op.create_table(
        "admin_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "topic_id"),
    )
    with op.batch_alter_table("admin_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_topics_user_id"), ["user_id"], unique=False)
    op.create_table(
        "known_names",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("known_names")
    with op.batch_alter_table("admin_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_topics_user_id"))
    op.drop_table("admin_topics")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_topic_slug"))
        batch_op.drop_column("topic_slug")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_column("summary")

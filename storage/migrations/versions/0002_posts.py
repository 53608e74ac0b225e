"""the model Update becomes Post: table posts, deliveries.post_id

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_updates_topic_id", table_name="updates")
    op.rename_table("updates", "posts")
    op.create_index("ix_posts_topic_id", "posts", ["topic_id"], unique=False)
    op.alter_column("deliveries", "update_id", new_column_name="post_id")


def downgrade() -> None:
    op.alter_column("deliveries", "post_id", new_column_name="update_id")
    op.drop_index("ix_posts_topic_id", table_name="posts")
    op.rename_table("posts", "updates")
    op.create_index("ix_updates_topic_id", "updates", ["topic_id"], unique=False)

"""article_drafts: cards drafted from pasted or forwarded articles

Revision ID: 0006
Revises: 0005 (to be 0005 once the migrations written beside this one land)
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("card_text", sa.Text(), nullable=False),
        sa.Column("topic_slug", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("candidate_slugs", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("article_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_drafts_author_id"), ["author_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("article_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_drafts_author_id"))
    op.drop_table("article_drafts")

"""wizard_drafts: posts being written with the step-by-step /post wizard

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STEPS = (
    "topic", "kind", "round", "title", "date", "place", "status", "mediators", "parties",
    "statements", "outcome", "source", "summary",
)  # fmt: skip
STATES = ("answering", "set_aside", "previewed", "discarded")


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"ck_wizard_drafts_{column}")


def upgrade() -> None:
    op.create_table(
        "wizard_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_slug", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("offers", sa.JSON(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"]),
        sa.PrimaryKeyConstraint("id"),
        _one_of("step", STEPS),
        _one_of("state", STATES),
    )
    with op.batch_alter_table("wizard_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wizard_drafts_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "uq_wizard_drafts_answering",
            ["author_id"],
            unique=True,
            sqlite_where=sa.text("state = 'answering'"),
            postgresql_where=sa.text("state = 'answering'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("wizard_drafts", schema=None) as batch_op:
        batch_op.drop_index("uq_wizard_drafts_answering")
        batch_op.drop_index(batch_op.f("ix_wizard_drafts_author_id"))
    op.drop_table("wizard_drafts")

"""languages: the language a chat chose in /settings, the Persian rendering of each post, and
`chats.language` holding the language Telegram reported ('en' or 'fa') instead of its raw code

Revision ID: 0014
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_settings") as batch:
        batch.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch.create_check_constraint("ck_chat_settings_language", "language IN ('en', 'fa')")
    op.add_column("posts", sa.Column("rendered_fa", sa.Text(), nullable=True))
    op.execute(
        "UPDATE chats SET language = CASE WHEN lower(language) IN ('fa', 'prs') "
        "OR lower(language) LIKE 'fa-%' OR lower(language) LIKE 'prs-%' THEN 'fa' ELSE 'en' END "
        "WHERE language IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("posts", "rendered_fa")
    with op.batch_alter_table("chat_settings") as batch:
        batch.drop_constraint("ck_chat_settings_language", type_="check")
        batch.drop_column("language")

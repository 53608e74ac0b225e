"""calendar: the calendar a chat reads its dates in, each post rendered in the Solar Hijri
calendar for English and for Persian chats, and the language and calendar a delivery's text was
chosen in at its first claim

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_settings") as batch:
        batch.add_column(
            sa.Column(
                "calendar",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="gregorian",
            )
        )
        batch.create_check_constraint(
            "ck_chat_settings_calendar", "calendar IN ('gregorian', 'solar_hijri')"
        )
    op.add_column("posts", sa.Column("rendered_solar_hijri", sa.Text(), nullable=True))
    op.add_column("posts", sa.Column("rendered_fa_solar_hijri", sa.Text(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch.add_column(
            sa.Column("calendar", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch.create_check_constraint("ck_deliveries_language", "language IN ('en', 'fa')")
        batch.create_check_constraint(
            "ck_deliveries_calendar", "calendar IN ('gregorian', 'solar_hijri')"
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("ck_deliveries_calendar", type_="check")
        batch.drop_constraint("ck_deliveries_language", type_="check")
        batch.drop_column("calendar")
        batch.drop_column("language")
    op.drop_column("posts", "rendered_fa_solar_hijri")
    op.drop_column("posts", "rendered_solar_hijri")
    with op.batch_alter_table("chat_settings") as batch:
        batch.drop_constraint("ck_chat_settings_calendar", type_="check")
        batch.drop_column("calendar")

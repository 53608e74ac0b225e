"""/audit: what admins did, newest first, ten entries a page, with Older and Newer buttons."""

from __future__ import annotations

import html
from datetime import UTC

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from storage.audit import audit_page
from storage.database import Database
from storage.known_names import names_of
from storage.models import AuditLog, KnownName

PAGE_SIZE = 10
LONGEST_DETAIL = 160  # ten entries stay one message, which the buttons can edit in place
AUDIT_BUTTON_PATTERN = r"^aud:[on]:[0-9]{1,18}:[a-z0-9-]{0,32}$"


async def audit_message(
    database: Database,
    topic: str | None,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    async with database.session() as session:
        page = await audit_page(
            session, topic, PAGE_SIZE, older_than=older_than, newer_than=newer_than
        )
        names = await names_of(session, sorted({entry.user_id for entry in page.entries}))
    scope = f" for <code>{html.escape(topic)}</code>" if topic else ""
    if not page.entries:
        return f"📒 The audit log has no entries{scope}.", None
    lines = [_line(entry, names.get(entry.user_id)) for entry in page.entries]
    text = f"📒 <b>Audit log</b>{scope}, newest first\n" + "\n".join(lines)
    buttons = []
    slug = topic or ""
    if page.has_newer:
        buttons.append(
            InlineKeyboardButton("⬅️ Newer", callback_data=f"aud:n:{page.entries[0].id}:{slug}")
        )
    if page.has_older:
        buttons.append(
            InlineKeyboardButton("Older ➡️", callback_data=f"aud:o:{page.entries[-1].id}:{slug}")
        )
    return text, InlineKeyboardMarkup([buttons]) if buttons else None


def _line(entry: AuditLog, known: KnownName | None) -> str:
    at = entry.at if entry.at.tzinfo is not None else entry.at.replace(tzinfo=UTC)
    who = f"{html.escape(known.first_name)} ({entry.user_id})" if known else str(entry.user_id)
    if entry.user_id == 0:
        who = "command line"
    refused = " ⛔ refused" if not entry.allowed else ""
    text = entry.detail or ""
    if len(text) > LONGEST_DETAIL:
        text = text[: LONGEST_DETAIL - 1] + "…"
    detail = f" · {html.escape(text)}" if text else ""
    return (
        f"<code>{at.astimezone(UTC):%Y-%m-%d %H:%M}</code> {who} · "
        f"<b>{html.escape(entry.action)}</b>{detail}{refused}"
    )

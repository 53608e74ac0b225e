"""/audit: what admins did, newest first, ten entries a page, with Older and Newer buttons.
An entry's action and detail are the stored record, shown as written (isolated in Persian);
the times are UTC in the owner's digits."""

from __future__ import annotations

import html
from datetime import UTC

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.reading.language import Translator
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
    t: Translator,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    async with database.session() as session:
        page = await audit_page(
            session, topic, PAGE_SIZE, older_than=older_than, newer_than=newer_than
        )
        names = await names_of(session, sorted({entry.user_id for entry in page.entries}))
    slug = t.isolate(f"<code>{html.escape(topic)}</code>") if topic else ""
    if not page.entries:
        empty = (
            t._("📒 The audit log has no entries for {slug}.").format(slug=slug)
            if topic
            else t._("📒 The audit log has no entries.")
        )
        return t.directed(empty), None
    heading = (
        t._("📒 <b>Audit log</b> for {slug}, newest first").format(slug=slug)
        if topic
        else t._("📒 <b>Audit log</b>, newest first")
    )
    lines = [_line(entry, names.get(entry.user_id), t) for entry in page.entries]
    text = t.directed(heading + "\n" + "\n".join(lines))
    buttons = []
    mark = topic or ""
    if page.has_newer:
        buttons.append(
            InlineKeyboardButton(t._("⬅️ Newer"), callback_data=f"aud:n:{page.entries[0].id}:{mark}")
        )
    if page.has_older:
        buttons.append(
            InlineKeyboardButton(
                t._("Older ➡️"), callback_data=f"aud:o:{page.entries[-1].id}:{mark}"
            )
        )
    return text, InlineKeyboardMarkup([buttons]) if buttons else None


def _line(entry: AuditLog, known: KnownName | None, t: Translator) -> str:
    at = entry.at if entry.at.tzinfo is not None else entry.at.replace(tzinfo=UTC)
    user_id = t.isolate(str(entry.user_id))
    who = f"{t.isolate(html.escape(known.first_name))} ({user_id})" if known else user_id
    if entry.user_id == 0:
        who = t._("command line")
    refused = " ⛔ " + t._("refused") if not entry.allowed else ""
    text = entry.detail or ""
    if len(text) > LONGEST_DETAIL:
        text = text[: LONGEST_DETAIL - 1] + "…"
    detail = f" · {t.isolate(html.escape(text))}" if text else ""
    when = t.isolate(f"<code>{t.digits(f'{at.astimezone(UTC):%Y-%m-%d %H:%M}')}</code>")
    action = t.isolate(f"<b>{html.escape(entry.action)}</b>")
    return f"{when} {who} · {action}{detail}{refused}"

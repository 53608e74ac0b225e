"""What an admin reads after uploading a topic document."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.exchange.importing import Imported

MOST_PROBLEMS_SHOWN = 40


def problems_text(filename: str, problems: list[str]) -> str:
    count = len(problems)
    lines = [f"• {html.escape(problem)}" for problem in problems[:MOST_PROBLEMS_SHOWN]]
    if count > MOST_PROBLEMS_SHOWN:
        lines.append(f"… and {count - MOST_PROBLEMS_SHOWN} more")
    noun = "problem" if count == 1 else "problems"
    return (
        f"⚠️ <code>{html.escape(filename)}</code> has {count} {noun}, so nothing was stored:\n"
        + "\n".join(lines)
    )


def imported_text(imported: Imported) -> tuple[str, InlineKeyboardMarkup]:
    what = "Created" if imported.created else "Updated"
    text = (
        f"✅ {what} <code>{imported.slug}</code>: {imported.rounds_created} rounds added, "
        f"{imported.rounds_updated} replaced. Nothing was published; press Publish to send the "
        "latest round to subscribers."
    )
    button = InlineKeyboardButton(
        "📣 Publish latest round", callback_data=f"ximp:{imported.topic_id}"
    )
    return text, InlineKeyboardMarkup([[button]])

"""What an admin reads after uploading a topic document.

The problems found in a document name its fields and paths (`rounds[2].dates.start`) the way
the file writes them; they are technical and shown as they are, each kept from reordering a
Persian sentence around it."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.exchange.importing import Imported
from bot.reading.language import ENGLISH, Translator

MOST_PROBLEMS_SHOWN = 40


def problems_text(filename: str, problems: list[str], t: Translator = ENGLISH) -> str:
    count = len(problems)
    lines = [f"• {t.isolate(html.escape(problem))}" for problem in problems[:MOST_PROBLEMS_SHOWN]]
    if count > MOST_PROBLEMS_SHOWN:
        more = count - MOST_PROBLEMS_SHOWN
        lines.append(t._("… and {count} more").format(count=t.number(more)))
    heading = t.ngettext(
        "⚠️ {file} has {count} problem, so nothing was stored:",
        "⚠️ {file} has {count} problems, so nothing was stored:",
        count,
    ).format(file=t.isolate(f"<code>{html.escape(filename)}</code>"), count=t.number(count))
    return t.directed("\n".join([heading, *lines]))


def imported_text(imported: Imported, t: Translator = ENGLISH) -> tuple[str, InlineKeyboardMarkup]:
    what = (
        t._("✅ Created {slug}: {added} rounds added, {replaced} replaced.")
        if imported.created
        else t._("✅ Updated {slug}: {added} rounds added, {replaced} replaced.")
    )
    text = what.format(
        slug=t.isolate(f"<code>{html.escape(imported.slug)}</code>"),
        added=t.number(imported.rounds_created),
        replaced=t.number(imported.rounds_updated),
    )
    text += " " + t._(
        "Nothing was published; press Publish to send the latest round to subscribers."
    )
    button = InlineKeyboardButton(
        t._("📣 Publish latest round"), callback_data=f"ximp:{imported.topic_id}"
    )
    return t.directed(text), InlineKeyboardMarkup([[button]])

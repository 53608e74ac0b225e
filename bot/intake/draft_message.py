"""The message that shows a drafted card with its review buttons, for a pasted article and for
a feed entry alike, so both are reviewed the same way."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.intake.drafting import DraftProposal


def proposal_message(
    proposal: DraftProposal, origin: str = "read from the article"
) -> tuple[str, InlineKeyboardMarkup]:
    """`origin` is HTML already escaped: where the card was read from."""
    card = f"<pre>{html.escape(proposal.card_text)}</pre>"
    draft_id = proposal.draft_id
    edit = InlineKeyboardButton("✏️ Edit", callback_data=f"draft:edit:{draft_id}")
    discard = InlineKeyboardButton("🗑 Discard", callback_data=f"draft:drop:{draft_id}")
    if proposal.topic_slug is not None:
        heading = (
            f"📝 <b>Draft card</b> for <code>{html.escape(proposal.topic_slug)}</code>, {origin}. "
            "Check each line; Publish as is shows the preview first."
        )
        publish = InlineKeyboardButton("✅ Publish as is", callback_data=f"draft:pub:{draft_id}")
        rows = [[publish], [edit, discard]]
    elif proposal.candidates:
        heading = "📝 <b>Draft card</b>. The article fits more than one topic; which is it?"
        rows = [
            [
                InlineKeyboardButton(
                    f"{title} ({slug})"[:60], callback_data=f"dtopic:{draft_id}:{slug}"
                )
            ]
            for slug, title in proposal.candidates
        ]
        rows.append([edit, discard])
    else:
        heading = (
            "📝 <b>Draft card</b>. No topic has these parties yet. Create one with "
            f"<code>/newtopic {html.escape(proposal.suggested_slug)} Title</code>, then send the "
            "card back with its slug on the first line."
        )
        rows = [[edit, discard]]
    return f"{heading}\n{card}", InlineKeyboardMarkup(rows)

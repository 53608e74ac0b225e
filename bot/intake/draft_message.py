"""The message that shows a drafted card with its review buttons, for a pasted article and for
a feed entry alike, so both are reviewed the same way. The card itself stays as /post reads
it: its keys are a syntax, whatever language the admin reads."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.intake.drafting import DraftProposal
from bot.reading.language import ENGLISH, Translator


def proposal_message(
    proposal: DraftProposal, t: Translator = ENGLISH, entry: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """`entry` is the feed entry the card was read from, as HTML already escaped; None for an
    article the admin sent."""
    card = f"<pre>{html.escape(proposal.card_text)}</pre>"
    draft_id = proposal.draft_id
    edit = InlineKeyboardButton(t._("✏️ Edit"), callback_data=f"draft:edit:{draft_id}")
    discard = InlineKeyboardButton(t._("🗑 Discard"), callback_data=f"draft:drop:{draft_id}")
    if proposal.topic_slug is not None:
        slug = t.isolate(f"<code>{html.escape(proposal.topic_slug)}</code>")
        if entry is None:
            heading = t._(
                "📝 <b>Draft card</b> for {slug}, read from the article. Check each line; "
                "Publish as is shows the preview first."
            ).format(slug=slug)
        else:
            heading = t._(
                "📝 <b>Draft card</b> for {slug}, read from {entry} in a watched feed. Check "
                "each line; Publish as is shows the preview first."
            ).format(slug=slug, entry=t.isolate(entry))
        publish = InlineKeyboardButton(
            t._("✅ Publish as is"), callback_data=f"draft:pub:{draft_id}"
        )
        rows = [[publish], [edit, discard]]
    elif proposal.candidates:
        heading = t._("📝 <b>Draft card</b>. The article fits more than one topic; which is it?")
        rows = [
            [
                InlineKeyboardButton(
                    t.isolate(f"{title} ({slug})"[:60]), callback_data=f"dtopic:{draft_id}:{slug}"
                )
            ]
            for slug, title in proposal.candidates
        ]
        rows.append([edit, discard])
    else:
        command = html.escape(f"/newtopic {proposal.suggested_slug} ") + t._("Title")
        heading = t._(
            "📝 <b>Draft card</b>. No topic has these parties yet. Create one with {command}, "
            "then send the card back with its slug on the first line."
        ).format(command=t.isolate(f"<code>{command}</code>"))
        rows = [[edit, discard]]
    return f"{t.directed(heading)}\n{card}", InlineKeyboardMarkup(rows)

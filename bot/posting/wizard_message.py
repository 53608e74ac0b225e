"""The wizard's messages: a question with its buttons, and the `/drafts` list with Resume and
Discard. Callback data carries the draft id and the step, so a press on an old question is
recognised as one."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.posting.wizard import Question, step_title
from bot.posting.wizard_drafts import SKIP, DraftListing

WIZARD_BUTTON_PATTERN = r"^wiz:[0-9]{1,18}:(?:resume|drop|[a-z]{1,12}:(?:skip|[0-9]{1,2}))$"


def question_message(
    draft_id: int, asked: Question, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """`note` is HTML already: what was wrong with the last answer, or what happened before."""
    rows = [
        [InlineKeyboardButton(offer.label, callback_data=f"wiz:{draft_id}:{asked.step}:{index}")]
        for index, offer in enumerate(asked.offers)
    ]
    if asked.skippable:
        rows.append(
            [InlineKeyboardButton("⏭ Skip", callback_data=f"wiz:{draft_id}:{asked.step}:{SKIP}")]
        )
    text = f"{note}\n\n{asked.text}" if note else asked.text
    return text, InlineKeyboardMarkup(rows) if rows else None


def drafts_message(
    listing: DraftListing, viewer_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Only the viewer's own wizard drafts can be resumed: the answers go on in their chat."""
    if not listing.wizard and not listing.articles:
        return "No unfinished drafts. /post starts one.", None
    lines = ["🗂 <b>Unfinished drafts</b>"]
    rows: list[list[InlineKeyboardButton]] = []
    for draft in listing.wizard:
        topic = f"<code>{html.escape(draft.topic_slug)}</code>" if draft.topic_slug else "no topic"
        headline = f" · {html.escape(draft.headline)}" if draft.headline else ""
        where = "in progress" if draft.answering else "set aside"
        author = "" if draft.author_id == viewer_id else f" · admin <code>{draft.author_id}</code>"
        lines.append(
            f"#{draft.draft_id} {topic}{headline} — at {step_title(draft.step)}, {where}{author}"
        )
        row = []
        if draft.author_id == viewer_id:
            row.append(
                InlineKeyboardButton(
                    f"▶️ Resume #{draft.draft_id}", callback_data=f"wiz:{draft.draft_id}:resume"
                )
            )
        row.append(
            InlineKeyboardButton(
                f"🗑 Discard #{draft.draft_id}", callback_data=f"wiz:{draft.draft_id}:drop"
            )
        )
        rows.append(row)
    if listing.articles:
        lines.append("\n📰 <b>Drafted from articles</b>")
    for article in listing.articles:
        topic = (
            f"<code>{html.escape(article.topic_slug)}</code>" if article.topic_slug else "no topic"
        )
        author = (
            "" if article.author_id == viewer_id else f" · admin <code>{article.author_id}</code>"
        )
        first = html.escape(article.headline[:80])
        lines.append(f"article #{article.draft_id} {topic} — {first}{author}")
        rows.append(
            [
                InlineKeyboardButton(
                    f"📝 Card #{article.draft_id}", callback_data=f"draft:edit:{article.draft_id}"
                ),
                InlineKeyboardButton(
                    f"🗑 Discard article #{article.draft_id}",
                    callback_data=f"draft:drop:{article.draft_id}",
                ),
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)

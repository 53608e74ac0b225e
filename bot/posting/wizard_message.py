"""The wizard's messages: a question with its buttons, and the `/drafts` list with Resume and
Discard. Callback data carries the draft id and the step, so a press on an old question is
recognised as one."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.posting.wizard import Question, step_title
from bot.posting.wizard_drafts import SKIP, DraftListing
from bot.reading.language import Translator

WIZARD_BUTTON_PATTERN = r"^wiz:[0-9]{1,18}:(?:resume|drop|[a-z]{1,12}:(?:skip|[0-9]{1,2}))$"


def question_message(
    draft_id: int, asked: Question, t: Translator, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """`note` is HTML already: what was wrong with the last answer, or what happened before."""
    rows = [
        [InlineKeyboardButton(offer.label, callback_data=f"wiz:{draft_id}:{asked.step}:{index}")]
        for index, offer in enumerate(asked.offers)
    ]
    if asked.skippable:
        skip = InlineKeyboardButton(
            t._("⏭ Skip"), callback_data=f"wiz:{draft_id}:{asked.step}:{SKIP}"
        )
        rows.append([skip])
    text = f"{t.directed(note)}\n\n{asked.text}" if note else asked.text
    return text, InlineKeyboardMarkup(rows) if rows else None


def _code(slug: str | None, t: Translator) -> str:
    return t.isolate(f"<code>{html.escape(slug)}</code>") if slug else t._("no topic")


def _by(author_id: int, viewer_id: int, t: Translator) -> str:
    if author_id == viewer_id:
        return ""
    admin = t.isolate(f"<code>{author_id}</code>")
    return " · " + t._("admin {user}").format(user=admin)


def drafts_message(
    listing: DraftListing, viewer_id: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Only the viewer's own wizard drafts can be resumed: the answers go on in their chat.
    Headlines are shown as the admins typed them."""
    if not listing.wizard and not listing.articles:
        return t.directed(t._("No unfinished drafts. /post starts one.")), None
    lines = [t._("🗂 <b>Unfinished drafts</b>")]
    rows: list[list[InlineKeyboardButton]] = []
    for draft in listing.wizard:
        number = t.number(draft.draft_id)
        headline = f" · {t.isolate(html.escape(draft.headline))}" if draft.headline else ""
        where = t._("in progress") if draft.answering else t._("set aside")
        lines.append(
            t._("#{number} {topic}{headline} — at {step}, {where}").format(
                number=number,
                topic=_code(draft.topic_slug, t),
                headline=headline,
                step=t._(step_title(draft.step)),
                where=where,
            )
            + _by(draft.author_id, viewer_id, t)
        )
        row = []
        if draft.author_id == viewer_id:
            resume = t._("▶️ Resume #{number}").format(number=number)
            row.append(InlineKeyboardButton(resume, callback_data=f"wiz:{draft.draft_id}:resume"))
        discard = t._("🗑 Discard #{number}").format(number=number)
        row.append(InlineKeyboardButton(discard, callback_data=f"wiz:{draft.draft_id}:drop"))
        rows.append(row)
    if listing.articles:
        lines.append("\n" + t._("📰 <b>Drafted from articles</b>"))
    for article in listing.articles:
        number = t.number(article.draft_id)
        first = t.isolate(html.escape(article.headline[:80]))
        lines.append(
            t._("article #{number} {topic} — {headline}").format(
                number=number, topic=_code(article.topic_slug, t), headline=first
            )
            + _by(article.author_id, viewer_id, t)
        )
        card = t._("📝 Card #{number}").format(number=number)
        discard = t._("🗑 Discard article #{number}").format(number=number)
        rows.append(
            [
                InlineKeyboardButton(card, callback_data=f"draft:edit:{article.draft_id}"),
                InlineKeyboardButton(discard, callback_data=f"draft:drop:{article.draft_id}"),
            ]
        )
    return t.directed("\n".join(lines)), InlineKeyboardMarkup(rows)

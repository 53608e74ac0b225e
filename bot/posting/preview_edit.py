"""Changing one field of a previewed draft: the card gets the new value, goes through the same
checks and rendering as a typed card, and the draft's rendering and fingerprint follow, so
Publish publishes exactly the preview the admin sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.posting.card_edit import FIELD_LABELS, FieldEditError, field_lines, replace_card_field
from bot.posting.card_feedback import problem_text
from bot.posting.publish import (
    DEFAULT_DRAFT_LIFETIME,
    PostError,
    Preview,
    open_draft,
    preview_fingerprint,
    render_card,
)
from bot.reading.alert_parts import split_alert
from bot.reading.language import N_
from storage.admins import record_audit
from storage.card import CardError, CardProblem
from storage.database import Database
from storage.models import Topic
from storage.posts import renew_preview
from storage.previews import (
    drop_prompts,
    preview_message_ids,
    prompt_answered_by,
    record_preview_messages,
    record_prompt,
)
from storage.scheduled_posts import waiting_schedule


@dataclass(frozen=True)
class FieldQuestion:
    post_id: int
    field: str
    label: str
    current: list[str]


@dataclass(frozen=True)
class CheckedEdit:
    card_text: str
    kind: str
    rendered: str
    warnings: list[CardProblem]


@dataclass(frozen=True)
class EditedPreview:
    preview: Preview
    field: str
    chat_id: int
    message_ids: list[int]


async def remember_preview(
    database: Database, post_id: int, chat_id: int, message_ids: list[int]
) -> None:
    async with database.transaction() as session:
        await record_preview_messages(session, post_id, chat_id, message_ids)


async def field_question(
    database: Database,
    post_id: int,
    field: str,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> FieldQuestion:
    async with database.session() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        await _check_editable(session, post_id, draft.corrects_id)
        if field not in FIELD_LABELS:
            raise FieldEditError(N_("There is no field `{field}` on a card."), field=field)
        return FieldQuestion(
            post_id, field, FIELD_LABELS[field], field_lines(draft.card_text, field)
        )


async def await_field_answer(
    database: Database, admin_id: int, question: FieldQuestion, chat_id: int, message_id: int
) -> None:
    """The question's message is how the admin's reply finds its draft and field."""
    async with database.transaction() as session:
        await record_prompt(
            session, question.post_id, admin_id, chat_id, message_id, question.field
        )


async def check_card_edit(
    database: Database, admin_id: int, slug: str, card_text: str, field: str, text: str
) -> CheckedEdit:
    """The card with `field` set to `text`, checked and rendered against the stored topic; a
    value the card's checks refuse raises FieldEditError with their reasons, and nothing is
    stored either way."""
    edited = replace_card_field(card_text, field, text)
    try:
        _, kind, rendered, warnings = await render_card(database, admin_id, slug, edited)
    except CardError as error:
        problems = error.problems
        raise FieldEditError(
            N_("Not changed: {reasons}."),
            reasons=lambda t: t._("; ").join(problem_text(problem, t) for problem in problems),
        ) from None
    return CheckedEdit(edited, kind, rendered, warnings)


async def edit_draft_field(
    database: Database,
    admin_id: int,
    post_id: int,
    field: str,
    text: str,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> Preview:
    async with database.session() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        await _check_editable(session, post_id, draft.corrects_id)
        topic = await session.get(Topic, draft.topic_id)
        assert topic is not None
        slug, card_text = topic.slug, draft.card_text
    checked = await check_card_edit(database, admin_id, slug, card_text, field, text)
    async with database.transaction() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        if draft.card_text != card_text:
            raise PostError(N_("The draft changed meanwhile; press Edit again."))
        await _check_editable(session, post_id, draft.corrects_id)
        draft.card_text = checked.card_text
        await renew_preview(
            session,
            draft,
            kind=checked.kind,
            rendered=checked.rendered,
            fingerprint=preview_fingerprint(checked.kind, checked.rendered),
        )
        await record_audit(session, admin_id, "edit-preview", f"update {post_id}: {field}")
    return Preview(post_id, slug, checked.kind, split_alert(checked.rendered), checked.warnings)


async def answer_field_question(
    database: Database,
    admin_id: int,
    chat_id: int,
    replied_message_id: int,
    text: str,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> EditedPreview | None:
    """None when the message replied to is no question of this admin's; a refused value leaves
    the question open for another answer."""
    async with database.session() as session:
        prompt = await prompt_answered_by(session, admin_id, chat_id, replied_message_id)
        if prompt is None:
            return None
        post_id, field = prompt.post_id, prompt.field
    preview = await edit_draft_field(database, admin_id, post_id, field, text, draft_lifetime)
    async with database.transaction() as session:
        await drop_prompts(session, post_id)
        message_ids = await preview_message_ids(session, post_id, chat_id)
    return EditedPreview(preview, field, chat_id, message_ids)


async def _check_editable(session: AsyncSession, post_id: int, corrects_id: int | None) -> None:
    if corrects_id is not None:
        raise PostError(N_("A correction is changed with /correct, not here."))
    if await waiting_schedule(session, post_id) is not None:
        raise PostError(N_("This draft is scheduled; cancel the schedule (/scheduled) to edit it."))

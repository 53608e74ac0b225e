"""Where each draft's preview is shown, and the field questions waiting for an admin's reply."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import FieldEditPrompt, PreviewMessage


async def record_preview_messages(
    session: AsyncSession, post_id: int, chat_id: int, message_ids: list[int]
) -> None:
    """A preview shown anew replaces the draft's earlier messages in that chat."""
    await session.execute(
        delete(PreviewMessage).where(
            col(PreviewMessage.post_id) == post_id, col(PreviewMessage.chat_id) == chat_id
        )
    )
    for part, message_id in enumerate(message_ids):
        session.add(
            PreviewMessage(post_id=post_id, chat_id=chat_id, message_id=message_id, part=part)
        )
    await session.flush()


async def preview_message_ids(session: AsyncSession, post_id: int, chat_id: int) -> list[int]:
    rows = await session.scalars(
        select(col(PreviewMessage.message_id))
        .where(col(PreviewMessage.post_id) == post_id, col(PreviewMessage.chat_id) == chat_id)
        .order_by(col(PreviewMessage.part))
    )
    return list(rows)


async def preview_chats(session: AsyncSession, post_id: int) -> list[int]:
    rows = await session.scalars(
        select(col(PreviewMessage.chat_id)).where(col(PreviewMessage.post_id) == post_id).distinct()
    )
    return list(rows)


async def post_shown_in(session: AsyncSession, chat_id: int, message_id: int) -> int | None:
    return await session.scalar(
        select(col(PreviewMessage.post_id)).where(
            col(PreviewMessage.chat_id) == chat_id, col(PreviewMessage.message_id) == message_id
        )
    )


async def latest_post_shown_in(session: AsyncSession, chat_id: int) -> int | None:
    return await session.scalar(
        select(col(PreviewMessage.post_id))
        .where(col(PreviewMessage.chat_id) == chat_id)
        .order_by(col(PreviewMessage.id).desc())
        .limit(1)
    )


async def record_prompt(
    session: AsyncSession, post_id: int, admin_id: int, chat_id: int, message_id: int, field: str
) -> None:
    session.add(
        FieldEditPrompt(
            post_id=post_id, admin_id=admin_id, chat_id=chat_id, message_id=message_id, field=field
        )
    )
    await session.flush()


async def prompt_answered_by(
    session: AsyncSession, admin_id: int, chat_id: int, message_id: int
) -> FieldEditPrompt | None:
    """Only the admin who asked can answer a question."""
    return await session.scalar(
        select(FieldEditPrompt).where(
            col(FieldEditPrompt.admin_id) == admin_id,
            col(FieldEditPrompt.chat_id) == chat_id,
            col(FieldEditPrompt.message_id) == message_id,
        )
    )


async def drop_prompts(session: AsyncSession, post_id: int) -> None:
    await session.execute(delete(FieldEditPrompt).where(col(FieldEditPrompt.post_id) == post_id))

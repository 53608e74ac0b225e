"""Posts being written with the `/post` wizard: one row per draft, its step and answers."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ArticleDraft, WizardDraft, utc_now
from storage.states import WizardState

UNFINISHED = (WizardState.ANSWERING, WizardState.SET_ASIDE)


async def create_wizard_draft(
    session: AsyncSession, author_id: int, chat_id: int, topic_slug: str | None, step: str
) -> WizardDraft:
    draft = WizardDraft(author_id=author_id, chat_id=chat_id, topic_slug=topic_slug, step=step)
    session.add(draft)
    await session.flush()
    return draft


async def set_aside_answering(session: AsyncSession, author_id: int) -> list[int]:
    """The admin's draft in progress, if any, waits in /drafts; its id is returned. Done
    before another draft becomes the one answered, so the unique index never trips."""
    ids = [
        draft_id
        for draft_id in await session.scalars(
            update(WizardDraft)
            .where(
                col(WizardDraft.author_id) == author_id,
                col(WizardDraft.state) == WizardState.ANSWERING,
            )
            .values(state=WizardState.SET_ASIDE, updated_at=utc_now())
            .returning(col(WizardDraft.id))
        )
        if draft_id is not None
    ]
    await session.flush()
    return ids


async def answering_draft(session: AsyncSession, author_id: int) -> WizardDraft | None:
    """Locked where the database can, so two answers cannot land on one step at once."""
    return await session.scalar(
        select(WizardDraft)
        .where(
            col(WizardDraft.author_id) == author_id,
            col(WizardDraft.state) == WizardState.ANSWERING,
        )
        .with_for_update()
    )


async def wizard_draft_for_change(session: AsyncSession, draft_id: int) -> WizardDraft | None:
    return await session.scalar(
        select(WizardDraft).where(col(WizardDraft.id) == draft_id).with_for_update()
    )


async def all_answering_drafts(session: AsyncSession) -> list[WizardDraft]:
    return list(
        await session.scalars(
            select(WizardDraft).where(col(WizardDraft.state) == WizardState.ANSWERING)
        )
    )


async def unfinished_wizard_drafts(
    session: AsyncSession, author_id: int | None
) -> list[WizardDraft]:
    """Newest first; `author_id` None for every admin's."""
    query = select(WizardDraft).where(col(WizardDraft.state).in_(UNFINISHED))
    if author_id is not None:
        query = query.where(col(WizardDraft.author_id) == author_id)
    return list(await session.scalars(query.order_by(col(WizardDraft.id).desc())))


async def proposed_article_drafts(
    session: AsyncSession, author_id: int | None
) -> list[ArticleDraft]:
    """Cards drafted from articles that were neither previewed nor discarded, newest first."""
    query = select(ArticleDraft).where(col(ArticleDraft.state) == "proposed")
    if author_id is not None:
        query = query.where(col(ArticleDraft.author_id) == author_id)
    return list(await session.scalars(query.order_by(col(ArticleDraft.id).desc())))

"""Correcting a published post: its round's stored facts change, the chats that got it get a
short notice as a reply to it, and the chats still waiting for it get the corrected alert in its
place, never both.

A correction is previewed and published like any post (the same fingerprint check, so what is
published is what was previewed); publishing it records two posts: the notice (kind
`correction`) and the corrected version of the original, both pointing at the original."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.fanout import fan_out_next_post
from bot.posting.card_grammar import read_card
from bot.posting.publish import (
    DEFAULT_DRAFT_LIFETIME,
    DraftClosed,
    PostError,
    Preview,
    PublishFailed,
    check_topic_access,
    open_draft,
    preview_fingerprint,
    renew_outdated_preview,
    round_name,
)
from bot.reading.alert_parts import split_alert
from bot.reading.language import ENGLISH, N_, Translator
from bot.reading.post_texts import PostTexts, render_readings
from bot.reading.render import render_alert, render_correction
from bot.reading.what_changed import FieldChange, changes_between, changes_from_previous_round
from storage.admins import record_audit
from storage.card import CardError, CardProblem, RoundCard
from storage.corrections import CORRECTION_KIND, mark_routed, route_correction
from storage.database import Database
from storage.models import Post, Round, Topic
from storage.posts import create_draft, post_for_change
from storage.round_views import previous_round, round_view
from storage.rounds import record_card_on_round
from storage.topics import lock_topic

log = logging.getLogger(__name__)

# A correction fixes the facts of the round the post was about; which round that is, and what
# kind of post it was, are not facts to correct.
_FIXED_KEYS = {
    "round": N_("`{key}:` cannot be corrected: it is which round post {post_id} is about"),
    "kind": N_("`{key}:` cannot be corrected: it is what kind of post it was"),
}


@dataclass(frozen=True)
class CorrectionPublished:
    post_id: int
    corrects_id: int
    slug: str
    headline: str
    notified: int
    replaced: int
    round_number: int | None
    round_title: str


@dataclass(frozen=True)
class _Rendered:
    changes: list[FieldChange]
    notices: PostTexts
    corrected: PostTexts
    summary: str | None

    @property
    def notice(self) -> str:
        return self.notices.english

    @property
    def fingerprint(self) -> str:
        return preview_fingerprint(CORRECTION_KIND, f"{self.notice}\n{self.corrected.english}")


class _CorrectionOutdated(Exception):
    def __init__(self, rendered: _Rendered) -> None:
        super().__init__("outdated")
        self.rendered = rendered


async def preview_correction(
    database: Database, author_id: int, original_id: int, text: str
) -> Preview:
    """The notice as the recipients of the original will see it, from facts recorded in a
    transaction that is then rolled back; the draft keeps the card and the fingerprint of both
    the notice and the corrected alert."""
    async with database.session() as session:
        original = await _correctable(session, original_id)
        topic = await session.get(Topic, original.topic_id)
        assert topic is not None
        topic_id, slug = original.topic_id, topic.slug
        await check_topic_access(session, author_id, topic)
        card = _correction_card(text, original_id)
        try:
            rendered = await _record_and_render(session, topic, original, card)
        finally:
            await session.rollback()
    if not rendered.changes:
        raise PostError(
            N_(
                "That card changes nothing in post {post_id}: write only the lines that were "
                "wrong, as they should be."
            ),
            post_id=lambda t: t.number(original_id),
        )
    async with database.transaction() as session:
        draft = await create_draft(
            session,
            topic_id,
            author_id,
            text,
            kind=CORRECTION_KIND,
            rendered=rendered.notice,
            fingerprint=rendered.fingerprint,
        )
        draft.corrects_id = original_id
        await session.flush()
        await record_audit(
            session,
            author_id,
            "draft",
            f"correction {draft.id} of update {original_id}",
            topic=slug,
        )
    return Preview(
        post_id=draft.id or 0,
        slug=slug,
        kind=CORRECTION_KIND,
        parts=split_alert(rendered.notice),
    )


async def publish_correction(
    database: Database,
    draft_id: int,
    admin_id: int,
    *,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> CorrectionPublished | Preview:
    """One transaction: the corrected facts, both posts and the routing of every delivery of the
    original land together or not at all."""
    try:
        try:
            return await _publish(database, draft_id, admin_id, draft_lifetime)
        except _CorrectionOutdated as outdated:
            return await renew_outdated_preview(
                database,
                draft_id,
                admin_id,
                draft_lifetime=None,
                kind=CORRECTION_KIND,
                rendered=outdated.rendered.notice,
                fingerprint=outdated.rendered.fingerprint,
                audit_detail=f"correction {draft_id}",
            )
    except SQLAlchemyError as error:
        log.warning("publishing correction %s failed: %s", draft_id, error)
        raise PublishFailed(
            N_(
                "The database could not record it, so no correction was published. "
                "Press Publish again in a moment."
            )
        ) from None


async def _publish(
    database: Database, draft_id: int, admin_id: int, lifetime: timedelta
) -> CorrectionPublished:
    async with database.transaction() as session:
        draft = await open_draft(session, draft_id, lifetime)
        if draft.corrects_id is None:
            raise DraftClosed(N_("This is not a correction: publish it with the button under it."))
        topic = await lock_topic(session, draft.topic_id)
        original = await post_for_change(session, draft.corrects_id)
        assert topic is not None and original is not None
        await check_topic_access(session, admin_id, topic)
        while original.fanned_out_at is None and await fan_out_next_post(session) is not None:
            pass
        card = _correction_card(draft.card_text, original.id or 0)
        rendered = await _record_and_render(session, topic, original, card)
        if rendered.fingerprint != draft.preview_fingerprint:
            raise _CorrectionOutdated(rendered)
        corrected = Post(
            topic_id=original.topic_id,
            round_id=original.round_id,
            kind=original.kind,
            headline=original.headline,
            card_text=draft.card_text,
            summary=rendered.summary,
            rendered=rendered.corrected.english,
            author_id=admin_id,
            corrects_id=original.id,
        )
        rendered.corrected.store_on(corrected)
        session.add(corrected)
        draft.round_id = original.round_id
        rendered.notices.store_on(draft)
        target = await session.get(Round, original.round_id)
        assert target is not None
        draft.headline = f"Correction: {round_name(target)}"[:300]
        mark_routed(draft, corrected)
        await session.flush()
        reach = await route_correction(session, original, draft, corrected)
        await record_audit(
            session,
            admin_id,
            "correct",
            f"update {draft_id} corrects update {original.id}: a notice to {reach.notified} "
            f"chats, the corrected alert to {reach.replaced}",
            topic=topic.slug,
        )
    return CorrectionPublished(
        post_id=draft_id,
        corrects_id=original.id or 0,
        slug=topic.slug,
        headline=draft.headline,
        notified=reach.notified,
        replaced=reach.replaced,
        round_number=target.number,
        round_title=target.title,
    )


async def _correctable(session: AsyncSession, post_id: int) -> Post:
    original = await session.get(Post, post_id)
    if original is None:
        raise PostError(N_("There is no post {post_id}."), post_id=lambda t: t.number(post_id))
    if original.state != "published" or original.published_at is None or original.round_id is None:
        raise PostError(
            N_(
                "Post {post_id} was never published, so there is nothing to correct: "
                "send its card again for a new preview."
            ),
            post_id=lambda t: t.number(post_id),
        )
    if original.corrects_id is not None:
        corrected_id = original.corrects_id
        raise PostError(
            N_(
                "Post {post_id} is itself a correction of post {original}; "
                "correct that one: /correct {original_id}"
            ),
            post_id=lambda t: t.number(post_id),
            original=lambda t: t.number(corrected_id),
            original_id=str(corrected_id),
        )
    return original


def _correction_card(text: str, original_id: int) -> RoundCard:
    card, problems = read_card(text)
    for key, what in _FIXED_KEYS.items():
        if key in card.key_lines:
            problems.append(CardProblem.of(card.line_of(key), what, key=key, post_id=original_id))
    if problems:
        raise CardError(sorted(problems, key=lambda problem: problem.line))
    return card


async def _record_and_render(
    session: AsyncSession, topic: Topic, original: Post, card: RoundCard
) -> _Rendered:
    target = await session.get(Round, original.round_id)
    assert target is not None and original.published_at is not None
    before = await round_view(session, topic, target)
    await record_card_on_round(session, topic.id or 0, target, card)
    after = await round_view(session, topic, target, summary=card.summary or before.summary)
    prior = await previous_round(session, target)
    prior_view = await round_view(session, topic, prior) if prior is not None else None
    published_at = original.published_at

    def told(t: Translator) -> tuple[list[FieldChange], str, str]:
        changes = changes_between(before, after, t)
        if card.summary is not None and card.summary != before.summary:
            changes.append(FieldChange(t._("Summary"), before.summary, card.summary))
        since = changes_from_previous_round(prior_view, after, t) if prior_view else []
        notice = render_correction(
            replace(after, summary=None), published_at=published_at, changes=changes, t=t
        )
        return changes, notice, render_alert(after, kind=original.kind, since_previous=since, t=t)

    once = cache(told)
    return _Rendered(
        changes=once(ENGLISH)[0],
        notices=render_readings(lambda t: once(t)[1]),
        corrected=render_readings(lambda t: once(t)[2]),
        summary=after.summary,
    )

"""Admin posting: a card becomes a draft with a preview, then one published update."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.posting.card_grammar import parse_card, read_card
from bot.posting.card_review import review_card
from bot.reading.alert_parts import split_alert
from bot.reading.language import ENGLISH, N_, Translator
from bot.reading.phrasing import format_day
from bot.reading.post_texts import PostTexts, render_readings
from bot.reading.render import render_alert, render_update
from bot.reading.what_changed import changes_between, changes_from_previous_round
from storage.admin_topics import may_handle_topic
from storage.admins import record_audit
from storage.card import CardError, CardProblem, RoundCard
from storage.database import Database
from storage.models import Post, Round, Topic, utc_now
from storage.posts import create_draft, mark_published, post_for_change, renew_preview
from storage.round_views import previous_round, round_view
from storage.rounds import RoundNotFound, card_context, card_target, record_card
from storage.states import Calendar
from storage.topics import create_topic, lock_topic, topic_by_slug

log = logging.getLogger(__name__)

DEFAULT_DRAFT_LIFETIME = timedelta(hours=24)
SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
KIND_LABELS = {
    "new_round": N_("New round"),
    "round_update": N_("Round update"),
    "development": N_("Development"),
    "outcome": N_("Outcome"),
    "correction": N_("Correction"),
}
DRAFT_STATES = {"cancelled": N_("cancelled"), "published": N_("published")}
# A value of a message: typed or stored text, isolated in Persian, or a figure the bot writes
# in the reader's own words and digits.
Value = str | Callable[[Translator], str]


class PostError(Exception):
    """A post that cannot go ahead. The English message is the catalogue's key; `text` writes
    it in the admin's language, with typed values isolated."""

    def __init__(self, message: str, **values: Value) -> None:
        self.message = message
        self.values = values
        super().__init__(self.text(ENGLISH))

    def text(self, t: Translator) -> str:
        translated = t._(self.message)
        if not self.values:
            return translated
        written = {
            name: value(t) if callable(value) else t.isolate(value)
            for name, value in self.values.items()
        }
        return translated.format(**written)


class DraftClosed(PostError):
    """The draft can never be published from this preview: its buttons can go."""


class PublishFailed(PostError):
    """Nothing was published, but pressing again may work: the buttons stay."""


class _PreviewOutdated(Exception):
    """Raised inside the publish transaction so that the card's facts are rolled back."""

    def __init__(self, kind: str, rendered: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.rendered = rendered


@dataclass(frozen=True)
class Preview:
    post_id: int
    slug: str
    kind: str
    parts: list[str]
    warnings: list[CardProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Published:
    post_id: int
    slug: str
    kind: str
    headline: str
    round_number: int | None
    round_title: str


def check_slug(slug: str) -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise PostError(
            N_(
                "A topic slug is 1–32 characters of a–z, 0–9 and '-', not starting or ending "
                "with '-', e.g. `pak-taliban-talks`."
            )
        )
    return slug


async def create_new_topic(
    database: Database, author_id: int, slug: str, title: str, description: str | None = None
) -> Topic:
    check_slug(slug)
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise PostError(N_("Give the topic a title of 1–200 characters after the slug."))
    async with database.transaction() as session:
        if await topic_by_slug(session, slug) is not None:
            raise PostError(N_("The topic `{slug}` already exists."), slug=slug)
        topic = await create_topic(session, slug, title, description)
        await record_audit(session, author_id, "newtopic", slug, topic=slug)
    return topic


async def preview_post(database: Database, author_id: int, slug: str, text: str) -> Preview:
    """Renders the card exactly as subscribers will see it by recording it in a transaction that
    is then rolled back; the draft keeps the card, that rendering and its fingerprint. The topic
    is looked up first (a wrong slug is the one mistake that makes the rest meaningless), then
    the card's syntax and its sense against the stored topic are checked together, so every
    error comes at once."""
    topic_id, kind, rendered, warnings = await render_card(database, author_id, slug, text)
    async with database.transaction() as session:
        draft = await create_draft(
            session,
            topic_id,
            author_id,
            text,
            kind=kind,
            rendered=rendered,
            fingerprint=preview_fingerprint(kind, rendered),
        )
        await record_audit(session, author_id, "draft", f"update {draft.id} for {slug}", topic=slug)
    return Preview(
        post_id=draft.id or 0,
        slug=slug,
        kind=kind,
        parts=split_alert(rendered),
        warnings=warnings,
    )


async def render_card(
    database: Database, author_id: int, slug: str, text: str
) -> tuple[int, str, str, list[CardProblem]]:
    """The topic's id, the kind and the rendering the card would publish, and its warnings;
    nothing is stored."""
    async with database.session() as session:
        topic = await _topic(session, slug)
        topic_id = topic.id or 0
        await check_topic_access(session, author_id, topic)
        card, problems = read_card(text)
        review = review_card(card, await card_context(session, topic_id), problems)
        if problems or review.errors:
            raise CardError([*problems, *review.errors])
        try:
            kind, texts, _ = await _record_and_render(session, topic, card)
            rendered = texts.english
        finally:
            await session.rollback()
    return topic_id, kind, rendered, review.warnings


def preview_fingerprint(kind: str, rendered: str) -> str:
    """What the card makes of the stored data: any change to the stored data that would alter
    what subscribers read alters this, and nothing else does."""
    return hashlib.sha256(f"{kind}\n{rendered}".encode()).hexdigest()


async def publish_post(
    database: Database,
    post_id: int,
    admin_id: int,
    *,
    draft_lifetime: timedelta | None = DEFAULT_DRAFT_LIFETIME,
) -> Published | Preview:
    """One transaction: the card's facts and the published post land together or not at all.
    Subscribers get exactly the previewed text; when the stored data changed since the preview,
    nothing is published and the new preview comes back for another look. A scheduled draft
    goes out without `draft_lifetime`: its time was chosen while it was fresh."""
    try:
        try:
            return await _publish(database, post_id, admin_id, draft_lifetime)
        except _PreviewOutdated as outdated:
            return await renew_outdated_preview(
                database,
                post_id,
                admin_id,
                draft_lifetime=draft_lifetime,
                kind=outdated.kind,
                rendered=outdated.rendered,
                fingerprint=preview_fingerprint(outdated.kind, outdated.rendered),
                audit_detail=f"update {post_id}",
            )
    except SQLAlchemyError as error:
        log.warning("publishing update %s failed: %s", post_id, error)
        raise PublishFailed(
            N_(
                "The database could not record it, so nothing was published. "
                "Press Publish again in a moment."
            )
        ) from None


async def _publish(
    database: Database, post_id: int, admin_id: int, draft_lifetime: timedelta | None
) -> Published:
    async with database.transaction() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        if draft.corrects_id is not None:
            raise DraftClosed(N_("This is a correction: publish it with the button under it."))
        topic = await lock_topic(session, draft.topic_id)
        assert topic is not None
        await check_topic_access(session, admin_id, topic)
        card = parse_card(draft.card_text)
        kind, texts, round_id = await _record_and_render(session, topic, card)
        if preview_fingerprint(kind, texts.english) != draft.preview_fingerprint:
            raise _PreviewOutdated(kind, texts.english)
        texts.store_on(draft)
        target = await session.get(Round, round_id)
        assert target is not None
        headline = f"{KIND_LABELS[kind]}: {round_name(target)}"
        await mark_published(
            session, draft, round_id=round_id, kind=kind, headline=headline, summary=card.summary
        )
        await record_audit(
            session, admin_id, "publish", f"update {post_id}: {headline}", topic=topic.slug
        )
    return Published(
        post_id=post_id,
        slug=topic.slug,
        kind=kind,
        headline=headline,
        round_number=target.number,
        round_title=target.title,
    )


async def renew_outdated_preview(
    database: Database,
    post_id: int,
    admin_id: int,
    *,
    draft_lifetime: timedelta | None,
    kind: str,
    rendered: str,
    fingerprint: str,
    audit_detail: str,
) -> Preview:
    """Stores the preview the admin is shown instead of publishing, so the next Publish press is
    checked against what the admin saw then."""
    async with database.transaction() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        topic = await session.get(Topic, draft.topic_id)
        assert topic is not None
        await renew_preview(session, draft, kind=kind, rendered=rendered, fingerprint=fingerprint)
        await record_audit(session, admin_id, "repreview", audit_detail)
    return Preview(post_id=post_id, slug=topic.slug, kind=kind, parts=split_alert(rendered))


async def cancel_post(database: Database, post_id: int, admin_id: int) -> None:
    async with database.transaction() as session:
        draft = await open_draft(session, post_id, None)
        draft.state = "cancelled"
        await record_audit(session, admin_id, "cancel", f"update {post_id}")


async def check_topic_access(session: AsyncSession, user_id: int, topic: Topic) -> None:
    """An admin an owner limited to some topics handles only those, whichever way they try."""
    if not await may_handle_topic(session, user_id, topic.id):
        raise PostError(
            N_("An owner limited you to other topics, so you cannot post to `{slug}`."),
            slug=topic.slug,
        )


async def _topic(session: AsyncSession, slug: str) -> Topic:
    topic = await topic_by_slug(session, slug)
    if topic is None:
        raise PostError(
            N_("There is no topic `{slug}`. /topics lists them; /newtopic creates one."), slug=slug
        )
    return topic


async def open_draft(session: AsyncSession, post_id: int, lifetime: timedelta | None) -> Post:
    """The draft, locked; `lifetime` None for cancelling, which an expired draft may still be."""
    draft = await post_for_change(session, post_id)
    if draft is None:
        raise DraftClosed(N_("That draft no longer exists."))
    if draft.state == "published" and draft.published_at is not None:
        published_at = _as_utc(draft.published_at)
        raise DraftClosed(
            N_("Already published at {moment}."), moment=lambda t: _moment(t, published_at)
        )
    if draft.state != "draft":
        state = draft.state
        raise DraftClosed(
            N_("That draft was already {state}; nothing was published."),
            state=lambda t: t._(DRAFT_STATES.get(state, state)),
        )
    if lifetime is not None and _as_utc(draft.created_at) + lifetime < utc_now():
        raise DraftClosed(
            N_(
                "This draft expired: a preview can be published for {hours} after it "
                "was shown. Send the card again for a fresh preview."
            ),
            hours=lambda t: _hours(t, lifetime),
        )
    return draft


def headline_text(kind: str, number: int | None, title: str, t: Translator) -> str:
    """The published headline as HTML in the admin's language; in English it is the stored
    `headline`, escaped."""
    label, shown = t._(KIND_LABELS[kind]), t.isolate(html.escape(title))
    if number is None:
        return t._("{kind}: {title}").format(kind=label, title=shown)
    return t._("{kind}: Round {number} · {title}").format(
        kind=label, number=t.number(number), title=shown
    )


def round_name(target: Round) -> str:
    return f"Round {target.number} · {target.title}" if target.number is not None else target.title


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _moment(t: Translator, moment: datetime) -> str:
    if not t.right_to_left and t.calendar == Calendar.GREGORIAN:
        return moment.strftime("%H:%M UTC on %d %b %Y")
    if not t.right_to_left:
        return f"{moment:%H:%M} UTC on {format_day(moment.date(), t)}"
    shown = t.calendar_day(moment.date())
    return t._("{time} UTC on {day} {month} {year}").format(
        time=t.digits(moment.strftime("%H:%M")),
        day=t.number(shown.day),
        month=t.month(moment.date()),
        year=t.number(shown.year),
    )


def _hours(t: Translator, lifetime: timedelta) -> str:
    hours = lifetime.total_seconds() / 3600
    return t.ngettext("{hours} hour", "{hours} hours", 1 if hours == 1 else 2).format(
        hours=t.digits(f"{hours:g}")
    )


async def _record_and_render(
    session: AsyncSession, topic: Topic, card: RoundCard
) -> tuple[str, PostTexts, int]:
    """A change to a stored round is told as what changed; anything new is told whole, with
    what differs from the round before it. Returns the kind, the text in every language and
    calendar (each chat reading the one it chose), and the round."""
    existing = await card_target(session, topic.id or 0, card)
    before = await round_view(session, topic, existing) if existing is not None else None
    try:
        recorded = await record_card(session, topic.id or 0, card)
    except RoundNotFound as error:
        raise PostError(str(error)) from None
    target = await session.get(Round, recorded.round_id)
    assert target is not None
    after = await round_view(session, topic, target, summary=card.summary)
    if before is not None:
        sources = [source for source in after.sources if source not in before.sources]

        def told(t: Translator) -> str:
            assert before is not None
            return render_update(
                replace(after, summary=card.summary),
                kind=recorded.kind,
                changes=changes_between(before, after, t),
                sources=sources,
                t=t,
            )

    else:
        prior = await previous_round(session, target)
        prior_view = await round_view(session, topic, prior) if prior is not None else None

        def told(t: Translator) -> str:
            since = changes_from_previous_round(prior_view, after, t) if prior_view else []
            return render_alert(after, kind=recorded.kind, since_previous=since, t=t)

    return recorded.kind, render_readings(told), recorded.round_id

"""The outbox: one row per (post, chat), leased in batches and settled one by one.

A claim is a lease, as in SQS or pg-boss: a token and an expiry on the database's clock. Every
settle names its lease and applies only while the row is still leased under it, so a worker
whose lease ran out and was taken over cannot overwrite what the new holder did. Expired leases
go back to `pending`, which is how the rows of a worker that died come back.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    CursorResult,
    Float,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import Update as UpdateStatement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.chat_settings import effective_mode, held_or_now
from storage.clock import database_now, seconds_parameter
from storage.corrections import CORRECTION_KIND, versions_of
from storage.database import Database
from storage.digests import hold_for_digests
from storage.models import (
    Chat,
    ChatSettings,
    Delivery,
    Digest,
    Post,
    SchedulerState,
    Subscription,
    Topic,
    utc_now,
)
from storage.states import OPEN_DELIVERY_STATES, Calendar, DeliveryState, Language, PostState

# Errors after which the same statement may well succeed: a locked SQLite file, a dropped or
# restarting server connection.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
# Any fixed 64-bit number; it names the lock under which posts are fanned out one at a time.
FAN_OUT_LOCK_KEY = 7_146_202_602


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    post_id: int | None  # None: a digest
    chat_id: int
    telegram_id: int
    chat_type: str
    rendered: str
    attempts: int
    lease_token: str
    parts_sent: tuple[int, ...]
    retrying_since: datetime | None
    reply_to_message_id: int | None = None
    silent: bool = False
    message_thread_id: int | None = None


@dataclass(frozen=True)
class ChatSpacing:
    """Seconds from one alert to a chat to its next: Telegram's per-chat limits as set."""

    private: float
    group: float


@dataclass(frozen=True)
class TopicDeliveryStats:
    slug: str
    subscribers: int
    pending: int
    sent: int
    failed: int
    skipped: int


@dataclass(frozen=True)
class FailedDelivery:
    """A failed alert (`post_id` and `slug`) or a failed digest (`digest_period`)."""

    post_id: int | None
    slug: str | None
    telegram_id: int
    chat_title: str | None
    attempts: int
    error: str | None
    at: datetime | None
    digest_period: str | None


def _on_postgresql(executor: AsyncSession | AsyncConnection) -> bool:
    engine = executor.get_bind() if isinstance(executor, AsyncSession) else executor
    return engine.dialect.name == "postgresql"


async def posts_awaiting_fan_out(session: AsyncSession, limit: int = 20) -> list[Post]:
    """Oldest first. On PostgreSQL the transaction first takes the fan-out lock and holds it
    to commit, so workers fan out one post at a time: a worker never skips a post another is
    fanning out to fan out a later one, which would let a chat's later alert overtake it."""
    if _on_postgresql(session):
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FAN_OUT_LOCK_KEY})
    query = (
        select(Post)
        .where(col(Post.state) == PostState.PUBLISHED, col(Post.fanned_out_at).is_(None))
        .order_by(col(Post.published_at), col(Post.id))
        .limit(limit)
    )
    return list(await session.scalars(query))


async def fan_out_post(session: AsyncSession, target: Post) -> int:
    """One Delivery row per active subscriber, in a single INSERT ... SELECT so that a
    hundred thousand subscribers never pass through Python. Values are typed literals: an
    untyped cast would let SQLite store a bare year as the due time."""
    subscribers = (
        select(
            literal(target.id, Integer),
            col(Subscription.chat_id),
            literal(DeliveryState.PENDING.value, String),
            literal(0, Integer),
            held_or_now(col(Subscription.chat_id)),
            col(Subscription.message_thread_id),
        )
        .join(Chat, col(Chat.id) == col(Subscription.chat_id))
        .where(
            col(Subscription.topic_id) == target.topic_id,
            col(Chat.active).is_(True),
            effective_mode(col(Subscription.chat_id), target.topic_id) == "instant",
        )
        .order_by(col(Subscription.chat_id))
    )
    already = select(col(Delivery.id)).where(
        col(Delivery.post_id) == target.id, col(Delivery.chat_id) == col(Subscription.chat_id)
    )
    subscribers = subscribers.where(~already.exists())
    result = await session.execute(
        insert(Delivery).from_select(
            ["post_id", "chat_id", "state", "attempts", "next_attempt_at", "message_thread_id"],
            subscribers,
        )
    )
    await hold_for_digests(session, target)
    target.fanned_out_at = utc_now()
    await session.flush()
    created = cast("CursorResult[Any]", result).rowcount or 0
    if created >= ANALYZE_AFTER and _on_postgresql(session):
        # Autovacuum's statistics lag a large fan-out; until they catch up the planner thinks
        # the queue empty and a claim of 32 took 26 ms instead of 2.4.
        await session.execute(text("ANALYZE deliveries"))
    return created


ANALYZE_AFTER = 5_000
# SQLModel's metaclass sets __table__ without declaring it.
_DELIVERIES: Table = Delivery.__table__  # type: ignore[attr-defined]
_LEASE_SECONDS = seconds_parameter("lease_seconds")
_EARLIER = aliased(Delivery)


def _state_is(column: Any, *states: DeliveryState) -> ColumnElement[bool]:
    """The states are written into the statement, not bound: asyncpg prepares statements, and
    the generic plan PostgreSQL settles on after five runs cannot tell a bound 'pending' (a few
    rows) from 'sent' (nearly all of them), so it scans the whole table. Inline, the planner
    sees the constant and probes the index however many settled rows there are."""
    values: list[ColumnElement[str]] = [literal_column(f"'{state.value}'") for state in states]
    if len(values) == 1:
        return col(column) == values[0]
    return col(column).in_(values)


_EARLIER_OPEN = (
    select(col(_EARLIER.id))
    .where(
        col(_EARLIER.chat_id) == col(Delivery.chat_id),
        col(_EARLIER.id) < col(Delivery.id),
        _state_is(_EARLIER.state, *OPEN_DELIVERY_STATES),
    )
    .exists()
)


def _chat_not_resting(chat_id: Any) -> ColumnElement[bool]:
    """Whether the chat's per-chat limit lets its next alert go. `NOT IN` rather than `NOT
    EXISTS`: PostgreSQL reads the resting chats once (an index probe on `next_send_at`, only
    chats sent to in the last few seconds) and filters with their hash, where an anti-join
    walked every open delivery in chat order whenever the planner thought many were due."""
    resting = select(col(Chat.id)).where(col(Chat.next_send_at) > database_now())
    return col(chat_id).not_in(resting)


_DUE = (
    select(col(Delivery.id))
    .where(
        _state_is(Delivery.state, DeliveryState.PENDING),
        col(Delivery.next_attempt_at) <= database_now(),
        ~_EARLIER_OPEN,
        _chat_not_resting(col(Delivery.chat_id)),
    )
    .order_by(col(Delivery.id))
    .limit(bindparam("limit"))
)


def _of_chat(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return (
        select(column)
        .select_from(Chat)
        .outerjoin(ChatSettings, col(ChatSettings.chat_id) == col(Chat.id))
        .where(col(Chat.id) == col(Delivery.chat_id))
        .scalar_subquery()
    )


# A delivery reads its post in the chat's language and calendar as they are at its first claim
# and keeps them: a split alert retried after the chat changed either sends the rest of the
# parts it started, not parts of another text.
_CHAT_LANGUAGE = _of_chat(
    case(
        (
            func.coalesce(col(ChatSettings.language), col(Chat.language)) == Language.PERSIAN,
            literal(Language.PERSIAN.value, String),
        ),
        else_=literal(Language.ENGLISH.value, String),
    )
)
_CHAT_CALENDAR = _of_chat(
    func.coalesce(col(ChatSettings.calendar), literal(Calendar.GREGORIAN.value, String))
)


def _claiming(due: Select[int | None]) -> UpdateStatement:
    return (
        update(_DELIVERIES)
        .where(col(Delivery.id).in_(due.scalar_subquery()))
        .values(
            state=DeliveryState.LEASED,
            lease_token=bindparam("lease_token"),
            lease_expires_at=database_now(_LEASE_SECONDS),
            language=func.coalesce(col(Delivery.language), _CHAT_LANGUAGE),
            calendar=func.coalesce(col(Delivery.calendar), _CHAT_CALENDAR),
        )
        .returning(col(Delivery.id))
    )


# Built once: compiling this statement costs more than running it on an idle queue.
_CLAIM = _claiming(_DUE)
# A correction replies to the chat's copy of the post it corrects, known by the time it is due:
# a chat's deliveries go out in order.
_CLAIM_SKIP_LOCKED = _claiming(_DUE.with_for_update(skip_locked=True))
_ORIGINAL = aliased(Delivery)


def _of_original(column: Any) -> ColumnElement[Any]:
    """The chat's copy of the post a correction corrects, read only for corrections: joined
    for every claimed row, it read every delivery of the chat, the whole table under a generic
    plan, so claims slowed as the table grew."""
    copy = (
        select(column)
        .where(
            col(_ORIGINAL.chat_id) == col(Delivery.chat_id),
            col(_ORIGINAL.post_id).in_(versions_of(col(Post.corrects_id)).correlate(Post)),
        )
        .order_by(col(_ORIGINAL.id))
        .limit(1)
        .scalar_subquery()
    )
    return case((col(Post.kind) == literal_column(f"'{CORRECTION_KIND}'"), copy), else_=None)


# A post is read in the delivery's language and calendar; a post from before that reading
# existed, in the language's Gregorian text, then in the English (bot/reading/post_texts.py).
_PERSIAN = col(Delivery.language) == Language.PERSIAN
_SOLAR_HIJRI = col(Delivery.calendar) == Calendar.SOLAR_HIJRI
_IN_LANGUAGE = case(
    (
        and_(_PERSIAN, _SOLAR_HIJRI),
        func.coalesce(col(Post.rendered_fa_solar_hijri), col(Post.rendered_fa)),
    ),
    (_PERSIAN, col(Post.rendered_fa)),
    (_SOLAR_HIJRI, col(Post.rendered_solar_hijri)),
    else_=None,
)
_CLAIMED_DETAILS = (
    select(
        col(Delivery.id),
        col(Delivery.post_id),
        col(Delivery.chat_id),
        col(Chat.telegram_id),
        col(Chat.type),
        func.coalesce(_IN_LANGUAGE, col(Post.rendered), col(Digest.rendered)),
        col(Delivery.attempts),
        col(Delivery.lease_token),
        col(Delivery.parts_sent),
        col(Delivery.retrying_since),
        _of_original(col(_ORIGINAL.message_id)).label("original_message_id"),
        _of_original(col(_ORIGINAL.parts_sent)).label("original_parts"),
        func.coalesce(col(ChatSettings.silent), False).label("silent"),
        col(Delivery.message_thread_id),
    )
    .join(Chat, col(Chat.id) == col(Delivery.chat_id))
    .outerjoin(Post, col(Post.id) == col(Delivery.post_id))
    .outerjoin(Digest, col(Digest.id) == col(Delivery.digest_id))
    .outerjoin(ChatSettings, col(ChatSettings.chat_id) == col(Delivery.chat_id))
    .where(col(Delivery.id).in_(bindparam("ids", expanding=True)))
    .order_by(col(Delivery.id))
)


def _held(delivery_id: object, lease_token: object) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Delivery.id) == delivery_id,
        col(Delivery.lease_token) == lease_token,
        col(Delivery.state) == DeliveryState.LEASED,
    )


_RECORD_SENT = (
    update(_DELIVERIES)
    .where(*_held(bindparam("delivery_id"), bindparam("token")))
    .values(
        state=DeliveryState.SENT,
        sent_at=bindparam("sent_at"),
        message_id=bindparam("message_id"),
        parts_sent=bindparam("parts", type_=JSON),
        lease_expires_at=None,
        attempts=col(Delivery.attempts) + 1,
    )
)
_RENEW = (
    update(_DELIVERIES)
    .where(
        col(Delivery.lease_token).in_(bindparam("tokens", expanding=True)),
        col(Delivery.state) == DeliveryState.LEASED,
    )
    .values(lease_expires_at=database_now(_LEASE_SECONDS))
)
_SPACING = case(
    (col(Chat.type) == literal_column("'private'"), bindparam("private_spacing", type_=Float)),
    else_=bindparam("group_spacing", type_=Float),
)
_REST_CHATS = (
    update(Chat)
    .where(
        col(Chat.id).in_(
            select(col(Delivery.chat_id)).where(
                col(Delivery.id).in_(bindparam("ids", expanding=True))
            )
        )
    )
    .values(next_send_at=database_now(_SPACING))
)
# PostgreSQL records a whole batch, and rests its chats, in one statement and one round trip;
# the ids it returns are those still leased under the caller's token.
_RECORD_SENT_ON_POSTGRESQL = text(
    """
    WITH batch AS (
        SELECT * FROM unnest(
            CAST(:ids AS integer[]), CAST(:tokens AS varchar[]),
            CAST(:message_ids AS bigint[]), CAST(:parts AS text[])
        ) AS b(id, token, message_id, parts)
    ), sent AS (
        UPDATE deliveries AS d SET
            state = 'sent', sent_at = :sent_at, message_id = b.message_id,
            parts_sent = CAST(b.parts AS json), lease_expires_at = NULL,
            attempts = d.attempts + 1
        FROM batch AS b
        WHERE d.id = b.id AND d.lease_token = b.token AND d.state = 'leased'
        RETURNING d.id
    ), rested AS (
        UPDATE chats AS c SET next_send_at = now() + make_interval(secs => CASE
            WHEN c.type = 'private' THEN CAST(:private_spacing AS float8)
            ELSE CAST(:group_spacing AS float8) END)
        FROM deliveries AS d JOIN batch AS b ON d.id = b.id
        WHERE c.id = d.chat_id
    )
    SELECT id FROM sent
    """
)


async def claim_due_deliveries(
    session: AsyncSession | AsyncConnection, limit: int, lease_seconds: float = 60.0
) -> list[ClaimedDelivery]:
    """Due rows become `leased` under one new token until `lease_seconds` from now. Only the
    oldest open delivery of each chat is due, which keeps each chat's alerts in publishing
    order and never sends two to one chat at once. On PostgreSQL, rows another worker is
    claiming are skipped, not waited for."""
    claim = _CLAIM_SKIP_LOCKED if _on_postgresql(session) else _CLAIM
    token = uuid.uuid4().hex
    parameters = {"limit": limit, "lease_token": token, "lease_seconds": lease_seconds}
    claimed_ids = list(await session.scalars(claim, parameters))
    if not claimed_ids:
        return []
    rows = await session.execute(_CLAIMED_DETAILS, {"ids": claimed_ids})
    return [
        ClaimedDelivery(
            *cast("tuple[int, int, int, int, str, str, int, str]", row[:8]),
            tuple(row.parts_sent or ()),
            row.retrying_since,
            row.original_message_id or next(iter(row.original_parts or ()), None),
            bool(row.silent),
            row.message_thread_id,
        )
        for row in rows.all()
    ]


async def renew_leases(
    session: AsyncSession | AsyncConnection, tokens: list[str], lease_seconds: float
) -> int:
    """Pushes the expiry of every row still leased under these tokens; returns how many."""
    if not tokens:
        return 0
    result = await session.execute(_RENEW, {"tokens": tokens, "lease_seconds": lease_seconds})
    return cast("CursorResult[Any]", result).rowcount or 0


async def work_is_due(session: AsyncSession | AsyncConnection) -> bool:
    """One cheap query for the idle tick: whether anything waits for fan-out, is due to be
    sent, or sits under a lease that ran out. Each part is an index probe, so a tick with
    nothing to do costs about an empty transaction however large the table grows."""
    now = database_now()
    expired = select(col(Delivery.id)).where(
        _state_is(Delivery.state, DeliveryState.LEASED), col(Delivery.lease_expires_at) < now
    )
    due = select(col(Delivery.id)).where(
        _state_is(Delivery.state, DeliveryState.PENDING),
        col(Delivery.next_attempt_at) <= now,
        _chat_not_resting(col(Delivery.chat_id)),
    )
    unfanned = select(col(Post.id)).where(
        col(Post.state) == PostState.PUBLISHED, col(Post.fanned_out_at).is_(None)
    )
    query = select(or_(expired.exists(), due.exists(), unfanned.exists()))
    return bool(await session.scalar(query))


async def release_expired_leases(session: AsyncSession | AsyncConnection) -> int:
    """Rows whose holder stopped renewing go back to the queue; a late settle by that holder
    then finds its token gone and changes nothing."""
    result = await session.execute(
        update(_DELIVERIES)
        .where(
            col(Delivery.state) == DeliveryState.LEASED,
            col(Delivery.lease_expires_at) < database_now(),
        )
        .values(state=DeliveryState.PENDING, lease_token=None, lease_expires_at=None)
    )
    return cast("CursorResult[Any]", result).rowcount or 0


async def rest_chats(
    session: AsyncSession | AsyncConnection, delivery_ids: list[int], spacing: ChatSpacing
) -> None:
    """The chats of these deliveries get no other alert, from any worker, until their spacing
    has passed on the database's clock. Called in the transaction that settles a send, so no
    claim ever sees the delivery settled and its chat not yet resting."""
    await session.execute(_REST_CHATS, {"ids": delivery_ids, **_spacing_parameters(spacing)})


def _spacing_parameters(spacing: ChatSpacing) -> dict[str, float]:
    return {"private_spacing": spacing.private, "group_spacing": spacing.group}


async def record_sent(
    session: AsyncSession | AsyncConnection,
    sent: list[tuple[int, str, tuple[int, ...]]],
    spacing: ChatSpacing,
) -> list[int]:
    """Several (delivery id, lease token, message ids of every part) at once, their chats
    resting for `spacing` (also a chat whose lease was lost: the alert did reach it). Returns
    the ids whose lease was no longer the caller's, which were left as they were."""
    now = utc_now()
    if _on_postgresql(session):
        recorded = await session.scalars(
            _RECORD_SENT_ON_POSTGRESQL,
            {
                "ids": [d for d, _, _ in sent],
                "tokens": [token for _, token, _ in sent],
                "message_ids": [parts[0] if parts else None for _, _, parts in sent],
                "parts": [json.dumps(list(parts)) for _, _, parts in sent],
                "sent_at": now,
                **_spacing_parameters(spacing),
            },
        )
        mine = set(recorded)
        return [d for d, _, _ in sent if d not in mine]
    if isinstance(session, AsyncSession):
        return await session.run_sync(
            lambda sync: record_sent_rows(sync.connection(), sent, spacing)
        )
    return await session.run_sync(record_sent_rows, sent, spacing)


async def record_sent_batch(
    database: Database, sent: list[tuple[int, str, tuple[int, ...]]], spacing: ChatSpacing
) -> list[int]:
    """`record_sent` in a transaction of its own: one statement on PostgreSQL, one hop to
    SQLite's writer thread (`Database.run_transaction`) on SQLite."""
    if not database.local:
        async with database.connection() as connection:
            return await record_sent(connection, sent, spacing)
    return await database.run_transaction(partial(record_sent_rows, sent=sent, spacing=spacing))


def record_sent_rows(
    connection: Connection,
    sent: list[tuple[int, str, tuple[int, ...]]],
    spacing: ChatSpacing,
) -> list[int]:
    """The batch recorded one row per statement parameter set, as SQLite needs; blocking, so a
    whole batch takes one step on SQLite's writer thread."""
    now = utc_now()
    connection.execute(
        _REST_CHATS, {"ids": [d for d, _, _ in sent], **_spacing_parameters(spacing)}
    )
    result = connection.execute(
        _RECORD_SENT,
        [
            {
                "delivery_id": d,
                "token": token,
                "message_id": parts[0] if parts else None,
                "parts": list(parts),
                "sent_at": now,
            }
            for d, token, parts in sent
        ],
    )
    if connection.dialect.supports_sane_multi_rowcount and result.rowcount == len(sent):
        return []
    settled = connection.execute(
        select(col(Delivery.id), col(Delivery.lease_token), col(Delivery.state)).where(
            col(Delivery.id).in_([d for d, _, _ in sent])
        )
    )
    mine = {
        row.id
        for row in settled
        if row.state == DeliveryState.SENT and row.lease_token in {t for _, t, _ in sent}
    }
    return [d for d, _, _ in sent if d not in mine]


async def record_retry(
    session: AsyncSession,
    delivery_id: int,
    lease_token: str,
    error: str,
    delay_seconds: float,
    *,
    attempt: bool,
    parts_sent: tuple[int, ...],
) -> bool:
    """Back to `pending`, due `delay_seconds` from now on the database's clock. A Telegram-asked
    pause (`attempt=False`) neither uses up an attempt nor starts the retry window. False when
    the lease was no longer the caller's."""
    values: dict[str, object] = {
        "state": DeliveryState.PENDING,
        "lease_token": None,
        "lease_expires_at": None,
        "next_attempt_at": database_now(delay_seconds),
        "last_error": error[:500],
        "parts_sent": list(parts_sent) or None,
    }
    if attempt:
        values["attempts"] = col(Delivery.attempts) + 1
        values["retrying_since"] = func.coalesce(col(Delivery.retrying_since), database_now())
    result = await session.execute(
        update(Delivery).where(*_held(delivery_id, lease_token)).values(**values)
    )
    return bool(cast("CursorResult[Any]", result).rowcount)


async def record_final(
    session: AsyncSession,
    delivery_id: int,
    lease_token: str,
    state: DeliveryState,
    error: str,
    parts_sent: tuple[int, ...] = (),
) -> bool:
    result = await session.execute(
        update(Delivery)
        .where(*_held(delivery_id, lease_token))
        .values(
            state=state,
            last_error=error[:500],
            attempts=col(Delivery.attempts) + 1,
            lease_expires_at=None,
            parts_sent=list(parts_sent) or None,
        )
    )
    return bool(cast("CursorResult[Any]", result).rowcount)


async def requeue_failed_deliveries(session: AsyncSession, post_id: int | None) -> int:
    """Failed deliveries of one post (or of all) are due again, with a fresh retry window."""
    condition = [col(Delivery.state) == DeliveryState.FAILED]
    if post_id is not None:
        condition.append(col(Delivery.post_id) == post_id)
    result = await session.execute(
        update(Delivery)
        .where(*condition)
        .values(
            state=DeliveryState.PENDING,
            next_attempt_at=database_now(),
            retrying_since=None,
        )
    )
    return cast("CursorResult[Any]", result).rowcount or 0


async def delivery_stats(session: AsyncSession) -> list[TopicDeliveryStats]:
    counts = {
        state: func.coalesce(func.sum(case((col(Delivery.state) == state, 1), else_=0)), 0)
        for state in DeliveryState
    }
    per_topic = (
        select(col(Post.topic_id), *(value.label(state) for state, value in counts.items()))
        .join(Delivery, col(Delivery.post_id) == col(Post.id))
        .group_by(col(Post.topic_id))
        .subquery()
    )
    subscribers = (
        select(func.count(col(Subscription.id)))
        .join(Chat, col(Chat.id) == col(Subscription.chat_id))
        .where(col(Subscription.topic_id) == col(Topic.id), col(Chat.active).is_(True))
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            col(Topic.slug),
            subscribers,
            func.coalesce(per_topic.c.pending + per_topic.c.leased, 0),
            func.coalesce(per_topic.c.sent, 0),
            func.coalesce(per_topic.c.failed, 0),
            func.coalesce(per_topic.c.skipped, 0),
        )
        .outerjoin(per_topic, per_topic.c.topic_id == col(Topic.id))
        .order_by(col(Topic.slug))
    )
    return [TopicDeliveryStats(*row) for row in rows.all()]


async def recent_failures(session: AsyncSession, limit: int = 10) -> list[FailedDelivery]:
    rows = await session.execute(
        select(
            col(Delivery.post_id),
            col(Topic.slug),
            col(Chat.telegram_id),
            col(Chat.title),
            col(Delivery.attempts),
            col(Delivery.last_error),
            col(Delivery.next_attempt_at),
            col(Digest.period),
        )
        .outerjoin(Post, col(Post.id) == col(Delivery.post_id))
        .outerjoin(Topic, col(Topic.id) == col(Post.topic_id))
        .outerjoin(Digest, col(Digest.id) == col(Delivery.digest_id))
        .join(Chat, col(Chat.id) == col(Delivery.chat_id))
        .where(col(Delivery.state) == DeliveryState.FAILED)
        .order_by(col(Delivery.id).desc())
        .limit(limit)
    )
    return [FailedDelivery(*cast("tuple[Any, ...]", row)) for row in rows.all()]


async def write_scheduler_state(session: AsyncSession, key: str, value: str | None) -> None:
    """One upsert: every tick writes this, even when it has nothing else to do."""
    dialect_insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    table: Table = SchedulerState.__table__  # type: ignore[attr-defined]
    statement = dialect_insert(table).values(key=key, value=value, at=utc_now())
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"value": statement.excluded.value, "at": statement.excluded.at},
        )
    )


async def read_scheduler_state(session: AsyncSession) -> dict[str, SchedulerState]:
    return {row.key: row for row in await session.scalars(select(SchedulerState))}

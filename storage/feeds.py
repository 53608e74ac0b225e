"""Watched feeds and the entries already seen in them.

Due times and the hourly window are on the database's clock, so several workers agree on them;
a feed is claimed by moving its due time forward only if no other worker moved it first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.clock import database_now
from storage.models import Feed, FeedEntry, Topic


@dataclass(frozen=True)
class DueFeed:
    id: int
    topic_slug: str
    url: str
    keywords: tuple[str, ...]
    interval_seconds: float
    etag: str | None
    last_modified: str | None
    failures: int
    first_fetch: bool


@dataclass(frozen=True)
class FeedListing:
    id: int
    topic_slug: str
    url: str
    keywords: tuple[str, ...]
    interval_seconds: float
    last_fetched_at: datetime | None
    last_result: str | None
    failures: int


async def add_feed(
    session: AsyncSession,
    topic_id: int,
    url: str,
    keywords: Iterable[str],
    interval_seconds: float,
    added_by: int,
) -> Feed | None:
    """None when the topic already watches this address."""
    existing = await session.scalar(
        select(col(Feed.id)).where(col(Feed.topic_id) == topic_id, col(Feed.url) == url)
    )
    if existing is not None:
        return None
    feed = Feed(
        topic_id=topic_id,
        url=url,
        keywords=" ".join(keywords),
        interval_seconds=interval_seconds,
        added_by=added_by,
    )
    session.add(feed)
    await session.flush()
    return feed


async def feed_listings(session: AsyncSession) -> list[FeedListing]:
    rows = await session.execute(
        select(Feed, col(Topic.slug))
        .join(Topic, col(Topic.id) == col(Feed.topic_id))
        .order_by(col(Feed.id))
    )
    return [
        FeedListing(
            feed.id or 0,
            slug,
            feed.url,
            tuple(feed.keywords.split()),
            feed.interval_seconds,
            feed.last_fetched_at,
            feed.last_result,
            feed.failures,
        )
        for feed, slug in rows.all()
    ]


async def remove_feeds(session: AsyncSession, feed_id: int | None, url: str | None) -> list[str]:
    """Removes the feed with this id, or every feed with this address; returns their addresses."""
    condition = col(Feed.id) == feed_id if feed_id is not None else col(Feed.url) == url
    feeds = list(await session.scalars(select(Feed).where(condition)))
    ids = [feed.id for feed in feeds]
    if ids:
        await session.execute(delete(FeedEntry).where(col(FeedEntry.feed_id).in_(ids)))
        await session.execute(delete(Feed).where(col(Feed.id).in_(ids)))
    return [feed.url for feed in feeds]


async def any_feed_due(session: AsyncSession) -> bool:
    """A read, so an idle tick never takes SQLite's write lock from the outbox."""
    due = await session.scalar(
        select(col(Feed.id)).where(col(Feed.next_fetch_at) <= database_now()).limit(1)
    )
    return due is not None


async def claim_due_feeds(session: AsyncSession, limit: int) -> list[DueFeed]:
    """Each due feed's next fetch moves one interval ahead as it is claimed, so a crash in the
    middle of a fetch only delays the feed, and no other worker fetches it meanwhile."""
    rows = (
        await session.execute(
            select(Feed, col(Topic.slug))
            .join(Topic, col(Topic.id) == col(Feed.topic_id))
            .where(col(Feed.next_fetch_at) <= database_now())
            .order_by(col(Feed.next_fetch_at))
            .limit(limit)
        )
    ).all()
    claimed: list[DueFeed] = []
    for feed, slug in rows:
        result = await session.execute(
            update(Feed)
            .where(col(Feed.id) == feed.id, col(Feed.next_fetch_at) == feed.next_fetch_at)
            .values(next_fetch_at=database_now(feed.interval_seconds))
        )
        if cast("CursorResult[Any]", result).rowcount:
            claimed.append(
                DueFeed(
                    feed.id or 0,
                    slug,
                    feed.url,
                    tuple(feed.keywords.split()),
                    feed.interval_seconds,
                    feed.etag,
                    feed.last_modified,
                    feed.failures,
                    feed.last_fetched_at is None,
                )
            )
    return claimed


async def seen_entry_keys(session: AsyncSession, feed_id: int, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    found = await session.scalars(
        select(col(FeedEntry.entry_key)).where(
            col(FeedEntry.feed_id) == feed_id,
            col(FeedEntry.entry_key).in_(keys),
        )
    )
    return set(found)


async def record_entries(
    session: AsyncSession, feed_id: int, keys: Iterable[str], *, drafted: bool
) -> None:
    """Raises IntegrityError when another worker recorded one of them first."""
    rows = [
        {"feed_id": feed_id, "entry_key": key, "drafted": drafted, "seen_at": database_now()}
        for key in keys
    ]
    for row in rows:
        await session.execute(insert(FeedEntry).values(**row))


async def drafted_in_last_hour(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(FeedEntry)
        .where(col(FeedEntry.drafted), col(FeedEntry.seen_at) >= database_now(-3600.0))
    )
    return int(count or 0)


async def record_fetch_success(
    session: AsyncSession,
    feed_id: int,
    result: str,
    validators: tuple[str | None, str | None] | None,
) -> bool:
    """`validators` (ETag, Last-Modified) replace the stored ones unless None. True when the
    feed had been reported broken, so admins hear that it works again."""
    was_reported = bool(
        await session.scalar(select(col(Feed.broken_reported)).where(col(Feed.id) == feed_id))
    )
    values: dict[str, object] = {
        "last_fetched_at": database_now(),
        "last_result": result[:500],
        "failures": 0,
        "broken_reported": False,
    }
    if validators is not None:
        values["etag"], values["last_modified"] = validators
    await session.execute(update(Feed).where(col(Feed.id) == feed_id).values(**values))
    return was_reported


async def record_fetch_failure(
    session: AsyncSession, feed_id: int, result: str, retry_in: float, report_at: int
) -> int | None:
    """Counts the failure and puts the next fetch `retry_in` seconds ahead. Returns the count
    of failures in a row when this failure is the one to report: the first to reach
    `report_at` since the feed last worked, taken by one worker only."""
    await session.execute(
        update(Feed)
        .where(col(Feed.id) == feed_id)
        .values(
            failures=col(Feed.failures) + 1,
            last_fetched_at=database_now(),
            last_result=result[:500],
            next_fetch_at=database_now(retry_in),
        )
    )
    reported = await session.execute(
        update(Feed)
        .where(
            col(Feed.id) == feed_id,
            col(Feed.failures) >= report_at,
            col(Feed.broken_reported).is_(False),
        )
        .values(broken_reported=True)
        .returning(col(Feed.failures))
    )
    failures = reported.scalar()
    return int(failures) if failures is not None else None


async def topic_id_by_slug(session: AsyncSession, slug: str) -> int | None:
    return await session.scalar(select(col(Topic.id)).where(col(Topic.slug) == slug))

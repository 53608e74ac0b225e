"""Which feeds are watched for which topic: what /watch, /feeds and /unwatch change and show."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.feed_fetch import web_address_refusal
from bot.reading.language import N_, Refusal
from storage.admins import record_audit
from storage.database import Database
from storage.feeds import FeedListing, add_feed, feed_listings, remove_feeds, topic_id_by_slug

MAX_KEYWORDS = 20
MAX_KEYWORD_CHARS = 100


class WatchRefused(Refusal):
    """A feed that cannot be watched as asked."""


@dataclass(frozen=True)
class Watched:
    feed_id: int
    slug: str
    url: str
    keywords: tuple[str, ...]


async def watch_feed(
    database: Database,
    admin_id: int,
    slug: str,
    url: str,
    keywords: tuple[str, ...],
    interval_seconds: float,
) -> Watched:
    problem = web_address_refusal(url)
    if problem is not None:
        raise WatchRefused(problem.message, **problem.values)
    if len(keywords) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD_CHARS for k in keywords):
        raise WatchRefused(
            N_("Give at most {most} keywords of up to {characters} characters each."),
            most=MAX_KEYWORDS,
            characters=MAX_KEYWORD_CHARS,
        )
    async with database.transaction() as session:
        topic_id = await topic_id_by_slug(session, slug)
        if topic_id is None:
            raise WatchRefused(N_("There is no topic `{slug}`; /topics lists them."), slug=slug)
        feed = await add_feed(session, topic_id, url, keywords, interval_seconds, admin_id)
        if feed is None:
            raise WatchRefused(
                N_("`{slug}` already watches that feed; /feeds lists them."), slug=slug
            )
        await record_audit(session, admin_id, "watch", f"feed {feed.id}: {slug} {url}", topic=slug)
    return Watched(feed.id or 0, slug, url, keywords)


async def watched_feeds(database: Database) -> list[FeedListing]:
    async with database.session() as session:
        return await feed_listings(session)


async def unwatch_feed(database: Database, admin_id: int, which: str) -> list[str]:
    """`which` is a feed's id as /feeds shows it, or its address (every topic's feed with it)."""
    feed_id = int(which) if re.fullmatch(r"[0-9]{1,18}", which) else None
    async with database.transaction() as session:
        removed = await remove_feeds(session, feed_id, None if feed_id else which)
        if removed:
            await record_audit(session, admin_id, "unwatch", which[:200])
    return removed

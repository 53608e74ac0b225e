"""Watching news feeds: each due feed is fetched with its validators, its new entries about the
topic become drafts for every admin, and a feed that keeps failing is reported once.

The first fetch of a feed only records what it already holds, so watching a feed never floods
the admins with old news; from then on, only new entries are read. An entry is recorded as
seen in the same transaction that stores its drafts, so neither a duplicate in the feed nor a
restart nor a second worker drafts it twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from time import struct_time

import feedparser
import httpx
import trafilatura
from sqlalchemy.exc import IntegrityError
from telegram import Bot

from bot.admin.roster import AdminRoster
from bot.delivery.sender import send_notice
from bot.intake.draft_message import proposal_message
from bot.intake.drafting import DraftProposal, fitted_card_body
from bot.intake.extraction import extract_card
from bot.intake.feed_fetch import FetchProblem, fetch, fetch_client, web_address_problem
from bot.intake.known_topics import KnownParty, KnownTopic
from bot.reading.language import N_, Translator, translator_of_chat
from storage.article_drafts import create_article_draft
from storage.database import Database
from storage.feeds import (
    DueFeed,
    any_feed_due,
    claim_due_feeds,
    drafted_in_last_hour,
    record_entries,
    record_fetch_failure,
    record_fetch_success,
    seen_entry_keys,
)
from storage.topic_parties import active_topics_with_parties

log = logging.getLogger(__name__)

FEEDS_PER_TICK = 20
FAILURES_BEFORE_REPORT = 3
LONGEST_BACKOFF = 6 * 3600.0
FEED_FAILING = N_(
    "⚠️ The feed {url} for {slug} has failed {count} times in a row ({problem}). Roundwatch "
    "keeps trying, less often, and says so here once it works again; /feeds shows its state, "
    "/unwatch removes it."
)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FeedItem:
    key: str
    title: str
    link: str | None
    summary: str
    published: date | None


@dataclass(frozen=True)
class FeedWatchSettings:
    max_bytes: int
    drafts_per_hour: int


def parse_feed(body: bytes) -> list[FeedItem]:
    """The entries oldest first. feedparser reads only these bytes, never the network."""
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries and not parsed.get("version"):
        raise FetchProblem("not an RSS or Atom feed")
    items = [_item_of(entry) for entry in parsed.entries]
    return [item for item in reversed(items) if item is not None]


def _item_of(entry: feedparser.FeedParserDict) -> FeedItem | None:
    title = _plain(entry.get("title", ""))
    link = entry.get("link") or None
    summary = _plain(entry.get("summary", ""))
    key = entry.get("id") or link or _digest(title + summary)
    if not key or not (title or summary):
        return None
    when: struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    published = date(when.tm_year, when.tm_mon, when.tm_mday) if when else None
    return FeedItem(key[:500], title, link, summary, published)


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def mentions(text: str, terms: tuple[str, ...]) -> bool:
    """Whole words, case-insensitively, so a short alias such as "US" is not found inside
    "focus"."""
    lowered = text.casefold()
    return any(
        re.search(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", lowered) for term in terms if term
    )


def page_text(page: bytes) -> str | None:
    """The page's main text, without menus, comments and footers."""
    return trafilatura.extract(page.decode("utf-8", errors="replace"), include_comments=False)


class FeedWatch:
    """The scheduler job's service: everything it needs, built once at start-up."""

    def __init__(
        self, database: Database, bot: Bot, roster: AdminRoster, settings: FeedWatchSettings
    ) -> None:
        self.database = database
        self.bot = bot
        self.roster = roster
        self.settings = settings
        self._pass = asyncio.Lock()

    @property
    def busy(self) -> bool:
        return self._pass.locked()

    async def watch_due_feeds(self) -> None:
        async with self._pass:
            await self._watch_due_feeds()

    async def _watch_due_feeds(self) -> None:
        async with self.database.session() as session:
            if not await any_feed_due(session):
                return
        async with self.database.transaction() as session:
            due = await claim_due_feeds(session, FEEDS_PER_TICK)
        if not due:
            return
        async with self.database.session() as session:
            stored = await active_topics_with_parties(session)
        topics = {
            t.slug: KnownTopic(
                t.slug, t.title, tuple(KnownParty(p.name, p.aliases, p.role) for p in t.parties)
            )
            for t in stored
        }
        async with fetch_client() as client, asyncio.TaskGroup() as group:
            for feed in due:
                if feed.topic_slug in topics:
                    group.create_task(self._watch(client, feed, topics[feed.topic_slug]))

    async def _watch(self, client: httpx.AsyncClient, feed: DueFeed, topic: KnownTopic) -> None:
        try:
            fetched = await fetch(
                client,
                feed.url,
                self.settings.max_bytes,
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
            items = await asyncio.to_thread(parse_feed, fetched.body) if fetched else None
        except FetchProblem as problem:
            await self._failed(feed, str(problem))
            return
        if fetched is None or items is None:
            await self._worked(feed, "not modified", None)
            return
        async with self.database.session() as session:
            seen = await seen_entry_keys(session, feed.id, [item.key for item in items])
        new = list({item.key: item for item in items if item.key not in seen}.values())
        validators = (fetched.etag, fetched.last_modified)
        if feed.first_fetch:
            async with self.database.transaction() as session:
                await record_entries(session, feed.id, [i.key for i in new], drafted=False)
            await self._worked(feed, f"{len(new)} entries already there, left as read", validators)
            return
        terms = (*topic_terms(topic), *feed.keywords)
        drafted = held = 0
        for item in new:
            if not mentions(f"{item.title} {item.summary}", terms):
                async with self.database.transaction() as session:
                    await record_entries(session, feed.id, [item.key], drafted=False)
            elif await self._room_for_a_draft():
                drafted += await self._draft(client, feed, topic, item)
            else:
                held += 1
        # Held entries stay unseen, and without new validators the next fetch reads them again.
        result = f"{len(new)} new, {drafted} drafted"
        if held:
            result += f", {held} held back by the hourly limit"
        await self._worked(feed, result, None if held else validators)

    async def _room_for_a_draft(self) -> bool:
        async with self.database.session() as session:
            return await drafted_in_last_hour(session) < self.settings.drafts_per_hour

    async def _draft(
        self, client: httpx.AsyncClient, feed: DueFeed, topic: KnownTopic, item: FeedItem
    ) -> int:
        text = await self._article_text(client, item)
        written_on = item.published or datetime.now(UTC).date()
        extraction = await asyncio.to_thread(extract_card, text, written_on, (topic,), None)
        body = fitted_card_body(extraction)
        admins = await self.roster.all_ids()
        try:
            async with self.database.transaction() as session:
                await record_entries(session, feed.id, [item.key], drafted=True)
                drafts = [
                    await create_article_draft(session, admin, body, topic.slug, [topic.slug])
                    for admin in admins
                ]
        except IntegrityError:
            log.info("entry %s of feed %s was drafted by another worker", item.key, feed.id)
            return 0
        for admin, draft in zip(admins, drafts, strict=True):
            t = await translator_of_chat(self.database, admin)
            proposal = DraftProposal(
                draft.id or 0, f"/post {topic.slug}\n{body}", topic.slug, (), topic.slug
            )
            text, buttons = proposal_message(proposal, t, entry_link(item, t))
            await send_notice(self.bot, [admin], text, buttons)
        return 1

    async def _article_text(self, client: httpx.AsyncClient, item: FeedItem) -> str:
        """The page's main text when the page can be had and read, else the feed's summary."""
        main: str | None = None
        if item.link:
            try:
                page = await fetch(client, item.link, self.settings.max_bytes)
            except FetchProblem as problem:
                log.info("page %s not read (%s); using the feed's summary", item.link, problem)
            else:
                main = await asyncio.to_thread(page_text, page.body) if page else None
        body = main or item.summary
        source = f"\n\n{item.link}" if item.link else ""
        return f"{item.title}\n\n{body}{source}" if item.title else f"{body}{source}"

    async def _worked(
        self, feed: DueFeed, result: str, validators: tuple[str | None, str | None] | None
    ) -> None:
        async with self.database.transaction() as session:
            was_reported = await record_fetch_success(session, feed.id, result, validators)
        if was_reported:
            await self._tell_admins(
                N_("✅ The feed {url} for {slug} works again."), feed, failures=0, problem=""
            )

    async def _failed(self, feed: DueFeed, problem: str) -> None:
        retry_in = min(feed.interval_seconds * 2 ** (feed.failures + 1), LONGEST_BACKOFF)
        retry_in = max(retry_in, feed.interval_seconds)
        async with self.database.transaction() as session:
            report = await record_fetch_failure(
                session, feed.id, problem, retry_in, FAILURES_BEFORE_REPORT
            )
        log.info("feed %s failed: %s", feed.url, problem)
        if report is not None:
            await self._tell_admins(FEED_FAILING, feed, failures=report, problem=problem)

    async def _tell_admins(self, message: str, feed: DueFeed, failures: int, problem: str) -> None:
        """Each admin in their own language; the fetch's problem is a technical phrase (an HTTP
        status, a timeout) and is shown as it is."""
        for admin in await self.roster.all_ids():
            t = await translator_of_chat(self.database, admin)
            text = t._(message).format(
                url=t.isolate(html.escape(feed.url)),
                slug=t.isolate(f"<code>{html.escape(feed.topic_slug)}</code>"),
                count=t.number(failures),
                problem=t.isolate(html.escape(problem)),
            )
            await send_notice(self.bot, [admin], t.directed(text))


def entry_link(item: FeedItem, t: Translator) -> str:
    """The entry's title, linked to its page when the page is one a reader can open."""
    title = html.escape(item.title or item.link or "") or t._("an entry")
    linkable = item.link is not None and web_address_problem(item.link) is None
    return f'<a href="{html.escape(item.link or "")}">{title}</a>' if linkable else title


def topic_terms(topic: KnownTopic) -> tuple[str, ...]:
    return tuple(name for party in topic.parties for name in (party.name, *party.aliases))

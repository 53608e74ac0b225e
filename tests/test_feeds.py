"""Watched feeds through the real Application, the double and a feed server on 127.0.0.1: new
entries about the topic become one draft per admin, conditional requests cost nothing when
nothing changed, nothing is drafted twice, a broken feed is reported once, and only admins may
watch anything."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from aiohttp import web
from sqlalchemy import func, select

import bot.intake.feed_fetch as feed_fetch
import bot.intake.feed_watch as feed_watch
from bot.app import build_application, running_bot
from bot.intake.feed_fetch import FetchProblem, fetch
from bot.posting.card_grammar import parse_card
from bot.posting.demo_data import DEMO_SLUG
from bot.sandbox import BotApiDouble
from storage.admins import add_admin
from storage.database import Database
from storage.models import ArticleDraft, Feed, FeedEntry
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, make_settings
from tests.test_intake import ARTICLE, READER, card_of, prepare_topic

SECOND_ADMIN = 300
FAST = {"ROUNDWATCH_CHECK_INTERVAL": 0.05, "ROUNDWATCH_FEED_INTERVAL": 0.1}
OLD = ("old-1", "Pakistan and the Taliban agree to meet again", "Talks in Doha ended.")
ISTANBUL = (
    "istanbul-2",
    "Second round of Pakistan-Taliban talks begins in Istanbul",
    "A new round of talks between Pakistan and the Taliban administration began in Istanbul.",
)
ELSEWHERE = (
    "almaty-1",
    "Armenia and Azerbaijan hold talks in Almaty",
    "The foreign ministers of Armenia and Azerbaijan held two days of peace talks in Almaty.",
)


@dataclass
class FeedServer:
    """A news site: one RSS feed, one page per entry, and the requests it was sent."""

    base_url: str = ""
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    etag: str | None = None
    status: int = 200
    padding: int = 0
    requests: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)

    def rss(self) -> bytes:
        when = format_datetime(datetime(2026, 10, 24, 9, tzinfo=UTC))
        items = "".join(
            f"<item><guid>{key}</guid><title>{html.escape(title)}</title>"
            f"<link>{self.base_url}/news/{key}</link><pubDate>{when}</pubDate>"
            f"<description>{html.escape(summary)}</description></item>"
            for key, title, summary in reversed(self.entries)
        )
        pad = f"<!-- {'x' * self.padding} -->" if self.padding else ""
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<link>{self.base_url}</link>{items}</channel></rss>{pad}"
        ).encode()

    async def feed(self, request: web.Request) -> web.Response:
        if self.status != 200:
            response = web.Response(status=self.status)
        elif self.etag is not None and request.headers.get("If-None-Match") == self.etag:
            response = web.Response(status=304)
        else:
            headers = {"ETag": self.etag} if self.etag else {}
            response = web.Response(body=self.rss(), content_type="application/rss+xml",
                                    headers=headers)  # fmt: skip
        self.requests.append((request.path, response.status, dict(request.headers)))
        return response

    async def page(self, request: web.Request) -> web.Response:
        if request.match_info["key"].startswith("gone"):
            self.requests.append((request.path, 404, dict(request.headers)))
            return web.Response(status=404)
        self.requests.append((request.path, 200, dict(request.headers)))
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in ARTICLE.read_text().split("\n"))
        body = (
            "<html><head><title>Wire</title></head><body><nav>Home · World · Sport</nav>"
            f"<article>{paragraphs}</article><footer>© Wire</footer></body></html>"
        )
        return web.Response(text=body, content_type="text/html")

    @property
    def feed_fetches(self) -> list[tuple[str, int, dict[str, str]]]:
        return [r for r in self.requests if r[0] == "/feed.xml"]


@pytest.fixture
async def site() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    app = web.Application()
    app.router.add_get("/feed.xml", server.feed)
    app.router.add_get("/news/{key}", server.page)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.base_url = f"http://127.0.0.1:{port}"
    yield server
    await runner.cleanup()


@pytest.fixture
def owner(double: BotApiDouble) -> Chatter:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    return Chatter(double, OWNER_ID, OWNER_ID)


@pytest.fixture
def second_admin(double: BotApiDouble) -> Chatter:
    double.add_private_chat(SECOND_ADMIN, first_name="Admin")
    return Chatter(double, SECOND_ADMIN, SECOND_ADMIN)


@pytest.fixture
def reader(double: BotApiDouble) -> Chatter:
    double.add_private_chat(READER, first_name="Reader")
    return Chatter(double, READER, READER)


async def until(check: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.02)


async def the_feed(database: Database) -> Feed:
    async with database.session() as session:
        feed = await session.scalar(select(Feed))
    assert feed is not None
    return feed


async def drafts(database: Database) -> list[ArticleDraft]:
    async with database.session() as session:
        return list(await session.scalars(select(ArticleDraft).order_by(ArticleDraft.id)))


async def watched_and_read(owner: Chatter, database: Database, site: FeedServer) -> None:
    """/watch, then the first fetch, which leaves what the feed already holds as read."""
    [answer] = await owner.says(f"/watch {DEMO_SLUG} {site.base_url}/feed.xml")
    assert "Watching feed" in answer.text

    async def first_fetch_done() -> bool:
        return (await the_feed(database)).last_fetched_at is not None

    await until(first_fetch_done)


async def test_a_new_entry_becomes_one_draft_per_admin_and_never_twice_even_after_a_restart(
    bot_for: StartBot,
    double: BotApiDouble,
    database: Database,
    database_url: str,
    site: FeedServer,
    owner: Chatter,
    second_admin: Chatter,
) -> None:
    await prepare_topic(database)
    async with database.transaction() as session:
        await add_admin(session, SECOND_ADMIN, OWNER_ID)
    site.entries = [OLD]
    application = build_application(make_settings(double, database_url, **FAST), database)
    async with running_bot(application):
        await watched_and_read(owner, database, site)
        assert await drafts(database) == []
        # The new entry twice (a feed that repeats itself), and one about another process.
        site.entries = [OLD, ISTANBUL, ELSEWHERE, ISTANBUL]
        await double.wait_for_messages(SECOND_ADMIN, 1, timeout=20)
        await double.wait_for_messages(OWNER_ID, 2, timeout=20)
        fetched = len(site.feed_fetches)
        await until(lambda: _at_least(site, fetched + 2))
    made = await drafts(database)
    assert sorted(d.author_id for d in made) == [OWNER_ID, SECOND_ADMIN]
    assert {d.topic_slug for d in made} == {DEMO_SLUG}
    for chat in (OWNER_ID, SECOND_ADMIN):
        [message] = [m for m in double.messages_to(chat) if "Draft card" in m.text]
        assert "Second round of Pakistan-Taliban talks begins in Istanbul" in message.text
        assert set(buttons_of(message)) == {"✅ Publish as is", "✏️ Edit", "🗑 Discard"}
        card = parse_card(card_of(message))
        assert card.number == 2
        assert (card.city, card.country) == ("Istanbul", "Turkey")
        assert card.mediators == ["Qatar", "Turkey"]
    assert "news/istanbul-2" in str([r[0] for r in site.requests])

    restarted = await bot_for(**FAST)
    assert restarted.running
    fetched = len(site.feed_fetches)
    await until(lambda: _at_least(site, fetched + 3))
    assert len(await drafts(database)) == 2
    async with database.session() as session:
        entries = list(await session.scalars(select(FeedEntry)))
    assert sorted((e.entry_key, e.drafted) for e in entries) == [
        ("almaty-1", False),
        ("istanbul-2", True),
        ("old-1", False),
    ]


async def _at_least(site: FeedServer, fetches: int) -> bool:
    return len(site.feed_fetches) >= fetches


async def test_not_modified_costs_nothing(
    bot_for: StartBot,
    database: Database,
    site: FeedServer,
    owner: Chatter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await prepare_topic(database)
    site.entries, site.etag = [OLD], '"v1"'
    parses: list[bytes] = []
    real_parse = feed_watch.parse_feed

    def counted_parse(body: bytes) -> list[feed_watch.FeedItem]:
        parses.append(body)
        return real_parse(body)

    monkeypatch.setattr(feed_watch, "parse_feed", counted_parse)
    await bot_for(**FAST)
    await watched_and_read(owner, database, site)

    async def three_not_modified() -> bool:
        return sum(status == 304 for _, status, _ in site.feed_fetches) >= 3

    await until(three_not_modified)
    conditional = [headers for _, status, headers in site.feed_fetches if status == 304]
    assert all(headers.get("If-None-Match") == '"v1"' for headers in conditional)
    assert len(parses) == 1
    assert (await the_feed(database)).last_result == "not modified"
    assert await drafts(database) == []


async def test_a_broken_feed_is_reported_once_and_again_only_after_it_recovered(
    bot_for: StartBot,
    double: BotApiDouble,
    database: Database,
    site: FeedServer,
    owner: Chatter,
) -> None:
    await prepare_topic(database)
    site.entries = [OLD]
    await bot_for(ROUNDWATCH_CHECK_INTERVAL=0.02, ROUNDWATCH_FEED_INTERVAL=0.02)
    await watched_and_read(owner, database, site)
    site.status = 500

    def reports() -> list[str]:
        return [m.text for m in double.messages_to(OWNER_ID) if "⚠️ The feed" in m.text]

    failed = len(site.feed_fetches)
    await until(lambda: _at_least(site, failed + 5))
    assert len(reports()) == 1
    assert "failed 3 times in a row (HTTP 500)" in reports()[0]
    site.status = 200
    await double.wait_for_messages(OWNER_ID, len(double.messages_to(OWNER_ID)) + 1, timeout=20)
    assert "works again" in double.messages_to(OWNER_ID)[-1].text
    assert (await the_feed(database)).failures == 0
    site.status = 404

    async def reported_twice() -> bool:
        return len(reports()) == 2

    await until(reported_twice)
    [listing] = await owner.says("/feeds")
    assert "HTTP 404" in listing.text and "failures in a row" in listing.text


async def test_an_oversize_feed_is_refused(
    bot_for: StartBot, database: Database, site: FeedServer, owner: Chatter
) -> None:
    await prepare_topic(database)
    site.entries, site.padding = [OLD], 20_000
    await bot_for(ROUNDWATCH_FEED_MAX_BYTES=10_000, **FAST)
    await owner.says(f"/watch {DEMO_SLUG} {site.base_url}/feed.xml")

    async def refused() -> bool:
        return (await the_feed(database)).last_result == "larger than 10,000 bytes"

    await until(refused)
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(FeedEntry)) == 0


async def test_fetching_refuses_big_bodies_other_schemes_after_redirects_and_slow_servers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(50):
            await response.write(b"x" * 1000)
        await response.write_eof()
        return response

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("ftp://127.0.0.1/feed.xml")

    released = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await released.wait()
        return web.Response(text="too late")

    app = web.Application()
    app.router.add_get("/", streamed)
    app.router.add_get("/moved", moved)
    app.router.add_get("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with feed_fetch.fetch_client() as client:
            with pytest.raises(FetchProblem, match="larger than 10,000 bytes"):
                await fetch(client, f"http://127.0.0.1:{port}/", 10_000)
            with pytest.raises(FetchProblem, match="Only http"):
                await fetch(client, "file:///etc/passwd", 10_000)
            with pytest.raises(FetchProblem, match="UnsupportedProtocol"):
                await fetch(client, f"http://127.0.0.1:{port}/moved", 10_000)
            monkeypatch.setattr(feed_fetch, "FETCH_TIMEOUT", 0.2)
            with pytest.raises(FetchProblem, match=r"no answer within 0\.2 s"):
                await fetch(client, f"http://127.0.0.1:{port}/slow", 10_000)
    finally:
        released.set()
        await runner.cleanup()


async def test_the_hourly_limit_holds_entries_back_without_losing_them(
    bot_for: StartBot, double: BotApiDouble, database: Database, site: FeedServer, owner: Chatter
) -> None:
    await prepare_topic(database)
    site.entries = [OLD]
    await bot_for(ROUNDWATCH_FEED_DRAFTS_PER_HOUR=1, **FAST)
    await watched_and_read(owner, database, site)
    second = ("istanbul-3", "Pakistan and Taliban talks continue", "Talks went on in Istanbul.")
    site.entries = [OLD, ISTANBUL, second]

    async def held() -> bool:
        return "1 held back by the hourly limit" in ((await the_feed(database)).last_result or "")

    await until(held)
    assert len(await drafts(database)) == 1
    async with database.session() as session:
        keys = set(await session.scalars(select(FeedEntry.entry_key)))
    assert keys == {"old-1", "istanbul-2"}


async def test_feeds_lists_and_unwatch_removes(
    bot_for: StartBot, database: Database, site: FeedServer, owner: Chatter
) -> None:
    await prepare_topic(database)
    site.entries = [OLD]
    await bot_for(**FAST)
    await watched_and_read(owner, database, site)
    [listing] = await owner.says("/feeds")
    assert f"{site.base_url}/feed.xml" in listing.text
    assert "1 entries already there, left as read" in listing.text
    [duplicate] = await owner.says(f"/watch {DEMO_SLUG} {site.base_url}/feed.xml")
    assert "already watches that feed" in duplicate.text
    feed = await the_feed(database)
    [removed] = await owner.says(f"/unwatch {feed.id}")
    assert "No longer watching" in removed.text
    [empty] = await owner.says("/feeds")
    assert "No feeds are watched" in empty.text
    [missing] = await owner.says(f"/unwatch {site.base_url}/feed.xml")
    assert "No watched feed" in missing.text


@pytest.mark.parametrize("url", ["ftp://example.org/feed.xml", "file:///etc/passwd", "feed"])
async def test_a_non_http_address_is_refused_in_one_sentence(
    app: object, database: Database, owner: Chatter, url: str
) -> None:
    await prepare_topic(database)
    [answer] = await owner.says(f"/watch {DEMO_SLUG} {url}")
    assert answer.text == "Only http:// and https:// addresses can be watched."
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Feed)) == 0


async def test_a_reader_can_use_none_of_the_feed_commands(
    app: object, database: Database, site: FeedServer, owner: Chatter, reader: Chatter
) -> None:
    await prepare_topic(database)
    await owner.says(f"/watch {DEMO_SLUG} {site.base_url}/feed.xml")
    for command in (f"/watch {DEMO_SLUG} {site.base_url}/other.xml", "/feeds", "/unwatch 1"):
        [answer] = await reader.says(command)
        assert answer.text == "Sorry, only Roundwatch admins can do that."
        assert "feed.xml" not in answer.text
    async with database.session() as session:
        assert [f.url for f in await session.scalars(select(Feed))] == [f"{site.base_url}/feed.xml"]


async def test_the_feed_summary_is_drafted_when_the_page_cannot_be_had(
    bot_for: StartBot, double: BotApiDouble, database: Database, site: FeedServer, owner: Chatter
) -> None:
    await prepare_topic(database)
    site.entries = [OLD]
    await bot_for(**FAST)
    await watched_and_read(owner, database, site)
    site.entries = [
        OLD,
        (
            "gone-1",
            "Pakistan and Taliban open a third round",
            "Pakistan and the Taliban administration began a third round of talks in Doha, "
            "Qatar, on Monday. The talks are mediated by Qatar.",
        ),
    ]
    await double.wait_for_messages(OWNER_ID, 2, timeout=20)
    card = parse_card(card_of(double.messages_to(OWNER_ID)[-1]))
    assert card.number == 3
    assert (card.city, card.country) == ("Doha", "Qatar")
    assert ("/news/gone-1", 404) in [(path, status) for path, status, _ in site.requests]

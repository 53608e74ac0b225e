"""/watch, /feeds and /unwatch: admins choose the news feeds drafts are read from."""

from __future__ import annotations

import html

from telegram import Update

from bot.intake.feed_registry import WatchRefused, unwatch_feed, watch_feed, watched_feeds
from bot.runtime import Context, runtime_of
from handlers.admin import admin_only
from handlers.replies import reply

WATCH_USAGE = (
    "Usage: /watch <i>slug</i> <i>feed URL</i> [<i>keywords…</i>], e.g. "
    "<code>/watch pak-taliban-talks https://example.org/rss.xml Istanbul Doha</code>"
)


async def watch(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "watch")
    if admin_id is None:
        return
    args = context.args or []
    if len(args) < 2:
        await reply(update, WATCH_USAGE)
        return
    runtime = runtime_of(context)
    try:
        watched = await watch_feed(
            runtime.database,
            admin_id,
            args[0],
            args[1],
            tuple(args[2:]),
            runtime.settings.feed_interval,
        )
    except WatchRefused as refusal:
        await reply(update, html.escape(str(refusal)))
        return
    keywords = ", ".join(watched.keywords) or "none beyond the topic's parties and aliases"
    await reply(
        update,
        f"👀 Watching feed {watched.feed_id} for <code>{html.escape(watched.slug)}</code>: "
        f"{html.escape(watched.url)}\nKeywords: {html.escape(keywords)}. What the feed holds "
        "now is left as read; each new entry about the topic becomes a draft for every admin.",
    )


async def list_feeds(update: Update, context: Context) -> None:
    if await admin_only(update, context, "feeds") is None:
        return
    feeds = await watched_feeds(runtime_of(context).database)
    if not feeds:
        await reply(update, "No feeds are watched. Add one with /watch <i>slug</i> <i>URL</i>.")
        return
    lines = ["<b>Watched feeds</b>"]
    for feed in feeds:
        fetched = (
            f"{feed.last_fetched_at:%Y-%m-%d %H:%M} UTC: {html.escape(feed.last_result or '')}"
            if feed.last_fetched_at
            else "not fetched yet"
        )
        failing = f" ⚠️ {feed.failures} failures in a row" if feed.failures else ""
        keywords = f" · keywords: {html.escape(', '.join(feed.keywords))}" if feed.keywords else ""
        lines.append(
            f"{feed.id}. <code>{html.escape(feed.topic_slug)}</code> {html.escape(feed.url)}\n"
            f"   every {feed.interval_seconds:g} s{keywords} · last fetch {fetched}{failing}"
        )
    await reply(update, "\n".join(lines))


async def unwatch(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "unwatch")
    if admin_id is None:
        return
    args = context.args or []
    if len(args) != 1:
        await reply(update, "Usage: /unwatch <i>feed id</i> or <i>feed URL</i> (see /feeds).")
        return
    removed = await unwatch_feed(runtime_of(context).database, admin_id, args[0])
    if not removed:
        await reply(update, "No watched feed has that id or address; /feeds lists them.")
        return
    await reply(
        update, "🗑 No longer watching " + ", ".join(html.escape(url) for url in removed) + "."
    )

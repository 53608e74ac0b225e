"""/watch, /feeds and /unwatch: admins choose the news feeds drafts are read from."""

from __future__ import annotations

import html

from telegram import Update

from bot.intake.feed_registry import WatchRefused, unwatch_feed, watch_feed, watched_feeds
from bot.posting.card_feedback import with_code
from bot.reading.language import Translator
from bot.runtime import Context, runtime_of
from handlers.admin import admin_only
from handlers.reader import translation
from handlers.replies import reply
from storage.feeds import FeedListing


async def watch(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "watch")
    if admin_id is None:
        return
    t = await translation(update, context)
    args = context.args or []
    if len(args) < 2:
        usage = t._(
            "Usage: /watch <i>slug</i> <i>feed URL</i> [<i>keywords…</i>], e.g. "
            "<code>/watch pak-taliban-talks https://example.org/rss.xml Istanbul Doha</code>"
        )
        await reply(update, t.directed(usage))
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
        await reply(update, t.directed(with_code(refusal.text(t), t)))
        return
    keywords = (
        ", ".join(t.isolate(html.escape(keyword)) for keyword in watched.keywords)
        if watched.keywords
        else t._("none beyond the topic's parties and aliases")
    )
    text = t._(
        "👀 Watching feed {feed} for {slug}: {url}\nKeywords: {keywords}. What the feed holds "
        "now is left as read; each new entry about the topic becomes a draft for every admin."
    ).format(
        feed=t.number(watched.feed_id),
        slug=t.isolate(f"<code>{html.escape(watched.slug)}</code>"),
        url=t.isolate(html.escape(watched.url)),
        keywords=keywords,
    )
    await reply(update, t.directed(text))


async def list_feeds(update: Update, context: Context) -> None:
    if await admin_only(update, context, "feeds") is None:
        return
    t = await translation(update, context)
    feeds = await watched_feeds(runtime_of(context).database)
    if not feeds:
        text = t._("No feeds are watched. Add one with /watch <i>slug</i> <i>URL</i>.")
        await reply(update, t.directed(text))
        return
    lines = [t._("<b>Watched feeds</b>"), *(feed_line(feed, t) for feed in feeds)]
    await reply(update, t.directed("\n".join(lines)))


def feed_line(feed: FeedListing, t: Translator) -> str:
    """What the last fetch found is stored as the watcher wrote it, a technical record, so it
    is shown as it is."""
    if feed.last_fetched_at:
        fetched = t._("{time} UTC: {result}").format(
            time=t.digits(f"{feed.last_fetched_at:%Y-%m-%d %H:%M}"),
            result=t.isolate(html.escape(feed.last_result or "")),
        )
    else:
        fetched = t._("not fetched yet")
    parts = [
        t._("every {seconds} s").format(seconds=t.digits(f"{feed.interval_seconds:g}")),
    ]
    if feed.keywords:
        keywords = ", ".join(t.isolate(html.escape(keyword)) for keyword in feed.keywords)
        parts.append(t._("keywords: {keywords}").format(keywords=keywords))
    parts.append(t._("last fetch {fetched}").format(fetched=fetched))
    failing = (
        " ⚠️ "
        + t.ngettext("{count} failure in a row", "{count} failures in a row", feed.failures).format(
            count=t.number(feed.failures)
        )
        if feed.failures
        else ""
    )
    slug = t.isolate(f"<code>{html.escape(feed.topic_slug)}</code>")
    return (
        f"{t.number(feed.id)}. {slug} {t.isolate(html.escape(feed.url))}\n"
        f"   {' · '.join(parts)}{failing}"
    )


async def unwatch(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "unwatch")
    if admin_id is None:
        return
    t = await translation(update, context)
    args = context.args or []
    if len(args) != 1:
        usage = t._("Usage: /unwatch <i>feed id</i> or <i>feed URL</i> (see /feeds).")
        await reply(update, t.directed(usage))
        return
    removed = await unwatch_feed(runtime_of(context).database, admin_id, args[0])
    if not removed:
        text = t._("No watched feed has that id or address; /feeds lists them.")
        await reply(update, t.directed(text))
        return
    addresses = ", ".join(t.isolate(html.escape(url)) for url in removed)
    await reply(
        update, t.directed(t._("🗑 No longer watching {addresses}.").format(addresses=addresses))
    )

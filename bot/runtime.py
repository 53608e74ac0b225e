"""What handlers need from the running bot, kept in `bot_data` by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.admin.roster import AdminRoster
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.pruning import DeliveryPruner
from bot.health import HealthServer, SchedulerPulse
from bot.ingress import IngressStop
from bot.intake.feed_watch import FeedWatch
from bot.posting.broadcast_progress import refresh_progress
from bot.posting.schedule_tick import publish_scheduled_posts
from bot.reading.reader_schedule import Clock, run_reader_schedule
from storage.database import Database
from storage.models import utc_now

log = logging.getLogger(__name__)

RUNTIME_KEY = "roundwatch"


@dataclass
class Runtime:
    settings: Settings
    database: Database
    roster: AdminRoster
    dispatcher: Dispatcher
    feed_watch: FeedWatch
    dispatches: bool = True
    # The readers' clock (quiet hours, digest times); tests move it, never the database's.
    clock: Clock = field(default=utc_now)
    pruner: DeliveryPruner = field(default_factory=DeliveryPruner)
    ingress_stop: IngressStop = field(default_factory=IngressStop)
    pulse: SchedulerPulse = field(default_factory=SchedulerPulse)
    health: HealthServer | None = None

    def now(self) -> datetime:
        return self.clock()


Context = ContextTypes.DEFAULT_TYPE
# What `build_application` builds: PTB's default types; the rate limiter's arguments are ints.
BotApplication = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]


def runtime_of(context: Context) -> Runtime:
    return cast(Runtime, context.application.bot_data[RUNTIME_KEY])


async def run_scheduler_tick(context: Context) -> None:
    """The scheduled job, and the nudge right after a publish: release alerts whose quiet hours
    ended, make due digests, then fan out new posts and send what is due, but only where this
    process dispatches (under `run --no-dispatch` workers do). A failure of the first part must
    not stop sending."""
    runtime = runtime_of(context)
    if not runtime.dispatches:
        return
    runtime.pulse.beat()
    try:
        await publish_scheduled_posts(runtime.database, context.bot, runtime.now())
    except Exception:
        log.exception("scheduled posts not checked this time")
    try:
        await run_reader_schedule(runtime.database, runtime.now())
    except Exception:
        log.exception("quiet hours and digests not checked this time")
    finally:
        runtime.dispatcher.wake()
    keep = timedelta(days=runtime.settings.prune_after_days)
    try:
        await runtime.pruner.prune(runtime.database, runtime.now(), keep)
    except Exception:
        log.exception("old deliveries not pruned this time")


async def run_broadcast_progress(context: Context) -> None:
    """The scheduled job that keeps admins' progress messages current."""
    runtime = runtime_of(context)
    if runtime.dispatches:
        interval = runtime.settings.progress_interval
        await refresh_progress(runtime.database, context.bot, runtime.now(), interval)


async def run_feed_watch(context: Context) -> None:
    """The scheduled job: fetch the feeds that are due, in a task of its own, so a slow site
    never holds up the scheduler; a pass still running when the next is due is not doubled."""
    feed_watch = runtime_of(context).feed_watch
    if context.application.running and not feed_watch.busy:
        context.application.create_task(feed_watch.watch_due_feeds(), name="feed-watch")

"""What handlers need from the running bot, kept in `bot_data` by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from telegram.ext import ContextTypes

from bot.admin.roster import AdminRoster
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
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
    # The readers' clock (quiet hours, digest times); tests move it, never the database's.
    clock: Clock = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()


Context = ContextTypes.DEFAULT_TYPE


def runtime_of(context: Context) -> Runtime:
    return context.application.bot_data[RUNTIME_KEY]


async def run_scheduler_tick(context: Context) -> None:
    """The scheduled job: release alerts whose quiet hours ended, make due digests, then fan
    out new updates and send what is due. A failure of the first part must not stop sending."""
    runtime = runtime_of(context)
    try:
        await run_reader_schedule(runtime.database, runtime.now())
    except Exception:
        log.exception("quiet hours and digests not checked this time")
    finally:
        runtime.dispatcher.wake()

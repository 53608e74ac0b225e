"""What handlers need from the running bot, kept in `bot_data` by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from bot.admin.roster import AdminRoster
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from storage.database import Database

RUNTIME_KEY = "roundwatch"


@dataclass
class Runtime:
    settings: Settings
    database: Database
    roster: AdminRoster
    dispatcher: Dispatcher
    dispatches: bool = True


Context = ContextTypes.DEFAULT_TYPE


def runtime_of(context: Context) -> Runtime:
    return context.application.bot_data[RUNTIME_KEY]


async def run_scheduler_tick(context: Context) -> None:
    """The scheduled job: fan out new updates and send what is due."""
    runtime_of(context).dispatcher.wake()

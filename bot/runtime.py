"""What handlers need from the running bot, kept in `bot_data` by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CallbackContext, ContextTypes

from bot.admins import AdminRoster
from bot.config import Settings
from bot.dispatch import Dispatcher
from storage.database import Database

RUNTIME_KEY = "roundwatch"


@dataclass
class Runtime:
    settings: Settings
    database: Database
    roster: AdminRoster
    dispatcher: Dispatcher


def runtime_of(context: CallbackContext) -> Runtime:  # type: ignore[type-arg]
    return context.application.bot_data[RUNTIME_KEY]


Context = ContextTypes.DEFAULT_TYPE


async def run_scheduler_tick(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """The scheduled job: fan out new updates and send what is due."""
    runtime_of(context).dispatcher.wake()

"""How the process that takes Telegram's updates gets them: a webhook when
ROUNDWATCH_WEBHOOK_URL is set, long polling otherwise; and why it stops on its own.

The webhook is PTB's (`Updater.start_webhook`): it registers the address with a secret token and
refuses, with 403, every request that does not carry it in `X-Telegram-Bot-Api-Secret-Token`.
Without ROUNDWATCH_WEBHOOK_SECRET a fresh secret is made at each start; since every start
registers the webhook again, Telegram always has the current one and nothing needs storing.

Telegram gives a bot's updates to one consumer. A second poller is answered 409 Conflict; it
stops at once with one sentence rather than fight the first one over `getUpdates`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Updater

from bot.config import Settings

log = logging.getLogger(__name__)

SECOND_POLLER = (
    "another process is already taking this bot's updates (Telegram answered getUpdates with "
    "409 Conflict), so this one stopped; run only one `roundwatch run` per token, and "
    "`roundwatch worker` for more sending processes."
)


@dataclass
class IngressStop:
    """Set when the process must stop taking updates; `reason` is the sentence for the CLI."""

    reason: str | None = None
    event: asyncio.Event = field(default_factory=asyncio.Event)

    def stop(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        self.event.set()


PTB_UPDATER_LOGGER = "telegram.ext.Updater"


def _conflict_at_stop(record: logging.LogRecord) -> bool:
    """On stopping, PTB polls once more to confirm what it fetched; a refused second poller
    fetched nothing, is refused again, and that traceback would bury the one sentence."""
    return not (record.exc_info and isinstance(record.exc_info[1], Conflict))


def webhook_path(webhook_url: str) -> str:
    """The path PTB serves is the path of the public address (a reverse proxy keeps it)."""
    return urlsplit(webhook_url).path or "/"


async def start_ingress(
    updater: Updater, settings: Settings, stop: IngressStop, *, poll_timeout: int
) -> None:
    if settings.webhook_url:
        await updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=webhook_path(settings.webhook_url),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
            allowed_updates=Update.ALL_TYPES,
        )
        log.info("taking updates on a webhook, listening on %s", settings.webhook_listen)
        return

    def polling_failed(error: TelegramError) -> None:
        if isinstance(error, Conflict):
            logging.getLogger(PTB_UPDATER_LOGGER).addFilter(_conflict_at_stop)
            stop.stop(SECOND_POLLER)
        else:
            log.warning("polling for updates failed, trying again: %s", error)

    await updater.start_polling(
        poll_interval=0,
        timeout=poll_timeout,
        allowed_updates=Update.ALL_TYPES,
        error_callback=polling_failed,
    )

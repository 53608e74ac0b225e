"""The composition root: settings in, a ready `Application` out."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.admin.admin_list import ADMIN_BUTTON_PATTERN
from bot.admin.audit_view import AUDIT_BUTTON_PATTERN
from bot.admin.roster import AdminRoster
from bot.config import Settings, require_token
from bot.delivery.dispatcher import Dispatcher, DispatchSettings
from bot.delivery.rate_limit import TelegramRateLimiter
from bot.delivery.sender import send_notice, set_command_menu
from bot.delivery.shared_pace import SharedPace
from bot.health import HealthProbe, HealthServer
from bot.ingress import IngressStop, start_ingress
from bot.intake.feed_watch import FeedWatch, FeedWatchSettings
from bot.metrics import Metrics
from bot.posting.wizard_conversations import WizardConversations
from bot.reading.help import admin_menu, reader_menu
from bot.reading.language import translator
from bot.runtime import (
    RUNTIME_KEY,
    BotApplication,
    Context,
    Runtime,
    run_broadcast_progress,
    run_feed_watch,
    run_scheduler_tick,
)
from bot.telegram_request import AiohttpRequest
from bot.update_order import PerChatUpdateProcessor
from handlers import (
    admin,
    admins,
    buttons,
    channels,
    corrections,
    exchange,
    feeds,
    intake,
    membership,
    preview,
    reader,
    settings,
    timeline,
    wizard,
)
from storage.database import Database
from storage.deliveries import ChatSpacing
from storage.migrate import upgrade_database
from storage.states import Language

log = logging.getLogger(__name__)

EVERYWHERE = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
PRIVATE_TEXT = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Every handler the bot has, in the order PTB tries them."""
    return [
        ChatMemberHandler(membership.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, membership.group_upgraded),
        MessageHandler(channels.PICKED_A_CHAT, channels.channel_picked),
        CommandHandler("start", reader.start, filters=EVERYWHERE),
        CommandHandler("help", reader.show_help, filters=EVERYWHERE),
        CommandHandler("topics", reader.list_topics, filters=EVERYWHERE),
        CommandHandler("subscribe", channels.subscribe_channel, filters=channels.NAMING_A_CHAT),
        CommandHandler("unsubscribe", channels.unsubscribe_channel, filters=channels.NAMING_A_CHAT),
        CommandHandler(
            "subscriptions", channels.list_channel_subscriptions, filters=channels.NAMING_A_CHAT
        ),
        CommandHandler("subscribe", reader.subscribe, filters=EVERYWHERE),
        CommandHandler("unsubscribe", reader.unsubscribe, filters=EVERYWHERE),
        CommandHandler("subscriptions", reader.list_subscriptions, filters=EVERYWHERE),
        CommandHandler(["latest", "parties", "history"], reader.topic_view, filters=EVERYWHERE),
        CommandHandler("statements", reader.statements, filters=EVERYWHERE),
        CommandHandler("timeline", timeline.timeline, filters=EVERYWHERE),
        CommandHandler("stop", reader.stop, filters=EVERYWHERE),
        CommandHandler("settings", settings.show_settings, filters=EVERYWHERE),
        CommandHandler("timezone", settings.set_time_zone, filters=EVERYWHERE),
        CommandHandler("quiet", settings.set_quiet_hours, filters=EVERYWHERE),
        CommandHandler("newtopic", admin.new_topic),
        wizard.wizard_conversation(),
        CommandHandler("drafts", wizard.show_drafts),
        CommandHandler("post", admin.post),
        CommandHandler("correct", corrections.correct),
        CommandHandler("schedule", preview.schedule_command),
        CommandHandler("scheduled", preview.list_scheduled),
        CommandHandler("stats", admin.show_stats),
        CommandHandler("failures", admin.show_failures),
        CommandHandler("retry", admin.retry_failed),
        CommandHandler("admins", admin.list_admins),
        CommandHandler(["addadmin", "removeadmin"], admin.change_admin),
        CommandHandler("audit", admins.show_audit),
        CommandHandler("draft", intake.draft_command),
        CommandHandler("watch", feeds.watch),
        CommandHandler("feeds", feeds.list_feeds),
        CommandHandler("unwatch", feeds.unwatch),
        CallbackQueryHandler(admin.post_button, pattern=admin.POST_BUTTON_PATTERN),
        CallbackQueryHandler(admins.admin_button, pattern=ADMIN_BUTTON_PATTERN),
        CallbackQueryHandler(admins.audit_button, pattern=AUDIT_BUTTON_PATTERN),
        CallbackQueryHandler(
            exchange.publish_import_button, pattern=exchange.PUBLISH_IMPORT_PATTERN
        ),
        CallbackQueryHandler(
            corrections.correction_button, pattern=corrections.CORRECTION_BUTTON_PATTERN
        ),
        CallbackQueryHandler(
            corrections.how_to_correct, pattern=corrections.HOW_TO_CORRECT_PATTERN
        ),
        CallbackQueryHandler(preview.preview_button, pattern=preview.PREVIEW_BUTTON_PATTERN),
        CallbackQueryHandler(buttons.reader_button, pattern=buttons.READER_BUTTON_PATTERN),
        CallbackQueryHandler(buttons.stop_button, pattern=buttons.STOP_BUTTON_PATTERN),
        CallbackQueryHandler(settings.settings_button, pattern=settings.SETTINGS_BUTTON_PATTERN),
        CallbackQueryHandler(timeline.timeline_button, pattern=timeline.TIMELINE_BUTTON_PATTERN),
        CallbackQueryHandler(channels.offer_channel_picker, pattern=channels.PICK_CHANNEL_PATTERN),
        CallbackQueryHandler(channels.channel_topic_button, pattern=channels.CHANNEL_TOPIC_PATTERN),
        CallbackQueryHandler(buttons.malformed_button, pattern=buttons.MALFORMED_BUTTON_PATTERN),
        CallbackQueryHandler(intake.draft_button, pattern=intake.DRAFT_BUTTON_PATTERN),
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, reader.unknown_command),
        MessageHandler(PRIVATE_TEXT & filters.REPLY, preview.field_value_reply),
        MessageHandler(PRIVATE_TEXT, intake.article_text_message),
        MessageHandler(exchange.TOPIC_DOCUMENT, exchange.topic_document),
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, intake.article_document),
    ]


def build_application(
    settings: Settings, database: Database | None = None, *, dispatch: bool = True
) -> BotApplication:
    """Without `dispatch` the application takes updates and stores posts, and leaves fan-out
    and sending to `roundwatch worker` processes."""
    token = require_token(settings)
    database = database or Database(settings.database_url)
    limiter = TelegramRateLimiter(
        messages_per_second=settings.global_send_rate,
        private_chat_per_second=settings.private_chat_rate,
        group_per_minute=settings.group_rate_per_minute,
        shared=None if database.local else SharedPace(database, settings.global_send_rate),
    )
    pool = settings.send_concurrency + 8
    timeout = settings.request_timeout
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.resolved_file_base_url)
        .rate_limiter(limiter)
        .concurrent_updates(PerChatUpdateProcessor())
        .request(AiohttpRequest(connection_pool_size=pool, read_timeout=timeout,
                                write_timeout=timeout, connect_timeout=timeout,
                                pool_timeout=timeout))
        .get_updates_request(AiohttpRequest(read_timeout=timeout + 30, connect_timeout=timeout))
        .persistence(WizardConversations(database))
        .post_init(_start)
        .post_stop(_stop_sending)
        .post_shutdown(_stop)
        .build()
    )  # fmt: skip
    roster = AdminRoster(database, settings.owner_ids)
    dispatcher = Dispatcher(
        database,
        application.bot,
        DispatchSettings(
            concurrency=settings.send_concurrency,
            retry_delay=settings.retry_delay,
            retry_for=settings.retry_for,
            backoff_cap=settings.retry_backoff_cap,
            lease_duration=settings.lease_duration,
            paid_broadcast=settings.paid_broadcast,
            send_read_timeout=settings.send_read_timeout,
            notify_chat_ids=settings.owner_ids,
            chat_spacing=ChatSpacing(
                private=1.0 / settings.private_chat_rate,
                group=60.0 / settings.group_rate_per_minute,
            ),
        ),
        Metrics(settings.resolved_worker_id),
    )
    feed_watch = FeedWatch(
        database,
        application.bot,
        roster,
        FeedWatchSettings(settings.feed_max_bytes, settings.feed_drafts_per_hour),
    )
    application.bot_data[RUNTIME_KEY] = Runtime(
        settings, database, roster, dispatcher, feed_watch, dispatches=dispatch
    )
    application.add_handlers(handlers())
    application.add_error_handler(_report_error)
    return application


async def _start(application: BotApplication) -> None:
    runtime: Runtime = application.bot_data[RUNTIME_KEY]
    await upgrade_database(runtime.database)
    if not runtime.roster.owner_ids:
        log.warning(
            "ROUNDWATCH_ADMIN_IDS is empty, so only admins already stored can post; set it to "
            "your Telegram user id to become an owner"
        )
    await set_command_menu(application.bot, reader_menu(), BotCommandScopeDefault())
    persian = translator(Language.PERSIAN)
    await set_command_menu(application.bot, reader_menu(persian), BotCommandScopeDefault(), "fa")
    for user_id in await runtime.roster.all_ids():
        await set_command_menu(application.bot, admin_menu(), BotCommandScopeChat(user_id))
    assert application.job_queue is not None
    if runtime.settings.health_port is not None:
        await _start_health(application, runtime, runtime.settings.health_port)
    if not runtime.dispatches:
        return
    jobs = (
        ("scheduler-tick", run_scheduler_tick, runtime.settings.check_interval),
        ("broadcast-progress", run_broadcast_progress, runtime.settings.progress_interval),
        ("feed-watch", run_feed_watch, runtime.settings.check_interval),
    )
    for name, callback, interval in jobs:
        application.job_queue.run_repeating(
            callback,
            interval=interval,
            first=0,
            name=name,
            job_kwargs={"coalesce": True, "misfire_grace_time": None},
        )


async def _start_health(application: BotApplication, runtime: Runtime, port: int) -> None:
    settings = runtime.settings
    probe = HealthProbe(
        runtime.database,
        runtime.pulse,
        settings.check_interval,
        runtime.dispatches,
        settings.resolved_worker_id,
    )
    job_queue, updater = application.job_queue, application.updater
    assert job_queue is not None and updater is not None
    runtime.health = HealthServer(
        probe,
        runtime.dispatcher.metrics,
        scheduler_running=lambda: bool(job_queue.scheduler.running),
        taking_updates=lambda: updater.running,
    )
    await runtime.health.start(settings.health_listen, port)


async def _stop_sending(application: BotApplication) -> None:
    await application.bot_data[RUNTIME_KEY].dispatcher.close()


async def _stop(application: BotApplication) -> None:
    runtime: Runtime = application.bot_data[RUNTIME_KEY]
    if runtime.health is not None:
        await runtime.health.stop()
    await runtime.database.dispose()


async def _report_error(update: object, context: Context) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.effective_chat.type == ChatType.CHANNEL:
            return
        await send_notice(
            context.bot,
            [update.effective_chat.id],
            "Sorry, something went wrong on our side. Please try again in a moment.",
        )


@asynccontextmanager
async def running_bot(
    application: BotApplication, *, polling: bool = True, poll_timeout: int = 1
) -> AsyncIterator[BotApplication]:
    """The bot inside an already running event loop (sandbox, tests, send-only workers), with
    the same start-up and shutdown steps `run_polling` takes. With `polling` it takes updates
    (a webhook when one is configured, see bot/ingress.py); without, it only runs the scheduler:
    extra workers beside the one that takes updates, which Telegram allows only once."""
    runtime: Runtime = application.bot_data[RUNTIME_KEY]
    async with application:
        assert application.post_init is not None and application.updater is not None
        await application.post_init(application)
        await application.start()
        if polling:
            await start_ingress(
                application.updater,
                runtime.settings,
                runtime.ingress_stop,
                poll_timeout=poll_timeout,
            )
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


POLL_TIMEOUT = 10  # seconds a getUpdates waits for news; PTB's default


async def run_until_stopped(application: BotApplication, *, takes_updates: bool) -> str | None:
    """Runs until SIGINT or SIGTERM, or until taking updates must stop; then returns why, in
    one sentence for the CLI (None after a signal)."""
    stop: IngressStop = application.bot_data[RUNTIME_KEY].ingress_stop
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.event.set)
    async with running_bot(application, polling=takes_updates, poll_timeout=POLL_TIMEOUT):
        await stop.event.wait()
    return stop.reason

"""/settings, /timezone and /quiet: how this chat receives its alerts. In groups and channels
only the chat's administrators change them, asked of Telegram on every change."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.delivery.sender import answer_press, replace_message
from bot.reading.delivery_settings import (
    DeliverySettings,
    NotSubscribed,
    change_settings,
    change_topic_mode,
    choose_calendar,
    choose_delivery,
    choose_hour,
    choose_language,
    choose_quiet_hours,
    choose_silent,
    choose_time_zone,
    choose_weekday,
    delivery_settings,
    settings_text,
    weekday_name,
)
from bot.reading.language import CALENDAR_NAMES, LANGUAGE_NAMES, N_, Translator, translator
from bot.reading.schedule_times import QuietHours, find_time_zone, parse_quiet_hours
from bot.reading.topics import TopicNotFound
from bot.runtime import Context, runtime_of
from handlers.reader import chat_ref, is_subscription_manager, translation
from handlers.replies import reply

SETTINGS_BUTTON_PATTERN = (
    r"^set:(mode:(instant|daily|weekly)|hour:([01]?\d|2[0-3])|day:[0-6]|pick:(hour|day)"
    r"|quiet:(off|22-7|23-8)|silent:(on|off)|lang:(en|fa)|cal:(gregorian|solar_hijri)"
    r"|topic:[a-z0-9-]{1,32}:(instant|digest|chat))$"
)
ADMINS_ONLY = N_("Only this chat's administrators can change its settings.")
MODE_NAMES = {"instant": N_("Instant"), "daily": N_("Daily"), "weekly": N_("Weekly")}
MODE_WORDS = {"instant": N_("instant"), "digest": N_("digest")}
QUIET_PRESETS = {"22-7": QuietHours(22 * 60, 7 * 60), "23-8": QuietHours(23 * 60, 8 * 60)}
LONGEST_TITLE = 28


def _mark(chosen: bool, label: str) -> str:
    return f"✅ {label}" if chosen else label


def settings_keyboard(settings: DeliverySettings, t: Translator) -> InlineKeyboardMarkup:
    """Every callback_data is under 64 bytes: the longest is `set:topic:` + a 32-letter slug
    + `:instant`, 50 bytes. The language buttons are each in its own language, so a reader
    who cannot read the current one still finds theirs."""
    choice = settings.choice
    hour = t.digits(f"{settings.digest_hour:02d}:00")
    rows = [
        [
            InlineKeyboardButton(
                _mark(choice == c, t._(MODE_NAMES[c])), callback_data=f"set:mode:{c}"
            )
            for c in ("instant", "daily", "weekly")
        ],
        [
            InlineKeyboardButton(
                t._("🕗 Digest hour {hour}").format(hour=hour), callback_data="set:pick:hour"
            ),
            InlineKeyboardButton(
                f"📅 {weekday_name(settings.digest_weekday, t)}", callback_data="set:pick:day"
            ),
        ],
        [
            InlineKeyboardButton(
                _mark(settings.quiet == preset, f"🌙 {t.digits(preset.label())}"),
                callback_data=f"set:quiet:{key}",
            )
            for key, preset in QUIET_PRESETS.items()
        ]
        + [
            InlineKeyboardButton(
                _mark(settings.quiet is None, t._("No quiet")), callback_data="set:quiet:off"
            )
        ],
        [
            InlineKeyboardButton(
                t._("🔔 Sound on") if settings.silent else t._("🔕 Silent"),
                callback_data="set:silent:off" if settings.silent else "set:silent:on",
            )
        ],
        [
            InlineKeyboardButton(
                _mark(t.language == code, f"🌐 {name}"), callback_data=f"set:lang:{code}"
            )
            for code, name in LANGUAGE_NAMES.items()
        ],
        [
            InlineKeyboardButton(
                _mark(settings.calendar == calendar, f"🗓 {t._(name)}"),
                callback_data=f"set:cal:{calendar}",
            )
            for calendar, name in CALENDAR_NAMES.items()
        ],
    ]
    for topic in settings.topics:
        title = topic.title if len(topic.title) <= LONGEST_TITLE else topic.title[:27] + "…"
        following = "instant" if choice == "instant" else "digest"
        current = topic.mode or following
        other = "digest" if current == "instant" else "instant"
        target = "chat" if other == following else other
        change = f"{t._(MODE_WORDS[current])} {t._('→')} {t._(MODE_WORDS[other])}"
        label = f"{t.isolate(title)}: {change}"
        rows.append([InlineKeyboardButton(label, callback_data=f"set:topic:{topic.slug}:{target}")])
    return InlineKeyboardMarkup(rows)


def day_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """English days are cut to three letters; Persian ones are short already."""
    names = [weekday_name(index, t) for index in range(7)]
    days = [
        InlineKeyboardButton(name if t.right_to_left else name[:3], callback_data=f"set:day:{i}")
        for i, name in enumerate(names)
    ]
    return InlineKeyboardMarkup([days[:4], days[4:]])


def _hour_keyboard(t: Translator) -> InlineKeyboardMarkup:
    hours = [
        InlineKeyboardButton(t.digits(f"{hour:02d}"), callback_data=f"set:hour:{hour}")
        for hour in range(24)
    ]
    return InlineKeyboardMarkup([hours[i : i + 6] for i in range(0, 24, 6)])


async def show_settings(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    t = await translation(update, context)
    settings = await delivery_settings(runtime.database, chat_ref(update).telegram_id)
    await reply(update, settings_text(settings, runtime.now(), t), settings_keyboard(settings, t))


async def settings_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    t = await translation(update, context)
    if not await is_subscription_manager(update, context):
        await answer_press(query, t._(ADMINS_ONLY), alert=True)
        return
    runtime = runtime_of(context)
    chat = chat_ref(update)
    _, what, value = query.data.split(":", 2)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if what == "pick":
        await answer_press(query)
        keyboard = _hour_keyboard(t) if value == "hour" else day_keyboard(t)
        question = (
            t._("Digest at which hour (your time)?") if value == "hour" else t._("On which day?")
        )
        await replace_message(context.bot, chat_id, message_id, t.directed(question), keyboard)
        return
    database = runtime.database
    if what == "topic":
        slug, mode = value.rsplit(":", 1)
        try:
            settings = await change_topic_mode(
                database, chat, slug, None if mode == "chat" else mode
            )
        except (TopicNotFound, NotSubscribed):
            await answer_press(query, t._("This chat no longer follows that topic."), alert=True)
            return
    else:
        change = {
            "mode": lambda: choose_delivery(value),
            "hour": lambda: choose_hour(int(value)),
            "day": lambda: choose_weekday(int(value)),
            "quiet": lambda: choose_quiet_hours(QUIET_PRESETS.get(value)),
            "silent": lambda: choose_silent(value == "on"),
            "lang": lambda: choose_language(value),
            "cal": lambda: choose_calendar(value),
        }[what]()
        settings = await change_settings(database, chat, change)
    t = translator(settings.language or t.language, settings.calendar)
    await answer_press(query, t._("Saved."))
    text = settings_text(settings, runtime.now(), t)
    keyboard = settings_keyboard(settings, t)
    if not await replace_message(context.bot, chat_id, message_id, text, keyboard):
        await reply(update, text, keyboard)


async def set_time_zone(update: Update, context: Context) -> None:
    t = await translation(update, context)
    if not context.args:
        text = t._(
            "Send /timezone with a city or an offset, e.g. <code>/timezone Kabul</code> or "
            "<code>/timezone UTC+3</code>."
        )
        await reply(update, t.directed(text))
        return
    if not await is_subscription_manager(update, context):
        await reply(update, t.directed(t._(ADMINS_ONLY)))
        return
    try:
        zone = find_time_zone(" ".join(context.args))
    except ValueError as error:
        await reply(update, t.directed(html.escape(t._(str(error)))))
        return
    runtime = runtime_of(context)
    settings = await change_settings(runtime.database, chat_ref(update), choose_time_zone(zone))
    await reply(update, settings_text(settings, runtime.now(), t), settings_keyboard(settings, t))


async def set_quiet_hours(update: Update, context: Context) -> None:
    t = await translation(update, context)
    if not context.args:
        text = t._("Send /quiet with a start and an end, e.g. /quiet 22:00-07:00, or /quiet off.")
        await reply(update, t.directed(text))
        return
    if not await is_subscription_manager(update, context):
        await reply(update, t.directed(t._(ADMINS_ONLY)))
        return
    wanted = "".join(context.args)
    quiet: QuietHours | None = None
    if wanted.lower() != "off":
        try:
            quiet = parse_quiet_hours(wanted)
        except ValueError as error:
            await reply(update, t.directed(html.escape(t._(str(error)))))
            return
    runtime = runtime_of(context)
    settings = await change_settings(runtime.database, chat_ref(update), choose_quiet_hours(quiet))
    await reply(update, settings_text(settings, runtime.now(), t), settings_keyboard(settings, t))

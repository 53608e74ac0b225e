"""The Bot API double, exercised only through real PTB clients over real HTTP."""

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.sandbox import BotApiDouble, RateLimits

USER = 42
GROUP = -1001
CHANNEL = -1002


def client_for(double: BotApiDouble, read_timeout: float = 5.0) -> Bot:
    return Bot(
        double.token,
        base_url=double.base_url,
        base_file_url=double.base_file_url,
        request=HTTPXRequest(connection_pool_size=16, read_timeout=read_timeout),
    )


@pytest.fixture(autouse=True)
def retry_after_as_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's upcoming RetryAfter.retry_after type instead of its deprecated int."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def double() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble(limits=RateLimits(enabled=False, in_flight_grace=0)) as running:
        running.add_private_chat(USER, "Ann", "ann")
        running.add_group(GROUP, "Negotiation room", admins={7}, creator=5)
        yield running


@pytest.fixture
async def bot(double: BotApiDouble) -> AsyncIterator[Bot]:
    async with client_for(double) as client:
        yield client


@pytest.fixture
async def limited() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble(limits=RateLimits(in_flight_grace=0)) as running:
        running.add_private_chat(USER)
        running.add_group(GROUP, "Negotiation room")
        yield running


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()

    assert me.id == 123456
    assert me.is_bot
    assert me.username == "roundwatch_bot"


async def test_sent_message_comes_back_and_is_recorded(bot: Bot, double: BotApiDouble) -> None:
    first = await bot.send_message(USER, "Round 3 opens at noon")
    second = await bot.send_message(USER, "Round 3 closed")

    assert (first.message_id, second.message_id) == (1, 2)
    assert second.text == "Round 3 closed"
    assert second.chat.id == USER
    assert [m.text for m in double.messages_to(USER)] == ["Round 3 opens at noon", "Round 3 closed"]
    assert double.stats.accepted_sends == 2
    assert double.stats.requests["sendMessage"] == 2


async def test_html_becomes_visible_text_and_entities(bot: Bot, double: BotApiDouble) -> None:
    html = '<b>Alert</b> &amp; <a href="https://example.org/r?id=1&amp;x=2">round</a> &lt;3&gt;'

    message = await bot.send_message(USER, html, parse_mode="HTML")

    assert message.text == "Alert & round <3>"
    assert message.text_html == html.replace("&amp;x", "&x")
    record = double.messages_to(USER)[0]
    assert (record.text, record.plain_text, record.parse_mode) == (html, message.text, "HTML")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b", "Unclosed start tag at byte offset 0"),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Talks & tea", 'Unescaped "&" at byte offset 6'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<marquee>x</marquee>", 'Unsupported start tag "marquee"'),
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
    ],
)
async def test_invalid_html_is_refused(
    bot: Bot, double: BotApiDouble, html: str, reason: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as refused:
        await bot.send_message(USER, html, parse_mode="HTML")

    assert reason.lower() in refused.value.message.lower()
    assert double.messages_to(USER) == []
    assert double.stats.rejected[400] == 1


async def test_length_limit_applies_to_visible_text(bot: Bot) -> None:
    await bot.send_message(USER, f"<b>{'a' * 4096}</b>", parse_mode="HTML")

    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "<b></b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("Vote", callback_data="v" * 64)]])
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("Vote", callback_data="é" * 33)]])

    await bot.send_message(USER, "Vote now", reply_markup=fits)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "Vote now", reply_markup=too_long)


async def test_private_chat_budget_answers_retry_after_and_tracks_the_pause(
    limited: BotApiDouble,
) -> None:
    async with client_for(limited) as bot:
        refusal: RetryAfter | None = None
        for number in range(10):
            try:
                await bot.send_message(USER, f"update {number}")
            except RetryAfter as error:
                refusal = error
                break

        assert refusal is not None
        assert refusal.retry_after == timedelta(seconds=1)
        assert len(limited.messages_to(USER)) == 3
        assert limited.stats.too_many_requests == 1

        with pytest.raises(RetryAfter):
            await bot.send_message(USER, "ignoring the advice")
        assert limited.stats.sent_during_pause == 1

        await asyncio.sleep(refusal.retry_after.total_seconds())
        await bot.send_message(USER, "after waiting")

    assert len(limited.messages_to(USER)) == 4
    assert limited.stats.sent_during_pause == 1
    assert limited.stats.rejected[429] == 2


async def test_a_send_right_after_a_429_counts_as_in_flight_not_as_ignoring_the_pause() -> None:
    async with BotApiDouble(limits=RateLimits(in_flight_grace=0.5)) as double:
        double.add_private_chat(USER)
        double.storm(probability=1.0, retry_after=3, duration=60, seed=1)
        async with client_for(double) as bot:
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "first")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "already on its way")
            await asyncio.sleep(0.6)
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "ignoring the advice")
        assert double.stats.in_flight_during_pause == 1
        assert double.stats.sent_during_pause == 1


async def test_group_budget_is_per_minute(limited: BotApiDouble) -> None:
    async with client_for(limited) as bot:
        for number in range(3):
            await bot.send_message(GROUP, f"update {number}")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(GROUP, "one too many")

    assert refused.value.retry_after == timedelta(seconds=3)


async def test_blocked_and_deactivated_chats_answer_forbidden(
    bot: Bot, double: BotApiDouble
) -> None:
    double.block(USER)
    double.block(GROUP)
    double.add_private_chat(43)
    double.deactivate(43)

    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "hello")
    with pytest.raises(Forbidden, match="kicked from the group chat"):
        await bot.send_message(GROUP, "hello")
    with pytest.raises(Forbidden, match="deactivated"):
        await bot.send_message(43, "hello")

    double.reset_faults()
    await bot.send_message(USER, "hello again")


async def test_forgotten_and_unknown_chats_are_not_found(bot: Bot, double: BotApiDouble) -> None:
    double.forget_chat(USER)

    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(USER, "hello")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hello")


async def test_migrated_group_points_to_the_supergroup(bot: Bot, double: BotApiDouble) -> None:
    double.migrate(GROUP, -1009)

    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(GROUP, "hello")

    assert migrated.value.new_chat_id == -1009
    message = await bot.send_message(migrated.value.new_chat_id, "hello")
    assert message.chat.type == "supergroup"


async def test_injected_server_errors_surface_as_network_errors(
    bot: Bot, double: BotApiDouble
) -> None:
    double.fail_next(USER, 2)
    double.fail_next(USER, 1, status=503)

    for description in ("Bad Gateway", "Bad Gateway", "Service Unavailable"):
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(USER, "hello")
        assert type(failed.value) is NetworkError
        assert failed.value.message == description

    await bot.send_message(USER, "hello")
    assert double.stats.rejected == {502: 2, 503: 1}


async def test_delayed_answers_time_out_but_the_message_was_delivered(
    double: BotApiDouble,
) -> None:
    double.delay(USER, 0.5)

    async with client_for(double, read_timeout=0.1) as impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(USER, "did it arrive?")

    assert [m.text for m in double.messages_to(USER)] == ["did it arrive?"]


async def test_storm_refuses_sends_with_its_retry_after(bot: Bot, double: BotApiDouble) -> None:
    double.storm(probability=1.0, retry_after=7, duration=60, seed=1)

    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(USER, "hello")
    assert refused.value.retry_after == timedelta(seconds=7)
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "hello")

    assert double.stats.too_many_requests == 2
    assert double.stats.sent_during_pause == 1
    double.reset_faults()
    await bot.send_message(USER, "after the storm")


async def test_long_poll_delivers_a_command_as_soon_as_it_arrives(
    bot: Bot, double: BotApiDouble
) -> None:
    asyncio.get_running_loop().call_later(0.2, double.user_sends, USER, "/start@roundwatch_bot")
    started = time.monotonic()

    updates = await bot.get_updates(timeout=1)

    assert time.monotonic() - started < 0.9
    [update] = updates
    assert update.message.text == "/start@roundwatch_bot"
    assert update.message.from_user.id == USER
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start@roundwatch_bot")

    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_button_press_arrives_as_callback_query_and_can_be_answered(
    bot: Bot, double: BotApiDouble
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Details", callback_data="round:3")]])
    card = await bot.send_message(USER, "Round 3", reply_markup=keyboard)

    query_id = double.user_presses(USER, card.message_id, "round:3")
    [update] = await bot.get_updates(timeout=1)

    assert isinstance(update, Update)
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "round:3"
    assert update.callback_query.message.message_id == card.message_id
    await bot.answer_callback_query(query_id, text="Opening")
    assert double.callback_answers[0].text == "Opening"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_a_channel_reader_presses_a_button_but_cannot_be_written_to_first(
    bot: Bot, double: BotApiDouble
) -> None:
    channel, reader = -1_000_555, 77
    double.add_channel(channel, "Desk", admins={7})
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Latest", callback_data="latest:x")]])
    post = await bot.send_message(channel, "Topics", reply_markup=keyboard)

    double.user_presses(channel, post.message_id, "latest:x", user_id=reader)
    [update] = await bot.get_updates(timeout=1)

    assert update.callback_query.from_user.id == reader
    assert update.callback_query.message.chat.type == "channel"
    assert (await bot.get_chat_member(channel, reader)).status == "member"
    assert (await bot.get_chat_member(channel, 7)).status == "administrator"
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(reader, "hello")
    double.add_private_chat(reader)
    await bot.send_message(reader, "hello")


async def test_edits_are_recorded_apart_from_sends(bot: Bot, double: BotApiDouble) -> None:
    card = await bot.send_message(USER, "Round 3: <i>open</i>", parse_mode="HTML")

    edited = await bot.edit_message_text(
        "Round 3: <b>closed</b>", chat_id=USER, message_id=card.message_id, parse_mode="HTML"
    )

    assert edited.text == "Round 3: closed"
    assert [m.plain_text for m in double.messages_to(USER)] == ["Round 3: open"]
    assert [(e.method, e.plain_text) for e in double.edits] == [
        ("editMessageText", "Round 3: closed")
    ]
    latest = double.latest(USER, card.message_id)
    assert latest is not None
    assert latest.plain_text == "Round 3: closed"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "Round 3: <b>closed</b>", chat_id=USER, message_id=card.message_id, parse_mode="HTML"
        )


async def test_uploaded_document_can_be_downloaded(bot: Bot, double: BotApiDouble) -> None:
    double.user_uploads(USER, "agenda.csv", b"round,party\n3,north\n", caption="agenda")

    [update] = await bot.get_updates(timeout=1)
    document = update.message.document
    file = await bot.get_file(document.file_id)

    assert document.file_name == "agenda.csv"
    assert update.message.caption == "agenda"
    assert await file.download_as_bytearray() == b"round,party\n3,north\n"


async def test_commands_are_stored_per_scope(bot: Bot, double: BotApiDouble) -> None:
    await bot.set_my_commands([BotCommand("start", "Subscribe")])
    await bot.set_my_commands(
        [BotCommand("rounds", "List rounds")], scope=BotCommandScopeChat(GROUP)
    )

    assert double.commands["default"] == [{"command": "start", "description": "Subscribe"}]
    assert double.commands[f"chat:{GROUP}"] == [{"command": "rounds", "description": "List rounds"}]


async def test_group_roles_come_from_the_admin_list(bot: Bot) -> None:
    assert (await bot.get_chat_member(GROUP, 5)).status == "creator"
    assert (await bot.get_chat_member(GROUP, 7)).status == "administrator"
    assert (await bot.get_chat_member(GROUP, 8)).status == "member"


async def test_unknown_methods_are_not_found_and_counted(bot: Bot, double: BotApiDouble) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER})

    assert double.stats.unknown_methods["sendTelepathy"] == 1


async def test_real_application_answers_a_command(double: BotApiDouble) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("Subscribed")

    application: Application = (
        ApplicationBuilder()
        .token(double.token)
        .base_url(double.base_url)
        .base_file_url(double.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        double.user_sends(USER, "/start")
        [reply] = await double.wait_for_messages(USER, 1)
        await application.updater.stop()
        await application.stop()

    assert reply.text == "Subscribed"


async def test_runs_as_a_separate_process() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox.double",
        "--port",
        "0",
        "--chats",
        "2",
        "--no-limits",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode().strip()
        assert line.startswith("listening on http://127.0.0.1:")
        base_url = line.removeprefix("listening on ")
        async with aiohttp.ClientSession() as session:
            sent = await session.post(
                f"{base_url}123456:TEST/sendMessage", json={"chat_id": 2, "text": "hi"}
            )
            missing = await session.post(
                f"{base_url}123456:TEST/sendMessage", data={"chat_id": "3", "text": "hi"}
            )
            assert (await sent.json())["result"]["chat"]["id"] == 2
            assert await missing.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 5) == 0


async def test_records_can_be_reset_and_waits_give_up(bot: Bot, double: BotApiDouble) -> None:
    await bot.send_message(USER, "before")
    double.reset_records()

    assert double.sent == []
    assert double.stats.accepted_sends == 0
    with pytest.raises(TimeoutError):
        await double.wait_for_messages(USER, 1, timeout=0.05)

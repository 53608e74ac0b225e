"""The Bot API request on aiohttp, through a real PTB Bot over real HTTP: what PTB gets back
must be what PTB's own httpx request would give it."""

import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.sandbox import BotApiDouble
from bot.telegram_request import AiohttpRequest

USER = 42


def bot_on(base_url: str, token: str, **timeouts: float) -> Bot:
    return Bot(token, base_url=base_url, request=AiohttpRequest(connection_pool_size=4, **timeouts))


@pytest.fixture
async def bot(double: BotApiDouble) -> AsyncIterator[Bot]:
    double.add_private_chat(USER)
    async with bot_on(double.base_url, double.token) as running:
        yield running


async def test_messages_go_out_and_come_back_as_ptb_objects(bot: Bot, double: BotApiDouble) -> None:
    message = await bot.send_message(USER, "<b>Round 4</b> opens", parse_mode="HTML")
    assert message.chat.id == USER
    assert message.text == "Round 4 opens"
    assert [m.text for m in double.messages_to(USER)] == ["<b>Round 4</b> opens"]
    assert (await bot.get_me()).id == bot.id


async def test_telegram_errors_are_ptb_errors(bot: Bot, double: BotApiDouble) -> None:
    double.block(USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "hello")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(987654, "hello")


async def test_a_slow_answer_is_a_timeout(bot: Bot, double: BotApiDouble) -> None:
    double.delay(USER, 1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "hello", read_timeout=0.2)


async def test_nobody_listening_is_a_network_error(double: BotApiDouble) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = bot_on(f"http://127.0.0.1:{port}/bot", double.token)
    await bot.request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.get_me()
        assert not isinstance(raised.value, TimedOut)
        assert "aiohttp." in str(raised.value)
    finally:
        await bot.request.shutdown()


async def test_files_go_as_multipart_form_data() -> None:
    """The double takes no uploads, so a small server of its own stands in for sendDocument."""
    received: dict[str, object] = {}

    async def send_document(request: web.Request) -> web.Response:
        form = await request.post()
        document = form["document"]
        assert isinstance(document, web.FileField)
        received.update(
            caption=form["caption"],
            chat_id=form["chat_id"],
            filename=document.filename,
            content=document.file.read(),
            content_type=document.content_type,
        )
        message = {
            "message_id": 7,
            "date": 0,
            "chat": {"id": USER, "type": "private"},
            "document": {"file_id": "f", "file_unique_id": "u", "file_name": document.filename},
        }
        return web.json_response({"ok": True, "result": message})

    server = web.Application()
    server.router.add_post("/bot123:abc/sendDocument", send_document)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    bot = bot_on(f"http://127.0.0.1:{port}/bot", "123:abc")
    await bot.request.initialize()
    try:
        upload = InputFile(b"round four minutes", filename="minutes.txt")
        sent = await bot.send_document(USER, upload, caption="Minutes")
    finally:
        await bot.request.shutdown()
        await runner.cleanup()
    assert sent.message_id == 7
    assert received == {
        "caption": "Minutes",
        "chat_id": str(USER),
        "filename": "minutes.txt",
        "content": b"round four minutes",
        "content_type": "text/plain",
    }


async def answering(body: bytes, received: list[bytes]) -> tuple[web.AppRunner, str]:
    """A server of its own that answers every sendMessage with `body`, keeping what it got."""

    async def send_message(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.Response(body=body, content_type="application/json")

    server = web.Application()
    server.router.add_post("/bot123:abc/sendMessage", send_message)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/bot"


CHAT = b'"chat":{"id":42,"type":"private"}'
SENT = b'{"ok":true,"result":{"message_id":7,"date":0,' + CHAT + b',"text":"%s"}}'


async def test_an_answer_that_is_not_json_is_an_invalid_server_response() -> None:
    runner, base_url = await answering(b"<html>502 Bad Gateway</html>", [])
    bot = bot_on(base_url, "123:abc")
    await bot.request.initialize()
    try:
        with pytest.raises(TelegramError, match="Invalid server response"):
            await bot.send_message(USER, "hello")
    finally:
        await bot.request.shutdown()
        await runner.cleanup()


async def test_an_answer_not_in_utf8_is_read_with_replacements_as_ptb_reads_it() -> None:
    runner, base_url = await answering(SENT % b"Vienna \xff", [])
    bot = bot_on(base_url, "123:abc")
    await bot.request.initialize()
    try:
        message = await bot.send_message(USER, "hello")
    finally:
        await bot.request.shutdown()
        await runner.cleanup()
    assert message.text == "Vienna \ufffd"


async def test_text_and_ids_reach_the_bot_api_as_sent() -> None:
    """orjson writes the body; an id beyond its 64 bits still goes, in the standard library's
    JSON, so no request the Bot API would take is refused here."""
    received: list[bytes] = []
    runner, base_url = await answering(SENT % b"ok", received)
    bot = bot_on(base_url, "123:abc")
    await bot.request.initialize()
    try:
        await bot.send_message(USER, "Раунд 4 — «Вена» <b>&amp;</b>", parse_mode="HTML")
        await bot.send_message(2**70, "far")
    finally:
        await bot.request.shutdown()
        await runner.cleanup()
    assert [json.loads(body) for body in received] == [
        {"chat_id": USER, "text": "Раунд 4 — «Вена» <b>&amp;</b>", "parse_mode": "HTML"},
        {"chat_id": 2**70, "text": "far"},
    ]

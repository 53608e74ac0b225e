"""The Bot API request on aiohttp, through a real PTB Bot over real HTTP: what PTB gets back
must be what PTB's own httpx request would give it."""

import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

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

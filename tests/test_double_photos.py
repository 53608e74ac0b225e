"""The double takes sendPhoto as Telegram does: a multipart upload (or a file_id sent before),
refusing what Telegram refuses, and records the bytes so tests can look at the picture."""

from __future__ import annotations

import struct
import zlib

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest
from telegram.request import HTTPXRequest

from bot.sandbox import BotApiDouble

USER = 11


def png_of(width: int, height: int) -> bytes:
    """A valid one-colour PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_a_photo_upload_is_recorded_with_its_bytes_caption_and_thread() -> None:
    async with BotApiDouble() as double:
        double.add_private_chat(USER)
        double.add_group(-500, "Forum", type="supergroup", forum=True)
        bot = Bot(double.token, base_url=double.base_url, request=HTTPXRequest())
        async with bot:
            picture = png_of(40, 30)
            sent = await bot.send_photo(
                USER, InputFile(picture, filename="p.png"), caption="<b>Caption</b>",
                parse_mode="HTML",
            )  # fmt: skip
            assert (sent.photo[-1].width, sent.photo[-1].height) == (40, 30)
            again = await bot.send_photo(-500, sent.photo[-1].file_id, message_thread_id=9)
            assert again.message_thread_id == 9
            with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
                await bot.send_photo(USER, InputFile(b"not a picture", filename="p.png"))
            with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
                await bot.send_photo(USER, InputFile(png_of(1, 30), filename="p.png"))
        (first,) = double.messages_to(USER)
        assert first.method == "sendPhoto" and first.photo == picture
        assert first.plain_text == "Caption" and first.parse_mode == "HTML"
        (second,) = double.messages_to(-500)
        assert second.photo == picture and second.thread_id == 9


async def test_a_chat_is_shared_only_through_a_picker_the_bot_offered() -> None:
    async with BotApiDouble() as double:
        double.add_private_chat(USER)
        double.add_channel(-600, "Desk")
        with pytest.raises(ValueError, match="no chat picker"):
            double.user_shares_chat(USER, 1, -600)

"""`roundwatch sandbox`: the real bot, its database and its scheduler, talking to the person at
the terminal through the local Bot API double, so anyone can try the product without a token.

Only the Telegram servers are simulated; handlers, rate limiting, fan-out and alerts are the
production code, which is why what shows up here is what a Telegram user would see.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import col

from bot.app import build_application, running_bot
from bot.config import Settings
from bot.delivery.fanout import fan_out_published_posts
from bot.posting.demo_data import DEMO_SLUG, load_demo_data
from bot.sandbox.double import BotApiDouble
from bot.sandbox.records import SentMessage
from bot.sandbox.terminal_styles import terminal_text
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Topic

TERMINAL_USER_ID = 1
TERMINAL_USER_NAME = "You"
LIBRARY_LOGGERS = ("telegram", "httpx", "apscheduler", "aiohttp", "alembic", "bot.delivery.fanout")

REFRESH_SECONDS = 0.1
FIRST_ANSWER_TIMEOUT = 10.0
QUIET_MARGIN = 0.4
LONGEST_SETTLE = 30.0

BOT_PREFIX = "🤖 "
EDIT_PREFIX = "✏️ "
INDENT = "   "
PROMPT = "🧑 › "
CARD_PROMPT = INDENT
QUIT_COMMANDS = frozenset({":quit", ":q", ":exit"})
CARD_END = "."

INTRODUCTION = f"""\
Roundwatch sandbox: the real bot, its database and its scheduler, with a local stand-in for
Telegram. Nothing leaves this computer and no bot token is needed.

You are "{TERMINAL_USER_NAME}" (user id {TERMINAL_USER_ID}) and an admin here, so /post works.
Database: {{database}}
"""
SANDBOX_HELP = f"""\
Try:
  /latest                        the newest round
  /parties                       who negotiates and who mediates
  /subscribe {DEMO_SLUG}   an alert for every new round, right here
  /post {DEMO_SLUG} …      publish a round: type the card with :card
  /help                          every command

In this terminal:
  :press N   press button [N] of the newest bot message that has buttons
  :card      start a message of several lines, such as a /post card;
             a line with just {CARD_END} sends it
  :help      show this again
  :quit      leave (Ctrl-D works too)
"""
DEMO_LOADED = (
    f"📚 The database had no topics, so the reference case is loaded: {DEMO_SLUG}, "
    "rounds 1 and 2.\n"
)


async def run_terminal_sandbox(
    settings: Settings,
    *,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
) -> None:
    """Runs one conversation until :quit or end of input. The sandbox has a database of its own
    (ROUNDWATCH_SANDBOX_DATABASE_URL), so it never mistakes real subscribers for simulated chats
    that do not exist; what is published there stays for the next run."""
    typed = input_stream or sys.stdin
    screen = output or sys.stdout
    with _quiet_library_logs():
        database = Database(settings.sandbox_database_url)
        try:
            await upgrade_database(database)
            demo_loaded = await _load_demo_data_if_empty(database)
            async with BotApiDouble() as double:
                double.add_private_chat(TERMINAL_USER_ID, first_name=TERMINAL_USER_NAME)
                # Admin notices also go to the configured owners; they land here, unseen.
                for owner_id in settings.owner_ids:
                    if owner_id > 0 and owner_id != TERMINAL_USER_ID:
                        double.add_private_chat(owner_id, first_name=f"Owner {owner_id}")
                application = build_application(_settings_for(settings, double), database)
                async with running_bot(application):
                    _write(
                        screen,
                        INTRODUCTION.format(database=_shown_url(settings.sandbox_database_url)),
                    )
                    if demo_loaded:
                        _write(screen, DEMO_LOADED)
                    _write(screen, "\n" + SANDBOX_HELP)
                    typing_here = typed.isatty()
                    ansi = screen.isatty() and "NO_COLOR" not in os.environ
                    conversation = TerminalConversation(
                        double,
                        TerminalTranscript(double, TERMINAL_USER_ID, screen, ansi=ansi),
                        LineReader(typed),
                        quiet_seconds=1 / settings.private_chat_rate + QUIET_MARGIN,
                        echo_input=not typing_here,
                        prompt=typing_here,
                    )
                    await conversation.run()
        finally:
            await database.dispose()
    _write(screen, "\n👋 Sandbox closed.\n")


def _settings_for(settings: Settings, double: BotApiDouble) -> Settings:
    owner_ids = tuple(dict.fromkeys((*settings.owner_ids, TERMINAL_USER_ID)))
    return settings.model_copy(
        update={
            "bot_token": double.token,
            "api_base_url": double.base_url,
            "file_base_url": double.base_file_url,
            "owner_ids": owner_ids,
        }
    )


async def _load_demo_data_if_empty(database: Database) -> bool:
    """Fans the reference rounds out at once, to nobody, as a bot already running would have:
    otherwise whoever subscribes before the first scheduler tick gets them as new alerts."""
    async with database.session() as session:
        if await session.scalar(select(col(Topic.id)).limit(1)) is not None:
            return False
    loaded = await load_demo_data(database)
    await fan_out_published_posts(database)
    return loaded


def _shown_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def _quiet_library_logs() -> Iterator[None]:
    """Per-request and per-job INFO lines would bury the conversation; the previous levels come
    back afterwards because tests run many sandboxes in one process."""
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, previous, strict=True):
            logger.setLevel(level)


def _write(screen: TextIO, text: str) -> None:
    screen.write(text)
    screen.flush()


class LineReader:
    """Lines from a blocking stream, handed to the event loop by a daemon thread: a thread
    stuck in ``readline`` after Ctrl-C must not keep the process alive, which rules out the
    loop's default executor (``asyncio.run`` waits for it)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._read, name="sandbox-input", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                line: str | None = self._stream.readline() or None
            except (OSError, ValueError):
                line = None
            try:
                self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            except RuntimeError:
                return
            if line is None:
                return

    async def next_line(self) -> str | None:
        """The next line without its line break; None at end of input."""
        line = await self._lines.get()
        if line is None:
            self._lines.put_nowait(None)
            return None
        return line.rstrip("\r\n")


def inline_buttons(message: SentMessage | None) -> list[list[dict[str, Any]]]:
    if message is None or not message.reply_markup:
        return []
    rows = message.reply_markup.get("inline_keyboard") or []
    return [list(row) for row in rows if row]


class TerminalTranscript:
    """Everything the bot does in the terminal user's chat, printed once and in order: new
    messages, text edits, new buttons on an old message and the notes a pressed button pops
    up. Buttons merely taken away are not printed; they simply stop being pressable.

    Messages are shown as Telegram formats them: with `ansi`, bold, italic, code and links in
    terminal styles; always with each link's address. A prompt on screen is written again
    under whatever arrives while the person is typing, so it is always the last line."""

    def __init__(
        self, double: BotApiDouble, chat_id: int, screen: TextIO, *, ansi: bool = False
    ) -> None:
        self._double = double
        self._chat_id = chat_id
        self._screen = screen
        self._ansi = ansi
        self._prompt: str | None = None
        self._sends_seen = 0
        self._edits_seen = 0
        self._answers_seen = 0

    def activity(self) -> int:
        """Grows with every send, edit and button answer anywhere, so a stable value means the
        bot has gone quiet."""
        double = self._double
        return len(double.sent) + len(double.edits) + len(double.callback_answers)

    def print_new(self) -> None:
        double = self._double
        sends, self._sends_seen = double.sent[self._sends_seen :], len(double.sent)
        edits, self._edits_seen = double.edits[self._edits_seen :], len(double.edits)
        answers = double.callback_answers[self._answers_seen :]
        self._answers_seen = len(double.callback_answers)
        shown: list[tuple[float, str]] = [
            (answer.at, f"💬 {answer.text}") for answer in answers if answer.text
        ]
        for message in sends:
            if message.chat_id == self._chat_id:
                shown.append((message.at, _rendered(message, BOT_PREFIX, self._ansi)))
        for edit in edits:
            if edit.chat_id != self._chat_id:
                continue
            if edit.method == "editMessageText":
                shown.append((edit.at, _rendered(edit, EDIT_PREFIX, self._ansi)))
            elif inline_buttons(edit):
                heading = "🔘 New buttons on an earlier message:\n"
                shown.append((edit.at, heading + _button_lines(edit)))
        for _, text in sorted(shown, key=lambda item: item[0]):
            self.say(text)

    def say(self, text: str) -> None:
        _write(self._screen, "\n" + text + "\n")
        if self._prompt is not None:
            _write(self._screen, "\n" + self._prompt)

    def show_prompt(self, prompt: str) -> None:
        self._prompt = prompt
        _write(self._screen, "\n" + prompt)

    def prompt_answered(self) -> None:
        """The person pressed Enter, which moved the cursor past the prompt already."""
        self._prompt = None

    def continue_with(self, line: str) -> None:
        """A line that belongs to what was said just before, so no blank line in between."""
        _write(self._screen, line + "\n")

    def newest_with_buttons(self) -> SentMessage | None:
        """The message ``:press`` refers to, as it is now, after any edits."""
        for sent in reversed(self._double.messages_to(self._chat_id)):
            current = self._double.latest(self._chat_id, sent.message_id)
            if inline_buttons(current):
                return current
        return None


def _rendered(message: SentMessage, prefix: str, ansi: bool) -> str:
    text = terminal_text(message.text, message.parse_mode, ansi=ansi)
    if message.photo is not None:
        text = f"🖼 (a picture, {len(message.photo) // 1024} kB, not shown in a terminal)\n{text}"
    first, *rest = text.split("\n")
    body = "\n".join([first, *(INDENT + line if line else "" for line in rest)])
    buttons = _button_lines(message)
    return prefix + body + ("\n" + buttons if buttons else "")


def _button_lines(message: SentMessage) -> str:
    lines: list[str] = []
    number = 0
    for row in inline_buttons(message):
        labels: list[str] = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.get('text', '')}")
        lines.append(INDENT + "  ".join(labels))
    return "\n".join(lines)


class TerminalConversation:
    """Reads what the person types and acts it out in the double, while a background task
    prints whatever the bot sends, alerts included, the moment it arrives.

    After each message or press the next line waits until the bot has answered and gone quiet
    for a little longer than its own per-chat pace, so piped scripts such as
    ``:card`` … ``.`` then ``:press 1`` press the buttons of the reply they were written for.
    """

    def __init__(
        self,
        double: BotApiDouble,
        transcript: TerminalTranscript,
        reader: LineReader,
        *,
        quiet_seconds: float,
        echo_input: bool,
        prompt: bool = False,
    ) -> None:
        self._double = double
        self._transcript = transcript
        self._reader = reader
        self._quiet_seconds = quiet_seconds
        self._echo_input = echo_input
        self._prompt = prompt

    async def run(self) -> None:
        printer = asyncio.create_task(self._keep_printing(), name="sandbox-transcript")
        try:
            await self._converse()
            await self._wait_until_quiet()
        finally:
            printer.cancel()
            with suppress(asyncio.CancelledError):
                await printer
            self._transcript.print_new()

    async def _keep_printing(self) -> None:
        while True:
            self._transcript.print_new()
            await asyncio.sleep(REFRESH_SECONDS)

    async def _next_line(self, prompt: str) -> str | None:
        if self._prompt:
            self._transcript.show_prompt(prompt)
        line = await self._reader.next_line()
        self._transcript.prompt_answered()
        return line

    async def _converse(self) -> None:
        while True:
            line = await self._next_line(PROMPT)
            if line is None:
                return
            command = line.strip()
            if not command:
                continue
            self._transcript.print_new()
            if self._echo_input:
                self._transcript.say(f"🧑 {line}")
            if command in QUIT_COMMANDS:
                return
            if command == ":help":
                self._transcript.say(SANDBOX_HELP.rstrip("\n"))
            elif command == ":card":
                card = await self._read_card()
                if card is None:
                    self._transcript.say("The unfinished card was not sent.")
                    return
                await self._send(card)
            elif command.split()[0] == ":press":
                await self._press(command.split()[1:])
            elif command.startswith(":"):
                self._transcript.say(f"No terminal command {command.split()[0]}; :help lists them.")
            else:
                await self._send(line)

    async def _read_card(self) -> str | None:
        self._transcript.say(f"📝 Type the message; a line with just {CARD_END} sends it.")
        lines: list[str] = []
        while True:
            line = await self._next_line(CARD_PROMPT)
            if line is None:
                return None
            if line.strip() == CARD_END:
                return "\n".join(lines).strip("\n")
            lines.append(line)
            if self._echo_input:
                self._transcript.continue_with(INDENT + line)

    async def _send(self, text: str) -> None:
        if not text.strip():
            return
        before = self._transcript.activity()
        self._double.user_sends(
            TERMINAL_USER_ID, text, user_id=TERMINAL_USER_ID, reply_to=self._asked_by_bot()
        )
        await self._wait_for_answer(before)

    def _asked_by_bot(self) -> int | None:
        """A Telegram app makes the next message a reply to a question asked with ForceReply
        (Edit's "new value for …?"), and so does the terminal."""
        sent = self._double.messages_to(TERMINAL_USER_ID)
        if sent and (sent[-1].reply_markup or {}).get("force_reply"):
            return sent[-1].message_id
        return None

    async def _press(self, arguments: list[str]) -> None:
        message = self._transcript.newest_with_buttons()
        if message is None:
            self._transcript.say("No bot message has buttons to press.")
            return
        buttons = [button for row in inline_buttons(message) for button in row]
        if len(arguments) != 1 or not (arguments[0].isascii() and arguments[0].isdigit()):
            self._transcript.say(f"Say which button: :press 1 to :press {len(buttons)}.")
            return
        number = int(arguments[0])
        if not 1 <= number <= len(buttons):
            self._transcript.say(f"That message has buttons 1 to {len(buttons)}.")
            return
        button = buttons[number - 1]
        if "callback_data" not in button:
            self._transcript.say(f"🔗 That button opens {button.get('url', 'a link')}.")
            return
        self._transcript.say(f"👆 {button.get('text', '')}")
        before = self._transcript.activity()
        self._double.user_presses(
            TERMINAL_USER_ID, message.message_id, button["callback_data"], user_id=TERMINAL_USER_ID
        )
        await self._wait_for_answer(before)

    async def _wait_for_answer(self, before: int) -> None:
        with suppress(TimeoutError):
            await self._double.wait_for(
                lambda: self._transcript.activity() != before, FIRST_ANSWER_TIMEOUT
            )
        await self._wait_until_quiet()

    async def _wait_until_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + LONGEST_SETTLE
        seen = self._transcript.activity()
        quiet_since = loop.time()
        while loop.time() - quiet_since < self._quiet_seconds and loop.time() < give_up:
            await asyncio.sleep(REFRESH_SECONDS)
            current = self._transcript.activity()
            if current != seen:
                seen, quiet_since = current, loop.time()

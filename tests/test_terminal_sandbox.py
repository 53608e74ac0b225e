"""`roundwatch sandbox` driven the way a person uses it: lines typed once the screen shows the
answer they respond to, against a real SQLite file, with the real bot and scheduler inside."""

from __future__ import annotations

import asyncio
import io
import time
from collections import deque
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.posting.demo_data import DEMO_SLUG
from bot.sandbox import BotApiDouble
from bot.sandbox.terminal import (
    DEMO_LOADED,
    TERMINAL_USER_ID,
    TerminalTranscript,
    run_terminal_sandbox,
)

SESSION_TIMEOUT = 30.0
TYPING_TIMEOUT = 15.0
END_OF_HELP = "Ctrl-D works too"


class Typist(io.StringIO):
    """Input that types each line only once the screen shows the text that line waits for,
    looking after where the previous wait matched; None types straight away. When the awaited
    text never shows, input ends, so the session closes and the test reports the screen."""

    def __init__(self, screen: io.StringIO, steps: list[tuple[str | None, str]]) -> None:
        super().__init__()
        self._screen = screen
        self._steps = deque(steps)
        self._looked_up_to = 0

    def readline(self, size: int | None = -1, /) -> str:
        if not self._steps:
            return ""
        awaited, line = self._steps.popleft()
        if awaited is not None:
            deadline = time.monotonic() + TYPING_TIMEOUT
            while (found := self._screen.getvalue().find(awaited, self._looked_up_to)) < 0:
                if time.monotonic() > deadline:
                    self._steps.clear()
                    return ""
                time.sleep(0.02)
            self._looked_up_to = found + len(awaited)
        return line + "\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        ROUNDWATCH_SANDBOX_DATABASE_URL=f"sqlite:///{tmp_path / 'roundwatch.sqlite3'}",
        ROUNDWATCH_CHECK_INTERVAL=0.2,
    )


async def session(settings: Settings, steps: list[tuple[str | None, str]]) -> str:
    screen = io.StringIO()
    await asyncio.wait_for(
        run_terminal_sandbox(settings, input_stream=Typist(screen, steps), output=screen),
        SESSION_TIMEOUT,
    )
    return screen.getvalue()


async def test_a_first_run_loads_the_reference_case_once_and_end_of_input_closes_it(
    settings: Settings,
) -> None:
    first = await session(settings, [])
    assert "Roundwatch sandbox" in first
    assert "an admin here" in first
    assert ":press N" in first and ":card" in first and ":quit" in first
    assert DEMO_LOADED in first
    assert first.rstrip().endswith("Sandbox closed.")

    second = await session(settings, [(END_OF_HELP, ":quit")])
    assert DEMO_LOADED not in second
    assert second.rstrip().endswith("Sandbox closed.")


async def test_latest_prints_the_istanbul_round(settings: Settings) -> None:
    screen = await session(settings, [(END_OF_HELP, "/latest"), ("Haji Najib", ":quit")])
    answer = screen.split("🧑 /latest", 1)[1]
    assert "🤖 📌 Latest round" in answer, screen
    for fact in ("Istanbul, Turkey", "Haji Najib", "Zabihullah Mujahid"):
        assert fact in answer, fact
    assert "<b>" not in answer and "&amp;" not in answer


async def test_an_alert_for_a_round_just_published_arrives_while_chatting(
    settings: Settings,
) -> None:
    card = [
        f"/post {DEMO_SLUG}",
        "round: 3",
        "title: Third round of talks opens in Riyadh",
        "date: 2026-11-02",
        "place: Riyadh, Saudi Arabia",
        "parties: Pakistan; Taliban administration",
        "status: ongoing",
        "summary:",
        "Delegations met again, this time in Riyadh.",
    ]
    screen = await session(
        settings,
        [
            (END_OF_HELP, f"/subscribe {DEMO_SLUG}"),
            ("Subscribed", ":card"),
            ("sends it", card[0]),
            *[(None, line) for line in card[1:]],
            (None, "."),
            ("[1] ✅ Publish  [2] ✖️ Cancel", ":press 1"),
            ("🆕 New round", ":quit"),
        ],
    )
    assert "Preview" in screen, screen
    assert screen.count("🤖 🆕 New round") == 2, "the preview and the alert, no reference rounds"
    after_press = screen.split("👆 ✅ Publish", 1)[1]
    published = after_press.index("📣 Published")
    alert = after_press.index("🤖 🆕 New round")
    assert published < alert, screen
    assert "Third round of talks opens in Riyadh" in after_press[alert:]
    assert after_press.rstrip().endswith("Sandbox closed.")


async def test_the_transcript_shows_each_message_once_with_edits_and_numbered_buttons() -> None:
    async with BotApiDouble() as double:
        double.add_private_chat(TERMINAL_USER_ID, first_name="You")
        screen = io.StringIO()
        transcript = TerminalTranscript(double, TERMINAL_USER_ID, screen)
        bot = Bot(double.token, base_url=double.base_url, base_file_url=double.base_file_url)
        async with bot:
            choice = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("✅ Publish", callback_data="pub:1")],
                    [
                        InlineKeyboardButton("✖️ Cancel", callback_data="cancel:1"),
                        InlineKeyboardButton("Source", url="https://example.org/round"),
                    ],
                ]
            )
            first = await bot.send_message(
                TERMINAL_USER_ID,
                "<b>Round 3</b> &amp; more\nline two",
                parse_mode="HTML",
                reply_markup=choice,
            )
            transcript.print_new()
            transcript.print_new()
            assert transcript.newest_with_buttons() is not None

            await bot.edit_message_reply_markup(TERMINAL_USER_ID, first.message_id)
            await bot.edit_message_text("Round 3, corrected", TERMINAL_USER_ID, first.message_id)
            transcript.print_new()
            assert transcript.newest_with_buttons() is None

    assert screen.getvalue() == (
        "\n🤖 Round 3 & more\n   line two\n"
        "   [1] ✅ Publish\n   [2] ✖️ Cancel  [3] Source\n"
        "\n✏️ Round 3, corrected\n"
    )


async def test_the_transcript_shows_telegram_formatting_and_link_addresses() -> None:
    async with BotApiDouble() as double:
        double.add_private_chat(TERMINAL_USER_ID, first_name="You")
        plain, styled = io.StringIO(), io.StringIO()
        transcripts = [
            TerminalTranscript(double, TERMINAL_USER_ID, plain),
            TerminalTranscript(double, TERMINAL_USER_ID, styled, ansi=True),
        ]
        bot = Bot(double.token, base_url=double.base_url, base_file_url=double.base_file_url)
        async with bot:
            await bot.send_message(
                TERMINAL_USER_ID,
                "<b>Round 2</b> · <i>ongoing</i> · <code>pak-taliban-talks</code>\n"
                'Source: <a href="https://dawn.com/n">Dawn</a> &amp; more',
                parse_mode="HTML",
            )
            for transcript in transcripts:
                transcript.print_new()

    assert plain.getvalue() == (
        "\n🤖 Round 2 · ongoing · pak-taliban-talks\n   Source: Dawn (https://dawn.com/n) & more\n"
    )
    assert styled.getvalue() == (
        "\n🤖 \x1b[1mRound 2\x1b[22m · \x1b[3mongoing\x1b[23m · "
        "\x1b[36mpak-taliban-talks\x1b[39m\n"
        "   Source: \x1b[4;34mDawn\x1b[24;39m (\x1b[2mhttps://dawn.com/n\x1b[22m) & more\n"
    )


class TerminalTypist(Typist):
    """A person at a terminal: nothing they type is echoed back by the sandbox."""

    def isatty(self) -> bool:
        return True


async def test_a_person_at_a_terminal_gets_a_prompt_and_sources_with_their_links(
    settings: Settings,
) -> None:
    screen = io.StringIO()
    steps = [(END_OF_HELP, "/latest"), ("Haji Najib", ":quit")]
    await asyncio.wait_for(
        run_terminal_sandbox(settings, input_stream=TerminalTypist(screen, steps), output=screen),
        SESSION_TIMEOUT,
    )

    shown = screen.getvalue()
    assert shown.count("\n🧑 › ") >= 2
    assert "\x1b[" not in shown
    assert "Source: Ministry of Foreign Affairs press conference, 23 October 2026" in shown


async def test_a_preview_field_is_edited_at_the_terminal_by_answering_the_question(
    settings: Settings,
) -> None:
    card = [
        f"/post {DEMO_SLUG}",
        "round: 3",
        "title: Third round of talks opens in Riyadh",
        "place: Riyadh, Saudi Arabia",
        "status: ongoing",
    ]
    screen = await session(
        settings,
        [
            (END_OF_HELP, ":card"),
            ("sends it", card[0]),
            *[(None, line) for line in card[1:]],
            (None, "."),
            ("[3] ✏️ Edit", ":press 3"),
            ("[5] Place", ":press 5"),
            ("New value for Place", "Jeddah, Saudi Arabia"),
            ("Place changed", ":quit"),
        ],
    )
    after_answer = screen.split("Place changed", 1)[0].rsplit("New value for Place", 1)[1]
    assert "Jeddah, Saudi Arabia" in after_answer, screen

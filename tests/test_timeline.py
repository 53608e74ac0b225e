"""/timeline: the process as a picture, sent as a photo a phone can read."""

from __future__ import annotations

import struct
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, load_demo_data
from bot.posting.publish import create_new_topic
from bot.reading.timeline_picture import MOST_ROUNDS, render_timeline
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.views import PlaceView, TimelineRound
from tests.conftest import OWNER_ID, Chatter

READER = 8_001
ONE_MEGABYTE = 1024 * 1024


def png_size(picture: bytes) -> tuple[int, int]:
    assert picture[:8] == b"\x89PNG\r\n\x1a\n" and picture[12:16] == b"IHDR"
    width, height = struct.unpack(">II", picture[16:24])
    return width, height


def assert_phone_sized(picture: bytes) -> tuple[int, int]:
    """What Telegram takes as a photo (width + height ≤ 10,000, sides within 1:20) and what a
    phone shows without zooming out of all sense: 1,080 pixels wide, under a megabyte."""
    width, height = png_size(picture)
    assert width == 1080
    assert width + height <= 10_000 and height <= 20 * width
    assert len(picture) < ONE_MEGABYTE
    return width, height


def rounds_like(count: int, **names: str) -> list[TimelineRound]:
    start = date(2024, 1, 10)
    outcomes = ("ceasefire", None, "no agreement", "prisoner exchange", None)
    statuses = ("concluded", "ongoing", "collapsed", "concluded", "postponed")
    return [
        TimelineRound(
            number=n + 1,
            title=f"Round {n + 1}",
            start_date=start + timedelta(days=23 * n),
            end_date=start + timedelta(days=23 * n + n % 3),
            place=PlaceView(city=names.get("city", "Doha"), country=names.get("country", "Qatar")),
            mediators=(names.get("mediator", "Qatar"), "Turkey"),
            status=statuses[n % 5],
            outcome_type=outcomes[n % 5],
        )
        for n in range(count)
    ]


async def test_the_reference_case_is_sent_as_a_photo_a_phone_can_read(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await load_demo_data(database)
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (photo,) = await reader.says(f"/timeline {DEMO_SLUG}")
    assert photo.method == "sendPhoto" and photo.photo is not None
    _, height = assert_phone_sized(photo.photo)
    assert height <= 2000, "two rounds make a picture about one screen high"
    assert DEMO_TITLE in photo.plain_text and f"/history {DEMO_SLUG}" in photo.plain_text
    (again,) = await reader.says("/timeline")
    assert again.method == "sendPhoto" and again.photo == photo.photo
    (history,) = await reader.says(f"/history {DEMO_SLUG}")
    assert history.method == "sendMessage" and "Round 1" in history.plain_text


async def test_timeline_answers_in_words_when_there_is_nothing_to_draw(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, "quiet-talks", "Quiet talks")
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (unknown,) = await reader.says("/timeline nope")
    (latest_unknown,) = await reader.says("/latest nope")
    assert unknown.method == "sendMessage" and unknown.text == latest_unknown.text
    assert "no topic" in unknown.plain_text
    (empty,) = await reader.says("/timeline quiet-talks")
    assert empty.method == "sendMessage" and "no rounds yet" in empty.plain_text


async def test_a_picture_telegram_refuses_is_answered_in_words(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await load_demo_data(database)
    double.add_private_chat(READER)
    double.fail_next(READER, 1, 502)
    (answer,) = await Chatter(double, READER, READER).says(f"/timeline {DEMO_SLUG}")
    assert answer.method == "sendMessage" and "/history" in answer.plain_text


async def test_a_pick_from_several_topics_draws_the_one_pressed(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await load_demo_data(database)
    await create_new_topic(database, OWNER_ID, "quiet-talks", "Quiet talks")
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (question,) = await reader.says("/timeline")
    assert question.reply_markup is not None
    (photo,) = await reader.presses(question, f"timeline:{DEMO_SLUG}")
    assert photo.method == "sendPhoto" and photo.photo is not None


def test_thirty_rounds_stay_readable_on_a_phone() -> None:
    _, height = assert_phone_sized(render_timeline("Long talks", rounds_like(30)))
    assert height >= 30 * 150, "each round keeps a row of its own"


def test_more_rounds_than_fit_keep_the_latest() -> None:
    many = rounds_like(MOST_ROUNDS + 20)
    picture = render_timeline("Endless talks", many)
    assert png_size(picture) == png_size(render_timeline("Endless talks", many[-MOST_ROUNDS:]))
    assert_phone_sized(picture)


def test_persian_names_render_without_error() -> None:
    rounds = rounds_like(3, city="کابل", country="افغانستان", mediator="قطر")
    assert_phone_sized(render_timeline("مذاکرات پاکستان و طالبان", rounds))


def _dates() -> st.SearchStrategy[date | None]:
    return st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


_words = st.text(min_size=0, max_size=80)
_round = st.builds(
    TimelineRound,
    number=st.integers(min_value=1, max_value=10_000),
    title=_words,
    start_date=_dates(),
    end_date=_dates(),
    place=st.builds(PlaceView, city=st.none() | _words, country=st.none() | _words,
                    venue=st.none() | _words),
    mediators=st.lists(_words, max_size=4).map(tuple),
    status=st.none() | st.sampled_from(
        ["scheduled", "ongoing", "concluded", "collapsed", "postponed"]
    ),
    outcome_type=st.none() | _words,
)  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_words, rounds=st.lists(_round, max_size=8))
def test_any_rounds_render_to_a_phone_sized_png(title: str, rounds: list[TimelineRound]) -> None:
    assert_phone_sized(render_timeline(title, rounds))

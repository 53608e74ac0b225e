"""Scheduled publishing: a preview goes out at its time, on a clock the test moves, through the
same outbox and exactly as previewed; cancelled, it never does; a restart loses nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.posting.demo_data import ROUND_ONE_CARD
from bot.posting.scheduling import parse_when
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.models import Delivery, Post, ScheduledPost
from tests.conftest import OWNER_ID, Chatter, buttons_of
from tests.preview_steps import STRANGER, Desk, open_desk
from tests.test_digests import Bots, MovableClock, ticks_pass

READER = 200
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def bots(double: BotApiDouble, database: Database, database_url: str) -> AsyncIterator[Bots]:
    started = Bots(double, database, database_url)
    try:
        yield started
    finally:
        await started.stop()


async def schedule_rows(database: Database) -> list[ScheduledPost]:
    async with database.session() as session:
        return list(await session.scalars(select(ScheduledPost)))


async def sent_deliveries(database: Database) -> int:
    async with database.session() as session:
        return len((await session.scalars(select(Delivery).where(Delivery.state == "sent"))).all())


async def scheduled_in_an_hour(desk: Desk) -> SentMessage:
    """The preview, scheduled with its button for an hour after START."""
    preview = await desk.preview(ROUND_ONE_CARD)
    await desk.press_label(preview, "🕒 Schedule")
    assert "In 1 hour" in buttons_of(desk.shown(preview))
    before = len(desk.double.messages_to(OWNER_ID))
    await desk.press_label(preview, "In 1 hour")
    (said,) = (await desk.double.wait_for_messages(OWNER_ID, before + 1))[before:]
    assert "will be published" in said.plain_text
    assert list(buttons_of(desk.shown(preview))) == ["✖️ Cancel schedule"]
    return preview


async def test_a_scheduled_preview_goes_out_at_its_time_exactly_as_previewed(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    preview = await desk.preview(ROUND_ONE_CARD)
    await desk.press_label(preview, "🕒 Schedule")
    await desk.press_label(preview, "In 1 hour")
    await double.wait_for(
        lambda: "will be published" in double.messages_to(OWNER_ID)[-1].plain_text
    )
    (row,) = await schedule_rows(database)
    assert row.due_at == START + timedelta(hours=1)

    clock.now = START + timedelta(minutes=59)
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 1, "only the subscribe answer before its time"

    clock.now = START + timedelta(hours=1, seconds=1)
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2, timeout=10)
    assert double.messages_to(READER)[-1].plain_text == preview.plain_text
    await double.wait_for(
        lambda: "Published as scheduled" in double.messages_to(OWNER_ID)[-1].plain_text
    )
    assert [r.state for r in await schedule_rows(database)] == ["published"]
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 2


async def test_schedule_reads_the_admins_time_zone_and_refuses_a_time_past(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    await desk.owner.says("/timezone Asia/Kabul")
    preview = await desk.preview(ROUND_ONE_CARD)

    for past in ("/schedule yesterday 10:00", "/schedule 2020-01-01 09:00"):
        (refused,) = await desk.owner.says(past)
        assert "already passed" in refused.plain_text
    assert await schedule_rows(database) == []
    (unreadable,) = await desk.owner.says("/schedule when the <moon> is blue")
    assert "cannot read" in unreadable.plain_text and "<moon>" in unreadable.plain_text

    before = len(double.messages_to(OWNER_ID))
    double.user_sends(
        OWNER_ID, "/schedule tomorrow 08:00", user_id=OWNER_ID, reply_to=preview.message_id
    )
    (said,) = (await double.wait_for_messages(OWNER_ID, before + 1))[before:]
    kabul = ZoneInfo("Asia/Kabul")
    expected = datetime.combine(
        START.astimezone(kabul).date() + timedelta(days=1),
        datetime.min.time().replace(hour=8),
        kabul,
    )
    (row,) = await schedule_rows(database)
    assert row.due_at == expected
    assert "08:00 (Asia/Kabul)" in said.plain_text
    (listing,) = await desk.owner.says("/scheduled")
    assert "08:00 (Asia/Kabul)" in listing.plain_text and "update 1" in listing.plain_text

    clock.now = expected + timedelta(seconds=1)
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2, timeout=10)


async def test_a_cancelled_schedule_sends_nothing_and_gives_the_preview_its_buttons_back(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    preview = await scheduled_in_an_hour(desk)
    (listing,) = await desk.owner.says("/scheduled")
    cancel = buttons_of(listing)["✖️ Cancel update 1"]
    answer = await desk.press(listing, cancel, user_id=STRANGER)
    assert answer.show_alert and [r.state for r in await schedule_rows(database)] == ["waiting"]
    (said,) = await desk.owner.presses(listing, cancel)
    assert "cancelled" in said.plain_text

    clock.now = START + timedelta(hours=2)
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 1
    assert await sent_deliveries(database) == 0
    async with database.session() as session:
        assert (await session.scalars(select(Post.state))).all() == ["draft"]
    assert "✅ Publish" in buttons_of(desk.shown(preview))
    (empty,) = await desk.owner.says("/scheduled")
    assert "Nothing is scheduled" in empty.plain_text


async def test_drafts_lists_what_waits_for_its_time_and_cancels_it(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    await scheduled_in_an_hour(desk)
    _, waiting = await desk.owner.says("/drafts", replies=2)
    assert "Scheduled" in waiting.plain_text and "update 1" in waiting.plain_text
    (said,) = await desk.owner.presses(waiting, buttons_of(waiting)["✖️ Cancel update 1"])
    assert "cancelled" in said.plain_text
    (nothing,) = await desk.owner.says("/drafts")
    assert "Scheduled" not in nothing.plain_text


async def test_a_restart_before_the_time_still_sends_it_once(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    await scheduled_in_an_hour(desk)
    await bots.stop()

    clock.now = START + timedelta(hours=1, minutes=5)
    await bots.start(clock)
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2, timeout=10)
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 2
    assert await sent_deliveries(database) == 1
    assert [r.state for r in await schedule_rows(database)] == ["published"]


async def test_a_non_admin_can_neither_schedule_nor_list(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    await bots.start(MovableClock(START))
    desk = await open_desk(double, [READER])
    preview = await desk.preview(ROUND_ONE_CARD)
    post_id = buttons_of(preview)["🕒 Schedule"].split(":")[1]
    for data in (f"psched:{post_id}", f"pat:{post_id}:1h"):
        answer = await desk.press(preview, data, user_id=STRANGER)
        assert answer.show_alert and "Only Roundwatch admins" in (answer.text or "")
    stranger = Chatter(double, STRANGER, STRANGER)
    for command in ("/schedule in 1 hour", "/scheduled"):
        (refused,) = await stranger.says(command)
        assert "only Roundwatch admins" in refused.plain_text
    assert await schedule_rows(database) == []


def test_times_are_read_in_the_admins_zone() -> None:
    zone = ZoneInfo("Asia/Tehran")
    now = datetime(2026, 10, 24, 16, 0, tzinfo=UTC)  # 19:30 in Tehran
    assert parse_when("in 2 hours", now, zone) == now + timedelta(hours=2)
    assert parse_when("21:00", now, zone) == datetime(2026, 10, 24, 21, 0, tzinfo=zone)
    assert parse_when("18:00", now, zone) == datetime(2026, 10, 25, 18, 0, tzinfo=zone)
    assert parse_when("tomorrow 08:00", now, zone) == datetime(2026, 10, 25, 8, 0, tzinfo=zone)


async def test_a_schedule_whose_data_changed_meanwhile_publishes_nothing_and_shows_the_new_preview(
    double: BotApiDouble, bots: Bots, database: Database
) -> None:
    clock = MovableClock(START)
    await bots.start(clock)
    desk = await open_desk(double, [READER])
    scheduled = await desk.preview(ROUND_ONE_CARD)
    (said,) = await desk.owner.says("/schedule in 1 hour")
    assert "Update 1 will be published" in said.plain_text
    now = await desk.preview(ROUND_ONE_CARD)
    await desk.owner.presses(now, buttons_of(now)["✅ Publish"])
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2, timeout=10)

    before = len(double.messages_to(OWNER_ID))
    clock.now = START + timedelta(hours=1, seconds=1)
    await double.wait_for(lambda: len(double.messages_to(OWNER_ID)) >= before + 2, timeout=10)
    warning, new_preview = double.messages_to(OWNER_ID)[before : before + 2]
    assert "was not published" in warning.plain_text
    assert new_preview.plain_text != scheduled.plain_text
    assert "✅ Publish" in buttons_of(new_preview)
    assert [r.state for r in await schedule_rows(database)] == ["outdated"]
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 2
    assert await sent_deliveries(database) == 1

"""Publish presses: committed before the preview changes, safe to tap twice, and exactly the
previewed text or nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.models import Post, Round, utc_now
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of

SECOND_ADMIN, READER = 101, 200
ROUND_THREE_CARD = f"""/post {DEMO_SLUG}
round: 3
title: Third round in Istanbul
date: 2026-11-06
place: Istanbul, Turkey
status: ongoing"""
ROUND_THREE_COLLAPSE = f"""/post {DEMO_SLUG}
round: 3
status: collapsed"""


@pytest.fixture
async def admins(double: BotApiDouble, bot_for: StartBot) -> tuple[Chatter, Chatter]:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    double.add_private_chat(SECOND_ADMIN, first_name="Second")
    double.add_private_chat(READER, first_name="Reader")
    await bot_for(ROUNDWATCH_ADMIN_IDS=f"{OWNER_ID},{SECOND_ADMIN}")
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await Chatter(double, READER, READER).says(f"/subscribe {DEMO_SLUG}")
    return owner, Chatter(double, SECOND_ADMIN, SECOND_ADMIN)


async def preview_of(admin: Chatter, card: str) -> SentMessage:
    messages = await admin.says(card, replies=2)
    return messages[-1]


def publish_data(preview: SentMessage) -> str:
    return buttons_of(preview)["✅ Publish"]


async def press(double: BotApiDouble, admin: Chatter, message: SentMessage, data: str) -> str:
    """Presses and waits for the press to be answered; returns the answer's text."""
    answered = len(double.callback_answers)
    query_id = double.user_presses(admin.chat_id, message.message_id, data, user_id=admin.user_id)
    await double.wait_for(
        lambda: any(a.callback_query_id == query_id for a in double.callback_answers[answered:])
    )
    answer = next(a for a in double.callback_answers if a.callback_query_id == query_id)
    return answer.text or ""


async def post_states(database: Database) -> list[str]:
    async with database.session() as session:
        return list(await session.scalars(select(Post.state).order_by(Post.id)))


@pytest.fixture
def failing_publish(database: Database) -> Iterator[list[int]]:
    """Every statement that marks a post published fails like a locked database would, until
    the test empties the returned list."""
    armed = [1]

    def fail(_connection: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
        if armed and statement.lstrip().upper().startswith("UPDATE POSTS"):
            raise OperationalError(statement, {}, Exception("database is locked"))

    event.listen(database.engine.sync_engine, "before_cursor_execute", fail)
    yield armed
    event.remove(database.engine.sync_engine, "before_cursor_execute", fail)


async def test_a_failed_publish_keeps_the_buttons_and_says_what_happened(
    double: BotApiDouble,
    admins: tuple[Chatter, Chatter],
    database: Database,
    failing_publish: list[int],
) -> None:
    owner, _ = admins
    preview = await preview_of(owner, ROUND_ONE_CARD)
    before = len(double.messages_to(OWNER_ID))
    answer = await press(double, owner, preview, publish_data(preview))
    assert "nothing was published" in answer.lower()
    shown = double.latest(OWNER_ID, preview.message_id)
    assert shown is not None and "✅ Publish" in buttons_of(shown)
    assert await post_states(database) == ["draft"]
    assert not any("Published" in m.plain_text for m in double.messages_to(OWNER_ID)[before:])

    failing_publish.clear()
    again = await owner.presses(shown, publish_data(shown))
    assert "Published" in again[-1].plain_text
    assert await post_states(database) == ["published"]
    shown = double.latest(OWNER_ID, preview.message_id)
    assert shown is not None and buttons_of(shown) == {}


async def test_a_second_publish_tap_says_when_it_was_published(
    double: BotApiDouble,
    admins: tuple[Chatter, Chatter],
    database: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    owner, _ = admins
    preview = await preview_of(owner, ROUND_ONE_CARD)
    data = publish_data(preview)
    await owner.presses(preview, data)
    before = len(double.messages_to(OWNER_ID))
    with caplog.at_level(logging.WARNING):
        answer = await press(double, owner, preview, data)
    assert answer.startswith("Already published at ")
    assert not any(r.levelno >= logging.ERROR for r in caplog.records), caplog.text
    assert not any("Sorry" in m.plain_text for m in double.messages_to(OWNER_ID)[before:])
    assert await post_states(database) == ["published"]


async def test_publish_sends_the_preview_or_shows_a_new_one_when_the_data_changed(
    double: BotApiDouble, admins: tuple[Chatter, Chatter], database: Database
) -> None:
    owner, second = admins
    await owner.presses(*(lambda p: (p, publish_data(p)))(await preview_of(owner, ROUND_ONE_CARD)))
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2, timeout=20)

    stale = await preview_of(owner, ROUND_THREE_CARD)
    assert stale.plain_text.startswith("🆕 New round")
    first = await preview_of(second, ROUND_THREE_CARD)
    await second.presses(first, publish_data(first))
    await double.wait_for(lambda: len(double.messages_to(READER)) == 3, timeout=20)

    fresh = await owner.presses(stale, publish_data(stale), replies=2)
    assert "changed since" in fresh[0].plain_text
    assert "nothing was published" in fresh[0].plain_text
    assert not fresh[-1].plain_text.startswith("🆕 New round")
    assert "✅ Publish" in buttons_of(fresh[-1])
    assert await post_states(database) == ["published", "draft", "published"]

    collapse = await preview_of(owner, ROUND_THREE_COLLAPSE)
    await owner.presses(collapse, publish_data(collapse))
    await double.wait_for(lambda: len(double.messages_to(READER)) == 4, timeout=20)
    assert double.messages_to(READER)[-1].text == collapse.text


async def test_an_expired_draft_says_so_and_publishes_nothing(
    double: BotApiDouble, admins: tuple[Chatter, Chatter], database: Database
) -> None:
    owner, _ = admins
    preview = await preview_of(owner, ROUND_ONE_CARD)
    async with database.transaction() as session:
        await session.execute(update(Post).values(created_at=utc_now() - timedelta(hours=25)))
    answer = await press(double, owner, preview, publish_data(preview))
    assert "expired" in answer
    assert await post_states(database) == ["draft"]


async def test_two_admins_publishing_the_same_round_at_once_record_it_once(
    double: BotApiDouble, admins: tuple[Chatter, Chatter], database: Database
) -> None:
    owner, second = admins
    previews = [await preview_of(admin, ROUND_THREE_CARD) for admin in (owner, second)]
    answered = len(double.callback_answers)
    for admin, preview in zip((owner, second), previews, strict=True):
        double.user_presses(
            admin.chat_id, preview.message_id, publish_data(preview), user_id=admin.user_id
        )
    await double.wait_for(lambda: len(double.callback_answers) == answered + 2, timeout=20)
    async with database.session() as session:
        numbers = list(await session.scalars(select(Round.number)))
    assert numbers == [3]
    assert sorted(await post_states(database)) == ["draft", "published"]

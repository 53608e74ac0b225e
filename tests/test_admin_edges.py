"""Admin edges: ids are ASCII digits in Telegram's range, /stop leaves the audit trail alone,
and a bot without admins says how to get one."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import Admin, AuditLog, Post
from tests.conftest import OWNER_ID, Chatter, StartBot

STRANGER = 400


@pytest.mark.parametrize("argument", ["²", "1" * 25, "١٢٣", "-5", "0", "12a"])
async def test_addadmin_takes_only_ascii_digits_in_telegrams_range(
    double: BotApiDouble, app: Application, database: Database, argument: str
) -> None:
    double.add_private_chat(OWNER_ID)
    (answer,) = await Chatter(double, OWNER_ID, OWNER_ID).says(f"/addadmin {argument}")
    assert "digits 0–9" in answer.plain_text
    assert "Sorry" not in answer.plain_text
    (answer,) = await Chatter(double, OWNER_ID, OWNER_ID).says(f"/removeadmin {argument}")
    assert "digits 0–9" in answer.plain_text
    async with database.session() as session:
        assert list(await session.scalars(select(Admin.user_id))) == []


@pytest.mark.parametrize("data", ["pub:١", "cancel:²", "pub:1" + "0" * 25, "latest:x:y"])
async def test_button_data_that_is_not_ours_is_refused_with_an_alert(
    double: BotApiDouble, app: Application, database: Database, data: str
) -> None:
    double.add_private_chat(OWNER_ID)
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says("/newtopic pak-taliban-talks Talks")
    preview = await owner.says("/post pak-taliban-talks\nround: 1\ntitle: First", replies=2)
    query_id = double.user_presses(OWNER_ID, preview[-1].message_id, data)
    await double.wait_for(
        lambda: any(a.callback_query_id == query_id for a in double.callback_answers)
    )
    (answer,) = [a for a in double.callback_answers if a.callback_query_id == query_id]
    assert answer.show_alert and "no longer works" in (answer.text or "")
    async with database.session() as session:
        assert list(await session.scalars(select(Post.state))) == ["draft"]


async def test_stop_keeps_the_audit_trail_without_message_content(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    double.add_private_chat(STRANGER)
    stranger = Chatter(double, STRANGER, STRANGER)
    await stranger.says("/post pak-taliban-talks\nround: 9\ntitle: secret words")
    await stranger.says("/start")
    (stopped,) = await stranger.says("/stop")
    assert "stored" in stopped.plain_text
    async with database.session() as session:
        entries = [
            (entry.user_id, entry.action, entry.allowed, entry.detail)
            for entry in await session.scalars(select(AuditLog))
        ]
    assert len(entries) == 1
    user_id, action, allowed, detail = entries[0]
    assert (user_id, action, allowed) == (STRANGER, "post", False)
    assert "secret" not in (detail or "")


async def test_without_admins_start_up_warns_and_post_says_how_to_get_one(
    double: BotApiDouble, bot_for: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    double.add_private_chat(STRANGER)
    with caplog.at_level(logging.WARNING):
        await bot_for(ROUNDWATCH_ADMIN_IDS="")
    assert any(
        r.levelno == logging.WARNING and "ROUNDWATCH_ADMIN_IDS" in r.getMessage()
        for r in caplog.records
    )
    (answer,) = await Chatter(double, STRANGER, STRANGER).says("/post pak-taliban-talks")
    assert "ROUNDWATCH_ADMIN_IDS" in answer.plain_text

"""Corrections: a notice as a reply to every chat that got the original, the corrected version
alone to every chat still waiting for it, and the corrected facts everywhere at once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select, update

from bot.delivery.fanout import fan_out_published_posts
from bot.posting.corrections import CorrectionPublished, preview_correction, publish_correction
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD
from bot.posting.publish import (
    PostError,
    Preview,
    Published,
    create_new_topic,
    preview_post,
    publish_post,
)
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble, SentMessage
from storage.card import CardError
from storage.database import Database
from storage.deliveries import (
    ChatSpacing,
    claim_due_deliveries,
    record_final,
    record_retry,
    record_sent,
)
from storage.migrate import upgrade_database
from storage.models import AuditLog, Chat, Delivery, Post, utc_now
from storage.states import DeliveryState
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, wait_for_states

GOT_IT, WAITING, ALSO_GOT_IT, LATECOMER, IN_FLIGHT = 201, 202, 203, 204, 205
CORRECTION = "date: 2026-10-17..2026-10-19\nplace: Doha (Sheraton Hotel), Qatar"


def alert_of(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if m.plain_text.startswith("🆕 New round")]


def notices_of(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if m.plain_text.startswith("✏️ Correction:")]


async def post_ids(database: Database) -> list[tuple[int, str, int | None]]:
    async with database.session() as session:
        rows = await session.execute(select(Post.id, Post.kind, Post.corrects_id).order_by(Post.id))
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_a_correction_replies_to_those_who_got_it_and_replaces_it_for_those_waiting(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    for user in (OWNER_ID, GOT_IT, WAITING, ALSO_GOT_IT, LATECOMER):
        double.add_private_chat(user, first_name=f"User {user}")
    await bot_for(ROUNDWATCH_RETRY_DELAY=3600, ROUNDWATCH_RETRY_BACKOFF_CAP=3600)
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    for reader in (GOT_IT, WAITING, ALSO_GOT_IT):
        await Chatter(double, reader, reader).says(f"/subscribe {DEMO_SLUG}")
    double.fail_next(WAITING, 1)

    preview = (await owner.says(ROUND_ONE_CARD, replies=2))[-1]
    published = await owner.presses(preview, buttons_of(preview)["✅ Publish"])
    assert "(post 1)" in published[-1].plain_text
    await wait_for_states(database, Counter(sent=2, pending=1))
    await Chatter(double, LATECOMER, LATECOMER).says(f"/subscribe {DEMO_SLUG}")

    how = await owner.presses(published[-1], buttons_of(published[-1])["✏️ Correct"])
    assert "/correct 1" in how[0].plain_text
    shown = await owner.says(f"/correct 1\n{CORRECTION}", replies=2)
    assert "Correction preview" in shown[0].plain_text
    assert "Dates: 18–19 October 2026 → 17–19 October 2026" in shown[-1].plain_text
    assert "Place: Doha, Qatar → Doha (Sheraton Hotel), Qatar" in shown[-1].plain_text
    refused = await Chatter(double, GOT_IT, GOT_IT).says(f"/correct 1\n{CORRECTION}")
    assert "only Roundwatch admins" in refused[0].plain_text
    answered = len(double.callback_answers)
    fix = buttons_of(shown[-1])["✅ Publish correction"]
    double.user_presses(OWNER_ID, shown[-1].message_id, fix, user_id=GOT_IT)
    await double.wait_for(lambda: len(double.callback_answers) > answered)
    assert "Only Roundwatch admins" in (double.callback_answers[-1].text or "")
    assert [kind for _, kind, _ in await post_ids(database)] == ["new_round", "correction"]
    confirmed = await owner.presses(shown[-1], fix)
    assert "2 chats that got post 1 get the notice" in confirmed[-1].plain_text
    assert "1 chat still waiting for it get the corrected alert" in confirmed[-1].plain_text

    async with database.transaction() as session:
        waiting = await session.scalar(select(Chat.id).where(Chat.telegram_id == WAITING))
        await session.execute(
            update(Delivery)
            .where(Delivery.chat_id == waiting, Delivery.state == "pending")
            .values(next_attempt_at=utc_now())
        )
    await wait_for_states(database, Counter(sent=5), within=30)

    for reader in (GOT_IT, ALSO_GOT_IT):
        received = double.messages_to(reader)
        (original,) = alert_of(received)
        (notice,) = notices_of(received)
        assert notice.reply_to_message_id == original.message_id
        assert "Istanbul" not in notice.plain_text
        assert "Dates: 18–19 October 2026 → 17–19 October 2026" in notice.plain_text
    (corrected,) = alert_of(double.messages_to(WAITING))
    assert "17–19 October 2026" in corrected.plain_text
    assert "Sheraton Hotel" in corrected.plain_text
    assert corrected.reply_to_message_id is None
    assert notices_of(double.messages_to(WAITING)) == []
    assert alert_of(double.messages_to(LATECOMER)) == []
    assert notices_of(double.messages_to(LATECOMER)) == []

    latest = await Chatter(double, LATECOMER, LATECOMER).says(f"/latest {DEMO_SLUG}")
    assert "17–19 October 2026" in latest[0].plain_text
    assert "Sheraton Hotel" in latest[0].plain_text
    history = await Chatter(double, LATECOMER, LATECOMER).says(f"/history {DEMO_SLUG}")
    assert "✏️ Corrections" in history[0].plain_text
    assert "Correction: Round 1 · First round of talks held in Doha" in history[0].plain_text
    assert [kind for _, kind, _ in await post_ids(database)] == [
        "new_round",
        "correction",
        "new_round",
    ]
    async with database.session() as session:
        actions = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert "correct" in actions


async def chat_ids(database: Database) -> dict[int, int]:
    async with database.session() as session:
        return dict((await session.execute(select(Chat.telegram_id, Chat.id))).all())  # type: ignore[arg-type]


# What a reply goes to is the point here, not the per-chat pace, which would hold back the
# claims that follow a settle.
UNPACED = ChatSpacing(private=0.0, group=0.0)


async def test_a_delivery_in_flight_counts_as_received_and_the_notice_replies_to_it(
    database: Database,
) -> None:
    """A leased row may be at Telegram right now: it is left to its holder, and the notice
    waits behind it and replies to the message it turns out to be."""
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    for reader in (GOT_IT, IN_FLIGHT, WAITING):
        await subscribe_chat(database, ChatRef(reader, "private", None), DEMO_SLUG)
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_ONE_CARD)
    assert isinstance(await publish_post(database, preview.post_id, OWNER_ID), Published)
    await fan_out_published_posts(database)
    async with database.transaction() as session:
        got_it, in_flight = await claim_due_deliveries(session, limit=2)
        assert (
            await record_sent(session, [(got_it.id, got_it.lease_token, (500, 501))], UNPACED) == []
        )

    draft = await preview_correction(
        database, OWNER_ID, preview.post_id, f"/correct 1\n{CORRECTION}"
    )
    outcome = await publish_correction(database, draft.post_id, OWNER_ID)
    assert isinstance(outcome, CorrectionPublished)
    assert (outcome.notified, outcome.replaced) == (2, 1)
    notice_id, corrected_id = draft.post_id, draft.post_id + 1
    assert await post_ids(database) == [
        (1, "new_round", None),
        (notice_id, "correction", 1),
        (corrected_id, "new_round", 1),
    ]

    chats = await chat_ids(database)
    async with database.transaction() as session:
        while_in_flight = await claim_due_deliveries(session, limit=10)
        assert (
            await record_sent(session, [(in_flight.id, in_flight.lease_token, (600,))], UNPACED)
            == []
        )
        after_it = await claim_due_deliveries(session, limit=10)
    assert {(c.chat_id, c.post_id): c.reply_to_message_id for c in while_in_flight} == {
        (chats[WAITING], corrected_id): None,
        (chats[GOT_IT], notice_id): 500,
    }
    assert [(c.chat_id, c.post_id, c.reply_to_message_id) for c in after_it] == [
        (chats[IN_FLIGHT], notice_id, 600)
    ]


async def test_bad_corrections_say_why_and_store_nothing(database: Database) -> None:
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_ONE_CARD)
    with pytest.raises(PostError, match="never published"):
        await preview_correction(database, OWNER_ID, preview.post_id, f"/correct 1\n{CORRECTION}")
    await publish_post(database, preview.post_id, OWNER_ID)
    with pytest.raises(PostError, match="no post 7"):
        await preview_correction(database, OWNER_ID, 7, f"/correct 7\n{CORRECTION}")
    with pytest.raises(PostError, match="changes nothing"):
        await preview_correction(database, OWNER_ID, 1, "/correct 1\nplace: Doha, Qatar")
    with pytest.raises(CardError) as error:
        await preview_correction(database, OWNER_ID, 1, "/correct 1\nround: 2\ndate: soon")
    assert [problem.line for problem in error.value.problems] == [2, 3]
    assert "`round:` cannot be corrected" in error.value.problems[0].message
    assert [kind for _, kind, _ in await post_ids(database)] == ["new_round"]


async def deliveries_by_chat(database: Database) -> dict[tuple[int, int], str]:
    """(telegram chat id, post id) → state, for every delivery."""
    async with database.session() as session:
        rows = await session.execute(
            select(Chat.telegram_id, Delivery.post_id, Delivery.state).join(
                Chat, Chat.id == Delivery.chat_id
            )
        )
        return {(chat, post): state for chat, post, state in rows.all()}


async def published_round_one(database: Database, readers: tuple[int, ...]) -> int:
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    for reader in readers:
        await subscribe_chat(database, ChatRef(reader, "private", None), DEMO_SLUG)
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_ONE_CARD)
    assert isinstance(await publish_post(database, preview.post_id, OWNER_ID), Published)
    return preview.post_id


async def correct_round_one(database: Database) -> CorrectionPublished:
    draft = await preview_correction(database, OWNER_ID, 1, f"/correct 1\n{CORRECTION}")
    outcome = await publish_correction(database, draft.post_id, OWNER_ID)
    assert isinstance(outcome, CorrectionPublished)
    return outcome


async def test_every_state_of_the_original_is_routed_once(database: Database) -> None:
    """Failed with nothing accepted: corrected on /retry. A part accepted: the notice.
    Skipped (the chat left): nothing."""
    failed, skipped, partial, pending = 301, 302, 303, 304
    await published_round_one(database, (failed, skipped, partial, pending))
    await fan_out_published_posts(database)
    async with database.transaction() as session:
        claimed = {c.telegram_id: c for c in await claim_due_deliveries(session, limit=3)}
        for chat, state in ((failed, DeliveryState.FAILED), (skipped, DeliveryState.SKIPPED)):
            await record_final(session, claimed[chat].id, claimed[chat].lease_token, state, "x")
        row = claimed[partial]
        await record_retry(
            session, row.id, row.lease_token, "5xx", 0, attempt=True, parts_sent=(700,)
        )

    outcome = await correct_round_one(database)
    assert (outcome.notified, outcome.replaced) == (1, 2)
    notice, corrected = outcome.post_id, outcome.post_id + 1
    assert await deliveries_by_chat(database) == {
        (failed, corrected): "failed",
        (skipped, 1): "skipped",
        (partial, 1): "pending",
        (partial, notice): "pending",
        (pending, corrected): "pending",
    }
    async with database.transaction() as session:
        await session.execute(update(Delivery).where(Delivery.post_id == 1).values(state="sent"))
        claimed_now = await claim_due_deliveries(session, limit=10)
    assert {(c.telegram_id, c.post_id, c.reply_to_message_id) for c in claimed_now} == {
        (partial, notice, 700),
        (pending, corrected, None),
    }


async def test_a_post_not_yet_fanned_out_goes_out_corrected_to_everyone(
    database: Database,
) -> None:
    await published_round_one(database, (GOT_IT, WAITING))
    outcome = await correct_round_one(database)
    assert (outcome.notified, outcome.replaced) == (0, 2)
    corrected = outcome.post_id + 1
    assert await deliveries_by_chat(database) == {
        (GOT_IT, corrected): "pending",
        (WAITING, corrected): "pending",
    }
    assert await fan_out_published_posts(database) == 0


async def test_a_correction_previewed_before_the_data_changed_is_shown_again(
    database: Database,
) -> None:
    await published_round_one(database, (GOT_IT,))
    stale = await preview_correction(database, OWNER_ID, 1, "/correct 1\nstatus: collapsed")
    await correct_round_one(database)
    again = await publish_correction(database, stale.post_id, OWNER_ID)
    assert isinstance(again, Preview)
    assert "Dates" not in again.parts[0] and "Status: concluded → collapsed" in again.parts[0]
    renewed = await publish_correction(database, stale.post_id, OWNER_ID)
    assert isinstance(renewed, CorrectionPublished)

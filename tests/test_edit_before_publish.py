"""Edit before publish: a field of a preview changed by the admin's reply, the preview
re-rendered in place, and Publish sending exactly the edited preview."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.posting.card_edit import replace_card_field
from bot.posting.demo_data import DEMO_SLUG, ROUND_ONE_CARD
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import AuditLog, Post, Round
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of
from tests.preview_steps import STRANGER, open_desk

READER = 200


async def test_an_edited_place_is_shown_in_place_and_is_what_subscribers_get(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    await bot_for()
    desk = await open_desk(double, [READER])
    preview = await desk.preview(ROUND_ONE_CARD)
    assert "Doha, Qatar" in preview.plain_text
    before = len(double.messages_to(OWNER_ID))

    await desk.press_label(preview, "✏️ Edit")
    assert "Place" in buttons_of(desk.shown(preview))
    assert len(double.messages_to(OWNER_ID)) == before, "the field list replaces the buttons"
    await desk.press_label(preview, "Place")
    question = (await double.wait_for_messages(OWNER_ID, before + 1))[-1]
    assert "New value for Place" in question.plain_text and "Doha, Qatar" in question.plain_text

    (answer,) = await desk.reply_to(question, "Lusail, Qatar")
    assert "Place changed" in answer.plain_text
    shown = desk.shown(preview)
    assert "Lusail, Qatar" in shown.plain_text and "Doha, Qatar" not in shown.plain_text
    assert shown.method == "editMessageText"
    assert "✅ Publish" in buttons_of(shown)

    confirmation = await desk.owner.presses(shown, buttons_of(shown)["✅ Publish"])
    assert "Published" in confirmation[-1].plain_text
    await double.wait_for(lambda: len(double.messages_to(READER)) == 2)
    alert = double.messages_to(READER)[-1].plain_text
    assert alert == shown.plain_text
    assert "Lusail, Qatar" in alert and "Doha, Qatar" not in alert
    async with database.session() as session:
        (city,) = (await session.scalars(select(Round.city))).all()
        (post,) = (await session.scalars(select(Post))).all()
    assert city == "Lusail"
    assert "place: Lusail, Qatar" in post.card_text and "Doha, Qatar" not in post.card_text


async def test_a_value_the_card_refuses_changes_nothing_and_the_question_stays_open(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    await bot_for()
    desk = await open_desk(double, [READER])
    preview = await desk.preview(ROUND_ONE_CARD)
    async with database.session() as session:
        fingerprint = (await session.scalars(select(Post.preview_fingerprint))).one()
    await desk.press_label(preview, "✏️ Edit")
    before = len(double.messages_to(OWNER_ID))
    await desk.press_label(preview, "Date")
    question = (await double.wait_for_messages(OWNER_ID, before + 1))[-1]

    (refused,) = await desk.reply_to(question, "the 31st of Octember")
    assert "Not changed" in refused.plain_text
    assert desk.shown(preview).plain_text == preview.plain_text
    async with database.session() as session:
        assert (await session.scalars(select(Post.preview_fingerprint))).one() == fingerprint

    (answer,) = await desk.reply_to(question, "2026-10-20..2026-10-21")
    assert "Date changed" in answer.plain_text
    assert "20–21 October 2026" in desk.shown(preview).plain_text
    async with database.session() as session:
        assert (await session.scalars(select(Post.preview_fingerprint))).one() != fingerprint


async def test_a_stranger_can_neither_open_the_fields_nor_answer_for_the_admin(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    await bot_for()
    desk = await open_desk(double, [READER])
    preview = await desk.preview(ROUND_ONE_CARD)
    post_id = buttons_of(preview)["✏️ Edit"].split(":")[1]
    for data in (f"pedit:{post_id}", f"pfield:{post_id}:place"):
        answer = await desk.press(preview, data, user_id=STRANGER)
        assert answer.show_alert and "Only Roundwatch admins" in (answer.text or "")
    assert buttons_of(desk.shown(preview)) == buttons_of(preview)

    await desk.press_label(preview, "✏️ Edit")
    before = len(double.messages_to(OWNER_ID))
    await desk.press_label(preview, "Place")
    question = (await double.wait_for_messages(OWNER_ID, before + 1))[-1]
    stranger = Chatter(double, STRANGER, STRANGER)
    (answer,) = await stranger.says("Lusail, Qatar")
    assert "Lusail" not in answer.plain_text
    assert "Doha, Qatar" in desk.shown(preview).plain_text
    async with database.session() as session:
        refused = await session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.user_id == STRANGER,
                AuditLog.allowed.is_(False),  # type: ignore[arg-type]
            )
        )
    assert refused == 2
    assert question.chat_id == OWNER_ID


def test_replacing_a_repeated_field_keeps_the_other_lines_and_the_summary() -> None:
    card = (
        f"/post {DEMO_SLUG}\nround: 2\nmember: A = x\nplace: Doha, Qatar\nmember: A = y\n"
        "summary:\nFirst line.\nSecond line."
    )
    edited = replace_card_field(card, "member", "A = z\nB = w")
    assert edited == (
        f"/post {DEMO_SLUG}\nround: 2\nmember: A = z\nmember: B = w\nplace: Doha, Qatar\n"
        "summary:\nFirst line.\nSecond line."
    )
    assert replace_card_field(card, "place", "-") == card.replace("place: Doha, Qatar\n", "")
    assert replace_card_field(card, "summary", "New.").endswith("summary:\nNew.")

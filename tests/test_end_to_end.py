"""The core loop on the reference case: an admin posts rounds 1 and 2, subscribers get one
alert per round, and /latest and /parties show every fact of the article."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.models import AuditLog, Post, Round
from tests.conftest import OWNER_ID, Chatter, buttons_of

READER, GROUP, GROUP_ADMIN, GROUP_MEMBER, BYSTANDER = 200, -300, 201, 202, 400

ARTICLE_FACTS = (
    "Istanbul",
    "Turkey",
    "Qatar",
    "Haji Najib",
    "Deputy Minister of Interior",
    "Zabihullah Mujahid",
    "Tahir Hussain Andrabi",
    "Inter-Services Intelligence (ISI)",
    "Ministry of Defence",
    "Ministry of Foreign Affairs",
    "Director General of Military Operations",
    "a verifiable mechanism to prevent terrorist attacks launched from Afghan territory",
    "Islamic Emirate",
    "24 October 2026",
)
DOHA_FACTS = ("Doha", "18–19 October 2026", "ceasefire", "continue negotiations")


@pytest.fixture
def people(double: BotApiDouble, app: Application) -> dict[str, Chatter]:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    double.add_private_chat(READER, first_name="Reader")
    double.add_private_chat(BYSTANDER, first_name="Bystander")
    double.add_private_chat(GROUP_MEMBER, first_name="Member")
    double.add_group(GROUP, "Analysts", type="supergroup", admins={GROUP_ADMIN})
    return {
        "owner": Chatter(double, OWNER_ID, OWNER_ID),
        "reader": Chatter(double, READER, READER),
        "bystander": Chatter(double, BYSTANDER, BYSTANDER),
        "group_admin": Chatter(double, GROUP, GROUP_ADMIN),
        "group_member": Chatter(double, GROUP, GROUP_MEMBER),
        "member_private": Chatter(double, GROUP_MEMBER, GROUP_MEMBER),
    }


async def publish(owner: Chatter, card: str) -> list[SentMessage]:
    """Posts a card, checks the preview, presses Publish; returns the preview messages."""
    preview = await owner.says(card, replies=2)
    assert "Preview" in preview[0].plain_text
    publish_data = buttons_of(preview[-1])["✅ Publish"]
    confirmation = await owner.presses(preview[-1], publish_data)
    assert "Published" in confirmation[-1].plain_text
    return preview


def alerts(double: BotApiDouble, chat_id: int) -> list[SentMessage]:
    return [m for m in double.messages_to(chat_id) if m.plain_text.startswith("🆕 New round")]


def alert_counts(double: BotApiDouble) -> tuple[int, int]:
    return len(alerts(double, READER)), len(alerts(double, GROUP))


async def test_reference_case_from_posting_to_alerts_latest_and_parties(
    double: BotApiDouble, people: dict[str, Chatter], database: Database
) -> None:
    owner, reader = people["owner"], people["reader"]
    created = await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    assert "Created" in created[0].plain_text
    assert "Subscribed" in (await reader.says(f"/subscribe {DEMO_SLUG}"))[0].plain_text
    group_reply = await people["group_admin"].says(f"/subscribe {DEMO_SLUG}")
    assert "Subscribed" in group_reply[0].plain_text
    await people["bystander"].says("/start")
    bystander_before = len(double.messages_to(BYSTANDER))

    preview = await publish(owner, ROUND_ONE_CARD)
    assert "Doha" in preview[-1].plain_text
    await double.wait_for(lambda: alert_counts(double) == (1, 1), timeout=20)
    for chat in (READER, GROUP):
        (alert,) = alerts(double, chat)
        assert "First round of talks held in Doha" in alert.plain_text
        assert alert.parse_mode == "HTML"

    await publish(owner, ROUND_TWO_CARD)
    await double.wait_for(lambda: alert_counts(double) == (2, 2), timeout=20)
    second = alerts(double, READER)[1].plain_text
    for fact in ARTICLE_FACTS:
        assert fact in second, fact
    assert "Previous round: Round 1, Doha, Qatar, 18–19 October 2026 — ceasefire" in second

    latest = "\n".join(m.plain_text for m in await reader.says(f"/latest {DEMO_SLUG}"))
    for fact in (*ARTICLE_FACTS, *DOHA_FACTS):
        assert fact in latest, fact
    parties = "\n".join(m.plain_text for m in await reader.says("/parties"))
    for fact in ARTICLE_FACTS[2:13]:
        assert fact in parties, fact
    assert "Mediators" in parties and "Negotiating parties" in parties

    await asyncio.sleep(0.3)
    for chat in (READER, GROUP):
        assert len(alerts(double, chat)) == 2
    assert double.messages_to(BYSTANDER)[bystander_before:] == []
    assert double.stats.too_many_requests == 0
    async with database.session() as session:
        assert await session.scalar(select(func.count(Round.id))) == 2
        states = list(await session.scalars(select(Post.state)))
        assert states == ["published", "published"]


async def test_history_lists_both_rounds_in_order(
    people: dict[str, Chatter], database: Database
) -> None:
    owner = people["owner"]
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await publish(owner, ROUND_TWO_CARD)
    await publish(owner, ROUND_ONE_CARD)
    text = (await people["reader"].says(f"/history {DEMO_SLUG}"))[0].plain_text
    assert text.index("Round 1") < text.index("Round 2")
    assert "ceasefire" in text


async def test_a_reader_cannot_post_and_the_attempt_is_audited(
    people: dict[str, Chatter], database: Database
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    refusal = await people["reader"].says(ROUND_TWO_CARD)
    assert "only Roundwatch admins" in refusal[0].plain_text
    async with database.session() as session:
        refused = list(await session.scalars(select(AuditLog).where(AuditLog.allowed.is_(False))))
        assert [(entry.user_id, entry.action) for entry in refused] == [(READER, "post")]
        assert await session.scalar(select(func.count(Post.id))) == 0


async def test_a_card_with_three_errors_gets_three_numbered_lines_and_stores_nothing(
    people: dict[str, Chatter], database: Database
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    card = (
        f"/post {DEMO_SLUG}\nround: 3\ntitle: Third round\ndate: 2026-13-40\n"
        "status: paused\nhead: nobody\n"
    )
    answer = (await people["owner"].says(card))[0].plain_text
    assert "3 problems" in answer
    assert "line 4:" in answer and "line 5:" in answer and "line 6:" in answer
    async with database.session() as session:
        assert await session.scalar(select(func.count(Post.id))) == 0
        assert await session.scalar(select(func.count(Round.id))) == 0


async def test_html_in_a_card_reaches_subscribers_escaped(
    double: BotApiDouble, people: dict[str, Chatter]
) -> None:
    owner = people["owner"]
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await people["reader"].says(f"/subscribe {DEMO_SLUG}")
    card = (
        f"/post {DEMO_SLUG}\nround: 3\ntitle: <b>Talks</b> & more\nplace: Istanbul, Turkey\n"
        "summary:\nA <i>bold</i> claim & a <script>"
    )
    await publish(owner, card)
    await double.wait_for(lambda: len(alerts(double, READER)) == 1, timeout=20)
    (alert,) = alerts(double, READER)
    assert "&lt;b&gt;Talks&lt;/b&gt; &amp; more" in alert.text
    assert "<b>Talks</b> & more" in alert.plain_text
    assert "A <i>bold</i> claim & a <script>" in alert.plain_text


async def test_deep_link_shows_the_topic_card_and_subscribes_with_one_tap(
    people: dict[str, Chatter],
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    reader = people["reader"]
    (listing,) = await reader.says("/topics")
    assert DEMO_SLUG in listing.plain_text
    assert list(buttons_of(listing).values()) == [f"sub:{DEMO_SLUG}"]
    assert list(buttons_of(listing)) == [f"🔔 Follow {DEMO_TITLE}"]
    (card,) = await reader.says(f"/start {DEMO_SLUG}")
    assert DEMO_TITLE in card.plain_text
    (answer,) = await reader.presses(card, buttons_of(card)[f"🔔 Follow {DEMO_TITLE}"])
    assert "Subscribed" in answer.plain_text
    (listing,) = await reader.says("/subscriptions")
    assert DEMO_SLUG in listing.plain_text


async def test_a_chat_that_already_follows_is_offered_unfollow(
    people: dict[str, Chatter],
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    reader = people["reader"]
    await reader.says(f"/subscribe {DEMO_SLUG}")
    (card,) = await reader.says(f"/start {DEMO_SLUG}")
    assert buttons_of(card) == {f"🔕 Unfollow {DEMO_TITLE}": f"unsub:{DEMO_SLUG}"}
    (listing,) = await reader.says("/topics")
    assert buttons_of(listing) == {f"🔕 Unfollow {DEMO_TITLE}": f"unsub:{DEMO_SLUG}"}
    (answer,) = await reader.presses(card, f"unsub:{DEMO_SLUG}")
    assert "Unsubscribed" in answer.plain_text


async def test_commands_without_a_topic_offer_buttons_when_there_is_a_choice(
    people: dict[str, Chatter],
) -> None:
    owner, reader = people["owner"], people["reader"]
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await owner.says("/newtopic sudan-jeddah Sudan ceasefire talks in Jeddah")
    await publish(owner, ROUND_TWO_CARD)
    (question,) = await reader.says("/latest")
    choices = buttons_of(question)
    assert set(choices.values()) == {f"latest:{DEMO_SLUG}", "latest:sudan-jeddah"}
    (answer,) = await reader.presses(question, f"latest:{DEMO_SLUG}")
    assert "Haji Najib" in answer.plain_text
    await reader.says("/subscribe sudan-jeddah")
    (only,) = await reader.says("/history")
    assert "Sudan ceasefire talks in Jeddah" in only.plain_text


async def test_group_members_read_but_only_group_admins_subscribe(
    people: dict[str, Chatter],
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    (refusal,) = await people["group_member"].says(f"/subscribe {DEMO_SLUG}")
    assert "administrators" in refusal.plain_text
    (answer,) = await people["group_member"].says(f"/parties {DEMO_SLUG}")
    assert DEMO_TITLE in answer.plain_text
    (listing,) = await people["group_member"].says("/topics")
    double = people["group_member"].double
    double.user_presses(GROUP, listing.message_id, f"sub:{DEMO_SLUG}", user_id=GROUP_MEMBER)
    await double.wait_for(lambda: len(double.callback_answers) == 1)
    assert "administrators" in (double.callback_answers[0].text or "")
    (subscribed,) = await people["group_admin"].presses(listing, f"sub:{DEMO_SLUG}")
    assert "Subscribed" in subscribed.plain_text


async def test_unknown_slug_command_and_text_get_short_helpful_answers(
    people: dict[str, Chatter],
) -> None:
    reader = people["reader"]
    (answer,) = await reader.says("/latest no-such-topic")
    assert "There is no topic no-such-topic" in answer.plain_text
    (answer,) = await reader.says("/frobnicate")
    assert "/help" in answer.plain_text
    (answer,) = await reader.says("what happened in Istanbul?")
    assert "/latest" in answer.plain_text


async def test_stop_forgets_the_chat_and_its_subscriptions(
    people: dict[str, Chatter], database: Database
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    reader = people["reader"]
    await reader.says(f"/subscribe {DEMO_SLUG}")
    (question,) = await reader.says("/stop")
    assert "Stop every alert and delete" in question.plain_text
    assert DEMO_TITLE in question.plain_text
    (kept,) = await reader.presses(question, buttons_of(question)["Keep it"])
    assert "still gets its alerts" in kept.plain_text
    (listing,) = await reader.says("/subscriptions")
    assert DEMO_SLUG in listing.plain_text
    (question,) = await reader.says("/stop")
    confirm = buttons_of(question)["🗑 Yes, stop and forget this chat"]
    (answer,) = await reader.presses(question, confirm)
    assert "nothing about this chat is stored" in answer.plain_text
    (listing,) = await reader.says("/subscriptions")
    assert "follows no topics" in listing.plain_text


async def test_owners_manage_admins_and_each_gets_the_matching_command_menu(
    double: BotApiDouble, people: dict[str, Chatter], database: Database
) -> None:
    default_menu = [c["command"] for c in double.commands["default"]]
    assert "latest" in default_menu and "post" not in default_menu
    assert "post" in [c["command"] for c in double.commands[f"chat:{OWNER_ID}"]]
    reader = people["reader"]
    (refusal,) = await reader.says(f"/addadmin {READER}")
    assert "only owners" in refusal.plain_text
    (granted,) = await people["owner"].says(f"/addadmin {READER}")
    assert "is now an admin" in granted.plain_text
    assert "post" in [c["command"] for c in double.commands[f"chat:{READER}"]]
    created = await reader.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    assert "Created" in created[0].plain_text
    await people["owner"].says(f"/removeadmin {READER}")
    (refused,) = await reader.says("/newtopic other-topic Other")
    assert "only Roundwatch admins" in refused.plain_text
    async with database.session() as session:
        actions = [
            (entry.user_id, entry.action, entry.allowed)
            for entry in await session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]
    assert actions == [
        (READER, "addadmin", False),
        (OWNER_ID, "addadmin", True),
        (READER, "newtopic", True),
        (OWNER_ID, "removeadmin", True),
        (READER, "newtopic", False),
    ]


async def test_post_without_a_slug_on_its_first_line_explains_the_usage(
    people: dict[str, Chatter], database: Database
) -> None:
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    (answer,) = await people["owner"].says("/post\nround: 3\ntitle: Third round")
    assert "Usage: /post slug on the first line" in answer.plain_text
    (answer,) = await people["owner"].says("/post no-such-topic\nround: 3\ntitle: Third round")
    assert "There is no topic no-such-topic" in answer.plain_text
    async with database.session() as session:
        assert await session.scalar(select(func.count(Post.id))) == 0


async def test_a_channel_the_bot_administers_subscribes_and_gets_alerts(
    double: BotApiDouble, people: dict[str, Chatter]
) -> None:
    channel = -1_000_777
    double.add_channel(channel, "Negotiations desk", admins={OWNER_ID})
    await people["owner"].says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    (answer,) = await Chatter(double, channel, OWNER_ID).says(f"/subscribe {DEMO_SLUG}")
    assert "Subscribed" in answer.plain_text
    await publish(people["owner"], ROUND_TWO_CARD)
    await double.wait_for(lambda: len(alerts(double, channel)) == 1, timeout=20)
    assert "Haji Najib" in alerts(double, channel)[0].plain_text

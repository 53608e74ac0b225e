"""Drafts from articles through the real Application and the double: an admin pastes,
forwards or uploads an article and gets a card to check; its buttons lead to the normal
preview; readers can use none of it."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Chat, Message, MessageOriginChannel
from telegram.constants import ChatType

from bot.app import build_application, running_bot
from bot.intake.drafting import draft_from_article
from bot.posting.card_grammar import parse_card
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from bot.sandbox import BotApiDouble, SentMessage
from handlers.intake import article_origin
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import ArticleDraft, AuditLog, Post, Round
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, make_settings

READER = 200
# A copy of the reference article in shared/articles, so the suite runs from any clone.
ARTICLE = Path(__file__).resolve().parent / "articles/pakistan-taliban-istanbul-round2.txt"
OTHER_ARTICLE = """Armenia and Azerbaijan hold talks in Almaty

The foreign ministers of Armenia and Azerbaijan held two days of peace talks in Almaty, \
Kazakhstan, on 10-11 May 2026, hosted by Kazakhstan. The Armenian delegation was headed by \
Foreign Minister Ararat Mirzoyan. The sides agreed to continue negotiations."""


def card_of(message: SentMessage) -> str:
    found = re.search(r"<pre>(.*?)</pre>", message.text, re.DOTALL)
    assert found is not None, message.text
    return html.unescape(found.group(1))


async def prepare_topic(database: Database, slug: str = DEMO_SLUG, title: str = DEMO_TITLE) -> None:
    """The reference topic with its first round published, as an admin would have it."""
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, slug, title)
    preview = await preview_post(database, OWNER_ID, slug, ROUND_ONE_CARD.replace(DEMO_SLUG, slug))
    await publish_post(database, preview.post_id, OWNER_ID)


@pytest.fixture
def owner(double: BotApiDouble) -> Chatter:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    return Chatter(double, OWNER_ID, OWNER_ID)


@pytest.fixture
def reader(double: BotApiDouble) -> Chatter:
    double.add_private_chat(READER, first_name="Reader")
    return Chatter(double, READER, READER)


async def test_pasted_reference_article_becomes_the_reference_card_and_publishes_via_preview(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [draft] = await owner.says(ARTICLE.read_text())
    card_text = card_of(draft)
    assert card_text.startswith(f"/post {DEMO_SLUG}\n")
    card = parse_card(card_text)
    assert card.number == 2
    assert (card.start_date, card.end_date) == (date(2026, 10, 24), None)
    assert (card.city, card.country) == ("Istanbul", "Turkey")
    assert card.mediators == ["Qatar", "Turkey"]
    assert card.parties == ["Pakistan", "Taliban administration"]
    people = {(d.role, d.party, d.person, d.title) for d in card.delegation}
    assert ("head", "Taliban administration", "Haji Najib", "Deputy Minister of Interior") in people
    assert ("spokesperson", "Taliban administration", "Zabihullah Mujahid", None) in people
    assert (
        "spokesperson",
        "Pakistan",
        "Tahir Hussain Andrabi",
        "Ministry of Foreign Affairs",
    ) in people
    members = " ".join(f"{d.person} {d.title}" for d in card.delegation if d.role == "member")
    for organisation in ("ISI", "Ministry of Defence", "Ministry of Foreign Affairs"):
        assert organisation in members
    demands = [s for s in card.statements if s.kind == "demand"]
    assert any(
        s.party == "Pakistan" and s.person == "Tahir Hussain Andrabi" and "mechanism" in s.text
        for s in demands
    )
    assert card.outcome_type is None
    assert set(buttons_of(draft)) == {"✅ Publish as is", "✏️ Edit", "🗑 Discard"}

    heading, preview = await owner.presses(draft, buttons_of(draft)["✅ Publish as is"], replies=2)
    assert "Preview" in heading.text
    assert "Haji Najib" in preview.plain_text and "Istanbul" in preview.plain_text
    [published] = await owner.presses(preview, buttons_of(preview)["✅ Publish"])
    assert "Published" in published.plain_text
    async with database.session() as session:
        numbers = list(await session.scalars(select(Round.number).order_by(Round.number)))
        states = list(await session.scalars(select(Post.state).order_by(Post.id)))
        drafts = list(await session.scalars(select(ArticleDraft.state)))
    assert numbers == [1, 2]
    assert states == ["published", "published"]
    assert drafts == ["previewed"]


async def test_edit_shows_the_card_to_copy_and_discard_closes_the_draft(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [draft] = await owner.says(ARTICLE.read_text())
    [edit] = await owner.presses(draft, buttons_of(draft)["✏️ Edit"])
    assert "Copy the card" in edit.plain_text
    assert card_of(edit) == card_of(draft)
    [discarded] = await owner.presses(draft, buttons_of(draft)["🗑 Discard"])
    assert "Discarded" in discarded.plain_text
    [again] = await owner.presses(draft, buttons_of(draft)["✅ Publish as is"])
    assert "already discarded" in again.plain_text
    async with database.session() as session:
        assert list(await session.scalars(select(Post.state))) == ["published"]


async def test_draft_buttons_still_work_after_a_restart(
    database: Database, database_url: str, owner: Chatter, double: BotApiDouble
) -> None:
    await prepare_topic(database)
    settings = make_settings(double, database_url)
    async with running_bot(build_application(settings, database)):
        [draft] = await owner.says(ARTICLE.read_text())
    async with running_bot(build_application(settings, database)):
        heading, _ = await owner.presses(draft, buttons_of(draft)["✅ Publish as is"], replies=2)
    assert "Preview" in heading.text


async def test_an_article_matching_two_topics_asks_which(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    await prepare_topic(database, "pak-afghan-border", "Pakistan–Afghanistan border")
    await bot_for()
    [draft] = await owner.says(ARTICLE.read_text())
    choices = buttons_of(draft)
    assert set(choices) == {
        f"{DEMO_TITLE} ({DEMO_SLUG})",
        "Pakistan–Afghanistan border (pak-afghan-border)",
        "✏️ Edit",
        "🗑 Discard",
    }
    assert all(len(data.encode()) <= 64 for data in choices.values())
    [chosen] = await owner.presses(
        draft, choices["Pakistan–Afghanistan border (pak-afghan-border)"]
    )
    assert card_of(chosen).startswith("/post pak-afghan-border\n")
    assert "✅ Publish as is" in buttons_of(chosen)


async def test_an_article_about_no_known_topic_offers_newtopic(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [draft] = await owner.says(f"/draft {OTHER_ARTICLE}")
    assert "/newtopic armenia-azerbaijan-talks" in draft.plain_text
    assert set(buttons_of(draft)) == {"✏️ Edit", "🗑 Discard"}
    card = parse_card(card_of(draft))
    assert (card.city, card.country, card.hosts) == ("Almaty", "Kazakhstan", ["Kazakhstan"])
    assert card.start_date == date(2026, 5, 10) and card.end_date == date(2026, 5, 11)


async def test_an_uploaded_html_article_is_drafted(
    bot_for: StartBot, database: Database, owner: Chatter, double: BotApiDouble
) -> None:
    await prepare_topic(database)
    await bot_for()
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in ARTICLE.read_text().split("\n"))
    page = f"<html><head><style>p {{}}</style></head><body><nav>Home</nav>{paragraphs}</body>"
    before = len(double.messages_to(OWNER_ID))
    double.user_uploads(OWNER_ID, "article.html", page.encode(), user_id=OWNER_ID)
    await double.wait_for_messages(OWNER_ID, before + 1, timeout=10)
    card = parse_card(card_of(double.messages_to(OWNER_ID)[-1]))
    assert card.number == 2 and card.city == "Istanbul"
    assert "Home" not in (card.summary or "")


async def test_a_reader_can_use_none_of_it(
    bot_for: StartBot, database: Database, reader: Chatter, double: BotApiDouble
) -> None:
    await prepare_topic(database)
    proposal = await draft_from_article(database, OWNER_ID, ARTICLE.read_text(), date(2026, 10, 24))
    await bot_for()
    [answer] = await reader.says(ARTICLE.read_text())
    assert answer.plain_text.startswith("I answer commands")
    assert "<pre>" not in answer.text
    [refused] = await reader.says(f"/draft {ARTICLE.read_text()}")
    assert "only Roundwatch admins" in refused.plain_text
    before = len(double.callback_answers)
    double.user_presses(READER, answer.message_id, f"draft:pub:{proposal.draft_id}", user_id=READER)
    await double.wait_for(lambda: len(double.callback_answers) > before, timeout=10)
    assert double.callback_answers[-1].show_alert
    before = len(double.messages_to(READER))
    double.user_uploads(READER, "article.txt", ARTICLE.read_bytes(), user_id=READER)
    await double.wait_for_messages(READER, before + 1, timeout=10)
    assert double.messages_to(READER)[-1].plain_text.startswith("I answer commands")
    async with database.session() as session:
        drafts = list(await session.scalars(select(ArticleDraft.state)))
        refusals = list(
            await session.scalars(select(AuditLog.action).where(AuditLog.allowed.is_(False)))
        )
    assert drafts == ["proposed"]
    assert sorted(refusals) == ["draft", "draft-button"]


def test_a_forwarded_channel_post_is_dated_and_credited_to_the_channel() -> None:
    written = datetime(2026, 10, 23, 18, 0, tzinfo=UTC)
    forwarded = Message(
        message_id=7,
        date=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        chat=Chat(OWNER_ID, ChatType.PRIVATE),
        forward_origin=MessageOriginChannel(
            date=written, chat=Chat(-1001, ChatType.CHANNEL, title="Dawn"), message_id=5
        ),
    )
    assert article_origin(forwarded) == (date(2026, 10, 23), "Dawn")

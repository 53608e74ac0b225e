"""Owners manage admins with buttons under /admins, by name; an admin limited to some topics
handles only those; /audit pages the log, newest first, for owners only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.admin.roster import AdminRoster
from bot.exchange.importing import ImportRefused, import_document
from bot.intake.drafting import draft_from_article, preview_article_draft
from bot.posting.corrections import preview_correction
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD
from bot.posting.publish import PostError, create_new_topic, preview_post, publish_post
from bot.sandbox import BotApiDouble, SentMessage
from storage.admins import record_audit
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Admin, AdminTopic, AuditLog, KnownName
from tests.conftest import OWNER_ID, Chatter, buttons_of

ADMIN = 200
OTHER_ADMIN = 250
STRANGER = 400
CARD = "/post {slug}\nround: 1\ntitle: First round\ndate: 2026-10-18\nplace: Doha, Qatar"


async def press(double: BotApiDouble, chat_id: int, message: SentMessage, data: str) -> str:
    """The text of the answer to a press (the spinner stopped, maybe with an alert)."""
    before = len(double.callback_answers)
    double.user_presses(chat_id, message.message_id, data, user_id=chat_id)
    await double.wait_for(lambda: len(double.callback_answers) > before, timeout=10)
    return double.callback_answers[-1].text or ""


async def prepare(double: BotApiDouble) -> tuple[Chatter, Chatter]:
    double.add_private_chat(OWNER_ID, first_name="Olga", username="olga")
    double.add_private_chat(ADMIN, first_name="Bashir <b>", username="bashir")
    double.add_private_chat(OTHER_ADMIN, first_name="Chen")
    double.add_private_chat(STRANGER, first_name="Sam")
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says("/addadmin 200")
    await owner.says("/addadmin 250")
    admin = Chatter(double, ADMIN, ADMIN)
    await admin.says("/stats")  # Telegram tells the bot the admin's name
    return owner, admin


async def test_admins_shows_names_and_an_owners_buttons_remove_an_admin_once(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    owner, admin = await prepare(double)
    [listing] = await owner.says("/admins")
    assert "Olga @olga · 100 — owner" in listing.plain_text
    assert "Bashir <b> @bashir · 200 — every topic" in listing.plain_text
    assert "&lt;b&gt;" in listing.text
    assert "250 (name not known until they write to the bot) — every topic" in listing.plain_text
    assert set(buttons_of(listing)) == {
        "✖️ Remove Bashir <b>", "🗂 Topics: Bashir <b>", "✖️ Remove 250", "🗂 Topics: 250",
    }  # fmt: skip
    [seen_by_admin] = await admin.says("/admins")
    assert "Bashir" in seen_by_admin.plain_text and not buttons_of(seen_by_admin)

    remove = buttons_of(listing)["✖️ Remove 250"]
    assert await press(double, ADMIN, seen_by_admin, remove) == (
        "Only owners can change who is an admin."
    )
    assert double.callback_answers[-1].show_alert
    [help_text] = await Chatter(double, STRANGER, STRANGER).says("/help")
    assert await press(double, STRANGER, help_text, remove) == (
        "Only owners can change who is an admin."
    )
    async with database.session() as session:
        assert sorted(await session.scalars(select(Admin.user_id))) == [ADMIN, OTHER_ADMIN]

    assert await press(double, OWNER_ID, listing, remove) == "250 is no longer an admin."
    edited = double.latest(OWNER_ID, listing.message_id)
    assert edited is not None and "250" not in edited.plain_text
    assert set(buttons_of(edited)) == {"✖️ Remove Bashir <b>", "🗂 Topics: Bashir <b>"}
    assert await press(double, OWNER_ID, listing, remove) == "250 was not an admin."
    async with database.session() as session:
        assert list(await session.scalars(select(Admin.user_id))) == [ADMIN]
        entries = [
            (e.user_id, e.action, e.allowed)
            for e in await session.scalars(
                select(AuditLog).where(AuditLog.action.in_(["removeadmin", "admins-button"]))  # type: ignore[attr-defined]
            )
        ]
    assert entries == [
        (ADMIN, "admins-button", False),
        (STRANGER, "admins-button", False),
        (OWNER_ID, "removeadmin", True),
        (OWNER_ID, "removeadmin", True),
    ]


async def test_an_admin_limited_to_a_topic_is_refused_on_another(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    owner, admin = await prepare(double)
    await owner.says("/newtopic alpha-talks Alpha talks")
    await owner.says("/newtopic beta-talks Beta talks")
    [listing] = await owner.says("/admins")
    await press(double, OWNER_ID, listing, f"adm:tp:{ADMIN}")
    topics = double.latest(OWNER_ID, listing.message_id)
    assert topics is not None and "may post to every topic" in topics.plain_text
    assert set(buttons_of(topics)) == {"▫️ alpha-talks", "▫️ beta-talks", "🌐 Every topic", "⬅️ Back"}
    tick = buttons_of(topics)["▫️ alpha-talks"]
    [mine] = await admin.says("/admins")
    assert await press(double, ADMIN, mine, tick) == "Only owners can change who is an admin."
    assert await press(double, OWNER_ID, listing, tick) == "Limited to alpha-talks."
    topics = double.latest(OWNER_ID, listing.message_id)
    assert topics is not None and "✅ alpha-talks" in buttons_of(topics)

    [refused] = await admin.says(CARD.format(slug="beta-talks"))
    assert "limited you to other topics" in refused.plain_text
    assert "beta-talks" in refused.plain_text
    preview = await admin.says(CARD.format(slug="alpha-talks"), replies=2)
    assert "✅ Publish" in buttons_of(preview[-1])

    other = (await owner.says(CARD.format(slug="beta-talks"), replies=2))[-1]
    answer = await press(double, ADMIN, mine, buttons_of(other)["✅ Publish"])
    assert "limited you to other topics" in answer
    async with database.session() as session:
        limits = [(row.user_id, row.topic_id) for row in await session.scalars(select(AdminTopic))]
        states = sorted(await session.scalars(select(AuditLog.action)))
    assert len(limits) == 1 and limits[0][0] == ADMIN
    assert "admin-topic" in states

    assert await press(double, OWNER_ID, listing, f"adm:all:{ADMIN}") is not None
    [back] = await owner.says("/admins")
    assert "Bashir <b> @bashir · 200 — every topic" in back.plain_text
    async with database.session() as session:
        assert list(await session.scalars(select(AdminTopic))) == []


async def test_audit_is_for_owners_newest_first_in_pages(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    owner, admin = await prepare(double)
    async with database.transaction() as session:
        for number in range(1, 24):
            await record_audit(
                session, ADMIN, "publish", f"entry {number}", topic="alpha" if number % 2 else None
            )
    [page] = await owner.says("/audit")
    lines = page.plain_text.splitlines()[1:]
    assert len(lines) == 10
    assert "entry 23" in lines[0] and "entry 14" in lines[-1]
    assert "Bashir <b> (200) · publish · entry 23" in lines[0]
    assert set(buttons_of(page)) == {"Older ➡️"}
    await press(double, OWNER_ID, page, buttons_of(page)["Older ➡️"])
    older = double.latest(OWNER_ID, page.message_id)
    assert older is not None
    assert "entry 13" in older.plain_text.splitlines()[1]
    assert set(buttons_of(older)) == {"⬅️ Newer", "Older ➡️"}
    await press(double, OWNER_ID, page, buttons_of(older)["Older ➡️"])
    oldest = double.latest(OWNER_ID, page.message_id)
    assert oldest is not None
    assert set(buttons_of(oldest)) == {"⬅️ Newer"}
    assert "addadmin" in oldest.plain_text.splitlines()[-1]  # the first entries of all
    newer = buttons_of(oldest)["⬅️ Newer"]
    admins_chat = double.messages_to(ADMIN)[-1]
    assert await press(double, ADMIN, admins_chat, newer) == "Only owners can read the audit log."
    await press(double, OWNER_ID, page, newer)
    again = double.latest(OWNER_ID, page.message_id)
    assert again is not None and again.plain_text == older.plain_text

    [topic_page] = await owner.says("/audit alpha")
    numbers = [line.rsplit(" ", 1)[-1] for line in topic_page.plain_text.splitlines()[1:]]
    assert numbers == ["23", "21", "19", "17", "15", "13", "11", "9", "7", "5"]
    await press(double, OWNER_ID, topic_page, buttons_of(topic_page)["Older ➡️"])
    rest = double.latest(OWNER_ID, topic_page.message_id)
    assert rest is not None
    assert [line.rsplit(" ", 1)[-1] for line in rest.plain_text.splitlines()[1:]] == ["3", "1"]
    [nothing] = await owner.says("/audit nope")
    assert nothing.plain_text == "📒 The audit log has no entries for nope."
    [refused] = await admin.says("/audit")
    assert refused.plain_text == "Sorry, only owners can read the audit log."
    [stranger_refused] = await Chatter(double, STRANGER, STRANGER).says("/audit")
    assert stranger_refused.plain_text == "Sorry, only owners can read the audit log."
    async with database.session() as session:
        refusals = list(
            await session.scalars(select(AuditLog.user_id).where(AuditLog.action == "audit"))
        )
    assert refusals == [ADMIN, STRANGER]


async def test_every_admin_action_reaches_the_audit_log(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    owner, admin = await prepare(double)
    await owner.says("/newtopic alpha-talks Alpha talks")
    preview = await admin.says(CARD.format(slug="alpha-talks"), replies=2)
    await admin.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])
    await admin.says("/retry all")
    await admin.says("/watch alpha-talks http://127.0.0.1:9/feed.xml")
    await admin.says("/unwatch http://127.0.0.1:9/feed.xml")
    [listing] = await owner.says("/admins")
    await press(double, OWNER_ID, listing, f"adm:tp:{ADMIN}")
    topics = double.latest(OWNER_ID, listing.message_id)
    assert topics is not None
    await press(double, OWNER_ID, listing, buttons_of(topics)["▫️ alpha-talks"])
    async with database.session() as session:
        actions = {
            (e.action, e.topic_slug)
            for e in await session.scalars(select(AuditLog).where(AuditLog.allowed.is_(True)))  # type: ignore[attr-defined]
        }
    assert {
        ("addadmin", None),
        ("newtopic", "alpha-talks"),
        ("draft", "alpha-talks"),
        ("publish", "alpha-talks"),
        ("retry", None),
        ("watch", "alpha-talks"),
        ("unwatch", None),
        ("admin-topic", "alpha-talks"),
    } <= actions


async def test_an_admin_limited_to_a_topic_imports_only_into_it(database: Database) -> None:
    await upgrade_database(database)
    roster = AdminRoster(database, (OWNER_ID,))
    await roster.grant(OWNER_ID, ADMIN)
    alpha = await create_new_topic(database, OWNER_ID, "alpha-talks", "Alpha talks")
    await create_new_topic(database, OWNER_ID, "beta-talks", "Beta talks")
    assert await roster.toggle_topic(OWNER_ID, ADMIN, alpha) is True
    document = "slug: {slug}\ntitle: Talks\nrounds: [{{number: 1, title: One}}]\n"
    for slug in ("beta-talks", "new-talks"):
        with pytest.raises(ImportRefused, match="limited you to other topics"):
            await import_document(
                database, "t.yaml", document.format(slug=slug).encode(), admin_id=ADMIN
            )
    imported = await import_document(
        database, "t.yaml", document.format(slug="alpha-talks").encode(), admin_id=ADMIN
    )
    assert (imported.created, imported.rounds_created) == (False, 1)
    async with database.session() as session:
        imports = list(
            await session.scalars(select(AuditLog.topic_slug).where(AuditLog.action == "import"))
        )
    assert imports == ["alpha-talks"]


async def test_stop_forgets_the_name_telegram_gave(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    double.add_private_chat(STRANGER, first_name="Sam")
    stranger = Chatter(double, STRANGER, STRANGER)
    await stranger.says("/stats")
    async with database.session() as session:
        assert [n.first_name for n in await session.scalars(select(KnownName))] == ["Sam"]
    await stranger.says("/start")
    [confirm] = await stranger.says("/stop")
    assert "stop:confirm" in buttons_of(confirm).values()
    await stranger.presses(confirm, "stop:confirm")
    async with database.session() as session:
        assert list(await session.scalars(select(KnownName))) == []


async def test_a_limited_admin_can_neither_correct_nor_draft_for_another_topic(
    database: Database,
) -> None:
    await upgrade_database(database)
    roster = AdminRoster(database, (OWNER_ID,))
    await roster.grant(OWNER_ID, ADMIN)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    other = await create_new_topic(database, OWNER_ID, "other-talks", "Other talks")
    published = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_ONE_CARD)
    await publish_post(database, published.post_id, OWNER_ID)
    assert await roster.toggle_topic(OWNER_ID, ADMIN, other) is True
    correction = f"/correct {published.post_id}\nplace: Doha (Sheraton Hotel), Qatar"
    with pytest.raises(PostError, match="limited you to other topics"):
        await preview_correction(database, ADMIN, published.post_id, correction)
    article = (Path(__file__).parent / "articles/pakistan-taliban-istanbul-round2.txt").read_text()
    proposal = await draft_from_article(database, ADMIN, article, date(2026, 10, 24))
    assert proposal.topic_slug == DEMO_SLUG
    with pytest.raises(PostError, match="limited you to other topics"):
        await preview_article_draft(database, ADMIN, proposal.draft_id)
    owner_correction = await preview_correction(database, OWNER_ID, published.post_id, correction)
    assert owner_correction.kind == "correction"

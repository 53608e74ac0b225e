"""Readers whose Telegram speaks Persian (fa, fa-AF, prs) read Roundwatch in Dari: every
command, the settings and their buttons, and the alerts, through the real bot and the double.

The check that matters most is `bot_words_are_persian`: once the facts the admin typed (names,
places, titles, quotations, all wrapped in direction isolates) and the commands are taken out,
no Latin word may be left, so an English phrase that escaped the catalogue fails the test."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, load_demo_data
from bot.posting.publish import create_new_topic
from bot.reading.alert_parts import split_alert
from bot.reading.delivery_settings import (
    Change,
    change_settings,
    choose_delivery,
    choose_hour,
    choose_time_zone,
)
from bot.reading.digest_text import render_digest
from bot.reading.language import FSI, PDI, RLM, language_of_code, translator
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.digests import DigestLine
from storage.migrate import upgrade_database
from storage.models import Chat, Post
from storage.states import Language
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of
from tests.test_channel_picker import CHANNEL, picker_request, shares
from tests.test_digests import Bots, MovableClock, publish, utc, wait_for_periods
from tests.test_migrations import _upgrade_to

PERSIAN_READER, ENGLISH_READER, DARI_READER = 300, 301, 302
ISOLATED = re.compile(f"{FSI}[^{PDI}]*{PDI}")
COMMAND = re.compile(r"[/@][\w-]+")
# Latin words the Persian texts keep on purpose: what readers type after a command.
TYPED_WORDS = {"slug", "off", "UTC", "Kabul", "Tehran", "London", "New", "York", "Start"}
TYPED_WORDS |= {"pak-taliban-talks", "Pakistan"}
CORRECTION = "date: 2026-10-17..2026-10-19\nplace: Doha (Sheraton Hotel), Qatar"
ROUND_THREE = f"""/post {DEMO_SLUG}
round: 3
title: Third round opens in Istanbul
date: 2026-11-06
place: Istanbul, Turkey
status: ongoing
mediators: Qatar; Turkey"""


def latin_words(text: str) -> set[str]:
    outside_facts = COMMAND.sub(" ", ISOLATED.sub(" ", text))
    return set(re.findall(r"[A-Za-z][A-Za-z-]*", outside_facts)) - TYPED_WORDS


def bot_words_are_persian(text: str) -> None:
    latin = latin_words(text)
    assert not latin, f"English left in a Persian text: {sorted(latin)} in {text!r}"
    assert re.search("[\u0600-\u06ff]", text), f"no Persian in {text!r}"


@pytest.fixture
async def reference_case(database: Database) -> Database:
    await upgrade_database(database)
    await load_demo_data(database)
    return database


async def says(chatter: Chatter, text: str, expected: str) -> SentMessage:
    (answer,) = await chatter.says(text)
    assert expected in answer.plain_text, answer.plain_text
    bot_words_are_persian(answer.plain_text)
    return answer


async def test_every_reader_command_is_answered_in_persian(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    await bot_for()
    reader = Chatter(double, PERSIAN_READER, PERSIAN_READER)

    await says(reader, "/start", "به راوندواچ خوش آمدید")
    await says(reader, "/help", "آنچه می‌توانید دنبال کنید")
    topics = await says(reader, "/topics", "۲ دور")
    assert f"{FSI}{DEMO_TITLE}{PDI}" in topics.plain_text
    assert list(buttons_of(topics)) == [f"🔔 دنبال کردن {FSI}{DEMO_TITLE}{PDI}"]
    await says(reader, f"/start {DEMO_SLUG}", "۲ دور")
    await says(reader, f"/subscribe {DEMO_SLUG}", "مشترک")
    await says(reader, f"/subscribe {DEMO_SLUG}", "از پیش")
    await says(reader, "/subscriptions", "این گفتگو دنبال می‌کند")
    latest = await says(reader, "/latest", "📌 تازه‌ترین دور")
    assert "دور ۲" in latest.plain_text and "۲۴ اکتوبر ۲۰۲۶" in latest.plain_text
    await says(reader, "/parties", "طرف‌های مذاکره")
    history = await says(reader, "/history", "دور ۱")
    assert "۱۸–۱۹ اکتوبر ۲۰۲۶" in history.plain_text
    timeline = await says(reader, "/timeline", "همهٔ دورها بر محور زمان")
    assert timeline.method == "sendPhoto" and timeline.photo is not None
    await says(reader, "/timeline no-such-topic", "موضوعی به نام")
    await says(reader, f"/statements {DEMO_SLUG} Pakistan", "خواست")
    await says(reader, f"/statements {DEMO_SLUG} Nobody", "طرفی به نام")
    await says(reader, "/statements", "شیوهٔ کاربرد")
    await says(reader, "/latest no-such-topic", "موضوعی به نام")
    settings = await says(reader, "/settings", "تنظیمات ارسال")
    assert "زبان: دری / فارسی" in settings.plain_text
    labels = set(buttons_of(settings))
    assert {"✅ فوری", "روزانه", "🔕 بی‌صدا", "✅ 🌐 دری / فارسی", "🌐 English"} <= labels
    # Each language's button is written in that language, so a reader can always find theirs.
    assert not {word for label in labels - {"🌐 English"} for word in latin_words(label)}
    await says(reader, "/timezone Kabul", "منطقهٔ زمانی")
    await says(reader, "/timezone Atlantis", "این مکان را نمی‌شناسم")
    await says(reader, "/quiet 25:00-07:00", "ساعت از 00 تا 23")
    quiet = await says(reader, "/quiet 22:00-07:00", "ساعات سکوت: ۲۲:۰۰–۰۷:۰۰")
    assert "۲۲:۰۰" in quiet.plain_text
    await says(reader, "/nonsense", "نمی‌شناسم")
    await says(reader, "/newtopic talks Some talks", "تنها از مدیران راوندواچ")
    await says(reader, "hello there", "من به فرمان‌ها پاسخ می‌دهم")
    await says(reader, "/unsubscribe", "لغو شد")
    await says(reader, "/unsubscribe", "هیچ موضوعی را دنبال نمی‌کند")
    question = await says(reader, "/stop", "همهٔ هشدارها قطع")
    assert set(buttons_of(question)) == {"🗑 بله، قطع و فراموش شود", "نگه دارید"}
    (kept,) = await reader.presses(question, buttons_of(question)["نگه دارید"])
    bot_words_are_persian(kept.plain_text)
    assert "نگه داشته شد" in kept.plain_text


async def test_timeline_asks_draws_and_explains_in_persian(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    await create_new_topic(reference_case, OWNER_ID, "quiet-talks", "Quiet talks")
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    await bot_for()
    reader = Chatter(double, PERSIAN_READER, PERSIAN_READER)
    question = await says(reader, "/timeline", "کدام موضوع؟")
    demo_button = f"🗓 خط زمانی: {FSI}{DEMO_TITLE}{PDI}"
    assert set(buttons_of(question)) == {demo_button, f"🗓 خط زمانی: {FSI}Quiet talks{PDI}"}
    (photo,) = await reader.presses(question, buttons_of(question)[demo_button])
    assert photo.method == "sendPhoto" and photo.photo is not None
    assert "همهٔ دورها بر محور زمان" in photo.plain_text
    bot_words_are_persian(photo.plain_text)
    await says(reader, "/timeline quiet-talks", "هنوز دوری ندارد")


async def test_a_persian_administrator_subscribes_a_channel_with_the_picker_in_persian(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_channel(CHANNEL, "Private desk", admins={PERSIAN_READER})
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    await bot_for()
    admin = Chatter(double, PERSIAN_READER, PERSIAN_READER)
    listing = await says(admin, "/subscriptions", "هیچ موضوعی را دنبال نمی‌کند")
    (offer,) = await admin.presses(listing, buttons_of(listing)["📣 اشتراک یک کانال"])
    bot_words_are_persian(offer.plain_text)
    (row,) = (offer.reply_markup or {})["keyboard"]
    assert [button["text"] for button in row] == ["📣 انتخاب کانال"]
    question = await shares(double, admin, picker_request(offer)["request_id"])
    assert "کدام موضوع را دنبال کند؟" in question.plain_text
    bot_words_are_persian(question.plain_text)
    (done,) = await admin.presses(question, f"chsub:{CHANNEL}:{DEMO_SLUG}")
    assert "مشترک" in done.plain_text
    bot_words_are_persian(done.plain_text)
    async with reference_case.session() as session:
        channel = await session.scalar(select(Chat).where(Chat.telegram_id == CHANNEL))
    assert channel is not None and channel.language == Language.PERSIAN


async def test_the_persian_command_menu_is_set_beside_the_english_one(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    await bot_for()
    english = {c["command"]: c["description"] for c in double.commands["default"]}
    persian = {c["command"]: c["description"] for c in double.commands["default/fa"]}
    assert english.keys() == persian.keys()
    assert persian["latest"] == "تازه‌ترین دور، و هر رویداد تازه‌تر"
    for description in persian.values():
        bot_words_are_persian(description.replace("<", " ").replace(">", " "))


async def test_a_chat_switches_language_in_settings_and_the_choice_outlasts_its_app_language(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(ENGLISH_READER, "Reader")
    await bot_for()
    reader = Chatter(double, ENGLISH_READER, ENGLISH_READER)
    (shown,) = await reader.says("/settings")
    assert "Delivery settings" in shown.plain_text and "Language: English" in shown.plain_text
    assert buttons_of(shown)["✅ 🌐 English"] == "set:lang:en"

    double.user_presses(ENGLISH_READER, shown.message_id, "set:lang:fa", user_id=ENGLISH_READER)
    await double.wait_for(lambda: "تنظیمات ارسال" in current(double, shown).plain_text)
    persian = current(double, shown)
    bot_words_are_persian(persian.plain_text)
    assert "✅ 🌐 دری / فارسی" in buttons_of(persian)
    await says(reader, "/help", "آنچه می‌توانید دنبال کنید")

    double.user_presses(ENGLISH_READER, shown.message_id, "set:lang:en", user_id=ENGLISH_READER)
    await double.wait_for(lambda: "Delivery settings" in current(double, shown).plain_text)
    (helped,) = await reader.says("/help")
    assert "what you can follow" in helped.plain_text


async def test_a_chosen_language_wins_over_the_one_telegram_reports(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa-AF")
    await bot_for()
    reader = Chatter(double, PERSIAN_READER, PERSIAN_READER)
    shown = await says(reader, "/settings", "تنظیمات ارسال")
    double.user_presses(PERSIAN_READER, shown.message_id, "set:lang:en", user_id=PERSIAN_READER)
    await double.wait_for(lambda: "Delivery settings" in current(double, shown).plain_text)
    (latest,) = await reader.says(f"/latest {DEMO_SLUG}")
    assert latest.plain_text.startswith("📌 Latest round")
    assert RLM not in latest.text and FSI not in latest.text


async def test_an_alert_reaches_a_persian_chat_in_persian_around_the_facts_as_typed(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot, database: Database
) -> None:
    double.add_private_chat(OWNER_ID, "Owner")
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    double.add_private_chat(ENGLISH_READER, "Reader", language_code="en-GB")
    await bot_for()
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    for reader in (PERSIAN_READER, ENGLISH_READER):
        await Chatter(double, reader, reader).says(f"/subscribe {DEMO_SLUG}")
    preview = await owner.says(ROUND_THREE, replies=2)
    await owner.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])

    def alert(chat_id: int) -> SentMessage | None:
        return next((m for m in double.messages_to(chat_id) if "Third round" in m.text), None)

    await double.wait_for(lambda: alert(PERSIAN_READER) is not None, timeout=20)
    await double.wait_for(lambda: alert(ENGLISH_READER) is not None, timeout=20)
    persian, english = alert(PERSIAN_READER), alert(ENGLISH_READER)
    assert persian is not None and english is not None
    async with database.session() as session:
        post = (await session.scalars(select(Post).order_by(Post.id.desc()))).first()
    assert post is not None and english.text == post.rendered and persian.text == post.rendered_fa
    assert english.plain_text.startswith("🆕 New round")

    lines = persian.plain_text.split("\n")
    assert lines[0] == f"{RLM}🆕 دور تازه · {FSI}{DEMO_TITLE}{PDI}"
    assert lines[1] == f"{RLM}دور ۳ · {FSI}Third round opens in Istanbul{PDI}"
    assert all(line.startswith(RLM) for line in lines if line)
    assert f"📅 ۶ نومبر ۲۰۲۶ · 📍 {FSI}Istanbul, Turkey{PDI}" in persian.plain_text
    assert f"🕊 میانجی‌ها: {FSI}Qatar{PDI}، {FSI}Turkey{PDI}" in persian.plain_text
    bot_words_are_persian(persian.plain_text)


def test_telegram_language_codes_for_persian_and_dari_choose_persian() -> None:
    chosen = {code: language_of_code(code) for code in ("fa", "fa-AF", "FA-ir", "prs", "prs-AF")}
    assert set(chosen.values()) == {Language.PERSIAN}
    others = ("en", "en-US", "ps", "ar", "ur", "", None, "far")
    assert {language_of_code(code) for code in others} == {Language.ENGLISH}


def test_a_persian_digest_counts_in_persian_and_names_each_kind() -> None:
    t = translator(Language.PERSIAN)
    line = DigestLine(
        entry_id=1,
        slug=DEMO_SLUG,
        topic_title=DEMO_TITLE,
        headline="New round: Round 3 · Third round opens in Istanbul",
        kind="new_round",
        round_number=3,
        round_start=date(2026, 11, 6),
        outcome_type=None,
        outcome_text="agreement on a monitoring mechanism",
        published_at=None,
        round_title="Third round opens in Istanbul",
    )
    text = render_digest([line], "خلاصهٔ روزانه", t)
    assert "۱ خبر تازه در ۱ موضوع" in text
    assert f"• دور ۳ · <b>دور تازه: {FSI}Third round opens in Istanbul{PDI}</b>" in text
    assert f"↳ {FSI}agreement on a monitoring mechanism{PDI}" in text
    assert "New round" not in text
    bot_words_are_persian(re.sub("<[^>]+>", "", text))


def current(double: BotApiDouble, message: SentMessage) -> SentMessage:
    return double.latest(message.chat_id, message.message_id) or message


async def kabul_daily_digest(
    double: BotApiDouble, database: Database, database_url: str, *changes: Change
) -> SentMessage:
    """The digest a Persian reader in Kabul, on a daily digest at 08:00 and `changes`, gets of
    the reference case's first round on 21 October 2026."""
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_private_chat(PERSIAN_READER, language_code="fa")
    chat = ChatRef(PERSIAN_READER, "private", None, language_of_code("fa"))
    await subscribe_chat(database, chat, DEMO_SLUG)
    for change in (
        choose_time_zone("Asia/Kabul"),
        choose_delivery("daily"),
        choose_hour(8),
        *changes,
    ):
        await change_settings(database, chat, change)
    clock = MovableClock(utc(2026, 10, 20, 12))
    bots = Bots(double, database, database_url)
    try:
        await bots.start(clock)
        await publish(database, ROUND_ONE_CARD)
        await wait_for_periods(database, ["2026-10-21"])
        clock.now = utc(2026, 10, 21, 3, 30, 30)  # 08:00 in Kabul
        await double.wait_for_messages(PERSIAN_READER, 1)
    finally:
        await bots.stop()
    (digest,) = double.messages_to(PERSIAN_READER)
    return digest


async def test_a_persian_chat_gets_its_daily_digest_in_persian(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    digest = await kabul_daily_digest(double, database, database_url)
    assert digest.plain_text.startswith(f"{RLM}🗞 خلاصهٔ روزانه · چهارشنبه ۲۱ اکتوبر ۲۰۲۶")
    assert f"دور ۱ · دور تازه: {FSI}First round of talks held in Doha{PDI}" in digest.plain_text
    bot_words_are_persian(digest.plain_text)


async def test_a_correction_reaches_a_persian_chat_in_persian_as_a_reply_to_its_alert(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(OWNER_ID, "Owner")
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="prs")
    await bot_for()
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await Chatter(double, PERSIAN_READER, PERSIAN_READER).says(f"/subscribe {DEMO_SLUG}")
    preview = (await owner.says(ROUND_ONE_CARD, replies=2))[-1]
    await owner.presses(preview, buttons_of(preview)["✅ Publish"])
    await double.wait_for_messages(PERSIAN_READER, 2, timeout=20)
    alert = double.messages_to(PERSIAN_READER)[-1]
    assert alert.plain_text.startswith(f"{RLM}🆕 دور تازه")

    shown = await owner.says(f"/correct 1\n{CORRECTION}", replies=2)
    await owner.presses(shown[-1], buttons_of(shown[-1])["✅ Publish correction"])
    await double.wait_for_messages(PERSIAN_READER, 3, timeout=20)
    notice = double.messages_to(PERSIAN_READER)[-1]
    assert notice.reply_to_message_id == alert.message_id
    assert notice.plain_text.startswith(f"{RLM}✏️ اصلاحیه: {FSI}{DEMO_TITLE}{PDI}")
    assert (
        f"تاریخ‌ها: {FSI}۱۸–۱۹ اکتوبر ۲۰۲۶{PDI} ← {FSI}۱۷–۱۹ اکتوبر ۲۰۲۶{PDI}" in notice.plain_text
    )
    assert f"{FSI}Doha (Sheraton Hotel), Qatar{PDI}" in notice.plain_text
    bot_words_are_persian(notice.plain_text)


def test_the_parts_of_a_long_persian_text_are_counted_in_persian_digits() -> None:
    t = translator(Language.PERSIAN)
    paragraphs = [t.directed(f"{t._('📋 <b>Topics</b>')}")] + [
        t.directed(f"{t._('Round {number}').format(number=t.number(n))} " + "متن " * 60)
        for n in range(1, 30)
    ]
    parts = split_alert("\n\n".join(paragraphs), limit=1500)
    assert len(parts) > 2
    count = t.number(len(parts))
    for number, part in enumerate(parts[1:], 2):
        assert part.startswith(f"{RLM}📋 موضوع‌ها ({t.number(number)}/{count})\n\n{RLM}")


async def test_the_upgrade_turns_stored_language_codes_into_languages(database: Database) -> None:
    """Before 0014 `chats.language` held Telegram's raw code; a chat that wrote from a Dari
    app must read Dari after the upgrade, before it writes again."""
    async with database.engine.begin() as connection:
        await connection.run_sync(_upgrade_to, "0010")
        for number, code in enumerate(("fa-AF", "prs", "FA", "en-GB", "ps"), 1):
            await connection.exec_driver_sql(
                "INSERT INTO chats (telegram_id, type, language, active, created_at) VALUES "
                f"({number}, 'private', '{code}', true, '2026-10-24 00:00:00.000000')"
            )
    await upgrade_database(database)
    async with database.session() as session:
        rows = await session.execute(select(Chat.telegram_id, Chat.language).order_by(Chat.id))
        assert [language for _, language in rows.all()] == ["fa", "fa", "fa", "en", "en"]

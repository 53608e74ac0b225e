"""An admin whose Telegram speaks Persian reads the intake desk in Dari: drafts from a pasted
article and their buttons, /watch /feeds /unwatch and what the feed watcher says on its own
(a drafted entry, a broken feed, a feed that works again), and the answers to an uploaded topic
document, through the real bot, the double and a feed server on 127.0.0.1. The /timeline
picture is drawn with Persian labels and without a glyph missing.

The card a draft proposes stays in /post's grammar (its keys are a syntax), so only the words
around it are checked to be Persian; the old English sentences must be gone."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD
from bot.reading.language import FSI, PDI, translator
from bot.reading.timeline_picture import render_timeline
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of
from tests.test_digests import Bots, MovableClock
from tests.test_exchange import BROKEN, BROKEN_REFERENCES_ONLY
from tests.test_feeds import ISTANBUL, OLD, FeedServer, site, the_feed, until
from tests.test_intake import ARTICLE, OTHER_ARTICLE, prepare_topic
from tests.test_persian import (
    ENGLISH_READER,
    PERSIAN_READER,
    bot_words_are_persian,
    current,
    reference_case,
)
from tests.test_persian_admin import dari
from tests.test_scheduled_publishing import bots
from tests.test_timeline import rounds_like

__all__ = ["bots", "reference_case", "site"]

QUICK = {"ROUNDWATCH_CHECK_INTERVAL": 0.02, "ROUNDWATCH_FEED_INTERVAL": 0.02}
GOOD_DOCUMENT = (
    BROKEN_REFERENCES_ONLY.replace("Nepal", "India")
    .replace("source: 2", "source: null")
    .replace(
        "number: 1\n    title: First round again",
        "number: 2\n    title: Second\n    dates: {start: 2026-01-10}",
    )
)


def heading_of(draft: SentMessage) -> str:
    """The words above the proposed card, which must be Persian."""
    heading = draft.plain_text.split("\n", 1)[0]
    bot_words_are_persian(heading)
    return heading


@pytest.fixture
def fa_owner(double: BotApiDouble) -> Chatter:
    double.add_private_chat(OWNER_ID, "Owner", language_code="fa")
    return Chatter(double, OWNER_ID, OWNER_ID)


async def test_a_dari_admin_pastes_an_article_and_reviews_the_draft_in_dari(
    bot_for: StartBot, database: Database, fa_owner: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    (draft,) = await fa_owner.says(ARTICLE.read_text())
    heading = heading_of(draft)
    assert f"📝 کارت پیش‌نویس برای {FSI}{DEMO_SLUG}{PDI}، خوانده‌شده از مقاله" in heading
    assert "Draft card" not in draft.plain_text and "Check each line" not in draft.plain_text
    assert draft.plain_text.split("\n", 1)[1].startswith(f"/post {DEMO_SLUG}\nround: 2")
    buttons = buttons_of(draft)
    assert set(buttons) == {"✅ نشر به همین شکل", "✏️ ویرایش", "🗑 دور انداختن"}

    (edit,) = await fa_owner.presses(draft, buttons["✏️ ویرایش"])
    assert "✏️ کارت را رونویسی کنید (روی آن بزنید)" in edit.plain_text
    assert "Copy the card" not in edit.plain_text
    heading_line, preview = await fa_owner.presses(draft, buttons["✅ نشر به همین شکل"], replies=2)
    assert "👀 پیش‌نمایش · دور تازه" in dari(heading_line)
    assert "✅ نشر" in buttons_of(preview)

    (again,) = await fa_owner.says(ARTICLE.read_text())
    (discarded,) = await fa_owner.presses(again, buttons_of(again)["🗑 دور انداختن"])
    assert dari(discarded) == "\u200f🗑 دور انداخته شد؛ چیزی نشر نشد."

    (elsewhere,) = await fa_owner.says(OTHER_ARTICLE)
    assert "هنوز هیچ موضوعی این طرف‌ها را ندارد" in heading_of(elsewhere)
    assert "/newtopic armenia-azerbaijan-talks عنوان" in elsewhere.plain_text
    (usage,) = await fa_owner.says("/draft")
    assert (
        dari(usage)
        == "\u200fشیوهٔ کاربرد: /draft و پس از آن متن مقاله، یا تنها متن را همین‌جا بچسبانید."
    )
    before = len(fa_owner.double.messages_to(OWNER_ID))
    fa_owner.double.user_uploads(OWNER_ID, "article.pdf", b"%PDF-1.4", user_id=OWNER_ID)
    await fa_owner.double.wait_for_messages(OWNER_ID, before + 1)
    wrong_file = fa_owner.double.messages_to(OWNER_ID)[-1].plain_text
    assert "مقاله را به‌صورت فایل .txt یا .html بفرستید" in wrong_file


async def test_a_dari_admin_watches_lists_and_unwatches_feeds_and_hears_from_them_in_dari(
    bot_for: StartBot,
    double: BotApiDouble,
    database: Database,
    site: FeedServer,
    fa_owner: Chatter,
) -> None:
    await prepare_topic(database)
    site.entries = [OLD]
    await bot_for(**QUICK)
    await fa_owner.says("/start")  # what the bot says on its own goes by the chat's language
    feed_url = f"{site.base_url}/feed.xml"

    (usage,) = await fa_owner.says("/watch")
    assert "شیوهٔ کاربرد: /watch" in usage.plain_text and "Usage" not in usage.plain_text
    (refused,) = await fa_owner.says(f"/watch {DEMO_SLUG} ftp://example.org/feed.xml")
    assert refused.plain_text == "\u200fتنها نشانی‌های http:// و https:// را می‌توان زیر نظر گرفت."
    (unknown,) = await fa_owner.says(f"/watch no-such-topic {feed_url}")
    assert dari(unknown).startswith(f"\u200fموضوعی به نام {FSI}{FSI}no-such-topic{PDI}{PDI} نیست")
    (watching,) = await fa_owner.says(f"/watch {DEMO_SLUG} {feed_url} Istanbul")
    text = dari(watching)
    assert text.startswith(f"\u200f👀 فید ۱ برای {FSI}{DEMO_SLUG}{PDI} زیر نظر است: ")
    assert f"کلیدواژه‌ها: {FSI}Istanbul{PDI}." in text and "Watching feed" not in text

    async def first_fetch_done() -> bool:
        return (await the_feed(database)).last_fetched_at is not None

    await until(first_fetch_done)
    (listing,) = await fa_owner.says("/feeds")
    text = dari(listing)
    assert "فیدهای زیر نظر" in text and f"{FSI}{feed_url}{PDI}" in text
    assert "آخرین خواندن" in text and "کلیدواژه‌ها:" in text and "Watched feeds" not in text

    site.entries = [OLD, ISTANBUL]

    def drafted() -> list[SentMessage]:
        return [m for m in double.messages_to(OWNER_ID) if "کارت پیش‌نویس" in m.plain_text]

    await double.wait_for(lambda: bool(drafted()), timeout=20)
    (entry,) = drafted()
    assert "در یکی از فیدهای زیر نظر" in heading_of(entry)
    assert ISTANBUL[1] in entry.plain_text and "Draft card" not in entry.plain_text
    assert set(buttons_of(entry)) == {"✅ نشر به همین شکل", "✏️ ویرایش", "🗑 دور انداختن"}

    site.status = 500

    def reports() -> list[str]:
        return [m.plain_text for m in double.messages_to(OWNER_ID) if "⚠️ فید" in m.plain_text]

    await double.wait_for(lambda: bool(reports()), timeout=20)
    (report,) = reports()
    bot_words_are_persian(report)
    assert f"۳ بار پیاپی ناکام مانده است ({FSI}HTTP 500{PDI})" in report
    assert "has failed" not in report
    site.status = 200
    await double.wait_for(
        lambda: "دوباره کار می‌کند" in double.messages_to(OWNER_ID)[-1].plain_text, timeout=20
    )
    dari(double.messages_to(OWNER_ID)[-1])

    (usage,) = await fa_owner.says("/unwatch")
    assert "شیوهٔ کاربرد: /unwatch" in usage.plain_text
    (missing,) = await fa_owner.says("/unwatch 99")
    assert (
        dari(missing)
        == "\u200fهیچ فید زیر نظری این شماره یا نشانی را ندارد؛ /feeds فیدها را فهرست می‌کند."
    )
    (removed,) = await fa_owner.says("/unwatch 1")
    assert dari(removed) == f"\u200f🗑 {FSI}{feed_url}{PDI} دیگر زیر نظر نیست."
    (empty,) = await fa_owner.says("/feeds")
    assert "هیچ فیدی زیر نظر نیست" in empty.plain_text and "No feeds" not in empty.plain_text


async def test_a_dari_admin_uploads_a_topic_document_and_publishes_it_in_dari(
    bot_for: StartBot, double: BotApiDouble, fa_owner: Chatter
) -> None:
    await bot_for()

    async def uploaded(filename: str, content: str) -> SentMessage:
        before = len(double.messages_to(OWNER_ID))
        double.user_uploads(OWNER_ID, filename, content.encode(), user_id=OWNER_ID)
        await double.wait_for_messages(OWNER_ID, before + 1, timeout=10)
        return double.messages_to(OWNER_ID)[-1]

    broken = (await uploaded("kashmir.yaml", BROKEN)).plain_text
    assert broken.startswith(f"\u200f⚠️ {FSI}kashmir.yaml{PDI} ۴ مشکل دارد، پس چیزی ثبت نشد:")
    assert f"• {FSI}rounds[2].dates.start: not a date (write YYYY-MM-DD){PDI}" in broken
    bot_words_are_persian(broken)
    assert "so nothing was stored" not in broken

    imported = await uploaded("kashmir.yml", GOOD_DOCUMENT)
    text = dari(imported)
    assert text.startswith(
        f"\u200f✅ {FSI}kashmir-talks{PDI} ساخته شد: ۳ دور افزوده شد، ۰ دور جایگزین شد. "
        "چیزی نشر نشد"
    )
    assert set(buttons_of(imported)) == {"📣 نشر تازه‌ترین دور"}
    publish = buttons_of(imported)["📣 نشر تازه‌ترین دور"]
    (published,) = await fa_owner.presses(imported, publish)
    text = dari(published)
    assert text.startswith(f"\u200f📣 نشر شد — دور تازه: دور ۳ · {FSI}Third round{PDI} (پست ۱)")
    assert f"به مشترکان {FSI}kashmir-talks{PDI} خبر داده می‌شود" in text

    answers = len(double.callback_answers)
    double.user_presses(OWNER_ID, imported.message_id, publish, user_id=OWNER_ID)
    await double.wait_for(lambda: len(double.callback_answers) > answers, timeout=10)
    already = double.callback_answers[-1]
    assert (
        already.show_alert
        and already.text == "پیش از این به‌عنوان پست ۱ نشر شده است؛ چیز تازه‌ای نیست."
    )


async def test_a_dari_admins_scheduled_post_is_announced_in_dari(
    double: BotApiDouble, bots: Bots, fa_owner: Chatter
) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    clock = MovableClock(start)
    await bots.start(clock)
    await fa_owner.says("/start")
    await fa_owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    _, preview = await fa_owner.says(ROUND_ONE_CARD, replies=2)
    double.user_presses(OWNER_ID, preview.message_id, buttons_of(preview)["🕒 زمان‌بندی"])
    await double.wait_for(lambda: "یک ساعت بعد" in buttons_of(current(double, preview)))
    (scheduled,) = await fa_owner.presses(
        preview, buttons_of(current(double, preview))["یک ساعت بعد"]
    )
    assert scheduled.plain_text.startswith("\u200f🕒 پست ۱ در ")

    clock.now = start + timedelta(hours=1, seconds=1)
    await double.wait_for(
        lambda: "طبق زمان‌بندی" in double.messages_to(OWNER_ID)[-1].plain_text, timeout=20
    )
    announced = dari(double.messages_to(OWNER_ID)[-1])
    assert announced.startswith("\u200f📣 طبق زمان‌بندی نشر شد — دور تازه: دور ۱ · ")
    assert f"(پست ۱). به مشترکان {FSI}{DEMO_SLUG}{PDI} خبر داده می‌شود." in announced
    assert "Published as scheduled" not in announced


@pytest.fixture
def every_warning() -> Iterator[list[warnings.WarningMessage]]:
    """The picture module hides missing-glyph warnings from the log; here they all count."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def missing_glyphs(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_the_persian_picture_is_drawn_with_every_glyph(
    every_warning: list[warnings.WarningMessage],
) -> None:
    rounds = rounds_like(5, city="کابل", country="افغانستان", mediator="قطر")
    persian = render_timeline("مذاکرات پاکستان و طالبان", rounds, translator("fa"))
    assert missing_glyphs(every_warning) == []
    assert persian != render_timeline("مذاکرات پاکستان و طالبان", rounds, translator("en"))
    render_timeline("中巴会谈", rounds, translator("fa"))
    assert missing_glyphs(every_warning), "a script the font lacks is caught by this check"


async def test_a_dari_reader_gets_the_timeline_photo(
    bot_for: StartBot,
    double: BotApiDouble,
    reference_case: Database,
    every_warning: list[warnings.WarningMessage],
) -> None:
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    double.add_private_chat(ENGLISH_READER, "Reader", language_code="en")
    await bot_for()
    (photo,) = await Chatter(double, PERSIAN_READER, PERSIAN_READER).says(f"/timeline {DEMO_SLUG}")
    assert photo.method == "sendPhoto" and photo.photo is not None
    assert "همهٔ دورها بر محور زمان" in photo.plain_text
    assert missing_glyphs(every_warning) == []
    (english,) = await Chatter(double, ENGLISH_READER, ENGLISH_READER).says(
        f"/timeline {DEMO_SLUG}"
    )
    assert english.method == "sendPhoto" and english.photo != photo.photo, "labels in Dari"

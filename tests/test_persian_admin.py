"""An admin whose Telegram speaks Persian (or who chose Dari in /settings) posts in Dari: the
preview's heading and buttons, the card's problems, posting errors, Publish, its live progress,
Edit and Schedule, and the admin commands around them, through the real bot and the double.

The card keys an admin types stay English (they are a syntax) and so do the facts as typed;
both are wrapped in direction isolates, so `bot_words_are_persian` finds no English word left
outside them. An English admin reads exactly what they read before."""

from __future__ import annotations

import re

from bot.posting.demo_data import DEMO_SLUG
from bot.reading.language import FSI, PDI
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of
from tests.test_persian import (
    PERSIAN_READER,
    ROUND_THREE,
    bot_words_are_persian,
    current,
    reference_case,
)

__all__ = ["reference_case"]

OTHER_ADMIN = 555
BAD_CARD = f"""/post {DEMO_SLUG}
round: x
when: tomorrow
date: 2026-02-30"""


def dari(message: SentMessage, *typed: str) -> str:
    """The message's text, after checking that only facts, commands and the `typed` words an
    admin writes after a command are left in Latin letters."""
    text = message.plain_text
    bot_words_are_persian(re.sub(r"\b(?:" + "|".join(typed) + r")\b", " ", text) if typed else text)
    return text


async def dari_owner(double: BotApiDouble, bot_for: StartBot, code: str = "fa") -> Chatter:
    double.add_private_chat(OWNER_ID, "Owner", language_code=code)
    await bot_for()
    return Chatter(double, OWNER_ID, OWNER_ID)


async def test_a_dari_owner_previews_edits_publishes_and_follows_the_progress_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    owner = await dari_owner(double, bot_for, "fa-AF")
    await Chatter(double, PERSIAN_READER, PERSIAN_READER).says(f"/subscribe {DEMO_SLUG}")

    heading, preview = await owner.says(ROUND_THREE, replies=2)
    assert "👀 پیش‌نمایش · دور تازه — مشترکانی که انگلیسی می‌خوانند" in dari(heading)
    buttons = buttons_of(preview)
    assert set(buttons) == {"✅ نشر", "✖️ لغو", "✏️ ویرایش", "🕒 زمان‌بندی"}

    double.user_presses(OWNER_ID, preview.message_id, buttons["✏️ ویرایش"], user_id=OWNER_ID)
    await double.wait_for(lambda: "› بازگشت" in buttons_of(current(double, preview)))
    fields = buttons_of(current(double, preview))
    assert {"مکان", "عنوان", "میانجی‌ها", "خلاصه"} <= set(fields)
    (question,) = await owner.presses(preview, fields["مکان"])
    assert "✏️ مقدار تازهٔ مکان چیست؟" in question.plain_text
    double.user_presses(OWNER_ID, preview.message_id, fields["› بازگشت"], user_id=OWNER_ID)
    await double.wait_for(lambda: "✅ نشر" in buttons_of(current(double, preview)))
    double.user_presses(OWNER_ID, preview.message_id, buttons["🕒 زمان‌بندی"], user_id=OWNER_ID)
    await double.wait_for(lambda: "یک ساعت بعد" in buttons_of(current(double, preview)))
    assert {"سه ساعت بعد", "فردا ساعت ۰۸:۰۰", "› بازگشت"} <= set(
        buttons_of(current(double, preview))
    )
    double.user_presses(OWNER_ID, preview.message_id, buttons["✏️ ویرایش"], user_id=OWNER_ID)
    await double.wait_for(lambda: "مکان" in buttons_of(current(double, preview)))
    double.user_presses(OWNER_ID, preview.message_id, fields["› بازگشت"], user_id=OWNER_ID)
    await double.wait_for(lambda: "✅ نشر" in buttons_of(current(double, preview)))

    (confirmation,) = await owner.presses(preview, buttons["✅ نشر"])
    text = dari(confirmation)
    assert text.startswith("\u200f📣 نشر شد — دور تازه: دور ۳ · ")
    assert f"{FSI}Third round opens in Istanbul{PDI}" in text and "پست ۳" in text
    assert f"{FSI}{DEMO_SLUG}{PDI}" in text
    assert set(buttons_of(confirmation)) == {"✏️ اصلاح"}
    await double.wait_for(lambda: "✅ در" in current(double, confirmation).plain_text, timeout=20)
    progress = dari(current(double, confirmation))
    assert "فرستاده ۱ · در انتظار ۰ · ناکام ۰ · رهاشده ۰ (از ۱)" in progress
    assert set(buttons_of(current(double, confirmation))) == {"✏️ اصلاح"}


async def test_a_dari_owner_reads_card_problems_and_posting_errors_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for)
    (problems,) = await owner.says(BAD_CARD)
    text = dari(problems)
    lines = [line.lstrip("\u200f") for line in text.split("\n")]
    assert lines[0] == "❌ کارت ۳ مشکل دارد؛ چیزی ثبت نشد."
    assert lines[1].startswith("سطر ۲: شمارهٔ دور باید عددی از ۱ تا ")
    assert lines[1].endswith(f"آمده است: {FSI}{FSI}x{PDI}{PDI}")
    assert lines[2].startswith(f"سطر ۳: کلید ناشناخته {FSI}{FSI}when{PDI}{PDI}")
    assert lines[3] == f"سطر ۴: {FSI}{FSI}2026-02-30{PDI}{PDI} تاریخی واقعی نیست"

    (missing,) = await owner.says("/post no-such-topic\nround: 4\ntitle: Talks")
    assert dari(missing).startswith(f"\u200fموضوعی به نام {FSI}{FSI}no-such-topic{PDI}{PDI} نیست")
    (slug,) = await owner.says("/newtopic Bad_Slug Some talks")
    assert "نشانی کوتاه" in dari(slug)
    (created,) = await owner.says("/newtopic iran-talks Iran talks")
    assert f"✅ {FSI}Iran talks{PDI} ({FSI}iran-talks{PDI}) ساخته شد" in dari(created)


async def test_a_dari_owner_cancels_and_uses_the_admin_commands_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for, "prs")
    _, preview = await owner.says(ROUND_THREE, replies=2)
    (cancelled,) = await owner.presses(preview, buttons_of(preview)["✖️ لغو"])
    assert dari(cancelled) == "\u200fلغو شد؛ چیزی نشر نشد."
    answered = len(double.callback_answers)
    double.user_presses(OWNER_ID, preview.message_id, f"pub:{_post_id(preview)}", user_id=OWNER_ID)
    await double.wait_for(lambda: len(double.callback_answers) > answered)
    refusal = double.callback_answers[-1]
    assert refusal.show_alert and refusal.text == "آن پیش‌نویس پیش از این لغو شده بود؛ چیزی نشر نشد."

    (retry_usage,) = await owner.says("/retry")
    assert "شیوهٔ کاربرد: /retry" in dari(retry_usage, "all")
    (nothing,) = await owner.says("/retry all")
    assert dari(nothing) == "\u200fهیچ رسانشی ناکام نمانده است."
    (granted,) = await owner.says(f"/addadmin {OTHER_ADMIN}")
    assert dari(granted) == f"\u200f{FSI}{OTHER_ADMIN}{PDI} اکنون مدیر است."
    (revoked,) = await owner.says(f"/removeadmin {OTHER_ADMIN}")
    assert dari(revoked) == f"\u200f{FSI}{OTHER_ADMIN}{PDI} دیگر مدیر نیست."
    (scheduled,) = await owner.says("/scheduled")
    assert "چیزی زمان‌بندی نشده است" in dari(scheduled)


async def test_an_english_admin_who_chose_dari_in_settings_posts_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for, "en")
    heading, preview = await owner.says(ROUND_THREE, replies=2)
    assert heading.plain_text == "👀 Preview · New round — subscribers will see exactly this:"
    assert set(buttons_of(preview)) == {"✅ Publish", "✖️ Cancel", "✏️ Edit", "🕒 Schedule"}
    (settings,) = await owner.says("/settings")
    double.user_presses(OWNER_ID, settings.message_id, "set:lang:fa", user_id=OWNER_ID)
    await double.wait_for(lambda: "تنظیمات ارسال" in current(double, settings).plain_text)

    heading, preview = await owner.says(ROUND_THREE, replies=2)
    assert "👀 پیش‌نمایش · دور تازه" in dari(heading)
    assert "✅ نشر" in buttons_of(preview)


def _post_id(preview: SentMessage) -> str:
    data = buttons_of(preview).get("✅ نشر") or next(iter(buttons_of(preview).values()))
    match = re.search(r"[0-9]+", data)
    assert match is not None
    return match[0]


async def test_a_dari_owner_edits_a_field_and_schedules_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for)
    _, preview = await owner.says(ROUND_THREE, replies=2)
    double.user_presses(
        OWNER_ID, preview.message_id, buttons_of(preview)["✏️ ویرایش"], user_id=OWNER_ID
    )
    await double.wait_for(lambda: "مکان" in buttons_of(current(double, preview)))
    (question,) = await owner.presses(preview, buttons_of(current(double, preview))["مکان"])
    before = len(double.messages_to(OWNER_ID))
    double.user_sends(OWNER_ID, "Ankara, Turkey", user_id=OWNER_ID, reply_to=question.message_id)
    await double.wait_for_messages(OWNER_ID, before + 1, timeout=10)
    changed = double.messages_to(OWNER_ID)[-1]
    assert "✏️ مکان تغییر کرد: پیش‌نمایش بالا آن را نشان می‌دهد (دور تازه)" in dari(changed)
    assert "Ankara, Turkey" in current(double, preview).plain_text

    (unreadable,) = await owner.says("/schedule whenever")
    assert "را به‌عنوان زمان نمی‌توانم بخوانم" in dari(unreadable, "in", "hours", "tomorrow")
    (scheduled,) = await owner.says("/schedule in 2 hours")
    text = dari(scheduled)
    assert text.startswith("\u200f🕒 پست ۳ در ") and "دقیقاً همان‌گونه که پیش‌نمایش شد" in text
    assert re.search("ساعت [۰-۹]{2}:[۰-۹]{2}", text), text
    assert set(buttons_of(current(double, preview))) == {"✖️ لغو زمان‌بندی"}
    (listing,) = await owner.says("/scheduled")
    assert "🕒 زمان‌بندی‌شده" in dari(listing) and "• پست ۳ · دور تازه" in listing.plain_text
    (undone,) = await owner.presses(listing, buttons_of(listing)["✖️ لغو پست ۳"])
    assert "زمان‌بندی پست ۳ لغو شد" in dari(undone)


async def test_a_dari_owner_corrects_a_published_post_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    owner = await dari_owner(double, bot_for)
    await Chatter(double, PERSIAN_READER, PERSIAN_READER).says(f"/subscribe {DEMO_SLUG}")
    _, preview = await owner.says(ROUND_THREE, replies=2)
    (confirmation,) = await owner.presses(preview, buttons_of(preview)["✅ نشر"])
    (how,) = await owner.presses(confirmation, buttons_of(confirmation)["✏️ اصلاح"])
    assert "✏️ برای اصلاح پست ۳،" in how.plain_text
    assert "پیش از فرستادن هر چیز، آگهی اصلاحیه را می‌بینید" in how.plain_text

    (usage,) = await owner.says("/correct")
    assert "شیوهٔ کاربرد: /correct" in usage.plain_text
    (missing,) = await owner.says("/correct 99\nplace: Ankara, Turkey")
    assert dari(missing) == "\u200fپستی با شمارهٔ ۹۹ نیست."
    (fixed_key,) = await owner.says("/correct 3\nround: 4")
    assert "اصلاح‌پذیر نیست: نشان می‌دهد پست ۳ دربارهٔ کدام دور است" in dari(fixed_key)
    (same,) = await owner.says("/correct 3\nplace: Istanbul, Turkey")
    assert "این کارت چیزی را در پست ۳ تغییر نمی‌دهد" in dari(same)

    heading, notice = await owner.says("/correct 3\nplace: Ankara, Turkey", replies=2)
    assert "👀 پیش‌نمایش اصلاحیه — گفتگوهایی که پست را گرفته‌اند" in dari(heading)
    assert set(buttons_of(notice)) == {"✅ نشر اصلاحیه", "✖️ لغو"}
    (published,) = await owner.presses(notice, buttons_of(notice)["✅ نشر اصلاحیه"])
    text = dari(published)
    assert text.startswith("\u200f✏️ اصلاحیه نشر شد — اصلاحیه: دور ۳ · ")
    assert "۱ گفتگو که پست ۳ را گرفته‌اند" in text

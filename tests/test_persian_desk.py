"""An admin whose Telegram speaks Persian walks the `/post` wizard to its preview, keeps drafts
in `/drafts`, and reads `/admins` with its buttons, `/audit`, `/stats` and `/failures` in Dari,
through the real bot and the double.

`dari` (tests/test_persian_admin.py) fails on any Latin word left outside the facts, the card
syntax and the commands, all of which are wrapped in direction isolates; each step also checks
that the English sentence the admin used to read is gone."""

from __future__ import annotations

import re
from collections import Counter

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE
from bot.posting.publish import preview_post, publish_post
from bot.reading.language import FSI, PDI
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble, CallbackAnswer, SentMessage
from storage.admins import record_audit
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, wait_for_states
from tests.test_persian import ROUND_THREE, current, reference_case
from tests.test_persian_admin import OTHER_ADMIN, dari, dari_owner

__all__ = ["reference_case"]

BROKEN = 660
STRANGER = 661
RTL = "\u200f"


def isolated(text: str) -> str:
    return f"{FSI}{text}{PDI}"


async def pressed(double: BotApiDouble, message: SentMessage, data: str) -> CallbackAnswer:
    """The owner's press, once the bot has answered it (after editing the message, if it does)."""
    answered = len(double.callback_answers)
    double.user_presses(OWNER_ID, message.message_id, data, user_id=OWNER_ID)
    await double.wait_for(lambda: len(double.callback_answers) > answered)
    return double.callback_answers[-1]


def lines_of(message: SentMessage) -> list[str]:
    return [line.removeprefix(RTL) for line in message.plain_text.split("\n")]


async def test_a_dari_owner_walks_the_wizard_to_the_preview_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for)
    (topic,) = await owner.says("/post")
    assert "📝 ۱/۱۳ · موضوع" in dari(topic, "slug")
    assert "دربارهٔ کدام موضوع است؟" in topic.plain_text
    assert "Which topic" not in topic.plain_text and "/back برای پرسش پیشین" in topic.plain_text
    assert set(buttons_of(topic)) == {f"{isolated(DEMO_TITLE)} ({isolated(DEMO_SLUG)})"}
    (first,) = await owner.says("/back")
    assert lines_of(first)[0] == "این نخستین پرسش است."
    (unknown,) = await owner.says("no-such-talks")
    assert f"❌ موضوعی به نام {isolated('no-such-talks')} نیست؛" in dari(unknown, "slug")

    (kind,) = await owner.presses(topic, next(iter(buttons_of(topic).values())))
    assert "۲/۱۳ · نوع" in dari(kind) and "چه نوعی است؟" in kind.plain_text
    kinds = buttons_of(kind)
    assert set(kinds) == {"🆕 دور تازه", "🔄 تازه‌سازی دور", "📣 رویداد", "🏁 نتیجه", "⏭ بگذر"}
    (number,) = await owner.presses(kind, kinds["🆕 دور تازه"])
    assert f"کدام دور؟ شماره‌اش را بنویسید، یا برای یک رویداد {isolated('none')}" in dari(number)
    assert set(buttons_of(number)) == {
        "دور ۳ (بعدی)",
        "دور ۲ (آخرین)",
        "بی‌شماره (رویداد)",
        "⏭ بگذر",
    }
    stale = await pressed(double, kind, kinds["🆕 دور تازه"])
    assert stale.show_alert and stale.text == "به آن پرسش پیش از این پاسخ داده شده است."

    (headline,) = await owner.presses(number, buttons_of(number)["دور ۳ (بعدی)"])
    assert "۴/۱۳ · عنوان خبر" in dari(headline)
    assert isolated("Second round of talks begins in Istanbul") in headline.plain_text
    (when,) = await owner.says("Third round opens in Istanbul")
    assert "۵/۱۳ · تاریخ‌ها" in dari(when) and "چه وقت؟" in when.plain_text
    [today] = [label for label in buttons_of(when) if label.startswith("📅")]
    assert re.fullmatch("📅 [۰-۹]{1,2} [\u0600-\u06ff]+ [۰-۹]{4} \\(امروز\\)", today), today
    (unread,) = await owner.says("sometime soon")
    assert lines_of(unread)[0].startswith("❌ در آن یک تاریخ یا بازهٔ روشن نیافتم؛")
    assert "I could not read" not in dari(unread) and "۵/۱۳ · تاریخ‌ها" in unread.plain_text
    (where,) = await owner.says("2026-11-06")
    assert "۶/۱۳ · مکان" in dari(where)
    [last_place] = [label for label in buttons_of(where) if label.startswith("📍")]
    assert last_place.endswith(f"{PDI} (مانند دور پیشین)")
    (status,) = await owner.says("Istanbul, Turkey")
    assert "گفتگوها به کجا رسیده است؟" in dari(status)
    assert {"جریان دارد", "پایان‌یافته", "⏭ بگذر"} <= set(buttons_of(status))
    (mediators,) = await owner.presses(status, buttons_of(status)["جریان دارد"])
    assert "میانجی کیست؟" in dari(mediators)
    (parties,) = await owner.says("Qatar, Turkey")
    assert "چه کسانی مذاکره می‌کنند؟" in dari(parties)
    (statements,) = await owner.presses(parties, buttons_of(parties)["⏭ بگذر"])
    assert "خواست‌ها و اظهارات، هر کدام در یک سطر" in dari(statements)
    (keyless,) = await owner.says("Pakistan wants a mechanism")
    text = dari(keyless)
    assert lines_of(keyless)[0].startswith("❌ هر سطر را با یکی از ")
    assert f"{isolated('demand:')}، {isolated('position:')}" in text
    assert "Start each line" not in text and "۱۰/۱۳ · خواست‌ها و اظهارات" in text
    (outcome,) = await owner.presses(keyless, buttons_of(keyless)["⏭ بگذر"])
    (source,) = await owner.presses(outcome, buttons_of(outcome)["⏭ بگذر"])
    (summary,) = await owner.presses(source, buttons_of(source)["⏭ بگذر"])
    assert "۱۳/۱۳ · خلاصه" in dari(summary)
    assert "خلاصه‌ای که مشترکان در پایان می‌خوانند؛ چند جمله." in summary.plain_text

    heading, preview = await owner.says("The third round opened in Istanbul.", replies=2)
    assert "👀 پیش‌نمایش · دور تازه — مشترکانی که انگلیسی می‌خوانند" in dari(heading)
    assert set(buttons_of(preview)) == {"✅ نشر", "✖️ لغو", "✏️ ویرایش", "🕒 زمان‌بندی"}
    assert "Third round opens in Istanbul" in preview.plain_text


async def test_a_dari_owner_keeps_and_discards_drafts_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for)
    await owner.says(ROUND_THREE, replies=2)
    await owner.says("/schedule in 2 hours")
    (topic,) = await owner.says("/post")
    await owner.presses(topic, next(iter(buttons_of(topic).values())))
    (again,) = await owner.says(f"/post {DEMO_SLUG}")
    assert lines_of(again)[0] == "پیش‌نویس در جریان شما کنار گذاشته شد؛ در /drafts هست."
    assert "۲/۱۳ · نوع" in dari(again)

    listing, scheduled = await owner.says("/drafts", replies=2)
    rows = lines_of(listing)
    assert rows[0] == "🗂 پیش‌نویس‌های ناتمام"
    slug = isolated(DEMO_SLUG)
    assert f"#۱ {slug} — در پرسش نوع، کنار گذاشته‌شده" in rows
    assert f"#۲ {slug} — در پرسش نوع، در جریان" in rows
    assert "Unfinished drafts" not in dari(listing) and "set aside" not in listing.plain_text
    assert set(buttons_of(listing)) == {
        "▶️ ادامهٔ #۱",
        "🗑 دور انداختن #۱",
        "▶️ ادامهٔ #۲",
        "🗑 دور انداختن #۲",
    }
    assert "🕒 زمان‌بندی‌شده" in dari(scheduled) and "• پست ۳ · دور تازه" in scheduled.plain_text

    (discarded,) = await owner.presses(listing, buttons_of(listing)["🗑 دور انداختن #۱"])
    assert dari(discarded) == f"{RTL}🗑 پیش‌نویس #۱ دور انداخته شد؛ چیزی نشر نشد."
    closed = await pressed(double, listing, buttons_of(listing)["▶️ ادامهٔ #۱"])
    assert closed.text == "آن پیش‌نویس پیش از این دور انداخته شده بود."
    (cancelled,) = await owner.says("/cancel")
    assert dari(cancelled) == f"{RTL}✖️ لغو شد؛ پیش‌نویس دور انداخته شد و چیزی نشر نشد."
    listing, _ = await owner.says("/drafts", replies=2)
    assert dari(listing) == f"{RTL}هیچ پیش‌نویس ناتمامی نیست. /post یکی را آغاز می‌کند."


async def test_a_dari_owner_manages_admins_and_reads_the_audit_log_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    owner = await dari_owner(double, bot_for)
    double.add_private_chat(STRANGER, "Stranger", language_code="fa")
    await owner.says(f"/addadmin {OTHER_ADMIN}")
    (listing,) = await owner.says("/admins")
    rows = lines_of(listing)
    assert rows[0] == "🛡 مدیران"
    assert rows[1] == f"• {isolated('Owner')} · {isolated(str(OWNER_ID))} — مالک"
    assert rows[2] == (
        f"• {isolated(str(OTHER_ADMIN))} (نامش تا وقتی به بات پیام ندهد دانسته نیست) — همهٔ موضوع‌ها"
    )
    assert "Admins" not in dari(listing) and "every topic" not in listing.plain_text
    other = isolated(str(OTHER_ADMIN))
    assert set(buttons_of(listing)) == {f"✖️ برداشتن {other}", f"🗂 موضوع‌ها: {other}"}

    await pressed(double, listing, buttons_of(listing)[f"🗂 موضوع‌ها: {other}"])
    topics = current(double, listing)
    assert f"🗂 موضوع‌هایی که {other} می‌تواند در آن‌ها نشر کند: همهٔ موضوع‌ها." in dari(topics)
    assert set(buttons_of(topics)) == {f"▫️ {isolated(DEMO_SLUG)}", "🌐 همهٔ موضوع‌ها", "➡️ بازگشت"}
    note = await pressed(double, listing, buttons_of(topics)[f"▫️ {isolated(DEMO_SLUG)}"])
    assert note.text == f"به {isolated(DEMO_SLUG)} محدود شد."
    limited = current(double, listing)
    assert f": تنها {isolated(DEMO_SLUG)}." in dari(limited)
    await pressed(double, listing, buttons_of(limited)["➡️ بازگشت"])
    assert f"— تنها {isolated(DEMO_SLUG)}" in dari(current(double, listing))
    remove = buttons_of(current(double, listing))[f"✖️ برداشتن {other}"]
    assert (await pressed(double, listing, remove)).text == f"{other} دیگر مدیر نیست."

    (refused,) = await Chatter(double, STRANGER, STRANGER).says("/audit")
    assert dari(refused) == f"{RTL}ببخشید، تنها مالکان می‌توانند دفتر ثبت کارها را بخوانند."
    async with reference_case.transaction() as session:
        for entry in range(10):
            await record_audit(session, 0, "import", f"entry {entry}")
    (audit,) = await owner.says("/audit")
    rows = lines_of(audit)
    assert rows[0] == "📒 دفتر ثبت کارها، تازه‌ترین در آغاز"
    assert "Audit log" not in dari(audit) and "newest first" not in audit.plain_text
    assert re.fullmatch(
        f"{FSI}[۰-۹]{{4}}-[۰-۹]{{2}}-[۰-۹]{{2}} [۰-۹]{{2}}:[۰-۹]{{2}}{PDI} خط فرمان · "
        f"{isolated('import')} · {isolated('entry 9')}",
        rows[1],
    ), rows[1]
    assert set(buttons_of(audit)) == {"کهنه‌تر ⬅️"}
    await pressed(double, audit, buttons_of(audit)["کهنه‌تر ⬅️"])
    assert "➡️ تازه‌تر" in buttons_of(current(double, audit))
    older = dari(current(double, audit))
    assert f"{isolated(str(STRANGER))} · {isolated('audit')} ⛔ رد شد" in older
    assert f"{isolated('removeadmin')} · {isolated(str(OTHER_ADMIN))}" in older

    (nothing,) = await owner.says("/audit no-such-talks")
    assert (
        dari(nothing)
        == f"{RTL}📒 دفتر ثبت کارها برای {isolated('no-such-talks')} هیچ یادداشتی ندارد."
    )
    (usage,) = await owner.says("/audit two words")
    assert "شیوهٔ کاربرد: /audit، یا /audit" in dari(usage, "slug")


async def test_a_dari_owner_reads_stats_and_failures_in_dari(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot
) -> None:
    double.add_private_chat(OWNER_ID, "Owner", language_code="fa")
    double.add_private_chat(BROKEN, "Broken chat")
    await subscribe_chat(reference_case, ChatRef(BROKEN, "private", None), DEMO_SLUG)
    double.fail_next(BROKEN, 100, status=500)
    preview = await preview_post(reference_case, OWNER_ID, DEMO_SLUG, ROUND_THREE)
    await publish_post(reference_case, preview.post_id, OWNER_ID)
    await bot_for(ROUNDWATCH_RETRY_FOR=0.1, ROUNDWATCH_RETRY_DELAY=0.05)
    # The reference case's two published rounds reach the new subscriber too.
    await wait_for_states(reference_case, Counter({"failed": 3}))
    owner = Chatter(double, OWNER_ID, OWNER_ID)

    (stats,) = await owner.says("/stats")
    rows = lines_of(stats)
    assert rows[0] == "📊 آمار رسانش"
    assert f"{isolated(DEMO_SLUG)}: ۱ مشترک · در انتظار ۰ · فرستاده ۰ · ناکام ۳ · رهاشده ۰" in rows
    assert "خلاصه‌ها: در انتظار ۰ · فرستادهٔ امروز ۰ · ۰ پست در انتظار در ۰ گفتگو" in rows
    assert "خلاصهٔ بعدی: چیزی در انتظار نیست" in rows
    assert any(re.fullmatch(f"آخرین بررسی: {FSI}۲۰[۰-۹-: ]+ UTC{PDI}", row) for row in rows), rows
    assert "Delivery stats" not in dari(stats) and "pending" not in stats.plain_text

    (failures,) = await owner.says("/failures")
    rows = lines_of(failures)
    assert rows[0] == "⚠️ رسانش‌های ناکام اخیر"
    failed = re.compile(
        f"• {isolated(DEMO_SLUG)} پست ([۱-۳]) ← {isolated(str(BROKEN))} \\([۰-۹]+ بار تلاش\\): "
        f"{FSI}[^{PDI}]+{PDI}"
    )
    posts = [failed.fullmatch(row) for row in rows[1:]]
    assert all(posts) and {post[1] for post in posts if post} == {"۱", "۲", "۳"}, rows
    assert "Recent failed" not in dari(failures) and "attempts" not in failures.plain_text

"""What readers and admins see, through the real Application against the Bot API double: kinds,
news-first alerts, what changed, /parties, card warnings and errors, and the wording."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.sandbox import BotApiDouble, SentMessage
from tests.conftest import OWNER_ID, Chatter, buttons_of

READER = 200

TORKHAM = f"""/post {DEMO_SLUG}
round: none
title: Pakistan says the Torkham crossing reopens
date: 2026-11-02
place: Torkham, Pakistan
announcement: Pakistan = the Torkham border crossing reopens to trade on Monday"""

ROUND_TWO_OUTCOME = f"""/post {DEMO_SLUG}
round: 2
status: concluded
outcome: no agreement = the talks ended without a joint statement"""

ROUND_THREE = f"""/post {DEMO_SLUG}
round: 3
title: Third round opens in Istanbul
date: 2026-11-06
place: Istanbul, Turkey
head: Pakistan = Asif Durrani (special envoy)
position: Pakistan = written guarantees first (2026-11-06)
claim: Pakistan = attacks continued during the talks
announcement: Pakistan = the delegation will stay two days"""


@pytest.fixture
def owner(double: BotApiDouble, app: Application) -> Chatter:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    return Chatter(double, OWNER_ID, OWNER_ID)


@pytest.fixture
def reader(double: BotApiDouble, app: Application) -> Chatter:
    double.add_private_chat(READER, first_name="Reader")
    return Chatter(double, READER, READER)


async def publish(owner: Chatter, card: str) -> tuple[list[SentMessage], str]:
    """Posts a card and presses Publish: the preview messages and the confirmation."""
    preview = await owner.says(card, replies=2)
    assert "Preview" in preview[0].plain_text, preview[0].plain_text
    (confirmation,) = await owner.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])
    return preview, confirmation.plain_text


async def reference_topic(owner: Chatter, reader: Chatter | None = None) -> None:
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    if reader is not None:
        await reader.says(f"/subscribe {DEMO_SLUG}")
    await publish(owner, ROUND_ONE_CARD)
    await publish(owner, ROUND_TWO_CARD)


async def next_alert(double: BotApiDouble, chat_id: int, marker: str) -> SentMessage:
    def found() -> list[SentMessage]:
        return [m for m in double.messages_to(chat_id) if m.plain_text.startswith(marker)]

    await double.wait_for(lambda: bool(found()), timeout=20)
    return found()[-1]


async def test_a_development_is_never_a_round(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner, reader)

    preview, confirmation = await publish(owner, TORKHAM)

    assert "Preview · Development" in preview[0].plain_text
    assert "Published — Development: Pakistan says the Torkham crossing reopens" in confirmation
    alert = (await next_alert(double, READER, "📣 Development")).plain_text
    assert "New round" not in alert and "Status" not in alert and "scheduled" not in alert
    assert "Previous round" not in alert
    history = (await reader.says(f"/history {DEMO_SLUG}"))[0].plain_text
    rounds, developments = history.split("📣 Developments")
    assert "Torkham" not in rounds and "Torkham" in developments
    card = (await reader.says(f"/start {DEMO_SLUG}"))[0].plain_text
    assert "2 rounds, 1 development recorded" in card
    latest = "\n".join(m.plain_text for m in await reader.says(f"/latest {DEMO_SLUG}"))
    assert latest.startswith("📌 Latest round · Pakistan–Taliban talks\nRound 2 · ")
    assert "📣 Latest development: Pakistan says the Torkham crossing reopens" in latest
    await publish(owner, ROUND_THREE)
    third = await next_alert(double, READER, "🆕 New round · Pakistan–Taliban talks\nRound 3")
    assert "Previous round: Round 2, Istanbul" in third.plain_text


async def test_a_round_update_says_what_changed_and_does_not_resend_the_card(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner, reader)

    await publish(owner, ROUND_TWO_OUTCOME)

    alert = (await next_alert(double, READER, "🤝 Outcome")).plain_text
    assert alert.split("\n")[:3] == [
        "🤝 Outcome · Pakistan–Taliban talks",
        "Round 2 · Second round of talks begins in Istanbul",
        "Status: ongoing → concluded · Outcome — no agreement: the talks ended without a joint "
        "statement",
    ]
    assert "opened a second round of talks in Istanbul on Saturday" not in alert
    assert "Haji Najib" not in alert
    assert "/latest pak-taliban-talks" in alert
    latest = "\n".join(m.plain_text for m in await reader.says(f"/latest {DEMO_SLUG}"))
    assert "Haji Najib" in latest and "no agreement" in latest


async def test_the_first_three_lines_of_a_new_round_say_what_happened(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner, reader)

    alert = await next_alert(double, READER, "🆕 New round · Pakistan–Taliban talks\nRound 2")

    assert alert.text.split("\n")[:3] == [
        "🆕 New round · <b>Pakistan–Taliban talks</b>",
        "<b>Round 2 · Second round of talks begins in Istanbul</b>",
        "<b>Status: ongoing</b>",
    ]
    assert "Since round 1: Place: Doha, Qatar → Istanbul, Turkey" in alert.plain_text


async def test_parties_show_the_latest_delegation_and_three_dated_statements(
    owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner)
    await publish(owner, ROUND_THREE)

    parties = "\n".join(m.plain_text for m in await reader.says(f"/parties {DEMO_SLUG}"))

    pakistan, taliban = parties.split("Taliban administration (Islamic Emirate)", 1)
    assert "Delegation in round 3: head: Asif Durrani (special envoy)" in pakistan
    assert "Delegation in round 2: head: Haji Najib" in taliban
    assert "• Position (round 3, 6 November 2026): written guarantees first" in pakistan
    assert pakistan.count("• ") == 3
    assert "1 more statement: /statements pak-taliban-talks Pakistan" in pakistan
    assert "• Position (round 1): no clear commitment was made" in taliban
    assert "23 October" not in taliban
    (listing,) = await reader.says(f"/statements {DEMO_SLUG} pakistan")
    assert "Demand (round 2, 23 October 2026, Tahir Hussain Andrabi)" in listing.plain_text
    assert listing.plain_text.count("• ") == 4
    (unknown,) = await reader.says(f"/statements {DEMO_SLUG} Afghanistan")
    assert "has no party called Afghanistan" in unknown.plain_text


async def test_the_preview_warns_of_a_new_party_and_the_closest_known_one(
    owner: Chatter,
) -> None:
    await reference_topic(owner)
    card = f"/post {DEMO_SLUG}\nround: 2\nhead: Taliban admin = Haji Najib\nhead: Afghanistan = X"

    preview = await owner.says(card, replies=2)

    heading = preview[0].plain_text
    assert heading.startswith("⚠️ 2 warnings — check before you publish:")
    assert "line 3: Taliban admin is new to this topic" in heading
    assert "(did you mean Taliban administration?)" in heading
    assert "line 4: Afghanistan is new to this topic" in heading
    assert "<code>Taliban admin</code>" in preview[0].text
    assert "✅ Publish" in buttons_of(preview[-1])


async def test_every_card_error_comes_in_one_pass_in_html(owner: Chatter) -> None:
    await reference_topic(owner)
    card = (
        f"/post {DEMO_SLUG}\nround: 3\nstatus: paused\n"
        "source: Reuters, talks, 20-11-2026, not-a-url\nsource: Reuters, http://["
    )

    (answer,) = await owner.says(card)

    assert "4 problems" in answer.plain_text
    for line in ("line 2: round 3 is new", "line 3:", "line 4:", "line 5:"):
        assert line in answer.plain_text, line
    assert "<code>title:</code>" in answer.text and "<code>20-11-2026</code>" in answer.text
    assert "`" not in answer.text
    (nope,) = await owner.says("/post nope")
    assert nope.text.startswith("There is no topic <code>nope</code>.")


async def test_a_statement_without_a_date_gets_none_and_titles_keep_single_quotes(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner, reader)
    card = (
        f"/post {DEMO_SLUG}\nround: 2\nclaim: Pakistan = attacks continued\n"
        "source: Reuters, “Talks stall”, 2026-10-26"
    )

    await publish(owner, card)

    alert = (await next_alert(double, READER, "🔄 Round update")).plain_text
    assert "➕ Claim, Pakistan: attacks continued" in alert
    assert "26 October" not in alert.split("Source:")[0]
    assert "Reuters, “Talks stall”, 26 October 2026" in alert
    assert "““" not in alert


async def test_later_parts_of_a_split_alert_say_which_part_and_topic(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await reader.says(f"/subscribe {DEMO_SLUG}")
    paragraphs = "\n\n".join(f"Paragraph {n}: " + "the talks went on " * 18 for n in range(10))
    demand = "a monitoring mechanism " * 40
    demands = "\n".join(f"demand: Pakistan = {n}: {demand}" for n in range(3))
    card = f"/post {DEMO_SLUG}\nround: 1\ntitle: Talks open\n{demands}\nsummary:\n{paragraphs}"

    preview = await owner.says(card, replies=3)
    await owner.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])
    second = await next_alert(double, READER, "🆕 New round · Pakistan–Taliban talks (2/2)")

    assert second.plain_text.startswith("🆕 New round · Pakistan–Taliban talks (2/2)\n\n")
    assert preview[2].text == second.text


async def test_wording_plurals_and_an_empty_latest(owner: Chatter, reader: Chatter) -> None:
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    await reader.says(f"/subscribe {DEMO_SLUG}")

    (latest,) = await reader.says(f"/latest {DEMO_SLUG}")
    assert latest.plain_text.startswith("Nothing has been published for Pakistan–Taliban talks")
    (stats,) = await owner.says("/stats")
    assert "1 subscriber ·" in stats.plain_text
    (help_text,) = await owner.says("/help")
    assert "`" not in help_text.text and "<code>key: value</code>" in help_text.text
    (topics,) = await reader.says("/topics")
    assert buttons_of(topics) == {f"🔕 Unfollow {DEMO_TITLE}": f"unsub:{DEMO_SLUG}"}


async def test_the_admin_can_override_the_kind_the_data_decides(
    double: BotApiDouble, owner: Chatter, reader: Chatter
) -> None:
    await reference_topic(owner, reader)
    card = f"/post {DEMO_SLUG}\nround: 2\nkind: development\nclaim: Pakistan = a drone strike"

    preview, confirmation = await publish(owner, card)

    assert "Preview · Development" in preview[0].plain_text
    assert "Published — Development: Round 2 · Second round" in confirmation
    alert = (await next_alert(double, READER, "📣 Development")).plain_text
    assert "➕ Claim, Pakistan: a drone strike" in alert
    (refused,) = await owner.says(f"/post {DEMO_SLUG}\nround: 2\nkind: new round\nstatus: ongoing")
    assert "line 3: round 2 already exists" in refused.plain_text

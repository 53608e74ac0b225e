"""The `/post` wizard: step by step through the real Application and the double, on a real
database; a restart in the middle loses nothing, `/drafts` resumes and discards, and only
admins reach any of it. The step logic is also checked on its own, without Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.app import build_application, running_bot
from bot.posting.card_grammar import parse_card
from bot.posting.demo_data import DEMO_SLUG, ROUND_TWO_CARD
from bot.posting.publish import preview_post, publish_post
from bot.posting.wizard import (
    AnswerProblem,
    TopicFacts,
    card_text,
    question,
    read_answer,
    step_of_line,
)
from bot.reading.language import ENGLISH
from bot.sandbox import BotApiDouble, CallbackAnswer, SentMessage
from storage.admins import add_admin
from storage.database import Database
from storage.models import ArticleDraft, AuditLog, Post, WizardDraft
from storage.states import WizardStep
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, make_settings
from tests.test_intake import prepare_topic

READER = 200
SECOND_ADMIN = 400
SUBSCRIBER = 300
TODAY = date(2026, 10, 25)


@pytest.fixture
def owner(double: BotApiDouble) -> Chatter:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    return Chatter(double, OWNER_ID, OWNER_ID)


@pytest.fixture
def reader(double: BotApiDouble) -> Chatter:
    double.add_private_chat(READER, first_name="Reader")
    return Chatter(double, READER, READER)


async def drafts(database: Database) -> list[WizardDraft]:
    async with database.session() as session:
        return list(await session.scalars(select(WizardDraft).order_by(WizardDraft.id)))


def button(message: SentMessage, starting: str) -> str:
    [data] = [data for label, data in buttons_of(message).items() if label.startswith(starting)]
    return data


def test_each_answer_becomes_card_lines_the_grammar_reads() -> None:
    assert read_answer(WizardStep.DATE, "18-19 October", TODAY) == ("date: 2026-10-18..2026-10-19",)
    assert read_answer(WizardStep.DATE, "2026-10-24", TODAY) == ("date: 2026-10-24",)
    assert read_answer(WizardStep.MEDIATORS, "Qatar, Turkey", TODAY) == (
        "mediators: Qatar; Turkey",
    )
    assert read_answer(
        WizardStep.PARTIES, "Pakistan, Taliban administration\nhead: Pakistan = Ishaq Dar", TODAY
    ) == ("parties: Pakistan; Taliban administration", "head: Pakistan = Ishaq Dar")
    assert read_answer(WizardStep.TOPIC, "Pak-Taliban-Talks", TODAY, [DEMO_SLUG]) == (DEMO_SLUG,)
    for step, text in [
        (WizardStep.DATE, "sometime soon"),
        (WizardStep.PLACE, "Istanbul,,Turkey"),
        (WizardStep.STATUS, "paused"),
        (WizardStep.STATEMENTS, "Pakistan wants a mechanism"),
        (WizardStep.SOURCE, "Reuters, 2026-13-01"),
        (WizardStep.TOPIC, "nope"),
        (WizardStep.TITLE, "   "),
    ]:
        with pytest.raises(AnswerProblem):
            read_answer(step, text, TODAY, [DEMO_SLUG])


def test_the_answers_make_one_card_and_each_line_names_its_question() -> None:
    answers = {
        WizardStep.ROUND: ["round: 2"],
        WizardStep.TITLE: ["title: Talks resume"],
        WizardStep.PARTIES: ["parties: A; B", "head: A = Someone"],
        WizardStep.SUMMARY: ["summary:", "Two lines", "of summary."],
    }
    text = card_text(DEMO_SLUG, answers)
    card = parse_card(text)
    assert (card.number, card.title, card.parties, card.summary) == (
        2,
        "Talks resume",
        ["A", "B"],
        "Two lines\nof summary.",
    )
    assert step_of_line(answers, 2) == WizardStep.ROUND
    assert step_of_line(answers, 5) == WizardStep.PARTIES
    assert step_of_line(answers, 6) == WizardStep.SUMMARY
    assert step_of_line(answers, 1) == WizardStep.ROUND


def test_questions_suggest_what_the_topic_and_the_day_suggest() -> None:
    facts = TopicFacts(latest_number=1, place="Doha, Qatar", mediators=("Qatar", "Turkey"))
    labels = lambda step, answers={}: [  # noqa: E731
        offer.label for offer in question(step, answers, facts, [], TODAY, ENGLISH).offers
    ]
    assert labels(WizardStep.ROUND)[0] == "Round 2 (next)"
    assert labels(WizardStep.ROUND, {WizardStep.KIND: ["kind: round update"]})[0] == (
        "Round 1 (latest)"
    )
    assert labels(WizardStep.DATE) == ["📅 25 Oct 2026 (today)"]
    assert labels(WizardStep.MEDIATORS) == ["🕊 Qatar; Turkey (as last round)"]
    assert labels(WizardStep.PLACE, {WizardStep.PLACE: ["place: Istanbul, Turkey"]}) == [
        "✔️ Keep it",
        "📍 Doha, Qatar (as last round)",
    ]
    assert not question(WizardStep.TOPIC, {}, facts, [], TODAY, ENGLISH).skippable


async def test_a_round_posted_with_the_wizard_survives_a_restart_and_reaches_subscribers(
    double: BotApiDouble, database: Database, database_url: str, owner: Chatter
) -> None:
    await prepare_topic(database)
    double.add_private_chat(SUBSCRIBER, first_name="Subscriber")
    subscriber = Chatter(double, SUBSCRIBER, SUBSCRIBER)
    settings = make_settings(double, database_url)
    async with running_bot(build_application(settings, database)):
        [subscribed] = await subscriber.says(f"/subscribe {DEMO_SLUG}")
        assert "Subscribed" in subscribed.plain_text
        [topic] = await owner.says("/post")
        assert "1/13 · Topic" in topic.plain_text
        [kind] = await owner.presses(topic, button(topic, "Pakistan–Taliban talks"))
        assert "2/13 · Kind" in kind.plain_text
        [number] = await owner.presses(kind, button(kind, "🆕 New round"))
        [headline] = await owner.presses(number, button(number, "Round 2 (next)"))
        assert "4/13 · Headline" in headline.plain_text
        [when] = await owner.says("Second round of talks begins in Istanbul")
        before = datetime.now(UTC).date()
        today_button = button(when, "📅")
        assert today_button.endswith(":0")
        assert any(
            f"{day:%d %b %Y} (today)" in label
            for label in buttons_of(when)
            for day in (before, datetime.now(UTC).date())
        )
        [where] = await owner.says("October 24, 2026")
        assert "Doha, Qatar (as last round)" in str(buttons_of(where))
        [status] = await owner.says("Istanbul, Turkey")
        assert "7/13 · Status" in status.plain_text
    [draft] = await drafts(database)
    assert (draft.step, draft.state) == ("status", "answering")
    assert draft.answers["date"] == ["date: 2026-10-24"]

    async with running_bot(build_application(settings, database)):
        [mediators] = await owner.says("ongoing")
        assert "8/13 · Mediators" in mediators.plain_text
        [_parties] = await owner.presses(mediators, button(mediators, "🕊 Qatar; Turkey"))
        [_statements] = await owner.says(
            "Pakistan; Taliban administration\n"
            "head: Taliban administration = Haji Najib (Deputy Minister of Interior)"
        )
        [problem] = await owner.says("Pakistan wants a verifiable mechanism")
        assert "Start each line with one of" in problem.plain_text
        assert "10/13 · Demands and statements" in problem.plain_text
        [outcome] = await owner.says(
            "demand: Pakistan = a verifiable mechanism to prevent attacks (2026-10-23)"
        )
        [_source] = await owner.presses(outcome, button(outcome, "⏭ Skip"))
        [summary] = await owner.says("Ministry of Foreign Affairs press conference, 2026-10-23")
        assert "13/13 · Summary" in summary.plain_text
        heading, preview = await owner.says(
            "Pakistan and the Taliban administration opened a second round of talks.", replies=2
        )
        assert "Preview" in heading.plain_text and "New round" in heading.plain_text
        assert set(buttons_of(preview)) == {"✅ Publish", "✖️ Cancel", "✏️ Edit", "🕒 Schedule"}
        assert "Haji Najib" in preview.plain_text
        [published] = await owner.presses(preview, buttons_of(preview)["✅ Publish"])
        assert "Published" in published.plain_text
        await double.wait_for(
            lambda: any("Istanbul" in m.plain_text for m in double.messages_to(SUBSCRIBER)),
            timeout=20,
        )
    [alert] = [m for m in double.messages_to(SUBSCRIBER) if "Istanbul" in m.plain_text]
    for fact in (
        "Round 2",
        "Second round of talks begins in Istanbul",
        "Istanbul, Turkey",
        "Qatar",
        "Haji Najib",
        "a verifiable mechanism to prevent attacks",
        "Ministry of Foreign Affairs press conference",
        "24 October 2026",
        "ongoing",
    ):
        assert fact in alert.plain_text, fact
    [draft] = await drafts(database)
    assert draft.state == "previewed"
    async with database.session() as session:
        post = await session.get(Post, draft.post_id)
        assert post is not None and post.state == "published"


async def test_drafts_resumes_a_set_aside_draft_after_a_restart_and_discards_another(
    double: BotApiDouble, database: Database, database_url: str, owner: Chatter
) -> None:
    await prepare_topic(database)
    async with database.transaction() as session:
        session.add(ArticleDraft(author_id=OWNER_ID, card_text="round: 2\ntitle: From a wire"))
    settings = make_settings(double, database_url)
    async with running_bot(build_application(settings, database)):
        [kind] = await owner.says(f"/post {DEMO_SLUG}")
        [number] = await owner.presses(kind, button(kind, "🔄 Round update"))
        assert next(iter(buttons_of(number))) == "Round 1 (latest)"
        [_headline] = await owner.presses(number, button(number, "Round 1 (latest)"))
        [second] = await owner.says(f"/post {DEMO_SLUG}")
        assert "set aside" in second.plain_text and "2/13 · Kind" in second.plain_text
    first, second_draft = await drafts(database)
    assert (first.state, first.step, second_draft.state) == ("set_aside", "title", "answering")

    async with running_bot(build_application(settings, database)):
        [listing] = await owner.says("/drafts")
        assert f"#{first.id}" in listing.plain_text and "From a wire" in listing.plain_text
        assert set(buttons_of(listing)) >= {
            f"▶️ Resume #{first.id}",
            f"🗑 Discard #{second_draft.id}",
        }
        [resumed] = await owner.presses(listing, buttons_of(listing)[f"▶️ Resume #{first.id}"])
        assert "4/13 · Headline" in resumed.plain_text
        [late] = await owner.presses(listing, buttons_of(listing)[f"🗑 Discard #{second_draft.id}"])
        assert f"Draft #{second_draft.id} discarded" in late.plain_text
        [when] = await owner.says("Doha talks extended")
        assert "5/13 · Dates" in when.plain_text
    first, second_draft = await drafts(database)
    assert (first.state, first.step) == ("answering", "date")
    assert first.answers["title"] == ["title: Doha talks extended"]
    assert second_draft.state == "discarded"


async def test_skip_back_and_cancel(
    bot_for: StartBot, database: Database, owner: Chatter, reader: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [kind] = await owner.says(f"/post {DEMO_SLUG}")
    [number] = await owner.presses(kind, button(kind, "⏭ Skip"))
    assert "3/13 · Round number" in number.plain_text
    [again] = await owner.says("/back")
    assert "2/13 · Kind" in again.plain_text
    [number] = await owner.presses(again, button(again, "📣 Development"))
    assert list(buttons_of(number)) == ["No number (development)", "⏭ Skip"]
    [headline] = await owner.presses(number, button(number, "No number"))
    [problem] = await owner.presses(headline, button(headline, "⏭ Skip"))
    assert "needs a" in problem.plain_text and "4/13 · Headline" in problem.plain_text
    [back_at_round] = await owner.says("/back")
    assert "Now:" in back_at_round.plain_text and "round: none" in back_at_round.plain_text
    [draft] = await drafts(database)
    assert draft.answers == {"kind": ["kind: development"], "round": ["round: none"]}
    [cancelled] = await owner.says("/cancel")
    assert "Cancelled" in cancelled.plain_text
    [draft] = await drafts(database)
    assert draft.state == "discarded"
    [after] = await owner.says("Istanbul, Turkey")
    assert "I answer commands" in after.plain_text
    [nothing] = await owner.says("/cancel")
    assert "I don't know /cancel" in nothing.plain_text
    await press_unanswered(owner, number, button(number, "⏭ Skip"))
    assert "already discarded" in (double_answers(owner)[-1].text or "")
    async with database.session() as session:
        assert list(await session.scalars(select(Post.state))) == ["published"]


def double_answers(chatter: Chatter) -> list[CallbackAnswer]:
    return list(chatter.double.callback_answers)


async def press_unanswered(
    chatter: Chatter, message: SentMessage, data: str, user_id: int | None = None
) -> None:
    """A press that sends no message: waits for the bot's answer to it."""
    before = len(double_answers(chatter))
    chatter.double.user_presses(chatter.chat_id, message.message_id, data, user_id=user_id)
    await chatter.double.wait_for(lambda: len(double_answers(chatter)) > before)


async def test_a_press_on_an_answered_question_changes_nothing(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [kind] = await owner.says(f"/post {DEMO_SLUG}")
    data = button(kind, "🆕 New round")
    [number] = await owner.presses(kind, data)
    await press_unanswered(owner, kind, data)
    assert double_answers(owner)[-1].text == "That question was already answered."
    [draft] = await drafts(database)
    assert draft.step == "round"
    [headline] = await owner.presses(number, button(number, "Round 2 (next)"))
    assert "4/13 · Headline" in headline.plain_text


async def test_a_reader_reaches_none_of_the_wizard(
    bot_for: StartBot, database: Database, owner: Chatter, reader: Chatter
) -> None:
    await prepare_topic(database)
    await bot_for()
    [refused] = await reader.says("/post")
    assert "only Roundwatch admins" in refused.plain_text
    [refused] = await reader.says("/drafts")
    assert "only Roundwatch admins" in refused.plain_text
    [kind] = await owner.says(f"/post {DEMO_SLUG}")
    [draft] = await drafts(database)
    for data in (button(kind, "🆕 New round"), f"wiz:{draft.id}:resume", f"wiz:{draft.id}:drop"):
        await press_unanswered(owner, kind, data, user_id=READER)
        assert double_answers(owner)[-1].text == "Only Roundwatch admins can do that."
    [still] = await drafts(database)
    assert (still.step, still.state, still.answers) == ("kind", "answering", {})
    [answer] = await reader.says("Istanbul, Turkey")
    assert "I answer commands" in answer.plain_text
    async with database.session() as session:
        refusals = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.user_id == READER, ~AuditLog.allowed)
            )
        )
    assert refusals.count("wizard-button") == 3 and "post" in refusals and "drafts" in refusals


async def test_a_card_the_preview_refuses_sends_the_admin_back_to_the_question_it_is_about(
    bot_for: StartBot, database: Database, owner: Chatter
) -> None:
    """Round 2 is published by someone else while this admin is still writing it as new."""
    await prepare_topic(database)
    await bot_for()
    [kind] = await owner.says(f"/post {DEMO_SLUG}")
    [number] = await owner.presses(kind, button(kind, "🆕 New round"))
    await owner.presses(number, button(number, "Round 2 (next)"))
    [asked] = await owner.says("Second round of talks begins in Istanbul")
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_TWO_CARD)
    await publish_post(database, preview.post_id, OWNER_ID)
    while "13/13 · Summary" not in asked.plain_text:
        [asked] = await owner.presses(asked, button(asked, "⏭ Skip"))
    [refused] = await owner.says("Talks opened in Istanbul.")
    assert "The card is not complete yet" in refused.plain_text
    assert "2. Kind: round 2 already exists" in refused.plain_text
    assert "2/13 · Kind" in refused.plain_text
    [draft] = await drafts(database)
    assert (draft.state, draft.step) == ("answering", "kind")
    [number] = await owner.presses(refused, button(refused, "🔄 Round update"))
    assert "✔️ Keep it" in buttons_of(number)


async def test_an_admin_lists_only_their_own_drafts_and_an_owner_everyone_s(
    bot_for: StartBot, double: BotApiDouble, database: Database, owner: Chatter
) -> None:
    await prepare_topic(database)
    async with database.transaction() as session:
        await add_admin(session, SECOND_ADMIN, OWNER_ID)
    double.add_private_chat(SECOND_ADMIN, first_name="Second")
    colleague = Chatter(double, SECOND_ADMIN, SECOND_ADMIN)
    await bot_for()
    await owner.says(f"/post {DEMO_SLUG}")
    await colleague.says(f"/post {DEMO_SLUG}")
    mine, theirs = await drafts(database)
    [own_list] = await colleague.says("/drafts")
    assert f"#{theirs.id}" in own_list.plain_text and f"#{mine.id} " not in own_list.plain_text
    [everyone] = await owner.says("/drafts")
    assert f"admin {SECOND_ADMIN}" in everyone.plain_text
    assert f"▶️ Resume #{theirs.id}" not in buttons_of(everyone)
    await press_unanswered(colleague, own_list, f"wiz:{mine.id}:drop")
    assert double_answers(colleague)[-1].text == "That draft no longer exists."
    [discarded] = await owner.presses(everyone, buttons_of(everyone)[f"🗑 Discard #{theirs.id}"])
    assert f"Draft #{theirs.id} discarded" in discarded.plain_text
    [closed] = await colleague.says("Istanbul, Turkey")
    assert "no draft in progress" in closed.plain_text
    assert [d.state for d in await drafts(database)] == ["answering", "discarded"]

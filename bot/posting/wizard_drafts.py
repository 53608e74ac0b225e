"""The service behind the `/post` wizard and `/drafts`: every answer is written to the draft's
row before the next question is asked, and the finished card goes through the same preview as
a typed `/post` (bot/posting/publish.py), so Publish is the only way anything reaches readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.posting.card_feedback import problem_text, with_code
from bot.posting.card_grammar import read_card
from bot.posting.card_review import review_card
from bot.posting.publish import DraftClosed, PostError, Preview, Value, preview_post
from bot.posting.wizard import (
    STEPS,
    AnswerProblem,
    Question,
    TopicFacts,
    card_text,
    next_step,
    previous_step,
    question,
    read_answer,
    step_of_line,
    step_title,
)
from bot.reading.language import N_, Translator
from storage.admins import record_audit
from storage.card import CardError
from storage.database import Database
from storage.models import WizardDraft, utc_now
from storage.round_views import latest_round, round_view
from storage.rounds import card_context
from storage.states import WizardState, WizardStep
from storage.topic_parties import active_topics_with_parties
from storage.topics import topic_by_slug
from storage.wizard_drafts import (
    UNFINISHED,
    answering_draft,
    create_wizard_draft,
    proposed_article_drafts,
    set_aside_answering,
    unfinished_wizard_drafts,
    wizard_draft_for_change,
)

SKIP = "skip"
_FINISHED_STATES = {
    WizardState.PREVIEWED: N_("turned into a preview"),
    WizardState.DISCARDED: N_("discarded"),
}


class WizardClosed(DraftClosed):
    """A press or answer for a draft or question that is no longer open; said in one line."""


@dataclass(frozen=True)
class WizardTurn:
    """What the admin reads next: a note (HTML) and either the next question or the preview."""

    draft_id: int
    question: Question | None
    preview: Preview | None = None
    note: str | None = None


@dataclass(frozen=True)
class WizardListing:
    draft_id: int
    author_id: int
    topic_slug: str | None
    step: WizardStep
    headline: str | None
    answering: bool


@dataclass(frozen=True)
class ArticleListing:
    draft_id: int
    author_id: int
    topic_slug: str | None
    headline: str


@dataclass(frozen=True)
class DraftListing:
    wizard: tuple[WizardListing, ...]
    articles: tuple[ArticleListing, ...]


async def start_wizard(
    database: Database, admin_id: int, chat_id: int, today: date, slug: str | None, t: Translator
) -> WizardTurn:
    """`slug` from `/post <slug>` answers the first question; a draft already in progress is
    set aside for /drafts rather than lost."""
    async with database.transaction() as session:
        if slug is not None and await topic_by_slug(session, slug) is None:
            raise PostError(
                N_("There is no topic `{slug}`. /topics lists them; /newtopic creates one."),
                slug=slug,
            )
        if slug is None and not await active_topics_with_parties(session):
            raise PostError(N_("There is no topic to post about yet; create one with /newtopic."))
        set_aside = await set_aside_answering(session, admin_id)
        first = WizardStep.KIND if slug is not None else WizardStep.TOPIC
        draft = await create_wizard_draft(session, admin_id, chat_id, slug, first)
        await record_audit(session, admin_id, "wizard-start", f"draft {draft.id}")
        asked = await _ask(session, draft, first, today, t)
    note = None
    if set_aside:
        note = t._("Your draft in progress is set aside; /drafts has it.")
    return WizardTurn(draft.id or 0, asked, note=note)


async def answer_wizard(
    database: Database, admin_id: int, today: date, text: str, t: Translator
) -> WizardTurn:
    """A typed answer to the question the admin's draft is on."""
    async with database.transaction() as session:
        draft = await answering_draft(session, admin_id)
        if draft is None:
            raise WizardClosed(
                N_("You have no draft in progress; /post starts one, /drafts lists yours.")
            )
        step = WizardStep(draft.step)
        slugs = [topic.slug for topic in await active_topics_with_parties(session)]
        try:
            lines: tuple[str, ...] | None = read_answer(step, text, today, slugs)
        except AnswerProblem as problem:
            return WizardTurn(
                draft.id or 0, await _ask(session, draft, step, today, t), note=problem.text(t)
            )
        asked, note = await _advance(session, draft, lines, today, t)
    return await _asked_or_finished(database, admin_id, draft, asked, today, note, t)


async def press_wizard(
    database: Database,
    admin_id: int,
    today: date,
    draft_id: int,
    step: str,
    choice: str,
    t: Translator,
) -> WizardTurn:
    """A button under a question: one of its offers by index, or Skip. A press for a question
    already answered, or for a draft that is closed or set aside, changes nothing."""
    async with database.transaction() as session:
        draft = _own(await wizard_draft_for_change(session, draft_id), admin_id)
        if draft.state == WizardState.SET_ASIDE:
            raise WizardClosed(N_("That draft is set aside; resume it from /drafts."))
        if draft.step != step:
            raise WizardClosed(N_("That question was already answered."))
        lines: tuple[str, ...] | None = None
        if choice == SKIP:
            if draft.step == WizardStep.TOPIC:
                raise WizardClosed(N_("The topic cannot be skipped; press one."))
        elif int(choice) < len(draft.offers):
            lines = tuple(draft.offers[int(choice)])
        else:
            raise WizardClosed(N_("That button no longer works; answer the question by typing."))
        asked, note = await _advance(session, draft, lines, today, t)
    return await _asked_or_finished(database, admin_id, draft, asked, today, note, t)


async def back_wizard(database: Database, admin_id: int, today: date, t: Translator) -> WizardTurn:
    async with database.transaction() as session:
        draft = await answering_draft(session, admin_id)
        if draft is None:
            raise WizardClosed(N_("You have no draft in progress; /post starts one."))
        step = WizardStep(draft.step)
        earlier = previous_step(step)
        note = None if earlier is not None else t._("This is the first question.")
        asked = await _ask(session, draft, earlier or step, today, t)
    return WizardTurn(draft.id or 0, asked, note=note)


async def cancel_wizard(database: Database, admin_id: int) -> bool:
    """Whether there was a draft in progress to discard."""
    async with database.transaction() as session:
        draft = await answering_draft(session, admin_id)
        if draft is None:
            return False
        draft.state, draft.updated_at = WizardState.DISCARDED, utc_now()
        await record_audit(session, admin_id, "wizard-cancel", f"draft {draft.id}")
    return True


async def resume_wizard(
    database: Database, admin_id: int, today: date, draft_id: int, t: Translator
) -> WizardTurn:
    async with database.transaction() as session:
        draft = _own(await wizard_draft_for_change(session, draft_id), admin_id)
        if draft.state != WizardState.ANSWERING:
            await set_aside_answering(session, admin_id)
            draft.state = WizardState.ANSWERING
        await record_audit(session, admin_id, "wizard-resume", f"draft {draft_id}")
        asked = await _ask(session, draft, WizardStep(draft.step), today, t)
    return WizardTurn(draft_id, asked)


async def discard_wizard_draft(
    database: Database, admin_id: int, draft_id: int, *, any_author: bool
) -> bool:
    """Whether the discarded draft was the one the admin was answering. Owners
    (`any_author`) may discard any admin's draft."""
    async with database.transaction() as session:
        draft = await wizard_draft_for_change(session, draft_id)
        if draft is None or (draft.author_id != admin_id and not any_author):
            raise WizardClosed(N_("That draft no longer exists."))
        if draft.state not in UNFINISHED:
            raise WizardClosed(
                N_("That draft was already {state}."), state=_state_words(draft.state)
            )
        was_answering = draft.state == WizardState.ANSWERING and draft.author_id == admin_id
        draft.state, draft.updated_at = WizardState.DISCARDED, utc_now()
        await record_audit(session, admin_id, "wizard-discard", f"draft {draft_id}")
    return was_answering


async def list_drafts(database: Database, admin_id: int, *, every_author: bool) -> DraftListing:
    """The admin's unfinished wizard drafts and article drafts; an owner's lists everyone's."""
    author = None if every_author else admin_id
    async with database.session() as session:
        wizard = await unfinished_wizard_drafts(session, author)
        articles = await proposed_article_drafts(session, author)
    return DraftListing(
        tuple(
            WizardListing(
                draft.id or 0,
                draft.author_id,
                draft.topic_slug,
                WizardStep(draft.step),
                _headline(draft.answers),
                draft.state == WizardState.ANSWERING,
            )
            for draft in wizard
        ),
        tuple(
            ArticleListing(
                draft.id or 0,
                draft.author_id,
                draft.topic_slug,
                _article_headline(draft.card_text),
            )
            for draft in articles
        ),
    )


def _own(draft: WizardDraft | None, admin_id: int) -> WizardDraft:
    if draft is None or draft.author_id != admin_id:
        raise WizardClosed(N_("That draft no longer exists."))
    if draft.state not in UNFINISHED:
        raise WizardClosed(N_("That draft was already {state}."), state=_state_words(draft.state))
    return draft


def _state_words(state: str) -> Value:
    """Said of a draft that is no longer unfinished."""
    words = _FINISHED_STATES[WizardState(state)]
    return lambda t: t._(words)


def _article_headline(card: str) -> str:
    """Its `title:` when the draft has one, else its first line."""
    lines = [line.strip() for line in card.splitlines() if line.strip()]
    titles = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("title:")]
    return titles[0] if titles else (lines[0] if lines else "")


def _headline(answers: dict[str, list[str]]) -> str | None:
    given = answers.get(WizardStep.TITLE)
    return given[0].split(":", 1)[1].strip() if given else None


async def _advance(
    session: AsyncSession,
    draft: WizardDraft,
    lines: tuple[str, ...] | None,
    today: date,
    t: Translator,
) -> tuple[Question | None, str | None]:
    """Records the answer (None: skipped) and asks the next question, or the same one again
    with a note on what does not fit; no question when the answers are complete and the card
    is to be previewed."""
    step = WizardStep(draft.step)
    if step == WizardStep.TOPIC:
        assert lines is not None
        draft.topic_slug = lines[0]
    else:
        answers = dict(draft.answers)
        if lines is None:
            answers.pop(step, None)
        else:
            answers[step] = list(lines)
        draft.answers = answers
    if step == WizardStep.TITLE and draft.topic_slug is not None:
        problems = await _target_problems(session, draft.topic_slug, draft.answers, t)
        if problems:
            return await _ask(session, draft, step, today, t), problems
    following = next_step(step)
    if following is None:
        draft.updated_at = utc_now()
        return None, None
    return await _ask(session, draft, following, today, t), None


async def _target_problems(
    session: AsyncSession, slug: str, answers: dict[str, list[str]], t: Translator
) -> str | None:
    """Once kind, round and headline are known, whether they fit the stored topic (a new round
    needs a headline, an update needs a round to update), so the admin hears it here rather
    than after the summary."""
    topic = await topic_by_slug(session, slug)
    if topic is None:
        return None
    card, problems = read_card(card_text(slug, answers))
    review = review_card(card, await card_context(session, topic.id or 0), problems)
    if not review.errors:
        return None
    return "\n".join("❌ " + with_code(problem_text(problem, t), t) for problem in review.errors)


async def _ask(
    session: AsyncSession, draft: WizardDraft, step: WizardStep, today: date, t: Translator
) -> Question:
    """Moves the draft to `step` and keeps what the question's buttons stand for."""
    topics = [(topic.slug, topic.title) for topic in await active_topics_with_parties(session)]
    facts = await _facts(session, draft.topic_slug)
    asked = question(step, draft.answers, facts, topics, today, t)
    draft.step = step
    draft.offers = [list(offer.lines) for offer in asked.offers]
    draft.updated_at = utc_now()
    await session.flush()
    return asked


async def _facts(session: AsyncSession, slug: str | None) -> TopicFacts:
    topic = await topic_by_slug(session, slug) if slug is not None else None
    if topic is None:
        return TopicFacts()
    latest = await latest_round(session, topic.id or 0)
    if latest is None:
        return TopicFacts()
    view = await round_view(session, topic, latest)
    place = ", ".join(
        part for part in (view.place.venue, view.place.city, view.place.country) if part
    )
    return TopicFacts(
        latest_number=latest.number,
        place=place or None,
        mediators=view.mediators,
        parties=tuple(party.name for party in view.parties),
    )


async def _asked_or_finished(
    database: Database,
    admin_id: int,
    draft: WizardDraft,
    asked: Question | None,
    today: date,
    note: str | None,
    t: Translator,
) -> WizardTurn:
    """After the last answer the card goes to the normal preview. A card the preview refuses
    sends the admin back to the question the first problem is about, with every problem."""
    if asked is not None:
        return WizardTurn(draft.id or 0, asked, note=note)
    draft_id, answers, slug = draft.id or 0, dict(draft.answers), draft.topic_slug
    assert slug is not None
    try:
        preview = await preview_post(database, admin_id, slug, card_text(slug, answers))
    except CardError as error:
        return await _send_back(database, admin_id, draft_id, today, error, t)
    except PostError as error:
        return await _send_back(database, admin_id, draft_id, today, error, t, WizardStep.TOPIC)
    async with database.transaction() as session:
        row = _own(await wizard_draft_for_change(session, draft_id), admin_id)
        row.state, row.post_id, row.updated_at = WizardState.PREVIEWED, preview.post_id, utc_now()
        await record_audit(session, admin_id, "wizard-preview", f"draft {draft_id}")
    return WizardTurn(draft_id, None, preview=preview)


async def _send_back(
    database: Database,
    admin_id: int,
    draft_id: int,
    today: date,
    error: PostError | CardError,
    t: Translator,
    step: WizardStep | None = None,
) -> WizardTurn:
    async with database.transaction() as session:
        row = _own(await wizard_draft_for_change(session, draft_id), admin_id)
        if isinstance(error, CardError):
            note = _labelled_problems(row.answers, error, t)
            step = step_of_line(row.answers, error.problems[0].line)
        else:
            note = "❌ " + with_code(error.text(t), t)
        assert step is not None
        asked = await _ask(session, row, step, today, t)
    return WizardTurn(draft_id, asked, note=note)


def _labelled_problems(answers: dict[str, list[str]], error: CardError, t: Translator) -> str:
    """The preview's problems named by the question that gave the line, not a line number the
    admin never saw."""
    parts: list[str] = []
    for problem in error.problems:
        step = step_of_line(answers, problem.line)
        number = t.number(STEPS.index(step) + 1)
        problem_written = with_code(problem_text(problem, t), t)
        parts.append(f"{number}. {t._(step_title(step))}: {problem_written}")
    return t._("❌ The card is not complete yet:") + "\n" + "\n".join(parts)

"""The `/post` wizard's steps as plain functions: what each question asks and suggests, how a
typed answer becomes card lines, and how the answers become the card that goes to the normal
preview. Every answer is checked by the card grammar as it is given, so a mistake is heard
about at its own question; the whole card is checked again by the preview."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.intake.dates import find_dates
from bot.posting.card_feedback import with_code
from bot.posting.card_grammar import read_card
from storage.card import MEMBER_ROLES, ROUND_STATUSES, STATEMENT_KINDS, CardProblem
from storage.states import WizardStep

STEPS: tuple[WizardStep, ...] = tuple(WizardStep)
LONGEST_LABEL = 60
MAX_TOPIC_BUTTONS = 20

_KEYED_LINE = re.compile(r"([A-Za-z][A-Za-z _-]{0,29}?)\s*:(.*)", re.DOTALL)
_PARTY_KEYS: dict[str, str] = {"parties": "parties", "party": "parties", "alias": "alias"} | {
    str(role): str(role) for role in MEMBER_ROLES
}
_STATEMENT_KEYS: dict[str, str] = {str(kind): str(kind) for kind in STATEMENT_KINDS}
_TITLES = {
    WizardStep.TOPIC: "Topic",
    WizardStep.KIND: "Kind",
    WizardStep.ROUND: "Round number",
    WizardStep.TITLE: "Headline",
    WizardStep.DATE: "Dates",
    WizardStep.PLACE: "Place",
    WizardStep.STATUS: "Status",
    WizardStep.MEDIATORS: "Mediators",
    WizardStep.PARTIES: "Parties and delegations",
    WizardStep.STATEMENTS: "Demands and statements",
    WizardStep.OUTCOME: "Outcome",
    WizardStep.SOURCE: "Source",
    WizardStep.SUMMARY: "Summary",
}
_ASKS = {
    WizardStep.TOPIC: "Which topic is it about? Press one, or type its slug.",
    WizardStep.KIND: "What is it? Skip to let the facts decide.",
    WizardStep.ROUND: "Which round? Type its number, or <code>none</code> for a development.",
    WizardStep.TITLE: "The headline, e.g. <code>Second round of talks begins in Istanbul</code>. "
    "A new round or development needs one; an update does not.",
    WizardStep.DATE: "When? <code>2026-10-24</code>, <code>24 October</code>, "
    "<code>18-19 October</code> or <code>2026-10-18..2026-10-19</code>.",
    WizardStep.PLACE: "Where? <code>City, Country</code> or <code>Venue, City, Country</code>.",
    WizardStep.STATUS: "Where do the talks stand?",
    WizardStep.MEDIATORS: "Who mediates? Names separated by <code>;</code> or commas.",
    WizardStep.PARTIES: "Who negotiates? The parties on the first line (<code>Pakistan; "
    "Taliban administration</code>), then any delegation lines: <code>head: Pakistan = "
    "Name (Title)</code>, <code>member: …</code>, <code>spokesperson: …</code>.",
    WizardStep.STATEMENTS: "Demands and statements, one a line: <code>demand: Pakistan = …"
    "</code>, <code>position: …</code>, <code>claim: …</code>, <code>announcement: …</code> "
    "(a trailing <code>(2026-10-23)</code> dates it).",
    WizardStep.OUTCOME: "The outcome: <code>ceasefire = both sides agreed …</code> or just the "
    "text.",
    WizardStep.SOURCE: "The source, one a line: <code>Publisher, title, 2026-10-24, "
    "https://…</code> (title, date and link optional).",
    WizardStep.SUMMARY: "The summary subscribers read last; a few sentences.",
}
_KIND_OFFERS = (
    ("🆕 New round", "new round"),
    ("🔄 Round update", "round update"),
    ("📣 Development", "development"),
    ("🏁 Outcome", "outcome"),
)


class AnswerProblem(Exception):
    """An answer the card grammar cannot read; the message is HTML, ready for the admin."""


@dataclass(frozen=True)
class Offer:
    """A button: its label and the card lines (for the topic step, the slug) it answers with."""

    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TopicFacts:
    """What the stored topic suggests: its latest round's number, place, mediators, parties."""

    latest_number: int | None = None
    place: str | None = None
    mediators: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    step: WizardStep
    text: str  # HTML
    offers: tuple[Offer, ...]
    skippable: bool


def step_title(step: WizardStep) -> str:
    return _TITLES[step]


def next_step(step: WizardStep) -> WizardStep | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: WizardStep) -> WizardStep | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def question(
    step: WizardStep,
    answers: Mapping[str, Sequence[str]],
    facts: TopicFacts,
    topics: Sequence[tuple[str, str]],
    today: date,
) -> Question:
    """`topics` are (slug, title) pairs; `today` is the date of the admin's message."""
    number = STEPS.index(step) + 1
    lines = [f"📝 <b>{number}/{len(STEPS)} · {_TITLES[step]}</b>", _ASKS[step]]
    given = answers.get(step, ())
    if given:
        shown = html.escape("\n".join(given))
        lines.append(f"Now:\n<pre>{shown}</pre>")
    lines.append("<i>/back for the previous question, /cancel to stop.</i>")
    offers = _offers(step, answers, facts, topics, today)
    if given and step != WizardStep.TOPIC:
        offers = (Offer("✔️ Keep it", tuple(given)), *offers)
    return Question(step, "\n".join(lines), offers, skippable=step != WizardStep.TOPIC)


def _offers(
    step: WizardStep,
    answers: Mapping[str, Sequence[str]],
    facts: TopicFacts,
    topics: Sequence[tuple[str, str]],
    today: date,
) -> tuple[Offer, ...]:
    match step:
        case WizardStep.TOPIC:
            return tuple(
                Offer(_label(f"{title} ({slug})"), (slug,))
                for slug, title in topics[:MAX_TOPIC_BUTTONS]
            )
        case WizardStep.KIND:
            return tuple(Offer(label, (f"kind: {kind}",)) for label, kind in _KIND_OFFERS)
        case WizardStep.ROUND:
            return _round_offers(answers, facts)
        case WizardStep.DATE:
            return (Offer(f"📅 {today:%d %b %Y} (today)", (f"date: {today.isoformat()}",)),)
        case WizardStep.PLACE if facts.place:
            return (Offer(_label(f"📍 {facts.place} (as last round)"), (f"place: {facts.place}",)),)
        case WizardStep.STATUS:
            return tuple(
                Offer(status.capitalize(), (f"status: {status}",)) for status in ROUND_STATUSES
            )
        case WizardStep.MEDIATORS if facts.mediators:
            names = "; ".join(facts.mediators)
            return (Offer(_label(f"🕊 {names} (as last round)"), (f"mediators: {names}",)),)
        case WizardStep.PARTIES if facts.parties:
            names = "; ".join(facts.parties)
            return (Offer(_label(f"👥 {names} (as last round)"), (f"parties: {names}",)),)
    return ()


def _round_offers(answers: Mapping[str, Sequence[str]], facts: TopicFacts) -> tuple[Offer, ...]:
    following = (facts.latest_number or 0) + 1
    next_round = Offer(f"Round {following} (next)", (f"round: {following}",))
    no_number = Offer("No number (development)", ("round: none",))
    latest = facts.latest_number
    kind = " ".join(answers.get(WizardStep.KIND, ()))
    if latest is not None and ("update" in kind or "outcome" in kind):
        return (Offer(f"Round {latest} (latest)", (f"round: {latest}",)), next_round)
    if "development" in kind:
        return (no_number,)
    offers = [next_round]
    if latest is not None:
        offers.append(Offer(f"Round {latest} (latest)", (f"round: {latest}",)))
    return (*offers, no_number)


def _label(text: str) -> str:
    return text if len(text) <= LONGEST_LABEL else text[: LONGEST_LABEL - 1] + "…"


def read_answer(
    step: WizardStep, text: str, today: date, slugs: Sequence[str] = ()
) -> tuple[str, ...]:
    """The card lines a typed answer gives (for the topic step, the slug), or AnswerProblem."""
    text = text.strip()
    if not text:
        raise AnswerProblem("That answer is empty; type it, or press Skip.")
    match step:
        case WizardStep.TOPIC:
            slug = text.lower()
            if slug not in slugs:
                raise AnswerProblem(
                    f"There is no topic <code>{html.escape(slug[:40])}</code>; press one of the "
                    "buttons, or create it with /newtopic first."
                )
            return (slug,)
        case WizardStep.DATE:
            lines: tuple[str, ...] = (_date_line(text, today),)
        case WizardStep.MEDIATORS:
            lines = (f"mediators: {_names(text)}",)
        case WizardStep.PARTIES:
            lines = _keyed_lines(text, _PARTY_KEYS, default="parties")
        case WizardStep.STATEMENTS:
            lines = _keyed_lines(text, _STATEMENT_KEYS, default=None)
        case WizardStep.SOURCE:
            lines = tuple(f"source: {line.strip()}" for line in text.splitlines() if line.strip())
        case WizardStep.SUMMARY:
            lines = ("summary:", *text.splitlines())
        case _:
            lines = (f"{step.value}: {' '.join(text.split())}",)
    _check(lines)
    return lines


def _check(lines: Sequence[str]) -> None:
    _, problems = read_card("\n".join(lines))
    if problems:
        raise AnswerProblem(problems_text(problems, several=len(lines) > 1))


def problems_text(problems: Sequence[CardProblem], *, several: bool) -> str:
    return "❌ " + "\n".join(
        (f"line {problem.line}: " if several else "") + with_code(problem.message)
        for problem in problems
    )


def _date_line(text: str, today: date) -> str:
    """The card's own `YYYY-MM-DD` and `..` range first; then the shapes news writes, with a
    missing year taken as the one nearest the message."""
    card_line = f"date: {text}"
    _, problems = read_card(card_line)
    if not problems:
        return card_line
    mentions = find_dates(text, today)
    if len(mentions) != 1:
        raise AnswerProblem(
            "❌ I could not read one date or range there; write e.g. <code>2026-10-24</code>, "
            "<code>24 October</code> or <code>18-19 October</code>."
        )
    [mention] = mentions
    if mention.end is None:
        return f"date: {mention.start.isoformat()}"
    return f"date: {mention.start.isoformat()}..{mention.end.isoformat()}"


def _names(text: str) -> str:
    """A phone keyboard reaches a comma sooner than a semicolon; both separate names."""
    return "; ".join(name.strip() for name in re.split(r"[;,\n]", text) if name.strip())


def _keyed_lines(text: str, keys: Mapping[str, str], default: str | None) -> tuple[str, ...]:
    """Lines starting with one of this step's keys are card lines as they are; a line without
    one is the `default` key's value, or a problem when the step has none."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        keyed = _KEYED_LINE.fullmatch(line)
        key = keys.get(keyed[1].strip().lower()) if keyed else None
        if key is not None and keyed is not None:
            value = keyed[2].strip()
            lines.append(f"{key}: {_names(value) if key == 'parties' else value}")
        elif default is not None:
            lines.append(f"{default}: {_names(line) if default == 'parties' else line}")
        else:
            listed = ", ".join(f"<code>{key}:</code>" for key in dict.fromkeys(keys.values()))
            raise AnswerProblem(
                f"❌ Start each line with one of {listed}, e.g. <code>demand: Pakistan = a "
                "verifiable mechanism</code>."
            )
    return tuple(lines)


def card_text(slug: str, answers: Mapping[str, Sequence[str]]) -> str:
    """The card the answers make, in the grammar `/post` reads, summary last."""
    lines = [f"/post {slug}"]
    for step in STEPS[1:]:
        lines.extend(answers.get(step, ()))
    return "\n".join(lines)


def step_of_line(answers: Mapping[str, Sequence[str]], line: int) -> WizardStep:
    """The question that gave a card line; the card's first line (problems about what the card
    is: a new round without a headline, a kind the facts contradict) belongs to the round."""
    at = 1
    for step in STEPS[1:]:
        at += len(answers.get(step, ()))
        if line <= at and line > 1:
            return step
    return WizardStep.ROUND

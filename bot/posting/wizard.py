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
from bot.posting.card_feedback import problem_text, with_code
from bot.posting.card_grammar import read_card
from bot.posting.publish import Value
from bot.reading.language import N_, Translator
from bot.reading.phrasing import format_day, format_status
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
    WizardStep.TOPIC: N_("Topic"),
    WizardStep.KIND: N_("Kind"),
    WizardStep.ROUND: N_("Round number"),
    WizardStep.TITLE: N_("Headline"),
    WizardStep.DATE: N_("Dates"),
    WizardStep.PLACE: N_("Place"),
    WizardStep.STATUS: N_("Status"),
    WizardStep.MEDIATORS: N_("Mediators"),
    WizardStep.PARTIES: N_("Parties and delegations"),
    WizardStep.STATEMENTS: N_("Demands and statements"),
    WizardStep.OUTCOME: N_("Outcome"),
    WizardStep.SOURCE: N_("Source"),
    WizardStep.SUMMARY: N_("Summary"),
}
# Card syntax and examples are between backticks: they stay as typed, in <code>, isolated.
_ASKS = {
    WizardStep.TOPIC: N_("Which topic is it about? Press one, or type its slug."),
    WizardStep.KIND: N_("What is it? Skip to let the facts decide."),
    WizardStep.ROUND: N_("Which round? Type its number, or `none` for a development."),
    WizardStep.TITLE: N_(
        "The headline, e.g. `Second round of talks begins in Istanbul`. A new round or "
        "development needs one; an update does not."
    ),
    WizardStep.DATE: N_(
        "When? `2026-10-24`, `24 October`, `18-19 October` or `2026-10-18..2026-10-19`."
    ),
    WizardStep.PLACE: N_("Where? `City, Country` or `Venue, City, Country`."),
    WizardStep.STATUS: N_("Where do the talks stand?"),
    WizardStep.MEDIATORS: N_("Who mediates? Names separated by `;` or commas."),
    WizardStep.PARTIES: N_(
        "Who negotiates? The parties on the first line (`Pakistan; Taliban administration`), "
        "then any delegation lines: `head: Pakistan = Name (Title)`, `member: …`, "
        "`spokesperson: …`."
    ),
    WizardStep.STATEMENTS: N_(
        "Demands and statements, one a line: `demand: Pakistan = …`, `position: …`, "
        "`claim: …`, `announcement: …` (a trailing `(2026-10-23)` dates it)."
    ),
    WizardStep.OUTCOME: N_("The outcome: `ceasefire = both sides agreed …` or just the text."),
    WizardStep.SOURCE: N_(
        "The source, one a line: `Publisher, title, 2026-10-24, https://…` (title, date and "
        "link optional)."
    ),
    WizardStep.SUMMARY: N_("The summary subscribers read last; a few sentences."),
}
_KIND_OFFERS = (
    (N_("🆕 New round"), "new round"),
    (N_("🔄 Round update"), "round update"),
    (N_("📣 Development"), "development"),
    (N_("🏁 Outcome"), "outcome"),
)


class AnswerProblem(Exception):
    """An answer the card grammar cannot read: the card's problems, or one message of this
    module (English, the catalogue's key) with the typed values it names."""

    def __init__(
        self, message: str = "", problems: Sequence[CardProblem] = (), **values: Value
    ) -> None:
        self.message = message
        self.problems = tuple(problems)
        self.values = values
        super().__init__(message or "; ".join(problem.message for problem in problems))

    def text(self, t: Translator) -> str:
        """HTML for the admin, in the admin's language."""
        if self.problems:
            return problems_text(self.problems, t, several=len(self.problems) > 1)
        written = {
            name: value(t) if callable(value) else value for name, value in self.values.items()
        }
        return "❌ " + with_code(t._(self.message).format(**written), t)


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
    """English, the catalogue's key: translated where it is shown."""
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
    t: Translator,
) -> Question:
    """`topics` are (slug, title) pairs; `today` is the date of the admin's message. The
    answers shown are card lines as typed, so their lines get no right-to-left mark."""
    number = f"{t.number(STEPS.index(step) + 1)}/{t.number(len(STEPS))}"
    heading = f"📝 <b>{number} · {t._(_TITLES[step])}</b>\n{with_code(t._(_ASKS[step]), t)}"
    lines = [t.directed(heading)]
    given = answers.get(step, ())
    if given:
        shown = html.escape("\n".join(given))
        lines.append(t.directed(t._("Now:")) + f"\n<pre>{shown}</pre>")
    back = "<i>" + t._("/back for the previous question, /cancel to stop.") + "</i>"
    lines.append(t.directed(back))
    offers = _offers(step, answers, facts, topics, today, t)
    if given and step != WizardStep.TOPIC:
        offers = (Offer(t._("✔️ Keep it"), tuple(given)), *offers)
    return Question(step, "\n".join(lines), offers, skippable=step != WizardStep.TOPIC)


def _offers(
    step: WizardStep,
    answers: Mapping[str, Sequence[str]],
    facts: TopicFacts,
    topics: Sequence[tuple[str, str]],
    today: date,
    t: Translator,
) -> tuple[Offer, ...]:
    match step:
        case WizardStep.TOPIC:
            return tuple(
                Offer(_label("{fact} ({slug})", title, t, slug=slug), (slug,))
                for slug, title in topics[:MAX_TOPIC_BUTTONS]
            )
        case WizardStep.KIND:
            return tuple(Offer(t._(label), (f"kind: {kind}",)) for label, kind in _KIND_OFFERS)
        case WizardStep.ROUND:
            return _round_offers(answers, facts, t)
        case WizardStep.DATE:
            day = format_day(today, t) if t.right_to_left else f"{today:%d %b %Y}"
            label = t._("📅 {day} (today)").format(day=day)
            return (Offer(label, (f"date: {today.isoformat()}",)),)
        case WizardStep.PLACE if facts.place:
            label = _label(t._("📍 {fact} (as last round)"), facts.place, t)
            return (Offer(label, (f"place: {facts.place}",)),)
        case WizardStep.STATUS:
            return tuple(
                Offer((format_status(status, t) or status).capitalize(), (f"status: {status}",))
                for status in ROUND_STATUSES
            )
        case WizardStep.MEDIATORS if facts.mediators:
            names = "; ".join(facts.mediators)
            label = _label(t._("🕊 {fact} (as last round)"), names, t)
            return (Offer(label, (f"mediators: {names}",)),)
        case WizardStep.PARTIES if facts.parties:
            names = "; ".join(facts.parties)
            label = _label(t._("👥 {fact} (as last round)"), names, t)
            return (Offer(label, (f"parties: {names}",)),)
    return ()


def _round_offers(
    answers: Mapping[str, Sequence[str]], facts: TopicFacts, t: Translator
) -> tuple[Offer, ...]:
    following = (facts.latest_number or 0) + 1
    next_label = t._("Round {number} (next)").format(number=t.number(following))
    next_round = Offer(next_label, (f"round: {following}",))
    no_number = Offer(t._("No number (development)"), ("round: none",))
    latest = facts.latest_number
    kind = " ".join(answers.get(WizardStep.KIND, ()))
    if latest is not None:
        latest_label = t._("Round {number} (latest)").format(number=t.number(latest))
        latest_round = Offer(latest_label, (f"round: {latest}",))
    if latest is not None and ("update" in kind or "outcome" in kind):
        return (latest_round, next_round)
    if "development" in kind:
        return (no_number,)
    offers = [next_round]
    if latest is not None:
        offers.append(latest_round)
    return (*offers, no_number)


def _label(template: str, fact: str, t: Translator, **values: str) -> str:
    """A button naming a stored fact: the fact is shortened so the label stays short, and
    isolated so a Persian label keeps its order."""
    room = LONGEST_LABEL - len(template.format(fact="", **values))
    short = fact if len(fact) <= room else fact[: max(room - 1, 1)] + "…"
    isolated = {name: t.isolate(value) for name, value in values.items()}
    return template.format(fact=t.isolate(short), **isolated)


def read_answer(
    step: WizardStep, text: str, today: date, slugs: Sequence[str] = ()
) -> tuple[str, ...]:
    """The card lines a typed answer gives (for the topic step, the slug), or AnswerProblem."""
    text = text.strip()
    if not text:
        raise AnswerProblem(N_("That answer is empty; type it, or press Skip."))
    match step:
        case WizardStep.TOPIC:
            slug = text.lower()
            if slug not in slugs:
                raise AnswerProblem(
                    N_(
                        "There is no topic `{slug}`; press one of the buttons, or create it "
                        "with /newtopic first."
                    ),
                    slug=slug[:40].replace("`", "'"),
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
        raise AnswerProblem(problems=problems)


def problems_text(problems: Sequence[CardProblem], t: Translator, *, several: bool) -> str:
    """`several`: the answer gave several card lines, so each problem names its line."""
    written = [with_code(problem_text(problem, t), t) for problem in problems]
    if several:
        written = [
            t._("line {line}: {problem}").format(line=t.number(problem.line), problem=text)
            for problem, text in zip(problems, written, strict=True)
        ]
    return "❌ " + "\n".join(written)


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
            N_(
                "I could not read one date or range there; write e.g. `2026-10-24`, "
                "`24 October` or `18-19 October`."
            )
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
            listed = [f"`{key}:`" for key in dict.fromkeys(keys.values())]
            raise AnswerProblem(
                N_(
                    "Start each line with one of {keys}, e.g. "
                    "`demand: Pakistan = a verifiable mechanism`."
                ),
                keys=_listed(listed),
            )
    return tuple(lines)


def _listed(parts: Sequence[str]) -> Value:
    return lambda t: t._(", ").join(parts)


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

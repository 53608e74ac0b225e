"""Checking a card against the topic as stored, before anything is previewed.

Errors block the preview; warnings are shown beside it, because a skipped round number or a
new party is sometimes exactly what the admin means. Both come with the parser's problems in
one answer, so the admin fixes the whole card in one edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.posting.card_grammar import quoted
from bot.reading.language import N_
from storage.card import CardContext, CardProblem, KnownRound, RoundCard

CLOSE_ENOUGH = 75
KNOWN_PARTIES_LISTED = 6


@dataclass(frozen=True)
class CardReview:
    errors: list[CardProblem]
    warnings: list[CardProblem]


def review_card(
    card: RoundCard, context: CardContext, problems: Sequence[CardProblem] = ()
) -> CardReview:
    """`problems` are the parser's: a check that depends on a line the parser could not read
    is skipped, since its value is unknown."""
    if not card.key_lines:
        return CardReview([], [])
    unreadable = {problem.line for problem in problems}
    errors: list[CardProblem] = []
    warnings: list[CardProblem] = []
    if card.line_of("round") not in unreadable or "round" not in card.key_lines:
        errors.extend(_target_errors(card, context))
        warnings.extend(_numbering_warnings(card, context, unreadable))
    warnings.extend(_new_party_warnings(card, context))
    return CardReview(errors, warnings)


def _target(card: RoundCard, context: CardContext) -> tuple[KnownRound | None, bool]:
    """The stored round the card updates, and whether it records something new; the same rule
    as `storage.rounds.card_target`, on the context instead of the database."""
    if card.number is not None:
        existing = context.round_numbered(card.number)
        return existing, existing is None
    if card.number_given or card.title is not None:
        return None, True
    numbered = [known for known in context.rounds if known.number is not None]
    return (numbered[-1] if numbered else None), False


def _target_errors(card: RoundCard, context: CardContext) -> list[CardProblem]:
    existing, is_new = _target(card, context)
    line = card.line_of("round")
    if existing is None and not is_new:
        return [
            CardProblem.of(1, N_("this topic has no round yet; add `round:` and `title:` lines"))
        ]
    errors = []
    if is_new and card.title is None and card.number is not None:
        errors.append(CardProblem.of(
            line, N_("round {number} is new to this topic, so it needs a `title:` line"),
            number=card.number,
        ))  # fmt: skip
    elif is_new and card.title is None:
        errors.append(CardProblem.of(
            line, N_("a development is new to this topic, so it needs a `title:` line")
        ))  # fmt: skip
    kind_line = card.line_of("kind")
    if card.kind == "new_round" and not is_new:
        errors.append(CardProblem.of(kind_line, N_("round {number} already exists; it can only "
                                                   "be updated (leave out `kind:`)"),
                                     number=card.number or 0))  # fmt: skip
    if card.kind in ("round_update", "outcome") and is_new:
        errors.append(CardProblem.of(kind_line, N_("this card records something new, not an "
                                                   "update (leave out `kind:`)")))  # fmt: skip
    if card.kind == "development" and is_new and card.number is not None:
        errors.append(CardProblem.of(kind_line, N_("a development has no round number; write "
                                                   "`round: none`")))  # fmt: skip
    return errors


def _numbering_warnings(
    card: RoundCard, context: CardContext, unreadable: set[int]
) -> list[CardProblem]:
    if card.number is None:
        return []
    warnings = []
    highest = context.highest_number()
    if context.round_numbered(card.number) is None and card.number > (highest or 0) + 1:
        skipped = (
            N_("round {number} skips round {skipped}; the latest recorded is round {highest}")
            if highest
            else N_("round {number} skips round {skipped}; none is recorded yet")
        )
        values: dict[str, str | int] = {"number": card.number, "skipped": card.number - 1}
        if highest:
            values["highest"] = highest
        warnings.append(CardProblem.of(card.line_of("round"), skipped, **values))
    earlier = [
        known
        for known in context.rounds
        if known.number is not None and known.number < card.number and known.start_date
    ]
    if card.start_date and earlier and card.line_of("date") not in unreadable:
        previous = max(earlier, key=lambda known: known.number or 0)
        assert previous.start_date is not None
        if card.start_date < previous.start_date:
            warnings.append(
                CardProblem.of(
                    card.line_of("date"),
                    N_("{typed} is before round {number} ({date})"),
                    typed=quoted(card.start_date.isoformat()),
                    number=previous.number or 0,
                    date=previous.start_date.isoformat(),
                )
            )
    return warnings


def _new_party_warnings(card: RoundCard, context: CardContext) -> list[CardProblem]:
    """Every party is created on first mention, so a misspelt name becomes a new party;
    nothing to say while the topic has no parties at all."""
    if not context.party_names:
        return []
    known = {utils.default_process(name) for name, _ in context.party_names}
    known |= {utils.default_process(alias.alias) for alias in card.aliases}
    choices = [name for name, _ in context.party_names]
    warnings = []
    for name, line in _mentions(card):
        if utils.default_process(name) in known:
            continue
        known.add(utils.default_process(name))
        match = process.extractOne(
            name, choices, scorer=fuzz.WRatio, processor=utils.default_process,
            score_cutoff=CLOSE_ENOUGH,
        )  # fmt: skip
        if match is not None:
            warnings.append(CardProblem.of(
                line, N_("{typed} is new to this topic and will be added (did you mean {close}?)"),
                typed=quoted(name), close=context.party_names[match[2]][1],
            ))  # fmt: skip
        else:
            parties = list(dict.fromkeys(party for _, party in context.party_names))
            warnings.append(CardProblem.of(
                line, N_("{typed} is new to this topic and will be added (known: {known})"),
                typed=quoted(name), known=", ".join(parties[:KNOWN_PARTIES_LISTED]),
            ))  # fmt: skip
    return warnings


def _mentions(card: RoundCard) -> list[tuple[str, int]]:
    """Each party name with the line it is first mentioned on."""
    mentions = [
        (name, card.line_of(key))
        for key in ("parties", "mediators", "hosts", "observers")
        for name in getattr(card, key)
    ]
    mentions += [(entry.party, entry.line) for entry in card.delegation]
    mentions += [(entry.party, entry.line) for entry in card.statements if entry.party]
    mentions += [(entry.party, entry.line) for entry in card.aliases]
    return sorted(mentions, key=lambda mention: mention[1])

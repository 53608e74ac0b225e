"""A card checked against the stored topic: errors block the preview, warnings do not."""

from __future__ import annotations

from datetime import date

from bot.posting.card_grammar import read_card
from bot.posting.card_review import CardReview, review_card
from storage.card import CardContext, CardProblem, KnownRound

TOPIC = CardContext(
    rounds=(
        KnownRound(1, "First round of talks held in Doha", date(2026, 10, 18)),
        KnownRound(2, "Second round of talks begins in Istanbul", date(2026, 10, 24)),
    ),
    party_names=(
        ("Pakistan", "Pakistan"),
        ("Taliban administration", "Taliban administration"),
        ("Qatar", "Qatar"),
        ("Turkey", "Turkey"),
        ("Islamic Emirate", "Taliban administration"),
    ),
)


def reviewed(*lines: str, context: CardContext = TOPIC) -> CardReview:
    card, problems = read_card("\n".join(["/post pak-taliban-talks", *lines]))
    return review_card(card, context, problems)


def test_the_next_round_with_known_parties_passes_quietly() -> None:
    review = reviewed(
        "round: 3", "title: Third round", "date: 2026-11-06", "head: Islamic Emirate = Haji Najib"
    )

    assert review == CardReview([], [])


def test_a_new_round_without_a_title_is_an_error_on_its_round_line() -> None:
    assert reviewed("date: 2026-11-06", "round: 3").errors == [
        CardProblem(3, "round 3 is new to this topic, so it needs a `title:` line")
    ]


def test_a_development_needs_a_title_too() -> None:
    (error,) = reviewed("round: none", "announcement: Pakistan = the crossing reopens").errors
    assert error.line == 2
    assert "a development is new to this topic" in error.message


def test_a_card_for_a_topic_without_rounds_must_say_which_round() -> None:
    (error,) = reviewed("status: ongoing", context=CardContext()).errors
    assert error.line == 1 and "has no round yet" in error.message


def test_a_misspelt_party_is_a_warning_with_the_closest_name() -> None:
    review = reviewed("round: 2", "head: Taliban admin = Haji Najib", "mediators: Qatar; Turkiye")

    assert review.errors == []
    assert review.warnings == [
        CardProblem(
            3,
            "`Taliban admin` is new to this topic and will be added "
            "(did you mean Taliban administration?)",
        ),
        CardProblem(4, "`Turkiye` is new to this topic and will be added (did you mean Turkey?)"),
    ]


def test_an_unlike_new_party_is_listed_against_the_known_ones() -> None:
    (warning,) = reviewed("round: 2", "head: Afghanistan = Someone").warnings
    assert warning.message == (
        "`Afghanistan` is new to this topic and will be added "
        "(known: Pakistan, Taliban administration, Qatar, Turkey)"
    )


def test_an_alias_given_in_the_same_card_is_not_a_new_party() -> None:
    review = reviewed("round: 2", "alias: Pakistan = Islamabad", "demand: Islamabad = talks")
    assert review.warnings == []


def test_no_party_warnings_for_the_first_card_of_a_topic() -> None:
    card = ("round: 1", "title: Talks", "parties: Pakistan; Taliban administration")
    assert reviewed(*card, context=CardContext()) == CardReview([], [])


def test_a_skipped_round_number_and_an_earlier_date_are_warnings() -> None:
    review = reviewed("round: 5", "title: Fifth round", "date: 2026-10-20")

    assert review.errors == []
    assert review.warnings == [
        CardProblem(2, "round 5 skips round 4; the latest recorded is round 2"),
        CardProblem(4, "`2026-10-20` is before round 2 (2026-10-24)"),
    ]


def test_the_kind_cannot_contradict_the_data() -> None:
    assert "already exists" in reviewed("round: 2", "kind: new round").errors[0].message
    assert "not an update" in reviewed("round: 3", "title: x", "kind: update").errors[0].message
    (numbered,) = reviewed("round: 3", "title: x", "kind: development").errors
    assert "`round: none`" in numbered.message
    assert reviewed("round: 2", "kind: development", "claim: Pakistan = x").errors == []


def test_a_round_line_the_parser_could_not_read_is_not_checked_again() -> None:
    assert reviewed("round: three").errors == []


def test_an_empty_card_gets_only_the_parsers_answer() -> None:
    assert reviewed() == CardReview([], [])

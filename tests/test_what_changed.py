"""What a post changes, computed from views alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.reading.what_changed import (
    FieldChange,
    changes_between,
    changes_from_previous_round,
)
from storage.views import MemberView, PartyView, PlaceView, RoundView, StatementView


def round_view(**changes: object) -> RoundView:
    view = RoundView(
        topic_slug="pak-taliban-talks",
        topic_title="Pakistan–Taliban talks",
        number=2,
        title="Second round of talks begins in Istanbul",
        start_date=date(2026, 10, 24),
        end_date=None,
        place=PlaceView(city="Istanbul", country="Turkey"),
        status="ongoing",
        mediators=("Qatar", "Turkey"),
        hosts=(),
        observers=(),
        parties=(
            PartyView(
                "Pakistan",
                members=(MemberView("spokesperson", "Tahir Hussain Andrabi"),),
                statements=(StatementView("demand", "Pakistan", None, "a verifiable mechanism"),),
            ),
            PartyView(
                "Taliban administration",
                members=(MemberView("head", "Haji Najib", "Deputy Minister of Interior"),),
            ),
        ),
        outcome_type=None,
        outcome_text=None,
        next_meeting=None,
        previous=None,
        sources=(),
        summary=None,
    )
    return replace(view, **changes)


def doha() -> RoundView:
    return round_view(
        number=1,
        title="First round of talks held in Doha",
        start_date=date(2026, 10, 18),
        end_date=date(2026, 10, 19),
        place=PlaceView(city="Doha", country="Qatar"),
        status="concluded",
        outcome_type="ceasefire",
        outcome_text="both sides agreed on a ceasefire",
        parties=(
            PartyView(
                "Pakistan",
                statements=(
                    StatementView("demand", "Pakistan", None, "an end to cross-border raids"),
                ),
            ),
            PartyView("Taliban administration"),
        ),
    )


def test_an_unchanged_round_has_no_changes() -> None:
    assert changes_between(round_view(), round_view()) == []


def test_a_round_update_lists_each_changed_field_before_and_after() -> None:
    old = round_view()
    new = round_view(
        status="concluded",
        outcome_type="agreement",
        outcome_text="a joint monitoring mechanism",
        next_meeting="Istanbul, 6 November",
        end_date=date(2026, 10, 30),
        mediators=("Qatar", "Turkey", "Saudi Arabia"),
    )

    assert changes_between(old, new) == [
        FieldChange("Dates", "24 October 2026", "24–30 October 2026"),
        FieldChange("Status", "ongoing", "concluded"),
        FieldChange("Outcome", None, "agreement: a joint monitoring mechanism"),
        FieldChange("Mediators", "Qatar, Turkey", "Qatar, Turkey, Saudi Arabia"),
        FieldChange("Next meeting", None, "Istanbul, 6 November"),
    ]


def test_new_people_and_statements_of_an_update_are_items() -> None:
    old = round_view()
    pakistan, taliban = old.parties
    new = round_view(
        parties=(
            replace(
                pakistan,
                members=(*pakistan.members, MemberView("head", "Asim Malik", "ISI")),
                statements=(
                    *pakistan.statements,
                    StatementView("position", "Pakistan", None, "talks continue"),
                ),
            ),
            replace(taliban, members=(*taliban.members, MemberView("member", "Anas Haqqani"))),
        ),
        other_statements=(StatementView("announcement", "Qatar", None, "a third round"),),
    )

    assert changes_between(old, new) == [
        FieldChange("Head of Pakistan", None, "Asim Malik (ISI)"),
        FieldChange("Member, Taliban administration", None, "Anas Haqqani", item=True),
        FieldChange("Position, Pakistan", None, "talks continue", item=True),
        FieldChange("Announcement, Qatar", None, "a third round", item=True),
    ]


def test_a_new_round_says_what_differs_from_the_previous_one() -> None:
    assert changes_from_previous_round(doha(), round_view()) == [
        FieldChange("Place", "Doha, Qatar", "Istanbul, Turkey"),
        FieldChange(
            "Head of Taliban administration", None, "Haji Najib (Deputy Minister of Interior)"
        ),
        FieldChange("Demand, Pakistan", None, "a verifiable mechanism", item=True),
        FieldChange("Demand, Pakistan", "an end to cross-border raids", None, item=True),
        FieldChange("Status", "concluded", "ongoing"),
    ]


def test_round_to_round_leaves_out_what_always_differs_and_an_outcome_not_yet_reached() -> None:
    changes = changes_from_previous_round(doha(), round_view())

    labels = {change.label for change in changes}
    assert not labels & {"Title", "Dates", "Outcome"}
    with_outcome = round_view(outcome_text="talks ended without agreement")
    assert changes_from_previous_round(doha(), with_outcome)[-1] == FieldChange(
        "Outcome", "ceasefire: both sides agreed on a ceasefire", "talks ended without agreement"
    )


def test_the_same_demand_in_other_words_of_spacing_and_case_is_not_new() -> None:
    previous = round_view(
        number=1,
        parties=(
            PartyView(
                "Pakistan",
                statements=(StatementView("demand", "pakistan", None, "A  verifiable mechanism"),),
            ),
        ),
    )
    current = round_view(parties=(round_view().parties[0],))

    assert not [c for c in changes_from_previous_round(previous, current) if c.item]


def test_what_the_new_round_does_not_record_yet_is_not_a_change() -> None:
    bare = round_view(number=3, place=PlaceView(), mediators=(), status=None, parties=())

    assert changes_from_previous_round(round_view(), bare) == []

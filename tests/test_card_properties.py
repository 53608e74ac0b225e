"""The card parser answers every input with a card or line-numbered problems, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.posting.card_grammar import CARD_KEYS, parse_card
from storage.card import CardError, RoundCard

KEYS = st.sampled_from([*CARD_KEYS, "Round", "party", "mediatrs", "weather"])
PIECES = st.sampled_from(
    [
        "http://[",
        "https://[::1",
        "http://a℀b.com",
        "http://x:99999",
        "www.",
        "2026-10-24",
        "20-11-2026",
        "2026-02-30",
        "..",
        "=",
        "/",
        ";",
        ",",
        "(",
        ")",
        "(2026-10-23)",
        "“",
        "none",
        "Pakistan",
        "`",
        "<b>",
        "&",
    ]
)
VALUES = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=8).map(" ".join)
LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda pair: f"{pair[0]}: {pair[1]}"),
    st.text(max_size=40),
)
CARDS = st.lists(LINES, max_size=12).map(lambda lines: "\n".join(["/post topic", *lines]))


def check(text: str) -> None:
    try:
        card = parse_card(text)
    except CardError as error:
        assert error.problems
        line_count = max(len(text.splitlines()), 1)
        for problem in error.problems:
            assert 1 <= problem.line <= line_count, problem
            assert problem.message
    else:
        assert isinstance(card, RoundCard)


@settings(max_examples=400, deadline=None)
@given(CARDS)
def test_any_card_of_key_lines_parses_or_gets_line_numbered_problems(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_gets_line_numbered_problems(text: str) -> None:
    check(text)

from datetime import date

import pytest

from bot.posting.card_grammar import CARD_EXAMPLE, CARD_KEYS, parse_card, read_card
from storage.card import (
    MEMBER_ROLES,
    ROUND_STATUSES,
    STATEMENT_KINDS,
    AliasEntry,
    CardError,
    CardProblem,
    DelegationEntry,
    RoundCard,
    SourceEntry,
    StatementEntry,
)


def card_text(*lines: str) -> str:
    """A `/post` message: the command is line 1, so `lines[0]` is line 2."""
    return "\n".join(["/post pak-taliban-talks", *lines])


def problems_of(text: str) -> list[CardProblem]:
    with pytest.raises(CardError) as caught:
        parse_card(text)
    return caught.value.problems


def only_problem(text: str) -> CardProblem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_reference_card_parses_to_exact_values() -> None:
    assert parse_card(CARD_EXAMPLE) == RoundCard(
        number=2,
        number_given=True,
        title="Second round of talks begins in Istanbul",
        start_date=date(2026, 10, 24),
        end_date=None,
        venue=None,
        city="Istanbul",
        country="Turkey",
        status="ongoing",
        parties=["Pakistan", "Taliban administration"],
        mediators=["Qatar", "Turkey"],
        hosts=[],
        observers=[],
        delegation=[
            DelegationEntry(
                "head", "Taliban administration", "Haji Najib", "Deputy Minister of Interior", 9
            ),
            DelegationEntry(
                "spokesperson", "Taliban administration", "Zabihullah Mujahid", None, 10
            ),
            DelegationEntry(
                "member", "Pakistan", "Inter-Services Intelligence (ISI) senior officials", None, 11
            ),
            DelegationEntry("member", "Pakistan", "Ministry of Defence officials", None, 12),
            DelegationEntry(
                "member", "Pakistan", "a high-level diplomat", "Ministry of Foreign Affairs", 13
            ),
            DelegationEntry(
                "member", "Pakistan", "Director General of Military Operations", None, 14
            ),
            DelegationEntry(
                "spokesperson",
                "Pakistan",
                "Tahir Hussain Andrabi",
                "Ministry of Foreign Affairs",
                15,
            ),
        ],
        statements=[
            StatementEntry(
                "demand",
                "Pakistan",
                "Tahir Hussain Andrabi",
                "a verifiable mechanism to prevent terrorist attacks launched from "
                "Afghan territory",
                16,
                date(2026, 10, 23),
            ),
            StatementEntry(
                "announcement",
                "Taliban administration",
                "Zabihullah Mujahid",
                "a delegation led by Haji Najib travelled to Turkey on Friday",
                18,
            ),
        ],
        aliases=[AliasEntry("Taliban administration", "Islamic Emirate", 17)],
        outcome_type=None,
        outcome_text=None,
        next_meeting=None,
        sources=[
            SourceEntry(
                "Ministry of Foreign Affairs press conference", None, None, date(2026, 10, 23), 19
            )
        ],
        summary=(
            "Pakistan and the Taliban administration opened a second round of talks in Istanbul "
            "on Saturday. The first round, held in Doha on 18–19 October under joint Qatari and "
            "Turkish mediation, ended with a ceasefire and an agreement to keep negotiating, but "
            "without a clear Taliban commitment to curb extremist groups.\n\n"
            "Pakistan says its main demand is a clearly defined, mutually agreed mechanism to "
            "stop attacks launched from Afghan territory. The Taliban administration has not "
            "released its positions or any practical measures against militant groups operating "
            "from Afghan soil."
        ),
    )


def test_reference_card_starts_with_the_post_command() -> None:
    assert CARD_EXAMPLE.splitlines()[0] == "/post pak-taliban-talks"


def test_card_keys_cover_every_kind_of_line() -> None:
    assert CARD_KEYS[-1] == "summary"
    for key in (*MEMBER_ROLES, *STATEMENT_KINDS, "round", "mediators", "source", "next"):
        assert key in CARD_KEYS


def test_first_round_card_with_outcome_next_and_range() -> None:
    card = parse_card(
        card_text(
            "round: 1",
            "date: 2026-10-18..2026-10-19",
            "place: Ministry of Foreign Affairs, Doha, Qatar",
            "hosts: Qatar",
            "observers: United Nations; European Union",
            "status: concluded",
            "position: Taliban administration = Afghan soil is not used against any country",
            "claim: Pakistan / Khawaja Asif = the ceasefire holds",
            "outcome: ceasefire = both sides agreed on a ceasefire and to continue negotiations",
            "next: 2026-10-24, Istanbul",
        )
    )
    assert (card.number, card.start_date, card.end_date) == (
        1,
        date(2026, 10, 18),
        date(2026, 10, 19),
    )
    assert (card.venue, card.city, card.country) == ("Ministry of Foreign Affairs", "Doha", "Qatar")
    assert card.hosts == ["Qatar"]
    assert card.observers == ["United Nations", "European Union"]
    assert card.status == "concluded"
    assert card.statements == [
        StatementEntry(
            "position",
            "Taliban administration",
            None,
            "Afghan soil is not used against any country",
            8,
        ),
        StatementEntry("claim", "Pakistan", "Khawaja Asif", "the ceasefire holds", 9),
    ]
    assert card.outcome_type == "ceasefire"
    assert card.outcome_text == "both sides agreed on a ceasefire and to continue negotiations"
    assert card.next_meeting == "2026-10-24, Istanbul"
    assert card.summary is None
    assert card.title is None


@pytest.mark.parametrize(
    ("written", "person", "title"),
    [
        ("Haji Najib (Deputy Minister of Interior)", "Haji Najib", "Deputy Minister of Interior"),
        (
            "Inter-Services Intelligence (ISI) senior officials",
            "Inter-Services Intelligence (ISI) senior officials",
            None,
        ),
        ("Zabihullah Mujahid", "Zabihullah Mujahid", None),
        ("Amir Khan Muttaqi (Minister (acting))", "Amir Khan Muttaqi", "Minister (acting)"),
        ("(unnamed officials)", "(unnamed officials)", None),
    ],
)
def test_title_is_only_a_trailing_parenthesised_group(
    written: str, person: str, title: str | None
) -> None:
    card = parse_card(card_text(f"member: Taliban administration = {written}"))
    assert card.delegation == [
        DelegationEntry("member", "Taliban administration", person, title, 2)
    ]


@pytest.mark.parametrize("value", ["Haji Najib", "Taliban administration =", "= Haji Najib"])
def test_member_without_both_sides_is_an_error(value: str) -> None:
    problem = only_problem(card_text(f"head: {value}"))
    assert problem.line == 2
    assert "expected `Party = person`" in problem.message


def test_single_date_has_no_end() -> None:
    card = parse_card(card_text("date: 2026-10-24"))
    assert (card.start_date, card.end_date) == (date(2026, 10, 24), None)


def test_date_range_accepts_spaces_around_dots() -> None:
    card = parse_card(card_text("date: 2026-10-18 .. 2026-10-19"))
    assert (card.start_date, card.end_date) == (date(2026, 10, 18), date(2026, 10, 19))


def test_reversed_date_range_is_an_error() -> None:
    problem = only_problem(card_text("date: 2026-10-19..2026-10-18"))
    assert problem.line == 2
    assert "2026-10-18" in problem.message
    assert "before it starts" in problem.message


@pytest.mark.parametrize(
    ("value", "named"),
    [("2026-02-30", "`2026-02-30`"), ("24 October 2026", "`24 October 2026`"), ("20261024", "")],
)
def test_invalid_date_is_named(value: str, named: str) -> None:
    problem = only_problem(card_text(f"date: {value}"))
    assert named in problem.message
    assert "date" in problem.message


@pytest.mark.parametrize(
    ("value", "venue", "city", "country"),
    [
        ("Istanbul", None, "Istanbul", None),
        ("Istanbul, Turkey", None, "Istanbul", "Turkey"),
        ("Dolmabahçe Palace, Istanbul, Turkey", "Dolmabahçe Palace", "Istanbul", "Turkey"),
    ],
)
def test_place_parts(value: str, venue: str | None, city: str, country: str | None) -> None:
    card = parse_card(card_text(f"place: {value}"))
    assert (card.venue, card.city, card.country) == (venue, city, country)


def test_place_with_four_parts_is_an_error() -> None:
    problem = only_problem(card_text("place: Hall B, Palace, Istanbul, Turkey"))
    assert "4 comma-separated parts" in problem.message


def test_status_is_stored_lower_case() -> None:
    assert parse_card(card_text("status: Postponed")).status == "postponed"


def test_invalid_status_lists_allowed_values() -> None:
    problem = only_problem(card_text("status: paused"))
    assert "`paused`" in problem.message
    for status in ROUND_STATUSES:
        assert status in problem.message


@pytest.mark.parametrize(
    ("value", "number", "given"), [("3", 3, True), ("none", None, True), ("-", None, True)]
)
def test_round_number(value: str, number: int | None, given: bool) -> None:
    card = parse_card(card_text(f"round: {value}"))
    assert (card.number, card.number_given) == (number, given)


def test_missing_round_is_not_given() -> None:
    card = parse_card(card_text("title: Talks resume"))
    assert (card.number, card.number_given) == (None, False)


@pytest.mark.parametrize("value", ["0", "two", "-1", "2.5", "1000"])
def test_invalid_round_is_an_error(value: str) -> None:
    problem = only_problem(card_text(f"round: {value}"))
    assert f"`{value}`" in problem.message


def test_keys_are_case_insensitive_and_whitespace_is_stripped() -> None:
    card = parse_card(
        card_text("  Round: 2  ", "TITLE :  Talks resume ", "HEAD: Pakistan = Ishaq Dar")
    )
    assert card.number == 2
    assert card.title == "Talks resume"
    assert card.delegation[0].role == "head"
    assert card.delegation[0].party == "Pakistan"


def test_blank_lines_before_summary_are_ignored() -> None:
    card = parse_card(card_text("", "title: Talks resume", "", "   ", "status: ongoing"))
    assert (card.title, card.status) == ("Talks resume", "ongoing")


def test_repeated_list_keys_accumulate_in_order() -> None:
    card = parse_card(
        card_text(
            "mediators: Qatar",
            "mediator: Turkey; Saudi Arabia",
            "Mediators: qatar",
            "party: Pakistan",
            "parties: Taliban administration",
        )
    )
    assert card.mediators == ["Qatar", "Turkey", "Saudi Arabia"]
    assert card.parties == ["Pakistan", "Taliban administration"]


def test_empty_name_in_list_is_an_error() -> None:
    problem = only_problem(card_text("mediators: Qatar; ; Turkey"))
    assert "empty name" in problem.message


def test_party_name_over_100_characters_is_an_error() -> None:
    problem = only_problem(card_text("parties: " + "P" * 101))
    assert "101 characters" in problem.message


@pytest.mark.parametrize(
    ("key", "first", "second"),
    [
        ("title", "Talks begin", "Talks resume"),
        ("round", "2", "3"),
        ("date", "2026-10-24", "2026-10-25"),
        ("place", "Istanbul", "Doha"),
        ("status", "ongoing", "concluded"),
        ("outcome", "ceasefire", "no deal"),
        ("next", "to be announced", "2026-11-06"),
    ],
)
def test_repeated_single_key_names_both_lines(key: str, first: str, second: str) -> None:
    problem = only_problem(card_text(f"{key}: {first}", "parties: Pakistan", f"{key}: {second}"))
    assert problem == CardProblem(4, f"`{key}` given twice (first on line 2)")


def test_every_repeat_of_a_single_key_is_reported() -> None:
    problems = problems_of(
        card_text("title: Talks begin", "round: 2", "Title: Talks resume", "title: Third")
    )
    assert [(p.line, p.message) for p in problems] == [
        (4, "`title` given twice (first on line 2)"),
        (5, "`title` given twice (first on line 2)"),
    ]


def test_statement_forms() -> None:
    card = parse_card(
        card_text(
            "demand: Pakistan = a verifiable mechanism",
            "announcement: Taliban administration / Zabihullah Mujahid = a delegation travelled",
            "claim: attacks rose after the talks",
        )
    )
    assert card.statements == [
        StatementEntry("demand", "Pakistan", None, "a verifiable mechanism", 2),
        StatementEntry(
            "announcement",
            "Taliban administration",
            "Zabihullah Mujahid",
            "a delegation travelled",
            3,
        ),
        StatementEntry("claim", None, None, "attacks rose after the talks", 4),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Pakistan =", "no text"),
        ("= a mechanism", "party name is empty"),
        ("Pakistan / = a mechanism", "no person after `/`"),
        ("/ Tahir Hussain Andrabi = a mechanism", "party name is empty"),
    ],
)
def test_statement_errors(value: str, expected: str) -> None:
    problem = only_problem(card_text(f"demand: {value}"))
    assert expected in problem.message


def test_alias() -> None:
    card = parse_card(card_text("alias: Taliban administration = Islamic Emirate"))
    assert card.aliases == [AliasEntry("Taliban administration", "Islamic Emirate", 2)]


def test_alias_without_equals_is_an_error() -> None:
    assert "expected `Party = other name`" in only_problem(card_text("alias: Taliban")).message


@pytest.mark.parametrize(
    ("value", "outcome_type", "text"),
    [
        ("ceasefire = both sides agreed", "ceasefire", "both sides agreed"),
        ("No  Agreement = talks ended", "no agreement", "talks ended"),
        ("talks ended without a statement", None, "talks ended without a statement"),
    ],
)
def test_outcome(value: str, outcome_type: str | None, text: str) -> None:
    card = parse_card(card_text(f"outcome: {value}"))
    assert (card.outcome_type, card.outcome_text) == (outcome_type, text)


@pytest.mark.parametrize("value", ["cease-fire 2 = agreed", "= agreed", "ceasefire ="])
def test_invalid_outcome_is_an_error(value: str) -> None:
    assert only_problem(card_text(f"outcome: {value}")).line == 2


def test_source_parts_are_sorted_out() -> None:
    card = parse_card(
        card_text(
            "source: Dawn, Pakistan, Afghanistan resume talks, 2026-10-24, "
            "https://www.dawn.com/news/1",
            "source: 2026-10-23, Ministry of Foreign Affairs",
            "source: Tolo News",
        )
    )
    assert card.sources == [
        SourceEntry(
            "Dawn",
            "Pakistan, Afghanistan resume talks",
            "https://www.dawn.com/news/1",
            date(2026, 10, 24),
            2,
        ),
        SourceEntry("Ministry of Foreign Affairs", None, None, date(2026, 10, 23), 3),
        SourceEntry("Tolo News", None, None, None, 4),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.dawn.com/news/1, 2026-10-24", "needs a publisher"),
        ("Dawn, https://", "not a usable link"),
        ("Dawn, 2026-10-24, 2026-10-25", "two dates"),
        ("Dawn, 2026-13-01", "`2026-13-01`"),
        ("Reuters, talks, 20-11-2026, not-a-url", "`20-11-2026` is not a date"),
        ("Reuters, talks, 2026-11-20, not-a-url", "`not-a-url` after the date"),
        ("Reuters, http://[", "`http://[` is not a usable link"),
        ("Reuters, https://[::1", "not a usable link"),
        ("Reuters, http://a℀b.com", "not a usable link"),
        ("Reuters, http://example.com:99999/", "not a usable link"),
        ("Reuters, ftp://example.com/file", "not a usable link"),
        ("Reuters, www.reuters.com/world", "not a usable link"),
    ],
)
def test_source_errors(value: str, expected: str) -> None:
    assert expected in only_problem(card_text(f"source: {value}")).message


def test_quotation_marks_around_a_source_title_are_not_kept() -> None:
    card = parse_card(card_text("source: Reuters, “Talks resume in Istanbul”, 2026-10-24"))
    assert card.sources[0].title == "Talks resume in Istanbul"


def test_a_statement_is_dated_only_by_the_card() -> None:
    card = parse_card(
        card_text(
            "demand: Pakistan = a monitoring mechanism (2026-10-23)",
            "position: Pakistan = talks (in Istanbul) continue",
            "source: Dawn, 2026-10-24",
        )
    )
    assert [s.said_on for s in card.statements] == [date(2026, 10, 23), None]
    assert card.statements[1].text == "talks (in Istanbul) continue"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("development", "development"),
        ("New round", "new_round"),
        ("round_update", "round_update"),
        ("update", "round_update"),
        ("outcome", "outcome"),
    ],
)
def test_kind_overrides_what_the_data_decides(value: str, kind: str) -> None:
    assert parse_card(card_text(f"kind: {value}")).kind == kind


def test_unknown_kind_is_an_error() -> None:
    assert "unknown kind `rumour`" in only_problem(card_text("kind: rumour")).message


def test_read_card_returns_what_it_could_read_with_the_problems() -> None:
    card, problems = read_card(card_text("round: 3", "date: 2026-02-30", "status: ongoing"))
    assert (card.number, card.status) == (3, "ongoing")
    assert [p.line for p in problems] == [3]
    assert card.line_of("round") == 2
    assert card.line_of("title") == 1


def test_summary_keeps_blank_lines_and_is_not_parsed_as_keys() -> None:
    card = parse_card(
        card_text(
            "title: Talks resume",
            "Summary: First paragraph.",
            "",
            "round: this is summary text, not a key",
            "  indented line",
            "",
            "",
        )
    )
    assert card.summary == (
        "First paragraph.\n\nround: this is summary text, not a key\n  indented line"
    )
    assert card.number_given is False


def test_summary_may_start_on_the_next_line() -> None:
    card = parse_card(card_text("summary:", "", "Talks began.", "", "They continue."))
    assert card.summary == "Talks began.\n\nThey continue."


def test_summary_limits() -> None:
    assert "empty" in only_problem(card_text("title: x", "summary:  ", "")).message
    problem = only_problem(card_text("summary:", "s" * 3501))
    assert (problem.line, "3501 characters" in problem.message) == (2, True)
    assert len(parse_card(card_text("summary:", "s" * 3500)).summary or "") == 3500


def test_long_values_are_errors() -> None:
    assert "201 characters" in only_problem(card_text("title: " + "t" * 201)).message
    problem = only_problem(card_text("demand: " + "d" * 1001))
    assert "1001 characters" in problem.message


def test_every_problem_is_reported_with_its_line() -> None:
    problems = problems_of(
        card_text(
            "round: 2",
            "status: paused",
            "title: Talks resume",
            "date: 2026-02-30",
            "",
            "mediators: Qatar",
            "meditors: Turkey",
            "summary: fine",
        )
    )
    assert [p.line for p in problems] == [3, 5, 8]
    assert "paused" in problems[0].message
    assert "2026-02-30" in problems[1].message
    assert "meditors" in problems[2].message


def test_error_text_lists_line_numbers() -> None:
    with pytest.raises(CardError) as caught:
        parse_card(card_text("status: paused"))
    assert str(caught.value).startswith("line 2: ")


def test_unknown_key_suggests_the_closest_key() -> None:
    problem = only_problem(card_text("mediatrs: Qatar"))
    assert "unknown key `mediatrs`" in problem.message
    assert "did you mean `mediators`?" in problem.message
    assert "known keys: round, title" in problem.message


def test_unknown_key_without_close_match_has_no_suggestion() -> None:
    problem = only_problem(card_text("weather: sunny"))
    assert "unknown key `weather`" in problem.message
    assert "did you mean" not in problem.message


def test_line_without_key_is_an_error() -> None:
    problem = only_problem(card_text("title: Talks", "a delegation travelled to Turkey"))
    assert problem.line == 3
    assert "expected `key: value`" in problem.message


def test_key_with_empty_value_is_an_error() -> None:
    assert "`title` has no value" in only_problem(card_text("title:")).message


def test_html_is_kept_raw() -> None:
    card = parse_card(
        card_text(
            "title: <b>Talks</b> & more",
            "demand: Pakistan = stop <i>attacks</i> & raids",
            "summary: a < b && c > d",
        )
    )
    assert card.title == "<b>Talks</b> & more"
    assert card.statements[0].text == "stop <i>attacks</i> & raids"
    assert card.summary == "a < b && c > d"


def test_post_command_with_bot_name_is_line_one() -> None:
    card = parse_card("/post@roundwatch_bot pak-taliban-talks\ntitle: Talks resume")
    assert card.title == "Talks resume"
    problem = only_problem("/post@roundwatch_bot pak-taliban-talks\n\nstatus: paused")
    assert problem.line == 3


def test_card_without_command_line_starts_at_line_one() -> None:
    assert parse_card("title: Talks resume").title == "Talks resume"
    assert only_problem("status: paused").line == 1


@pytest.mark.parametrize("text", ["/post pak-taliban-talks", "/post x\n\n   \n", ""])
def test_empty_card_is_an_error_on_line_one(text: str) -> None:
    problem = only_problem(text)
    assert problem.line == 1
    assert problem.message.startswith("the card is empty; ")

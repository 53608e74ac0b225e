"""The extraction on its own: plain text and a date in, plain values out."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake.card_writing import write_card
from bot.intake.dates import find_dates
from bot.intake.drafting import MAX_CARD_CHARS, fitted_card_body
from bot.intake.extraction import extract_card
from bot.intake.known_topics import KnownParty, KnownTopic, match_topics
from bot.intake.places import Place, find_place
from bot.intake.round_number import find_round_number
from bot.posting.card_grammar import parse_card
from tests.test_intake import ARTICLE

TOPIC = KnownTopic(
    "pak-taliban-talks",
    "Pakistan–Taliban talks",
    (
        KnownParty("Pakistan"),
        KnownParty("Taliban administration", ("Islamic Emirate",)),
        KnownParty("Qatar", role="mediator"),
    ),
)


def test_reference_article_gives_the_reference_facts() -> None:
    extraction = extract_card(ARTICLE.read_text(), date(2026, 10, 24), (TOPIC,))
    card = extraction.card
    assert [t.slug for t in extraction.topics] == ["pak-taliban-talks"]
    assert card.number == 2
    assert (card.start_date, card.end_date) == (date(2026, 10, 24), None)
    assert card.place is not None and (card.place.city, card.place.country) == (
        "Istanbul",
        "Turkey",
    )
    assert card.mediators == ("Qatar", "Turkey")
    assert card.status == "ongoing"
    assert card.outcome is None
    heads = [(p.party, p.name, p.title) for p in card.people if p.role == "head"]
    assert heads == [("Taliban administration", "Haji Najib", "Deputy Minister of Interior")]
    assert 2 <= card.summary.count(". ") + 1 <= 3


def test_round_numbers_in_words_and_figures() -> None:
    assert find_round_number(["The second round of talks opened."]) == 2
    assert find_round_number(["Round three begins on Monday."]) == 3
    assert find_round_number(["It was the fifth session since May."]) == 5
    assert find_round_number(["The 21st round of talks was held."]) == 21
    assert find_round_number(["After the first round, a new round opened."]) is None


def test_dates_resolved_against_the_message_date() -> None:
    written = date(2026, 3, 19)  # a Thursday
    [weekdays] = find_dates("They met on Monday and Tuesday in Muscat.", written)
    assert (weekdays.start, weekdays.end) == (date(2026, 3, 16), date(2026, 3, 17))
    [coming] = find_dates("They will meet on Monday.", written)
    assert coming.start == date(2026, 3, 23)
    [no_year] = find_dates("Talks held on January 5 ended.", date(2026, 12, 20))
    assert no_year.start == date(2027, 1, 5)
    [pair] = find_dates("initial talks held on October 18 and 19 in Doha", date(2026, 10, 24))
    assert (pair.start, pair.end) == (date(2026, 10, 18), date(2026, 10, 19))
    [span] = find_dates("from 30 October to 2 November 2026", written)
    assert (span.start, span.end) == (date(2026, 10, 30), date(2026, 11, 2))


def test_a_postponed_round_keeps_its_planned_date() -> None:
    text = (
        "The third round of talks between Armenia and Azerbaijan, originally scheduled for "
        "March 12, has been postponed until April, officials said."
    )
    card = extract_card(text, date(2027, 3, 8)).card
    assert (card.number, card.status, card.start_date) == (3, "postponed", date(2027, 3, 12))


def test_a_mediator_said_not_to_mediate_is_not_one() -> None:
    text = (
        "Talks between Iran and the United States opened in Muscat on Saturday, mediated by "
        "Oman. Qatar, which had offered to mediate, is not involved, an official said."
    )
    card = extract_card(text, date(2026, 4, 26)).card
    assert card.mediators == ("Oman",)
    assert card.parties == ("Iran", "United States")


def test_outcomes_by_kind() -> None:
    cases = {
        "Russia and Ukraine agreed to exchange 1,200 prisoners at talks in Istanbul.": (
            "prisoner exchange"
        ),
        "Israel and Hamas agreed on a ceasefire at talks in Cairo.": "ceasefire",
        "Serbia and Kosovo ended their meeting in Brussels without agreement.": "no agreement",
        "Ethiopia and the TPLF signed a peace agreement in Pretoria.": "agreement",
    }
    for text, kind in cases.items():
        outcome = extract_card(text, date(2026, 1, 1)).card.outcome
        assert outcome is not None and outcome.kind == kind, text


def test_topics_are_matched_by_their_parties_and_aliases() -> None:
    other = KnownTopic(
        "iran-us", "Iran–US talks", (KnownParty("Iran"), KnownParty("United States"))
    )
    text = "Pakistan and the Islamic Emirate resumed talks."
    assert match_topics(text, (TOPIC, other)) == (TOPIC,)
    assert match_topics("Armenia and Azerbaijan met.", (TOPIC, other)) == ()


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=600), day=st.dates(date(1990, 1, 1), date(2090, 12, 31)))
def test_never_raises_and_its_card_always_parses(text: str, day: date) -> None:
    extraction = extract_card(text, day, (TOPIC,))
    parse_card(write_card(extraction.card, "some-topic"))


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "The",
                "second",
                "round",
                "of",
                "talks",
                "between",
                "Pakistan",
                "and",
                "the",
                "Taliban",
                "administration",
                "began",
                "on",
                "Saturday",
                ",",
                "October",
                "24",
                ",",
                "in",
                "Istanbul",
                ",",
                "Turkey",
                ".",
                "mediated",
                "by",
                "Qatar",
                "and",
                "led",
                "by",
                "Haji",
                "Najib",
                ",",
                "Deputy",
                "Minister",
                "of",
                "Interior",
                "spokesperson",
                "demands",
                "ceasefire",
                "agreed",
                "postponed",
                "not",
                "18",
                "and",
                "19",
                "Monday",
            ]
        ),
        max_size=80,
    ),
    day=st.dates(date(2000, 1, 1), date(2060, 12, 31)),
)
def test_never_raises_on_newsy_word_salad(words: list[str], day: date) -> None:
    extraction = extract_card(" ".join(words), day, (TOPIC,))
    parse_card(write_card(extraction.card, "some-topic"))


def test_a_long_article_still_drafts_a_card_that_fits_one_message() -> None:
    people = " ".join(
        f"The delegation includes Minister Person{n} Name{n}, Secretary of the Council{n}."
        for n in range(60)
    )
    text = ARTICLE.read_text() + "\n" + people
    extraction = extract_card(text, date(2026, 10, 24), (TOPIC,))
    body = fitted_card_body(extraction)
    assert len(body) <= MAX_CARD_CHARS
    parse_card("/post pak-taliban-talks\n" + body)


def test_a_town_the_gazetteer_lacks_is_taken_from_the_country_written_after_it() -> None:
    assert find_place("The talks were held at a base in Kfar Qana, Lebanon, on Monday.") == Place(
        None, "Kfar Qana", "Lebanon"
    )
    assert find_place("They met in Geneva, Switzerland.") == Place(None, "Geneva", "Switzerland")
    assert find_place("Talks resumed on Monday, Lebanon said.") is None
    assert find_place("It was held in Tuesday, Lebanon.") is None

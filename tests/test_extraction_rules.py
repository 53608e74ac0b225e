"""The extraction's general rules, one by one, on sentences written for these tests (none is
taken from the bench sets, so a rule that only fits the bench fails here)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake.dates import MAX_RANGE_DAYS, WEEKDAYS, extended_to_until, find_dates
from bot.intake.delegations import Person, find_people
from bot.intake.extraction import extract_card
from bot.intake.gazetteer import DEMONYMS, capital_of, country_named
from bot.intake.known_topics import PartyNames
from bot.intake.names import split_entities
from bot.intake.outcome import Outcome, find_outcome
from bot.intake.places import Place, find_place
from bot.intake.roles import Roles, find_negotiating_parties, find_roles
from bot.intake.round_number import find_round_number


def _mediators(sentence: str) -> list[str]:
    roles = Roles()
    find_roles(sentence, PartyNames(), roles)
    return roles.mediators


def _heads(sentences: list[str], *sides: str) -> list[tuple[str | None, str, str | None]]:
    names = PartyNames()
    for side in sides:
        names.add(side)
    people = find_people(sentences, names, set(sides))
    return [(p.party, p.name, p.title) for p in people if p.role == "head"]


def test_a_capital_named_by_its_country_is_that_country_s_capital() -> None:
    assert find_place("The envoys gathered in the Kenyan capital on Friday.") == Place(
        None, "Nairobi", "Kenya"
    )
    assert find_place("Both teams flew to Egypt's capital for the signing.") == Place(
        None, "Cairo", "Egypt"
    )
    assert find_place("They met in the Peruvian capital, Lima, last week.") == Place(
        None, "Lima", "Peru"
    )
    assert find_place("They met in the capital on Friday.") is None


@settings(max_examples=60, deadline=None)
@given(demonym=st.sampled_from(sorted(DEMONYMS)))
def test_every_demonym_s_capital_is_found_or_nothing_is(demonym: str) -> None:
    country = DEMONYMS[demonym]
    place = find_place(f"Delegates arrived in the {demonym} capital on Sunday.")
    capital = capital_of(country)
    if capital:
        assert place == Place(None, capital, country)
    else:
        assert place is None or place.city is None


def test_a_venue_is_placed_in_a_country_whose_name_has_and_in_it() -> None:
    assert find_place("The sides met at the Hyatt Regency Hotel in Trinidad and Tobago.") == (
        Place("Hyatt Regency Hotel", None, "Trinidad and Tobago")
    )
    assert find_place("Talks took place at Entebbe International Airport.") == Place(
        "Entebbe International Airport", "Entebbe", "Uganda"
    )


def test_names_with_accented_capitals_are_people() -> None:
    sentences = ["Austria's delegation was led by Deputy Minister Ömer Çelik."]
    assert _heads(sentences, "Austria") == [("Austria", "Ömer Çelik", "Deputy Minister")]


def test_an_organisation_with_its_acronym_holds_together_across_and() -> None:
    assert _mediators(
        "The talks were facilitated by the Organization for Security and Co-operation in "
        "Europe (OSCE) and Switzerland."
    ) == ["Organization for Security and Co-operation in Europe (OSCE)", "Switzerland"]
    assert split_entities("Norway, Cuba and the Southern African Development Community (SADC)") == [
        "Norway",
        "Cuba",
        "the Southern African Development Community (SADC)",
    ]


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.sampled_from(
            ["Norway", "the Holy See", "Ghana", "Economic Union (EU)", "Gulf States (GCC)", "Chad"]
        ),
        min_size=1,
        max_size=6,
    ),
    last_joiner=st.sampled_from([" and ", ", and ", ", "]),
)
def test_splitting_a_list_loses_and_invents_no_words(items: list[str], last_joiner: str) -> None:
    text = ", ".join(items[:-1]) + (last_joiner if len(items) > 1 else "") + items[-1]
    pieces = split_entities(text)
    assert all(piece.strip() == piece and piece for piece in pieces)
    rebuilt = " ".join(pieces).replace(",", " ").split()
    assert [w for w in rebuilt if w != "and"] == [
        w for w in text.replace(",", " ").split() if w != "and"
    ]
    assert len(pieces) <= len(items)


def test_moderated_by_names_a_mediator_and_a_chair_of_the_mediator_is_not_another() -> None:
    assert _mediators("The exchange was moderated by Ellen Johnson Sirleaf in Monrovia.") == [
        "Ellen Johnson Sirleaf"
    ]
    assert _mediators(
        "They met under the auspices of the Joint Verification Commission, chaired by "
        "Hans Keller, in Nairobi."
    ) == ["Joint Verification Commission"]


def test_an_ordinal_meeting_other_than_the_first_is_a_round() -> None:
    assert find_round_number(["The two foreign ministers held their seventh meeting."]) == 7
    assert find_round_number(["It was the ninth joint meeting of the commission."]) == 9
    assert find_round_number(["It was their first meeting since the war."]) is None


def test_a_round_that_opens_on_one_day_and_lasts_until_another_spans_both() -> None:
    text = "Talks opened in Lusaka on Monday and are due to continue until Wednesday."
    found = find_dates(text, date(2026, 3, 2))
    assert extended_to_until(text, found[0], found).end == date(2026, 3, 4)
    card = extract_card(text, date(2026, 3, 2)).card
    assert (card.start_date, card.end_date) == (date(2026, 3, 2), date(2026, 3, 4))
    unrelated = "The envoy arrived on Monday; the ceasefire holds until June 30."
    found = find_dates(unrelated, date(2026, 3, 2))
    assert extended_to_until(unrelated, found[0], found).end is None


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(date(2000, 1, 1), date(2060, 12, 31)),
    first=st.sampled_from(WEEKDAYS),
    last=st.sampled_from(WEEKDAYS),
)
def test_an_until_range_never_ends_before_it_starts(day: date, first: str, last: str) -> None:
    text = f"The session opens on {first.title()} and will run until {last.title()}."
    found = find_dates(text, day)
    mention = extended_to_until(text, found[0], found)
    assert mention.start == found[0].start
    if mention.end is not None:
        assert timedelta(0) < mention.end - mention.start <= timedelta(days=MAX_RANGE_DAYS)


def test_a_weekday_is_read_as_a_plan_only_when_the_plan_is_said_of_it() -> None:
    friday = date(2026, 5, 8)
    said_after = "They signed a memorandum on Friday under which elections will be held."
    assert find_dates(said_after, friday + timedelta(days=3))[0].start == friday
    planned = "The negotiators will meet again on Friday."
    assert find_dates(planned, friday - timedelta(days=2))[0].start == friday


def test_heads_written_after_its_or_with_is() -> None:
    assert _heads(
        ["The Sahel Patriotic Front delegation was headed by its secretary general Issa Amadou."],
        "Sahel Patriotic Front",
    ) == [("Sahel Patriotic Front", "Issa Amadou", "secretary general")]
    assert _heads(["Peru's chief negotiator is Rosa Quispe."], "Peru") == [
        ("Peru", "Rosa Quispe", "chief negotiator")
    ]


def test_a_minister_of_something_is_a_title_before_the_name() -> None:
    assert _heads(["Chile's team was led by Minister of Finance Lucia Morales."], "Chile") == [
        ("Chile", "Lucia Morales", "Minister of Finance")
    ]


def test_two_heads_in_one_sentence() -> None:
    heads = _heads(
        [
            "Ghana's delegation, headed by Deputy Prime Minister Kwame Asante, met a Togolese "
            "team led by Interior Minister Yawa Mensah."
        ],
        "Ghana",
        "Togo",
    )
    assert heads == [
        ("Ghana", "Kwame Asante", "Deputy Prime Minister"),
        ("Togo", "Yawa Mensah", "Interior Minister"),
    ]


def test_a_side_is_also_known_by_its_acronym() -> None:
    text = (
        "Talks between Sudan and the Sudan People's Liberation Movement-North (SPLM-N) opened "
        "in Juba on Monday, with the country represented by the governor of Sudan. The SPLM-N "
        "delegation was led by Ammar Amoun."
    )
    side = "Sudan People's Liberation Movement-North (SPLM-N)"
    card = extract_card(text, date(2026, 3, 2)).card
    assert card.parties == ("Sudan", side)
    assert Person("head", side, "Ammar Amoun", None) in card.people


def test_a_long_organisation_name_with_its_acronym_is_one_side() -> None:
    sentence = (
        "Talks between Mali and the Coordination of Movements for the Liberation of the "
        "Azawad Region (CMLA) resumed."
    )
    sides = find_negotiating_parties(sentence, PartyNames())
    assert [party for party, _ in sides] == [
        "Mali",
        "Coordination of Movements for the Liberation of the Azawad Region (CMLA)",
    ]


def test_two_sides_named_with_their_negotiators() -> None:
    sides = find_negotiating_parties("Ecuador and Peru negotiators met in Lima.", PartyNames())
    assert [party for party, _ in sides] == ["Ecuador", "Peru"]


def test_a_round_said_to_be_under_way_is_over_once_its_last_day_has_passed() -> None:
    text = "Talks between Ecuador and Peru resumed in Lima on 3 and 4 March."
    assert extract_card(text, date(2026, 3, 10)).card.status == "concluded"
    assert extract_card(text, date(2026, 3, 4)).card.status == "ongoing"


def _observers(sentence: str) -> list[str]:
    roles = Roles()
    find_roles(sentence, PartyNames(), roles)
    return roles.observers


def test_a_mediator_that_remains_one() -> None:
    assert _mediators("Algeria remains the sole mediator between the two camps.") == ["Algeria"]


def test_a_person_may_watch_or_mediate() -> None:
    assert _observers("Former envoy Jan Eliasson attended as an observer.") == ["Jan Eliasson"]
    assert _mediators(
        "The deal was brokered by former Ghanaian president John Kufuor in Accra."
    ) == ["John Kufuor"]
    assert _mediators("The deal was brokered by Ghana's foreign minister Sam Ablakwa.") == ["Ghana"]


def test_two_sides_followed_by_any_past_tense_verb() -> None:
    sentence = "The Ugandan government and the Allied Democratic Forces (ADF) ratified a truce."
    sides = find_negotiating_parties(sentence, PartyNames())
    assert [party for party, _ in sides] == ["Uganda", "Allied Democratic Forces (ADF)"]


def test_a_side_represented_by_its_titled_member() -> None:
    assert _heads(
        ["The Karen National Union was represented by its vice-chairman, Padoh Saw Kwe Htoo."],
        "Karen National Union",
    ) == [("Karen National Union", "Padoh Saw Kwe Htoo", "vice-chairman")]


def test_a_person_under_whose_facilitation_talks_are_held_and_his_organisation() -> None:
    assert _mediators(
        "The parties met under the facilitation of former Nigerian president Olusegun Obasanjo."
    ) == ["Olusegun Obasanjo"]
    assert _mediators(
        "The forum is mediated by northern Uganda's archbishop John Baptist Odama in Gulu."
    ) == ["John Baptist Odama"]
    assert _mediators(
        "The talks were facilitated by Mary Robinson and her Elders Foundation (EF)."
    ) == ["Mary Robinson", "Elders Foundation (EF)"]


def test_a_round_s_end_said_in_a_later_sentence() -> None:
    text = (
        "Talks between Ecuador and Peru opened in Lima on Tuesday. The foreign minister said "
        "he expected the session to last until Thursday."
    )
    card = extract_card(text, date(2026, 3, 3)).card
    assert (card.start_date, card.end_date) == (date(2026, 3, 3), date(2026, 3, 5))
    unrelated = (
        "Talks between Ecuador and Peru opened in Lima on Tuesday. A curfew in the border "
        "towns remains until Thursday."
    )
    assert extract_card(unrelated, date(2026, 3, 3)).card.end_date is None


def test_a_head_titled_in_lowercase_words_in_an_elliptical_second_clause() -> None:
    assert _heads(
        [
            "The Malian side was led by Colonel Abdoulaye Maiga, and the Tuareg side by "
            "rebel commander Bilal Ag Acherif."
        ],
        "Mali",
        "Tuareg",
    ) == [
        ("Mali", "Abdoulaye Maiga", "Colonel"),
        ("Tuareg", "Bilal Ag Acherif", "rebel commander"),
    ]


def test_a_head_of_a_delegation_left_unsaid() -> None:
    heads = _heads(
        ["Minister Ana Costa led Portugal's delegation, while Envoy Luis Vidal headed Spain's."],
        "Portugal",
        "Spain",
    )
    assert ("Spain", "Luis Vidal", "Envoy") in heads


def test_a_mediator_in_a_relative_clause_in_the_present_or_through_its_government() -> None:
    assert _mediators("Norway, which mediates the dialogue, called for calm.") == ["Norway"]
    assert _mediators("Ghana and Togo, which have facilitated the process, said so.") == [
        "Ghana",
        "Togo",
    ]
    assert _mediators("Oman, whose government has brokered several swaps, welcomed it.") == ["Oman"]
    assert _mediators("Oman, whose government has not mediated since 2019, said nothing.") == []
    assert _mediators("Oman, whose foreign minister visited Tehran, said nothing.") == []


def test_a_mediator_introduced_by_what_kind_of_body_it_is() -> None:
    assert _mediators("The dialogue is facilitated by the regional bloc ECOWAS and Senegal.") == [
        "ECOWAS",
        "Senegal",
    ]
    assert _mediators("Talks were brokered by the Gulf state of Kuwait.") == ["Kuwait"]


def test_a_round_that_began_on_an_earlier_day_ends_on_the_day_reported() -> None:
    text = (
        "Peru and Ecuador concluded their border talks in Quito on Friday. The talks, which "
        "began on Tuesday, covered river navigation."
    )
    card = extract_card(text, date(2026, 5, 9)).card
    assert (card.start_date, card.end_date) == (date(2026, 5, 5), date(2026, 5, 8))
    opened = (
        "Peru and Ecuador ended their talks in Quito on 8 May without a deal. The round had "
        "opened on 4 May."
    )
    card = extract_card(opened, date(2026, 5, 9)).card
    assert (card.start_date, card.end_date) == (date(2026, 5, 4), date(2026, 5, 8))
    unrelated = (
        "Peru and Ecuador ended their talks in Quito on Friday. The dispute began on "
        "Tuesday when a patrol crossed the river."
    )
    card = extract_card(unrelated, date(2026, 5, 9)).card
    assert (card.start_date, card.end_date) == (date(2026, 5, 8), None)


def test_a_small_town_named_with_its_country_s_demonym_or_near_a_known_city() -> None:
    assert find_place("Envoys met in the Tunisian seaside town of Gammarth on Monday.") == (
        Place(None, "Gammarth", "Tunisia")
    )
    assert find_place("They gathered in the Kenyan town of Naivasha.") == Place(
        None, "Naivasha", "Kenya"
    )
    assert find_place("The leaders met at a chateau in Genval, south of Brussels.") == Place(
        None, "Genval", "Belgium"
    )
    assert find_place("They met in Smith, south of the river.") is None


def test_heads_in_an_apposition_to_both_sides() -> None:
    card = extract_card(
        "The foreign ministers of Chile and Bolivia, Ana Reyes and Luis Arce Mendoza, met in "
        "Santiago on Monday.",
        date(2026, 4, 7),
    ).card
    heads = {(p.party, p.name, p.title) for p in card.people if p.role == "head"}
    assert set(card.parties) == {"Chile", "Bolivia"}
    assert heads == {
        ("Chile", "Ana Reyes", "foreign minister"),
        ("Bolivia", "Luis Arce Mendoza", "foreign minister"),
    }


def test_a_head_and_his_counterpart() -> None:
    card = extract_card(
        "Ghana and Togo held border talks in Accra on Monday. Ghana's interior minister, Kofi "
        "Mensah, and his Togolese counterpart, Yao Agbeko, signed a communique.",
        date(2026, 4, 7),
    ).card
    heads = {(p.party, p.name, p.title) for p in card.people if p.role == "head"}
    assert heads == {
        ("Ghana", "Kofi Mensah", "interior minister"),
        ("Togo", "Yao Agbeko", "interior minister"),
    }


def test_sides_named_by_their_officials_or_their_capitals() -> None:
    names = PartyNames()
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Kenyan and Ugandan diplomats will meet in Kampala on Monday.", names
        )
    ] == ["Kenya", "Uganda"]
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Chilean officials and the outlawed Mapuche Resistance held talks on Monday.", names
        )
    ] == ["Chile", "Mapuche Resistance"]
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Qatar has mediated between Nairobi and Mogadishu for a year.", names
        )
    ] == ["Kenya", "Somalia"]


def test_a_mediator_of_something_earlier_or_not_taking_part_is_none() -> None:
    assert _mediators("Algeria, which brokered the 2015 accord, said it would not take part.") == []
    assert _mediators("Kuwait, which mediated an earlier truce, sent no envoy.") == []


def test_a_head_with_an_abbreviated_military_rank() -> None:
    sentences = ["The Malian team was led by Col. Maj. Ismael Wague, the reconciliation minister."]
    assert _heads(sentences, "Mali") == [("Mali", "Ismael Wague", "reconciliation minister")]
    sentences = ["Chad's delegation was headed by Lt. Gen. Idriss Youssouf Boy."]
    assert _heads(sentences, "Chad") == [("Chad", "Idriss Youssouf Boy", "Lt. Gen.")]


def test_the_wire_spellings_of_the_united_states_and_britain() -> None:
    names = PartyNames()
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Talks between the U.S. and Venezuela resumed in Caracas on Monday.", names
        )
    ] == ["United States", "Venezuela"]
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Britain and Mauritius signed a treaty on Thursday.", names
        )
    ] == ["United Kingdom", "Mauritius"]
    assert [
        p
        for p, _ in find_negotiating_parties(
            "Cuban and U.S. officials met in Havana on Monday.", names
        )
    ] == ["Cuba", "United States"]


def test_two_sides_agreeing_to_act_is_an_agreement() -> None:
    found = find_outcome(["Ghana and Togo agreed on Monday to open two new border posts."])
    assert found is not None and found.kind == "agreement"
    found = find_outcome(
        ["Chile and Peru wrapped up talks in Lima on Friday, agreeing to share fishing data."]
    )
    assert found is not None and found.kind == "agreement"
    assert find_outcome(["Ghana and Togo agreed to meet again in June."]) is None
    assert find_outcome(["Norway agreed to host the next round."]) is None


def test_no_agreement_that_was_not_expected_is_no_failure() -> None:
    assert find_outcome(["No deal had been expected from the first meeting, envoys said."]) is None
    found = find_outcome(["No deal was reached after two days, envoys said."])
    assert found is not None and found.kind == "no agreement"


def test_talks_held_on_the_day_of_the_report_are_over() -> None:
    text = "Chile and Peru held four hours of talks in Lima on Tuesday, officials said."
    assert extract_card(text, date(2026, 5, 5)).card.status == "concluded"
    later = "Chile and Peru talks will be held in Lima on Tuesday, officials said."
    assert extract_card(later, date(2026, 5, 3)).card.status == "scheduled"


# Delegation heads, dates and round numbers as wire copy writes them about processes no set
# covers: each case is a sentence shape, not a phrase, and each shape appears with different
# titles, sides and names.
def _heads_with(
    sentences: list[str], sides: dict[str, tuple[str, ...]]
) -> list[tuple[str | None, str, str | None]]:
    names = PartyNames()
    for side, aliases in sides.items():
        names.add(side, aliases)
    people = find_people(sentences, names, set(sides))
    # As in a card: a person with no side is left out.
    return [(p.party, p.name, p.title) for p in people if p.role == "head" and p.party]


def _same_heads(
    found: list[tuple[str | None, str, str | None]], wanted: list[tuple[str, str, str | None]]
) -> bool:
    """Every wanted head with its side and (when given) a title containing or contained in the
    one found, and no other head."""
    if len(found) != len(wanted):
        return False
    for party, name, title in wanted:
        match = next((f for f in found if f[1] == name), None)
        if match is None or match[0] != party:
            return False
        if title is not None and not (
            match[2]
            and (title.casefold() in match[2].casefold() or match[2].casefold() in title.casefold())
        ):
            return False
    return True


_GOVERNMENT = ("government",)
HEAD_CASES: list[tuple[str, dict[str, tuple[str, ...]], list[tuple[str, str, str | None]]]] = [
    (
        "Foreign Minister Bakhtiyor Saidov met his Kyrgyz counterpart, Jeenbek Kulubaev, in "
        "Tashkent on Monday.",
        {"Uzbekistan": (), "Kyrgyzstan": ()},
        [("Uzbekistan", "Bakhtiyor Saidov", "Foreign Minister"),
         ("Kyrgyzstan", "Jeenbek Kulubaev", None)],
    ),
    (
        "Azerbaijani Foreign Minister Jeyhun Bayramov and his Armenian counterpart Ararat "
        "Mirzoyan met in Almaty on Friday.",
        {"Azerbaijan": (), "Armenia": ()},
        [("Azerbaijan", "Jeyhun Bayramov", "Foreign Minister"),
         ("Armenia", "Ararat Mirzoyan", None)],
    ),
    (
        "Nepal's chief negotiator, Bimala Rai Paudyal, told reporters the talks had gone well.",
        {"Nepal": (), "India": ()},
        [("Nepal", "Bimala Rai Paudyal", "chief negotiator")],
    ),
    (
        "Justice Minister Rui Gomes, who is leading the talks for Angola, said progress was slow.",
        {"Angola": (), "UNITA": ()},
        [("Angola", "Rui Gomes", "Justice Minister")],
    ),
    (
        "Interior Minister Ahmed Haddad, who is leading the negotiations for the government, "
        "said the rebels had asked for more time.",
        {"Chad": _GOVERNMENT, "FACT": ()},
        [("Chad", "Ahmed Haddad", "Interior Minister")],
    ),
    (
        "Lamine Traoré, the foreign minister of Mali, and Ousmane Diallo, his Guinean "
        "counterpart, held talks in Conakry.",
        {"Mali": (), "Guinea": ()},
        [("Mali", "Lamine Traoré", "foreign minister"), ("Guinea", "Ousmane Diallo", None)],
    ),
    (
        "Moldova's delegation was headed by Deputy Prime Minister for Reintegration "
        "Oleg Serebrian.",
        {"Moldova": (), "Transnistria": ()},
        [("Moldova", "Oleg Serebrian", "Deputy Prime Minister for Reintegration")],
    ),
    (
        "Oleg Serebrian, Moldova's deputy prime minister for reintegration, met Transnistrian "
        "negotiator Vitaly Ignatiev in Bender.",
        {"Moldova": (), "Transnistria": ()},
        [("Moldova", "Oleg Serebrian", "deputy prime minister for reintegration"),
         ("Transnistria", "Vitaly Ignatiev", "negotiator")],
    ),
    (
        "The government's chief negotiator, Aníbal Pérez Ortega, said the ceasefire would hold.",
        {"Colombia": _GOVERNMENT, "FARC-EMC": ()},
        [("Colombia", "Aníbal Pérez Ortega", "chief negotiator")],
    ),
    (
        "Acting Foreign Minister Amir Khan Muttaqi of Afghanistan and Pakistani Foreign Minister "
        "Ishaq Dar met in Kabul on Saturday.",
        {"Afghanistan": (), "Pakistan": ()},
        [("Afghanistan", "Amir Khan Muttaqi", "Acting Foreign Minister"),
         ("Pakistan", "Ishaq Dar", "Foreign Minister")],
    ),
    (
        "The U.S. side was led by Assistant Secretary of State for African Affairs Molly Phee.",
        {"United States": (), "Sudan": ()},
        [("United States", "Molly Phee", "Assistant Secretary of State for African Affairs")],
    ),
    (
        "Kenyan President William Ruto and Ugandan President Yoweri Museveni held talks in "
        "Mombasa on Sunday.",
        {"Kenya": (), "Uganda": ()},
        [("Kenya", "William Ruto", "President"), ("Uganda", "Yoweri Museveni", "President")],
    ),
    (
        "The talks were led on the Afghan side by acting foreign minister Amir Khan Muttaqi.",
        {"Afghanistan": (), "Pakistan": ()},
        [("Afghanistan", "Amir Khan Muttaqi", "acting foreign minister")],
    ),
    (
        "Pakistan sent its special representative for Afghanistan, Mohammad Sadiq.",
        {"Afghanistan": (), "Pakistan": ()},
        [("Pakistan", "Mohammad Sadiq", "special representative for Afghanistan")],
    ),
    (
        "China sent Vice Foreign Minister Sun Weidong to the talks in Manila.",
        {"China": (), "Philippines": ()},
        [("China", "Sun Weidong", "Vice Foreign Minister")],
    ),
    (
        "Negotiations for the government are led by Senator María José Pizarro.",
        {"Colombia": _GOVERNMENT, "Comuneros del Sur": ()},
        [("Colombia", "María José Pizarro", "Senator")],
    ),
    (
        "Davit Tonoyan, head of the Armenian delegation, said the border text was nearly ready.",
        {"Armenia": (), "Azerbaijan": ()},
        [("Armenia", "Davit Tonoyan", "head of the Armenian delegation")],
    ),
    (
        "Greek Prime Minister Kyriakos Mitsotakis and Turkish President Recep Tayyip Erdogan "
        "held talks in Athens.",
        {"Greece": (), "Turkey": ()},
        [("Greece", "Kyriakos Mitsotakis", "Prime Minister"),
         ("Turkey", "Recep Tayyip Erdogan", "President")],
    ),
    # Whoever signs a text need not have negotiated it: signing alone makes no head.
    (
        "Greek Prime Minister Kyriakos Mitsotakis and Turkish President Recep Tayyip Erdogan "
        "signed a declaration in Athens.",
        {"Greece": (), "Turkey": ()},
        [],
    ),
    (
        "Serbia's chief negotiator Petar Petković and Kosovo's Besnik Bislimi met in Brussels.",
        {"Serbia": (), "Kosovo": ()},
        [("Serbia", "Petar Petković", "chief negotiator"), ("Kosovo", "Besnik Bislimi", None)],
    ),
    (
        "Ethiopia was represented at the talks by National Security Adviser Redwan Hussien, and "
        "the TPLF by its spokesman, Getachew Reda.",
        {"Ethiopia": (), "TPLF": ()},
        [("Ethiopia", "Redwan Hussien", "National Security Adviser"),
         ("TPLF", "Getachew Reda", "spokesman")],
    ),
    (
        "The chief negotiators of Ethiopia and Egypt for the dam talks, Seleshi Bekele and Hany "
        "Sewilam, met in Cairo.",
        {"Ethiopia": (), "Egypt": ()},
        [("Ethiopia", "Seleshi Bekele", "chief negotiator"),
         ("Egypt", "Hany Sewilam", "chief negotiator")],
    ),
    (
        "The Serbian team was headed by Petar Petković, and the Kosovo side by Deputy Prime "
        "Minister Besnik Bislimi.",
        {"Serbia": (), "Kosovo": ()},
        [("Serbia", "Petar Petković", None), ("Kosovo", "Besnik Bislimi", "Deputy Prime Minister")],
    ),
    (
        "Greek Cypriot negotiator Menelaos Menelaou and Turkish Cypriot negotiator Kudret Özersay "
        "held talks in Nicosia.",
        {"Greek Cypriots": (), "Turkish Cypriots": ()},
        [("Greek Cypriots", "Menelaos Menelaou", "negotiator"),
         ("Turkish Cypriots", "Kudret Özersay", "negotiator")],
    ),
    (
        "The North's team was led by Ri Son Gwon, while the South sent Vice Unification "
        "Minister Kim Nam-joong.",
        {"North Korea": (), "South Korea": ()},
        [("North Korea", "Ri Son Gwon", None),
         ("South Korea", "Kim Nam-joong", "Vice Unification Minister")],
    ),
    (
        "Vietnam sent Lieutenant General An Van Minh to the talks with Cambodia.",
        {"Vietnam": (), "Cambodia": ()},
        [("Vietnam", "An Van Minh", "Lieutenant General")],
    ),
    (
        "The U.S. side was briefed by Secretary of State Marco Rubio before the talks.",
        {"United States": (), "Iran": ()},
        [],
    ),
    (
        "Serbian President Aleksandar Vucic met separately with the EU envoy on Monday.",
        {"Serbia": (), "Kosovo": ()},
        [],
    ),
    (
        "Sheikh Tamim bin Hamad Al Thani, the emir of Qatar, hosted the two leaders.",
        {"Rwanda": (), "Democratic Republic of the Congo": ()},
        [],
    ),
    (
        "Foreign Minister Wang Yi said China supported the dialogue between the two sides.",
        {"Iran": (), "United States": ()},
        [],
    ),
    (
        "Iranian Supreme Leader Ali Khamenei said the talks with Washington would not be direct.",
        {"Iran": (), "United States": ()},
        [],
    ),
    (
        "Former president Thabo Mbeki, who leads the African Union panel, arrived in Juba.",
        {"Sudan": (), "South Sudan": ()},
        [],
    ),
    # Written after the rules above, before the rules below were widened from them.
    (
        "Sudan's army delegation, led by Major General Mohamed Osman al-Hussein, "
        "arrived in Jeddah on Sunday.",
        {"Sudan": (), "Rapid Support Forces (RSF)": ()},
        [("Sudan", "Mohamed Osman al-Hussein", "Major General")],
    ),
    (
        "The RSF team is headed by its adviser, Omar Hamdan.",
        {"Sudan": (), "Rapid Support Forces (RSF)": ()},
        [("Rapid Support Forces (RSF)", "Omar Hamdan", "adviser")],
    ),
    (
        "Thailand's deputy foreign minister, Russ Jalichandra, met Cambodian Deputy "
        "Prime Minister Prak Sokhonn in Kuala Lumpur.",
        {"Thailand": (), "Cambodia": ()},
        [("Thailand", "Russ Jalichandra", "deputy foreign minister"),
         ("Cambodia", "Prak Sokhonn", "Deputy Prime Minister")],
    ),
    (
        "Qatar's Minister of State at the Foreign Ministry, Mohammed Al-Khulaifi, "
        "chaired the session.",
        {"Democratic Republic of the Congo": (), "M23": ()},
        [],
    ),
    (
        "Venezuelan negotiator Jorge Rodríguez and opposition envoy Gerardo Blyde met "
        "in Barbados.",
        {"Venezuela": _GOVERNMENT, "Unitary Platform": ("opposition",)},
        [("Venezuela", "Jorge Rodríguez", "negotiator"),
         ("Unitary Platform", "Gerardo Blyde", "envoy")],
    ),
    (
        "Eritrea was represented by Foreign Minister Osman Saleh and Ethiopia by Prime "
        "Minister Abiy Ahmed.",
        {"Eritrea": (), "Ethiopia": ()},
        [("Eritrea", "Osman Saleh", "Foreign Minister"),
         ("Ethiopia", "Abiy Ahmed", "Prime Minister")],
    ),
    (
        "Indian External Affairs Minister S. Jaishankar held talks with his Chinese "
        "counterpart Wang Yi.",
        {"India": (), "China": ()},
        [("India", "S. Jaishankar", "External Affairs Minister"),
         ("China", "Wang Yi", None)],
    ),
    (
        "Ukraine's chief negotiator, Defence Minister Rustem Umerov, said the next "
        "round would be held in Istanbul.",
        {"Ukraine": (), "Russia": ()},
        [("Ukraine", "Rustem Umerov", None)],
    ),
    (
        "The Houthi delegation, headed by spokesman Mohammed Abdulsalam, met Saudi "
        "officials in Riyadh.",
        {"Saudi Arabia": (), "Houthis": ()},
        [("Houthis", "Mohammed Abdulsalam", "spokesman")],
    ),
    (
        "Kosovo's chief negotiator Besnik Bislimi told reporters the talks had failed.",
        {"Serbia": (), "Kosovo": ()},
        [("Kosovo", "Besnik Bislimi", "chief negotiator")],
    ),
    (
        "Armenian Deputy Prime Minister Mher Grigoryan and Azerbaijani Deputy Prime "
        "Minister Shahin Mustafayev co-chaired the border commission meeting.",
        {"Armenia": (), "Azerbaijan": ()},
        [("Armenia", "Mher Grigoryan", "Deputy Prime Minister"),
         ("Azerbaijan", "Shahin Mustafayev", "Deputy Prime Minister")],
    ),
    (
        "Georgia's delegation was led by Deputy Foreign Minister Lasha Darsalia, while "
        "Abkhazia was represented by its foreign minister, Inal Ardzinba.",
        {"Georgia": (), "Abkhazia": ()},
        [("Georgia", "Lasha Darsalia", "Deputy Foreign Minister"),
         ("Abkhazia", "Inal Ardzinba", "foreign minister")],
    ),
    (
        "President Donald Trump said he hoped Iran would accept the deal.",
        {"Iran": (), "United States": ()},
        [],
    ),
    (
        "The talks were chaired by Turkish Foreign Minister Hakan Fidan, who met both "
        "delegations.",
        {"Russia": (), "Ukraine": ()},
        [],
    ),
    (
        "Mozambique's government negotiating team is led by Defence Minister Cristóvão "
        "Chume.",
        {"Mozambique": _GOVERNMENT, "RENAMO": ()},
        [("Mozambique", "Cristóvão Chume", "Defence Minister")],
    ),
    # A second set written after those rules; three of its cases were missed and widened them.
    (
        "Russian Foreign Minister Sergei Lavrov said on Monday that Moscow was ready "
        "for talks.",
        {"Russia": (), "Ukraine": ()},
        [],
    ),
    (
        "Ukrainian President Volodymyr Zelensky, who met European leaders in London on "
        "Sunday, said the Istanbul talks were premature.",
        {"Russia": (), "Ukraine": ()},
        [],
    ),
    (
        "The Israeli delegation, led by Mossad chief David Barnea, arrived in Doha.",
        {"Israel": (), "Hamas": ()},
        [("Israel", "David Barnea", "Mossad chief")],
    ),
    (
        "Hamas's delegation was headed by Khalil al-Hayya, the group's chief in Gaza.",
        {"Israel": (), "Hamas": ()},
        [("Hamas", "Khalil al-Hayya", "chief in Gaza")],
    ),
    (
        "Philippine Foreign Secretary Enrique Manalo and Chinese Foreign Minister Wang "
        "Yi met on the sidelines of the summit.",
        {"Philippines": (), "China": ()},
        [("Philippines", "Enrique Manalo", "Foreign Secretary"),
         ("China", "Wang Yi", "Foreign Minister")],
    ),
    (
        "Colombia's peace commissioner, Otty Patiño, met ELN commander Pablo Beltrán in"
        " Caracas.",
        {"Colombia": (), "ELN": ()},
        [("Colombia", "Otty Patiño", "peace commissioner"),
         ("ELN", "Pablo Beltrán", "commander")],
    ),
    (
        "Former Kenyan president Uhuru Kenyatta, the facilitator, met rebel leaders in "
        "Nairobi.",
        {"Democratic Republic of the Congo": (), "M23": ()},
        [],
    ),
    (
        "Malian Foreign Minister Abdoulaye Diop was also present.",
        {"Mali": (), "Algeria": ()},
        [],
    ),
    (
        "The Afghan Taliban delegation was led by Deputy Prime Minister Abdul Salam "
        "Hanafi.",
        {"Pakistan": (), "Taliban": ()},
        [("Taliban", "Abdul Salam Hanafi", "Deputy Prime Minister")],
    ),
    (
        "The head of the Palestinian delegation, Azzam al-Ahmad, said the talks had "
        "stalled.",
        {"Fatah": ("Palestinian",), "Hamas": ()},
        [("Fatah", "Azzam al-Ahmad", None)],
    ),
    (
        "Lebanon's negotiating team, headed by retired general Bassam Yassin, met "
        "Israeli officials at Naqoura.",
        {"Lebanon": (), "Israel": ()},
        [("Lebanon", "Bassam Yassin", "retired general")],
    ),
    (
        "Sudanese Foreign Minister Ali Youssef met South Sudan's foreign minister, "
        "Ramadan Goc, in Juba.",
        {"Sudan": (), "South Sudan": ()},
        [("Sudan", "Ali Youssef", "Foreign Minister"),
         ("South Sudan", "Ramadan Goc", "foreign minister")],
    ),
]  # fmt: skip


def test_delegation_heads_in_the_shapes_wire_copy_uses() -> None:
    failed = [
        (sentence, _heads_with([sentence], sides))
        for sentence, sides, wanted in HEAD_CASES
        if not _same_heads(_heads_with([sentence], sides), wanted)
    ]
    assert failed == []


def _spokespeople(sentences: list[str], *sides: str) -> list[tuple[str | None, str]]:
    names = PartyNames()
    for side in sides:
        names.add(side)
    people = find_people(sentences, names, set(sides))
    return [(p.party, p.name) for p in people if p.role == "spokesperson"]


def test_a_spokesperson_of_an_institution_speaks_for_its_country() -> None:
    assert _spokespeople(
        ["State Department spokesperson Matthew Miller said the talks were useful."],
        "United States",
        "Iran",
    ) == [("United States", "Matthew Miller")]
    assert _spokespeople(
        ["Kremlin spokesman Dmitry Peskov declined to comment on the talks."], "Russia", "Ukraine"
    ) == [("Russia", "Dmitry Peskov")]
    assert _spokespeople(
        ["Nebiat Getachew, a spokesman for the Ethiopian foreign ministry, said the talks "
         "would continue."],
        "Ethiopia",
        "Egypt",
    ) == [("Ethiopia", "Nebiat Getachew")]  # fmt: skip


DATE_CASES: list[tuple[str, date, date | None, date | None]] = [
    ("The talks were held on Monday and Tuesday in Geneva.", date(2026, 3, 4),
     date(2026, 3, 2), date(2026, 3, 3)),
    ("The round opened in Doha on Monday. It closed on Wednesday with no agreement.",
     date(2026, 3, 5), date(2026, 3, 2), date(2026, 3, 4)),
    ("The talks, which opened on 9 June, ended on 12 June without a deal.", date(2026, 6, 13),
     date(2026, 6, 9), date(2026, 6, 12)),
    ("The talks began on 28 December and ended on 2 January.", date(2027, 1, 3),
     date(2026, 12, 28), date(2027, 1, 2)),
    ("The negotiations started in Rome on Monday, March 2. They are expected to conclude on "
     "Friday.", date(2026, 3, 3), date(2026, 3, 2), date(2026, 3, 6)),
    ("The round had been due to start in Addis Ababa on 3 March but was postponed.",
     date(2026, 2, 20), date(2026, 3, 3), None),
    ("The talks were meant to open in Geneva on Monday but were put off.", date(2026, 3, 6),
     date(2026, 3, 9), None),
    ("Delegations will meet in Vienna on Monday.", date(2026, 3, 6), date(2026, 3, 9), None),
    ("The two sides met in Brussels on Tuesday.", date(2026, 3, 3), date(2026, 3, 3), None),
    ("Negotiators met on Thursday and Friday last week in Oslo.", date(2026, 3, 9),
     date(2026, 3, 5), date(2026, 3, 6)),
    ("The talks in Nairobi ran from Sunday through Tuesday.", date(2026, 3, 4),
     date(2026, 3, 1), date(2026, 3, 3)),
    ("The round opened in Astana on 2 July and wrapped up two days later on 4 July.",
     date(2026, 7, 5), date(2026, 7, 2), date(2026, 7, 4)),
    ("The talks will run from 10 to 12 March in Geneva.",
     date(2026, 3, 1), date(2026, 3, 10), date(2026, 3, 12)),
    ("Talks resumed on Wednesday after a two-day break.",
     date(2026, 3, 5), date(2026, 3, 4), None),
    ("The meeting, which took place on March 3, ended without agreement.",
     date(2026, 3, 5), date(2026, 3, 3), None),
    ("The negotiators will meet again on 2-3 April.",
     date(2026, 3, 20), date(2026, 4, 2), date(2026, 4, 3)),
    ("The round, held from Monday to Wednesday, ended in Geneva.",
     date(2026, 3, 5), date(2026, 3, 2), date(2026, 3, 4)),
    ("The talks opened on Tuesday and are due to end on Thursday.",
     date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 5)),
    ("Delegations arrived in Riyadh on Sunday for talks that begin on Monday.",
     date(2026, 3, 1), date(2026, 3, 2), None),
    ("The talks, first planned for 4 May, will now open on 11 May in Nairobi.",
     date(2026, 4, 20), date(2026, 5, 4), None),
    ("The sides met last week in Oslo.", date(2026, 3, 9), None, None),
    ("The talks are set to open on 3 February and run until 6 February.",
     date(2026, 1, 20), date(2026, 2, 3), date(2026, 2, 6)),
    ("On Tuesday and Wednesday, the sides discussed border issues in Baku.",
     date(2026, 3, 5), date(2026, 3, 3), date(2026, 3, 4)),
    ("The talks, which ran from 27 to 29 May in Addis Ababa, ended without a deal.",
     date(2026, 5, 30), date(2026, 5, 27), date(2026, 5, 29)),
    ("The meeting had been planned for Thursday but was called off.",
     date(2026, 3, 2), date(2026, 3, 5), None),
]  # fmt: skip


def test_round_dates_in_the_shapes_wire_copy_uses() -> None:
    failed = []
    for text, message_date, start, end in DATE_CASES:
        card = extract_card(text, message_date).card
        if (card.start_date, card.end_date) != (start, end):
            failed.append((text, card.start_date, card.end_date))
    assert failed == []


ROUND_CASES: list[tuple[str, int | None]] = [
    ("The two sides reached a deal on Tuesday after a fifth session of talks in Rabat.", 5),
    ("Following a third session of talks, the sides signed a protocol.", 3),
    ("After the third round ended without agreement, the sides will meet again in May.", None),
    ("The latest round of talks opened in Geneva on Monday.", None),
    ("The twenty-first round of talks opened on Monday.", 21),
    ("Third-round talks opened in Astana on Tuesday.", 3),
    ("The talks, the eighth such round this year, opened on Monday.", 8),
    ("It was the second day of the sixth round.", 6),
    ("The negotiators met for the seventh time in Doha on Sunday.", 7),
    ("A second day of talks is planned for Wednesday.", None),
    ("The sides will meet again next month, after their second round ended in Cairo.", None),
    ("The fourth round of talks, the first since March, opened on Monday.", 4),
    ("The next round is expected in May.", None),
    ("Round four of the talks begins Monday.", 4),
    ("It was the 17th meeting of the joint commission.", 17),
    ("The sides held a third round of talks after the second round in Doha collapsed.", 3),
    ("The 2nd round opened in Vienna.", 2),
    ("The talks were the sides' first in five years.", None),
    ("The sixth and final round ended in Doha.", 6),
    ("The sides are preparing for a ninth round in Geneva.", 9),
    ("A new round of talks opened in Muscat.", None),
    ("The 11th round of the strategic dialogue opened in Tokyo.", 11),
]


def test_round_numbers_in_the_shapes_wire_copy_uses() -> None:
    failed = [
        (text, find_round_number([text]))
        for text, number in ROUND_CASES
        if find_round_number([text]) != number
    ]
    assert failed == []


# Sides and mediators as wire reports write them, on processes no bench set covers.
def _sides(sentence: str) -> list[str]:
    return [party for party, _ in find_negotiating_parties(sentence, PartyNames())]


def _roles(sentence: str) -> tuple[list[str], list[str], list[str]]:
    roles = Roles()
    find_roles(sentence, PartyNames(), roles)
    return roles.mediators, roles.hosts, roles.observers


@pytest.mark.parametrize(
    ("sentence", "sides"),
    [
        (
            "Talks between Armenia and Azerbaijan resumed in Almaty on Monday.",
            ["Armenia", "Azerbaijan"],
        ),
        ("Armenia-Azerbaijan talks resumed in Almaty on Monday.", ["Armenia", "Azerbaijan"]),
        (
            "Thailand held talks with Cambodia in Kuala Lumpur on Monday.",
            ["Thailand", "Cambodia"],
        ),
        (
            "Myanmar's military junta opened a new round of negotiations with the Arakan Army"
            " in Kunming.",
            ["Myanmar", "Arakan Army"],
        ),
        (
            "Ethiopia and rebels of the Tigray People's Liberation Front met in Pretoria.",
            ["Ethiopia", "Tigray People's Liberation Front"],
        ),
        (
            "Colombia and fighters of the National Liberation Army (ELN) resumed talks.",
            ["Colombia", "National Liberation Army (ELN)"],
        ),
        (
            "Delegations from Kyiv and Moscow met in Istanbul on Friday.",
            ["Ukraine", "Russia"],
        ),
        (
            "Senior officials from Beijing and Manila met in Xiamen to discuss the shoal.",
            ["China", "Philippines"],
        ),
        (
            "Talks between Khartoum and the Rapid Support Forces (RSF) opened in Jeddah.",
            ["Sudan", "Rapid Support Forces (RSF)"],
        ),
        (
            "The Sudanese army and the paramilitary Rapid Support Forces agreed to a truce.",
            ["Sudan", "Rapid Support Forces"],
        ),
        (
            "Serbian and Kosovar negotiators met in Brussels on Thursday.",
            ["Serbia", "Kosovo"],
        ),
        (
            "Filipino and Chinese diplomats will meet in Manila next week.",
            ["Philippines", "China"],
        ),
        (
            "North Korean and South Korean officials met at Panmunjom on Tuesday.",
            ["North Korea", "South Korea"],
        ),
        (
            "Iran held talks with the three European powers, France, Germany and the United"
            " Kingdom, in Oslo on Friday.",
            ["Iran", "France", "Germany", "United Kingdom"],
        ),
        (
            "Venezuela and its two neighbours, Colombia and Brazil, signed a border accord.",
            ["Venezuela", "Colombia", "Brazil"],
        ),
        (
            "The Mozambican government and the Renamo opposition party signed a ceasefire.",
            ["Mozambique", "Renamo"],
        ),
        (
            "The government of Niger and the Patriotic Liberation Front (FPL) met in Niamey.",
            ["Niger", "Patriotic Liberation Front (FPL)"],
        ),
        (
            "Negotiators for Guyana and Venezuela met in Kingstown on Thursday.",
            ["Guyana", "Venezuela"],
        ),
        (
            "Uzbekistan and Tajikistan ended a week of border talks on Friday.",
            ["Uzbekistan", "Tajikistan"],
        ),
        (
            "China and the Association of Southeast Asian Nations (ASEAN) resumed negotiations"
            " on a code of conduct.",
            ["China", "Association of Southeast Asian Nations (ASEAN)"],
        ),
        (
            "A new round of talks between the Afghan Taliban and Pakistan opened in Doha.",
            ["Afghan Taliban", "Pakistan"],
        ),
        (
            "Officials of the Israeli government and of Hamas are negotiating in Cairo.",
            ["Israel", "Hamas"],
        ),
        (
            "Eritrea is holding talks with Ethiopia in Riyadh, officials said.",
            ["Eritrea", "Ethiopia"],
        ),
        (
            "Rwandan and Congolese foreign ministers met in Washington on Monday.",
            ["Rwanda", "Democratic Republic of the Congo"],
        ),
        (
            "Talks between Burma's military and ethnic armed groups stalled in Naypyidaw.",
            ["Myanmar", "armed groups"],
        ),
        (
            "Representatives of East Timor and Australia resumed maritime boundary talks.",
            ["Timor Leste", "Australia"],
        ),
    ],
)
def test_sides_as_wire_reports_write_them(sentence: str, sides: list[str]) -> None:
    assert _sides(sentence) == sides


@pytest.mark.parametrize(
    ("sentence", "mediators", "hosts", "observers"),
    [
        (
            "The talks are being held under the auspices of the African Union.",
            ["African Union"],
            [],
            [],
        ),
        ("The sides met in Oslo, with Norway acting as facilitator.", ["Norway"], [], []),
        (
            "The meeting was convened by the African Union in Addis Ababa.",
            ["African Union"],
            [],
            [],
        ),
        (
            "The deal followed weeks of shuttle diplomacy by Qatar and Egypt.",
            ["Qatar", "Egypt"],
            [],
            [],
        ),
        (
            "The deal came after intense shuttle diplomacy by U.S. envoys.",
            ["United States"],
            [],
            [],
        ),
        (
            "The round is hosted by Switzerland, which is not mediating.",
            [],
            ["Switzerland"],
            [],
        ),
        (
            "Observers from the European Union and the United States attended the signing.",
            [],
            [],
            ["European Union", "United States"],
        ),
        (
            "The European Union will observe the talks, officials said.",
            [],
            [],
            ["European Union"],
        ),
        ("Egypt and Qatar, the two mediators, urged restraint.", ["Egypt", "Qatar"], [], []),
        (
            "Norway and Cuba are guarantors of the process, the statement said.",
            ["Norway", "Cuba"],
            [],
            [],
        ),
        (
            "The truce was reached thanks to Turkey's mediation.",
            ["Turkey"],
            [],
            [],
        ),
        ("A Qatar-led mediation brought the two sides together.", ["Qatar"], [], []),
        ("An AU-led mediation panel met both delegations.", ["African Union"], [], []),
        (
            "The talks, which Kuwait is mediating, resumed on Sunday.",
            ["Kuwait"],
            [],
            [],
        ),
        (
            "The talks were facilitated by the Community of Sant'Egidio.",
            ["Community of Sant'Egidio"],
            [],
            [],
        ),
        (
            "The talks were mediated by Kenya's former president Uhuru Kenyatta.",
            ["Uhuru Kenyatta"],
            [],
            [],
        ),
        (
            "The round, facilitated by Norway and hosted by Qatar, ended on Friday.",
            ["Norway"],
            ["Qatar"],
            [],
        ),
        (
            "Talks were held under the aegis of the Organisation of Islamic Cooperation.",
            ["Organisation of Islamic Cooperation"],
            [],
            [],
        ),
        (
            "The United Nations and the African Union attended the talks as observers.",
            [],
            [],
            ["United Nations", "African Union"],
        ),
        (
            "Saudi Arabia and the United States, which co-sponsor the talks, urged a truce.",
            ["Saudi Arabia", "United States"],
            [],
            [],
        ),
        (
            "The Vatican offered to mediate, but neither side replied.",
            [],
            [],
            [],
        ),
        (
            "Algeria, the main mediator, said the next round would open in May.",
            ["Algeria"],
            [],
            [],
        ),
        (
            "Mediation by the Economic Community of West African States (ECOWAS) continued.",
            ["Economic Community of West African States (ECOWAS)"],
            [],
            [],
        ),
        (
            "The Saudi government hosted the talks in Jeddah.",
            [],
            ["Saudi Arabia"],
            [],
        ),
    ],
)
def test_mediators_hosts_and_observers_as_wire_reports_write_them(
    sentence: str, mediators: list[str], hosts: list[str], observers: list[str]
) -> None:
    assert _roles(sentence) == (mediators, hosts, observers)


def test_unnamed_sides_take_the_names_the_article_gives_them() -> None:
    text = (
        "Mozambique and Ansar al-Sunna rebels hold first talks\n\n"
        "The government and the armed group met in Pemba on Monday, mediated by Rwanda.\n"
        "The Mozambican government had refused to talk to the insurgents for years."
    )
    card = extract_card(text, date(2026, 3, 3)).card
    assert card.parties == ("Mozambique", "Ansar al-Sunna")
    assert card.mediators == ("Rwanda",)


@pytest.mark.parametrize(
    ("sentence", "sides"),
    [
        ("U.S.-Iran talks resume in Muscat", ["United States", "Iran"]),
        ("Saudi-Houthi talks resume in Riyadh", ["Saudi Arabia", "Houthi"]),
        (
            "Iran and the E3 (France, Germany and Britain) met in Istanbul on Friday.",
            ["Iran", "France", "Germany", "United Kingdom"],
        ),
        (
            "Kinshasa and the M23 rebels signed a declaration of principles in Doha.",
            ["Democratic Republic of the Congo", "M23"],
        ),
        (
            "Israeli negotiators held indirect talks with Hamas in Doha on Sunday.",
            ["Israel", "Hamas"],
        ),
        (
            "Azerbaijani Foreign Minister Jeyhun Bayramov and his Armenian counterpart Ararat"
            " Mirzoyan met in Washington.",
            ["Azerbaijan", "Armenia"],
        ),
        (
            "Moscow and Kyiv swapped 150 prisoners each on Thursday.",
            ["Russia", "Ukraine"],
        ),
        (
            "The Philippine government and communist rebels of the National Democratic Front"
            " (NDF) resumed talks in Oslo.",
            ["Philippines", "National Democratic Front (NDF)"],
        ),
        (
            "Georgian officials held talks with representatives of breakaway Abkhazia in Geneva.",
            ["Georgia", "Abkhazia"],
        ),
        (
            "The junta in Niamey and the Patriotic Front for Liberation agreed to a truce.",
            ["Niger", "Patriotic Front for Liberation"],
        ),
    ],
)
def test_more_sides_as_wire_reports_write_them(sentence: str, sides: list[str]) -> None:
    assert _sides(sentence) == sides


@pytest.mark.parametrize(
    ("sentence", "mediators", "hosts", "observers"),
    [
        (
            "The truce was brokered by Washington and Doha, officials said.",
            ["United States", "Qatar"],
            [],
            [],
        ),
        ("The talks are facilitated by the Swiss government.", ["Switzerland"], [], []),
        (
            "A mediation team from the Intergovernmental Authority on Development arrived.",
            ["Intergovernmental Authority on Development"],
            [],
            [],
        ),
        ("Mediator Qatar said the talks would resume.", ["Qatar"], [], []),
        (
            "Representatives of the European Union attended as observers.",
            [],
            [],
            ["European Union"],
        ),
        ("Talks opened in Geneva under Norwegian facilitation.", ["Norway"], [], []),
        (
            "The two sides met in Muscat, with Omani officials shuttling between them.",
            ["Oman"],
            [],
            [],
        ),
        (
            "The meeting was hosted by Kazakhstan, which said it was not a mediator.",
            [],
            ["Kazakhstan"],
            [],
        ),
    ],
)
def test_more_mediators_hosts_and_observers(
    sentence: str, mediators: list[str], hosts: list[str], observers: list[str]
) -> None:
    assert _roles(sentence) == (mediators, hosts, observers)


def test_a_serving_official_mediates_for_the_state_a_former_one_in_person() -> None:
    assert _mediators(
        "Qatari Prime Minister Mohammed Al Thani, who is mediating, met both teams."
    ) == ["Qatar"]
    assert _mediators(
        "Former Nigerian President Olusegun Obasanjo, who is mediating, met both teams."
    ) == ["Olusegun Obasanjo"]
    assert _mediators("Angolan President Joao Lourenco, who is mediating, met both teams.") == [
        "Joao Lourenco"
    ]


def test_a_side_named_before_its_titled_envoys() -> None:
    assert _sides("Serbia and Kosovo chief negotiators met in Brussels on Monday.") == [
        "Serbia",
        "Kosovo",
    ]


def test_a_side_named_before_the_people_it_sent() -> None:
    assert _sides("Israeli and Hamas negotiators arrived in Cairo on Thursday.") == [
        "Israel",
        "Hamas",
    ]


def test_a_mediator_with_as_and_its_role() -> None:
    assert _mediators("The two sides resumed talks, with Norway as facilitator.") == ["Norway"]
    assert _mediators("Kuwait, as mediator, proposed a text.") == ["Kuwait"]


@pytest.mark.parametrize(
    ("sentence", "mediators", "hosts", "observers"),
    [
        ("The talks were held under Qatari auspices in Doha.", ["Qatar"], [], []),
        ("The deal was reached with the help of Turkish mediators.", ["Turkey"], [], []),
        ("The agreement came thanks to Egyptian mediation.", ["Egypt"], [], []),
        ("The Kenyan-led mediation has stalled since March.", ["Kenya"], [], []),
        (
            "The African Union, the United Nations and IGAD attended as observers.",
            [],
            [],
            ["African Union", "United Nations", "IGAD"],
        ),
        ("The talks were hosted by Saudi Arabia in Jeddah.", [], ["Saudi Arabia"], []),
        ("Saudi Arabia, which hosted the talks, welcomed the outcome.", [], ["Saudi Arabia"], []),
        (
            "The two delegations met in Doha, with the EU as an observer.",
            [],
            [],
            ["European Union"],
        ),
        ("Angola has been mediating between the two neighbours since 2022.", ["Angola"], [], []),
        ("The Qatari-brokered deal took effect on Sunday.", ["Qatar"], [], []),
        (
            "The talks, brokered by Egypt and Qatar with U.S. backing, resumed.",
            ["Egypt", "Qatar"],
            [],
            [],
        ),
        ("Mediators Egypt and Qatar said the truce was holding.", ["Egypt", "Qatar"], [], []),
        (
            "The Economic Community of Central African States (ECCAS) is leading the mediation.",
            ["Economic Community of Central African States (ECCAS)"],
            [],
            [],
        ),
        ("South Africa's Cyril Ramaphosa is leading the mediation.", ["South Africa"], [], []),
        (
            "The Organization of American States sent observers to the dialogue.",
            [],
            [],
            ["Organization of American States"],
        ),
        ("The Holy See is acting as a facilitator.", ["Vatican"], [], []),
        (
            "Talks took place in Riyadh at the invitation of Saudi Arabia, which did not mediate.",
            [],
            [],
            [],
        ),
        (
            "Egypt, which has long mediated between the factions, hosted the meeting in Cairo.",
            ["Egypt"],
            ["Egypt"],
            [],
        ),
        (
            "The talks are co-chaired by the African Union and the United Nations.",
            ["African Union", "United Nations"],
            [],
            [],
        ),
        ("The round ended without agreement, said Oman, the mediator.", ["Oman"], [], []),
    ],
)
def test_roles_in_further_wire_phrasings(
    sentence: str, mediators: list[str], hosts: list[str], observers: list[str]
) -> None:
    assert _roles(sentence) == (mediators, hosts, observers)


@pytest.mark.parametrize(
    ("sentence", "sides"),
    [
        (
            "Ukraine and Russia exchanged prisoners on Friday in a deal mediated by the UAE.",
            ["Ukraine", "Russia"],
        ),
        (
            "Russian and U.S. officials held talks in Riyadh on Tuesday.",
            ["Russia", "United States"],
        ),
        ("The Afghan and Pakistani delegations met in Istanbul.", ["Afghanistan", "Pakistan"]),
        (
            "Talks between the Taliban and Pakistani officials ended in Istanbul.",
            ["Taliban", "Pakistan"],
        ),
        (
            "Kinshasa and Kigali signed a peace deal in Washington.",
            ["Democratic Republic of the Congo", "Rwanda"],
        ),
        (
            "The Malian government and Tuareg separatists of the Coordination of Azawad"
            " Movements (CMA) met in Algiers.",
            ["Mali", "Coordination of Azawad Movements (CMA)"],
        ),
        (
            "Representatives of the Colombian government and the FARC dissident group"
            " Estado Mayor Central (EMC) met.",
            ["Colombia", "Estado Mayor Central (EMC)"],
        ),
        (
            "Negotiations between the government in Juba and the holdout groups resumed.",
            ["South Sudan", "holdout groups"],
        ),
        (
            "Peace talks between Ethiopia and Tigrayan forces opened in Pretoria.",
            ["Ethiopia", "Tigrayan forces"],
        ),
        ("Georgia and Russia held talks in Geneva on Thursday.", ["Georgia", "Russia"]),
        (
            "Cambodia and Thailand agreed to an immediate ceasefire in Putrajaya.",
            ["Cambodia", "Thailand"],
        ),
        ("Negotiators from the two Koreas met at the truce village.", []),
        ("India and China held the 21st round of corps commander-level talks.", ["India", "China"]),
        (
            "The Israeli and Lebanese governments agreed on a maritime border.",
            ["Israel", "Lebanon"],
        ),
        (
            "Azerbaijan's President Ilham Aliyev and Armenian Prime Minister"
            " Nikol Pashinyan signed a declaration.",
            ["Azerbaijan", "Armenia"],
        ),
    ],
)
def test_sides_in_further_wire_phrasings(sentence: str, sides: list[str]) -> None:
    assert _sides(sentence) == sides


def test_talks_with_a_mediator_or_its_minister_name_no_side() -> None:
    assert _sides("Hamas leaders held talks with Egyptian mediators in Cairo.") == []
    assert _sides("The Taliban delegation held talks with Qatar's prime minister.") == []
    assert _sides("Taliban officials held talks with Pakistani officials in Doha.") == [
        "Taliban",
        "Pakistan",
    ]


def test_a_side_named_later_wins_over_one_written_as_its_kind() -> None:
    text = (
        "Talks between the government of Mali and armed groups resumed in Algiers on Monday.\n"
        "The Malian government and the Coordination of Azawad Movements (CMA) agreed to meet"
        " again in May."
    )
    card = extract_card(text, date(2026, 3, 3)).card
    assert card.parties == ("Mali", "Coordination of Azawad Movements (CMA)")
    alone = "Talks between the government of Mali and armed groups resumed in Algiers on Monday."
    assert extract_card(alone, date(2026, 3, 3)).card.parties == ("Mali", "armed groups")


def test_sides_by_the_leaders_who_speak_for_them() -> None:
    assert _sides(
        "Sudanese army chief Abdel Fattah al-Burhan and RSF commander Mohamed Hamdan Dagalo"
        " agreed to meet."
    ) == ["Sudan", "RSF"]
    assert _sides(
        "Bosnian Serb leader Milorad Dodik and Bosniak leader Bakir Izetbegovic met in Sarajevo."
    ) == ["Bosnian Serbs", "Bosniak"]
    assert _sides(
        "Ugandan President Yoweri Museveni and LRA leader Joseph Kony signed a truce."
    ) == ["Uganda", "LRA"]


def test_a_headline_writes_and_as_a_comma() -> None:
    names = PartyNames()
    found = find_negotiating_parties(
        "Georgia, Abkhazia resume talks in Geneva", names, headline=True
    )
    assert [p for p, _ in found] == ["Georgia", "Abkhazia"]
    assert find_negotiating_parties("In Geneva, Abkhazia resumes talks", names) == []


def test_a_pair_with_the_mediator_in_it_gives_way_to_the_sides() -> None:
    text = (
        "Egypt held talks with Hamas in Cairo on Monday.\n"
        "The talks between Israel and Hamas on a longer truce are mediated by Egypt."
    )
    card = extract_card(text, date(2026, 3, 3)).card
    assert card.parties == ("Israel", "Hamas")
    assert card.mediators == ("Egypt",)


def test_a_mediation_offer_or_election_observers_name_no_role() -> None:
    assert _roles("Turkey's mediation offer was rejected by both sides.") == ([], [], [])
    assert _roles("China sent observers to the presidential election in Peru.") == ([], [], [])
    assert _roles("China sent observers to the talks in Lima.") == ([], [], ["China"])


def test_a_weekday_of_last_week_is_in_the_calendar_week_before() -> None:
    wednesday = date(2026, 3, 4)
    said = [
        ("The envoys met in Muscat on Thursday last week.", date(2026, 2, 26), None),
        ("The panels sat on Monday and Tuesday last week in Arusha.", date(2026, 2, 23),
         date(2026, 2, 24)),
        ("Both teams will meet again on Friday next week in Lomé.", date(2026, 3, 13), None),
    ]  # fmt: skip
    for sentence, start, end in said:
        mention = find_dates(sentence, wednesday)[0]
        assert (mention.start, mention.end) == (start, end), sentence


def test_a_round_counted_back_from_its_last_day() -> None:
    friday = date(2026, 3, 6)
    said = [
        ("The talks in Nairobi ended on Friday after three days of negotiations.",
         date(2026, 3, 4)),
        ("The session closed in Bern on Friday, a mediator said, two days after the fifth round"
         " of talks opened there.", date(2026, 3, 4)),
        ("The consultations concluded on Friday after four days of closed-door meetings.",
         date(2026, 3, 3)),
    ]  # fmt: skip
    for sentence, start in said:
        card = extract_card(sentence, friday).card
        assert (card.start_date, card.end_date) == (start, friday), sentence
    # An agreement reached after days of talks dates the agreement only.
    agreed = extract_card("The sides agreed on Friday after three days of talks in Lusaka.", friday)
    assert (agreed.card.start_date, agreed.card.end_date) == (friday, None)


def test_a_round_opened_on_a_calendar_day_may_run_for_weeks() -> None:
    text = (
        "The government and the rebels signed a peace accord in Arusha on Sunday after a month"
        " of talks. The negotiations, which began on October 2, were chaired by Tanzania."
    )
    card = extract_card(text, date(2026, 10, 25)).card
    assert (card.start_date, card.end_date) == (date(2026, 10, 2), date(2026, 10, 25))


def test_the_day_of_the_talks_wins_over_a_later_event_in_the_sentence() -> None:
    said = [
        "Armenia freed six soldiers on Tuesday under a deal reached at talks in Brussels on"
        " Friday last week.",
        "Colombia released two rebels on Tuesday in a swap agreed during negotiations in Havana"
        " on Saturday.",
        "The hostages flew home on Tuesday after a meeting in Doha on Sunday settled the terms.",
    ]
    found = [extract_card(text, date(2026, 3, 3)).card.start_date for text in said]
    assert found == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)]


def test_a_dateline_written_day_first_is_no_date_of_the_talks() -> None:
    text = (
        "ROME, 3 Mar. — The two parties have called off the meeting they were due to hold in"
        " Vienna on Saturday, 7 March, aides said on Tuesday."
    )
    assert extract_card(text, date(2026, 3, 3)).card.start_date == date(2026, 3, 7)


def test_a_round_said_to_open_after_something_is_the_reported_one() -> None:
    assert (
        find_round_number(
            ["The talks broke down on Friday, a day after the fourth round of negotiations opened."]
        )
        == 4
    )
    assert find_round_number(["Fighting flared soon after the sixth session began in Bern."]) == 6
    assert (
        find_round_number(
            ["After the second round ended in Oslo, the envoys flew to Rome for a third round."]
        )
        == 3
    )


def test_a_second_head_written_with_its_verb_left_out() -> None:
    assert _heads(
        ["The Greek delegation was led by Foreign Minister Nikos Dendias, and the Turkish one by"
         " his counterpart Mevlut Cavusoglu."], "Greece", "Turkey"
    ) == [("Greece", "Nikos Dendias", "Foreign Minister"),
          ("Turkey", "Mevlut Cavusoglu", "Foreign Minister")]  # fmt: skip
    assert _heads(
        ["The KANU team is led by Interior Minister Daniel Ole Kisa and the ODM negotiators by"
         " the party's secretary-general, Anyang Otieno."], "KANU", "ODM"
    ) == [("KANU", "Daniel Ole Kisa", "Interior Minister"),
          ("ODM", "Anyang Otieno", "secretary-general")]  # fmt: skip
    assert _heads(
        ["The talks were conducted by delegations headed by presidential adviser Paul Kamara for"
         " the government and by Ibrahim Sesay for the rebels."], "Sierra Leone", "RUF"
    ) == [("Sierra Leone", "Paul Kamara", "presidential adviser"),
          ("RUF", "Ibrahim Sesay", None)]  # fmt: skip


def test_a_side_named_by_its_kind() -> None:
    assert _heads(
        ["The rebel side is headed by commander Joaquín Villalobos."], "El Salvador", "ERP"
    ) == [("ERP", "Joaquín Villalobos", "commander")]
    assert _heads(
        ["The government's chief negotiator, Sergio Jaramillo, praised the text."],
        "Colombia",
        "ELN",
    ) == [("Colombia", "Sergio Jaramillo", "chief negotiator")]
    assert _heads(
        ["Senator Teresita Deles, chairwoman of the government panel, said a deal was near."],
        "Philippines",
        "MILF",
    ) == [("Philippines", "Teresita Deles", "chairwoman of the government panel")]


def test_head_titles_in_lower_case_around_the_name() -> None:
    assert _heads(
        ["Nepal's delegation was led by its chief negotiator, former prime minister Ram Sharma."],
        "Nepal",
        "Maoists",
    ) == [("Nepal", "Ram Sharma", "chief negotiator")]
    assert _heads(["SPLM chairman John Garang leads the movement's team."], "SPLM", "Sudan") == [
        ("SPLM", "John Garang", "chairman")
    ]
    assert _heads(
        ["The opposition's team was led by Colonel Arif Khan, the head of the Military Council"
         " (MC)."], "MC", "Chad"
    ) == [("MC", "Arif Khan", "head of the Military Council (MC)")]  # fmt: skip


def test_names_with_two_particles_and_a_commission_that_is_no_team() -> None:
    assert _heads(
        ["Spain's delegation was headed by its chief negotiator, Luis de la Fuente."],
        "Spain",
        "Morocco",
    ) == [("Spain", "Luis de la Fuente", "chief negotiator")]
    assert _heads(
        ["The talks are run by the Joint Commission (JC), chaired by Archbishop Paul Nkemi of"
         " Santa Rosa."], "Angola", "UNITA"
    ) == []  # fmt: skip


def test_an_institution_s_spokesperson_with_a_portfolio_in_lower_case() -> None:
    said = [
        ("Kremlin foreign policy spokesman Dmitry Peskov said the talks were useful.", "Russia"),
        ("State Department deputy spokesperson Vedant Patel said the round went well.",
         "United States"),
        ("Élysée diplomatic spokeswoman Anne Morel said France backed the text.", "France"),
    ]  # fmt: skip
    for sentence, side in said:
        people = find_people([sentence], PartyNames(), set())
        assert [(p.role, p.party) for p in people] == [("spokesperson", side)], sentence


def test_the_side_named_with_the_delegation_beats_a_title_naming_the_other() -> None:
    assert _heads(
        ["The U.S. delegation was led by Zalmay Khalilzad, the special envoy for Afghanistan."],
        "United States",
        "Afghanistan",
    ) == [("United States", "Zalmay Khalilzad", "special envoy for Afghanistan")]
    assert _heads(
        ["The EU team is headed by Maros Sefcovic, the commissioner for relations with Britain."],
        "EU",
        "Britain",
    ) == [("EU", "Maros Sefcovic", "commissioner for relations with Britain")]
    assert _heads(
        ["The Serbian delegation was led by Marko Djuric, the director of the office for Kosovo."],
        "Serbia",
        "Kosovo",
    ) == [("Serbia", "Marko Djuric", "director of the office for Kosovo")]


def test_a_gapped_head_of_a_side_named_with_its_kind_of_group() -> None:
    assert _heads(
        ["The government team was led by Kofi Mensah, the interior minister, and the opposition"
         " coalition by Ama Boateng."], "Ghana", "National Alliance"
    ) == [("Ghana", "Kofi Mensah", "interior minister"),
          ("National Alliance", "Ama Boateng", None)]  # fmt: skip
    assert _heads(
        ["The Chadian delegation is led by Idriss Abakar, and the rebel movement by Timan"
         " Erdimi."], "Chad", "UFR"
    ) == [("Chad", "Idriss Abakar", None), ("UFR", "Timan Erdimi", None)]  # fmt: skip


def test_a_side_written_as_an_acronym_the_article_never_spelled_out() -> None:
    sides = ("Transitional Federal Government", "Islamic Courts Union")
    assert _heads(["The TFG side is headed by Hassan Dahir, a former minister."], *sides) == [
        ("Transitional Federal Government", "Hassan Dahir", "former minister")
    ]
    assert _heads(["The ICU delegation was led by Sharif Ahmed."], *sides) == [
        ("Islamic Courts Union", "Sharif Ahmed", None)
    ]
    assert _heads(
        ["The NLD team is led by Tin Oo, the party's vice-chairman."],
        "National League for Democracy",
        "Myanmar",
    ) == [("National League for Democracy", "Tin Oo", "vice-chairman")]


def test_the_dateline_city_places_talks_the_body_only_points_at() -> None:
    cases = [
        (
            "LIMA, May 3 (Reuters) - Peru and Chile opened border talks in the capital on Monday.",
            Place(None, "Lima", "Peru"),
        ),
        (
            "NAIROBI, June 9 (AFP) - Talks between Somalia and Somaliland began at a Nairobi"
            " hotel on Tuesday.",
            Place(None, "Nairobi", "Kenya"),
        ),
        (
            "GOMA, Congo, April 2 (Reuters) - Congo and M23 met in this lakeside town on"
            " Thursday, officials said.",
            Place(None, "Goma", "Democratic Republic of the Congo"),
        ),
    ]
    for text, place in cases:
        assert extract_card(text, date(2026, 6, 10)).card.place == place, text
    # A dateline the talks do not point back to is only where the story was filed.
    elsewhere = "LONDON, May 3 (Reuters) - Peru and Chile opened border talks on Monday."
    assert extract_card(elsewhere, date(2026, 6, 10)).card.place is None


def test_a_go_between_mediates() -> None:
    assert _roles("The deal was struck with a Swiss diplomat, Anna Keller, acting as go-between.")[
        0
    ] == ["Anna Keller"]
    assert _roles("Qatar acted as a go-between for the two sides in Doha.")[0] == ["Qatar"]
    assert _roles("Oman served as the go-between in the prisoner talks.")[0] == ["Oman"]


def test_states_named_then_described_by_their_role() -> None:
    assert _roles("France, Germany and Italy, the three observer states of the process, attended.")[
        2
    ] == ["France", "Germany", "Italy"]
    assert _roles("Egypt, Qatar and Turkey, the guarantor countries of the truce, met in Cairo.")[
        0
    ] == ["Egypt", "Qatar", "Turkey"]
    assert _roles("The ceasefire was backed by the guarantor states Egypt, Qatar and Jordan.")[
        0
    ] == ["Egypt", "Qatar", "Jordan"]


def test_a_state_that_provides_the_venue_hosts() -> None:
    assert _roles("Switzerland provided the venue for the meeting.")[1] == ["Switzerland"]
    assert _roles("Austria hosted the signing ceremony in Vienna.")[1] == ["Austria"]
    assert _roles("Finland, which provided the venue, took no part.")[1] == ["Finland"]


def test_an_abbreviated_organisation_is_not_a_mediator_named_u() -> None:
    mediators = _roles("The talks were mediated by the U.N. envoy for the region.")[0]
    assert "U" not in mediators and "u" not in [m.casefold() for m in mediators]
    assert _roles("The talks were mediated by the U.N. on Monday.")[0] == ["United Nations"]


def test_a_side_owned_by_its_leader_or_country_keeps_its_own_name() -> None:
    assert _sides(
        "President Ana Lopez's National Renewal Party (NRP) and Jorge Ruiz's Popular Union (PU)"
        " signed a pact."
    ) == ["National Renewal Party (NRP)", "Popular Union (PU)"]
    assert _sides("Talks between Kenya's ODM and Uganda's NRM resumed on Monday.") == ["ODM", "NRM"]
    assert _sides(
        "The Party of Democratic Action (PDA) and the Front for National Salvation (FNS) met."
    ) == ["Party of Democratic Action (PDA)", "Front for National Salvation (FNS)"]


def test_a_side_owned_by_a_titled_leader() -> None:
    assert _sides(
        "Malawian Prime Minister Ana Banda's United Progress Front (UPF) and Tom Phiri's Civic"
        " Alliance (CA) signed a pact."
    ) == ["United Progress Front (UPF)", "Civic Alliance (CA)"]
    # A possessive inside a name is no owner.
    assert _sides("The Ugandan government and the Acholi People's Front (APF) signed a truce.") == [
        "Uganda",
        "Acholi People's Front (APF)",
    ]
    assert _sides(
        "Talks between Chad and the Chad People's Salvation Front (CPSF) opened in Ndjamena."
    ) == ["Chad", "Chad People's Salvation Front (CPSF)"]


def test_a_headline_may_end_on_an_abbreviation() -> None:
    from bot.intake.sentences import read_article

    for line in (
        "Armenia and Azerbaijan resume talks at U.N.",
        "Sudan rivals to meet in U.S.",
        "Rebels and government sign accord, brokered by E.U.",
    ):
        article = read_article(f"{line}\n\nThe talks opened on Monday. They will last a week.")
        assert article.headline == line
        assert article.sentences == ("The talks opened on Monday.", "They will last a week.")
    plain = read_article("The talks opened on Monday.\n\nThey will last a week.")
    assert plain.headline is None


def test_an_organisation_named_for_its_cause_is_no_titled_person() -> None:
    assert _roles("The talks were facilitated by the Centre for Peace Studies.")[0] == [
        "Centre for Peace Studies"
    ]
    assert _roles("The meeting was hosted by the Institute for Regional Security.")[1] == [
        "Institute for Regional Security"
    ]
    assert _roles("The talks were mediated by former Foreign Minister Anna Keller.")[0] == [
        "Anna Keller"
    ]
    assert _roles("Talks were facilitated by the Oslo-based Forum for Dialogue.")[0] == [
        "Forum for Dialogue"
    ]


def test_a_weekday_last_week_dates_the_reported_round() -> None:
    from bot.intake.round_context import segment_sentences

    for sentence in (
        "Serbia and Kosovo met in Brussels on Thursday last week but failed to reach agreement.",
        "The envoys met on Monday and Tuesday last week and signed a truce.",
        "Talks held on Friday last month in Doha produced no deal.",
    ):
        assert [s.current for s in segment_sentences([sentence], None)] == [True], sentence
    recalled = "The sides signed a truce; talks last week had failed."
    assert [s.current for s in segment_sentences([recalled], None)] == [True, False]


def test_what_a_round_came_to_beyond_agreements() -> None:
    assert find_outcome(
        ["Armenia and Azerbaijan signed an accord on a cessation of hostilities on Friday."]
    ) == Outcome(
        "ceasefire",
        "Armenia and Azerbaijan signed an accord on a cessation of hostilities on Friday",
    )
    swapped = find_outcome(["Ukraine and Russia carried out a prisoner swap at the border."])
    assert swapped is not None and swapped.kind == "prisoner exchange"
    done = find_outcome(["The two sides completed an exchange of 40 detainees on Sunday."])
    assert done is not None and done.kind == "prisoner exchange"


def test_the_subject_of_the_talks_or_an_earlier_accord_is_no_outcome() -> None:
    assert (
        find_outcome(
            ["The ministers held ceasefire talks in Cairo under the framework agreed in 2021."]
        )
        is None
    )
    assert find_outcome(["Both sides held peace treaty negotiations in Tokyo on Monday."]) is None
    assert find_outcome(["They held talks under the 2015 accord signed in Minsk."]) is None


def test_an_organisations_official_named_after_the_title_mediates_in_person() -> None:
    assert _roles("The talks were mediated by former UN envoy Ana Keller.")[0] == ["Ana Keller"]
    assert _roles("The accord was brokered by the AU special envoy, Tom Phiri.")[0] == ["Tom Phiri"]
    assert _roles("Talks opened under the auspices of UN Secretary-General Rosa Lind on Monday.")[
        0
    ] == ["Rosa Lind"]


def test_the_first_place_named_wins_even_as_an_unnamed_capital() -> None:
    assert find_place(
        "The talks ended in the Qatari capital on Monday with a call for calm in Gaza."
    ) == Place(None, "Doha", "Qatar")
    assert find_place(
        "Envoys met in Kenya's capital to discuss the fighting in Juba, South Sudan."
    ) == Place(None, "Nairobi", "Kenya")
    assert find_place("Fighting in Aleppo continued as talks opened in Geneva.") == Place(
        None, "Aleppo", "Syria"
    )


def test_a_renamed_capital_goes_by_its_current_name() -> None:
    assert capital_of("Kazakhstan") == "Astana"
    assert find_place("Talks resumed in the Kazakh capital on Monday.") == Place(
        None, "Astana", "Kazakhstan"
    )


def test_a_kind_of_side_then_named_takes_the_names() -> None:
    assert _sides(
        "Talks between the government of Chad and three rebel groups, the Union of Forces for"
        " Change (UFC), the Front for Renewal (FR) and the National Rally (NR), opened."
    ) == [
        "Chad",
        "Union of Forces for Change (UFC)",
        "Front for Renewal (FR)",
        "National Rally (NR)",
    ]
    assert _sides(
        "Talks between Mali's government and the armed movements Tuareg Coordination (CMA) and"
        " the Platform of Azawad (PA) resumed."
    ) == ["Mali", "Tuareg Coordination (CMA)", "Platform of Azawad (PA)"]
    # Named without their kind's names, the kind stays the side.
    assert _sides("Talks between Niger's government and rebel groups opened in Niamey.") == [
        "Niger",
        "rebel groups",
    ]


def test_a_head_of_state_mediates_in_person_however_the_state_is_written() -> None:
    assert _roles("Talks were convened by Ghana's President John Mensah.")[0] == ["John Mensah"]
    assert _roles("The deal was brokered by Qatar's Emir Tamim Al Thani.")[0] == ["Tamim Al Thani"]
    assert _roles("Talks were mediated by Senegal's foreign minister, Awa Diop.")[0] == ["Senegal"]
    # A host is the state, whoever receives the talks for it.
    assert _roles("The talks were hosted by Ghana's President John Mensah.")[1] == ["Ghana"]


def test_a_venue_described_before_its_city() -> None:
    text = "The talks were held at State House, the president's residence in Accra."
    assert find_place(text) == Place("State House", "Accra", "Ghana")
    assert find_place("They met at Lancaster House, a mansion in London, on Monday.") == Place(
        "Lancaster House", "London", "United Kingdom"
    )
    assert find_place("Talks opened at African Union headquarters in Addis Ababa.") == Place(
        "African Union headquarters", "Addis Ababa", "Ethiopia"
    )


def test_people_introduced_by_a_lowercase_title_after_chaired_by_mediate_in_person() -> None:
    assert _mediators(
        "The round was chaired by former U.N. official Jan Eliasson and Oxford professor"
        " Anna Lindqvist, who had been asked to broker a settlement."
    ) == ["Jan Eliasson", "Anna Lindqvist"]
    assert _mediators("The talks were brokered by U.S. envoy Dennis Ross.") == ["Dennis Ross"]


def test_a_co_chairman_named_in_apposition_mediates() -> None:
    assert _mediators(
        "The talks were brokered by Norwegian envoy Terje Larsen, with the African Union's"
        " special envoy, Amara Essy, as co-chairman."
    ) == ["Terje Larsen", "Amara Essy"]


def test_a_body_which_has_moderated_the_talks_mediates() -> None:
    assert _mediators(
        "Both sides will sign on Friday, the Community of Sant'Egidio, which has moderated the"
        " talks since 1990, said."
    ) == ["Community of Sant'Egidio"]


def test_a_mediator_named_by_surname_after_the_full_name_is_one_mediator() -> None:
    text = (
        "Cyprus talks chaired by Eide end without a deal\n\n"
        "NICOSIA, March 3 (Reuters) - Talks between Greek Cypriot and Turkish Cypriot leaders"
        " ended without agreement in Nicosia on Monday.\n"
        "The negotiations were chaired by U.N. envoy Espen Barth Eide.\n"
    )
    card = extract_card(text, date(2026, 3, 3)).card
    assert card.mediators == ("Espen Barth Eide",)


def test_a_city_written_without_its_accents_or_hyphen_is_known() -> None:
    assert find_place("The delegations met in Bogota on Monday.") == Place(
        None, "Bogota", "Colombia"
    )
    assert find_place("The delegations met in Bogotá on Monday.") == Place(
        None, "Bogotá", "Colombia"
    )
    assert find_place("The second round opened in Port Louis on Tuesday.") == Place(
        None, "Port Louis", "Mauritius"
    )
    assert find_place("The envoys gathered in Port-au-Prince on Friday.") == Place(
        None, "Port-au-Prince", "Haiti"
    )


def test_a_dateline_city_in_the_country_the_talks_are_said_to_be_in() -> None:
    text = (
        "Sudan talks in Kenya end without a deal\n\n"
        "MOMBASA, Kenya, March 4 (AP) - Round two of the talks between the Sudanese army and"
        " the rebels ended on Sunday without agreement.\n"
    )
    assert extract_card(text, date(2026, 3, 4)).card.place == Place(None, "Mombasa", "Kenya")
    elsewhere = text.replace("talks in Kenya", "talks stall")
    assert extract_card(elsewhere, date(2026, 3, 4)).card.place is None


def test_a_town_of_the_dateline_s_country_too_small_for_the_gazetteer() -> None:
    text = (
        "Mozambique and Renamo sign truce\n\n"
        "MAPUTO, Aug 1 (Lusa) - Mozambique's government and Renamo signed a truce on Tuesday"
        " in the northern town of Namialo-Sede, officials said.\n"
    )
    assert extract_card(text, date(2026, 8, 1)).card.place == Place(
        None, "Namialo-Sede", "Mozambique"
    )
    # A small namesake abroad does not move the town out of the dateline's country.
    namesake = text.replace("northern town of Namialo-Sede", "northern town of Banki")
    assert extract_card(namesake, date(2026, 8, 1)).card.place == Place(None, "Banki", "Mozambique")
    # Filed from a city the gazetteer does not know, the town has no country to be placed in.
    unknown = text.replace("MAPUTO", "ZZYZX")
    assert extract_card(unknown, date(2026, 8, 1)).card.place is None


def test_a_list_of_sides_that_took_part_or_initialled() -> None:
    assert _sides("Kenya, Uganda and Tanzania initialled a border protocol on Friday.") == [
        "Kenya",
        "Uganda",
        "Tanzania",
    ]
    assert _sides(
        "The Labour Party, the Green Party and the Liberal Party all took part in the talks."
    ) == ["Labour Party", "Green Party", "Liberal Party"]


def test_sides_named_only_by_whose_delegation_was_led_by_whom() -> None:
    text = (
        "Border commission meets again\n\n"
        "TASHKENT, May 3 (AP) - The border commission met for three days in Tashkent.\n"
        "Uzbekistan's delegation was led by Deputy Foreign Minister Ilhom Nematov;"
        " Kyrgyzstan's by Edil Baisalov, its deputy prime minister.\n"
    )
    card = extract_card(text, date(2026, 5, 3)).card
    assert card.parties == ("Uzbekistan", "Kyrgyzstan")
    # One delegation alone names no pair of sides.
    one = text.replace(" Kyrgyzstan's by Edil Baisalov, its deputy prime minister.", "")
    assert extract_card(one, date(2026, 5, 3)).card.parties == ()


def test_a_country_by_its_everyday_short_name() -> None:
    """A country named "X and Y" is written "X" in running copy."""
    assert country_named("Trinidad") == "Trinidad and Tobago"
    assert country_named("Antigua") == "Antigua and Barbuda"
    assert _sides("Talks between Trinidad and Venezuela opened in Caracas.") == [
        "Trinidad and Tobago",
        "Venezuela",
    ]


def test_a_member_of_parliament_abbreviated_before_the_name() -> None:
    assert _heads(
        ["The Labour team was led by MP Hilary Benn, who said the talks had gone well."],
        "Labour",
        "Conservatives",
    ) == [("Labour", "Hilary Benn", "MP")]


def test_sides_written_as_their_leaders() -> None:
    assert _sides(
        "Costa Rica President Laura Chinchilla and rebel leader Juan Ortega of the National"
        " Liberation Army (NLA) signed a truce on Monday."
    ) == ["Costa Rica", "National Liberation Army (NLA)"]
    assert _sides(
        "South Africa President Jacob Zuma and Lesotho Prime Minister Tom Thabane met on Friday."
    ) == ["South Africa", "Lesotho"]


def test_a_date_that_names_a_movement_is_no_date() -> None:
    day = date(2026, 6, 10)
    text = "Egypt's April 6 Youth Movement and the government met on June 8 in Cairo."
    assert [m.start for m in find_dates(text, day)] == [date(2026, 6, 8)]
    text = "Leaders of the July 26 coalition said the talks opened on Monday, June 8."
    assert [m.start for m in find_dates(text, day)] == [date(2026, 6, 8)]


def test_the_day_something_was_said_gives_way_to_the_days_of_the_talks() -> None:
    text = (
        "Serbia and Kosovo agree on licence plates\n\n"
        "BRUSSELS, March 12 (AP) - Serbia and Kosovo have agreed to recognise each other's"
        " licence plates, the EU's envoy said on Thursday after two days of talks in Brussels"
        " from Monday to Tuesday.\n"
    )
    card = extract_card(text, date(2026, 3, 12)).card
    assert (card.start_date, card.end_date) == (date(2026, 3, 9), date(2026, 3, 10))
    # Said alone, that day is still the best the article gives.
    alone = text.replace(" from Monday to Tuesday", "")
    assert extract_card(alone, date(2026, 3, 12)).card.start_date is not None


def test_a_plan_said_earlier_in_the_sentence_does_not_move_past_talks_forward() -> None:
    text = (
        "Kosovo will open a liaison office in Belgrade, the envoy said on Thursday after talks"
        " in Brussels from Monday to Tuesday."
    )
    found = find_dates(text, date(2026, 3, 12))
    assert (found[-1].start, found[-1].end) == (date(2026, 3, 9), date(2026, 3, 10))


def test_a_side_described_at_length_before_the_verb() -> None:
    assert _sides(
        "Mali's government and the Coordination of Azawad Movements (CMA), an alliance that"
        " brings together several armed groups of the north and some of the former rebels,"
        " signed a truce on Monday."
    ) == ["Mali", "Coordination of Azawad Movements (CMA)"]


def test_the_second_head_with_the_verb_left_out_after_a_semicolon() -> None:
    assert _heads(
        [
            "South Korea's delegation was led by Cho Tae-yong, a deputy foreign minister;"
            " North Korea's by Ri Son Gwon, its chief delegate."
        ],
        "South Korea",
        "North Korea",
    ) == [
        ("South Korea", "Cho Tae-yong", "deputy foreign minister"),
        ("North Korea", "Ri Son Gwon", "its chief delegate"),
    ]


def test_the_second_head_with_the_verb_left_out_and_a_title_after_the() -> None:
    heads = _heads(
        [
            "The Fijian side was headed by Foreign Minister Inia Seruiratu, and the Tongan"
            " delegation by the minister for the Pacific, Sione Vailahi."
        ],
        "Fiji",
        "Tonga",
    )
    assert heads[-1] == ("Tonga", "Sione Vailahi", "minister for the Pacific")


def test_a_list_of_heads_each_named_by_the_state_in_the_title() -> None:
    assert _heads(
        [
            "The delegations were headed by Armenian Foreign Minister Ara Mirzoyan, Azerbaijani"
            " Foreign Minister Jeyhun Bayramov and Georgian Prime Minister Irakli Kobakhidze."
        ],
        "Armenia",
        "Azerbaijan",
        "Georgia",
    ) == [
        ("Armenia", "Ara Mirzoyan", "Foreign Minister"),
        ("Azerbaijan", "Jeyhun Bayramov", "Foreign Minister"),
        ("Georgia", "Irakli Kobakhidze", "Prime Minister"),
    ]


def test_a_counterpart_who_heads_a_delegation_shares_the_office_said_before() -> None:
    heads = _heads(
        [
            "Ecuadorian Foreign Minister Gabriela Sommerfeld and her Peruvian counterpart, Elmer"
            " Schialer, headed their countries' delegations."
        ],
        "Ecuador",
        "Peru",
    )
    assert ("Peru", "Elmer Schialer", "Foreign Minister") in heads


def test_bodies_owned_by_the_sides_are_the_sides_when_named_as_the_talks_parties() -> None:
    assert _sides(
        "The talks are held between Serbia's Office for Kosovo (OK) and Kosovo's Commission"
        " Across the Ibar Valley (CAIV), bodies that report to the two governments."
    ) == ["Office for Kosovo (OK)", "Commission Across the Ibar Valley (CAIV)"]
    text = (
        "Serbia and Kosovo hold fifth round\n\n"
        "BRUSSELS, May 3 (AP) - The fifth round of talks between Serbia and Kosovo ended on"
        " Wednesday.\n"
        "The talks are held between Serbia's Office for Kosovo (OK) and Kosovo's Commission"
        " Across the Ibar Valley (CAIV), bodies that report to the two governments.\n"
    )
    assert extract_card(text, date(2026, 5, 3)).card.parties == (
        "Office for Kosovo (OK)",
        "Commission Across the Ibar Valley (CAIV)",
    )


def test_people_who_head_the_two_delegations_are_their_heads() -> None:
    heads = _heads(
        [
            "Fatah leader Azzam al-Ahmad and his Hamas counterpart, Musa Abu Marzouk, who head"
            " the two delegations, signed the reconciliation deal."
        ],
        "Fatah",
        "Hamas",
    )
    assert sorted(name for _, name, _ in heads) == ["Azzam al-Ahmad", "Musa Abu Marzouk"]


def test_sides_written_as_the_people_their_representatives_speak_for() -> None:
    assert _sides(
        "Talks between representatives of former Ivorian President Laurent Gbagbo and of the"
        " camp of Alassane Ouattara ended on Sunday without agreement."
    ) == ["Laurent Gbagbo", "Alassane Ouattara"]
    assert _sides(
        "Talks between envoys of exiled leader Jean-Bertrand Aristide and of the military"
        " government of Raoul Cedras opened in New York."
    ) == ["Jean-Bertrand Aristide", "Raoul Cedras"]


def test_a_side_that_is_a_person_is_written_later_by_surname() -> None:
    text = (
        "Ivorian rivals talk in Accra\n\n"
        "ACCRA, Jan 5 (AP) - Talks between representatives of former Ivorian President Laurent"
        " Gbagbo and of the camp of Alassane Ouattara ended on Sunday in Accra.\n"
        "Gbagbo's delegation was led by his former prime minister, Gilbert Ake; Ouattara's by"
        " Guillaume Soro, his prime minister.\n"
    )
    heads = [(p.party, p.name) for p in extract_card(text, date(2026, 1, 5)).card.people]
    assert ("Laurent Gbagbo", "Gilbert Ake") in heads
    assert ("Alassane Ouattara", "Guillaume Soro") in heads


def test_groups_written_as_the_leaders_who_lead_them() -> None:
    assert _sides(
        "Kenya's two rival coalitions, led by Raila Odinga and Mwai Kibaki, signed a"
        " power-sharing deal in Nairobi."
    ) == ["Raila Odinga", "Mwai Kibaki"]
    assert _sides(
        "Zimbabwe's three political parties, led by Robert Mugabe, Morgan Tsvangirai and Arthur"
        " Mutambara, signed the accord."
    ) == ["Robert Mugabe", "Morgan Tsvangirai", "Arthur Mutambara"]

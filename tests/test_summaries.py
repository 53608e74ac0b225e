"""Rendering and splitting, checked against the Pakistan–Taliban Istanbul round (round 2)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest

from bot.delivery.split import split_message
from bot.reading.alert_parts import split_alert
from bot.reading.phrasing import format_date_span, format_place
from bot.reading.render import (
    ALERT_LABELS,
    render_alert,
    render_history,
    render_latest,
    render_parties,
    render_statements,
    render_topic_card,
    render_topic_list,
    render_update,
)
from bot.reading.what_changed import FieldChange
from storage.views import (
    MemberView,
    PartyView,
    PlaceView,
    RoundBrief,
    RoundView,
    SourceView,
    StatementView,
    TopicView,
)

HOSTILE = "<b>x</b> & y"
HOSTILE_ESCAPED = "&lt;b&gt;x&lt;/b&gt; &amp; y"
TELEGRAM_TAGS: dict[str, set[str]] = {
    "b": set(),
    "i": set(),
    "u": set(),
    "s": set(),
    "a": {"href"},
    "code": set(),
    "pre": set(),
    "blockquote": {"expandable"},
}
TELEGRAM_ENTITIES = {"lt", "gt", "amp", "quot"}
LIMIT = 4096


class TelegramHtml(HTMLParser):
    """Accepts only what Telegram's HTML parse mode accepts, and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open_tags: list[str] = []
        self.problems: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        for name, _ in attrs:
            if name not in TELEGRAM_TAGS.get(tag, set()):
                self.problems.append(f"attribute {name} on <{tag}> is not allowed")
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            self.problems.append(f"</{tag}> does not close the innermost open tag")
        else:
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        for character in "<>&":
            if character in data:
                self.problems.append(f"unescaped {character!r} in {data[:40]!r}")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in TELEGRAM_ENTITIES:
            self.problems.append(f"entity &{name}; is not supported")
        self.visible.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.visible.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declarations are not allowed")


def visible_text(message: str) -> str:
    """The text a user sees, after asserting Telegram would accept the HTML."""
    parser = TelegramHtml()
    parser.feed(message)
    parser.close()
    assert parser.problems == [], parser.problems
    assert parser.open_tags == [], f"left open: {parser.open_tags}"
    assert parser.rawdata == "", f"unparsed tail: {parser.rawdata!r}"
    return "".join(parser.visible)


def doha_round() -> RoundBrief:
    return RoundBrief(
        number=1,
        title="Initial talks in Doha",
        start_date=date(2026, 10, 18),
        end_date=date(2026, 10, 19),
        place=PlaceView(city="Doha", country="Qatar"),
        status="concluded",
        outcome_type="ceasefire",
        outcome_text="both sides agreed on a ceasefire and to continue negotiations",
    )


def pakistan() -> PartyView:
    return PartyView(
        name="Pakistan",
        roles=("negotiating",),
        members=(
            MemberView("member", "Inter-Services Intelligence (ISI) senior officials"),
            MemberView("member", "Ministry of Defence officials"),
            MemberView("member", "Ministry of Foreign Affairs"),
            MemberView("member", "Director General of Military Operations"),
            MemberView("member", "a high-level diplomat"),
            MemberView("spokesperson", "Tahir Hussain Andrabi", "Ministry of Foreign Affairs"),
        ),
        statements=(
            StatementView(
                kind="demand",
                party="Pakistan",
                person="Tahir Hussain Andrabi",
                text="a verifiable mechanism to prevent terrorist attacks launched from Afghan "
                "territory",
                said_on=date(2026, 10, 23),
            ),
        ),
    )


def taliban() -> PartyView:
    return PartyView(
        name="Taliban administration",
        aliases=("Islamic Emirate",),
        roles=("negotiating",),
        members=(
            MemberView("spokesperson", "Zabihullah Mujahid"),
            MemberView("head", "Haji Najib", "Deputy Minister of Interior"),
        ),
    )


def istanbul_round(**changes: object) -> RoundView:
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
        parties=(pakistan(), taliban()),
        outcome_type=None,
        outcome_text=None,
        next_meeting=None,
        previous=doha_round(),
        sources=(
            SourceView(
                publisher="Ministry of Foreign Affairs press conference",
                published=date(2026, 10, 23),
            ),
        ),
        summary="Pakistan seeks a clear monitoring framework to curb security threats from "
        "Afghan territory.\n\nThe Taliban have not stated their positions.",
    )
    return replace(view, **changes)


def paragraph_containing(message: str, fragment: str) -> str:
    matches = [p for p in message.split("\n\n") if fragment in p]
    assert len(matches) == 1, f"{fragment!r} is in {len(matches)} paragraphs"
    return matches[0]


def test_alert_shows_every_fact_of_the_reference_round() -> None:
    seen = visible_text(render_alert(istanbul_round(), kind="new_round"))

    for fact in [
        "Pakistan–Taliban talks",
        "Round 2 · Second round of talks begins in Istanbul",
        "📅 24 October 2026 · 📍 Istanbul, Turkey",
        "Status: ongoing",
        "Mediators: Qatar, Turkey",
        "Taliban administration (Islamic Emirate) — head: Haji Najib (Deputy Minister of "
        "Interior); spokesperson: Zabihullah Mujahid",
        "Pakistan — spokesperson: Tahir Hussain Andrabi (Ministry of Foreign Affairs); "
        "5 members: Inter-Services Intelligence (ISI) senior officials, Ministry of Defence "
        "officials, Ministry of Foreign Affairs, Director General of Military Operations, "
        "a high-level diplomat",
        "Demand, Pakistan (Tahir Hussain Andrabi, 23 October 2026): a verifiable mechanism to "
        "prevent terrorist attacks launched from Afghan territory",
        "Previous round: Round 1, Doha, Qatar, 18–19 October 2026 — ceasefire: both sides "
        "agreed on a ceasefire and to continue negotiations",
        "Source: Ministry of Foreign Affairs press conference, 23 October 2026",
        "Pakistan seeks a clear monitoring framework",
        "The Taliban have not stated their positions.",
    ]:
        assert fact in seen, fact
    assert "None" not in seen


def test_the_first_three_lines_say_what_happened() -> None:
    message = render_alert(istanbul_round(), kind="new_round")

    assert message.split("\n")[:3] == [
        "🆕 New round · <b>Pakistan–Taliban talks</b>",
        "<b>Round 2 · Second round of talks begins in Istanbul</b>",
        "<b>Status: ongoing</b>",
    ]
    concluded = istanbul_round(status="concluded", outcome_type="agreement", outcome_text="a pact")
    assert render_alert(concluded, kind="outcome").split("\n")[2] == (
        "<b>Status: concluded · Outcome — agreement: a pact</b>"
    )


def test_the_rest_follows_in_one_fixed_order() -> None:
    seen = visible_text(render_alert(istanbul_round(), kind="new_round"))

    order = ["📅", "Mediators", "Haji Najib", "Demand, Pakistan", "Previous round", "Source:"]
    positions = [seen.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert seen.endswith("The Taliban have not stated their positions.")


def test_heads_come_first_and_many_members_fold_into_one_line() -> None:
    message = render_alert(istanbul_round(), kind="new_round")

    taliban_line = next(line for line in message.split("\n") if "Haji Najib" in line)
    assert taliban_line.index("head:") < taliban_line.index("spokesperson:")
    pakistan_line = next(line for line in message.split("\n") if "5 members:" in line)
    assert "Haji Najib" not in pakistan_line


def test_the_summary_opens_on_a_tap_so_it_cannot_push_the_news_off_screen() -> None:
    message = render_alert(istanbul_round(), kind="new_round")

    assert message.endswith(
        "<blockquote expandable>Pakistan seeks a clear monitoring framework to curb security "
        "threats from Afghan territory.\n\nThe Taliban have not stated their positions."
        "</blockquote>"
    )


def test_a_new_round_says_what_differs_from_the_one_before() -> None:
    since = [
        FieldChange("Place", "Doha, Qatar", "Istanbul, Turkey"),
        FieldChange("Demand, Pakistan", None, "a mechanism", item=True),
        FieldChange("Demand, Taliban administration", "an old demand", None, item=True),
    ]

    message = render_alert(istanbul_round(), kind="new_round", since_previous=since)

    paragraph = paragraph_containing(message, "Previous round")
    assert paragraph.split("\n")[1] == (
        "Since round 1: Place: Doha, Qatar → Istanbul, Turkey · Demand, Pakistan (new) · "
        "Demand, Taliban administration (dropped): an old demand"
    )


def test_a_round_update_lists_before_and_after_and_not_the_unchanged_card() -> None:
    changes = [
        FieldChange("Status", "ongoing", "concluded"),
        FieldChange("Outcome", None, "agreement: a joint monitoring mechanism"),
        FieldChange("Next meeting", None, "Istanbul, 6 November"),
        FieldChange("Demand, Pakistan", None, "hand over militants", item=True),
    ]
    view = istanbul_round(summary="The talks ended on Thursday.")

    message = render_update(view, kind="outcome", changes=changes)

    assert message.split("\n")[:3] == [
        "🤝 Outcome · <b>Pakistan–Taliban talks</b>",
        "<b>Round 2 · Second round of talks begins in Istanbul</b>",
        "<b>Status: ongoing → concluded · Outcome — agreement: a joint monitoring mechanism</b>",
    ]
    assert paragraph_containing(message, "What changed:") == (
        "What changed:\n"
        "• Next meeting: none → Istanbul, 6 November\n"
        "• ➕ Demand, Pakistan: hand over militants"
    )
    assert "Haji Najib" not in message and "Mediators" not in message
    assert "The talks ended on Thursday." in message
    assert message.endswith("<i>The whole round: /latest pak-taliban-talks</i>")


def test_an_update_without_status_or_outcome_leads_with_its_first_change() -> None:
    changes = [FieldChange("Place", "Istanbul, Turkey", "Ankara, Turkey")]

    message = render_update(istanbul_round(summary=None), kind="round_update", changes=changes)

    assert message.split("\n")[2] == "<b>Place: Istanbul, Turkey → Ankara, Turkey</b>"
    assert "What changed" not in message


def torkham() -> RoundView:
    return istanbul_round(
        number=None,
        title="Pakistan says the Torkham crossing reopens",
        start_date=date(2026, 11, 2),
        place=PlaceView(city="Torkham", country="Pakistan"),
        status=None,
        mediators=(),
        parties=(),
        previous=None,
        other_statements=(
            StatementView("announcement", "Pakistan", None, "the crossing reopens on Monday"),
        ),
        summary=None,
        sources=(),
    )


def test_a_development_is_never_called_a_round_nor_given_a_status() -> None:
    message = render_alert(torkham(), kind="development")

    assert message.split("\n")[:3] == [
        "📣 Development · <b>Pakistan–Taliban talks</b>",
        "<b>Pakistan says the Torkham crossing reopens</b>",
        "<b>Announcement, Pakistan: the crossing reopens on Monday</b>",
    ]
    seen = visible_text(message)
    assert "Round" not in seen and "round" not in seen
    assert "Status" not in seen and "scheduled" not in seen
    assert seen.count("the crossing reopens on Monday") == 1


@pytest.mark.parametrize("kind", list(ALERT_LABELS))
def test_alert_kind_sets_the_first_line(kind: str) -> None:
    message = render_alert(istanbul_round(), kind=kind)

    assert message.split("\n")[0] == f"{ALERT_LABELS[kind]} · <b>Pakistan–Taliban talks</b>"


def test_alert_labels_are_the_documented_ones() -> None:
    assert ALERT_LABELS == {
        "new_round": "🆕 New round",
        "round_update": "🔄 Round update",
        "development": "📣 Development",
        "outcome": "🤝 Outcome",
        "correction": "✏️ Correction",
        "latest": "📌 Latest round",
        "latest_development": "📣 Latest development",
    }


def test_unknown_alert_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown alert kind"):
        render_alert(istanbul_round(), kind="breaking")


def test_alert_leaves_out_what_is_not_known() -> None:
    bare = RoundView(
        topic_slug="t",
        topic_title="Topic",
        number=None,
        title="Talks announced",
        start_date=None,
        end_date=None,
        place=PlaceView(),
        status=None,
        mediators=(),
        hosts=(),
        observers=(),
        parties=(),
        outcome_type=None,
        outcome_text=None,
        next_meeting=None,
        previous=None,
        sources=(),
        summary=None,
    )

    message = render_alert(bare, kind="development")

    assert message == "📣 Development · <b>Topic</b>\n<b>Talks announced</b>"


def test_alert_shows_outcome_next_meeting_hosts_and_observers() -> None:
    view = istanbul_round(
        status="concluded",
        hosts=("Turkey",),
        observers=("United Nations", "China"),
        outcome_type="agreement",
        outcome_text="a joint monitoring mechanism",
        next_meeting="Istanbul, 6 November",
    )

    seen = visible_text(render_alert(view, kind="outcome"))

    assert "Outcome — agreement: a joint monitoring mechanism" in seen
    assert "Next meeting: Istanbul, 6 November" in seen
    assert "Hosts: Turkey" in seen
    assert "Observers: United Nations, China" in seen


def test_outcome_without_a_type_still_shows_its_text() -> None:
    seen = visible_text(
        render_alert(istanbul_round(outcome_text="talks will resume"), kind="outcome")
    )

    assert "Outcome — talks will resume" in seen


def test_a_statement_without_a_date_is_shown_without_one() -> None:
    party = PartyView(
        name="Pakistan",
        statements=(StatementView("position", "Pakistan", None, "lasting peace"),),
    )

    seen = visible_text(render_alert(istanbul_round(parties=(party,)), kind="new_round"))

    assert "🗣 Position, Pakistan: lasting peace" in seen
    assert "Parties: Pakistan" in seen


def test_statements_outside_the_delegations_name_their_party() -> None:
    others = (
        StatementView("announcement", "Qatar", None, "talks will continue in Istanbul"),
        StatementView("claim", None, None, "attacks continued during the ceasefire"),
    )

    message = render_alert(istanbul_round(other_statements=others), kind="new_round")

    paragraph = paragraph_containing(message, "Announcement, Qatar")
    assert paragraph.split("\n")[1:] == [
        "🗣 Claim: attacks continued during the ceasefire",
        "🗣 Announcement, Qatar: talks will continue in Istanbul",
    ]
    assert message.index("Zabihullah Mujahid") < message.index("Announcement, Qatar")


def test_summary_keeps_its_paragraphs_and_line_breaks() -> None:
    message = render_alert(istanbul_round(summary="One\ntwo\r\n\r\n\n  Three  "), kind="latest")

    assert message.endswith("\n\n<blockquote expandable>One\ntwo\n\nThree</blockquote>")


def test_source_publisher_is_linked_and_several_sources_are_listed() -> None:
    sources = (
        SourceView("Dawn", "Pakistan seeks mechanism", "https://dawn.com/a?x=1&y=2"),
        SourceView("Amu TV", url="javascript:alert(1)", published=date(2026, 10, 24)),
        SourceView("Reuters", "“Talks end”", "http://[", None),
    )

    message = render_alert(istanbul_round(sources=sources), kind="new_round")

    paragraph = paragraph_containing(message, "Sources:")
    assert '• <a href="https://dawn.com/a?x=1&amp;y=2">Dawn</a>, “Pakistan seeks mechanism”' in (
        paragraph
    )
    assert "• Amu TV (javascript:alert(1)), 24 October 2026" in paragraph
    assert "• Reuters (http://[), “Talks end”" in paragraph
    assert 'href="javascript' not in message
    visible_text(message)


def test_every_stored_string_is_escaped() -> None:
    hostile_party = PartyView(
        name=HOSTILE,
        aliases=(HOSTILE,),
        roles=("negotiating", HOSTILE),
        members=(MemberView("head", HOSTILE, HOSTILE), MemberView(HOSTILE, HOSTILE)),
        statements=(StatementView(HOSTILE, HOSTILE, HOSTILE, HOSTILE, round_title=HOSTILE),),
    )
    hostile_place = PlaceView(HOSTILE, HOSTILE, HOSTILE)
    hostile_brief = RoundBrief(1, HOSTILE, None, None, hostile_place, HOSTILE, HOSTILE, HOSTILE)
    view = RoundView(
        topic_slug=HOSTILE,
        topic_title=HOSTILE,
        number=3,
        title=HOSTILE,
        start_date=None,
        end_date=None,
        place=hostile_place,
        status=HOSTILE,
        mediators=(HOSTILE,),
        hosts=(HOSTILE,),
        observers=(HOSTILE,),
        parties=(hostile_party,),
        outcome_type=HOSTILE,
        outcome_text=HOSTILE,
        next_meeting=HOSTILE,
        previous=hostile_brief,
        sources=(SourceView(HOSTILE, HOSTILE, 'https://x.org/"><b>', date(2026, 1, 1)),),
        summary=HOSTILE,
        other_statements=(StatementView(HOSTILE, HOSTILE, HOSTILE, HOSTILE),),
    )
    topic = TopicView(HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1, 1, 1)
    change = FieldChange(HOSTILE, HOSTILE, HOSTILE)

    messages = [
        render_alert(view, kind="new_round", since_previous=[change]),
        render_update(view, kind="round_update", changes=[change, change]),
        render_latest(view, replace(view, number=None), HOSTILE),
        render_parties(HOSTILE, HOSTILE, [hostile_party]),
        render_statements(HOSTILE, HOSTILE, HOSTILE, hostile_party.statements),
        render_history(HOSTILE, HOSTILE, [hostile_brief, replace(hostile_brief, number=None)]),
        render_topic_card(topic),
        render_topic_list([topic]),
    ]

    for message in messages:
        assert "<b>x</b>" not in message
        assert HOSTILE_ESCAPED in message
        assert HOSTILE in visible_text(message)
    assert 'href="https://x.org/&quot;&gt;&lt;b&gt;"' in messages[0]


def test_latest_puts_a_newer_development_under_the_news_of_the_round() -> None:
    message = render_latest(istanbul_round(), torkham(), "Pakistan–Taliban talks")

    paragraphs = message.split("\n\n")
    assert paragraphs[0].startswith("📌 Latest round · <b>Pakistan–Taliban talks</b>")
    assert paragraphs[1] == (
        "📣 Latest development: <b>Pakistan says the Torkham crossing reopens</b>\n"
        "📅 2 November 2026 · 📍 Torkham, Pakistan\n"
        "Announcement, Pakistan: the crossing reopens on Monday"
    )
    only_development = render_latest(None, torkham(), "Pakistan–Taliban talks")
    assert only_development.startswith("📣 Latest development · ")


def test_latest_on_an_empty_topic_says_there_is_nothing_yet() -> None:
    seen = visible_text(render_latest(None, None, "Pakistan–Taliban talks"))

    assert seen.startswith("Nothing has been published for Pakistan–Taliban talks yet.")
    assert "No rounds" not in seen


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 10, 24), None, "24 October 2026"),
        (date(2026, 10, 24), date(2026, 10, 24), "24 October 2026"),
        (date(2026, 10, 18), date(2026, 10, 19), "18–19 October 2026"),
        (date(2026, 9, 30), date(2026, 10, 2), "30 September – 2 October 2026"),
        (date(2026, 12, 30), date(2027, 1, 2), "30 December 2026 – 2 January 2027"),
        (None, date(2026, 10, 2), "until 2 October 2026"),
        (None, None, None),
    ],
)
def test_format_date_span(start: date | None, end: date | None, expected: str | None) -> None:
    assert format_date_span(start, end) == expected


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (
            PlaceView(venue="Dolmabahçe Palace", city="Istanbul", country="Turkey"),
            "Dolmabahçe Palace, Istanbul, Turkey",
        ),
        (PlaceView(city="Doha", country="Qatar"), "Doha, Qatar"),
        (PlaceView(country="Qatar", venue="  "), "Qatar"),
        (PlaceView(), None),
    ],
)
def test_format_place(place: PlaceView, expected: str | None) -> None:
    assert format_place(place) == expected


def test_parties_are_grouped_by_role_with_delegations_and_statements() -> None:
    turkey = PartyView("Turkey", roles=("mediator", "host"))
    qatar = PartyView(
        "Qatar",
        roles=("mediator",),
        statements=(
            StatementView("announcement", "Qatar", None, "talks will continue", round_number=2),
        ),
    )
    guarantor = PartyView("China", roles=("guarantor",))
    pakistan_in_round_2 = replace(pakistan(), members_round=2)

    message = render_parties(
        "Pakistan–Taliban talks",
        "pak-taliban-talks",
        [pakistan_in_round_2, taliban(), qatar, turkey, guarantor],
    )

    seen = visible_text(message)
    assert "<code>pak-taliban-talks</code>" in message
    assert seen.index("Negotiating parties") < seen.index("Mediators") < seen.index("Hosts")
    pakistan_paragraph = paragraph_containing(message, "<b>Pakistan</b>")
    assert "<i>Delegation in round 2:</i> spokesperson: Tahir Hussain Andrabi" in (
        pakistan_paragraph
    )
    assert "• Demand (23 October 2026, Tahir Hussain Andrabi): a verifiable" in pakistan_paragraph
    assert "<b>Taliban administration</b> (Islamic Emirate)" in message
    assert "head: Haji Najib (Deputy Minister of Interior); spokesperson: Zabihullah" in seen
    assert "• Announcement (round 2): talks will continue" in paragraph_containing(
        message, "<b>Qatar</b>"
    )
    assert "🏛 <b>Hosts</b>\n• <b>Turkey</b>" in message
    assert message.count("<b>Turkey</b>") == 2
    assert "• <b>China</b> — guarantor" in paragraph_containing(message, "Other parties")
    assert "Observers" not in seen


def test_parties_show_at_most_three_statements_and_say_how_to_see_more() -> None:
    said = tuple(
        StatementView("position", "Pakistan", None, f"position {n}", round_number=n)
        for n in range(5, 0, -1)
    )
    party = PartyView("Pakistan", roles=("negotiating",), statements=said[:3], more_statements=2)

    message = render_parties("T", "t", [party])

    paragraph = paragraph_containing(message, "<b>Pakistan</b>")
    assert paragraph.split("\n")[1:] == [
        "• Position (round 5): position 5",
        "• Position (round 4): position 4",
        "• Position (round 3): position 3",
        "<i>2 more statements: /statements t Pakistan</i>",
    ]


def test_statements_lists_everything_a_party_said_with_round_and_date() -> None:
    said = [
        StatementView("demand", "Pakistan", None, "a mechanism", date(2026, 10, 23), 2),
        StatementView("position", "Pakistan", None, "lasting peace", None, None, "Torkham reopens"),
    ]

    seen = visible_text(render_statements("T", "t", "Pakistan", said))

    assert "• Demand (round 2, 23 October 2026): a mechanism" in seen
    assert "• Position (Torkham reopens): lasting peace" in seen
    assert "No statements by Pakistan" in visible_text(render_statements("T", "t", "Pakistan", []))


def test_no_parties_is_said_plainly() -> None:
    seen = visible_text(render_parties("Pakistan–Taliban talks", "pak-taliban-talks", []))

    assert "No parties recorded yet." in seen


def test_history_lists_rounds_oldest_first_and_developments_apart() -> None:
    istanbul = RoundBrief(
        2,
        "Second round of talks begins in Istanbul",
        date(2026, 10, 24),
        None,
        PlaceView(city="Istanbul", country="Turkey"),
        "ongoing",
        None,
        None,
    )
    undated = RoundBrief(3, "Third round", None, None, PlaceView(), "scheduled", None, None)
    torkham = RoundBrief(
        None, "Torkham crossing reopens", date(2026, 10, 21), None, PlaceView(), None, None, None
    )

    message = render_history(
        "Pakistan–Taliban talks", "pak-taliban-talks", [undated, torkham, istanbul, doha_round()]
    )

    paragraphs = visible_text(message).split("\n\n")
    assert paragraphs[1].split("\n") == [
        "Round 1 · Initial talks in Doha · 18–19 October 2026 · Doha, Qatar "
        "· concluded — ceasefire",
        "Round 2 · Second round of talks begins in Istanbul · 24 October 2026 · Istanbul, Turkey "
        "· ongoing",
        "Round 3 · Third round · scheduled",
    ]
    assert paragraphs[2] == "📣 Developments\n• 21 October 2026 · Torkham crossing reopens"


def test_empty_history_is_said_plainly() -> None:
    assert "No rounds recorded yet." in visible_text(render_history("T", "t", []))


def test_topic_card_shows_description_status_and_counts() -> None:
    topic = TopicView(
        "pak-taliban-talks",
        "Pakistan–Taliban talks",
        "Talks on cross-border attacks.",
        "active",
        12,
        2,
    )

    message = render_topic_card(topic)

    seen = visible_text(message)
    assert "<b>Pakistan–Taliban talks</b>" in message
    for fact in [
        "Talks on cross-border attacks.",
        "Status: active",
        "12 subscribers",
        "2 rounds recorded",
    ]:
        assert fact in seen
    single = visible_text(render_topic_card(replace(topic, subscribers=1, rounds=1)))
    assert "1 subscriber ·" in single
    assert "1 round recorded" in single
    with_development = visible_text(render_topic_card(replace(topic, developments=1)))
    assert "2 rounds, 1 development recorded" in with_development


def test_topic_list_shows_slug_title_and_round_count() -> None:
    topics = [
        TopicView("pak-taliban-talks", "Pakistan–Taliban talks", None, "active", rounds=2),
        TopicView("iran-e3", "Iran–E3 talks", None, "active", rounds=1),
    ]

    message = render_topic_list(topics)

    assert "<code>pak-taliban-talks</code> — Pakistan–Taliban talks · 2 rounds" in message
    assert "<code>iran-e3</code> — Iran–E3 talks · 1 round" in message
    visible_text(message)


def test_empty_topic_list_is_friendly() -> None:
    assert render_topic_list([]) == "No topics yet. Check back soon!"


def test_short_message_is_not_split() -> None:
    message = render_alert(istanbul_round(), kind="new_round")

    assert split_alert(message) == [message]


def assert_split_is_sound(message: str, parts: list[str], limit: int = LIMIT) -> None:
    assert len(parts) > 1
    for part in parts:
        assert 0 < len(part) <= limit
        assert visible_text(part).strip()
    rejoined = " ".join(visible_text(part) for part in parts)
    assert rejoined.split() == visible_text(message).split()


def test_long_summary_splits_between_paragraphs() -> None:
    paragraphs = [f"Paragraph {n}: " + "negotiators met again " * 20 for n in range(23)]
    message = render_alert(istanbul_round(summary="\n\n".join(paragraphs)), kind="new_round")
    assert len(message) > 10_000

    parts = split_message(message)

    assert_split_is_sound(message, parts)
    for paragraph in message.split("\n\n"):
        assert any(paragraph in part for part in parts), paragraph[:40]


def test_later_parts_of_a_split_alert_carry_the_topic_line_and_their_number() -> None:
    paragraphs = [f"Paragraph {n}: " + "negotiators met again " * 20 for n in range(23)]
    message = render_alert(istanbul_round(summary="\n\n".join(paragraphs)), kind="new_round")

    parts = split_alert(message)

    count = len(parts)
    assert count > 2
    assert parts[0].startswith("🆕 New round · <b>Pakistan–Taliban talks</b>")
    for number, part in enumerate(parts[1:], 2):
        assert part.startswith(f"🆕 New round · Pakistan–Taliban talks ({number}/{count})\n\n")
        assert len(part) <= LIMIT
        visible_text(part)


def test_over_long_paragraph_splits_between_lines() -> None:
    lines = [f"• line {n} <i>with a detail</i> &amp; more" for n in range(400)]
    message = "<b>Header</b>\n\n" + "\n".join(lines)

    parts = split_message(message, limit=1000)

    assert_split_is_sound(message, parts, limit=1000)
    for part in parts[1:]:
        assert all(line in lines for line in part.split("\n"))


def test_single_long_line_with_bold_is_cut_between_words_and_reopens_tags() -> None:
    message = "<b>" + "ceasefire monitoring " * 250 + "</b> and " + "<i>verification</i> " * 200
    assert len(message) > 9_000 and "\n" not in message

    parts = split_message(message)

    assert_split_is_sound(message, parts)
    assert parts[0].startswith("<b>") and parts[0].endswith("</b>")
    assert parts[1].startswith("<b>")


def test_nested_tags_are_closed_and_reopened_in_order() -> None:
    message = (
        '<blockquote><a href="https://x.org/?a=1&amp;b=2">' + "word " * 100 + "</a></blockquote>"
    )

    parts = split_message(message, limit=200)

    assert_split_is_sound(message, parts, limit=200)
    for part in parts:
        assert part.startswith('<blockquote><a href="https://x.org/?a=1&amp;b=2">')
        assert part.endswith("</a></blockquote>")


def test_entities_and_tags_are_never_cut_even_inside_a_word() -> None:
    message = "<b>" + "&amp;&lt;" * 1000 + "</b>" + '<a href="https://x.org">&quot;</a>' * 200

    parts = split_message(message)

    assert len(parts) > 1
    for part in parts:
        assert len(part) <= LIMIT
        visible_text(part)
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;)", part)
    assert "".join(visible_text(part) for part in parts) == visible_text(message)


def test_tags_closed_right_after_a_cut_are_not_carried_into_the_next_part() -> None:
    message = "<b>Ceasefire\n\n</b>" + "monitoring " * 4 + "talks\n\n  "

    parts = split_message(message, limit=24)

    assert parts == [
        "<b>Ceasefire</b>",
        "monitoring monitoring",
        "monitoring monitoring",
        "talks\n\n  ",
    ]


def test_a_part_never_holds_only_markup_and_whitespace() -> None:
    parts = split_message("<b> </b>\n\nalpha beta gamma", limit=16)

    assert parts == ["<b> </b>\n\nalpha", "beta gamma"]


def test_a_tail_with_nothing_to_read_is_not_sent_as_an_empty_part() -> None:
    assert split_message("alpha beta\n\n<b> </b>\n", limit=12) == ["alpha beta"]


def test_message_that_cannot_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be split"):
        split_message('<a href="https://example.org/very/long">' + "x" * 60 + "</a>", limit=40)

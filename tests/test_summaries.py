"""Rendering and splitting, checked against the Pakistan–Taliban Istanbul round (round 2)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest

from bot.delivery.split import split_message
from bot.reading.render import (
    ALERT_LABELS,
    format_date_span,
    format_place,
    render_history,
    render_parties,
    render_round_summary,
    render_topic_card,
    render_topic_list,
)
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
    "blockquote": set(),
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


def test_round_summary_shows_every_fact_of_the_reference_round() -> None:
    seen = visible_text(render_round_summary(istanbul_round()))

    for fact in [
        "Pakistan–Taliban talks",
        "Round 2 · Second round of talks begins in Istanbul",
        "24 October 2026",
        "Istanbul, Turkey",
        "Status: ongoing",
        "Mediators: Qatar, Turkey",
        "Taliban administration (Islamic Emirate)",
        "Head: Haji Najib, Deputy Minister of Interior",
        "Spokesperson: Zabihullah Mujahid",
        "• Inter-Services Intelligence (ISI) senior officials",
        "• Ministry of Defence officials",
        "• Ministry of Foreign Affairs",
        "• Director General of Military Operations",
        "• a high-level diplomat",
        "Spokesperson: Tahir Hussain Andrabi, Ministry of Foreign Affairs",
        "Demand (Tahir Hussain Andrabi, 23 October 2026): a verifiable mechanism to prevent "
        "terrorist attacks launched from Afghan territory",
        "Previous round: Round 1, Doha, Qatar, 18–19 October 2026 — ceasefire: both sides "
        "agreed on a ceasefire and to continue negotiations",
        "Source: Ministry of Foreign Affairs press conference, 23 October 2026",
        "Pakistan seeks a clear monitoring framework",
        "The Taliban have not stated their positions.",
    ]:
        assert fact in seen, fact
    assert "None" not in seen


def test_round_summary_layout_puts_each_party_in_its_own_paragraph() -> None:
    message = render_round_summary(istanbul_round())

    assert message.split("\n")[0] == "🆕 New round"
    assert "<b>Pakistan–Taliban talks</b>" in message
    pakistan_paragraph = paragraph_containing(message, "<b>Pakistan</b>")
    assert "Members:\n• Inter-Services" in pakistan_paragraph
    assert "Demand (Tahir Hussain Andrabi" in pakistan_paragraph
    taliban_paragraph = paragraph_containing(message, "<b>Taliban administration</b>")
    assert taliban_paragraph.index("Head:") < taliban_paragraph.index("Spokesperson:")
    assert "Haji Najib" not in pakistan_paragraph
    assert message.endswith("The Taliban have not stated their positions.")


@pytest.mark.parametrize("kind", list(ALERT_LABELS))
def test_alert_kind_sets_the_first_line(kind: str) -> None:
    message = render_round_summary(istanbul_round(), kind=kind)

    assert message.split("\n")[0] == ALERT_LABELS[kind]


def test_alert_labels_are_the_documented_ones() -> None:
    assert ALERT_LABELS == {
        "new_round": "🆕 New round",
        "round_update": "🔄 Round update",
        "outcome": "🤝 Outcome",
        "statement": "🗣 Statement",
        "correction": "✏️ Correction",
        "latest": "📌 Latest round",
    }


def test_unknown_alert_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown alert kind"):
        render_round_summary(istanbul_round(), kind="breaking")


def test_round_summary_leaves_out_what_is_not_known() -> None:
    bare = RoundView(
        topic_slug="t",
        topic_title="Topic",
        number=None,
        title="Talks announced",
        start_date=None,
        end_date=None,
        place=PlaceView(),
        status="",
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

    message = render_round_summary(bare)

    assert message == "🆕 New round\n<b>Topic</b>\n\nTalks announced"


def test_round_summary_shows_outcome_next_meeting_hosts_and_observers() -> None:
    view = istanbul_round(
        status="concluded",
        hosts=("Turkey",),
        observers=("United Nations", "China"),
        outcome_type="agreement",
        outcome_text="a joint monitoring mechanism",
        next_meeting="Istanbul, 6 November",
    )

    seen = visible_text(render_round_summary(view, kind="outcome"))

    assert "Outcome — agreement: a joint monitoring mechanism" in seen
    assert "Next meeting: Istanbul, 6 November" in seen
    assert "Hosts: Turkey" in seen
    assert "Observers: United Nations, China" in seen


def test_outcome_without_a_type_still_shows_its_text() -> None:
    seen = visible_text(render_round_summary(istanbul_round(outcome_text="talks will resume")))

    assert "Outcome: talks will resume" in seen


def test_unaffiliated_party_statement_needs_no_person() -> None:
    party = PartyView(
        name="Pakistan",
        statements=(StatementView("position", "Pakistan", None, "lasting peace"),),
    )

    seen = visible_text(render_round_summary(istanbul_round(parties=(party,))))

    assert "Position: lasting peace" in seen


def test_statements_outside_the_delegations_name_their_party() -> None:
    others = (
        StatementView("announcement", "Qatar", None, "talks will continue in Istanbul"),
        StatementView("claim", None, None, "attacks continued during the ceasefire"),
    )

    message = render_round_summary(istanbul_round(other_statements=others))

    paragraph = paragraph_containing(message, "Statements:")
    assert paragraph == (
        "Statements:\n"
        "Announcement (Qatar): talks will continue in Istanbul\n"
        "Claim: attacks continued during the ceasefire"
    )
    assert message.index("Spokesperson: Zabihullah Mujahid") < message.index("Statements:")


def test_summary_keeps_its_paragraphs_and_line_breaks() -> None:
    message = render_round_summary(istanbul_round(summary="One\ntwo\r\n\r\n\n  Three  "))

    assert message.endswith("\n\nOne\ntwo\n\nThree")


def test_source_publisher_is_linked_and_several_sources_are_listed() -> None:
    sources = (
        SourceView("Dawn", "Pakistan seeks mechanism", "https://dawn.com/a?x=1&y=2"),
        SourceView("Amu TV", url="javascript:alert(1)", published=date(2026, 10, 24)),
    )

    message = render_round_summary(istanbul_round(sources=sources))

    paragraph = paragraph_containing(message, "Sources:")
    assert '• <a href="https://dawn.com/a?x=1&amp;y=2">Dawn</a>, “Pakistan seeks mechanism”' in (
        paragraph
    )
    assert "• Amu TV (javascript:alert(1)), 24 October 2026" in paragraph
    assert 'href="javascript' not in message
    visible_text(message)


def test_every_stored_string_is_escaped() -> None:
    hostile_party = PartyView(
        name=HOSTILE,
        aliases=(HOSTILE,),
        roles=("negotiating", HOSTILE),
        members=(MemberView("head", HOSTILE, HOSTILE), MemberView(HOSTILE, HOSTILE)),
        statements=(StatementView(HOSTILE, HOSTILE, HOSTILE, HOSTILE),),
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
    topic = TopicView(HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1, 1)

    messages = [
        render_round_summary(view),
        render_parties(HOSTILE, HOSTILE, [hostile_party], round_label=HOSTILE),
        render_history(HOSTILE, HOSTILE, [hostile_brief]),
        render_topic_card(topic),
        render_topic_list([topic]),
    ]

    for message in messages:
        assert "<b>x</b>" not in message
        assert HOSTILE_ESCAPED in message
        assert HOSTILE in visible_text(message)
    assert 'href="https://x.org/&quot;&gt;&lt;b&gt;"' in messages[0]


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
        statements=(StatementView("announcement", "Qatar", None, "talks will continue"),),
    )
    guarantor = PartyView("China", roles=("guarantor",))

    message = render_parties(
        "Pakistan–Taliban talks",
        "pak-taliban-talks",
        [pakistan(), taliban(), qatar, turkey, guarantor],
        round_label="Round 2",
    )

    seen = visible_text(message)
    assert "<code>pak-taliban-talks</code>" in message
    assert seen.index("Negotiating parties") < seen.index("Mediators") < seen.index("Hosts")
    pakistan_paragraph = paragraph_containing(message, "<b>Pakistan</b>")
    assert "<i>Delegation in Round 2</i>\nMembers:\n• Inter-Services" in pakistan_paragraph
    assert "Demand (Tahir Hussain Andrabi, 23 October 2026): a verifiable" in pakistan_paragraph
    assert "<b>Taliban administration</b> (Islamic Emirate)" in message
    assert "Head: Haji Najib, Deputy Minister of Interior" in seen
    assert "Spokesperson: Zabihullah Mujahid" in seen
    assert "Announcement: talks will continue" in paragraph_containing(message, "<b>Qatar</b>")
    assert "🏛 <b>Hosts</b>\n• <b>Turkey</b>" in message
    assert message.count("<b>Turkey</b>") == 2
    assert "• <b>China</b> — guarantor" in paragraph_containing(message, "Other parties")
    assert "Observers" not in seen


def test_parties_without_a_round_label_have_no_delegation_heading() -> None:
    message = render_parties("T", "t", [pakistan()])

    assert "Delegation" not in message
    assert "Members:\n• Inter-Services" in message


def test_no_parties_is_said_plainly() -> None:
    seen = visible_text(render_parties("Pakistan–Taliban talks", "pak-taliban-talks", []))

    assert "No parties recorded yet." in seen


def test_history_lists_rounds_oldest_first_one_line_each() -> None:
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
    undated = RoundBrief(None, "Third round", None, None, PlaceView(), "scheduled", None, None)

    message = render_history(
        "Pakistan–Taliban talks", "pak-taliban-talks", [undated, istanbul, doha_round()]
    )

    lines = visible_text(message).split("\n")[2:]
    assert lines == [
        "Round 1 · Initial talks in Doha · 18–19 October 2026 · Doha, Qatar "
        "· concluded — ceasefire",
        "Round 2 · Second round of talks begins in Istanbul · 24 October 2026 · Istanbul, Turkey "
        "· ongoing",
        "Third round · scheduled",
    ]


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
    message = render_round_summary(istanbul_round())

    assert split_message(message) == [message]


def assert_split_is_sound(message: str, parts: list[str], limit: int = LIMIT) -> None:
    assert len(parts) > 1
    for part in parts:
        assert 0 < len(part) <= limit
        assert visible_text(part).strip()
    rejoined = " ".join(visible_text(part) for part in parts)
    assert rejoined.split() == visible_text(message).split()


def test_long_summary_splits_between_paragraphs() -> None:
    paragraphs = [f"Paragraph {n}: " + "negotiators met again " * 20 for n in range(23)]
    message = render_round_summary(istanbul_round(summary="\n\n".join(paragraphs)))
    assert len(message) > 10_000

    parts = split_message(message)

    assert_split_is_sound(message, parts)
    for paragraph in message.split("\n\n"):
        assert any(paragraph in part for part in parts), paragraph[:40]


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

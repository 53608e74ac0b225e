"""A digest as one message: the period's posts grouped by topic, newest round first."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from bot.reading.language import ENGLISH, N_, Translator
from storage.digests import DigestLine

KIND_NAMES = {
    "new_round": N_("New round"),
    "round_update": N_("Round update"),
    "development": N_("Development"),
    "outcome": N_("Outcome"),
    "correction": N_("Correction"),
}


def _newest_first(line: DigestLine) -> tuple[date, int, datetime, int]:
    return (
        line.round_start or date.min,
        line.round_number if line.round_number is not None else -1,
        line.published_at or datetime.min.replace(tzinfo=UTC),
        line.entry_id,
    )


def _headline(line: DigestLine, t: Translator) -> str:
    """The stored headline is the English one; other languages name the kind themselves and
    keep the round's title as the admin wrote it."""
    if not t.right_to_left or line.kind not in KIND_NAMES:
        return html.escape(line.headline or line.kind)
    kind = t._(KIND_NAMES[line.kind])
    title = line.round_title.strip() if line.round_title else ""
    return f"{kind}: {t.isolate(html.escape(title))}" if title else kind


def _item(line: DigestLine, t: Translator) -> str:
    round_label = ""
    if line.round_number is not None:
        round_label = t._("Round {number} · ").format(number=t.number(line.round_number))
    text = f"• {html.escape(round_label)}<b>{_headline(line, t)}</b>"
    outcome = line.outcome_text or line.outcome_type
    if outcome:
        text += f"\n  ↳ {t.isolate(html.escape(outcome))}"
    return text


def render_digest(lines: list[DigestLine], title: str, t: Translator = ENGLISH) -> str:
    """`title` names the period ("Daily digest · Tue 1 Dec"). Topics come in the order of
    their newest post; each ends with the command that shows its whole card."""
    by_topic: dict[str, list[DigestLine]] = {}
    for line in lines:
        by_topic.setdefault(line.slug, []).append(line)
    groups = sorted(by_topic.values(), key=lambda group: max(map(_newest_first, group)))
    count = len(lines)
    topics = len(groups)
    updates = t.ngettext("{count} update", "{count} updates", count).format(count=t.number(count))
    in_topics = t.ngettext("in {count} topic", "in {count} topics", topics).format(
        count=t.number(topics)
    )
    heading = f"🗞 <b>{html.escape(title)}</b>\n{updates} {in_topics}"
    sections = [heading]
    for group in reversed(groups):
        items = sorted(group, key=_newest_first, reverse=True)
        section = [
            f"<b>{t.isolate(html.escape(group[0].topic_title))}</b>",
            *(_item(item, t) for item in items),
        ]
        command = t.isolate(f"/latest {group[0].slug}")
        section.append(t._("{command} — the whole card").format(command=command))
        sections.append("\n".join(section))
    return t.directed("\n\n".join(sections))

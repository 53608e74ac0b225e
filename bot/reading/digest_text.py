"""A digest as one message: the period's posts grouped by topic, newest round first."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from storage.digests import DigestLine


def _newest_first(line: DigestLine) -> tuple[date, int, datetime, int]:
    return (
        line.round_start or date.min,
        line.round_number if line.round_number is not None else -1,
        line.published_at or datetime.min.replace(tzinfo=UTC),
        line.entry_id,
    )


def _item(line: DigestLine) -> str:
    round_label = f"Round {line.round_number} · " if line.round_number is not None else ""
    text = f"• {html.escape(round_label)}<b>{html.escape(line.headline or line.kind)}</b>"
    outcome = line.outcome_text or line.outcome_type
    if outcome:
        text += f"\n  ↳ {html.escape(outcome)}"
    return text


def render_digest(lines: list[DigestLine], title: str) -> str:
    """`title` names the period ("Daily digest · Tue 1 Dec"). Topics come in the order of
    their newest post; each ends with the command that shows its whole card."""
    by_topic: dict[str, list[DigestLine]] = {}
    for line in lines:
        by_topic.setdefault(line.slug, []).append(line)
    groups = sorted(by_topic.values(), key=lambda group: max(map(_newest_first, group)))
    count = len(lines)
    topics = len(groups)
    heading = (
        f"🗞 <b>{html.escape(title)}</b>\n{count} update{'s' if count != 1 else ''} "
        f"in {topics} topic{'s' if topics != 1 else ''}"
    )
    sections = [heading]
    for group in reversed(groups):
        items = sorted(group, key=_newest_first, reverse=True)
        section = [f"<b>{html.escape(group[0].topic_title)}</b>", *map(_item, items)]
        section.append(f"/latest {group[0].slug} — the whole card")
        sections.append("\n".join(section))
    return "\n\n".join(sections)

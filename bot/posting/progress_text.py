"""The admin's live progress message of a broadcast, from plain counts."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from storage.broadcast_progress import DeliveryCounts

BAR_CELLS = 10


def progress_text(
    headline: str,
    post_id: int,
    slug: str,
    counts: DeliveryCounts,
    rate: float | None,
    elapsed: float,
) -> str:
    """`rate` is messages a second since the last edit, None before there is one to measure."""
    top = f"📣 Published — {html.escape(headline)} (post {post_id}) to <code>{slug}</code>."
    total = counts.sent + counts.pending + counts.held + counts.failed + counts.skipped
    tally = (
        f"sent {counts.sent} · pending {counts.pending} · failed {counts.failed} · "
        f"skipped {counts.skipped}"
    )
    held = f"\n🌙 {counts.held} held for the readers' quiet hours" if counts.held else ""
    if counts.done:
        return f"{top}\n✅ Done in {_duration(elapsed)}: {tally} (of {total}).{held}" + (
            "\n/failures lists what failed and why." if counts.failed else ""
        )
    if not counts.fanned_out:
        return f"{top}\n⏳ Preparing the deliveries…"
    finished = counts.sent + counts.failed + counts.skipped
    share = finished / total if total else 1.0
    filled = round(share * BAR_CELLS)
    bar = "▓" * filled + "░" * (BAR_CELLS - filled)
    pace = "measuring the rate…"
    if rate is not None and rate > 0:
        pace = f"{rate:.1f} msg/s · about {_duration(counts.pending / rate)} left"
    elif rate is not None:
        pace = "0 msg/s just now"
    return f"{top}\n{bar} {share:.0%}\n{tally}\n{pace}{held}"


def progress_buttons(post_id: int, counts: DeliveryCounts) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton("✏️ Correct", callback_data=f"howfix:{post_id}")]
    if counts.done and counts.failed:
        row.append(InlineKeyboardButton("⚠️ Failures", callback_data=f"pfail:{post_id}"))
    return InlineKeyboardMarkup([row])


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"

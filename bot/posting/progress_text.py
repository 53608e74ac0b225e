"""The admin's live progress message of a broadcast, from plain counts."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.reading.language import ENGLISH, N_, Translator
from storage.broadcast_progress import DeliveryCounts

BAR_CELLS = 10
CORRECT_BUTTON = N_("✏️ Correct")


def progress_text(
    headline: str,
    post_id: int,
    slug: str,
    counts: DeliveryCounts,
    rate: float | None,
    elapsed: float,
    t: Translator = ENGLISH,
) -> str:
    """`headline` is HTML; `rate` is messages a second since the last edit, None before there
    is one to measure."""
    n = t.number
    top = t._("📣 Published — {headline} (post {post_id}) to <code>{slug}</code>.").format(
        headline=headline, post_id=n(post_id), slug=t.isolate(slug)
    )
    total = counts.sent + counts.pending + counts.held + counts.failed + counts.skipped
    tally = t._(
        "sent {sent} · pending {pending} · failed {failed} · skipped {skipped}"
    ).format(
        sent=n(counts.sent), pending=n(counts.pending), failed=n(counts.failed),
        skipped=n(counts.skipped),
    )  # fmt: skip
    held = ""
    if counts.held:
        held = "\n" + t._("🌙 {held} held for the readers' quiet hours").format(held=n(counts.held))
    if counts.done:
        done = t._("✅ Done in {duration}: {tally} (of {total}).").format(
            duration=_duration(elapsed, t), tally=tally, total=n(total)
        )
        failures = "\n" + t._("/failures lists what failed and why.") if counts.failed else ""
        return t.directed(f"{top}\n{done}{held}{failures}")
    if not counts.fanned_out:
        return t.directed(f"{top}\n" + t._("⏳ Preparing the deliveries…"))
    finished = counts.sent + counts.failed + counts.skipped
    share = finished / total if total else 1.0
    filled = round(share * BAR_CELLS)
    bar = "▓" * filled + "░" * (BAR_CELLS - filled)
    pace = t._("measuring the rate…")
    if rate is not None and rate > 0:
        pace = t._("{rate} msg/s · about {duration} left").format(
            rate=t.digits(f"{rate:.1f}"), duration=_duration(counts.pending / rate, t)
        )
    elif rate is not None:
        pace = t._("{rate} msg/s just now").format(rate=n(0))
    return t.directed(f"{top}\n{bar} {t.digits(f'{share:.0%}')}\n{tally}\n{pace}{held}")


def progress_buttons(post_id: int, counts: DeliveryCounts, t: Translator) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(t._(CORRECT_BUTTON), callback_data=f"howfix:{post_id}")]
    if counts.done and counts.failed:
        row.append(InlineKeyboardButton(t._("⚠️ Failures"), callback_data=f"pfail:{post_id}"))
    return InlineKeyboardMarkup([row])


def _duration(seconds: float, t: Translator) -> str:
    seconds = max(0, round(seconds))
    n = t.number
    if seconds < 60:
        return t._("{seconds} s").format(seconds=n(seconds))
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        if rest:
            return t._("{minutes} min {seconds} s").format(minutes=n(minutes), seconds=n(rest))
        return t._("{minutes} min").format(minutes=n(minutes))
    hours, minutes = divmod(minutes, 60)
    return t._("{hours} h {minutes} min").format(hours=n(hours), minutes=n(minutes))

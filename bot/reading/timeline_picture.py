"""The /timeline picture: a topic's rounds on a time axis, one row each, coloured by outcome.

Drawn for a phone held upright: 1080 pixels wide (what Telegram keeps of a photo), text at
sizes that stay legible when the picture fills a phone's width, one row per round so thirty
rounds are as readable as two. A plain function of plain values, built on matplotlib's
object API with the Agg canvas, so it touches no global pyplot state and may run in a thread.

The labels are in the reader's language. matplotlib lays text out with libraqm (HarfBuzz and
FriBiDi), so Persian letters are joined and each line is in reading order, and DejaVu Sans has
the Arabic-script glyphs Dari uses. A Persian picture is laid out from the right.
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory
from PIL import Image

from bot.reading.language import ENGLISH, N_, Translator, solar_hijri_month_starts
from bot.reading.phrasing import ROUND_STATUSES, format_date_span, format_place
from storage.states import Calendar
from storage.views import TimelineRound

WIDTH_PX = 1080
DPI = 100
ROW_INCHES = 1.6
TITLE_INCHES = 1.65  # the title and the subtitle
LEGEND_ROW_INCHES = 0.45
LEGEND_COLUMNS = 3
MOST_TICKS = 6
LONG_SPAN_DAYS = 120  # past it, ticks name months rather than days
TICKS_INCHES = 0.8  # the date labels above the first row
FOOTER_INCHES = 1.0
COLOURS_IN_FILE = 64  # a palette PNG: a third of the bytes, no difference a reader sees

# A name in a script DejaVu Sans lacks (Chinese, say) is drawn as boxes; matplotlib saying so
# on every picture would fill the log with one line per letter.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
MOST_ROUNDS = 50  # 50 rows stay under Telegram's 10,000 px for width + height
FONT = "DejaVu Sans"  # ships with matplotlib, so the picture looks the same on every machine
LINE_CHARACTERS = 46


@dataclass(frozen=True)
class OutcomeColour:
    label: str
    colour: str


CEASEFIRE = OutcomeColour(N_("Ceasefire"), "#2e7d32")
AGREEMENT = OutcomeColour(N_("Agreement"), "#1565c0")
NO_AGREEMENT = OutcomeColour(N_("No agreement"), "#c62828")
OTHER_OUTCOME = OutcomeColour(N_("Other outcome"), "#6a1b9a")
ONGOING = OutcomeColour(N_("Ongoing"), "#f9a825")
SCHEDULED = OutcomeColour(N_("Scheduled"), "#90a4ae")
POSTPONED = OutcomeColour(N_("Postponed"), "#8d6e63")
COLLAPSED = OutcomeColour(N_("Collapsed"), "#4e0000")
NO_OUTCOME = OutcomeColour(N_("No outcome recorded"), "#546e7a")
LEGEND_ORDER = (
    CEASEFIRE,
    AGREEMENT,
    OTHER_OUTCOME,
    NO_AGREEMENT,
    ONGOING,
    SCHEDULED,
    POSTPONED,
    COLLAPSED,
    NO_OUTCOME,
)
_BY_STATUS = {
    "ongoing": ONGOING,
    "scheduled": SCHEDULED,
    "postponed": POSTPONED,
    "collapsed": COLLAPSED,
}


def outcome_colour(entry: TimelineRound) -> OutcomeColour:
    """The outcome an admin typed is free words ("ceasefire", "prisoner exchange", "no
    agreement"); a round without one is coloured by its status."""
    kind = (entry.outcome_type or "").lower()
    if kind:
        if kind.startswith("no ") or any(w in kind for w in ("fail", "collapse", "walkout")):
            return NO_AGREEMENT
        if "ceasefire" in kind or "truce" in kind:
            return CEASEFIRE
        if any(w in kind for w in ("agree", "deal", "accord", "exchange", "release", "treaty")):
            return AGREEMENT
        return OTHER_OUTCOME
    return _BY_STATUS.get(entry.status or "", NO_OUTCOME)


def _line(text: str, width: int = LINE_CHARACTERS) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder="…") or "…"


def _row_lines(entry: TimelineRound, t: Translator) -> tuple[str, str, str]:
    place = format_place(entry.place) or t._("place not recorded")
    when = format_date_span(entry.start_date, entry.end_date, t) or t._("date not recorded")
    status = t._(ROUND_STATUSES[entry.status]) if entry.status in ROUND_STATUSES else entry.status
    outcome = (entry.outcome_type or status or "").strip()
    mediators = t._(", ").join(m.strip() for m in entry.mediators if m.strip())
    heading = t._("Round {number} · {place}").format(number=t.number(entry.number), place=place)
    return (
        _line(heading, LINE_CHARACTERS - 6),
        _line(f"{when} · {outcome}" if outcome else when),
        _line(
            t._("Mediators: {mediators}").format(mediators=mediators)
            if mediators
            else t._("No mediator recorded")
        ),
    )


def _tick_formatter(t: Translator, span_days: float) -> FuncFormatter:
    """Persian ticks: the reader's month names and digits, the year when months are far apart."""

    def tick(value: float, _position: int | None) -> str:
        day = mdates.num2date(value).date()
        label = (
            f"{t.month(day)} {t.number(day.year)}"
            if span_days > LONG_SPAN_DAYS
            else f"{t.number(day.day)} {t.month(day)}"
        )
        return label

    return FuncFormatter(tick)


def solar_hijri_ticks(first: date, last: date, t: Translator) -> list[tuple[date, str]]:
    """Ticks where the reader's own months begin, so no label names a Solar Hijri month at a
    Gregorian month's first day, which falls ten days or so inside it."""
    span = (last - first).days
    if span > LONG_SPAN_DAYS:
        starts = solar_hijri_month_starts(first, last)
        stride = max(1, math.ceil(len(starts) / MOST_TICKS))
        return [(d, f"{t.month(d)} {t.number(t.calendar_day(d).year)}") for d in starts[::stride]]
    step = max(1, math.ceil(span / MOST_TICKS))
    days = [first + timedelta(days=offset) for offset in range(step // 2, span + 1, step)]
    return [(d, t.day_and_month(d)) for d in days]


def _date_range(rounds: Sequence[TimelineRound]) -> tuple[date, date]:
    days = [d for r in rounds for d in (r.start_date, r.end_date) if d is not None]
    if not days:
        today = date(2000, 1, 1)
        return today, today + timedelta(days=1)
    first, last = min(days), max(days)
    margin = max((last - first).days // 12, 3)
    return first - timedelta(days=margin), last + timedelta(days=margin + 1)


def render_timeline(
    topic_title: str, rounds: Sequence[TimelineRound], t: Translator = ENGLISH
) -> bytes:
    """PNG bytes; the latest `MOST_ROUNDS` rounds when there are more (/history has all)."""
    rtl = t.right_to_left
    shown = list(rounds)[-MOST_ROUNDS:]
    left_out = len(rounds) - len(shown)
    rows = max(len(shown), 1)
    colours = [outcome_colour(r) for r in shown]
    present = [c for c in LEGEND_ORDER if c in colours]
    legend_inches = math.ceil(len(present) / LEGEND_COLUMNS) * LEGEND_ROW_INCHES
    header = TITLE_INCHES + legend_inches + TICKS_INCHES
    height = header + rows * ROW_INCHES + FOOTER_INCHES
    figure = Figure(figsize=(WIDTH_PX / DPI, height), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    figure.patch.set_facecolor("white")
    top, bottom = 1 - header / height, FOOTER_INCHES / height
    axes = figure.add_axes((0.04, bottom, 0.92, top - bottom))
    edge, side = (0.96, "right") if rtl else (0.04, "left")

    figure.text(edge, 1 - 0.45 / height, _line(topic_title, 40), fontsize=30,
                fontweight="bold", family=FONT, va="top", ha=side, parse_math=False)  # fmt: skip
    count = len(rounds)
    subtitle = t.ngettext(
        "{count} round · colour = outcome", "{count} rounds · colour = outcome", count
    ).format(count=t.number(count))
    if left_out:
        subtitle += " · " + t._("earliest {count} left out (see /history)").format(
            count=t.number(left_out)
        )
    figure.text(edge, 1 - 1.15 / height, subtitle, fontsize=20, color="#37474f",
                family=FONT, va="top", ha=side, parse_math=False)  # fmt: skip
    figure.legend(
        handles=[Patch(facecolor=c.colour, label=t._(c.label)) for c in present],
        loc="upper right" if rtl else "upper left",
        bbox_to_anchor=(0.97 if rtl else 0.03, 1 - 1.65 / height),
        ncol=LEGEND_COLUMNS,
        frameon=False,
        prop={"family": FONT, "size": 18},
        handlelength=1.2,
        columnspacing=1.0,
        markerfirst=not rtl,
    )

    first, last = _date_range(shown)
    axes.set_xlim(mdates.date2num(first), mdates.date2num(last))
    axes.set_ylim(rows, 0)
    axes.set_yticks([])
    for spine in ("left", "right"):
        axes.spines[spine].set_visible(False)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=MOST_TICKS)
    axes.xaxis.set_major_locator(locator)
    if t.calendar == Calendar.SOLAR_HIJRI:
        ticks = solar_hijri_ticks(first, last, t)
        axes.set_xticks([mdates.date2num(d) for d, _ in ticks], [label for _, label in ticks])
    elif rtl:
        axes.xaxis.set_major_formatter(_tick_formatter(t, (last - first).days))
    else:
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.tick_params(axis="x", labelsize=18, labeltop=True, top=True)
    for label in axes.get_xticklabels():
        label.set_fontfamily(FONT)
    axes.xaxis.get_offset_text().set_fontsize(18)
    axes.grid(axis="x", color="#cfd8dc", linewidth=1)
    axes.set_axisbelow(True)
    label_x = blended_transform_factory(axes.transAxes, axes.transData)
    span = mdates.date2num(last) - mdates.date2num(first)
    for index, (entry, colour) in enumerate(zip(shown, colours, strict=True)):
        if index % 2:
            axes.axhspan(index, index + 1, color="#f5f7f8", zorder=0)
        heading, when, mediators = _row_lines(entry, t)
        for offset, text, size, weight in (
            (0.22, heading, 22, "bold"),
            (0.45, when, 19, "normal"),
            (0.66, mediators, 19, "normal"),
        ):
            axes.text(0.99 if rtl else 0.01, index + offset, text,
                      transform=label_x, fontsize=size, fontweight=weight, family=FONT,
                      va="center", ha=side, parse_math=False)  # fmt: skip
        if entry.start_date is None and entry.end_date is None:
            continue
        start = entry.start_date or entry.end_date
        end = entry.end_date or entry.start_date
        assert start is not None and end is not None
        begin = mdates.date2num(min(start, end))
        width = max(mdates.date2num(max(start, end)) + 1 - begin, span / 120)
        axes.barh(index + 0.86, width, left=begin, height=0.16, color=colour.colour, zorder=3)
    if not shown:
        axes.text(0.5, 0.5, t._("No rounds yet"), transform=axes.transAxes,
                  fontsize=22, ha="center", va="center", family=FONT)  # fmt: skip
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.convert("RGB").quantize(COLOURS_IN_FILE).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()

"""Field-level precision and recall of the article extraction over bench/extraction_set/.

Each article `NN-name.txt` has its expected card facts in `NN-name.json`. The articles were
written for this benchmark, one set at a time: the rules were developed on the first; each
later set was written after the rules of its day and measured once before any of its misses
were generalised into rules (README keeps those first-run figures, the unseen ones). The
extraction is given no topic, so parties, mediators and sides come from the text alone, as for
the first article about a new process.

    python -m bench.extraction              # a table per set, then all sets together
    python -m bench.extraction --set ninth  # one set
    python -m bench.extraction --misses     # also every miss and false hit, per article
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.intake.extraction import ProposedCard, extract_card

SETS = {
    "first": Path(__file__).resolve().parent / "extraction_set",
    "second": Path(__file__).resolve().parent / "extraction_set_2",
    "third": Path(__file__).resolve().parent / "extraction_set_3",
    "fourth": Path(__file__).resolve().parent / "extraction_set_4",
    "fifth": Path(__file__).resolve().parent / "extraction_set_5",
    "sixth": Path(__file__).resolve().parent / "extraction_set_6",
    "seventh": Path(__file__).resolve().parent / "extraction_set_7",
    "eighth": Path(__file__).resolve().parent / "extraction_set_8",
    "ninth": Path(__file__).resolve().parent / "extraction_set_9",
    "tenth": Path(__file__).resolve().parent / "extraction_set_10",
    "eleventh": Path(__file__).resolve().parent / "extraction_set_11",
    "twelfth": Path(__file__).resolve().parent / "extraction_set_12",
    "thirteenth": Path(__file__).resolve().parent / "extraction_set_13",
}
GOALS = {
    "round number": (0.9, 0.95),
    "dates": (0.9, 0.95),
    "place": (0.9, 0.95),
    "mediators": (0.9, 0.95),
    "delegation heads with titles": (0.9, 0.85),
}


@dataclass
class Tally:
    correct: int = 0
    predicted: int = 0
    expected: int = 0
    notes: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def _key(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = text.casefold().replace("’", "'").strip()
    return text[4:] if text.startswith("the ") else text


def _same_title(expected: str | None, found: str | None) -> bool:
    """Titles are written many ways; one containing the other counts as the same."""
    if expected is None:
        return True
    return bool(found) and (_key(expected) in _key(found) or _key(found) in _key(expected))


def _single(tally: Tally, name: str, expected: object, found: object) -> None:
    tally.expected += expected is not None
    tally.predicted += found is not None
    if expected is not None and found == expected:
        tally.correct += 1
    elif expected is not None or found is not None:
        tally.notes.append(f"{name}: expected {expected!r}, found {found!r}")


def _many(tally: Tally, name: str, expected: Iterable[str], found: Iterable[str]) -> None:
    wanted = {_key(e) for e in expected}
    got = {_key(f) for f in found}
    tally.expected += len(wanted)
    tally.predicted += len(got)
    tally.correct += len(wanted & got)
    if wanted != got:
        tally.notes.append(f"{name}: missed {sorted(wanted - got)}, extra {sorted(got - wanted)}")


def _heads(tally: Tally, side: Tally, expected: list[list[str | None]], card: ProposedCard) -> None:
    found = [p for p in card.people if p.role == "head"]
    tally.expected += len(expected)
    tally.predicted += len(found)
    side.expected += len(expected)
    side.predicted += len(found)
    for party, person, title in expected:
        match = next((p for p in found if _key(p.name) == _key(person)), None)
        if match is not None and _same_title(title, match.title):
            tally.correct += 1
        else:
            tally.notes.append(f"head: expected {person} ({title}), found {match}")
        if match is not None and _key(match.party) == _key(party):
            side.correct += 1
        elif match is not None:
            side.notes.append(f"side of {person}: expected {party}, found {match.party}")
    for person in found:
        if all(_key(person.name) != _key(e[1]) for e in expected):
            tally.notes.append(f"head: extra {person}")


def measure(set_dir: Path, show_misses: bool) -> dict[str, Tally]:
    fields = [
        "round number", "dates", "place", "venue", "status", "outcome type", "parties",
        "mediators", "hosts", "observers", "delegation heads with titles", "heads' sides",
        "spokespersons",
    ]  # fmt: skip
    tallies = {name: Tally() for name in fields}
    articles = sorted(set_dir.glob("*.txt"))
    for article in articles:
        expected = json.loads(article.with_suffix(".json").read_text())
        card = extract_card(article.read_text(), date.fromisoformat(expected["message_date"])).card
        before = {name: len(t.notes) for name, t in tallies.items()}
        _single(tallies["round number"], "round", expected["round"], card.number)
        found_dates = (
            (card.start_date.isoformat(), card.end_date.isoformat() if card.end_date else None)
            if card.start_date
            else None
        )
        wanted_dates = (expected["start"], expected["end"]) if expected["start"] else None
        _single(tallies["dates"], "dates", wanted_dates, found_dates)
        place = card.place
        _single(
            tallies["place"],
            "place",
            (expected["city"], expected["country"]),
            (place.city, place.country) if place and (place.city or place.country) else None,
        )
        _single(tallies["venue"], "venue", expected.get("venue"), place.venue if place else None)
        _single(tallies["status"], "status", expected["status"], card.status)
        _single(
            tallies["outcome type"],
            "outcome",
            expected["outcome"],
            card.outcome.kind if card.outcome else None,
        )
        _many(tallies["parties"], "parties", expected["parties"], card.parties)
        _many(tallies["mediators"], "mediators", expected["mediators"], card.mediators)
        _many(tallies["hosts"], "hosts", expected["hosts"], card.hosts)
        _many(tallies["observers"], "observers", expected["observers"], card.observers)
        _heads(
            tallies["delegation heads with titles"],
            tallies["heads' sides"],
            expected["heads"],
            card,
        )
        spokespersons = [p.name for p in card.people if p.role == "spokesperson"]
        _many(tallies["spokespersons"], "spokespersons", expected["spokespersons"], spokespersons)
        if show_misses:
            for name, tally in tallies.items():
                for note in tally.notes[before[name] :]:
                    print(f"{article.stem}: {note}")
    print(f"{set_dir.name}: {len(articles)} articles, {len(fields)} fields\n")
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--misses", action="store_true", help="print each miss and false hit")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    arguments = parser.parse_args()
    names = list(SETS) if arguments.set == "all" else [arguments.set]
    total: dict[str, Tally] = {}
    for name in names:
        print(f"== {name} set ==")
        tallies = measure(SETS[name], arguments.misses)
        _print_table(tallies)
        print()
        for field_name, tally in tallies.items():
            summed = total.setdefault(field_name, Tally())
            summed.correct += tally.correct
            summed.predicted += tally.predicted
            summed.expected += tally.expected
    if len(names) > 1:
        print(f"== all {len(names)} sets together ==")
        _print_table(total)


def _print_table(tallies: dict[str, Tally]) -> None:
    print(f"{'field':<30} {'precision':>9} {'recall':>7} {'correct/found/expected':>23}  goal")
    for name, tally in tallies.items():
        goal = GOALS.get(name, (0.9, None))
        goal_text = f"P ≥ {goal[0]}" + (f", R ≥ {goal[1]}" if goal[1] else "")
        met = tally.precision() >= goal[0] and (goal[1] is None or tally.recall() >= goal[1])
        counts = f"{tally.correct}/{tally.predicted}/{tally.expected}"
        print(
            f"{name:<30} {tally.precision():>9.2f} {tally.recall():>7.2f} {counts:>23}  "
            f"{goal_text}{'' if met else '  ✗'}"
        )


if __name__ == "__main__":
    main()

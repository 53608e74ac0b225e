"""What a document must agree with itself on, beyond each field's own form: every party a
round names is listed under `parties`, no name belongs to two parties, no round is listed
twice, and a statement's source is one of its round's."""

from __future__ import annotations

from collections.abc import Sequence

from bot.exchange.document import Party, Round
from storage.rounds import party_key


def reference_problems(
    parties: Sequence[tuple[int, Party]], rounds: Sequence[tuple[int, Round]]
) -> list[str]:
    """Takes the entries that are well formed, each with its place in the document, so that
    these problems are found even while other entries have problems of their own."""
    problems: list[str] = []
    owners: dict[str, str] = {}  # name key → path where it was first given
    for index, party in parties:
        names = [(f"parties[{index}].name", party.name)]
        names += [
            (f"parties[{index}].aliases[{i}]", alias) for i, alias in enumerate(party.aliases)
        ]
        for path, name in names:
            key = party_key(name)
            if key in owners and not owners[key].startswith(f"parties[{index}]."):
                problems.append(f"{path}: {name!r} is already given at {owners[key]}")
            owners.setdefault(key, path)
    seen_rounds: dict[tuple[int | None, str | None], int] = {}
    for index, entry in rounds:
        round_key = _round_key(entry)
        if round_key in seen_rounds:
            what = f"round {entry.number}" if entry.number is not None else "this development"
            problems.append(
                f"rounds[{index}].{'number' if entry.number is not None else 'title'}: "
                f"{what} is already listed at rounds[{seen_rounds[round_key]}]"
            )
        seen_rounds.setdefault(round_key, index)
        problems += _round_problems(f"rounds[{index}]", entry, owners)
    return problems


def _round_key(entry: Round) -> tuple[int | None, str | None]:
    if entry.number is not None:
        return entry.number, None
    start = entry.dates.start.isoformat() if entry.dates else ""
    return None, f"{entry.title}\n{start}"


def _round_problems(path: str, entry: Round, owners: dict[str, str]) -> list[str]:
    named: list[tuple[str, str]] = []
    for field in ("parties", "mediators", "hosts", "observers"):
        named += [(f"{path}.{field}[{i}]", name) for i, name in enumerate(getattr(entry, field))]
    named += [(f"{path}.delegations[{i}].party", d.party) for i, d in enumerate(entry.delegations)]
    named += [
        (f"{path}.statements[{i}].party", s.party)
        for i, s in enumerate(entry.statements)
        if s.party is not None
    ]
    problems = [
        f"{where}: {name!r} is not listed under parties"
        for where, name in named
        if party_key(name) not in owners
    ]
    for i, statement in enumerate(entry.statements):
        if statement.source is not None and statement.source > len(entry.sources):
            problems.append(
                f"{path}.statements[{i}].source: this round has "
                f"{len(entry.sources)} source{'' if len(entry.sources) == 1 else 's'}, "
                f"not {statement.source}"
            )
    return problems

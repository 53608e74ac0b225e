"""Import and export of topic documents: checked whole, stored whole or not at all, and
export → import → export the same bytes, on the reference case and on generated documents."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from telegram.ext import Application

from bot.exchange.document import TopicDocument
from bot.exchange.exporting import export_topic
from bot.exchange.importing import import_document
from bot.exchange.json_schema import SCHEMA_PATH, schema_text
from bot.exchange.reading import DocumentInvalid, read_document
from bot.exchange.writing import write_document
from bot.posting.demo_data import DEMO_SLUG, load_demo_data
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import AuditLog, Party, Post, Round, Statement, Topic
from storage.states import RoundStatus
from tests.conftest import OWNER_ID, Chatter, buttons_of, wait_for_states
from tests.test_cli import run_cli

READER = 300
STRANGER = 400

BROKEN = """\
format: roundwatch-topic/1
slug: kashmir-talks
title: Kashmir talks
parties:
  - name: India
  - name: Pakistan
    roles: [negotiating, referee]
rounds:
  - number: 1
    title: First round
    dates: {start: 2025-09-01}
    delegations:
      - party: Nepal
        members: [{person: A. Sharma, role: head}]
  - number: 1
    title: First round again
  - number: 3
    title: Third round
    dates: {start: 2026-02-30}
    statements:
      - {kind: demand, party: India, text: talks first, source: 2}
"""
BROKEN_PROBLEMS = [
    "parties[1].roles[1]: input should be 'negotiating', 'mediator', 'host' or 'observer'",
    "rounds[2].dates.start: not a date (write YYYY-MM-DD)",
    "rounds[0].delegations[0].party: 'Nepal' is not listed under parties",
    "rounds[1].number: round 1 is already listed at rounds[0]",
]
BROKEN_REFERENCES_ONLY = BROKEN.replace("referee", "mediator").replace("02-30", "02-28")


async def stored_counts(database: Database) -> tuple[int, int, int, int]:
    async with database.session() as session:
        return tuple(  # type: ignore[return-value]
            [
                await session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Topic, Round, Party, Post)
            ]
        )


def test_the_committed_json_schema_is_generated_from_the_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schema/topic.schema.json is stale: run python -m bot.exchange.json_schema"
    )
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["properties"]) == set(TopicDocument.model_fields)


def test_a_broken_document_names_every_problem_with_its_path() -> None:
    with pytest.raises(DocumentInvalid) as raised:
        read_document("kashmir.yaml", BROKEN.encode())
    assert sorted(raised.value.problems) == sorted(BROKEN_PROBLEMS)
    with pytest.raises(DocumentInvalid) as raised:
        read_document("kashmir.yaml", BROKEN_REFERENCES_ONLY.encode())
    assert sorted(raised.value.problems) == sorted(
        [
            "rounds[0].delegations[0].party: 'Nepal' is not listed under parties",
            "rounds[1].number: round 1 is already listed at rounds[0]",
            "rounds[2].statements[0].source: this round has 0 sources, not 2",
        ]
    )


def test_unreadable_files_are_one_problem_each() -> None:
    with pytest.raises(DocumentInvalid) as raised:
        read_document("t.json", b'{"slug": "x",\n "title": }')
    assert raised.value.problems == ["line 2, column 11: not JSON (Expecting value)"]
    with pytest.raises(DocumentInvalid) as raised:
        read_document("t.yaml", b"slug: [x\n")
    assert raised.value.problems[0].startswith("line 2, column 1: not YAML")
    with pytest.raises(DocumentInvalid) as raised:
        read_document("t.yaml", b"\xff\xfe")
    assert raised.value.problems == ["the file is not UTF-8 text (byte 0)"]


async def test_export_import_export_of_the_reference_case_is_byte_for_byte(
    database: Database,
) -> None:
    await upgrade_database(database)
    await load_demo_data(database)
    for as_json in (False, True):
        first = await export_topic(database, DEMO_SLUG, as_json=as_json)
        name = "topic.json" if as_json else "topic.yaml"
        await import_document(database, name, first.encode())
        assert await export_topic(database, DEMO_SLUG, as_json=as_json) == first
        copy = f"copy-{int(as_json)}"
        await import_document(database, name, first.replace(DEMO_SLUG, copy, 1).encode())
        copied = await export_topic(database, copy, as_json=as_json)
        assert copied == first.replace(DEMO_SLUG, copy, 1)
    document = read_document("topic.yaml", first.encode())
    second = document.rounds[1]
    assert (second.number, second.place and second.place.city) == (2, "Istanbul")
    assert second.mediators == ["Qatar", "Turkey"]
    heads = [
        (d.party, m.person, m.title)
        for d in second.delegations
        for m in d.members
        if m.role == "head"
    ]
    assert heads == [("Taliban administration", "Haji Najib", "Deputy Minister of Interior")]
    assert second.summary and second.summary.startswith("Pakistan and the Taliban administration")
    assert [s.source for s in second.statements] == [1, 1]
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Post)) == 2


async def test_a_broken_file_on_the_command_line_stores_nothing_and_lists_every_problem(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    await upgrade_database(database)
    broken = tmp_path / "kashmir.yaml"
    broken.write_text(BROKEN)
    result = await asyncio.to_thread(
        run_cli, tmp_path, "import", str(broken), DATABASE_URL=database_url
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "alembic" not in line]
    assert lines[0] == f"roundwatch: {broken} has 4 problems, so nothing was stored:"
    assert sorted(line.strip() for line in lines[1:]) == sorted(BROKEN_PROBLEMS)
    assert await stored_counts(database) == (0, 0, 0, 0)
    missing = await asyncio.to_thread(
        run_cli, tmp_path, "import", "nope.yaml", DATABASE_URL=database_url
    )
    assert missing.returncode == 1
    assert missing.stderr.strip().endswith("cannot read nope.yaml: No such file or directory.")
    unknown = await asyncio.to_thread(
        run_cli, tmp_path, "export", "nope", DATABASE_URL=database_url
    )
    assert (unknown.returncode, unknown.stderr.strip().splitlines()[-1]) == (
        1,
        "roundwatch: There is no topic `nope`.",
    )


async def test_command_line_import_publishes_only_when_asked_and_exports_the_same(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    await upgrade_database(database)
    await load_demo_data(database)
    exported = tmp_path / "reference.yaml"
    done = await asyncio.to_thread(
        run_cli, tmp_path, "export", DEMO_SLUG, "--output", str(exported), DATABASE_URL=database_url
    )
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "copy.yaml"
    copy.write_text(exported.read_text().replace(DEMO_SLUG, "copy-talks", 1))
    loaded = await asyncio.to_thread(
        run_cli, tmp_path, "import", str(copy), DATABASE_URL=database_url
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "Created topic copy-talks: 2 rounds added, 0 replaced; nothing was published." in (
        loaded.stdout
    )
    again = await asyncio.to_thread(
        run_cli, tmp_path, "export", "copy-talks", DATABASE_URL=database_url
    )
    assert again.stdout == copy.read_text()
    published = await asyncio.to_thread(
        run_cli, tmp_path, "import", str(copy), "--publish", DATABASE_URL=database_url
    )
    assert published.returncode == 0, published.stderr
    assert "its latest round is published as update" in published.stdout
    async with database.session() as session:
        posts = list(
            await session.execute(
                select(Post.kind, Post.headline)
                .join(Topic, Topic.id == Post.topic_id)  # type: ignore[arg-type]
                .where(Topic.slug == "copy-talks")
            )
        )
        actions = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert [tuple(row) for row in posts] == [
        ("new_round", "New round: Round 2 · Second round of talks begins in Istanbul")
    ]
    assert actions.count("import") == 2 and actions.count("export") == 2


async def test_importing_into_an_existing_topic_replaces_the_rounds_it_lists(
    database: Database,
) -> None:
    await upgrade_database(database)
    await load_demo_data(database)
    document = read_document("t.yaml", (await export_topic(database, DEMO_SLUG)).encode())
    round_two = document.rounds[1].model_copy(
        update={"status": RoundStatus.CONCLUDED, "statements": [], "summary": "It ended."}
    )
    round_three = round_two.model_copy(update={"number": 3, "title": "Third round", "dates": None})
    merged = document.model_copy(update={"rounds": [round_two, round_three]})
    imported = await import_document(database, "t.yaml", write_document(merged).encode())
    assert (imported.created, imported.rounds_created, imported.rounds_updated) == (False, 1, 1)
    after = read_document("t.yaml", (await export_topic(database, DEMO_SLUG)).encode())
    assert [r.number for r in after.rounds] == [1, 2, 3]
    assert after.rounds[0] == document.rounds[0]
    assert (after.rounds[1].status, after.rounds[1].summary) == ("concluded", "It ended.")
    assert after.rounds[1].statements == []
    async with database.session() as session:
        kinds = Counter(await session.scalars(select(Statement.kind)))
    assert kinds == Counter({"position": 1})


async def test_a_name_the_database_gives_another_party_is_a_problem_and_stores_nothing(
    database: Database,
) -> None:
    await upgrade_database(database)
    await load_demo_data(database)
    clashing = """\
slug: other-talks
title: Other talks
parties:
  - name: Afghan authorities
    aliases: [Islamabad, pakistan]
  - name: Islamic Emirate
rounds:
  - {number: 1, title: One, parties: [Afghan authorities]}
"""
    with pytest.raises(DocumentInvalid) as raised:
        await import_document(database, "t.yaml", clashing.encode())
    assert raised.value.problems == [
        "parties[0].aliases[1]: 'pakistan' already names 'Pakistan'",
        "parties[1].name: 'Islamic Emirate' is recorded as another name of "
        "'Taliban administration'; list it under that name",
    ]
    assert await stored_counts(database) == (1, 2, 4, 2)


async def test_an_admin_uploads_a_document_and_publishes_it_with_the_button(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    double.add_private_chat(OWNER_ID, first_name="Owner")
    double.add_private_chat(READER, first_name="Reader")
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    before = len(double.messages_to(OWNER_ID))
    double.user_uploads(OWNER_ID, "kashmir.yaml", BROKEN.encode(), user_id=OWNER_ID)
    await double.wait_for_messages(OWNER_ID, before + 1, timeout=10)
    answer = double.messages_to(OWNER_ID)[-1]
    assert answer.plain_text.startswith("⚠️ kashmir.yaml has 4 problems, so nothing was stored:")
    for problem in BROKEN_PROBLEMS:
        assert f"• {problem}" in answer.plain_text
    assert await stored_counts(database) == (0, 0, 0, 0)

    good = BROKEN_REFERENCES_ONLY.replace("Nepal", "India").replace("source: 2", "source: null")
    good = good.replace(
        "number: 1\n    title: First round again",
        "number: 2\n    title: Second\n    dates: {start: 2026-01-10}",
    )
    before = len(double.messages_to(OWNER_ID))
    double.user_uploads(OWNER_ID, "kashmir.yml", good.encode(), user_id=OWNER_ID)
    await double.wait_for_messages(OWNER_ID, before + 1, timeout=10)
    imported = double.messages_to(OWNER_ID)[-1]
    assert imported.plain_text.startswith("✅ Created kashmir-talks: 3 rounds added, 0 replaced.")
    assert "Nothing was published" in imported.plain_text
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Post)) == 0
    await Chatter(double, READER, READER).says("/subscribe kashmir-talks")
    [published] = await owner.presses(imported, buttons_of(imported)["📣 Publish latest round"])
    assert "Published — New round: Round 3 · Third round" in published.plain_text
    await wait_for_states(database, Counter({"sent": 1}))
    assert "Third round" in double.messages_to(READER)[-1].plain_text
    answers = len(double.callback_answers)
    double.user_presses(
        OWNER_ID, imported.message_id, buttons_of(imported)["📣 Publish latest round"]
    )
    await double.wait_for(lambda: len(double.callback_answers) > answers, timeout=10)
    assert double.callback_answers[-1].show_alert
    assert "Already published" in (double.callback_answers[-1].text or "")
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Post)) == 1


async def test_a_non_admin_upload_is_refused_and_stores_nothing(
    double: BotApiDouble, app: Application, database: Database
) -> None:
    double.add_private_chat(STRANGER)
    good = BROKEN_REFERENCES_ONLY.replace("Nepal", "India").replace(", source: 2", "")
    good = good.replace("number: 1\n    title: First round again", "number: 2\n    title: Second")
    before = len(double.messages_to(STRANGER))
    double.user_uploads(
        STRANGER, "kashmir.json", json.dumps({"slug": "x"}).encode(), user_id=STRANGER
    )
    double.user_uploads(STRANGER, "kashmir.yaml", good.encode(), user_id=STRANGER)
    await double.wait_for_messages(STRANGER, before + 2, timeout=10)
    for answer in double.messages_to(STRANGER)[before:]:
        assert answer.plain_text == "Sorry, only Roundwatch admins can do that."
    answers = len(double.callback_answers)
    double.user_presses(STRANGER, double.messages_to(STRANGER)[-1].message_id, "ximp:1")
    await double.wait_for(lambda: len(double.callback_answers) > answers, timeout=10)
    assert double.callback_answers[-1].show_alert
    assert await stored_counts(database) == (0, 0, 0, 0)
    async with database.session() as session:
        refused = list(
            await session.scalars(select(AuditLog.action).where(AuditLog.allowed.is_(False)))  # type: ignore[attr-defined]
        )
    assert refused == ["import", "import", "publish-import"]


# Generated documents: names drawn apart so that parties never clash, any printable text.
_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=40,
).filter(str.strip)
_prose = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    min_size=1,
    max_size=80,
).filter(str.strip)
_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    tag = uuid.uuid4().hex[:8]
    count = draw(st.integers(1, 4))
    names = [f"Party {tag} {i}" for i in range(count)]
    parties = [
        {
            "name": name,
            "kind": draw(st.none() | st.sampled_from(["state", "armed group"])),
            "aliases": [f"Alias {tag} {i} {j}" for j in range(draw(st.integers(0, 2)))],
            "roles": draw(
                st.lists(st.sampled_from(["negotiating", "mediator", "host"]), unique=True)
            ),
        }
        for i, name in enumerate(names)
    ]
    numbers = draw(st.lists(st.integers(1, 50), unique=True, max_size=3))
    rounds = []
    for number in [*numbers, *([None] if draw(st.booleans()) else [])]:
        start = draw(st.none() | _dates)
        sources = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"publisher": _text},
                    optional={"title": _text, "url": st.just("https://example.org/a?b=1"),
                              "published": _dates.map(str)},
                ),
                max_size=2,
            )
        )  # fmt: skip
        rounds.append(
            {
                "number": number,
                "title": draw(_text),
                "dates": None if start is None else {"start": str(start)},
                "place": draw(st.none() | st.fixed_dictionaries({"city": _text})),
                "status": draw(st.none() | st.sampled_from(["ongoing", "concluded"])),
                "parties": draw(st.lists(st.sampled_from(names), unique=True, max_size=2)),
                "mediators": draw(st.lists(st.sampled_from(names), unique=True, max_size=1)),
                "delegations": [
                    {
                        "party": party,
                        "members": draw(
                            st.lists(
                                st.fixed_dictionaries(
                                    {
                                        "person": _text,
                                        "role": st.sampled_from(["head", "member"]),
                                        "title": st.none() | _text,
                                    }
                                ),
                                min_size=1,
                                max_size=2,
                            )
                        ),
                    }
                    for party in draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
                ],
                "statements": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "kind": st.sampled_from(["demand", "claim"]),
                                "party": st.none() | st.sampled_from(names),
                                "text": _prose,
                                "date": st.none() | _dates.map(str),
                                "source": st.none()
                                | (st.integers(1, len(sources)) if sources else st.none()),
                            }
                        ),
                        max_size=2,
                    )
                ),
                "outcome": draw(st.none() | st.fixed_dictionaries({"text": _prose})),
                "summary": draw(st.none() | _prose),
                "sources": sources,
            }
        )
    rounds.sort(  # the order export lists rounds in: by start date, then number
        key=lambda r: (
            r["dates"] is None,
            r["dates"] and r["dates"]["start"],
            r["number"] is None,
            r["number"] or 0,
        )
    )
    return {"slug": f"t-{tag}", "title": draw(_text), "parties": parties, "rounds": rounds}


@given(data=documents())
@settings(max_examples=40, deadline=None)
def test_a_generated_document_writes_and_reads_back_the_same(data: dict[str, object]) -> None:
    document = TopicDocument.model_validate(data)
    for as_json, name in ((False, "t.yaml"), (True, "t.json")):
        text = write_document(document, as_json=as_json)
        assert read_document(name, text.encode()) == document
        assert write_document(read_document(name, text.encode()), as_json=as_json) == text


@given(data=documents())
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_generated_document_survives_export_import_export(
    database_url: str, data: dict[str, object]
) -> None:
    async def round_trip() -> None:
        database = Database(database_url)
        try:
            await upgrade_database(database)
            document = TopicDocument.model_validate(data)
            await import_document(database, "t.yaml", write_document(document).encode())
            first = await export_topic(database, document.slug)
            assert read_document("t.yaml", first.encode()).rounds == document.rounds
            await import_document(database, "t.yaml", first.encode())
            assert await export_topic(database, document.slug) == first
            copy = first.replace(document.slug, f"{document.slug}-c", 1)
            await import_document(database, "t.yaml", copy.encode())
            assert await export_topic(database, f"{document.slug}-c") == copy
        finally:
            await database.dispose()

    asyncio.run(round_trip())

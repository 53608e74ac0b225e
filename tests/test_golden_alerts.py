"""Reviewed renderings of the reference case, kept in tests/golden/ as subscribers see them.

The alerts are made the way an admin makes them, card by card through preview and publish, so
the files show the parser, the stored facts, "what changed" and the renderer together. A change
to any of them shows up here as a diff to review; once it is right, regenerate the files with
ROUNDWATCH_UPDATE_GOLDEN=1 and commit them with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.posting.demo_data import DEMO_SLUG, load_demo_data
from bot.posting.publish import preview_post, publish_post
from bot.reading.alert_parts import split_alert
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Post

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("ROUNDWATCH_UPDATE_GOLDEN") == "1"
PART_BREAK = "\n\n──────── next message ────────\n\n"

ROUND_TWO_UPDATE = f"""/post {DEMO_SLUG}
round: 2
status: concluded
date: 2026-10-24..2026-10-30
demand: Taliban administration / Zabihullah Mujahid = an end to Pakistani air strikes on \
Afghan territory (2026-10-28)
next: a third round in Istanbul on 6 November
source: Reuters, “Pakistan and Taliban end Istanbul talks without a deal”, 2026-10-30, \
https://www.reuters.com/world/asia-pacific/pakistan-taliban-istanbul/
summary:
The Istanbul round ended on 30 October without a joint statement. The mediators said both \
delegations would meet again on 6 November."""

TORKHAM_DEVELOPMENT = f"""/post {DEMO_SLUG}
round: none
title: Pakistan says the Torkham crossing reopens
date: 2026-11-02
place: Torkham, Pakistan
announcement: Pakistan / Tahir Hussain Andrabi = the Torkham border crossing reopens to trade \
and travellers on Monday
source: Ministry of Foreign Affairs, 2026-11-02"""

LONG_ROUND_THREE = f"""/post {DEMO_SLUG}
round: 3
title: Third round opens in Istanbul
date: 2026-11-06
place: Istanbul, Turkey
status: ongoing
mediators: Qatar; Turkey
summary:
""" + "\n\n".join(
    f"Session {n}: the delegations went through the monitoring mechanism clause by clause, "
    "with the mediators proposing wording on verification, joint patrols, the exchange of "
    "information on armed groups and a hotline between the two sides' security officials. "
    "Neither side has published its own text, and officials on both sides described the "
    "atmosphere as businesslike."
    for n in range(1, 9)
)


async def published(database: Database, card: str) -> str:
    preview = await preview_post(database, 0, DEMO_SLUG, card)
    await publish_post(database, preview.post_id, 0)
    async with database.session() as session:
        post = await session.get(Post, preview.post_id)
        assert post is not None and post.rendered is not None
        assert "\n\n".join(preview.parts) == "\n\n".join(split_alert(post.rendered))
        return post.rendered


def check_golden(name: str, rendered: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if REGENERATE:
        path.write_text(rendered + "\n", encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run with ROUNDWATCH_UPDATE_GOLDEN=1 to write it"
    assert rendered + "\n" == path.read_text(encoding="utf-8"), (
        f"{name} differs from {path}; review the change, then regenerate with "
        "ROUNDWATCH_UPDATE_GOLDEN=1"
    )


@pytest.fixture
async def reference_case(database: Database) -> Database:
    await upgrade_database(database)
    await load_demo_data(database)
    return database


async def test_the_round_two_alert_is_the_reviewed_one(reference_case: Database) -> None:
    async with reference_case.session() as session:
        rendered = await session.scalar(
            select(Post.rendered).where(Post.kind == "new_round").order_by(Post.id.desc())
        )
    assert rendered is not None
    check_golden("new_round", rendered)


async def test_the_round_two_update_is_the_reviewed_one(reference_case: Database) -> None:
    check_golden("round_update", await published(reference_case, ROUND_TWO_UPDATE))


async def test_the_torkham_development_is_the_reviewed_one(reference_case: Database) -> None:
    check_golden("development", await published(reference_case, TORKHAM_DEVELOPMENT))


async def test_a_split_alert_is_the_reviewed_one(reference_case: Database) -> None:
    rendered = await published(reference_case, LONG_ROUND_THREE)
    parts = split_alert(rendered, limit=1500)
    assert len(parts) > 1
    check_golden("split_alert", PART_BREAK.join(parts))

"""The reference case: rounds 1 and 2 of the Pakistan–Taliban talks, from the article."""

from __future__ import annotations

from bot.posting.card_grammar import CARD_EXAMPLE
from bot.posting.publish import create_new_topic, preview_post, publish_post
from storage.database import Database
from storage.topics import topic_by_slug

DEMO_SLUG = "pak-taliban-talks"
DEMO_TITLE = "Pakistan–Taliban talks"
DEMO_DESCRIPTION = (
    "Talks between Pakistan and the Taliban administration of Afghanistan on cross-border "
    "security, mediated by Qatar and Turkey."
)
DEMO_AUTHOR_ID = 0

ROUND_ONE_CARD = f"""/post {DEMO_SLUG}
round: 1
title: First round of talks held in Doha
date: 2026-10-18..2026-10-19
place: Doha, Qatar
parties: Pakistan; Taliban administration
mediators: Qatar; Turkey
status: concluded
outcome: ceasefire = both sides agreed on a ceasefire and to continue negotiations
position: Taliban administration = no clear commitment was made to curb extremist groups
summary:
Initial talks in Doha under the joint mediation of Qatar and Turkey ended with a ceasefire \
and an agreement to continue negotiations, but no clear commitment by the Taliban \
administration to curb extremist groups."""

ROUND_TWO_CARD = CARD_EXAMPLE


async def load_demo_data(database: Database) -> bool:
    """Publishes the two rounds as an admin would; False when the topic is already there."""
    async with database.session() as session:
        if await topic_by_slug(session, DEMO_SLUG) is not None:
            return False
    await create_new_topic(database, DEMO_AUTHOR_ID, DEMO_SLUG, DEMO_TITLE, DEMO_DESCRIPTION)
    for card in (ROUND_ONE_CARD, ROUND_TWO_CARD):
        preview = await preview_post(database, DEMO_AUTHOR_ID, DEMO_SLUG, card)
        await publish_post(database, preview.post_id, DEMO_AUTHOR_ID)
    return True

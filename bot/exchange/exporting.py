"""Writing a topic out as a document, which `roundwatch import` takes back unchanged."""

from __future__ import annotations

from pydantic import ValidationError

from bot.exchange.facts import facts_document
from bot.exchange.reading import path_of
from bot.exchange.writing import write_document
from storage.admins import record_audit
from storage.database import Database
from storage.topic_exchange import read_topic_facts
from storage.topics import topic_by_slug


class ExportFailed(Exception):
    """One sentence: no such topic, or stored data the format cannot hold."""


async def export_topic(
    database: Database, slug: str, *, as_json: bool = False, user_id: int = 0
) -> str:
    async with database.transaction() as session:
        topic = await topic_by_slug(session, slug)
        if topic is None:
            raise ExportFailed(f"There is no topic `{slug}`.")
        facts = await read_topic_facts(session, topic)
        await record_audit(session, user_id, "export", slug, topic=slug)
    try:
        document = facts_document(facts)
    except ValidationError as error:
        first = error.errors()[0]
        raise ExportFailed(
            f"The topic `{slug}` holds data the document format cannot: "
            f"{path_of(first['loc'])}: {first['msg']}."
        ) from None
    return write_document(document, as_json=as_json)

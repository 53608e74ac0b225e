"""Loading a topic document: everything is checked before anything is stored, and it is
stored in one transaction, so a document with a problem leaves the database as it was.

Into an existing topic the document merges by round: each round it lists (by number; a
development by title and start date) becomes exactly what the document says, and rounds it
does not list stay as they are. Nothing is sent to subscribers unless publishing is asked
for, and then only the topic's latest round, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.exchange.facts import document_facts
from bot.exchange.reading import DocumentInvalid, read_document
from bot.posting.publish import KIND_LABELS, round_name
from bot.reading.language import N_, Refusal
from bot.reading.render import render_alert
from bot.reading.what_changed import changes_from_previous_round
from storage.admin_topics import may_handle_topic
from storage.admins import record_audit
from storage.database import Database
from storage.models import Topic
from storage.posts import create_draft, mark_published
from storage.round_posts import published_rendering_of_round
from storage.round_views import latest_development, latest_round, previous_round, round_view
from storage.topic_exchange import name_clashes, write_topic_facts
from storage.topic_facts import NameClash, PartyFact
from storage.topics import topic_by_slug

log = logging.getLogger(__name__)

COMMAND_LINE_USER = 0  # the audit log's user for `roundwatch import`, which has no Telegram id
IMPORTED_CARD = "(imported from a topic document)"


class ImportRefused(Refusal):
    """The document is fine but this person may not load it, or it could not be stored."""


@dataclass(frozen=True)
class Imported:
    slug: str
    topic_id: int
    created: bool
    rounds_created: int
    rounds_updated: int
    published_post_id: int | None = None
    already_published: bool = False


@dataclass(frozen=True)
class PublishedImport:
    slug: str
    post_id: int | None  # None: the topic has no round to publish
    headline: str
    already_published: bool
    kind: str = "new_round"
    round_number: int | None = None
    round_title: str = ""


async def import_document(
    database: Database,
    filename: str,
    content: bytes,
    *,
    admin_id: int | None = None,
    publish: bool = False,
) -> Imported:
    """`admin_id` None: the command line, which may load any topic."""
    try:
        return await _import(database, filename, content, admin_id, publish)
    except SQLAlchemyError as error:
        log.warning("importing %s failed: %s", filename, error)
        raise ImportRefused(
            N_("The database could not store the document, so nothing was stored; try again.")
        ) from None


async def _import(
    database: Database, filename: str, content: bytes, admin_id: int | None, publish: bool
) -> Imported:
    document = read_document(filename, content)
    facts = document_facts(document)
    async with database.transaction() as session:
        clashes = await name_clashes(session, facts.parties)
        if clashes:
            raise DocumentInvalid([_clash_problem(clash, facts.parties) for clash in clashes])
        existing = await topic_by_slug(session, facts.slug)
        if admin_id is not None and not await may_handle_topic(
            session, admin_id, existing.id if existing else None
        ):
            refusal = (
                N_("You may not load the topic `{slug}`: an owner limited you to other topics.")
                if existing
                else N_(
                    "You may not load a new topic `{slug}`: an owner limited you to other topics."
                )
            )
            raise ImportRefused(refusal, slug=facts.slug)
        written = await write_topic_facts(session, facts)
        published = (
            await publish_latest_round(session, written.topic_id, _user(admin_id))
            if publish
            else None
        )
        new, updated = len(written.created_round_ids), len(written.updated_round_ids)
        detail = f"{facts.slug}: {new} rounds new, {updated} updated"
        if published is not None and published.post_id is not None:
            detail += f", published update {published.post_id}"
        await record_audit(session, _user(admin_id), "import", detail, topic=facts.slug)
    return Imported(
        slug=facts.slug,
        topic_id=written.topic_id,
        created=written.created,
        rounds_created=new,
        rounds_updated=updated,
        published_post_id=published.post_id if published else None,
        already_published=bool(published and published.already_published),
    )


async def publish_imported(database: Database, admin_id: int, topic_id: int) -> PublishedImport:
    """The Publish button under an upload's answer."""
    async with database.transaction() as session:
        if not await may_handle_topic(session, admin_id, topic_id):
            raise ImportRefused(
                N_("You may not publish to this topic: an owner limited you to others.")
            )
        published = await publish_latest_round(session, topic_id, admin_id)
        if published.post_id is not None and not published.already_published:
            await record_audit(
                session, admin_id, "publish", f"update {published.post_id}: {published.headline}",
                topic=published.slug,
            )  # fmt: skip
    return published


async def publish_latest_round(
    session: AsyncSession, topic_id: int, admin_id: int
) -> PublishedImport:
    """The latest round (or, with none, the latest development) told whole, as a new round when
    nothing about it was published before; pressed again with nothing changed, nothing new."""
    topic = await session.get(Topic, topic_id)
    if topic is None:
        raise ImportRefused(N_("That topic no longer exists."))
    target = await latest_round(session, topic_id) or await latest_development(session, topic_id)
    if target is None or target.id is None:
        return PublishedImport(topic.slug, None, "", already_published=False)
    earlier = await published_rendering_of_round(session, target.id)
    kind = "development" if target.number is None else "round_update" if earlier else "new_round"
    view = await round_view(session, topic, target)
    prior = await previous_round(session, target)
    since = (
        changes_from_previous_round(await round_view(session, topic, prior), view) if prior else []
    )
    rendered = render_alert(view, kind=kind, since_previous=since)
    headline = f"{KIND_LABELS[kind]}: {round_name(target)}"
    if earlier is not None and earlier[1] == render_alert(
        view, kind=earlier[2], since_previous=since
    ):
        return PublishedImport(
            topic.slug, earlier[0], headline, True, earlier[2], target.number, target.title
        )
    post = await create_draft(
        session, topic_id, admin_id, IMPORTED_CARD, kind=kind, rendered=rendered, fingerprint=""
    )
    await mark_published(
        session, post, round_id=target.id, kind=kind, headline=headline, summary=None
    )
    assert post.id is not None
    return PublishedImport(topic.slug, post.id, headline, False, kind, target.number, target.title)


def _user(admin_id: int | None) -> int:
    return COMMAND_LINE_USER if admin_id is None else admin_id


def _clash_problem(clash: NameClash, parties: tuple[PartyFact, ...]) -> str:
    party = parties[clash.party_index]
    if clash.alias_index is None:
        return (
            f"parties[{clash.party_index}].name: {party.name!r} is recorded as another name of "
            f"{clash.owner!r}; list it under that name"
        )
    alias = party.aliases[clash.alias_index]
    return (
        f"parties[{clash.party_index}].aliases[{clash.alias_index}]: {alias!r} already names "
        f"{clash.owner!r}"
    )

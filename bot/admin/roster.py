"""Who may post. Owners come from the configuration; admins are stored and managed by owners."""

from __future__ import annotations

from dataclasses import dataclass

from storage.admin_topics import (
    active_topics,
    clear_topic_limits,
    limited_topic_ids,
    toggle_topic_limit,
)
from storage.admins import add_admin, record_audit, remove_admin, stored_admin_ids
from storage.database import Database
from storage.known_names import names_of, note_name
from storage.models import Topic


@dataclass(frozen=True)
class AdminEntry:
    user_id: int
    is_owner: bool
    first_name: str | None
    username: str | None
    topics: tuple[str, ...]  # slugs the admin is limited to; empty: every topic

    @property
    def name(self) -> str:
        """How people are named in /admins and /audit: Telegram's first name, else the id."""
        return self.first_name or str(self.user_id)


class AdminRoster:
    """Checked on every admin action, by Telegram user id, against the database each time so
    that a removed admin loses access at once, in every worker."""

    def __init__(self, database: Database, owner_ids: tuple[int, ...]) -> None:
        self.database = database
        self.owner_ids = frozenset(owner_ids)

    def is_owner(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.owner_ids

    async def is_admin(self, user_id: int | None) -> bool:
        if user_id is None:
            return False
        if self.is_owner(user_id):
            return True
        async with self.database.session() as session:
            return user_id in await stored_admin_ids(session)

    async def all_ids(self) -> list[int]:
        async with self.database.session() as session:
            return sorted(self.owner_ids | await stored_admin_ids(session))

    async def has_admins(self) -> bool:
        return bool(await self.all_ids())

    async def remember_name(self, user_id: int, first_name: str, username: str | None) -> None:
        """Telegram tells the name with every update; keeping the latest lets /admins show it
        for people added by id."""
        async with self.database.transaction() as session:
            await note_name(session, user_id, first_name, username)

    async def entries(self) -> list[AdminEntry]:
        """Owners first, then admins, each by id."""
        async with self.database.session() as session:
            stored = await stored_admin_ids(session)
            ids = sorted(self.owner_ids) + sorted(stored - self.owner_ids)
            names = await names_of(session, ids)
            slugs = {topic.id: topic.slug for topic in await active_topics(session)}
            entries = []
            for user_id in ids:
                limits = await limited_topic_ids(session, user_id)
                known = names.get(user_id)
                entries.append(
                    AdminEntry(
                        user_id=user_id,
                        is_owner=self.is_owner(user_id),
                        first_name=known.first_name if known else None,
                        username=known.username if known else None,
                        topics=tuple(sorted(slugs[t] for t in limits if t in slugs)),
                    )
                )
        return entries

    async def entry(self, user_id: int) -> AdminEntry | None:
        return next((e for e in await self.entries() if e.user_id == user_id), None)

    async def topics(self) -> list[Topic]:
        async with self.database.session() as session:
            return await active_topics(session)

    async def refuse(self, user_id: int, action: str, detail: str | None = None) -> None:
        """`detail` names what was tried (an update id), never what the person wrote: the
        audit trail outlives /stop, message content must not."""
        async with self.database.transaction() as session:
            await record_audit(session, user_id, action, detail, allowed=False)

    async def grant(self, owner_id: int, user_id: int) -> bool:
        async with self.database.transaction() as session:
            added = await add_admin(session, user_id, owner_id)
            await record_audit(session, owner_id, "addadmin", str(user_id))
        return added

    async def revoke(self, owner_id: int, user_id: int) -> bool:
        """A removed admin's topic limits go too: added again, they start from every topic."""
        async with self.database.transaction() as session:
            removed = await remove_admin(session, user_id)
            await clear_topic_limits(session, user_id)
            await record_audit(session, owner_id, "removeadmin", str(user_id))
        return removed

    async def toggle_topic(self, owner_id: int, user_id: int, topic: Topic) -> bool:
        """True when the admin is now limited to this topic (among others)."""
        assert topic.id is not None
        async with self.database.transaction() as session:
            limited = await toggle_topic_limit(session, user_id, topic.id)
            what = "limit to" if limited else "unlimit from"
            await record_audit(
                session,
                owner_id,
                "admin-topic",
                f"{user_id}: {what} {topic.slug}",
                topic=topic.slug,
            )
        return limited

    async def allow_every_topic(self, owner_id: int, user_id: int) -> None:
        async with self.database.transaction() as session:
            await clear_topic_limits(session, user_id)
            await record_audit(session, owner_id, "admin-topic", f"{user_id}: every topic")

"""Who may post. Owners come from the configuration; admins are stored and managed by owners."""

from __future__ import annotations

from storage.admins import add_admin, record_audit, remove_admin, stored_admin_ids
from storage.database import Database


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
        async with self.database.transaction() as session:
            removed = await remove_admin(session, user_id)
            await record_audit(session, owner_id, "removeadmin", str(user_id))
        return removed

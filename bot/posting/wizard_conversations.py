"""Where the `/post` wizard's ConversationHandler finds its conversations after a restart: the
wizard_drafts table. Each answer is written to the draft's row before the next question is
asked, so the table is always current and nothing is kept anywhere else."""

from __future__ import annotations

from collections.abc import MutableMapping

from telegram.ext import DictPersistence, PersistenceInput

from storage.database import Database
from storage.migrate import upgrade_database
from storage.wizard_drafts import all_answering_drafts

WIZARD_CONVERSATION = "post-wizard"
# PTB's own names for these live in a private module.
ConversationKey = tuple[int | str, ...]


class WizardConversations(DictPersistence):
    """Persists nothing but the wizard's conversations, and those only by reading the drafts:
    user, chat and bot data stay in memory as without persistence."""

    def __init__(self, database: Database) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            )
        )
        self._database = database

    async def get_conversations(self, name: str) -> MutableMapping[ConversationKey, object]:
        """PTB reads conversations while initialising, before `post_init` upgrades the schema,
        so the upgrade is made here first (the one in `post_init` then finds nothing to do)."""
        if name != WIZARD_CONVERSATION:
            return {}
        await upgrade_database(self._database)
        async with self._database.session() as session:
            drafts = await all_answering_drafts(session)
        return {(draft.chat_id, draft.author_id): draft.step for draft in drafts}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """The step is already in the draft's row, written with the answer that moved it."""

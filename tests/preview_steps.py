"""Steps the preview tests share: an owner with a topic and readers, previews, presses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE
from bot.sandbox import BotApiDouble, SentMessage
from bot.sandbox.records import CallbackAnswer
from tests.conftest import OWNER_ID, Chatter, buttons_of

STRANGER = 666


@dataclass
class Desk:
    double: BotApiDouble
    owner: Chatter
    readers: list[int]

    async def preview(self, card: str) -> SentMessage:
        """The preview's last part, the one with the buttons."""
        messages = await self.owner.says(card, replies=2)
        return messages[-1]

    def shown(self, message: SentMessage) -> SentMessage:
        current = self.double.latest(self.owner.chat_id, message.message_id)
        assert current is not None
        return current

    async def press(
        self, message: SentMessage, data: str, user_id: int = OWNER_ID
    ) -> CallbackAnswer:
        answered = len(self.double.callback_answers)
        query_id = self.double.user_presses(
            self.owner.chat_id, message.message_id, data, user_id=user_id
        )
        await self.double.wait_for(
            lambda: any(
                a.callback_query_id == query_id for a in self.double.callback_answers[answered:]
            )
        )
        return next(a for a in self.double.callback_answers if a.callback_query_id == query_id)

    async def press_label(self, message: SentMessage, label: str) -> CallbackAnswer:
        return await self.press(message, buttons_of(self.shown(message))[label])

    async def reply_to(
        self, message: SentMessage, text: str, replies: int = 1
    ) -> list[SentMessage]:
        before = len(self.double.messages_to(self.owner.chat_id))
        self.double.user_sends(
            self.owner.chat_id, text, user_id=self.owner.user_id, reply_to=message.message_id
        )
        await self.double.wait_for_messages(self.owner.chat_id, before + replies, timeout=10)
        return self.double.messages_to(self.owner.chat_id)[before:]

    def received(self, reader: int) -> list[str]:
        return [m.plain_text for m in self.double.messages_to(reader)]


async def open_desk(double: BotApiDouble, readers: list[int]) -> Desk:
    """The bot must be running; the owner creates the demo topic and each reader follows it."""
    double.add_private_chat(OWNER_ID, first_name="Owner")
    double.add_private_chat(STRANGER, first_name="Stranger")
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    for reader in readers:
        double.add_private_chat(reader, first_name=f"Reader {reader}")
        await Chatter(double, reader, reader).says(f"/subscribe {DEMO_SLUG}")
    return Desk(double, owner, readers)

"""The simulated people and chats the bot talks to, rendered as Bot API JSON objects.

Only fields PTB requires or the bot reads are produced; their JSON is built once because every
message the double answers with embeds it.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

ChatType = Literal["private", "group", "supergroup", "channel"]

_ADMINISTRATOR_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


@dataclass(slots=True)
class SimulatedUser:
    id: int
    first_name: str
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = None  # the IETF tag of the user's Telegram app language
    json: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.json = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            self.json["username"] = self.username
        if self.language_code:
            self.json["language_code"] = self.language_code


@dataclass(slots=True)
class SimulatedChat:
    """A chat as Telegram knows it; ``migrated_to`` is set once a group became a supergroup."""

    id: int
    type: ChatType
    title: str | None = None
    owner: SimulatedUser | None = None
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    migrated_to: int | None = None
    is_forum: bool = False
    username: str | None = None  # a public group's or channel's @name
    json: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.json = {"id": self.id, "type": self.type}
        if self.owner is not None:
            self.json["first_name"] = self.owner.first_name
            if self.owner.username:
                self.json["username"] = self.owner.username
        if self.title is not None:
            self.json["title"] = self.title
        if self.is_forum:
            self.json["is_forum"] = True
        if self.username is not None:
            self.json["username"] = self.username

    @property
    def is_private(self) -> bool:
        return self.type == "private"

    def full_info_json(self) -> dict[str, Any]:
        """getChat's ChatFullInfo, which PTB refuses to parse without these fields."""
        return self.json | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": _NO_GIFTS,
        }

    def status_of(self, user_id: int) -> str:
        if user_id == self.creator:
            return "creator"
        if user_id in self.admins:
            return "administrator"
        return "member"


def chat_member_json(chat: SimulatedChat, user: SimulatedUser) -> dict[str, Any]:
    status = chat.status_of(user.id)
    if status == "creator":
        return {"status": "creator", "user": user.json, "is_anonymous": False}
    if status == "administrator":
        rights = _ADMINISTRATOR_RIGHTS
        if chat.type == "channel":
            rights = rights | {"can_post_messages": True, "can_edit_messages": True}
        return {"status": "administrator", "user": user.json} | rights
    return {"status": "member", "user": user.json}

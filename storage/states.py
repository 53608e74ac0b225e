"""Every enumerated value the tables hold. Each column is plain text in the database with a
CHECK constraint listing these values, so a typo fails at the write that makes it rather than
in a query that silently matches nothing."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint


class DeliveryState(StrEnum):
    PENDING = "pending"
    LEASED = "leased"  # a worker holds it until its lease expires
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


OPEN_DELIVERY_STATES = (DeliveryState.PENDING, DeliveryState.LEASED)


class DeliveryMode(StrEnum):
    INSTANT = "instant"
    DIGEST = "digest"  # at the chat's digest time, daily or on its weekday


class Language(StrEnum):
    """What the bot writes in; `chats.language` holds the one Telegram last reported."""

    ENGLISH = "en"
    PERSIAN = "fa"


class Calendar(StrEnum):
    """The calendar a chat reads its dates in; the stored dates are always Gregorian."""

    GREGORIAN = "gregorian"
    SOLAR_HIJRI = "solar_hijri"


class PostState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class ScheduleState(StrEnum):
    WAITING = "waiting"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    OUTDATED = "outdated"  # the stored data changed since the preview: nothing was published


class RoundStatus(StrEnum):
    SCHEDULED = "scheduled"
    ONGOING = "ongoing"
    CONCLUDED = "concluded"
    COLLAPSED = "collapsed"
    POSTPONED = "postponed"


class PartyRole(StrEnum):
    NEGOTIATING = "negotiating"
    MEDIATOR = "mediator"
    HOST = "host"
    OBSERVER = "observer"


class MemberRole(StrEnum):
    HEAD = "head"
    MEMBER = "member"
    SPOKESPERSON = "spokesperson"


class StatementKind(StrEnum):
    DEMAND = "demand"
    POSITION = "position"
    CLAIM = "claim"
    ANNOUNCEMENT = "announcement"


class ChatType(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class WizardStep(StrEnum):
    """The posting wizard's questions, in the order it asks them."""

    TOPIC = "topic"
    KIND = "kind"
    ROUND = "round"
    TITLE = "title"
    DATE = "date"
    PLACE = "place"
    STATUS = "status"
    MEDIATORS = "mediators"
    PARTIES = "parties"
    STATEMENTS = "statements"
    OUTCOME = "outcome"
    SOURCE = "source"
    SUMMARY = "summary"


class WizardState(StrEnum):
    ANSWERING = "answering"  # the admin's chat is on this draft; at most one per admin
    SET_ASIDE = "set_aside"  # unfinished, waiting in /drafts
    PREVIEWED = "previewed"  # became a card and went to the normal preview
    DISCARDED = "discarded"


def one_of(table: str, column: str, values: type[StrEnum]) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")

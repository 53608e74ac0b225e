"""The tables. Times are aware UTC; SQLModel's UTCDateTime stores them alike everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.states import (
    Calendar,
    ChatType,
    DeliveryMode,
    DeliveryState,
    Language,
    MemberRole,
    PartyRole,
    PostState,
    RoundStatus,
    ScheduleState,
    StatementKind,
    WizardState,
    WizardStep,
    one_of,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Topic(SQLModel, table=True):
    __tablename__ = "topics"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=32, unique=True, index=True)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(default="active", max_length=16)
    created_at: datetime = Field(default_factory=utc_now)


class Party(SQLModel, table=True):
    __tablename__ = "parties"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    name_key: str = Field(max_length=100, unique=True, index=True)
    kind: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utc_now)


class PartyAlias(SQLModel, table=True):
    __tablename__ = "party_aliases"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="parties.id", index=True)
    alias: str = Field(max_length=100)
    alias_key: str = Field(max_length=100, unique=True)


class TopicParty(SQLModel, table=True):
    __tablename__ = "topic_parties"
    __table_args__ = (
        UniqueConstraint("topic_id", "party_id", "role"),
        one_of("topic_parties", "role", PartyRole),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", index=True)
    party_id: int = Field(foreign_key="parties.id")
    role: str = Field(max_length=16)


class Source(SQLModel, table=True):
    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int | None = Field(default=None, foreign_key="rounds.id", index=True)
    publisher: str = Field(max_length=300)
    title: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=1000)
    published: date | None = None


class Round(SQLModel, table=True):
    __tablename__ = "rounds"
    __table_args__ = (one_of("rounds", "status", RoundStatus),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", index=True)
    number: int | None = None
    title: str = Field(max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    venue: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, max_length=100)
    status: str | None = Field(default=None, max_length=16)  # None: never given
    outcome_type: str | None = Field(default=None, max_length=40)
    outcome_text: str | None = Field(default=None, sa_column=Column(Text))
    next_meeting: str | None = Field(default=None, max_length=1000)
    summary: str | None = Field(default=None, sa_column=Column(Text))  # imported or last carded
    created_at: datetime = Field(default_factory=utc_now)


class RoundParty(SQLModel, table=True):
    """A mediator, host or observer of one round."""

    __tablename__ = "round_parties"
    __table_args__ = (
        UniqueConstraint("round_id", "party_id", "role"),
        one_of("round_parties", "role", PartyRole),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="rounds.id", index=True)
    party_id: int = Field(foreign_key="parties.id")
    role: str = Field(max_length=16)


class DelegationMember(SQLModel, table=True):
    __tablename__ = "delegation_members"
    __table_args__ = (one_of("delegation_members", "role", MemberRole),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="rounds.id", index=True)
    party_id: int = Field(foreign_key="parties.id")
    person: str = Field(max_length=1000)
    role: str = Field(max_length=16)
    title: str | None = Field(default=None, max_length=1000)


class Statement(SQLModel, table=True):
    __tablename__ = "statements"
    __table_args__ = (one_of("statements", "kind", StatementKind),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="rounds.id", index=True)
    party_id: int | None = Field(default=None, foreign_key="parties.id")
    person: str | None = Field(default=None, max_length=1000)
    kind: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    said_on: date | None = None
    source_id: int | None = Field(default=None, foreign_key="sources.id")


class Post(SQLModel, table=True):
    """What subscribers are told. A draft keeps only the card; publishing records its facts."""

    __tablename__ = "posts"
    __table_args__ = (one_of("posts", "state", PostState),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="rounds.id")
    kind: str = Field(default="new_round", max_length=16)
    headline: str = Field(default="", max_length=300)
    card_text: str = Field(sa_column=Column(Text, nullable=False))
    summary: str | None = Field(default=None, sa_column=Column(Text))
    rendered: str | None = Field(default=None, sa_column=Column(Text))
    rendered_fa: str | None = Field(default=None, sa_column=Column(Text))  # for Persian chats
    # For chats reading the Solar Hijri calendar, in English and in Persian.
    rendered_solar_hijri: str | None = Field(default=None, sa_column=Column(Text))
    rendered_fa_solar_hijri: str | None = Field(default=None, sa_column=Column(Text))
    preview_fingerprint: str | None = Field(default=None, max_length=64)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(default=PostState.DRAFT, max_length=16)
    corrects_id: int | None = Field(default=None, foreign_key="posts.id")
    created_at: datetime = Field(default_factory=utc_now)
    published_at: datetime | None = None
    fanned_out_at: datetime | None = None


class Chat(SQLModel, table=True):
    """A subscriber: a private chat, a group or a channel. `telegram_id` changes on migration."""

    __tablename__ = "chats"
    __table_args__ = (one_of("chats", "type", ChatType),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    type: str = Field(max_length=16)
    title: str | None = Field(default=None, max_length=300)
    language: str | None = Field(default=None, max_length=16)
    active: bool = True
    inactive_reason: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utc_now)
    # The database's clock: no alert is claimed for the chat before it (its per-chat limit).
    next_send_at: datetime | None = Field(default=None, index=True)


class Subscription(SQLModel, table=True):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("chat_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id")
    topic_id: int = Field(foreign_key="topics.id", index=True)
    message_thread_id: int | None = Field(default=None, sa_column=Column(BigInteger))  # forum
    created_at: datetime = Field(default_factory=utc_now)


class Delivery(SQLModel, table=True):
    """One alert to one chat. The unique pair is what makes fan-out safe to repeat.

    A `leased` row belongs to whoever holds `lease_token` until `lease_expires_at` (the
    database's clock, never a worker's); `parts_sent` lists the Telegram message ids of the
    parts already accepted, so a retry sends only the rest, and `language` and `calendar` keep
    it sending them from the text it started with."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("post_id", "chat_id"),
        Index("ix_deliveries_due", "state", "id"),
        Index("ix_deliveries_chat_state", "chat_id", "state"),
        # Only open rows, so the queue's probes cost the same on a table of any age.
        Index(
            "ix_deliveries_pending_due",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index(
            "ix_deliveries_lease_expiry",
            "lease_expires_at",
            postgresql_where=text("state = 'leased'"),
            sqlite_where=text("state = 'leased'"),
        ),
        Index(
            "ix_deliveries_open_chat",
            "chat_id",
            "id",
            postgresql_where=text("state IN ('pending', 'leased')"),
            sqlite_where=text("state IN ('pending', 'leased')"),
        ),
        one_of("deliveries", "state", DeliveryState),
        one_of("deliveries", "language", Language),
        one_of("deliveries", "calendar", Calendar),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int | None = Field(default=None, foreign_key="posts.id")  # None: a digest
    chat_id: int = Field(foreign_key="chats.id")
    digest_id: int | None = Field(default=None, foreign_key="digests.id", unique=True)
    message_thread_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    state: str = Field(default=DeliveryState.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utc_now)
    lease_token: str | None = Field(default=None, max_length=32)
    lease_expires_at: datetime | None = None
    retrying_since: datetime | None = None
    parts_sent: list[int] | None = Field(default=None, sa_column=Column(JSON))
    # The language and calendar its text is chosen in, fixed at its first claim.
    language: str | None = Field(default=None, max_length=8)
    calendar: str | None = Field(default=None, max_length=16)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = None
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))


class Admin(SQLModel, table=True):
    __tablename__ = "admins"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    added_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(default_factory=utc_now)


class AdminTopic(SQLModel, table=True):
    """A topic an admin is limited to; an admin without rows may handle every topic."""

    __tablename__ = "admin_topics"
    __table_args__ = (UniqueConstraint("user_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    topic_id: int = Field(foreign_key="topics.id")


class KnownName(SQLModel, table=True):
    """The name Telegram last gave for a user who wrote to the bot, so that /admins can show
    people by name rather than by id."""

    __tablename__ = "known_names"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    first_name: str = Field(max_length=200)
    username: str | None = Field(default=None, max_length=64)
    seen_at: datetime = Field(default_factory=utc_now)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    action: str = Field(max_length=40)
    detail: str | None = Field(default=None, max_length=1000)
    topic_slug: str | None = Field(default=None, max_length=32, index=True)
    allowed: bool = True
    at: datetime = Field(default_factory=utc_now)


class SchedulerState(SQLModel, table=True):
    """Last tick and last error, for /stats across restarts and workers."""

    __tablename__ = "scheduler_state"

    key: str = Field(primary_key=True, max_length=40)
    value: str | None = Field(default=None, max_length=1000)
    at: datetime = Field(default_factory=utc_now)


class SendBudget(SQLModel, table=True):
    """Telegram's overall pace shared by every worker on PostgreSQL: the next free send slot
    and the pause a 429 imposed, both on the database's clock."""

    __tablename__ = "send_budget"

    name: str = Field(primary_key=True, max_length=40)
    next_slot_at: datetime = Field(default_factory=utc_now)
    paused_until: datetime = Field(default_factory=utc_now)


class ArticleDraft(SQLModel, table=True):
    """A card drafted from an article, kept until the admin publishes, edits or discards it:
    its buttons carry only the id, so they still work after a restart."""

    __tablename__ = "article_drafts"

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    card_text: str = Field(sa_column=Column(Text, nullable=False))
    topic_slug: str | None = Field(default=None, max_length=32)
    candidate_slugs: str = Field(default="", max_length=400)  # space-separated
    state: str = Field(default="proposed", max_length=16)  # proposed | previewed | discarded
    created_at: datetime = Field(default_factory=utc_now)


class Feed(SQLModel, table=True):
    """An RSS or Atom feed watched for a topic. `etag` and `last_modified` are the server's
    validators for the next conditional request; `failures` counts consecutive failed fetches
    (the backoff and the one report to admins follow from it); `next_fetch_at` is on the
    database's clock, so several workers agree on when a feed is due."""

    __tablename__ = "feeds"
    __table_args__ = (UniqueConstraint("topic_id", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topics.id", index=True)
    url: str = Field(max_length=2000)
    keywords: str = Field(default="", max_length=1000)  # space-separated
    interval_seconds: float
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=200)
    next_fetch_at: datetime = Field(default_factory=utc_now, index=True)
    last_fetched_at: datetime | None = None
    last_result: str | None = Field(default=None, max_length=500)
    failures: int = 0
    broken_reported: bool = False
    added_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utc_now)


class FeedEntry(SQLModel, table=True):
    """An entry already seen in a feed, drafted or not: the unique pair is what keeps an entry
    from being drafted twice, across restarts and workers."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feeds.id")
    entry_key: str = Field(max_length=500)
    drafted: bool = False
    seen_at: datetime = Field(default_factory=utc_now, index=True)


class ChatSettings(SQLModel, table=True):
    """How a chat wants its alerts; a chat without a row gets them instantly, in UTC."""

    __tablename__ = "chat_settings"
    __table_args__ = (
        one_of("chat_settings", "mode", DeliveryMode),
        one_of("chat_settings", "language", Language),
        one_of("chat_settings", "calendar", Calendar),
    )

    chat_id: int = Field(foreign_key="chats.id", primary_key=True)
    mode: str = Field(default=DeliveryMode.INSTANT, max_length=16)
    time_zone: str = Field(default="UTC", max_length=64)
    digest_hour: int = 8
    digest_weekday: int | None = None  # None: every day; 0 is Monday
    quiet_start: int | None = None  # minutes after local midnight
    quiet_end: int | None = None
    silent: bool = False
    language: str | None = Field(default=None, max_length=8)  # None: as Telegram reports
    calendar: str = Field(default=Calendar.GREGORIAN, max_length=16)


class TopicMode(SQLModel, table=True):
    """One topic of a chat delivered otherwise than the chat's own mode."""

    __tablename__ = "topic_modes"
    __table_args__ = (
        UniqueConstraint("chat_id", "topic_id"),
        one_of("topic_modes", "mode", DeliveryMode),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id")
    topic_id: int = Field(foreign_key="topics.id")
    mode: str = Field(max_length=16)


class Digest(SQLModel, table=True):
    """One digest of one chat's period, named by the local date its digest time falls on: the
    unique pair is what makes a period's digest exist once, whatever restarts or clocks do."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("chat_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id")
    period: str = Field(max_length=16)
    due_at: datetime
    rendered: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utc_now)


class DigestEntry(SQLModel, table=True):
    """A post waiting for a chat's next digest (`digest_id` None), or the digest it went in."""

    __tablename__ = "digest_entries"
    __table_args__ = (UniqueConstraint("chat_id", "post_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(foreign_key="chats.id", index=True)
    post_id: int = Field(foreign_key="posts.id")
    digest_id: int | None = Field(default=None, foreign_key="digests.id", index=True)
    # The digest period the post is due in, set on the reader's clock when first seen.
    period: str | None = Field(default=None, max_length=16)


class PreviewMessage(SQLModel, table=True):
    """One shown part of a draft's preview, so the preview can be changed in place and a reply
    to it names the draft."""

    __tablename__ = "preview_messages"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    part: int


class FieldEditPrompt(SQLModel, table=True):
    """A question "new value for <field>?" waiting for its admin's reply; kept in the database,
    so the answer still lands after a restart."""

    __tablename__ = "field_edit_prompts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id")
    admin_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    field: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utc_now)


class ScheduledPost(SQLModel, table=True):
    """A previewed draft to publish at `due_at`, on the bot's clock; `chat_id` is where the
    admin who scheduled it hears the result."""

    __tablename__ = "scheduled_posts"
    __table_args__ = (
        Index("ix_scheduled_posts_due", "state", "due_at"),
        one_of("scheduled_posts", "state", ScheduleState),
    )

    post_id: int = Field(foreign_key="posts.id", primary_key=True)
    admin_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    due_at: datetime
    state: str = Field(default=ScheduleState.WAITING, max_length=16)
    created_at: datetime = Field(default_factory=utc_now)


class BroadcastProgress(SQLModel, table=True):
    """The admin's message that shows a broadcast's progress, and what its last edit showed:
    the sent count and time give the current rate, and `last_edit_at` keeps edits apart."""

    __tablename__ = "broadcast_progress"

    post_id: int = Field(foreign_key="posts.id", primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    started_at: datetime = Field(default_factory=utc_now)
    last_edit_at: datetime = Field(default_factory=utc_now)
    last_sent: int = 0
    done: bool = Field(default=False, index=True)


ANSWERING_DRAFT = text("state = 'answering'")


class WizardDraft(SQLModel, table=True):
    """A post being written with the `/post` wizard, one answer at a time. The row is the
    conversation: its step is what the admin's next answer answers, so a restart loses nothing.
    `answers` maps a step to the card lines it gave; `offers` holds the card lines behind the
    current question's buttons, so a press applies exactly what its label showed."""

    __tablename__ = "wizard_drafts"
    __table_args__ = (
        one_of("wizard_drafts", "step", WizardStep),
        one_of("wizard_drafts", "state", WizardState),
        Index(
            "uq_wizard_drafts_answering",
            "author_id",
            unique=True,
            sqlite_where=ANSWERING_DRAFT,
            postgresql_where=ANSWERING_DRAFT,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    topic_slug: str | None = Field(default=None, max_length=32)
    step: str = Field(default=WizardStep.TOPIC, max_length=16)
    state: str = Field(default=WizardState.ANSWERING, max_length=16)
    answers: dict[str, list[str]] = Field(default_factory=dict, sa_column=Column(JSON))
    offers: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON))
    post_id: int | None = Field(default=None, foreign_key="posts.id")
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

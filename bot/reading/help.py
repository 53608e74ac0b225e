"""The command menu and the help text, written once so they never disagree."""

from __future__ import annotations

from telegram import BotCommand

from bot.posting.card_grammar import CARD_KEYS
from bot.reading.language import ENGLISH, N_, Translator

READER_COMMANDS = (
    ("latest", N_("The latest round, and any newer development")),
    ("parties", N_("Who sits at the table")),
    ("statements", N_("What a party has said: /statements <party>")),
    ("history", N_("Every round so far, and developments")),
    ("timeline", N_("A picture of every round on a time axis")),
    ("topics", N_("Topics you can follow")),
    ("subscribe", N_("Get alerts for a topic")),
    ("unsubscribe", N_("Stop alerts for a topic")),
    ("subscriptions", N_("What this chat follows")),
    ("settings", N_("Instant or digest, time zone, quiet hours, sound, language, calendar")),
    ("timezone", N_("Your time zone: /timezone <city or UTC offset>")),
    ("quiet", N_("Quiet hours: /quiet 22:00-07:00 or /quiet off")),
    ("help", N_("How Roundwatch works")),
    ("stop", N_("Unsubscribe from all and forget this chat")),
)
ADMIN_COMMANDS = (
    ("post", "Post a round or update: /post <slug> + card, or /post alone for a wizard"),
    ("drafts", "Unfinished drafts: resume or discard"),
    ("correct", "Correct a published post: /correct <post id> + card"),
    ("schedule", "Publish a preview later: /schedule <when>"),
    ("scheduled", "Posts waiting for their time, to cancel"),
    ("newtopic", "Create a topic: /newtopic <slug> <title>"),
    ("draft", "Draft a card from an article (or just paste it)"),
    ("watch", "Watch a feed: /watch <slug> <URL> [keywords]"),
    ("feeds", "Watched feeds and their last fetch"),
    ("unwatch", "Stop watching a feed: /unwatch <id or URL>"),
    ("stats", "Delivery stats per topic"),
    ("failures", "Recent failed deliveries"),
    ("retry", "Send failed deliveries again: /retry <post id> or all"),
    ("admins", "List admins"),
    ("addadmin", "Owners: add an admin by user id"),
    ("removeadmin", "Owners: remove an admin by user id"),
    ("audit", "Owners: the audit log, newest first: /audit [slug]"),
)

HELP_TEXT = N_(
    """<b>Roundwatch</b> sends you a clear summary the moment a new round or development \
in a negotiation you follow is published.

/topics — what you can follow
/subscribe <i>slug</i> — get alerts (in groups: chat admins only)
/unsubscribe <i>slug</i> — stop alerts
/subscriptions — what this chat follows
/latest <i>slug</i> — the latest round: where, who, what was demanded, what came of it; \
and any newer development
/parties <i>slug</i> — who sits at the table, mediators and delegations
/statements <i>slug</i> <i>party</i> — everything a party has said
/history <i>slug</i> — every round so far, and developments apart
/timeline <i>slug</i> — a picture of the rounds on a time axis: place, mediators, outcome
/settings — instant alerts, or one digest a day or a week at your hour, sent only when \
there is news; time zone, quiet hours (alerts wait until they end), silent alerts, per topic, \
language (English or Dari), calendar (Gregorian or Solar Hijri)
/timezone <i>city or UTC+3</i> · /quiet <i>22:00-07:00</i> or <i>off</i>
/stop — unsubscribe from everything and delete what is stored about this chat (asks first)

Without a slug, commands use this chat's only subscription or offer buttons."""
)

ADMIN_HELP_TEXT = (
    "<b>Admin</b>\n/newtopic <i>slug</i> <i>title</i> — create a topic\n"
    "/post <i>slug</i> followed by a card, one <code>key: value</code> a line "
    "(keys: " + ", ".join(CARD_KEYS) + ") — preview, then Publish, Cancel, Edit (one field at "
    "a time) or Schedule\n"
    "/schedule <i>when</i> (replying to a preview, or for your latest) — publish it later, e.g. "
    "<code>tomorrow 08:00</code> in your /timezone; /scheduled lists and cancels\n"
    "/post alone — the same, one question at a time with buttons (/back, /cancel); /drafts — "
    "unfinished drafts to resume or discard\n"
    "/correct <i>post id</i> followed by the card lines that were wrong — a correction notice "
    "to every chat that got the post, as a reply to it\n"
    "/draft <i>article</i>, or paste, forward or upload (.txt, .html) an article — a drafted "
    "card to check, then Publish as is, Edit or Discard\n"
    "/watch <i>slug</i> <i>feed URL</i> [<i>keywords</i>] — new entries about the topic become "
    "drafts; /feeds lists them, /unwatch <i>id</i> removes one\n"
    "/stats, /failures — delivery health; /retry <i>post id</i> or /retry all — send failed "
    "deliveries again\n/admins, /addadmin <i>id</i>, /removeadmin <i>id</i>\n"
    "Upload a topic document (.json, .yaml) to import it; owners: /audit [<i>slug</i>]"
)


def reader_menu(t: Translator = ENGLISH) -> list[BotCommand]:
    return [BotCommand(name, t._(description)) for name, description in READER_COMMANDS]


def admin_menu() -> list[BotCommand]:
    return reader_menu() + [BotCommand(name, description) for name, description in ADMIN_COMMANDS]

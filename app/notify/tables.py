"""Notify's tables: the outbox (a ward's and the platform's), the in-app inbox, people's choices, each ward's
transports and the scheduler's leases.

Why two outboxes: most messages belong to a ward (a booking, a declaration, a landlord's approval) and are
ward-owned rows, read through `tenants.scope` and walled by row-level security like every other ward table.
A few belong to no ward (a platform account message); they go to `PlatformMessage`, which has no ward. Both
share their columns (`_MessageColumns`) and the dispatcher treats them alike.

Why the in-app inbox is keyed by the person, not the ward: the bell shows on every signed-in page, also
outside any ward (the account page), and a person working in two wards has one inbox. Each row still names
its ward (`ward_id`) so the link it opens is the ward's page. Only its owner ever reads it.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from tenants.scope import WardOwned


class Channel(StrEnum):
    sms = "sms"
    zalo = "zalo"
    email = "email"


class MessageStatus(StrEnum):
    pending = "pending"  # waiting for its first attempt, or for the next after a failure (`next_attempt_at`)
    sending = "sending"  # claimed by a dispatcher until `locked_until`; a dead worker's claim lapses
    sent = "sent"
    dead = "dead"  # gave up after the last attempt; an officer may send it again


class _MessageColumns:
    """One message to one address over one channel: rendered from its event's templates when sent."""

    event = Varchar(length=60)
    channel = Varchar(length=8, choices=Channel)
    address = Varchar(length=255)  # a phone (84...) or an e-mail address
    user_id = Integer(null=True, default=None, index=True)  # the recipient's account, when known
    locale = Varchar(length=5, default="vi")
    data = Text(default="{}")  # JSON: the event's template parameters
    essential = Boolean(default=False)
    dedupe_key = Varchar(length=255)  # (event, recipient, subject, channel): unique, so a message exists once
    status = Varchar(length=8, choices=MessageStatus, default=MessageStatus.pending, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    locked_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    provider_ref = Varchar(length=100, default="")  # the gateway's id of the sent message
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class OutboxMessage(_MessageColumns, WardOwned, Table):
    """A ward's message waiting to be sent, being sent, sent, or dead. Unique per (ward, dedupe_key)."""


class PlatformMessage(_MessageColumns, Table):
    """A message that belongs to no ward. Unique per dedupe_key."""


class Notification(Table):
    """An in-app notification in one person's inbox (the bell). Rendered in the reader's language when shown."""

    user = ForeignKey(User, null=False, index=True, on_delete=OnDelete.cascade)
    ward_id = Integer(null=True, default=None)  # the ward it is about, if any
    event = Varchar(length=60)
    data = Text(default="{}")  # JSON
    essential = Boolean(default=False)
    dedupe_key = Varchar(length=255, unique=True, index=True)
    created_at = Timestamptz(index=True)
    read_at = Timestamptz(null=True, default=None)


class Preference(Table):
    """A person's choices about messages: opting out of the non-essential ones, and an e-mail address."""

    user = ForeignKey(User, null=False, unique=True, index=True, on_delete=OnDelete.cascade)
    non_essential_off = Boolean(default=False)
    email = Varchar(length=255, default="")
    updated_at = Timestamptz()


class WardChannels(WardOwned, Table):
    """Which transports a ward sends through. Credentials are never here: they come from the environment."""

    sms = Boolean(default=True)
    zalo = Boolean(default=False)
    email = Boolean(default=True)
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class JobLease(Table):
    """A lease on a periodic job (one row per job name), so one worker on one machine runs it at a time,
    and how far in time it has covered, so a run after downtime catches up from there."""

    name = Varchar(length=60, unique=True, index=True)
    owner = Varchar(length=80, default="")
    lease_until = Timestamptz(null=True, default=None)
    covered_until = Timestamptz(null=True, default=None)
    runs = Integer(default=0)

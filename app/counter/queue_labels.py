"""The queue's audited actions and how they read in the ward's log."""

from __future__ import annotations

from app.i18n import _l


class QueueAction:
    COUNTER_CREATED = "counter_created"
    COUNTER_UPDATED = "counter_updated"
    DAY_CLOSED = "queue_day_archived"  # the day's tickets archived (not the officer closing a day to bookings)


ACTION_LABELS = {
    QueueAction.COUNTER_CREATED: _l("Counter created"),
    QueueAction.COUNTER_UPDATED: _l("Counter changed"),
    QueueAction.DAY_CLOSED: _l("The day's queue archived"),
}

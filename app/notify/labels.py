"""How notify's audited actions and message states read."""

from __future__ import annotations

from app.i18n import _l


class NotifyAction:
    RESENT = "notify_message_resent"
    CHANNELS_CHANGED = "notify_channels_changed"


ACTION_LABELS = {
    NotifyAction.RESENT: _l("Message sent again"),
    NotifyAction.CHANNELS_CHANGED: _l("Message channels changed"),
}

STATUS_LABELS = {
    "pending": _l("Waiting"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "dead": _l("Failed"),
}

CHANNEL_LABELS = {
    "sms": _l("SMS"),
    "zalo": _l("Zalo"),
    "email": _l("E-mail"),
}


def message_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def channel_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(channel, channel))

"""Notifications: one outbox, SMS / Zalo ZNS / e-mail / in-app, and the scheduler's reminders.

How a context notifies someone
------------------------------
1. Declare its events in its own `app/<context>/events.py` (found automatically; nothing to edit here)::

       from app.i18n import _l
       from app.notify import event

       BOOKING_MADE = event(
           "counter.booking_made",
           title=_l("Booking confirmed"),                       # in-app title, e-mail subject
           text=_l("%(ward)s: booking %(code)s on %(day)s at %(time)s is confirmed."),  # SMS, in-app, e-mail
           essential=False,                                     # True: a legal/service message, no opt-out
           zalo_params=("code", "day", "time"),                 # the ZNS template's parameters, if one is set
           example={"code": "A12", "day": "02/12/2026", "time": "08:30", "url": "/w/x/bookings/abc"},
       )

   Messages are `_l(...)` (English ids, Vietnamese in locale/vi), so `make messages` extracts them.
   `%(key)s` placeholders come from `data`; `%(ward)s` is filled with the ward's name when not given;
   `data["url"]` (a path such as "/w/<ward>/...") is the link: the bell opens it, SMS and e-mail append it
   as an absolute URL. Keep the Vietnamese SMS short: it is sent without diacritics when the gateway needs
   GSM-7, and split past 160 characters. `example` is sample data: a test renders every event in both
   languages with it.

2. Send it inside the change's transaction::

       from app.notify import Recipient, send

       async with write_transaction():
           ...  # the change
           await send(BOOKING_MADE, to=Recipient(phone=b.phone, locale=b.locale),
                      data={"code": b.code, "day": b.day, "time": "08:30", "url": f"{ward.base}/bookings/{t}"},
                      subject=f"booking:{b.id}")

   * It writes rows only: if the change rolls back, no message exists; once it commits, the dispatcher sends.
   * `Recipient(user_id=...)` also writes an in-app notification (the bell) and takes the account's phone,
     language, and the e-mail and opt-out from its preferences. A resident without an account: phone/e-mail.
   * `subject` ("booking:42", "declaration:7:accepted") makes the message unique per (event, recipient,
     subject): sending twice writes once. Leave it out only for messages that may legitimately repeat.
   * Inside `ward_scope()` the messages are the ward's (its transports, its officers' outbox page); outside
     any ward they are platform messages.
   * `await ward_base()` is the current ward's "/w/<slug>", for a `url` where no WardContext is at hand.
   * `not_before=` delays sending (e.g. a rating request an hour after the service).
   * Dates and datetimes in `data` are written as dd/MM/yyyy (HH:mm, Vietnam time); an `_l(...)` value (a
     label such as a kind or a status) is translated into the recipient's language.
   * `send_many(event, [Message(to=..., data=..., subject=...), ...])` does the same for many recipients in a
     few statements (the scheduler's reminders).

What happens next
-----------------
The dispatcher (a background task in every app worker, and `litestar notify dispatch`) claims due messages
(PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the one writer), renders them in the recipient's language,
sends, and retries with exponential back-off; after `notify.max_attempts` a message is dead and shows on the
ward's outbox page, where an officer can send it again. A person who opts out of non-essential messages
still gets every essential one, and sees the others in the app's inbox only.

Scheduled reminders (`app/notify/reminders.py`, run by `app/notify/scheduler.py` and `litestar jobs run-due`)
call `send()` with a subject naming the reminder's due moment, so each is produced exactly once.
"""

from app.notify.registry import Event, UnknownEvent, event, get_event, load_events
from app.notify.service import Message, Recipient, send, send_many, ward_base

__all__ = [
    "Event",
    "Message",
    "Recipient",
    "UnknownEvent",
    "event",
    "get_event",
    "load_events",
    "send",
    "send_many",
    "ward_base",
]

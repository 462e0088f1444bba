"""Messages about the counter: bookings, queue tickets, dossiers, ratings, reports (declared for app.notify).

The booking reminders are produced by app/notify/reminders.py; the others are sent by the counter's services
in the transaction of the change (see app/notify/__init__.py).
"""

from app.i18n import _l
from app.notify import event

BOOKING_REMINDER_DAY_BEFORE = event(
    "counter.booking_reminder_day_before",
    title=_l("Your appointment is tomorrow"),
    text=_l("%(ward)s: reminder of your appointment %(code)s tomorrow %(day)s at %(time)s, %(procedure)s."),
    zalo_params=("code", "day", "time", "procedure"),
    example={"code": "A2K7", "day": "03/12/2026", "time": "08:30", "procedure": "Đăng ký tạm trú"},
)
BOOKING_REMINDER_HOUR_BEFORE = event(
    "counter.booking_reminder_hour_before",
    title=_l("Your appointment is in one hour"),
    text=_l("%(ward)s: your appointment %(code)s is at %(time)s today. Show the code at the kiosk."),
    zalo_params=("code", "time"),
    example={"code": "A2K7", "time": "08:30"},
)

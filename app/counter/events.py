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

# Sent by the counter's services (declared here so the templates and their Vietnamese exist before the code
# that sends them; `example` lists the data each expects).
BOOKING_MADE = event(
    "counter.booking_made",
    title=_l("Appointment booked"),
    text=_l("%(ward)s: appointment %(code)s on %(day)s at %(time)s, %(procedure)s. Bring: %(documents)s"),
    zalo_params=("code", "day", "time", "procedure"),
    example={"code": "A2K7", "day": "03/12/2026", "time": "08:30", "procedure": "Đăng ký tạm trú", "documents": "CCCD"},
)
BOOKING_MOVED = event(
    "counter.booking_moved",
    title=_l("Appointment moved"),
    text=_l("%(ward)s: appointment %(code)s is now on %(day)s at %(time)s."),
    zalo_params=("code", "day", "time"),
    example={"code": "A2K7", "day": "04/12/2026", "time": "09:00"},
)
BOOKING_CANCELLED = event(
    "counter.booking_cancelled",
    title=_l("Appointment cancelled"),
    text=_l("%(ward)s: appointment %(code)s on %(day)s at %(time)s is cancelled."),
    zalo_params=("code", "day", "time"),
    example={"code": "A2K7", "day": "03/12/2026", "time": "08:30"},
)
TICKET_ALMOST_CALLED = event(
    "counter.ticket_almost_called",
    title=_l("Your number is coming up"),
    text=_l("%(ward)s: %(ahead)s people before your number %(number)s. Please come to the waiting area."),
    zalo_params=("number", "ahead"),
    example={"number": "A012", "ahead": 3},
)
DOSSIER_RECEIVED = event(
    "counter.dossier_received",
    title=_l("Application received"),
    text=_l("%(ward)s received your application %(code)s (%(procedure)s). Result expected on %(due)s."),
    essential=True,
    zalo_params=("code", "procedure", "due"),
    example={"code": "HS-0012", "procedure": "Đăng ký tạm trú", "due": "05/12/2026"},
)
DOSSIER_NEEDS_SUPPLEMENT = event(
    "counter.dossier_needs_supplement",
    title=_l("Your application needs more documents"),
    text=_l("%(ward)s: application %(code)s needs: %(missing)s"),
    essential=True,
    zalo_params=("code", "missing"),
    example={"code": "HS-0012", "missing": "Bản sao hợp đồng thuê nhà"},
)
DOSSIER_RESULT_READY = event(
    "counter.dossier_result_ready",
    title=_l("Your result is ready"),
    text=_l("%(ward)s: the result of application %(code)s is ready. Collect it at the counter."),
    essential=True,
    zalo_params=("code",),
    example={"code": "HS-0012"},
)
DOSSIER_OVERDUE_APOLOGY = event(
    "counter.dossier_overdue_apology",
    title=_l("Your application is late"),
    text=_l("%(ward)s apologises: application %(code)s is late. New date for the result: %(due)s."),
    essential=True,
    zalo_params=("code", "due"),
    example={"code": "HS-0012", "due": "09/12/2026"},
)
RATING_REQUEST = event(
    "counter.rating_request",
    title=_l("How were you served?"),
    text=_l("%(ward)s: please rate how you were served today (%(procedure)s)."),
    zalo_params=("procedure",),
    example={"procedure": "Đăng ký tạm trú", "url": "/w/xuan-phuong/rate/abc"},
)
REPORT_ANSWERED = event(
    "counter.report_answered",
    title=_l("Your report was answered"),
    text=_l("%(ward)s answered your report %(code)s."),
    zalo_params=("code",),
    example={"code": "PA-0031", "url": "/w/xuan-phuong/reports/abc"},
)

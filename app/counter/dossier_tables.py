"""The counter's back office: dossiers and their history, the ward's fee account, ratings and reports.

Every table is ward-owned and read through `tenants.scope`; unique keys are per ward (migrations/counter).
Histories (`DossierEvent`, `ReportEvent`) are append-only: nothing updates or deletes a line of them.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from app.counter.tables import Booking, Counter, Procedure, ServiceGroup, Ticket
from app.housing.tables import Property
from tenants.scope import WardOwned


class PaymentAccount(WardOwned, Table):
    """The ward's bank account for fees, printed as a VietQR code on receipts. One per ward."""

    bank_bin = Varchar(length=6)
    account_number = Varchar(length=19)
    account_name = Varchar(length=60, default="")
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class DossierState(StrEnum):
    received = "received"  # đã tiếp nhận: the receipt is printed with the promised date
    processing = "processing"  # đang giải quyết
    supplement = "supplement"  # chờ bổ sung: the clock stops until the applicant supplies
    approval = "approval"  # chờ phê duyệt / ký
    result_ready = "result_ready"  # có kết quả, waiting for the applicant
    returned = "returned"  # đã trả kết quả
    rejected = "rejected"  # từ chối, with a reason


class Dossier(WardOwned, Table):
    """A hồ sơ filed at the counter. `code` is the receipt's number (unique per ward, read out and typed with
    the phone to follow it); `token` is unguessable and opens the tracking page from the receipt's QR."""

    code = Varchar(length=20)
    token = Varchar(length=32, unique=True, index=True)
    procedure = ForeignKey(Procedure, null=False, index=True, on_delete=OnDelete.restrict)
    service_group = ForeignKey(ServiceGroup, null=True, default=None, on_delete=OnDelete.restrict)
    booking = ForeignKey(Booking, null=True, default=None, on_delete=OnDelete.set_null)
    ticket = ForeignKey(Ticket, null=True, default=None, on_delete=OnDelete.set_null)
    source = Varchar(length=10, default="direct")  # direct / booking / ticket
    applicant_name = Varchar(length=120)
    applicant_phone = Varchar(length=15)
    applicant_id_number = Varchar(length=12, default="")
    applicant_address = Varchar(length=255, default="")
    documents = Text(default="[]")  # JSON list of the documents received
    note = Text(default="")
    state = Varchar(length=12, choices=DossierState, default=DossierState.received, index=True)
    received_at = Timestamptz()
    received_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    legal_due_at = Timestamptz()  # the legal time, moved on by the paused working days only
    due_at = Timestamptz(index=True)  # the promise: the legal time, or the date an apology slip gave
    paused_at = Timestamptz(null=True, default=None)  # waiting for the applicant since
    paused_days = Integer(default=0)  # working days the clock stood still, all pauses together
    apologies = Integer(default=0)
    fee = Integer(default=0)  # whole đồng, as the procedure charged at receipt
    fee_paid_at = Timestamptz(null=True, default=None)
    fee_paid_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    result_at = Timestamptz(null=True, default=None)  # the result was ready (on time if <= legal_due_at)
    closed_at = Timestamptz(null=True, default=None)  # returned or rejected
    rejection_reason = Text(default="")
    locale = Varchar(length=5, default="vi")


class DossierEvent(WardOwned, Table):
    """An append-only line of a dossier's history: who did what, when, and the promise after it."""

    dossier = ForeignKey(Dossier, null=False, index=True, on_delete=OnDelete.restrict)
    at = Timestamptz()
    who = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    kind = Varchar(length=12, default="state")  # created / state / apology / fee_paid
    from_state = Varchar(length=12, default="")
    to_state = Varchar(length=12, default="")
    note = Text(default="")
    due_at = Timestamptz(null=True, default=None)


class Rating(WardOwned, Table):
    """A resident's score of one transaction: a finished ticket or a returned dossier, never both, once each
    (per-ward partial unique indexes). 5 = rất hài lòng … 1 = rất không hài lòng."""

    dossier = ForeignKey(Dossier, null=True, default=None, on_delete=OnDelete.restrict)
    ticket = ForeignKey(Ticket, null=True, default=None, on_delete=OnDelete.restrict)
    level = Integer()
    reasons = Varchar(length=255, default="")  # chip codes, comma-separated
    comment = Text(default="")
    channel = Varchar(length=10, default="phone")  # phone / tablet
    procedure = ForeignKey(Procedure, null=True, default=None, on_delete=OnDelete.set_null)
    service_group = ForeignKey(ServiceGroup, null=True, default=None, on_delete=OnDelete.set_null)
    counter = ForeignKey(Counter, null=True, default=None, on_delete=OnDelete.set_null)
    officer = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)  # who served
    created_at = Timestamptz(index=True)


class ReportState(StrEnum):
    new = "new"  # mới
    in_progress = "in_progress"  # đang xử lý (triaged, maybe assigned)
    answered = "answered"  # đã trả lời
    closed = "closed"  # đã đóng


class Report(WardOwned, Table):
    """A phản ánh, kiến nghị from a resident. `code` is random: it is how the reporter follows it, without an
    account. The contact is optional and shown to officers only."""

    code = Varchar(length=16)
    category = Varchar(length=20)
    text = Text()
    property = ForeignKey(Property, null=True, default=None, on_delete=OnDelete.set_null)
    place = Varchar(length=255, default="")
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=15, default="")
    has_photo = Boolean(default=False)
    state = Varchar(length=12, choices=ReportState, default=ReportState.new, index=True)
    assigned_to = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    answer = Text(default="")
    created_at = Timestamptz(index=True)
    answered_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class ReportPhoto(WardOwned, Table):
    """A report's photo, kept apart so lists never load it; served only to the ward's officers."""

    report = ForeignKey(Report, null=False, index=True, on_delete=OnDelete.cascade)
    content_type = Varchar(length=20)
    data = Bytea()
    size = Integer(default=0)


class ReportEvent(WardOwned, Table):
    """An append-only line of a report's history."""

    report = ForeignKey(Report, null=False, index=True, on_delete=OnDelete.restrict)
    at = Timestamptz()
    who = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    from_state = Varchar(length=12, default="")
    to_state = Varchar(length=12, default="")
    note = Text(default="")


DOSSIER_TABLES = [PaymentAccount, Dossier, DossierEvent, Rating, Report, ReportPhoto, ReportEvent]

"""Forms of the procedure catalogue, the booking settings and closed days, and the resident's booking."""

from __future__ import annotations

import re

from app.counter.slots import SLOT_MINUTES, parse_slot_key
from app.housing.forms import _date
from app.i18n import _l
from app.web.forms import REQUIRED, Form

_LETTER = re.compile(r"^[A-Z]{1,2}$")


class GroupForm(Form):
    def validate(self) -> None:
        letter = self.value("letter").upper()
        self.raw["letter"] = letter
        if not letter:
            self.error("letter", REQUIRED)
        elif not _LETTER.match(letter):
            self.error("letter", _l("One or two letters A-Z, e.g. A."))
        self.cleaned["letter"] = letter
        self.text("name", max_length=120, min_length=2)
        self.integer("slot_capacity", minimum=0, maximum=500)
        self.integer("sort_order", required=False, minimum=0, maximum=999)
        self.cleaned["sort_order"] = self.cleaned["sort_order"] or 0
        self.checkbox("active")


class ProcedureForm(Form):
    def __init__(self, data=None, *, groups: list[str] | None = None) -> None:
        super().__init__(data)
        self.groups = groups or []

    def validate(self) -> None:
        group = self.choice("service_group", self.groups)
        self.cleaned["service_group"] = int(group) if group.isdigit() else None
        self.text("name", max_length=255, min_length=3)
        self.text("field", required=False, max_length=120)
        self.text("national_code", required=False, max_length=30)
        days = self.integer("processing_days", required=False, minimum=0, maximum=365)
        hours = self.integer("processing_hours", required=False, minimum=0, maximum=200)
        if days is not None and hours is not None:
            self.error("processing_hours", _l("Give the time in working days or in working hours, not both."))
        self.integer("fee", required=False, minimum=0, maximum=100_000_000)
        self.cleaned["fee"] = self.cleaned["fee"] or 0
        self.text("fee_note", required=False, max_length=255)
        self.multiline("documents", max_length=4000)
        self.checkbox("bookable")
        self.checkbox("active")
        self.integer("sort_order", required=False, minimum=0, maximum=999)
        self.cleaned["sort_order"] = self.cleaned["sort_order"] or 0


class BookingSettingsForm(Form):
    def validate(self) -> None:
        minutes = self.choice("slot_minutes", [str(m) for m in SLOT_MINUTES])
        self.cleaned["slot_minutes"] = int(minutes) if minutes.isdigit() else None
        self.integer("days_ahead", minimum=1, maximum=60)


class ClosedDayForm(Form):
    def validate(self) -> None:
        _date(self, "day", required=True)
        self.text("reason", max_length=255)


class SlotForm(Form):
    """The slot chosen (moving a booking)."""

    def validate(self) -> None:
        self.slot()

    def slot(self) -> None:
        key = self.value("slot")
        parsed = parse_slot_key(key)
        if not key:
            self.error("slot", _l("Choose a time."))
        elif parsed is None:
            self.error("slot", _l("Choose one of the times shown."))
        self.cleaned["day"], self.cleaned["start"] = parsed or (None, None)


class BookingForm(SlotForm):
    """A resident's booking: the slot, who comes, and consent to keep the name and phone for it."""

    def validate(self) -> None:
        self.slot()
        self.text("full_name", max_length=120, min_length=2)
        self.phone("phone")
        self.id_number("id_number", required=False)
        if not self.checkbox("consent"):
            self.error("consent", _l("Please agree, or call the ward office to book."))

from __future__ import annotations

from datetime import date, datetime

from app.errors import RuleError
from app.housing import nationalities
from app.housing.tables import PropertyKind
from app.i18n import _l
from app.vn.cccd import IdNumberError, validate_id_number
from app.web.forms import REQUIRED, Form


class PropertyForm(Form):
    def validate(self) -> None:
        self.text("name", max_length=120, min_length=2)
        self.text("street_address", max_length=255, min_length=3)
        self.text("residential_group", required=False, max_length=60)
        self.choice("kind", [k.value for k in PropertyKind])
        self.phone("contact_phone", required=False, allow_landline=True)
        self.checkbox("show_contact")
        self.multiline("house_rules", max_length=2000)


class RoomsForm(Form):
    """One room ("101") or many ("101-120", "A1-A12", "101, 102, 105") with the same size and price."""

    def validate(self) -> None:
        self.text("codes", max_length=2000)
        self.room_details()

    def room_details(self) -> None:
        self.integer("floor", required=False, minimum=-5, maximum=200)
        raw_area = self.value("area_m2").replace(",", ".")
        area = None
        if raw_area:
            try:
                area = round(float(raw_area), 1)
            except ValueError:
                self.error("area_m2", _l("Enter the area in m², e.g. 18 or 18.5."))
            else:
                if not 1 <= area <= 1000:
                    self.error("area_m2", _l("Enter the area in m², e.g. 18 or 18.5."))
        self.cleaned["area_m2"] = area
        self.integer("max_occupancy", minimum=1, maximum=50)
        self.integer("monthly_rent", required=False, minimum=0, maximum=1_000_000_000)


class RoomForm(RoomsForm):
    """One room's details, as edited."""

    def validate(self) -> None:
        self.text("code", max_length=20)
        self.room_details()


class ReasonForm(Form):
    """The reason given with a decision. Whether one is needed is the service's rule; its length is this."""

    def validate(self) -> None:
        self.multiline("reason", max_length=500)

    def reason(self) -> str:
        """The cleaned reason, or a RuleError beside the field."""
        if not self.is_valid():
            raise RuleError(self.errors["reason"], field="reason")
        return self.cleaned["reason"]


def _date(form: Form, name: str, *, required: bool) -> date | None:
    """A date typed dd/mm/yyyy (or given yyyy-mm-dd by a date picker)."""
    raw = form.value(name)
    value = None
    if raw:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                value = datetime.strptime(raw, fmt).date()
                break
            except ValueError:
                continue
        else:
            form.error(name, _l("Write the date as dd/mm/yyyy, e.g. 05/03/2026."))
    elif required:
        form.error(name, REQUIRED)
    form.cleaned[name] = value
    return value


parse_date = _date  # for the other contexts' forms: one way to read a typed date


class RenterForm(Form):
    """The confirm form every way of registering a renter lands on (QR scan, photo, typing)."""

    def __init__(self, data=None, *, rooms: list[str] | None = None) -> None:
        super().__init__(data)
        self.rooms = rooms or []

    def validate(self) -> None:
        self.text("full_name", max_length=120, min_length=2)
        birth = _date(self, "birth_date", required=False)
        gender = self.choice("gender", ["male", "female"], required=False)
        nationality = self.value("nationality").upper() or nationalities.VIETNAM
        if nationality not in nationalities.CODES:
            self.error("nationality", _l("Choose one of the options."))
        self.cleaned["nationality"] = nationality
        number = self.value("id_number")
        if nationalities.is_foreign(nationality):
            # A foreigner is declared by their passport (Law 47/2014 Art 33): its number, letters and digits.
            passport = "".join(number.split()).upper()
            if not (passport.isascii() and passport.isalnum() and 6 <= len(passport) <= 12):
                self.error("id_number", _l("A passport number has 6 to 12 letters and digits."))
            self.cleaned["id_number"] = passport
            self.cleaned["visa_expiry"] = _date(self, "visa_expiry", required=False)
        else:
            try:
                self.cleaned["id_number"] = validate_id_number(
                    number, birth_date=birth, female=(gender == "female") if gender else None
                )
            except IdNumberError as exc:
                self.error("id_number", exc.text)
                self.cleaned["id_number"] = ""
            self.cleaned["visa_expiry"] = None
        old = self.value("old_id_number").replace(" ", "")
        if old and not (old.isascii() and old.isdigit() and len(old) == 9):
            self.error("old_id_number", _l("The old ID (CMND) has 9 digits."))
        self.cleaned["old_id_number"] = old
        self.text("permanent_address", required=False, max_length=255)
        self.phone("phone", required=False)
        self.text("occupation", required=False, max_length=120)
        self.text("hometown", required=False, max_length=255)
        self.choice("room_id", self.rooms)
        start = _date(self, "from_date", required=True)
        end = _date(self, "expected_to", required=False)
        if start and end and end < start:
            self.error("expected_to", _l("The expected end is before the move-in date."))
        self.text("reason", required=False, max_length=120)


class CheckOutForm(Form):
    def validate(self) -> None:
        _date(self, "to_date", required=True)


class MoveForm(Form):
    def __init__(self, data=None, *, rooms: list[str] | None = None) -> None:
        super().__init__(data)
        self.rooms = rooms or []

    def validate(self) -> None:
        self.choice("room_id", self.rooms)
        _date(self, "on", required=True)


class SelfRegistrationForm(RenterForm):
    """The resident's own request: the renter's fields, a phone to be reached on, consent."""

    def validate(self) -> None:
        self.raw.pop("nationality", None)  # the request keeps no nationality: a citizen's card only
        self.raw.pop("visa_expiry", None)
        super().validate()
        if not self.cleaned.get("phone") and "phone" not in self.errors:
            self.error("phone", REQUIRED)
        if not self.checkbox("consent"):
            self.error("consent", _l("The request needs your consent to the processing of your personal data."))

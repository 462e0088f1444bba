from __future__ import annotations

from app.housing.tables import PropertyKind
from app.i18n import _l
from app.web.forms import Form


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


class ReasonForm(Form):
    def validate(self) -> None:
        self.multiline("reason", max_length=500)

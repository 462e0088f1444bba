from __future__ import annotations

from app.web.forms import Form

WARD_FIELDS = ("slug", "address", "phone", "police_phone", "email", "office_hours")  # what an admin may edit


class WardForm(Form):
    def __init__(self, data=None, *, creating: bool = True) -> None:
        super().__init__(data)
        self.creating = creating

    def validate(self) -> None:
        if self.creating:
            self.integer("code", minimum=1, maximum=99999)
        self.text("slug", max_length=60)
        self.cleaned["slug"] = self.cleaned["slug"].lower()
        self.text("address", required=False, max_length=255)
        self.phone("phone", required=False, allow_landline=True)
        self.phone("police_phone", required=False, allow_landline=True)
        self.text("email", required=False, max_length=120)
        self.multiline("office_hours", max_length=500)
        self.cleaned["active"] = self.checkbox("active") if not self.creating else True


class OfficerForm(Form):
    def validate(self) -> None:
        self.text("full_name", max_length=120, min_length=2)
        self.phone("phone")

from __future__ import annotations

from app.accounts.services import CONSENT_NEEDED
from app.accounts.tables import Role
from app.i18n import _l
from app.web.forms import Form


class LoginForm(Form):
    def validate(self) -> None:
        self.phone("phone")
        if not self.value("password"):
            self.error("password", _l("Enter your password."))
        self.cleaned["password"] = self.value("password")


class SignupForm(Form):
    def validate(self) -> None:
        self.text("full_name", max_length=120, min_length=2)
        self.phone("phone")
        self.id_number("id_number")
        self.password("password")
        if self.value("password") != self.value("password_again"):
            self.error("password_again", _l("The two passwords are not the same."))
        if not self.checkbox("consent"):
            self.error("consent", CONSENT_NEEDED)


class PasswordChangeForm(Form):
    def validate(self) -> None:
        if not self.value("current_password"):
            self.error("current_password", _l("Enter your current password."))
        self.cleaned["current_password"] = self.value("current_password")
        self.password("new_password")
        if self.value("new_password") != self.value("new_password_again"):
            self.error("new_password_again", _l("The two passwords are not the same."))


class StaffForm(Form):
    def validate(self) -> None:
        self.choice("role", [Role.officer.value, Role.police.value])
        self.text("full_name", max_length=120, min_length=2)
        self.phone("phone")


class DecisionForm(Form):
    def validate(self) -> None:
        self.multiline("reason", max_length=500)


class TokenForm(Form):
    def validate(self) -> None:
        self.text("name", max_length=60)

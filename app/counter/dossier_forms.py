"""Forms of the counter's back office: receiving a dossier, its moves, the apology slip, the fee account,
tracking by code and phone, ratings and reports."""

from __future__ import annotations

import re

from app.counter.vietqr import BANKS
from app.housing.forms import _date
from app.i18n import _l
from app.web.forms import Form


class DossierForm(Form):
    """The applicant and what they brought. `documents`: the procedure's checklist; each ticked box is
    `doc_<i>`."""

    def __init__(self, data=None, *, procedures: list[str] | None = None, documents: list[str] | None = None):
        super().__init__(data)
        self.procedures = procedures or []
        self.documents = documents or []

    def validate(self) -> None:
        self.choice("procedure_id", self.procedures)
        self.text("full_name", max_length=120, min_length=2)
        self.phone("phone")
        self.id_number("id_number", required=False)
        self.text("address", required=False, max_length=255)
        self.cleaned["documents"] = [d for i, d in enumerate(self.documents) if self.checkbox(f"doc_{i}")]
        other = self.multiline("other_documents", max_length=1000)
        self.cleaned["documents"] += [line.strip() for line in other.splitlines() if line.strip()]
        self.multiline("note", max_length=1000)

    def ticked(self, i: int) -> bool:
        return self.value(f"doc_{i}") == "on"


class MoveForm(Form):
    def validate(self) -> None:
        self.text("to_state", max_length=20)
        self.multiline("reason", max_length=1000)
        self.multiline("note", max_length=1000)


class ApologyForm(Form):
    def validate(self) -> None:
        _date(self, "new_date", required=True)
        self.multiline("reason", required=True, max_length=1000)


class PaymentAccountForm(Form):
    def validate(self) -> None:
        self.choice("bank_bin", list(BANKS))
        number = re.sub(r"[\s.\-]", "", self.value("account_number"))
        if not number:
            self.text("account_number")
        elif not re.fullmatch(r"[0-9A-Za-z]{1,19}", number):
            self.error("account_number", _l("An account number has at most 19 letters or digits."))
        self.cleaned["account_number"] = number
        name = self.text("account_name", max_length=60)
        if name and not re.fullmatch(r"[A-Za-z0-9 .,&()\-/]+", name):
            self.error("account_name", _l("Write the account name as the bank does: capitals without diacritics."))
        self.cleaned["account_name"] = name.upper()


class TrackForm(Form):
    def validate(self) -> None:
        self.text("code", max_length=20)
        self.phone("phone")

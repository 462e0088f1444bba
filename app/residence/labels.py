"""How declarations and the police desk's audited actions read (templates and the audit log)."""

from __future__ import annotations

from app.i18n import _l


def declaration_kind_label(kind: str) -> str:
    from app.residence.declarations import kind_label

    return kind_label(kind)


_ID_TYPE_LABELS = {
    "1": _l("CCCD"),
    "2": _l("CMND"),
    "3": _l("Driving licence"),
    "4": _l("Passport"),
    "5": _l("Birth certificate"),
    "6": _l("Health insurance card"),
    "7": _l("Personal ID notice"),
    "8": _l("Căn cước card"),
}


def id_type_label(code: str) -> str:
    """The police API's identity paper codes (IdType), as words."""
    return str(_ID_TYPE_LABELS.get(code, code))


# What a declaration's history may say changed (its snapshot fields, and the police's reference or reason).
_FIELD_LABELS = {
    "full_name": _l("Full name"),
    "birth_date": _l("Birth date"),
    "gender": _l("Gender"),
    "id_type": _l("ID paper"),
    "id_number": _l("ID number"),
    "phone": _l("Phone number"),
    "permanent_address": _l("Permanent address"),
    "address": _l("Address of the stay"),
    "room_code": _l("Room"),
    "arrival_date": _l("Arrival"),
    "expected_departure": _l("Expected departure"),
    "reason": _l("Reason:"),
    "reference": _l("Reference:"),
    "nationality": _l("Nationality"),
    "visa_expiry": _l("Visa or residence card valid until"),
    "kind": _l("Kind"),
    "deadline": _l("Deadline"),
}


def field_label(name: str) -> str:
    return str(_FIELD_LABELS.get(name, name)).removesuffix(":")


def declaration_state_label(state: str) -> str:
    from app.residence.declarations import state_label

    return state_label(state)


# How the residence context's audited actions read in the ward's log (keyed by name: the modules that record
# them import the audit service); a unit test checks that every one of them has its label.
ACTION_LABELS = {
    "declaration_created": _l("Declaration drafted"),
    "declaration_submitted": _l("Declaration filed"),
    "declaration_received": _l("Declaration received by the police"),
    "declaration_accepted": _l("Declaration accepted"),
    "declaration_rejected": _l("Declaration rejected"),
    "declaration_extended": _l("Tạm trú extended"),
    "declaration_ended": _l("Tạm trú ended"),
    "declarations_exported": _l("Declarations or alerts exported"),
    "desk_settings_changed": _l("Police desk settings changed"),
}

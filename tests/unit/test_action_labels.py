"""Every action written to the audit log reads as words in the log, not as its code name."""

from app.audit.labels import ACTION_LABELS
from app.audit.service import Action
from app.counter.dossier_controllers import TRACK_FAILED
from app.counter.dossiers import DossierAction
from app.counter.queue_labels import QueueAction
from app.counter.reports import ReportAction
from app.housing.import_controllers import IMPORTED
from app.housing.self_registration import RequestAction
from app.housing.services import PropertyAction
from app.housing.stays import StayAction
from app.housing.sticker_sheets import SheetAction
from app.notify.labels import NotifyAction


def _names(cls) -> set[str]:
    return {value for key, value in vars(cls).items() if key.isupper() and isinstance(value, str)}


def test_every_recorded_action_has_a_label():
    actions = (
        Action, PropertyAction, StayAction, RequestAction, SheetAction, QueueAction, NotifyAction, DossierAction,
        ReportAction,
    )  # fmt: skip
    recorded = set().union(*map(_names, actions), {IMPORTED, TRACK_FAILED})
    assert recorded - ACTION_LABELS.keys() == set()
    assert ACTION_LABELS.keys() - recorded == set()  # no label for an action nobody records

"""Every action written to the audit log reads as words in the log, not as its code name."""

from app.audit.labels import ACTION_LABELS
from app.audit.service import Action
from app.counter.bookings import BookingAction
from app.counter.dossier_controllers import TRACK_FAILED
from app.counter.dossiers import DossierAction
from app.counter.procedures import CatalogueAction
from app.counter.queue_labels import QueueAction
from app.counter.reports import ReportAction
from app.housing.import_controllers import IMPORTED
from app.housing.self_registration import RequestAction
from app.housing.services import PropertyAction
from app.housing.stays import StayAction
from app.housing.sticker_sheets import SheetAction
from app.notify.labels import NotifyAction
from app.residence.declarations import DeclarationAction
from app.residence.inbox import DeskAction


def _names(cls) -> set[str]:
    return {value for key, value in vars(cls).items() if key.isupper() and isinstance(value, str)}


def test_every_recorded_action_has_a_label():
    kinds = (
        Action, PropertyAction, StayAction, RequestAction, SheetAction, DeclarationAction, DeskAction,
        CatalogueAction, BookingAction, QueueAction, DossierAction, ReportAction, NotifyAction,
    )  # fmt: skip
    recorded = set().union(*map(_names, kinds), {IMPORTED, TRACK_FAILED})
    assert recorded - ACTION_LABELS.keys() == set()
    assert ACTION_LABELS.keys() - recorded == set()  # no label for an action nobody records


def test_no_two_contexts_record_the_same_action_name():
    """Each context labels its own actions; a name two contexts use would read as one action in the log."""
    from app.counter.booking_labels import ACTION_LABELS as BOOKING
    from app.counter.labels import ACTION_LABELS as COUNTER
    from app.counter.queue_labels import ACTION_LABELS as QUEUE
    from app.housing.labels import ACTION_LABELS as HOUSING
    from app.notify.labels import ACTION_LABELS as NOTIFY
    from app.residence.labels import ACTION_LABELS as RESIDENCE

    maps = (HOUSING, RESIDENCE, BOOKING, COUNTER, QUEUE, NOTIFY)
    assert sum(len(m) for m in maps) == len(set().union(*maps))

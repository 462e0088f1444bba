"""The ward's dashboard figures: today's queue (waiting, served, average and longest wait per group and per
counter) and a period's results (dossiers on time, satisfaction, rating participation, reports, bookings kept),
overall and per procedure.

Everything is read for one ward and one range, a few thousand rows at most, and counted here in Python, so the
same code runs on both engines without SQL dialects for date arithmetic. Definitions:

- on time: a dossier whose result was ready (in the period) by its legal time, the days waiting for the
  applicant excluded (an apology slip's new date does not make a late dossier on time);
- satisfaction: the share of ratings that are rất hài lòng or hài lòng (QĐ 766/QĐ-TTg's index counts these);
- participation: ratings given in the period per transaction completed in it (tickets done, dossiers handed
  back);
- bookings kept: checked in at the kiosk, against the ones that ended as no-shows.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from app.counter.dossier_tables import Dossier, DossierState, Rating, Report, ReportState
from app.counter.ratings import SATISFIED
from app.counter.tables import Booking, BookingStatus, Counter, Procedure, ServiceGroup, Ticket, TicketStatus
from app.i18n import TIMEZONE

CALLED = (TicketStatus.called, TicketStatus.serving, TicketStatus.done, TicketStatus.no_show, TicketStatus.transferred)


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC range of Vietnam's days from `start` to `end` inclusive."""
    first = datetime.combine(start, time(0), tzinfo=TIMEZONE).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=TIMEZONE).astimezone(UTC)
    return first, after


@dataclass
class WaitLine:
    """One row of today's queue: a service group or a counter."""

    name: str
    waiting: int = 0
    served: int = 0
    waits: list[float] = field(default_factory=list)  # minutes from entering the queue to the call
    longest: float = 0.0  # the longest wait, including those still waiting now

    def add_wait(self, minutes: float, *, called: bool) -> None:
        if called:
            self.waits.append(minutes)
        self.longest = max(self.longest, minutes)

    @property
    def average_wait(self) -> float | None:
        return round(sum(self.waits) / len(self.waits), 1) if self.waits else None

    @property
    def longest_wait(self) -> float | None:
        return round(self.longest, 1) if self.waits or self.longest else None


async def today(now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    day = now.astimezone(TIMEZONE).date()
    group_rows = await ServiceGroup.ward_select(ServiceGroup.id, ServiceGroup.letter, ServiceGroup.name)
    groups = {g["id"]: g for g in group_rows}
    counters = {c["id"]: c for c in await Counter.ward_select(Counter.id, Counter.number, Counter.name)}
    tickets = await Ticket.ward_select(
        Ticket.service_group, Ticket.counter, Ticket.status, Ticket.queued_at, Ticket.called_at
    ).where(Ticket.day == day)
    by_group: dict[int, WaitLine] = {}
    by_counter: dict[int, WaitLine] = {}
    total = WaitLine(name="")
    for t in tickets:
        g = groups.get(t["service_group"], {"letter": "?", "name": ""})
        line = by_group.setdefault(t["service_group"], WaitLine(f"{g['letter']} · {g['name']}"))
        lines = [line, total]
        if t["counter"] in counters:
            c = counters[t["counter"]]
            lines.append(by_counter.setdefault(t["counter"], WaitLine(c["name"] or str(c["number"]))))
        for target in lines:
            if t["status"] == TicketStatus.waiting:
                target.waiting += 1
                target.add_wait((now - t["queued_at"]).total_seconds() / 60, called=False)
            if t["status"] == TicketStatus.done:
                target.served += 1
            if t["called_at"] is not None and t["status"] in CALLED:
                target.add_wait((t["called_at"] - t["queued_at"]).total_seconds() / 60, called=True)
    return {
        "day": day,
        "total": total,
        "groups": sorted(by_group.values(), key=lambda w: w.name),
        "counters": sorted(by_counter.values(), key=lambda w: w.name),
    }


@dataclass
class ProcedureLine:
    name: str
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    open_late: int = 0
    ratings: int = 0
    satisfied: int = 0
    kept: int = 0
    no_show: int = 0

    @property
    def on_time_pct(self) -> float | None:
        return pct(self.on_time, self.resolved)

    @property
    def satisfaction_pct(self) -> float | None:
        return pct(self.satisfied, self.ratings)


async def period(start: date, end: date, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    first, after = bounds(start, end)
    procedures = {p["id"]: p["name"] for p in await Procedure.ward_select(Procedure.id, Procedure.name)}
    lines: dict[int | None, ProcedureLine] = {}

    def line(pid: int | None) -> ProcedureLine:
        if pid not in lines:
            lines[pid] = ProcedureLine(procedures.get(pid, "—") if pid else "—")
        return lines[pid]

    received = await Dossier.ward_select(Dossier.procedure).where(
        (Dossier.received_at >= first) & (Dossier.received_at < after)
    )
    for d in received:
        line(d["procedure"]).received += 1
    resolved = await Dossier.ward_select(Dossier.procedure, Dossier.result_at, Dossier.legal_due_at).where(
        (Dossier.result_at >= first) & (Dossier.result_at < after)
    )
    for d in resolved:
        p = line(d["procedure"])
        p.resolved += 1
        p.on_time += d["result_at"] <= d["legal_due_at"]
    running = [DossierState.received, DossierState.processing, DossierState.approval]  # the clock runs
    late = await Dossier.ward_select(Dossier.procedure).where(
        Dossier.state.is_in(running) & (Dossier.legal_due_at < now)
    )
    for d in late:
        line(d["procedure"]).open_late += 1

    ratings = await Rating.ward_select(Rating.procedure, Rating.level).where(
        (Rating.created_at >= first) & (Rating.created_at < after)
    )
    levels = Tally(r["level"] for r in ratings)
    for r in ratings:
        p = line(r["procedure"])
        p.ratings += 1
        p.satisfied += r["level"] in SATISFIED
    tickets_done = await Ticket.ward_count().where(
        (Ticket.day >= start) & (Ticket.day <= end) & (Ticket.status == TicketStatus.done)
    )
    returned = await Dossier.ward_count().where(
        (Dossier.closed_at >= first) & (Dossier.closed_at < after) & (Dossier.state == DossierState.returned)
    )

    bookings = await Booking.ward_select(Booking.procedure, Booking.status).where(
        (Booking.day >= start) & (Booking.day <= end)
        & Booking.status.is_in([BookingStatus.checked_in, BookingStatus.no_show])
    )  # fmt: skip
    for b in bookings:
        p = line(b["procedure"])
        if b["status"] == BookingStatus.checked_in:
            p.kept += 1
        else:
            p.no_show += 1

    reports = await Report.ward_select(Report.state).where((Report.created_at >= first) & (Report.created_at < after))
    report_states = Tally(r["state"] for r in reports)
    open_now = await Report.ward_count().where(Report.state.is_in([ReportState.new, ReportState.in_progress]))

    daily: dict[date, int] = defaultdict(int)
    for t in await Ticket.ward_select(Ticket.day).where(
        (Ticket.day >= start) & (Ticket.day <= end) & (Ticket.status == TicketStatus.done)
    ):
        daily[t["day"]] += 1

    rows = sorted(lines.values(), key=lambda p: (-p.received, p.name))
    resolved_total = sum(p.resolved for p in rows)
    on_time_total = sum(p.on_time for p in rows)
    kept = sum(p.kept for p in rows)
    no_show = sum(p.no_show for p in rows)
    transactions = tickets_done + returned
    return {
        "start": start,
        "end": end,
        "procedures": rows,
        "received": sum(p.received for p in rows),
        "resolved": resolved_total,
        "on_time": on_time_total,
        "on_time_pct": pct(on_time_total, resolved_total),
        "open_late": sum(p.open_late for p in rows),
        "ratings": len(ratings),
        "levels": {level: levels.get(level, 0) for level in (5, 4, 3, 2, 1)},
        "satisfaction_pct": pct(sum(levels.get(level, 0) for level in SATISFIED), len(ratings)),
        "transactions": transactions,
        "participation_pct": pct(len(ratings), transactions),
        "reports": len(reports),
        "reports_open": report_states.get(ReportState.new, 0) + report_states.get(ReportState.in_progress, 0),
        "reports_closed": report_states.get(ReportState.answered, 0) + report_states.get(ReportState.closed, 0),
        "reports_open_now": open_now,
        "kept": kept,
        "no_show": no_show,
        "kept_pct": pct(kept, kept + no_show),
        "daily_served": [(start + timedelta(days=i), daily.get(start + timedelta(days=i), 0))
                         for i in range((end - start).days + 1)],
    }  # fmt: skip

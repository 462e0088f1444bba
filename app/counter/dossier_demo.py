"""Demo dossiers (one in every state, one late, one due tomorrow, a month of handed-back ones with their
ratings), the ward's fee account and residents' reports, so the dossier list, the tracking page and the
dashboard open on real figures. Called by `app.demo.load_demo()` after the procedures exist; people invented."""

from __future__ import annotations

import json
import random
import secrets
from datetime import UTC, datetime, timedelta

from app.accounts.tables import User
from app.counter import due as due_rules
from app.counter.dossier_tables import Dossier, DossierEvent, DossierState, PaymentAccount, Rating, Report, ReportEvent
from app.counter.dossiers import documents_of
from app.counter.tables import Procedure, ServiceGroup
from app.db import write_transaction
from app.housing.tables import Property
from app.i18n import TIMEZONE
from tenants.scope import ward_scope

S = DossierState
ACCOUNTS = {
    "xuan-phuong": ("970415", "113000062201", "UBND PHUONG XUAN PHUONG"),
    "lien-chieu": ("970436", "0041000201970", "UBND PHUONG LIEN CHIEU"),
}
PEOPLE = [
    ("Nguyễn Văn An", "0912000101"), ("Trần Thị Bích", "0912000102"), ("Lê Hoàng Cường", "0912000103"),
    ("Phạm Thị Dung", "0912000104"), ("Hoàng Văn Em", "0912000105"), ("Vũ Thị Giang", "0912000106"),
    ("Đỗ Minh Hải", "0912000107"), ("Bùi Thị Hạnh", "0912000108"), ("Ngô Quốc Khánh", "0912000109"),
    ("Đặng Thu Lan", "0912000110"), ("Dương Văn Long", "0912000111"), ("Lý Thị Mai", "0912000112"),
]  # fmt: skip
# A minimal catalogue, only for a database where the booking demo made none.
FALLBACK_PROCEDURES = [
    ("Đăng ký tạm trú", 3, None, 0, "Tờ khai thay đổi thông tin cư trú (CT01)\nGiấy tờ chứng minh chỗ ở hợp pháp"),
    ("Chứng thực bản sao từ bản chính", None, 4, 2000, "Bản chính giấy tờ\nBản sao cần chứng thực"),
    ("Cấp bản sao trích lục hộ tịch", 1, None, 8000, "Tờ khai cấp bản sao trích lục\nCăn cước của người yêu cầu"),
]
REPORTS = [
    ("environment", "Rác thải ùn ứ ở đầu ngõ mấy ngày chưa được thu gom, bốc mùi.", "new", ""),
    ("infrastructure", "Đèn đường trước số 18 bị hỏng, buổi tối rất tối.", "in_progress", ""),
    ("housing", "Nhà trọ bên cạnh để xe điện sạc qua đêm ở lối thoát hiểm, nguy cơ cháy.", "answered",
     "Tổ công tác đã kiểm tra, yêu cầu chủ trọ bố trí khu sạc riêng; sẽ kiểm tra lại sau 7 ngày."),
    ("service", "Đề nghị bộ phận một cửa mở thêm quầy vào sáng thứ Bảy.", "closed",
     "Cảm ơn ý kiến; từ tháng sau một cửa làm việc sáng thứ Bảy với 2 quầy."),
    ("security", "Có nhóm thanh niên tụ tập gây ồn sau 23 giờ ở bãi đất trống.", "new", ""),
]  # fmt: skip


async def _officer_id(phone: str) -> int | None:
    row = await User.select(User.id).where(User.phone == phone).first()
    return row["id"] if row else None


async def _procedures() -> list[dict]:
    rows = await Procedure.ward_select().where(Procedure.active == True).order_by(Procedure.sort_order)  # noqa: E712
    if rows:
        return rows
    group = await ServiceGroup.ward_select(ServiceGroup.id).first()
    if group is None:
        created = ServiceGroup.ward_new(letter="A", name="Cư trú và chứng thực")
        await created.save()
        group = {"id": created.id}
    for i, (name, days, hours, fee, docs) in enumerate(FALLBACK_PROCEDURES):
        await Procedure.ward_new(
            service_group=group["id"], name=name, processing_days=days, processing_hours=hours, fee=fee,
            documents=docs, sort_order=i, created_at=datetime.now(UTC),
        ).save()  # fmt: skip
    return await Procedure.ward_select().order_by(Procedure.sort_order)


async def load_dossier_demo(ward_id: int, slug: str, officer_phone: str, office_hours: str, seed: int) -> None:
    rng = random.Random(seed)
    officer = await _officer_id(officer_phone)
    now = datetime.now(UTC)
    async with ward_scope(ward_id), write_transaction():
        if await Dossier.ward_exists():
            return
        bin_, number, name = ACCOUNTS.get(slug, ACCOUNTS["xuan-phuong"])
        await PaymentAccount.ward_new(
            bank_bin=bin_, account_number=number, account_name=name, updated_at=now, updated_by=officer
        ).save()
        procs = await _procedures()
        counter = {"n": 0}

        async def dossier(state: S, received_ago: float, *, late: bool = False, rated: int | None = None) -> None:
            counter["n"] += 1
            proc = procs[counter["n"] % len(procs)]
            who, phone = PEOPLE[counter["n"] % len(PEOPLE)]
            received = now - timedelta(days=received_ago)
            received = received.replace(hour=2 + counter["n"] % 6, minute=(counter["n"] * 7) % 60)  # 09:00-14:59
            due = due_rules.promised_at(
                received, days=proc["processing_days"], hours=proc["processing_hours"], office_hours=office_hours
            )
            if late:  # a promise that has passed, still not done
                due = now - timedelta(days=1)
            day = received.astimezone(TIMEZONE).date()
            docs = documents_of(proc)
            values = {
                "code": f"{day:%y%m%d}-{counter['n']:03d}",
                "token": secrets.token_urlsafe(18),
                "procedure": proc["id"],
                "service_group": proc["service_group"],
                "applicant_name": who,
                "applicant_phone": phone,
                "applicant_address": f"Số {rng.randint(1, 90)}, tổ dân phố {rng.randint(1, 12)}",
                "documents": json.dumps(docs, ensure_ascii=False),
                "state": state,
                "received_at": received,
                "received_by": officer,
                "legal_due_at": due,
                "due_at": due,
                "fee": proc["fee"],
                "fee_paid_at": received if proc["fee"] and state != S.received else None,
            }
            events = [("created", "", S.received, "", due, received)]
            path = {
                S.received: [],
                S.processing: [S.processing],
                S.supplement: [S.processing, S.supplement],
                S.approval: [S.processing, S.approval],
                S.result_ready: [S.processing, S.approval, S.result_ready],
                S.returned: [S.processing, S.approval, S.result_ready, S.returned],
                S.rejected: [S.processing, S.rejected],
            }[state]
            at, previous = received, S.received
            span = max(min(due, now) - received, timedelta(hours=1))
            for step in path:
                at = at + span / (len(path) + 1)
                note = ""
                if step is S.supplement:
                    note = "Bổ sung bản sao hợp đồng thuê nhà có chữ ký của chủ nhà"
                    values["paused_at"] = at
                if step is S.rejected:
                    note = values["rejection_reason"] = "Chỗ ở không thuộc địa bàn phường"
                if step is S.result_ready:
                    values["result_at"] = at
                if step in (S.returned, S.rejected):
                    values["closed_at"] = at
                events.append(("state", previous, step, note, None, at))
                previous = step
            row = Dossier.ward_new(**values)
            await row.save()
            for kind, source, target, note, promise, when in events:
                await DossierEvent.ward_new(
                    dossier=row.id, at=when, who=officer, kind=kind, from_state=source, to_state=target, note=note,
                    due_at=promise,
                ).save()  # fmt: skip
            if rated is not None:
                await Rating.ward_new(
                    dossier=row.id, level=rated, procedure=proc["id"], service_group=proc["service_group"],
                    officer=officer, channel=rng.choice(("phone", "tablet")), created_at=values["closed_at"],
                    reasons=rng.choice(("quick,friendly", "clear", "one_trip", "long_wait", "")),
                ).save()  # fmt: skip

        for state in (S.received, S.processing, S.supplement, S.approval, S.result_ready, S.rejected):
            await dossier(state, rng.uniform(0.2, 2))
        await dossier(S.processing, 6, late=True)  # late: the officer's list flags it, an apology is due
        for i in range(14):  # a month of handed-back dossiers, most rated, mostly satisfied
            level = rng.choices((5, 4, 3, 2, 1), weights=(50, 30, 12, 5, 3))[0]
            await dossier(S.returned, 2 + i * 2, rated=level if i % 5 else None)

        house = await Property.ward_select(Property.id).first()
        for i, (category, text, state, answer) in enumerate(REPORTS):
            created = now - timedelta(days=i * 2 + 1, hours=i)
            report = Report.ward_new(
                code="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10)),
                category=category, text=text, state=state, answer=answer, created_at=created,
                property=house["id"] if category == "housing" and house else None,
                contact_name=PEOPLE[i][0] if i % 2 else "", contact_phone=PEOPLE[i][1] if i % 2 else "",
                assigned_to=officer if state != "new" else None,
                answered_at=created + timedelta(days=1) if answer else None,
                closed_at=created + timedelta(days=2) if state == "closed" else None,
            )  # fmt: skip
            await report.save()
            await ReportEvent.ward_new(report=report.id, at=created, to_state="new").save()
            if state != "new":
                path = {"in_progress": ["in_progress"], "answered": ["in_progress", "answered"],
                        "closed": ["in_progress", "answered", "closed"]}[state]  # fmt: skip
                previous = "new"
                for j, step in enumerate(path, 1):
                    await ReportEvent.ward_new(
                        report=report.id, at=created + timedelta(hours=12 * j), who=officer, from_state=previous,
                        to_state=step, note=answer if step == "answered" else "",
                    ).save()  # fmt: skip
                    previous = step
